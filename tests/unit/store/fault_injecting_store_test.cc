// SPDX-License-Identifier: Apache-2.0
//
// testing::FaultInjectingStore, and through it: a failure at any write statement of a batch,
// or at its commit, leaves the store exactly as it was.
#include "bulwark/testing/fault_injecting_store.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/store/store_test_support.h"

namespace bulwark::testing {
namespace {

using store_test::Backend;
using store_test::Insert;
using store_test::IsInjected;
using store_test::MakeApplication;
using store_test::MakeRegistration;
using store_test::MakeRole;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::OpenFaulty;
using store_test::Stored;
using store_test::TestDb;

// Everything readable about a fixed set of objects, for "nothing changed" comparisons.
struct Snapshot {
  std::vector<Tenant> tenants;
  std::vector<Application> applications;
  std::vector<User> users;
  std::vector<std::vector<Registration>> registrations;
  std::vector<std::string> missing;  // what could not be read

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

Snapshot Take(Store& store, const std::vector<TenantId>& tenants,
              const std::vector<UserId>& users) {
  Snapshot snapshot;
  Result<std::vector<Tenant>> all = store.tenants().List();
  REQUIRE_OK(all);
  snapshot.tenants = *all;
  for (const TenantId& tenant : tenants) {
    Result<std::vector<Application>> applications = store.applications().ListByTenant(tenant);
    REQUIRE_OK(applications);
    snapshot.applications.insert(snapshot.applications.end(), applications->begin(),
                                 applications->end());
  }
  for (const UserId& user : users) {
    Result<User> got = store.users().Get(user);
    if (got.ok()) {
      snapshot.users.push_back(*got);
    } else {
      REQUIRE(got.status().code() == StatusCode::kNotFound);
      snapshot.missing.push_back(user.ToString());
    }
    Result<std::vector<Registration>> registrations = store.registrations().ListByUser(user);
    REQUIRE_OK(registrations);
    snapshot.registrations.push_back(*registrations);
  }
  return snapshot;
}

TEST_CASE("reads fail while FailReads is set", "[store][fault]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = OpenFaulty(db);
  const Tenant tenant = MakeTenant("t");
  const Application app = MakeApplication(tenant, "app");
  const User user = MakeUser(tenant, "a@example.com", "a");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(app);
  setup.Insert(user);
  setup.Insert(user.id, MakeRegistration(app));
  STORE_REQUIRE_OK(store->Apply(setup));

  store->FailReads(true);
  CHECK(IsInjected(store->tenants().Get(tenant.id).status()));
  CHECK(IsInjected(store->tenants().List().status()));
  CHECK(IsInjected(store->tenants().DefaultTenantId().status()));
  CHECK(IsInjected(store->applications().Get(app.id).status()));
  CHECK(IsInjected(store->applications().ListByTenant(tenant.id).status()));
  CHECK(IsInjected(store->users().Get(user.id).status()));
  CHECK(IsInjected(store->users().FindByEmail(tenant.id, user.email).status()));
  CHECK(IsInjected(store->users().FindByUsername(tenant.id, user.username).status()));
  CHECK(IsInjected(store->users().CountByTenant(tenant.id).status()));
  CHECK(IsInjected(store->registrations().Get(user.id, app.id).status()));
  CHECK(IsInjected(store->registrations().ListByUser(user.id).status()));
  CHECK(IsInjected(store->keys().Get(KeyId()).status()));
  CHECK(IsInjected(store->keys().FindByKid("kid").status()));
  CHECK(IsInjected(store->keys().List().status()));
  CHECK(IsInjected(store->refresh_tokens().Get(RefreshTokenId()).status()));
  CHECK(IsInjected(store->refresh_tokens().FindByToken("digest").status()));
  CHECK(IsInjected(store->refresh_tokens().FindByPreviousToken("digest").status()));
  CHECK(IsInjected(store->refresh_tokens().ListByUser(user.id).status()));
  CHECK(IsInjected(store->user_actions().ListInForce(user.id, Instant()).status()));
  CHECK(IsInjected(store->user_actions().CountLoginFailuresSince(user.id, Instant()).status()));
  CHECK(IsInjected(store->user_actions().ListLoginRecords(user.id, 10).status()));
  CHECK_OK(store->base().keys().List());
  // The wrapped store is unaffected, and so are writes.
  CHECK_OK(store->base().users().Get(user.id));
  STORE_CHECK_OK(Insert(*store, MakeTenant("other")));

  store->ClearFaults();
  CHECK_OK(store->users().Get(user.id));
}

TEST_CASE("Apply fails while FailApply is set and writes nothing", "[store][fault]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = OpenFaulty(db);
  const Tenant tenant = MakeTenant("t");
  store->FailApply(true);
  CHECK(IsInjected(Insert(*store, tenant)));
  CHECK(store->write_statements() == 0);
  store->FailApply(false);
  CHECK(store->tenants().Get(tenant.id).status().code() == StatusCode::kNotFound);
  STORE_CHECK_OK(Insert(*store, tenant));
}

TEST_CASE("a fault at any write statement of a batch leaves nothing half-written",
          "[store][fault]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = OpenFaulty(db);

  // Existing state that the batch changes, so that updates and deletes are covered too.
  const Tenant tenant = MakeTenant("t");
  Application app = MakeApplication(tenant, "app", {"admin", "member", "viewer"});
  User ada = MakeUser(tenant, "ada@example.com");
  const User bob = MakeUser(tenant, "bob@example.com");
  WriteBatch setup;
  setup.Insert(tenant);
  setup.Insert(app);
  setup.Insert(ada);
  setup.Insert(bob);
  setup.Insert(ada.id, MakeRegistration(app, {"admin", "member"}));
  setup.Insert(bob.id, MakeRegistration(app, {"viewer"}));
  STORE_REQUIRE_OK(store->Apply(setup));

  const Tenant new_tenant = MakeTenant("new");
  const Application new_app = MakeApplication(new_tenant, "new app", {"x", "y"});
  const User carol = MakeUser(new_tenant, "carol@example.com");
  app.roles[0].name = "owner";             // rename
  app.roles.erase(app.roles.begin() + 2);  // drop "viewer" (bob loses it)
  app.roles.push_back(MakeRole("guest"));  // add
  ada.first_name = "Augusta";
  WriteBatch batch;
  batch.Insert(new_tenant);
  batch.Insert(new_app);
  batch.Insert(carol);
  batch.Insert(carol.id, MakeRegistration(new_app, {"y", "x"}));
  batch.Update(app);
  batch.Update(ada);
  batch.Update(ada.id, MakeRegistration(app, {"guest"}));
  batch.Delete(bob.id);
  batch.SetDefault(new_tenant.id);

  const std::vector<TenantId> tenants = {tenant.id, new_tenant.id};
  const std::vector<UserId> users = {ada.id, bob.id, carol.id};
  const Snapshot before = Take(*store, tenants, users);

  // Count the batch's write statements on a scratch copy of the same state.
  std::int64_t statements = 0;
  {
    TestDb scratch_db(Backend::kMemory);
    auto scratch = OpenFaulty(scratch_db);
    STORE_REQUIRE_OK(scratch->Apply(setup));
    const std::int64_t start = scratch->write_statements();
    STORE_REQUIRE_OK(scratch->Apply(batch));
    statements = scratch->write_statements() - start;
  }
  REQUIRE(statements >= 15);

  for (std::int64_t n = 1; n <= statements; ++n) {
    INFO("failing write statement " << n << " of " << statements);
    store->FailWriteStatement(n);
    const Status s = store->Apply(batch);
    CHECK(IsInjected(s));
    CHECK(Take(*store, tenants, users) == before);
  }
  store->FailCommit(true);
  CHECK(IsInjected(store->Apply(batch)));
  CHECK(Take(*store, tenants, users) == before);

  store->ClearFaults();
  STORE_REQUIRE_OK(store->Apply(batch));
  const Snapshot after = Take(*store, tenants, users);
  CHECK_FALSE(after == before);
  CHECK(*store->users().Get(ada.id) == Stored(ada));
  CHECK(store->users().Get(bob.id).status().code() == StatusCode::kNotFound);
  CHECK(store->registrations().Get(ada.id, app.id)->roles == std::vector<std::string>{"guest"});
  CHECK(store->registrations().Get(carol.id, new_app.id)->roles ==
        std::vector<std::string>{"y", "x"});
  CHECK(*store->tenants().DefaultTenantId() == new_tenant.id);
}

TEST_CASE("a write-statement fault fires once", "[store][fault]") {
  TestDb db(Backend::kMemory);
  auto store = OpenFaulty(db);
  store->FailWriteStatement(1);
  CHECK(IsInjected(Insert(*store, MakeTenant("a"))));
  STORE_CHECK_OK(Insert(*store, MakeTenant("a")));
  CHECK(store->write_statements() == 2);
}

TEST_CASE("a wrapper around any store forwards everything", "[store][fault]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  FaultInjectingStore store(db.Open());
  CHECK(store.Name() == "sqlite");
  CHECK(store.SchemaVersion() == store.base().SchemaVersion());
  const Tenant tenant = MakeTenant("t");
  store.FailWriteStatement(1);  // no effect: the wrapped store has no injector
  STORE_REQUIRE_OK(Insert(store, tenant));
  CHECK(store.write_statements() == 0);
  CHECK(*store.tenants().Get(tenant.id) == tenant);
  store.FailApply(true);
  CHECK(IsInjected(Insert(store, MakeTenant("u"))));
}

}  // namespace
}  // namespace bulwark::testing
