// SPDX-License-Identifier: Apache-2.0
//
// The SQLite store's identity providers, links and pending links (schema version 3): round
// trips, the name, tenant, type and domain rules of store.h, the link rules and the link
// limit, pending-link expiry and consumption, cascades, atomicity under injected faults, and
// the link limit under concurrent writers.
#include <algorithm>
#include <catch2/catch.hpp>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/connection.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::BackendName;
using store_test::Insert;
using store_test::IsInjected;
using store_test::MakeApplication;
using store_test::MakeLink;
using store_test::MakePending;
using store_test::MakeProvider;
using store_test::MakeRegistration;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::NewId;
using store_test::OpenFaulty;
using store_test::TestDb;

template <typename Op>
Status ApplyOp(Store& store, Op op) {
  WriteBatch batch;
  batch.Add(std::move(op));
  return store.Apply(batch);
}

Status Update(Store& store, const IdentityProvider& provider) {
  WriteBatch batch;
  batch.Update(provider);
  return store.Apply(batch);
}

Status DeleteProvider(Store& store, IdentityProviderId id) {
  WriteBatch batch;
  batch.Delete(id);
  return store.Apply(batch);
}

Status DeleteUser(Store& store, UserId id) {
  WriteBatch batch;
  batch.Delete(id);
  return store.Apply(batch);
}

Status DeleteTenant(Store& store, TenantId id) {
  WriteBatch batch;
  batch.Delete(id);
  return store.Apply(batch);
}

std::vector<std::string> Names(const std::vector<IdentityProvider>& providers) {
  std::vector<std::string> names;
  for (const IdentityProvider& p : providers) names.push_back(p.name);
  return names;
}

std::vector<std::string> IdpUserIds(const std::vector<IdentityProviderLink>& links) {
  std::vector<std::string> ids;
  for (const IdentityProviderLink& l : links) ids.push_back(l.identity_provider_user_id);
  return ids;
}

// The provider as the store keeps it: domains lower-cased, each once.
IdentityProvider StoredProvider(IdentityProvider provider, std::vector<std::string> domains) {
  provider.domains = std::move(domains);
  return provider;
}

// The pending link as the store keeps it: without the user's links and the candidate user.
StoredPendingIdPLink StoredPending(StoredPendingIdPLink pending) {
  pending.link.identity_provider_links.clear();
  pending.link.user.reset();
  return pending;
}

void CheckField(const Status& s, StatusCode code, const char* kind, const char* path) {
  INFO(s.ToString());
  CHECK(s.code() == code);
  CHECK(s.errors().HasField(kind, path));
}

// Two tenants, a user in each (two in the first), a global provider and one provider scoped
// to each tenant.
struct World {
  Tenant acme = MakeTenant("acme");
  Tenant globex = MakeTenant("globex");
  Application app = MakeApplication(acme, "app");
  User ada = MakeUser(acme, "ada@acme.example");
  User bob = MakeUser(acme, "bob@acme.example");
  User hank = MakeUser(globex, "hank@globex.example");
  IdentityProvider global = MakeProvider("Global", {"Global.Example"});
  IdentityProvider acme_idp = MakeProvider("Acme IdP", {"acme.example"}, acme.id);
  IdentityProvider globex_idp = MakeProvider("Globex IdP", {"globex.example"}, globex.id);

  void Populate(Store& store) {
    WriteBatch batch;
    batch.Insert(acme);
    batch.Insert(globex);
    batch.Insert(app);
    batch.Insert(ada);
    batch.Insert(bob);
    batch.Insert(hank);
    batch.Insert(global);
    batch.Insert(acme_idp);
    batch.Insert(globex_idp);
    STORE_REQUIRE_OK(store.Apply(batch));
  }
};

// --- providers -------------------------------------------------------------------------------

TEST_CASE("identity providers round-trip, list by name, update and delete", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));

  IdentityProvider zeta =
      MakeProvider("Zeta", {"Zeta.Example", "zeta.example", "Other.EXAMPLE", "ZETA.example"});
  IdentityProvider alpha = MakeProvider("alpha", {}, tenant.id);
  alpha.type = IdentityProviderType::kOpenIdConnect;
  OpenIdConnectConfiguration oidc;
  oidc.oauth2.client_id = "client";
  oidc.oauth2.client_secret = "secret";
  oidc.button_text = "Log in";
  alpha.config = oidc;
  IdentityProvider google = MakeProvider("Google");
  google.type = IdentityProviderType::kGoogle;
  OtherIdentityProviderConfiguration google_config;
  google_config.members = {{"client_id", "g"}, {"scope", "email"}};
  google.config = google_config;
  STORE_REQUIRE_OK(Insert(*store, zeta));
  STORE_REQUIRE_OK(Insert(*store, alpha));
  STORE_REQUIRE_OK(Insert(*store, google));

  // Domains are stored lower-cased, each once, in the order they first appear.
  CHECK(*store->identity_providers().Get(zeta.id) ==
        StoredProvider(zeta, {"zeta.example", "other.example"}));
  CHECK(*store->identity_providers().Get(alpha.id) == alpha);
  CHECK(*store->identity_providers().Get(google.id) == google);
  CHECK(Names(*store->identity_providers().List()) ==
        std::vector<std::string>{"Google", "Zeta", "alpha"});  // exact, byte order
  CHECK(store->identity_providers().Get(NewId<IdentityProviderId>()).status().code() ==
        StatusCode::kNotFound);

  // Update: the name, the document and the domains are replaced.
  zeta.name = "Zeta 2";
  zeta.debug = true;
  zeta.domains = {"new.example"};
  zeta.last_update_instant = At(9);
  STORE_REQUIRE_OK(Update(*store, zeta));
  CHECK(*store->identity_providers().Get(zeta.id) == zeta);
  CHECK(store->identity_providers().FindByDomain("zeta.example", std::nullopt).status().code() ==
        StatusCode::kNotFound);
  CHECK(store->identity_providers().FindByDomain("new.example", std::nullopt)->id == zeta.id);

  IdentityProvider ghost = MakeProvider("Ghost");
  CHECK(Update(*store, ghost).code() == StatusCode::kNotFound);
  CHECK(DeleteProvider(*store, ghost.id).code() == StatusCode::kNotFound);

  STORE_REQUIRE_OK(DeleteProvider(*store, zeta.id));
  CHECK(store->identity_providers().Get(zeta.id).status().code() == StatusCode::kNotFound);
  CHECK(DeleteProvider(*store, zeta.id).code() == StatusCode::kNotFound);
  CHECK(Names(*store->identity_providers().List()) == std::vector<std::string>{"Google", "alpha"});
  // Its name and domains are free again.
  STORE_CHECK_OK(Insert(*store, MakeProvider("Zeta 2", {"new.example"})));
}

