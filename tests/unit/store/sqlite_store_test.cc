// SPDX-License-Identifier: Apache-2.0
//
// The SQLite Store against the rules of store.h and write_batch.h. Every scenario runs on
// ":memory:" and on a temporary file.
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"

#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/transaction.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::Insert;
using store_test::MakeApplication;
using store_test::MakeRegistration;
using store_test::MakeRole;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::NewId;
using store_test::Stored;
using store_test::TestDb;

std::vector<std::string> Names(const std::vector<Tenant>& tenants) {
  std::vector<std::string> names;
  for (const Tenant& t : tenants) names.push_back(t.name);
  return names;
}

std::vector<std::string> Names(const std::vector<Application>& applications) {
  std::vector<std::string> names;
  for (const Application& a : applications) names.push_back(a.name);
  return names;
}

// Everything a tenant owns, for "nothing changed" checks.
struct Census {
  std::size_t tenants = 0;
  std::size_t applications = 0;
  std::int64_t users = 0;
  std::size_t registrations = 0;

  friend bool operator==(const Census&, const Census&) = default;
};

Census Count(Store& store, const std::vector<UserId>& users = {}) {
  Census census;
  Result<std::vector<Tenant>> tenants = store.tenants().List();
  REQUIRE_OK(tenants);
  census.tenants = tenants->size();
  for (const Tenant& tenant : *tenants) {
    Result<std::vector<Application>> applications = store.applications().ListByTenant(tenant.id);
    REQUIRE_OK(applications);
    census.applications += applications->size();
    Result<std::int64_t> n = store.users().CountByTenant(tenant.id);
    REQUIRE_OK(n);
    census.users += *n;
  }
  for (const UserId& user : users) {
    Result<std::vector<Registration>> registrations = store.registrations().ListByUser(user);
    REQUIRE_OK(registrations);
    census.registrations += registrations->size();
  }
  return census;
}

TEST_CASE("the sqlite store names itself and its schema version", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  CHECK(store->Name() == "sqlite");
  CHECK(store->SchemaVersion() == static_cast<int>(internal::sqlite::DefaultMigrations().size()));
  CHECK(store->SchemaVersion() >= 2);
  WriteBatch empty;
  STORE_CHECK_OK(store->Apply(empty));
}

