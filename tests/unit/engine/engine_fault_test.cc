// SPDX-License-Identifier: Apache-2.0
// Storage failures surface as errors from the services and leave nothing half-written.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "bulwark/engine.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/manual_clock.h"
#include "bulwark/testing/recording_event_sink.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark {
namespace {

struct FaultyEngine {
  std::shared_ptr<testing::FaultInjectingStore> store;
  std::shared_ptr<testing::RecordingEventSink> events =
      std::make_shared<testing::RecordingEventSink>();
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  std::unique_ptr<Engine> engine;

  FaultyEngine() {
    store = REQUIRE_VALUE(testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"}));
    engine = Engine::Open({.store = store,
                           .clock = clock,
                           .event_sink = events})
                 .value();
    Tenant t = REQUIRE_VALUE(engine->tenants().Retrieve(engine->default_tenant_id()));
    t.password_encryption_configuration.encryption_scheme_factor = 1000;
    REQUIRE_OK(engine->tenants().Update(t));
  }
};

User NewUser(const char* email) {
  User u;
  u.email = email;
  u.password = "a sufficiently long password";
  return u;
}

TEST_CASE("a failure at any write of Register leaves neither user nor registration",
          "[engine][fault]") {
  FaultyEngine f;
  Application app;
  app.name = "App";
  ApplicationRole role;
  role.name = "member";
  role.is_default = true;
  app.roles = {role};
  app = REQUIRE_VALUE(f.engine->applications().Create(app));
  Registration reg;
  reg.application_id = app.id;

  int failures = 0;
  for (std::int64_t n = 1; n < 100; ++n) {
    INFO("failing write statement " << n);
    f.store->ClearFaults();
    f.store->FailWriteStatement(n);
    const std::int64_t before = f.store->write_statements();
    Result<UserRegistration> r =
        f.engine->registrations().Register(NewUser("gavin@example.com"), reg);
    if (r.ok()) {
      // n is past the batch's last statement: every earlier n was a real mid-batch failure.
      CHECK(f.store->write_statements() - before < n);
      break;
    }
    ++failures;
    CHECK(r.status().code() == StatusCode::kUnavailable);
    CHECK(f.engine->users()
              .RetrieveByEmail(f.engine->default_tenant_id(), "gavin@example.com")
              .status()
              .code() == StatusCode::kNotFound);
    CHECK(f.events->Count(EventType::kUserCreate) == 0);
  }
  CHECK(failures >= 2);  // at least the user row and the registration row
  CHECK(f.engine->users()
            .RetrieveByEmail(f.engine->default_tenant_id(), "gavin@example.com")
            ->registrations.size() == 1);
  CHECK(f.events->Count(EventType::kUserCreate) == 1);
}

TEST_CASE("a failed commit of a cascading tenant delete keeps everything", "[engine][fault]") {
  FaultyEngine f;
  Tenant t;
  t.name = "Keep me";
  t = REQUIRE_VALUE(f.engine->tenants().Create(t));
  Application app;
  app.name = "Kept";
  app.tenant_id = t.id;
  app = REQUIRE_VALUE(f.engine->applications().Create(app));
  User u = NewUser("kept@example.com");
  u.tenant_id = t.id;
  Registration reg;
  reg.application_id = app.id;
  UserRegistration ur = REQUIRE_VALUE(f.engine->registrations().Register(u, reg));

  f.store->FailCommit(true);
  CHECK(f.engine->tenants().Delete(t.id).code() == StatusCode::kUnavailable);
  f.store->ClearFaults();
  CHECK_OK(f.engine->tenants().Retrieve(t.id));
  CHECK_OK(f.engine->applications().Retrieve(app.id));
  CHECK(f.engine->users().Retrieve(ur.user.id)->registrations.size() == 1);
}

TEST_CASE("unreadable storage is an error, never a crash", "[engine][fault]") {
  FaultyEngine f;
  User u = REQUIRE_VALUE(f.engine->users().Create(NewUser("erlich@example.com")));
  f.store->FailReads(true);
  CHECK(f.engine->users().Retrieve(u.id).status().code() == StatusCode::kUnavailable);
  // A create reads the tenant, which the Engine keeps for up to a second: past that, the
  // create must read the store again, and fails with it.
  f.clock->Advance(std::chrono::seconds(1));
  CHECK(f.engine->users().Create(NewUser("jian@example.com")).status().code() ==
        StatusCode::kUnavailable);
  CHECK(f.engine->tenants().RetrieveAll().status().code() == StatusCode::kUnavailable);
  f.store->ClearFaults();
  f.store->FailApply(true);
  User change = u;
  change.first_name = "Erlich";
  CHECK(f.engine->users().Update(change).status().code() == StatusCode::kUnavailable);
  f.store->ClearFaults();
  CHECK(f.engine->users().Retrieve(u.id)->first_name.empty());
  CHECK(f.events->Count(EventType::kUserUpdate) == 0);
}

TEST_CASE("an engine cannot open on an unreadable store", "[engine][fault]") {
  auto store = REQUIRE_VALUE(testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"}));
  std::shared_ptr<testing::FaultInjectingStore> shared = std::move(store);
  shared->FailReads(true);
  Result<std::unique_ptr<Engine>> e = Engine::Open({.store = shared});
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == StatusCode::kUnavailable);
}

TEST_CASE("a storage failure while recording a failed login still answers 404, known or not",
          "[engine][fault][login]") {
  FaultyEngine f;
  Key request;
  request.name = "fast";
  request.algorithm = KeyAlgorithm::kHs256;
  Key key = REQUIRE_VALUE(f.engine->keys().Generate(request));
  Tenant t = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.engine->default_tenant_id()));
  t.jwt_configuration.access_token_key_id = key.id;
  REQUIRE_OK(f.engine->tenants().Update(t));
  REQUIRE(f.engine->users().Create(NewUser("known@example.com")).ok());
  f.store->FailApply(true);
  LoginRequest known;
  known.login_id = "known@example.com";
  known.password = "the wrong password";
  LoginRequest unknown = known;
  unknown.login_id = "nobody@example.com";
  Result<LoginResponse> a = f.engine->login().Login(known);
  Result<LoginResponse> b = f.engine->login().Login(unknown);
  REQUIRE_OK(a);
  REQUIRE_OK(b);
  CHECK(a->outcome == LoginOutcome::kInvalidCredentials);
  CHECK(b->outcome == LoginOutcome::kInvalidCredentials);
  // A right password cannot open a session that cannot be recorded: that is an error.
  known.password = "a sufficiently long password";
  CHECK_FALSE(f.engine->login().Login(known).ok());
  f.store->ClearFaults();
  CHECK(f.engine->login().Login(known)->outcome == LoginOutcome::kSuccess);
}

}  // namespace
}  // namespace bulwark