TEST_CASE("identity provider ids and names are unique; tenant and type never change", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);

  IdentityProvider nil = MakeProvider("nil");
  nil.id = IdentityProviderId();
  CheckField(Insert(*store, nil), StatusCode::kInvalidArgument, "missing", "identityProvider.id");

  IdentityProvider same_id = MakeProvider("another name");
  same_id.id = w.global.id;
  CheckField(Insert(*store, same_id), StatusCode::kAlreadyExists, "duplicate",
             "identityProvider.id");

  CheckField(Insert(*store, MakeProvider("Global")), StatusCode::kAlreadyExists, "duplicate",
             "identityProvider.name");
  // Names match exactly: another letter case is another name.
  STORE_CHECK_OK(Insert(*store, MakeProvider("GLOBAL")));

  IdentityProvider renamed = w.acme_idp;
  renamed.name = "Global";
  CheckField(Update(*store, renamed), StatusCode::kAlreadyExists, "duplicate",
             "identityProvider.name");
  // Keeping one's own name and domains is not a duplicate.
  IdentityProvider kept = w.acme_idp;
  kept.enabled = false;
  STORE_CHECK_OK(Update(*store, kept));

  CheckField(Insert(*store, MakeProvider("orphan", {}, NewId<TenantId>())),
             StatusCode::kInvalidArgument, "invalid", "identityProvider.tenantId");

  IdentityProvider moved = w.acme_idp;
  moved.tenant_id = w.globex.id;
  CheckField(Update(*store, moved), StatusCode::kInvalidArgument, "invalid",
             "identityProvider.tenantId");
  moved.tenant_id.reset();  // scoped -> global
  CheckField(Update(*store, moved), StatusCode::kInvalidArgument, "invalid",
             "identityProvider.tenantId");
  IdentityProvider scoped = w.global;
  scoped.tenant_id = w.acme.id;  // global -> scoped
  CheckField(Update(*store, scoped), StatusCode::kInvalidArgument, "invalid",
             "identityProvider.tenantId");

  IdentityProvider retyped = w.global;
  retyped.type = IdentityProviderType::kGoogle;
  retyped.config = OtherIdentityProviderConfiguration{};
  CheckField(Update(*store, retyped), StatusCode::kInvalidArgument, "invalid",
             "identityProvider.type");

  CHECK(*store->identity_providers().Get(w.acme_idp.id) == kept);
  CHECK(*store->identity_providers().Get(w.global.id) ==
        StoredProvider(w.global, {"global.example"}));
}

TEST_CASE("a domain is managed by one provider per tenant context", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);
  // global: global.example; acme_idp (acme): acme.example; globex_idp (globex): globex.example

  SECTION("a global provider's domain is no other provider's") {
    CheckField(Insert(*store, MakeProvider("Global 2", {"GLOBAL.example"})),
               StatusCode::kAlreadyExists, "duplicate", "identityProvider.domains");
    CheckField(Insert(*store, MakeProvider("Acme 2", {"x.example", "global.EXAMPLE"}, w.acme.id)),
               StatusCode::kAlreadyExists, "duplicate", "identityProvider.domains");
  }
  SECTION("a tenant-scoped provider's domain is neither a global one's nor its tenant's") {
    CheckField(Insert(*store, MakeProvider("Global 2", {"Acme.Example"})),
               StatusCode::kAlreadyExists, "duplicate", "identityProvider.domains");
    CheckField(Insert(*store, MakeProvider("Acme 2", {"acme.example"}, w.acme.id)),
               StatusCode::kAlreadyExists, "duplicate", "identityProvider.domains");
    // Another tenant may have its own provider for the same domain.
    const IdentityProvider globex_acme = MakeProvider("Globex 2", {"ACME.example"}, w.globex.id);
    STORE_REQUIRE_OK(Insert(*store, globex_acme));
    CHECK(store->identity_providers().FindByDomain("acme.example", w.globex.id)->id ==
          globex_acme.id);
    CHECK(store->identity_providers().FindByDomain("acme.example", w.acme.id)->id == w.acme_idp.id);
    // ... and then no global provider may claim it.
    CheckField(Insert(*store, MakeProvider("Global 2", {"acme.example"})),
               StatusCode::kAlreadyExists, "duplicate", "identityProvider.domains");
  }
  SECTION("updates follow the same rules, excluding the provider itself") {
    IdentityProvider acme = w.acme_idp;
    acme.domains = {"ACME.example", "Acme.Example", "more.example"};
    STORE_REQUIRE_OK(Update(*store, acme));
    CHECK(store->identity_providers().Get(acme.id)->domains ==
          std::vector<std::string>{"acme.example", "more.example"});

    acme.domains = {"acme.example", "global.example"};
    CheckField(Update(*store, acme), StatusCode::kAlreadyExists, "duplicate",
               "identityProvider.domains");
    IdentityProvider global = w.global;
    global.domains = {"global.example", "globex.example"};
    CheckField(Update(*store, global), StatusCode::kAlreadyExists, "duplicate",
               "identityProvider.domains");
    // A failed update changed nothing.
    CHECK(store->identity_providers().Get(acme.id)->domains ==
          std::vector<std::string>{"acme.example", "more.example"});

    // Domains are replaced: once the global provider lets go, a tenant's provider may claim.
    global.domains = {"elsewhere.example"};
    STORE_REQUIRE_OK(Update(*store, global));
    acme.domains = {"global.example"};
    STORE_REQUIRE_OK(Update(*store, acme));
    CHECK(store->identity_providers().FindByDomain("global.example", w.acme.id)->id == acme.id);
    CHECK(store->identity_providers().FindByDomain("more.example", w.acme.id).status().code() ==
          StatusCode::kNotFound);
  }
  SECTION("a batch sees its own earlier providers") {
    WriteBatch batch;
    batch.Insert(MakeProvider("One", {"same.example"}));
    batch.Insert(MakeProvider("Two", {"Same.Example"}, w.acme.id));
    CheckField(store->Apply(batch), StatusCode::kAlreadyExists, "duplicate",
               "identityProvider.domains");
    CHECK(store->identity_providers().List()->size() == 3);
  }
}