TEST_CASE("tenants are inserted, read, listed by name, updated and deleted", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(store_test::BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();

  Tenant zulu = MakeTenant("zulu");
  Tenant alpha = MakeTenant("alpha");
  alpha.issuer = "https://alpha.example";
  alpha.data = {{"tier", "gold"}, {"limits", {1, 2, 3}}};
  STORE_REQUIRE_OK(Insert(*store, zulu));
  STORE_REQUIRE_OK(Insert(*store, alpha));

  Result<Tenant> got = store->tenants().Get(alpha.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == alpha);

  Result<std::vector<Tenant>> list = store->tenants().List();
  STORE_REQUIRE_OK(list.status());
  CHECK(Names(*list) == std::vector<std::string>{"alpha", "zulu"});

  alpha.name = "omega";
  alpha.last_update_instant = At(100);
  WriteBatch update;
  update.Update(alpha);
  STORE_REQUIRE_OK(store->Apply(update));
  got = store->tenants().Get(alpha.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == alpha);
  list = store->tenants().List();
  STORE_REQUIRE_OK(list.status());
  CHECK(Names(*list) == std::vector<std::string>{"omega", "zulu"});

  WriteBatch remove;
  remove.Delete(zulu.id);
  STORE_REQUIRE_OK(store->Apply(remove));
  CHECK(store->tenants().Get(zulu.id).status().code() == StatusCode::kNotFound);
  CHECK(store->tenants().List()->size() == 1);
}

TEST_CASE("applications keep their roles and list by tenant in name order", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  STORE_REQUIRE_OK(Insert(*store, other));

  Application forum = MakeApplication(tenant, "forum", {"admin", "member"});
  forum.roles[1].is_default = true;
  forum.roles[0].is_super_role = true;
  forum.roles[0].description = "does everything";
  forum.data = {{"color", "blue"}};
  const Application blog = MakeApplication(tenant, "blog");
  const Application elsewhere = MakeApplication(other, "aaa");
  STORE_REQUIRE_OK(Insert(*store, forum));
  STORE_REQUIRE_OK(Insert(*store, blog));
  STORE_REQUIRE_OK(Insert(*store, elsewhere));

  Result<Application> got = store->applications().Get(forum.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == forum);

  Result<std::vector<Application>> list = store->applications().ListByTenant(tenant.id);
  STORE_REQUIRE_OK(list.status());
  CHECK(Names(*list) == std::vector<std::string>{"blog", "forum"});
  CHECK(store->applications().ListByTenant(NewId<TenantId>())->empty());

  forum.name = "agora";
  forum.active = false;
  forum.roles.push_back(MakeRole("guest"));
  WriteBatch update;
  update.Update(forum);
  STORE_REQUIRE_OK(store->Apply(update));
  got = store->applications().Get(forum.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == forum);
  CHECK(Names(*store->applications().ListByTenant(tenant.id)) ==
        std::vector<std::string>{"agora", "blog"});

  WriteBatch remove;
  remove.Delete(blog.id);
  STORE_REQUIRE_OK(store->Apply(remove));
  CHECK(store->applications().Get(blog.id).status().code() == StatusCode::kNotFound);
}

TEST_CASE("users round-trip with their password hash and are found by email or username",
          "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  const Application app = MakeApplication(tenant, "app");
  STORE_REQUIRE_OK(Insert(*store, app));

  User user = MakeUser(tenant, "Ada.Lovelace@Example.com", "Countess");
  user.password = "plaintext never stored";
  user.data = {{"favorite", {{"engine", "analytical"}}}};
  user.preferred_languages = {"en", "it"};
  user.registrations.push_back(MakeRegistration(app));  // not stored by a user insert
  STORE_REQUIRE_OK(Insert(*store, user));

  Result<User> got = store->users().Get(user.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == Stored(user));
  CHECK(got->password.empty());
  CHECK(got->password_hash == user.password_hash);
  CHECK(got->registrations.empty());
  CHECK(store->registrations().ListByUser(user.id)->empty());

  for (std::string_view email :
       {"ada.lovelace@example.com", "ADA.LOVELACE@EXAMPLE.COM", "Ada.Lovelace@Example.com"}) {
    INFO(email);
    Result<User> found = store->users().FindByEmail(tenant.id, email);
    STORE_REQUIRE_OK(found.status());
    CHECK(found->id == user.id);
  }
  Result<User> by_username = store->users().FindByUsername(tenant.id, "countess");
  STORE_REQUIRE_OK(by_username.status());
  CHECK(by_username->id == user.id);

  CHECK(store->users().FindByEmail(tenant.id, "nobody@example.com").status().code() ==
        StatusCode::kNotFound);
  CHECK(store->users().FindByEmail(tenant.id, "").status().code() == StatusCode::kNotFound);
  CHECK(store->users().FindByUsername(tenant.id, "").status().code() == StatusCode::kNotFound);
  CHECK(store->users().FindByEmail(NewId<TenantId>(), user.email).status().code() ==
        StatusCode::kNotFound);
  CHECK(*store->users().CountByTenant(tenant.id) == 1);
  CHECK(*store->users().CountByTenant(NewId<TenantId>()) == 0);

  user.email = "ada@example.com";
  user.username.clear();
  user.password_hash.hash = "bmV3aGFzaA==";
  WriteBatch update;
  update.Update(user);
  STORE_REQUIRE_OK(store->Apply(update));
  got = store->users().Get(user.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == Stored(user));
  CHECK(store->users().FindByEmail(tenant.id, "ada.lovelace@example.com").status().code() ==
        StatusCode::kNotFound);
  CHECK(store->users().FindByUsername(tenant.id, "countess").status().code() ==
        StatusCode::kNotFound);
  CHECK(store->users().FindByEmail(tenant.id, "ADA@example.com").ok());

  WriteBatch remove;
  remove.Delete(user.id);
  STORE_REQUIRE_OK(store->Apply(remove));
  CHECK(store->users().Get(user.id).status().code() == StatusCode::kNotFound);
  CHECK(*store->users().CountByTenant(tenant.id) == 0);
}

TEST_CASE("registrations keep their roles in the order given and list in insert order", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Application forum = MakeApplication(tenant, "forum", {"admin", "member", "viewer"});
  const Application blog = MakeApplication(tenant, "blog", {"author"});
  const Application shop = MakeApplication(tenant, "shop");
  const User user = MakeUser(tenant, "u@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(forum);
  setup.Insert(blog);
  setup.Insert(shop);
  setup.Insert(user);
  STORE_REQUIRE_OK(store->Apply(setup));

  Registration on_forum = MakeRegistration(forum, {"viewer", "admin", "viewer"}, 30);
  on_forum.username = "ada-forum";
  on_forum.data = {{"karma", 7}};
  on_forum.preferred_languages = {"fr"};
  on_forum.verified = true;
  const Registration on_blog = MakeRegistration(blog, {"author"}, 10);
  const Registration on_shop = MakeRegistration(shop, {}, 20);
  WriteBatch batch;
  batch.Insert(user.id, on_forum);
  batch.Insert(user.id, on_blog);
  batch.Insert(user.id, on_shop);
  STORE_REQUIRE_OK(store->Apply(batch));

  Registration expected = on_forum;
  expected.roles = {"viewer", "admin"};  // a set: repeats dropped, first position kept
  Result<Registration> got = store->registrations().Get(user.id, forum.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == expected);

  Result<std::vector<Registration>> list = store->registrations().ListByUser(user.id);
  STORE_REQUIRE_OK(list.status());
  REQUIRE(list->size() == 3);
  CHECK((*list)[0] == on_blog);
  CHECK((*list)[1] == on_shop);
  CHECK((*list)[2] == expected);

  expected.roles = {"member"};
  expected.data = {{"karma", 8}};
  WriteBatch update;
  update.Update(user.id, expected);
  STORE_REQUIRE_OK(store->Apply(update));
  got = store->registrations().Get(user.id, forum.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == expected);

  WriteBatch remove;
  remove.Delete(user.id, blog.id);
  STORE_REQUIRE_OK(store->Apply(remove));
  CHECK(store->registrations().Get(user.id, blog.id).status().code() == StatusCode::kNotFound);
  CHECK(store->registrations().ListByUser(user.id)->size() == 2);
  CHECK(store->registrations().ListByUser(NewId<UserId>())->empty());
}

TEST_CASE(
    "inserting an existing id is kAlreadyExists; updating or deleting a missing object "
    "is kNotFound",
    "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Application app = MakeApplication(tenant, "app");
  const User user = MakeUser(tenant, "u@example.com");
  const Registration registration = MakeRegistration(app);
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(app);
  setup.Insert(user);
  setup.Insert(user.id, registration);
  STORE_REQUIRE_OK(store->Apply(setup));

  SECTION("insert existing") {
    Tenant tenant_again = tenant;
    tenant_again.name = "another name";
    Status s = Insert(*store, tenant_again);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "tenant.id"));

    s = Insert(*store, app);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "application.id"));

    User user_again = user;
    user_again.email = "other@example.com";
    s = Insert(*store, user_again);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.id"));

    const Application second = MakeApplication(tenant, "second");
    STORE_REQUIRE_OK(Insert(*store, second));
    Registration same_id = MakeRegistration(second);
    same_id.id = registration.id;
    s = Insert(*store, user.id, same_id);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "registration.id"));
  }
  SECTION("update missing") {
    WriteBatch b1;
    b1.Update(MakeTenant("ghost"));
    CHECK(store->Apply(b1).code() == StatusCode::kNotFound);
    WriteBatch b2;
    b2.Update(MakeApplication(tenant, "ghost"));
    CHECK(store->Apply(b2).code() == StatusCode::kNotFound);
    WriteBatch b3;
    b3.Update(MakeUser(tenant, "ghost@example.com"));
    CHECK(store->Apply(b3).code() == StatusCode::kNotFound);
    const Application unregistered = MakeApplication(tenant, "unregistered");
    STORE_REQUIRE_OK(Insert(*store, unregistered));
    WriteBatch b4;
    b4.Update(user.id, MakeRegistration(unregistered));
    CHECK(store->Apply(b4).code() == StatusCode::kNotFound);
  }
  SECTION("delete missing") {
    WriteBatch b1;
    b1.Delete(NewId<TenantId>());
    CHECK(store->Apply(b1).code() == StatusCode::kNotFound);
    WriteBatch b2;
    b2.Delete(NewId<ApplicationId>());
    CHECK(store->Apply(b2).code() == StatusCode::kNotFound);
    WriteBatch b3;
    b3.Delete(NewId<UserId>());
    CHECK(store->Apply(b3).code() == StatusCode::kNotFound);
    WriteBatch b4;
    b4.Delete(user.id, NewId<ApplicationId>());
    CHECK(store->Apply(b4).code() == StatusCode::kNotFound);
  }
  SECTION("read missing") {
    CHECK(store->tenants().Get(NewId<TenantId>()).status().code() == StatusCode::kNotFound);
    CHECK(store->applications().Get(NewId<ApplicationId>()).status().code() ==
          StatusCode::kNotFound);
    CHECK(store->users().Get(NewId<UserId>()).status().code() == StatusCode::kNotFound);
    CHECK(store->registrations().Get(user.id, NewId<ApplicationId>()).status().code() ==
          StatusCode::kNotFound);
    // A swapped id never finds anything.
    CHECK(store->users().Get(UserId(app.id.uuid())).status().code() == StatusCode::kNotFound);
  }
  SECTION("nil ids are refused") {
    Tenant nil_tenant = MakeTenant("nil");
    nil_tenant.id = TenantId();
    Status s = Insert(*store, nil_tenant);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("missing", "tenant.id"));
    User nil_user = MakeUser(tenant, "nil@example.com");
    nil_user.id = UserId();
    CHECK(Insert(*store, nil_user).errors().HasField("missing", "user.id"));
    Application nil_role = MakeApplication(tenant, "nil role", {"r"});
    nil_role.roles[0].id = RoleId();
    CHECK(Insert(*store, nil_role).errors().HasField("missing", "role.id"));
  }
}

