// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch::Iterate and WriteBatch::Handler: the contract a Store applies a batch through
// (write_batch.h), so that operations added later break no host Store.
#include "bulwark/store/write_batch.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/store/store_violation.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::MakeTenant;
using store_test::NewId;

// A Handler that overrides nothing: every operation answers the default.
struct NothingHandler final : WriteBatch::Handler {};

// Records the operations it is given, in order, and fails the one numbered `fail_at` (from 1).
struct RecordingHandler final : WriteBatch::Handler {
  std::vector<std::string> seen;
  int fail_at = 0;
  Status Note(std::string name) {
    seen.push_back(std::move(name));
    if (static_cast<int>(seen.size()) == fail_at) return Status::Aborted("failed on purpose");
    return Status::Ok();
  }
  Status OnInsertTenant(const WriteBatch::InsertTenant& op) override {
    return Note("InsertTenant " + op.tenant.name);
  }
  Status OnDeleteKey(const WriteBatch::DeleteKey&) override { return Note("DeleteKey"); }
  Status OnPatchUser(const WriteBatch::PatchUser&) override { return Note("PatchUser"); }
};

TEST_CASE("a Handler's default answers kUnimplemented naming the operation", "[store][batch]") {
  NothingHandler handler;
  struct Case {
    WriteBatch batch;
    std::string operation;
  };
  std::vector<Case> cases;
  auto add = [&](std::string operation, auto fill) {
    Case c;
    c.operation = std::move(operation);
    fill(c.batch);
    cases.push_back(std::move(c));
  };
  add("InsertTenant", [](WriteBatch& b) { b.Insert(MakeTenant("Hooli")); });
  add("DeleteUser", [](WriteBatch& b) { b.Delete(NewId<UserId>()); });
  add("RecordLoginFailure", [](WriteBatch& b) { b.RecordFailedLogin(NewId<UserId>(), At(0)); });
  add("InsertIdentityProviderLink", [](WriteBatch& b) { b.Insert(IdentityProviderLink{}); });
  add("DeletePendingIdPLink", [](WriteBatch& b) {
    b.Add(WriteBatch::DeletePendingIdPLink{"digest", At(0)});
  });
  add("DeleteApiKey", [](WriteBatch& b) { b.Delete(NewId<ApiKeyId>()); });
  for (const Case& c : cases) {
    INFO(c.operation);
    const Status s = c.batch.Iterate(handler);
    CHECK(s.code() == StatusCode::kUnimplemented);
    CHECK(s.message() == "this Store does not support " + c.operation);
  }
}

TEST_CASE("Iterate calls the handler in order and stops at the first error", "[store][batch]") {
  WriteBatch batch;
  batch.Insert(MakeTenant("Hooli"));
  batch.Delete(NewId<KeyId>());
  batch.Insert(MakeTenant("Pied Piper"));
  RecordingHandler handler;

  SECTION("every operation, in order") {
    REQUIRE_OK(batch.Iterate(handler));
    CHECK(handler.seen ==
          std::vector<std::string>{"InsertTenant Hooli", "DeleteKey", "InsertTenant Pied Piper"});
  }
  SECTION("the failing operation's Status, and nothing after it") {
    handler.fail_at = 2;
    const Status s = batch.Iterate(handler);
    CHECK(s.code() == StatusCode::kAborted);
    CHECK(s.message() == "failed on purpose");
    CHECK(handler.seen == std::vector<std::string>{"InsertTenant Hooli", "DeleteKey"});
  }
  SECTION("an empty batch is OK and calls nothing") {
    RecordingHandler idle;
    REQUIRE_OK(WriteBatch().Iterate(idle));
    CHECK(idle.seen.empty());
  }
}