TEST_CASE("FindByDomain ignores case: a tenant sees its own provider first, then global ones",
          "[store]") {
  TestDb db(Backend::kFile);
  auto store = db.Open();
  World w;
  w.Populate(*store);
  IdentityProviderRepository& providers = store->identity_providers();

  CHECK(providers.FindByDomain("GLOBAL.EXAMPLE", std::nullopt)->id == w.global.id);
  CHECK(providers.FindByDomain("global.example", w.acme.id)->id == w.global.id);
  CHECK(providers.FindByDomain("Acme.Example", w.acme.id)->id == w.acme_idp.id);
  // Another tenant's provider, and without a tenant any scoped provider, is not found.
  CHECK(providers.FindByDomain("acme.example", w.globex.id).status().code() ==
        StatusCode::kNotFound);
  CHECK(providers.FindByDomain("acme.example", std::nullopt).status().code() ==
        StatusCode::kNotFound);
  CHECK(providers.FindByDomain("nobody.example", w.acme.id).status().code() ==
        StatusCode::kNotFound);
  CHECK(providers.FindByDomain("", w.acme.id).status().code() == StatusCode::kNotFound);

  // Should a global provider and the tenant's own both list a domain (the writer never lets
  // that happen; written here behind its back), the tenant's own wins.
  {
    Result<std::unique_ptr<internal::sqlite::Connection>> raw =
        internal::sqlite::Connection::Open(db.path(), {});
    REQUIRE_OK(raw);
    STORE_REQUIRE_OK((*raw)->ExecScript(
        "INSERT INTO identity_provider_domains (identity_provider_id, scope, domain_lower) "
        "SELECT identity_provider_id, zeroblob(16), 'acme.example' FROM identity_provider_domains "
        "WHERE domain_lower = 'global.example'"));
  }
  CHECK(providers.FindByDomain("ACME.example", w.acme.id)->id == w.acme_idp.id);
  CHECK(providers.FindByDomain("ACME.example", w.globex.id)->id == w.global.id);
  CHECK(providers.FindByDomain("ACME.example", std::nullopt)->id == w.global.id);
}

// --- links -----------------------------------------------------------------------------------

TEST_CASE("links round-trip, are found exactly and list by user in insertion order", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  World w;
  w.Populate(*store);

  const IdentityProviderLink late = MakeLink(w.global, w.ada, "ada-global", 30);
  const IdentityProviderLink early = MakeLink(w.acme_idp, w.ada, "ada-acme", 10);
  const IdentityProviderLink middle = MakeLink(w.global, w.ada, "ada-global-2", 20);
  const IdentityProviderLink bobs = MakeLink(w.global, w.bob, "bob-global", 15);
  for (const IdentityProviderLink* link : {&late, &early, &middle, &bobs}) {
    STORE_REQUIRE_OK(Insert(*store, *link));
  }

  IdentityProviderLinkRepository& links = store->identity_provider_links();
  CHECK(*links.Find(w.global.id, w.acme.id, "ada-global") == late);
  CHECK(*links.Find(w.acme_idp.id, w.acme.id, "ada-acme") == early);
  // The provider's user id is compared exactly, within the tenant.
  CHECK(links.Find(w.global.id, w.acme.id, "ADA-GLOBAL").status().code() == StatusCode::kNotFound);
  CHECK(links.Find(w.global.id, w.globex.id, "ada-global").status().code() ==
        StatusCode::kNotFound);
  CHECK(links.Find(w.acme_idp.id, w.acme.id, "ada-global").status().code() ==
        StatusCode::kNotFound);

  CHECK(IdpUserIds(*links.ListByUser(w.ada.id, std::nullopt)) ==
        std::vector<std::string>{"ada-acme", "ada-global-2", "ada-global"});
  CHECK(IdpUserIds(*links.ListByUser(w.ada.id, w.global.id)) ==
        std::vector<std::string>{"ada-global-2", "ada-global"});
  CHECK(IdpUserIds(*links.ListByUser(w.bob.id, std::nullopt)) ==
        std::vector<std::string>{"bob-global"});
  CHECK(links.ListByUser(w.hank.id, std::nullopt)->empty());
  CHECK(links.ListByUser(NewId<UserId>(), w.global.id)->empty());

  // Another letter case is another provider user; so is the same id in another tenant.
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.bob, "ADA-GLOBAL")));
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.hank, "ada-global")));
  CHECK(links.Find(w.global.id, w.globex.id, "ada-global")->user_id == w.hank.id);
}