TEST_CASE("tenant names are unique", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  Tenant first = MakeTenant("acme");
  Tenant second = MakeTenant("globex");
  STORE_REQUIRE_OK(Insert(*store, first));
  STORE_REQUIRE_OK(Insert(*store, second));

  Status s = Insert(*store, MakeTenant("acme"));
  CHECK(s.code() == StatusCode::kAlreadyExists);
  CHECK(s.errors().HasField("duplicate", "tenant.name"));

  second.name = "acme";
  WriteBatch rename;
  rename.Update(second);
  s = store->Apply(rename);
  CHECK(s.code() == StatusCode::kAlreadyExists);
  CHECK(s.errors().HasField("duplicate", "tenant.name"));

  // Keeping one's own name is not a duplicate.
  first.issuer = "https://acme.example";
  WriteBatch keep;
  keep.Update(first);
  STORE_CHECK_OK(store->Apply(keep));
}

TEST_CASE("emails and usernames are unique per tenant, ignoring ASCII case", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  STORE_REQUIRE_OK(Insert(*store, other));
  User ada = MakeUser(tenant, "ada@example.com", "ada");
  STORE_REQUIRE_OK(Insert(*store, ada));

  SECTION("same email, other case") {
    Status s = Insert(*store, MakeUser(tenant, "ADA@Example.COM"));
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.email"));
    CHECK_FALSE(s.errors().HasField("duplicate", "user.username"));
  }
  SECTION("same username, other case") {
    Status s = Insert(*store, MakeUser(tenant, "b@example.com", "ADA"));
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.username"));
    CHECK_FALSE(s.errors().HasField("duplicate", "user.email"));
  }
  SECTION("both at once are both reported") {
    Status s = Insert(*store, MakeUser(tenant, "Ada@example.com", "Ada"));
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.email"));
    CHECK(s.errors().HasField("duplicate", "user.username"));
  }
  SECTION("another tenant may reuse both") {
    STORE_CHECK_OK(Insert(*store, MakeUser(other, "ada@example.com", "ada")));
  }
  SECTION("users without email or username do not collide") {
    STORE_CHECK_OK(Insert(*store, MakeUser(tenant, "", "only-username")));
    STORE_CHECK_OK(Insert(*store, MakeUser(tenant, "", "another-username")));
    STORE_CHECK_OK(Insert(*store, MakeUser(tenant, "only-email@example.com", "")));
  }
  SECTION("an update cannot take another user's email") {
    User bob = MakeUser(tenant, "bob@example.com", "bob");
    STORE_REQUIRE_OK(Insert(*store, bob));
    bob.email = "Ada@Example.com";
    WriteBatch update;
    update.Update(bob);
    Status s = store->Apply(update);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.email"));
  }
  SECTION("an update may change the case of its own email") {
    ada.email = "ADA@EXAMPLE.COM";
    WriteBatch update;
    update.Update(ada);
    STORE_CHECK_OK(store->Apply(update));
  }
  SECTION("a user cannot move to another tenant") {
    ada.tenant_id = other.id;
    WriteBatch update;
    update.Update(ada);
    Status s = store->Apply(update);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "user.tenantId"));
  }
  SECTION("a user needs an existing tenant") {
    Tenant ghost = MakeTenant("ghost");
    Status s = Insert(*store, MakeUser(ghost, "g@example.com"));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "user.tenantId"));
  }
}