TEST_CASE("Iterate reports progress after each accepted operation", "[store][batch]") {
  WriteBatch batch;
  for (const char* name : {"a", "b", "c", "d", "e"}) batch.Insert(MakeTenant(name));
  std::vector<std::pair<std::size_t, std::size_t>> reports;
  batch.SetProgress(
      [&](std::size_t applied, std::size_t total) { reports.emplace_back(applied, total); }, 2);
  RecordingHandler handler;
  REQUIRE_OK(batch.Iterate(handler));
  CHECK(reports == std::vector<std::pair<std::size_t, std::size_t>>{{2, 5}, {4, 5}, {5, 5}});
}

TEST_CASE("Iterate refuses a patch of a member that cannot be patched before the handler",
          "[store][batch]") {
  RecordingHandler handler;
  for (const char* member :
       {"id", "tenantId", "password", "salt", "encryptionScheme", "factor",
        "passwordChangeRequired", "passwordLastUpdateInstant", "twoFactor", "registrations"}) {
    INFO(member);
    WriteBatch batch;
    batch.Add(WriteBatch::PatchUser{.user_id = NewId<UserId>(), .members = {{member, "x"}}});
    const Status s = batch.Iterate(handler);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(ViolationsOf(s) ==
          std::vector<Violation>{{StoreViolation::kImmutableMember, StoredKind::kUser, member}});
  }
  for (const char* member : {"id", "applicationId"}) {
    INFO(member);
    WriteBatch batch;
    batch.Add(WriteBatch::PatchRegistration{.user_id = NewId<UserId>(),
                                            .application_id = NewId<ApplicationId>(),
                                            .members = {{member, "x"}}});
    CHECK(ViolationsOf(batch.Iterate(handler)) ==
          std::vector<Violation>{
              {StoreViolation::kImmutableMember, StoredKind::kRegistration, member}});
  }
  CHECK(handler.seen.empty());

  WriteBatch allowed;
  allowed.Add(WriteBatch::PatchUser{.user_id = NewId<UserId>(),
                                    .members = {{"firstName", "Richard"}, {"data", nullptr}}});
  REQUIRE_OK(allowed.Iterate(handler));
  CHECK(handler.seen == std::vector<std::string>{"PatchUser"});

  WriteBatch not_an_object;
  not_an_object.Add(WriteBatch::PatchUser{.user_id = NewId<UserId>(), .members = {1, 2}});
  CHECK(not_an_object.Iterate(handler).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a host Store that handles only some operations keeps working for them",
          "[store][batch]") {
  store_test::TestDb db(store_test::Backend::kMemory);
  std::shared_ptr<Store> base = db.Open();
  store_test::TenantsOnlyHostStore host(base);

  Tenant hooli = MakeTenant("Hooli");
  WriteBatch insert;
  insert.Insert(hooli);
  REQUIRE_OK(host.Apply(insert));
  CHECK(REQUIRE_VALUE(base->tenants().Get(hooli.id)).name == "Hooli");

  hooli.name = "Hooli XYZ";
  WriteBatch update;
  update.Update(hooli);
  REQUIRE_OK(host.Apply(update));
  CHECK(REQUIRE_VALUE(base->tenants().Get(hooli.id)).name == "Hooli XYZ");

  SECTION("an operation it does not handle is kUnimplemented and writes nothing") {
    const Tenant piper = MakeTenant("Pied Piper");
    WriteBatch mixed;
    mixed.Insert(piper);
    mixed.Insert(store_test::MakeUser(piper, "richard@piedpiper.com"));
    const Status s = host.Apply(mixed);
    CHECK(s.code() == StatusCode::kUnimplemented);
    CHECK(s.message() == "this Store does not support InsertUser");
    CHECK(base->tenants().Get(piper.id).status().code() == StatusCode::kNotFound);
  }
  SECTION("the store's own rules still answer through it") {
    WriteBatch again;
    again.Insert(MakeTenant("Hooli XYZ"));
    const Status s = host.Apply(again);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "tenant.name"));
  }
}

}  // namespace
}  // namespace bulwark