TEST_CASE("a link needs its tenant, a user of that tenant and a provider serving it", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);

  IdentityProviderLink no_tenant = MakeLink(w.global, w.ada, "x");
  no_tenant.tenant_id.reset();
  CheckField(Insert(*store, no_tenant), StatusCode::kInvalidArgument, "blank",
             "identityProviderLink.tenantId");

  IdentityProviderLink ghost_user = MakeLink(w.global, w.ada, "x");
  ghost_user.user_id = NewId<UserId>();
  CheckField(Insert(*store, ghost_user), StatusCode::kInvalidArgument, "invalid",
             "identityProviderLink.userId");
  IdentityProviderLink wrong_tenant = MakeLink(w.global, w.ada, "x");
  wrong_tenant.tenant_id = w.globex.id;
  CheckField(Insert(*store, wrong_tenant), StatusCode::kInvalidArgument, "invalid",
             "identityProviderLink.userId");
  IdentityProviderLink ghost_tenant = MakeLink(w.global, w.ada, "x");
  ghost_tenant.tenant_id = NewId<TenantId>();
  CheckField(Insert(*store, ghost_tenant), StatusCode::kInvalidArgument, "invalid",
             "identityProviderLink.userId");

  CheckField(Insert(*store, MakeLink(MakeProvider("ghost"), w.ada, "x")),
             StatusCode::kInvalidArgument, "invalid", "identityProviderLink.identityProviderId");
  CheckField(Insert(*store, MakeLink(w.globex_idp, w.ada, "x")), StatusCode::kInvalidArgument,
             "invalid", "identityProviderLink.identityProviderId");

  // A global provider serves every tenant; a scoped one its own.
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.hank, "x")));
  STORE_CHECK_OK(Insert(*store, MakeLink(w.globex_idp, w.hank, "x")));
  STORE_CHECK_OK(Insert(*store, MakeLink(w.acme_idp, w.ada, "x")));

  const IdentityProviderLink first = MakeLink(w.global, w.ada, "x");
  STORE_REQUIRE_OK(Insert(*store, first));
  const Status again = Insert(*store, MakeLink(w.global, w.bob, "x"));
  INFO(again.ToString());
  CHECK(again.code() == StatusCode::kAlreadyExists);
  CHECK(again.errors().HasField("duplicate", "identityProviderLink"));
  CHECK(store->identity_provider_links().Find(w.global.id, w.acme.id, "x")->user_id == w.ada.id);
}

TEST_CASE("max_links limits a user's links to a provider inside the write", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);

  STORE_REQUIRE_OK(Insert(*store, MakeLink(w.global, w.ada, "one"), 2));
  STORE_REQUIRE_OK(Insert(*store, MakeLink(w.global, w.ada, "two"), 2));
  const Status full = Insert(*store, MakeLink(w.global, w.ada, "three"), 2);
  INFO(full.ToString());
  CHECK(full.code() == StatusCode::kFailedPrecondition);
  CHECK(full.errors().HasGeneral("[LinkCountExceeded]"));
  CHECK(full.errors().field_errors.empty());
  CHECK(Insert(*store, MakeLink(w.global, w.ada, "three"), 1).code() ==
        StatusCode::kFailedPrecondition);
  CHECK(Insert(*store, MakeLink(w.global, w.ada, "three"), 0).code() ==
        StatusCode::kFailedPrecondition);

  // Only links to that provider, of that user, count.
  STORE_CHECK_OK(Insert(*store, MakeLink(w.acme_idp, w.ada, "acme"), 1));
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.bob, "bob"), 1));
  // A higher limit, or none, lets it through.
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.ada, "three"), 3));
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.ada, "four")));
  CHECK(store->identity_provider_links().ListByUser(w.ada.id, w.global.id)->size() == 4);

  // A duplicate is reported as such even when the user is at the limit.
  const Status duplicate = Insert(*store, MakeLink(w.global, w.ada, "one"), 1);
  CHECK(duplicate.code() == StatusCode::kAlreadyExists);

  // Within a batch, the earlier links count.
  WriteBatch batch;
  batch.Insert(MakeLink(w.acme_idp, w.bob, "b1"), 2);
  batch.Insert(MakeLink(w.acme_idp, w.bob, "b2"), 2);
  batch.Insert(MakeLink(w.acme_idp, w.bob, "b3"), 2);
  const Status s = store->Apply(batch);
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(s.errors().HasGeneral("[LinkCountExceeded]"));
  CHECK(store->identity_provider_links().ListByUser(w.bob.id, w.acme_idp.id)->empty());
}

TEST_CASE("a recorded provider login touches only the login instant, token and display name",
          "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);
  IdentityProviderLink link = MakeLink(w.global, w.ada, "ada");
  STORE_REQUIRE_OK(Insert(*store, link));

  STORE_REQUIRE_OK(
      ApplyOp(*store, WriteBatch::RecordIdentityProviderLogin{.provider_id = w.global.id,
                                                              .tenant_id = w.acme.id,
                                                              .identity_provider_user_id = "ada",
                                                              .instant = At(40)}));
  link.last_login_instant = At(40);
  CHECK(*store->identity_provider_links().Find(w.global.id, w.acme.id, "ada") == link);

  STORE_REQUIRE_OK(
      ApplyOp(*store, WriteBatch::RecordIdentityProviderLogin{.provider_id = w.global.id,
                                                              .tenant_id = w.acme.id,
                                                              .identity_provider_user_id = "ada",
                                                              .instant = At(50),
                                                              .token = "fresh-token",
                                                              .display_name = "Ada L."}));
  link.last_login_instant = At(50);
  link.token = "fresh-token";
  link.display_name = "Ada L.";
  CHECK(*store->identity_provider_links().Find(w.global.id, w.acme.id, "ada") == link);

  // An empty token is a value: it replaces the stored one.
  STORE_REQUIRE_OK(
      ApplyOp(*store, WriteBatch::RecordIdentityProviderLogin{.provider_id = w.global.id,
                                                              .tenant_id = w.acme.id,
                                                              .identity_provider_user_id = "ada",
                                                              .instant = At(60),
                                                              .token = std::string()}));
  link.last_login_instant = At(60);
  link.token.clear();
  CHECK(*store->identity_provider_links().Find(w.global.id, w.acme.id, "ada") == link);

  CHECK(ApplyOp(*store, WriteBatch::RecordIdentityProviderLogin{.provider_id = w.global.id,
                                                                .tenant_id = w.globex.id,
                                                                .identity_provider_user_id = "ada",
                                                                .instant = At(70)})
            .code() == StatusCode::kNotFound);
  CHECK(ApplyOp(*store, WriteBatch::RecordIdentityProviderLogin{.provider_id = w.global.id,
                                                                .tenant_id = w.acme.id,
                                                                .identity_provider_user_id = "ADA",
                                                                .instant = At(70)})
            .code() == StatusCode::kNotFound);
}