TEST_CASE("role names are unique per application and role ids are unique everywhere", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  const Application first = MakeApplication(tenant, "first", {"admin"});
  STORE_REQUIRE_OK(Insert(*store, first));

  SECTION("two roles with one name") {
    Application app = MakeApplication(tenant, "app", {"admin", "admin"});
    Status s = Insert(*store, app);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "role.name"));
  }
  SECTION("the same name in two applications is fine") {
    STORE_CHECK_OK(Insert(*store, MakeApplication(tenant, "second", {"admin"})));
  }
  SECTION("a role id of another application") {
    Application app = MakeApplication(tenant, "app", {"x"});
    app.roles[0].id = first.roles[0].id;
    Status s = Insert(*store, app);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "role.id"));
  }
  SECTION("one role id twice") {
    Application app = MakeApplication(tenant, "app", {"x", "y"});
    app.roles[1].id = app.roles[0].id;
    CHECK(Insert(*store, app).errors().HasField("duplicate", "role.id"));
  }
  SECTION("an application needs an existing tenant") {
    Status s = Insert(*store, MakeApplication(MakeTenant("ghost"), "app"));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "application.tenantId"));
  }
  SECTION("an application cannot move to another tenant") {
    const Tenant other = MakeTenant("other");
    STORE_REQUIRE_OK(Insert(*store, other));
    Application moved = first;
    moved.tenant_id = other.id;
    WriteBatch update;
    update.Update(moved);
    CHECK(store->Apply(update).errors().HasField("invalid", "application.tenantId"));
  }
}

TEST_CASE("InsertUsers writes users with their registrations, all or nothing", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  const Application forum = MakeApplication(tenant, "forum", {"admin", "member"});
  const Application foreign = MakeApplication(other, "foreign");
  const User existing = MakeUser(tenant, "taken@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(other);
  setup.Insert(forum);
  setup.Insert(foreign);
  setup.Insert(existing);
  STORE_REQUIRE_OK(store->Apply(setup));

  User ada = MakeUser(tenant, "ada@example.com", "ada");
  ada.registrations = {MakeRegistration(forum, {"member", "admin", "member"}, 10)};
  User bob = MakeUser(tenant, "bob@example.com");
  User carol = MakeUser(tenant, "carol@example.com");
  carol.registrations = {MakeRegistration(forum, {}, 20)};
  const auto nothing_written = [&] {
    for (const User& u : {ada, bob, carol}) {
      CHECK(store->users().Get(u.id).status().code() == StatusCode::kNotFound);
      CHECK(store->registrations().ListByUser(u.id)->empty());
    }
    CHECK(REQUIRE_VALUE(store->users().CountByTenant(tenant.id)) == 1);
  };

  SECTION("each user and registration as the single operations store them") {
    WriteBatch batch;
    batch.Insert(std::vector<User>{ada, bob, carol});
    STORE_REQUIRE_OK(store->Apply(batch));
    for (const User& u : {ada, bob, carol}) {
      Result<User> got = store->users().Get(u.id);
      STORE_REQUIRE_OK(got.status());
      CHECK(*got == Stored(u));
    }
    CHECK(REQUIRE_VALUE(store->users().FindByUsername(tenant.id, "ADA")).id == ada.id);
    Registration expected = ada.registrations[0];
    expected.roles = {"member", "admin"};
    CHECK(REQUIRE_VALUE(store->registrations().Get(ada.id, forum.id)) == expected);
    CHECK(REQUIRE_VALUE(store->registrations().Get(carol.id, forum.id)) == carol.registrations[0]);
    CHECK(store->registrations().ListByUser(bob.id)->empty());
    CHECK(REQUIRE_VALUE(store->users().CountByTenant(tenant.id)) == 4);
  }
  SECTION("a taken email refuses the batch") {
    carol.email = "TAKEN@example.com";
    WriteBatch batch;
    batch.Insert(std::vector<User>{ada, bob, carol});
    const Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.email"));
    nothing_written();
  }
  SECTION("a registration for another tenant's application refuses the batch") {
    carol.registrations = {MakeRegistration(foreign)};
    WriteBatch batch;
    batch.Insert(std::vector<User>{ada, bob, carol});
    const Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.applicationId"));
    nothing_written();
  }
  SECTION("a registration id used twice refuses the batch") {
    carol.registrations[0].id = ada.registrations[0].id;
    WriteBatch batch;
    batch.Insert(std::vector<User>{ada, bob, carol});
    const Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "registration.id"));
    nothing_written();
  }
  SECTION("an unknown role refuses the batch") {
    ada.registrations[0].roles = {"member", "wizard"};
    WriteBatch batch;
    batch.Insert(std::vector<User>{ada, bob, carol});
    const Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.roles"));
    nothing_written();
  }
}

