// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch::Iterate and WriteBatch::Handler: the contract a Store applies a batch through
// (write_batch.h), so that operations added later break no host Store.
#include "bulwark/store/write_batch.h"

#include <catch2/catch.hpp>
#include <map>
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

// Records the user and registration operations a default OnInsertUsers makes.
struct UserRecordingHandler final : WriteBatch::Handler {
  std::vector<std::string> seen;
  std::map<UserId, std::string> emails;  // of the users seen, by id
  std::string fail_on;
  Status Note(std::string entry) {
    seen.push_back(entry);
    if (entry == fail_on) return Status::Aborted("failed on purpose");
    return Status::Ok();
  }
  Status OnInsertUser(const WriteBatch::InsertUser& op) override {
    emails[op.user.id] = op.user.email;
    // The default hands the user over without its registrations.
    return Note("user " + op.user.email + " with " + std::to_string(op.user.registrations.size()) +
                " registrations");
  }
  Status OnInsertRegistration(const WriteBatch::InsertRegistration& op) override {
    const auto user = emails.find(op.user_id);
    return Note("registration " + op.registration.data.value("n", std::string()) + " of " +
                (user == emails.end() ? std::string("an unknown user") : user->second));
  }
};

User UserWithRegistrations(const std::string& email, std::initializer_list<const char*> names) {
  User user;
  user.id = NewId<UserId>();
  user.email = email;
  for (const char* name : names) {
    Registration r;
    r.id = NewId<RegistrationId>();
    r.application_id = NewId<ApplicationId>();
    r.data = nlohmann::json{{"n", name}};
    user.registrations.push_back(std::move(r));
  }
  return user;
}

std::vector<User> ThreeUsers() {
  return {UserWithRegistrations("a@example.com", {"a1", "a2"}),
          UserWithRegistrations("b@example.com", {}),
          UserWithRegistrations("c@example.com", {"c1"})};
}

TEST_CASE(
    "InsertUsers means each user, then its registrations, to a Store that does not "
    "implement it",
    "[store][batch]") {
  UserRecordingHandler handler;
  WriteBatch batch;
  batch.Insert(ThreeUsers());
  const std::vector<std::string> all = {
      "user a@example.com with 0 registrations", "registration a1 of a@example.com",
      "registration a2 of a@example.com",        "user b@example.com with 0 registrations",
      "user c@example.com with 0 registrations", "registration c1 of c@example.com"};

  SECTION("in order, without progress") {
    REQUIRE_OK(batch.Iterate(handler));
    CHECK(handler.seen == all);
  }
  SECTION("progress counts each user and each registration, reported in runs") {
    batch.Delete(NewId<KeyId>());  // one operation more, which the handler refuses
    std::vector<std::pair<std::size_t, std::size_t>> reports;
    batch.SetProgress(
        [&](std::size_t applied, std::size_t total) { reports.emplace_back(applied, total); }, 2);
    const Status s = batch.Iterate(handler);
    CHECK(s.code() == StatusCode::kUnimplemented);
    CHECK(s.message() == "this Store does not support DeleteKey");
    CHECK(handler.seen == all);
    // Runs end on a user: a's 3 operations pass 2, b's 1 reaches 4, c's 2 reach 6 (of 7).
    CHECK(reports == std::vector<std::pair<std::size_t, std::size_t>>{{3, 7}, {4, 7}, {6, 7}});
  }
  SECTION("stops at the first error") {
    handler.fail_on = "registration a2 of a@example.com";
    const Status s = batch.Iterate(handler);
    CHECK(s.code() == StatusCode::kAborted);
    CHECK(handler.seen == std::vector<std::string>{"user a@example.com with 0 registrations",
                                                   "registration a1 of a@example.com",
                                                   "registration a2 of a@example.com"});
  }
  SECTION("no users: nothing to call") {
    WriteBatch empty;
    empty.Insert(std::vector<User>{});
    REQUIRE_OK(empty.Iterate(handler));
    CHECK(handler.seen.empty());
  }
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