TEST_CASE("a link is deleted once", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);
  STORE_REQUIRE_OK(Insert(*store, MakeLink(w.global, w.ada, "ada")));
  STORE_REQUIRE_OK(Insert(*store, MakeLink(w.global, w.bob, "bob")));

  const WriteBatch::DeleteIdentityProviderLink remove{
      .provider_id = w.global.id, .tenant_id = w.acme.id, .identity_provider_user_id = "ada"};
  STORE_REQUIRE_OK(ApplyOp(*store, remove));
  CHECK(store->identity_provider_links().Find(w.global.id, w.acme.id, "ada").status().code() ==
        StatusCode::kNotFound);
  CHECK(ApplyOp(*store, remove).code() == StatusCode::kNotFound);
  CHECK(store->identity_provider_links().Find(w.global.id, w.acme.id, "bob").ok());
  // Gone, it may be linked again (to another user, even).
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.bob, "ada")));
}

// --- pending links ---------------------------------------------------------------------------

TEST_CASE("pending links round-trip without the user's links and the candidate user", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  World w;
  w.Populate(*store);

  StoredPendingIdPLink with_app = MakePending("digest-1", w.acme, w.global, 10, 100);
  with_app.application_id = w.app.id;
  with_app.link.identity_provider_links = {MakeLink(w.global, w.ada, "ada")};
  with_app.link.user = store_test::Stored(w.ada);
  const StoredPendingIdPLink without_app = MakePending("digest-2", w.acme, w.acme_idp, 10, 100);
  STORE_REQUIRE_OK(Insert(*store, with_app));
  STORE_REQUIRE_OK(Insert(*store, without_app));

  IdentityProviderLinkRepository& links = store->identity_provider_links();
  CHECK(*links.FindPending("digest-1", At(10)) == StoredPending(with_app));
  CHECK(*links.FindPending("digest-2", At(99)) == without_app);
  CHECK_FALSE(links.FindPending("digest-2", At(99))->application_id.has_value());
  // Gone once the clock reaches the expiry.
  CHECK(links.FindPending("digest-2", At(100)).status().code() == StatusCode::kNotFound);
  CHECK(links.FindPending("digest-3", At(10)).status().code() == StatusCode::kNotFound);
  CHECK(links.FindPending("DIGEST-1", At(10)).status().code() == StatusCode::kNotFound);
}

TEST_CASE("a pending link is consumed once, and not at or after its expiry", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);
  STORE_REQUIRE_OK(Insert(*store, MakePending("p", w.acme, w.global, 10, 100)));
  STORE_REQUIRE_OK(Insert(*store, MakePending("q", w.acme, w.global, 10, 100)));

  // At the expiry it is already gone...
  CHECK(
      ApplyOp(*store, WriteBatch::DeletePendingIdPLink{.id_digest = "p", .now = At(100)}).code() ==
      StatusCode::kNotFound);
  CHECK(
      ApplyOp(*store, WriteBatch::DeletePendingIdPLink{.id_digest = "p", .now = At(150)}).code() ==
      StatusCode::kNotFound);
  // ... a millisecond before, it is consumed, once.
  STORE_REQUIRE_OK(
      ApplyOp(*store, WriteBatch::DeletePendingIdPLink{.id_digest = "p", .now = At(99)}));
  CHECK(store->identity_provider_links().FindPending("p", At(10)).status().code() ==
        StatusCode::kNotFound);
  CHECK(ApplyOp(*store, WriteBatch::DeletePendingIdPLink{.id_digest = "p", .now = At(99)}).code() ==
        StatusCode::kNotFound);
  CHECK(ApplyOp(*store, WriteBatch::DeletePendingIdPLink{.id_digest = "none", .now = At(10)})
            .code() == StatusCode::kNotFound);
  CHECK(store->identity_provider_links().FindPending("q", At(10)).ok());

  // Two consumers of one pending link in one batch: the second fails, and so does the batch.
  WriteBatch twice;
  twice.Add(WriteBatch::DeletePendingIdPLink{.id_digest = "q", .now = At(20)});
  twice.Add(WriteBatch::DeletePendingIdPLink{.id_digest = "q", .now = At(20)});
  CHECK(store->Apply(twice).code() == StatusCode::kNotFound);
  CHECK(store->identity_provider_links().FindPending("q", At(10)).ok());
}

TEST_CASE("inserting a pending link forgets the expired ones; digests are unique", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);
  IdentityProviderLinkRepository& links = store->identity_provider_links();

  STORE_REQUIRE_OK(Insert(*store, MakePending("early", w.acme, w.global, 0, 100)));
  STORE_REQUIRE_OK(Insert(*store, MakePending("late", w.globex, w.global, 0, 101)));
  STORE_REQUIRE_OK(Insert(*store, MakePending("middle", w.acme, w.global, 50, 200)));
  // Inserted before either expired: both still there.
  CHECK(links.FindPending("early", At(0)).ok());

  CheckField(Insert(*store, MakePending("middle", w.acme, w.global, 60, 300)),
             StatusCode::kAlreadyExists, "duplicate", "pendingIdPLink.id");

  // Inserted at 100: "early" (expiry 100) is forgotten, "late" (101) is kept.
  STORE_REQUIRE_OK(Insert(*store, MakePending("new", w.acme, w.acme_idp, 100, 300)));
  CHECK(links.FindPending("early", At(0)).status().code() == StatusCode::kNotFound);
  CHECK(links.FindPending("late", At(0)).ok());
  CHECK(links.FindPending("middle", At(0)).ok());

  // An expired digest is free again.
  STORE_REQUIRE_OK(Insert(*store, MakePending("middle", w.acme, w.global, 200, 400)));
  CHECK(links.FindPending("middle", At(200))->insert_instant == At(200));
}