TEST_CASE("registrations need their user, an application of the user's tenant and known roles",
          "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  const Application app = MakeApplication(tenant, "app", {"admin"});
  const Application foreign = MakeApplication(other, "foreign");
  const User user = MakeUser(tenant, "u@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(other);
  setup.Insert(app);
  setup.Insert(foreign);
  setup.Insert(user);
  STORE_REQUIRE_OK(store->Apply(setup));

  SECTION("one registration per user and application") {
    STORE_REQUIRE_OK(Insert(*store, user.id, MakeRegistration(app)));
    Status s = Insert(*store, user.id, MakeRegistration(app));
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "registration"));
  }
  SECTION("the application must exist") {
    Status s = Insert(*store, user.id, MakeRegistration(MakeApplication(tenant, "ghost")));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.applicationId"));
  }
  SECTION("the application must be in the user's tenant") {
    Status s = Insert(*store, user.id, MakeRegistration(foreign));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.applicationId"));
  }
  SECTION("the user must exist") {
    Status s = Insert(*store, NewId<UserId>(), MakeRegistration(app));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.userId"));
  }
  SECTION("roles must be roles of the application") {
    Status s = Insert(*store, user.id, MakeRegistration(app, {"admin", "wizard"}));
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.roles"));
    CHECK(store->registrations().ListByUser(user.id)->empty());
  }
}

// Users and registrations are inserted without reading first: the schema's constraints refuse
// a taken key, and the refused row then takes the checked path. What the caller hears is what
// the checks alone said, in their order.
TEST_CASE("inserts refused by the schema report the violations the checks name", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  const Application app = MakeApplication(tenant, "app", {"admin"});
  const Application other_app = MakeApplication(other, "other app");
  const User ada = MakeUser(tenant, "ada@example.com", "ada");
  const Registration registered = MakeRegistration(app);
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(other);
  setup.Insert(app);
  setup.Insert(other_app);
  setup.Insert(ada);
  setup.Insert(ada.id, registered);
  STORE_REQUIRE_OK(store->Apply(setup));
  const Census before = Count(*store, {ada.id});

  SECTION("a taken user id") {
    User twin = MakeUser(tenant, "twin@example.com");
    twin.id = ada.id;
    Status s = Insert(*store, twin);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.id"));
  }
  SECTION("a taken user id comes before an unknown tenant") {
    User twin = MakeUser(MakeTenant("ghost"), "twin@example.com");
    twin.id = ada.id;
    Status s = Insert(*store, twin);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.id"));
    CHECK_FALSE(s.errors().HasField("invalid", "user.tenantId"));
  }
  SECTION("a taken registration id, after a user the batch inserted") {
    const User bob = MakeUser(tenant, "bob@example.com");
    Registration r = MakeRegistration(app);
    r.id = registered.id;
    WriteBatch batch;
    batch.Insert(bob);
    batch.Insert(bob.id, r);
    Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "registration.id"));
    CHECK(store->users().Get(bob.id).status().code() == StatusCode::kNotFound);
  }
  SECTION("a second registration for the application comes before an unknown role") {
    Status s = Insert(*store, ada.id, MakeRegistration(app, {"wizard"}));
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "registration"));
    CHECK_FALSE(s.errors().HasField("invalid", "registration.roles"));
  }
  SECTION("a registration for an application of another tenant than the new user's") {
    const User bob = MakeUser(tenant, "bob@example.com");
    WriteBatch batch;
    batch.Insert(bob);
    batch.Insert(bob.id, MakeRegistration(other_app));
    Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.applicationId"));
  }
  SECTION("a registration of a user the batch inserted, then deleted") {
    const User bob = MakeUser(tenant, "bob@example.com");
    WriteBatch batch;
    batch.Insert(bob);
    batch.Delete(bob.id);
    batch.Insert(bob.id, MakeRegistration(app));
    Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.userId"));
  }
  SECTION("a registration of a user whose tenant the batch deleted") {
    const User carol = MakeUser(other, "carol@example.com");
    WriteBatch batch;
    batch.Insert(carol);
    batch.Delete(other.id);
    batch.Insert(carol.id, MakeRegistration(other_app));
    Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.userId"));
  }
  SECTION("users and their registrations in one batch, with roles") {
    const User bob = MakeUser(tenant, "bob@example.com", "bob");
    const User carol = MakeUser(tenant, "carol@example.com");
    WriteBatch batch;
    batch.Insert(bob);
    batch.Insert(bob.id, MakeRegistration(app, {"admin", "admin"}));
    batch.Insert(carol);
    batch.Insert(carol.id, MakeRegistration(app));
    batch.Insert(ada.id, MakeRegistration(other_app));  // another tenant's application
    Status s = store->Apply(batch);
    CHECK(s.errors().HasField("invalid", "registration.applicationId"));
    batch.Clear();
    batch.Insert(bob);
    batch.Insert(bob.id, MakeRegistration(app, {"admin", "admin"}));
    batch.Insert(carol);
    batch.Insert(carol.id, MakeRegistration(app));
    STORE_REQUIRE_OK(store->Apply(batch));
    const std::vector<Registration> bobs = REQUIRE_VALUE(store->registrations().ListByUser(bob.id));
    REQUIRE(bobs.size() == 1);
    CHECK(bobs[0].roles == std::vector<std::string>{"admin"});
    CHECK(REQUIRE_VALUE(store->registrations().ListByUser(carol.id)).size() == 1);
    return;
  }
  CHECK(Count(*store, {ada.id}) == before);
}