TEST_CASE("a pending link needs its tenant and a provider serving it", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  World w;
  w.Populate(*store);

  CheckField(Insert(*store, MakePending("a", w.acme, MakeProvider("ghost"), 0, 100)),
             StatusCode::kInvalidArgument, "invalid", "pendingIdPLink.identityProviderId");
  CheckField(Insert(*store, MakePending("a", MakeTenant("ghost"), w.global, 0, 100)),
             StatusCode::kInvalidArgument, "invalid", "pendingIdPLink.identityProviderId");
  CheckField(Insert(*store, MakePending("a", w.acme, w.globex_idp, 0, 100)),
             StatusCode::kInvalidArgument, "invalid", "pendingIdPLink.identityProviderId");
  STORE_CHECK_OK(Insert(*store, MakePending("a", w.globex, w.globex_idp, 0, 100)));
  STORE_CHECK_OK(Insert(*store, MakePending("b", w.globex, w.global, 0, 100)));
}

// --- cascades --------------------------------------------------------------------------------

struct Linked : World {
  void Link(Store& store) {
    STORE_REQUIRE_OK(Insert(store, MakeLink(global, ada, "ada-global")));
    STORE_REQUIRE_OK(Insert(store, MakeLink(acme_idp, ada, "ada-acme")));
    STORE_REQUIRE_OK(Insert(store, MakeLink(global, bob, "bob-global")));
    STORE_REQUIRE_OK(Insert(store, MakeLink(global, hank, "hank-global")));
    STORE_REQUIRE_OK(Insert(store, MakeLink(globex_idp, hank, "hank-globex")));
    STORE_REQUIRE_OK(Insert(store, MakePending("acme-global", acme, global, 0, 1000)));
    STORE_REQUIRE_OK(Insert(store, MakePending("acme-acme", acme, acme_idp, 0, 1000)));
    STORE_REQUIRE_OK(Insert(store, MakePending("globex-global", globex, global, 0, 1000)));
    STORE_REQUIRE_OK(Insert(store, MakePending("globex-globex", globex, globex_idp, 0, 1000)));
  }
};

bool HasPending(Store& store, std::string_view digest) {
  return store.identity_provider_links().FindPending(digest, At(0)).ok();
}

TEST_CASE("deleting a user removes its links", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  Linked w;
  w.Populate(*store);
  w.Link(*store);

  STORE_REQUIRE_OK(DeleteUser(*store, w.ada.id));
  IdentityProviderLinkRepository& links = store->identity_provider_links();
  CHECK(links.ListByUser(w.ada.id, std::nullopt)->empty());
  CHECK(links.Find(w.global.id, w.acme.id, "ada-global").status().code() == StatusCode::kNotFound);
  CHECK(links.ListByUser(w.bob.id, std::nullopt)->size() == 1);
  CHECK(links.ListByUser(w.hank.id, std::nullopt)->size() == 2);
  // The provider user id is free again.
  STORE_CHECK_OK(Insert(*store, MakeLink(w.global, w.bob, "ada-global")));
}

TEST_CASE("deleting a provider removes its domains, links and pending links", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  Linked w;
  w.Populate(*store);
  w.Link(*store);

  STORE_REQUIRE_OK(DeleteProvider(*store, w.global.id));
  IdentityProviderLinkRepository& links = store->identity_provider_links();
  CHECK(store->identity_providers().FindByDomain("global.example", w.acme.id).status().code() ==
        StatusCode::kNotFound);
  CHECK(IdpUserIds(*links.ListByUser(w.ada.id, std::nullopt)) ==
        std::vector<std::string>{"ada-acme"});
  CHECK(links.ListByUser(w.bob.id, std::nullopt)->empty());
  CHECK(IdpUserIds(*links.ListByUser(w.hank.id, std::nullopt)) ==
        std::vector<std::string>{"hank-globex"});
  CHECK_FALSE(HasPending(*store, "acme-global"));
  CHECK_FALSE(HasPending(*store, "globex-global"));
  CHECK(HasPending(*store, "acme-acme"));
  CHECK(HasPending(*store, "globex-globex"));
  CHECK(Names(*store->identity_providers().List()) ==
        std::vector<std::string>{"Acme IdP", "Globex IdP"});
  // Its domain is free for a tenant's provider now.
  STORE_CHECK_OK(Insert(*store, MakeProvider("Acme 2", {"global.example"}, w.acme.id)));
}

TEST_CASE("deleting a tenant removes its scoped providers, links and pending links", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  Linked w;
  w.Populate(*store);
  w.Link(*store);

  STORE_REQUIRE_OK(DeleteTenant(*store, w.acme.id));
  CHECK(store->identity_providers().Get(w.acme_idp.id).status().code() == StatusCode::kNotFound);
  CHECK(Names(*store->identity_providers().List()) ==
        std::vector<std::string>{"Global", "Globex IdP"});
  IdentityProviderLinkRepository& links = store->identity_provider_links();
  CHECK(links.Find(w.global.id, w.acme.id, "ada-global").status().code() == StatusCode::kNotFound);
  CHECK(links.Find(w.global.id, w.acme.id, "bob-global").status().code() == StatusCode::kNotFound);
  CHECK(links.ListByUser(w.ada.id, std::nullopt)->empty());
  CHECK(links.ListByUser(w.hank.id, std::nullopt)->size() == 2);
  CHECK_FALSE(HasPending(*store, "acme-global"));
  CHECK_FALSE(HasPending(*store, "acme-acme"));
  CHECK(HasPending(*store, "globex-global"));
  CHECK(HasPending(*store, "globex-globex"));
  // The scoped provider's domain went with it: a global provider may claim it now.
  STORE_CHECK_OK(Insert(*store, MakeProvider("Acme everywhere", {"acme.example"})));
}

// --- atomicity, concurrency ------------------------------------------------------------------

TEST_CASE("provider and link reads fail while FailReads is set", "[store][fault]") {
  TestDb db(Backend::kMemory);
  auto store = OpenFaulty(db);
  World w;
  w.Populate(*store);
  STORE_REQUIRE_OK(Insert(*store, MakeLink(w.global, w.ada, "ada")));
  STORE_REQUIRE_OK(Insert(*store, MakePending("p", w.acme, w.global, 0, 100)));

  store->FailReads(true);
  CHECK(IsInjected(store->identity_providers().Get(w.global.id).status()));
  CHECK(IsInjected(store->identity_providers().List().status()));
  CHECK(IsInjected(store->identity_providers().FindByDomain("global.example", w.acme.id).status()));
  CHECK(IsInjected(store->identity_provider_links().Find(w.global.id, w.acme.id, "ada").status()));
  CHECK(IsInjected(store->identity_provider_links().ListByUser(w.ada.id, std::nullopt).status()));
  CHECK(IsInjected(store->identity_provider_links().FindPending("p", At(0)).status()));
  CHECK(store->base().identity_provider_links().FindPending("p", At(0)).ok());

  store->ClearFaults();
  CHECK_OK(store->identity_providers().Get(w.global.id));
  CHECK(store->identity_provider_links().Find(w.global.id, w.acme.id, "ada").ok());
}

TEST_CASE("a fault at any write statement of a sign-up-and-link batch leaves nothing",
          "[store][fault]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = OpenFaulty(db);
  World w;
  w.Populate(*store);
  STORE_REQUIRE_OK(Insert(*store, MakePending("consumed", w.acme, w.global, 0, 1000)));
  STORE_REQUIRE_OK(Insert(*store, MakePending("expired", w.acme, w.global, 0, 10)));

  const User carol = MakeUser(w.acme, "carol@acme.example");
  const Registration registration = MakeRegistration(w.app);
  IdentityProviderLink link = MakeLink(w.global, carol, "carol");
  IdentityProvider updated = w.acme_idp;
  updated.domains = {"acme.example", "carol.example"};
  WriteBatch batch;
  batch.Insert(carol);
  batch.Insert(carol.id, registration);
  batch.Insert(link, 5);
  batch.Add(WriteBatch::RecordIdentityProviderLogin{.provider_id = w.global.id,
                                                    .tenant_id = w.acme.id,
                                                    .identity_provider_user_id = "carol",
                                                    .instant = At(20)});
  batch.Add(WriteBatch::DeletePendingIdPLink{.id_digest = "consumed", .now = At(20)});
  batch.Insert(MakePending("fresh", w.acme, w.acme_idp, 20, 1000));  // forgets "expired"
  batch.Update(updated);

  auto nothing_written = [&] {
    CHECK(store->users().Get(carol.id).status().code() == StatusCode::kNotFound);
    CHECK(store->registrations().ListByUser(carol.id)->empty());
    CHECK(store->identity_provider_links().Find(w.global.id, w.acme.id, "carol").status().code() ==
          StatusCode::kNotFound);
    CHECK(store->identity_provider_links().ListByUser(carol.id, std::nullopt)->empty());
    CHECK(HasPending(*store, "consumed"));
    CHECK(HasPending(*store, "expired"));
    CHECK_FALSE(HasPending(*store, "fresh"));
    CHECK(*store->identity_providers().Get(w.acme_idp.id) == w.acme_idp);
    CHECK(store->identity_providers().FindByDomain("carol.example", w.acme.id).status().code() ==
          StatusCode::kNotFound);
  };

  // Count the batch's write statements on a scratch copy of the same state.
  std::int64_t statements = 0;
  {
    TestDb scratch_db(Backend::kMemory);
    auto scratch = OpenFaulty(scratch_db);
    w.Populate(*scratch);
    STORE_REQUIRE_OK(Insert(*scratch, MakePending("consumed", w.acme, w.global, 0, 1000)));
    STORE_REQUIRE_OK(Insert(*scratch, MakePending("expired", w.acme, w.global, 0, 10)));
    const std::int64_t start = scratch->write_statements();
    STORE_REQUIRE_OK(scratch->Apply(batch));
    statements = scratch->write_statements() - start;
  }
  // user, registration, link, login, consume, prune + pending, provider + 2 domain writes...
  REQUIRE(statements >= 10);

  for (std::int64_t n = 1; n <= statements; ++n) {
    INFO("failing write statement " << n << " of " << statements);
    store->FailWriteStatement(n);
    CHECK(IsInjected(store->Apply(batch)));
    nothing_written();
  }
  store->FailCommit(true);
  CHECK(IsInjected(store->Apply(batch)));
  nothing_written();

  store->ClearFaults();
  STORE_REQUIRE_OK(store->Apply(batch));
  link.last_login_instant = At(20);
  CHECK(*store->identity_provider_links().Find(w.global.id, w.acme.id, "carol") == link);
  CHECK_OK(store->registrations().Get(carol.id, w.app.id));
  CHECK_FALSE(HasPending(*store, "consumed"));
  CHECK_FALSE(HasPending(*store, "expired"));
  CHECK(HasPending(*store, "fresh"));
  CHECK(store->identity_providers().FindByDomain("CAROL.example", w.acme.id)->id == w.acme_idp.id);
}

// Each thread links `user` to `provider` under its own provider user id through one of
// `stores`, with `max_links`; returns every thread's Status.
std::vector<Status> RaceToLink(const std::vector<Store*>& stores, const IdentityProvider& provider,
                               const User& user, int threads, std::int64_t max_links,
                               const std::string& prefix) {
  std::vector<Status> results(static_cast<std::size_t>(threads));
  std::latch start(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      const IdentityProviderLink link = MakeLink(provider, user, prefix + std::to_string(i), i);
      Store& store = *stores[static_cast<std::size_t>(i) % stores.size()];
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = Insert(store, link, max_links);
    });
  }
  for (std::thread& t : workers) t.join();
  return results;
}