TEST_CASE("deleting a tenant removes its applications, users and registrations", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant doomed = MakeTenant("doomed");
  const Tenant kept = MakeTenant("kept");
  const Application doomed_app = MakeApplication(doomed, "app", {"r"});
  const Application kept_app = MakeApplication(kept, "app", {"r"});
  const User doomed_user = MakeUser(doomed, "same@example.com");
  const User kept_user = MakeUser(kept, "same@example.com");
  WriteBatch setup;
  setup.Insert(doomed);
  setup.Insert(kept);
  setup.Insert(doomed_app);
  setup.Insert(kept_app);
  setup.Insert(doomed_user);
  setup.Insert(kept_user);
  setup.Insert(doomed_user.id, MakeRegistration(doomed_app, {"r"}));
  setup.Insert(kept_user.id, MakeRegistration(kept_app, {"r"}));
  STORE_REQUIRE_OK(store->Apply(setup));

  WriteBatch remove;
  remove.Delete(doomed.id);
  STORE_REQUIRE_OK(store->Apply(remove));

  CHECK(store->tenants().Get(doomed.id).status().code() == StatusCode::kNotFound);
  CHECK(store->applications().Get(doomed_app.id).status().code() == StatusCode::kNotFound);
  CHECK(store->users().Get(doomed_user.id).status().code() == StatusCode::kNotFound);
  CHECK(store->registrations().ListByUser(doomed_user.id)->empty());
  CHECK(Count(*store, {doomed_user.id, kept_user.id}) ==
        Census{.tenants = 1, .applications = 1, .users = 1, .registrations = 1});
  // The doomed role ids are free again.
  Application reuse = MakeApplication(kept, "reuse");
  reuse.roles = doomed_app.roles;
  STORE_CHECK_OK(Insert(*store, reuse));
}