TEST_CASE("concurrent links never exceed max_links", "[store][concurrency]") {
  constexpr int kThreads = 6;
  constexpr std::int64_t kMaxLinks = 3;
  constexpr int kRounds = 5;
  const bool two_stores = GENERATE(false, true);
  INFO((two_stores ? "two stores on one file" : "one store, many threads"));
  TestDb db(Backend::kFile);
  auto first = db.Open();
  auto second = db.Open();  // a second Store on the file, as another process would have
  World w;
  w.Populate(*first);
  std::vector<Store*> stores = {first.get()};
  if (two_stores) stores.push_back(second.get());

  for (int round = 0; round < kRounds; ++round) {
    const User user = MakeUser(w.acme, "racer" + std::to_string(round) + "@acme.example");
    STORE_REQUIRE_OK(Insert(*first, user));
    const std::vector<Status> results =
        RaceToLink(stores, w.global, user, kThreads, kMaxLinks, "r" + std::to_string(round) + "-");
    std::int64_t linked = 0;
    for (const Status& s : results) {
      INFO(s.ToString());
      if (s.ok()) {
        ++linked;
      } else {
        CHECK(s.code() == StatusCode::kFailedPrecondition);
        CHECK(s.errors().HasGeneral("[LinkCountExceeded]"));
      }
    }
    CHECK(linked == kMaxLinks);
    CHECK(static_cast<std::int64_t>(
              second->identity_provider_links().ListByUser(user.id, w.global.id)->size()) ==
          kMaxLinks);
  }
}

}  // namespace
}  // namespace bulwark

namespace bulwark {
namespace {

TEST_CASE("PatchUser and PatchRegistration set only the named members", "[store]") {
  store_test::TestDb db(store_test::Backend::kMemory);
  std::unique_ptr<Store> store = db.Open();
  const Tenant tenant = store_test::MakeTenant("Pied Piper");
  REQUIRE_OK(store_test::Insert(*store, tenant));
  const Application app = store_test::MakeApplication(tenant, "App", {"member", "admin"});
  REQUIRE_OK(store_test::Insert(*store, app));
  User richard = store_test::MakeUser(tenant, "richard@piedpiper.com", "richard");
  richard.first_name = "Richard";
  richard.password_hash.hash = "stored-hash";
  richard.password_hash.encryption_scheme = "salted-pbkdf2-hmac-sha256";
  richard.password_hash.factor = 24000;
  REQUIRE_OK(store_test::Insert(*store, richard));
  REQUIRE(store_test::Insert(*store, store_test::MakeUser(tenant, "jared@piedpiper.com")).ok());
  REQUIRE(
      store_test::Insert(*store, richard.id, store_test::MakeRegistration(app, {"member"})).ok());

  auto apply = [&](auto op) { return ApplyOp(*store, std::move(op)); };

  SECTION("members are set and removed; everything else stays") {
    REQUIRE(
        apply(WriteBatch::PatchUser{.user_id = richard.id,
                                    .members = {{"lastName", "Hendricks"}, {"firstName", nullptr}}})
            .ok());
    User stored = REQUIRE_VALUE(store->users().Get(richard.id));
    CHECK(stored.last_name == "Hendricks");
    CHECK(stored.first_name.empty());
    CHECK(stored.password_hash.hash == "stored-hash");
    CHECK(stored.email == "richard@piedpiper.com");
  }
  SECTION("a patched email is indexed and must stay unique") {
    REQUIRE(apply(WriteBatch::PatchUser{.user_id = richard.id,
                                        .members = {{"email", "Richard@Hooli.test"}}})
                .ok());
    CHECK(store->users().FindByEmail(tenant.id, "richard@hooli.test")->id == richard.id);
    Status taken = apply(WriteBatch::PatchUser{.user_id = richard.id,
                                               .members = {{"email", "jared@piedpiper.com"}}});
    CHECK(taken.code() == StatusCode::kAlreadyExists);
    CHECK(taken.errors().HasField("duplicate", "user.email"));
  }
  SECTION("credentials and identity cannot be patched") {
    for (const char* member : {"id", "tenantId", "password", "salt", "encryptionScheme",
                               "passwordChangeRequired", "twoFactor"}) {
      INFO(member);
      Status s = apply(WriteBatch::PatchUser{.user_id = richard.id, .members = {{member, "x"}}});
      CHECK(s.errors().HasField("invalid", std::string("user.") + member));
    }
    CHECK(store->users().Get(richard.id)->password_hash.hash == "stored-hash");
  }
  SECTION("an unknown user is kNotFound") {
    CHECK(apply(WriteBatch::PatchUser{.user_id = store_test::NewId<UserId>(),
                                      .members = {{"lastName", "x"}}})
              .code() == StatusCode::kNotFound);
  }
  SECTION("registrations: data and roles, by name, checked against the application") {
    REQUIRE(apply(WriteBatch::PatchRegistration{.user_id = richard.id,
                                                .application_id = app.id,
                                                .members = {{"data", {{"dept", "engineering"}}},
                                                            {"roles", {"member", "admin"}}}})
                .ok());
    Registration stored = REQUIRE_VALUE(store->registrations().Get(richard.id, app.id));
    CHECK(stored.data["dept"] == "engineering");
    CHECK(stored.roles == std::vector<std::string>{"member", "admin"});
    CHECK(apply(WriteBatch::PatchRegistration{.user_id = richard.id,
                                              .application_id = app.id,
                                              .members = {{"roles", {"owner"}}}})
              .errors()
              .HasField("invalid", "registration.roles"));
    CHECK(apply(WriteBatch::PatchRegistration{.user_id = richard.id,
                                              .application_id = app.id,
                                              .members = {{"applicationId", "x"}}})
              .errors()
              .HasField("invalid", "registration.applicationId"));
    CHECK(apply(WriteBatch::PatchRegistration{.user_id = store_test::NewId<UserId>(),
                                              .application_id = app.id,
                                              .members = {{"data", nullptr}}})
              .code() == StatusCode::kNotFound);
  }
}

}  // namespace
}  // namespace bulwark