TEST_CASE("deleting an application or a user removes its registrations", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Application app1 = MakeApplication(tenant, "one", {"r"});
  const Application app2 = MakeApplication(tenant, "two");
  const User ada = MakeUser(tenant, "ada@example.com");
  const User bob = MakeUser(tenant, "bob@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(app1);
  setup.Insert(app2);
  setup.Insert(ada);
  setup.Insert(bob);
  setup.Insert(ada.id, MakeRegistration(app1, {"r"}));
  setup.Insert(ada.id, MakeRegistration(app2));
  setup.Insert(bob.id, MakeRegistration(app1));
  setup.Insert(bob.id, MakeRegistration(app2));
  STORE_REQUIRE_OK(store->Apply(setup));

  SECTION("application") {
    WriteBatch remove;
    remove.Delete(app1.id);
    STORE_REQUIRE_OK(store->Apply(remove));
    for (const User* user : {&ada, &bob}) {
      Result<std::vector<Registration>> left = store->registrations().ListByUser(user->id);
      REQUIRE_OK(left);
      REQUIRE(left->size() == 1);
      CHECK(left->front().application_id == app2.id);
    }
  }
  SECTION("user") {
    WriteBatch remove;
    remove.Delete(ada.id);
    STORE_REQUIRE_OK(store->Apply(remove));
    CHECK(store->registrations().ListByUser(ada.id)->empty());
    CHECK(store->registrations().ListByUser(bob.id)->size() == 2);
    // Re-inserting the user does not bring its registrations back.
    STORE_REQUIRE_OK(Insert(*store, ada));
    CHECK(store->registrations().ListByUser(ada.id)->empty());
  }
}

TEST_CASE("registrations follow role renames and drop deleted roles atomically", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  Application app = MakeApplication(tenant, "app", {"admin", "editor", "viewer"});
  const User user = MakeUser(tenant, "u@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(app);
  setup.Insert(user);
  setup.Insert(user.id, MakeRegistration(app, {"viewer", "editor", "admin"}));
  STORE_REQUIRE_OK(store->Apply(setup));

  SECTION("rename") {
    app.roles[1].name = "author";
    WriteBatch update;
    update.Update(app);
    STORE_REQUIRE_OK(store->Apply(update));
    CHECK(store->registrations().Get(user.id, app.id)->roles ==
          std::vector<std::string>{"viewer", "author", "admin"});
    CHECK(store->applications().Get(app.id)->roles[1].name == "author");
  }
  SECTION("swap two names in one update") {
    std::swap(app.roles[0].name, app.roles[2].name);
    WriteBatch update;
    update.Update(app);
    STORE_REQUIRE_OK(store->Apply(update));
    CHECK(store->registrations().Get(user.id, app.id)->roles ==
          std::vector<std::string>{"admin", "editor", "viewer"});
  }
  SECTION("drop, and reuse the dropped name for a new role") {
    const std::string dropped = app.roles[0].name;
    app.roles.erase(app.roles.begin());
    app.roles.push_back(MakeRole(dropped));
    WriteBatch update;
    update.Update(app);
    STORE_REQUIRE_OK(store->Apply(update));
    // The new "admin" is another role: the registration does not have it.
    CHECK(store->registrations().Get(user.id, app.id)->roles ==
          std::vector<std::string>{"viewer", "editor"});
  }
  SECTION("a failed update leaves roles and registrations as they were") {
    app.roles[1].name = "author";
    app.roles.push_back(MakeRole("author"));  // now two roles named "author"
    WriteBatch update;
    update.Update(app);
    CHECK(store->Apply(update).errors().HasField("duplicate", "role.name"));
    CHECK(store->registrations().Get(user.id, app.id)->roles ==
          std::vector<std::string>{"viewer", "editor", "admin"});
  }
}

TEST_CASE("the default tenant is recorded and cannot be deleted", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  CHECK(store->tenants().DefaultTenantId().status().code() == StatusCode::kNotFound);

  const Tenant first = MakeTenant("default");
  WriteBatch batch;
  batch.Insert(first);
  batch.SetDefault(first.id);
  STORE_REQUIRE_OK(store->Apply(batch));
  Result<TenantId> id = store->tenants().DefaultTenantId();
  STORE_REQUIRE_OK(id.status());
  CHECK(*id == first.id);

  WriteBatch remove;
  remove.Delete(first.id);
  CHECK(store->Apply(remove).code() == StatusCode::kFailedPrecondition);
  CHECK_OK(store->tenants().Get(first.id));

  const Tenant second = MakeTenant("second");
  WriteBatch move;
  move.Insert(second);
  move.SetDefault(second.id);
  move.Delete(first.id);  // no longer the default: allowed, in the same batch
  STORE_REQUIRE_OK(store->Apply(move));
  CHECK(*store->tenants().DefaultTenantId() == second.id);

  WriteBatch missing;
  missing.SetDefault(NewId<TenantId>());
  CHECK(store->Apply(missing).code() == StatusCode::kNotFound);
  CHECK(*store->tenants().DefaultTenantId() == second.id);
}

TEST_CASE("a batch is atomic: when its third operation fails nothing is written", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const User existing = MakeUser(tenant, "taken@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(existing);
  STORE_REQUIRE_OK(store->Apply(setup));
  const Census before = Count(*store, {existing.id});

  const Application app = MakeApplication(tenant, "app", {"r"});
  const User fresh = MakeUser(tenant, "fresh@example.com");
  WriteBatch batch;
  batch.Insert(app);                                     // 1: fine
  batch.Insert(fresh);                                   // 2: fine
  batch.Insert(MakeUser(tenant, "TAKEN@example.com"));   // 3: duplicate email
  batch.Insert(fresh.id, MakeRegistration(app, {"r"}));  // 4: never reached
  Status s = store->Apply(batch);
  CHECK(s.code() == StatusCode::kAlreadyExists);
  CHECK(s.errors().HasField("duplicate", "user.email"));

  CHECK(Count(*store, {existing.id, fresh.id}) == before);
  CHECK(store->applications().Get(app.id).status().code() == StatusCode::kNotFound);
  CHECK(store->users().Get(fresh.id).status().code() == StatusCode::kNotFound);
  // The role ids of the rolled-back application are free.
  STORE_CHECK_OK(Insert(*store, app));
}

TEST_CASE("a batch sees its own earlier operations", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Application app = MakeApplication(tenant, "app", {"r"});
  User user = MakeUser(tenant, "a@example.com");
  WriteBatch batch;
  batch.Insert(tenant);
  batch.Insert(app);
  batch.Insert(user);
  batch.Insert(user.id, MakeRegistration(app, {"r"}));
  user.first_name = "Changed";
  batch.Update(user);
  STORE_REQUIRE_OK(store->Apply(batch));
  CHECK(store->users().Get(user.id)->first_name == "Changed");
  CHECK(store->registrations().ListByUser(user.id)->size() == 1);

  // Insert then delete in one batch leaves nothing; a second insert of the same email then
  // succeeds within that batch.
  const User temp = MakeUser(tenant, "temp@example.com");
  WriteBatch churn;
  churn.Insert(temp);
  churn.Delete(temp.id);
  churn.Insert(MakeUser(tenant, "temp@example.com"));
  STORE_REQUIRE_OK(store->Apply(churn));
  CHECK(store->users().Get(temp.id).status().code() == StatusCode::kNotFound);
  CHECK(store->users().FindByEmail(tenant.id, "temp@example.com").ok());
}

// The backend remembers, within one batch, the tenants and applications it has seen (an
// import asks about the same ones for every user); the batch's own deletes must forget them.
TEST_CASE("a batch that deletes a tenant or an application it used cannot use it again",
          "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Application app = MakeApplication(tenant, "app");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(app);
  STORE_REQUIRE_OK(store->Apply(setup));
  const User ada = MakeUser(tenant, "ada@example.com");
  const User bob = MakeUser(tenant, "bob@example.com");
  STORE_REQUIRE_OK(Insert(*store, ada));
  STORE_REQUIRE_OK(Insert(*store, bob));

  SECTION("the application") {
    WriteBatch batch;
    batch.Insert(ada.id, MakeRegistration(app));
    batch.Delete(app.id);
    batch.Insert(bob.id, MakeRegistration(app));
    const Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "registration.applicationId"));
    // Atomic: the application and ada's registration are still there.
    CHECK(store->applications().Get(app.id).ok());
    CHECK(store->registrations().ListByUser(ada.id)->empty());
  }
  SECTION("the tenant") {
    const Tenant other = MakeTenant("other");
    STORE_REQUIRE_OK(Insert(*store, other));
    WriteBatch batch;
    batch.Insert(MakeUser(other, "carol@example.com"));
    batch.Delete(other.id);
    batch.Insert(MakeUser(other, "dave@example.com"));
    const Status s = store->Apply(batch);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.errors().HasField("invalid", "user.tenantId"));
    CHECK(store->tenants().Get(other.id).ok());
  }
}

TEST_CASE("text that is not valid UTF-8 is refused and nothing is written", "[store]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  User user = MakeUser(tenant, "a@example.com");
  user.first_name = "\xff\xfe";
  Status s = Insert(*store, user);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(store->users().Get(user.id).status().code() == StatusCode::kNotFound);
}

TEST_CASE("a file store reopens with everything, password hash included", "[store]") {
  TestDb db(Backend::kFile);
  const Tenant tenant = MakeTenant("t");
  const Application app = MakeApplication(tenant, "app", {"admin", "member"});
  User user = MakeUser(tenant, "ada@example.com", "ada");
  user.password = "secret";
  Registration registration = MakeRegistration(app, {"member", "admin"});
  {
    auto store = db.Open();
    WriteBatch batch;
    batch.Insert(tenant);
    batch.SetDefault(tenant.id);
    batch.Insert(app);
    batch.Insert(user);
    batch.Insert(user.id, registration);
    STORE_REQUIRE_OK(store->Apply(batch));
  }
  auto store = db.Open();
  CHECK(*store->tenants().Get(tenant.id) == tenant);
  CHECK(*store->tenants().DefaultTenantId() == tenant.id);
  CHECK(*store->applications().Get(app.id) == app);
  Result<User> got = store->users().Get(user.id);
  STORE_REQUIRE_OK(got.status());
  CHECK(*got == Stored(user));
  CHECK(got->password_hash == user.password_hash);
  CHECK_FALSE(got->password_hash.empty());
  CHECK(*store->registrations().Get(user.id, app.id) == registration);
  CHECK(store->users().FindByUsername(tenant.id, "ADA")->id == user.id);
}

TEST_CASE("a store refuses writes while another connection holds the lock, then recovers",
          "[store]") {
  TestDb db(Backend::kFile);
  SqliteStoreOptions options = db.Options();
  options.busy_timeout = std::chrono::milliseconds(0);
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(options);
  REQUIRE_OK(store);
  const Tenant tenant = MakeTenant("t");

  Result<std::unique_ptr<internal::sqlite::Connection>> other =
      internal::sqlite::Connection::Open(db.path(), {});
  REQUIRE_OK(other);
  {
    Result<internal::sqlite::Transaction> held = internal::sqlite::Transaction::Begin(
        **other, internal::sqlite::TransactionKind::kImmediate);
    REQUIRE_OK(held);
    Status s = Insert(**store, tenant);
    CHECK(s.code() == StatusCode::kUnavailable);
    // Readers are not blocked by a writer (WAL).
    STORE_CHECK_OK((*store)->tenants().List().status());
  }
  STORE_CHECK_OK(Insert(**store, tenant));
}

TEST_CASE("a stored document that cannot be read back is kDataLoss", "[store]") {
  TestDb db(Backend::kFile);
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  {
    Result<std::unique_ptr<internal::sqlite::Connection>> raw =
        internal::sqlite::Connection::Open(db.path(), {});
    REQUIRE_OK(raw);
    STORE_REQUIRE_OK((*raw)->ExecScript("UPDATE tenants SET doc = 'not json'"));
  }
  CHECK(store->tenants().Get(tenant.id).status().code() == StatusCode::kDataLoss);
  CHECK(store->tenants().List().status().code() == StatusCode::kDataLoss);
}

}  // namespace
}  // namespace bulwark
