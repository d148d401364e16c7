// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/testing/status_matchers.h"
#include "engine_fixture.h"

namespace bulwark {
namespace {

using test::EngineFixture;

TEST_CASE("users: create hashes the password with the tenant's scheme", "[engine][user]") {
  EngineFixture f;
  User in = EngineFixture::NewUser("Richard@Example.com", "tabs not spaces 1");
  in.username = "richard";
  in.data = {{"favoriteColor", "blue"}};
  Result<User> created = f.engine->users().Create(in);
  REQUIRE_OK(created);
  CHECK_FALSE(created->id.IsNil());
  CHECK(created->tenant_id == f.default_tenant());
  CHECK(created->password.empty());
  CHECK(created->active);
  CHECK(created->insert_instant == f.clock->Now());
  CHECK(created->password_last_update_instant == f.clock->Now());
  CHECK(created->password_hash.encryption_scheme == "salted-pbkdf2-hmac-sha256");
  CHECK(created->password_hash.factor == 1000);  // the fixture's tenant setting
  CHECK(created->password_hash.hash.find("tabs") == std::string::npos);
  CHECK(
      REQUIRE_VALUE(PasswordHasherRegistry().Verify("tabs not spaces 1", created->password_hash)));
  CHECK_FALSE(
      REQUIRE_VALUE(PasswordHasherRegistry().Verify("tabs not spaces 2", created->password_hash)));

  Result<User> back = f.engine->users().Retrieve(created->id);
  REQUIRE_OK(back);
  CHECK(back->email == "Richard@Example.com");
  CHECK(back->data["favoriteColor"] == "blue");
  CHECK(back->password_hash == created->password_hash);
  CHECK(back->password.empty());
  // The wire form never carries the credential.
  nlohmann::json wire = ToJson(*back);
  CHECK_FALSE(wire.contains("password"));
  CHECK_FALSE(wire.contains("salt"));
  CHECK(f.events->Count(EventType::kUserCreate) == 1);
}

TEST_CASE("users: the default tenant hashes with FusionAuth's default factor", "[engine][user]") {
  EngineFixture f;
  Tenant t;
  t.name = "Defaults";
  t = REQUIRE_VALUE(f.engine->tenants().Create(t));
  User u = EngineFixture::NewUser("monica@example.com");
  u.tenant_id = t.id;
  Result<User> created = f.engine->users().Create(u);
  REQUIRE_OK(created);
  CHECK(created->password_hash.factor == 24000);
  CHECK(REQUIRE_VALUE(
      PasswordHasherRegistry().Verify("correct horse battery", created->password_hash)));
}

TEST_CASE("users: validation errors change nothing", "[engine][user]") {
  EngineFixture f;
  User none;
  none.password = "long enough password";
  Result<User> r = f.engine->users().Create(none);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().errors().HasField("blank", "user.email"));
  CHECK(r.status().errors().HasField("blank", "user.username"));

  CHECK(f.engine->users()
            .Create(EngineFixture::NewUser("not-an-email"))
            .status()
            .errors()
            .HasField("notEmail", "user.email"));
  CHECK(f.engine->users()
            .Create(EngineFixture::NewUser("a@example.com", ""))
            .status()
            .errors()
            .HasField("blank", "user.password"));
  CHECK(f.engine->users()
            .Create(EngineFixture::NewUser("a@example.com", "short"))
            .status()
            .errors()
            .HasField("tooShort", "user.password"));
  CHECK(f.engine->users()
            .Create(EngineFixture::NewUser("a@example.com", std::string(257, 'x')))
            .status()
            .errors()
            .HasField("tooLong", "user.password"));
  User orphan = EngineFixture::NewUser("a@example.com");
  orphan.tenant_id = REQUIRE_VALUE(TenantId::Parse("5a0f2f2e-0000-4000-8000-000000000003"));
  CHECK(f.engine->users().Create(orphan).status().errors().HasField("invalid", "user.tenantId"));

  CHECK(f.engine->users().RetrieveByEmail(f.default_tenant(), "a@example.com").status().code() ==
        StatusCode::kNotFound);
  CHECK(f.events->Count(EventType::kUserCreate) == 0);
}

TEST_CASE("users: email and username are unique per tenant, case-insensitively", "[engine][user]") {
  EngineFixture f;
  User a = EngineFixture::NewUser("jared@example.com");
  a.username = "Jared";
  REQUIRE_OK(f.engine->users().Create(a));

  Result<User> dup = f.engine->users().Create(EngineFixture::NewUser("JARED@example.com"));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().code() == StatusCode::kAlreadyExists);
  CHECK(dup.status().errors().HasField("duplicate", "user.email"));

  User b = EngineFixture::NewUser("donald@example.com");
  b.username = "jared";
  Result<User> dup_name = f.engine->users().Create(b);
  REQUIRE_FALSE(dup_name.ok());
  CHECK(dup_name.status().errors().HasField("duplicate", "user.username"));

  Tenant other;
  other.name = "Other";
  other = REQUIRE_VALUE(f.engine->tenants().Create(other));
  User c = EngineFixture::NewUser("jared@example.com");
  c.tenant_id = other.id;
  c.username = "jared";
  CHECK_OK(f.engine->users().Create(c));
}

TEST_CASE("users: retrieve by email, username and login id", "[engine][user]") {
  EngineFixture f;
  User a = EngineFixture::NewUser("erlich@example.com");
  a.username = "bachman";
  User created = REQUIRE_VALUE(f.engine->users().Create(a));
  User by_name_as_email = EngineFixture::NewUser("bighead@example.com");
  by_name_as_email.username = "erlich@example.com";  // a username that looks like another's email
  User other = REQUIRE_VALUE(f.engine->users().Create(by_name_as_email));

  CHECK(f.engine->users().RetrieveByEmail(f.default_tenant(), "ERLICH@example.com")->id ==
        created.id);
  CHECK(f.engine->users().RetrieveByUsername(f.default_tenant(), "Bachman")->id == created.id);
  CHECK(f.engine->users().RetrieveByLoginId(f.default_tenant(), "bachman")->id == created.id);
  // Email first by default; username first when asked.
  CHECK(f.engine->users().RetrieveByLoginId(f.default_tenant(), "erlich@example.com")->id ==
        created.id);
  CHECK(f.engine->users()
            .RetrieveByLoginId(f.default_tenant(), "erlich@example.com", {LoginIdType::kUsername})
            ->id == other.id);
  CHECK(f.engine->users().RetrieveByLoginId(f.default_tenant(), "nobody").status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("users: update keeps or replaces the password", "[engine][user]") {
  EngineFixture f;
  User u = REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("laurie@example.com")));
  f.clock->Advance(std::chrono::hours(1));

  User change = u;
  change.first_name = "Laurie";
  change.password.clear();
  Result<User> same_pw = f.engine->users().Update(change);
  REQUIRE_OK(same_pw);
  CHECK(same_pw->first_name == "Laurie");
  CHECK(same_pw->password_hash == u.password_hash);
  CHECK(same_pw->insert_instant == u.insert_instant);
  CHECK(same_pw->last_update_instant == f.clock->Now());

  change.password = "a brand new password";
  Result<User> new_pw = f.engine->users().Update(change);
  REQUIRE_OK(new_pw);
  CHECK_FALSE(new_pw->password_hash == u.password_hash);
  CHECK(new_pw->password_last_update_instant == f.clock->Now());
  User stored = REQUIRE_VALUE(f.engine->users().Retrieve(u.id));
  CHECK(
      REQUIRE_VALUE(PasswordHasherRegistry().Verify("a brand new password", stored.password_hash)));

  change.password = "short";
  CHECK(f.engine->users().Update(change).status().errors().HasField("tooShort", "user.password"));
  CHECK(PasswordHasherRegistry()
            .Verify("a brand new password", f.engine->users().Retrieve(u.id)->password_hash)
            .value());

  User missing = change;
  missing.id = REQUIRE_VALUE(UserId::Parse("5a0f2f2e-0000-4000-8000-000000000004"));
  CHECK(f.engine->users().Update(missing).status().code() == StatusCode::kNotFound);
}

TEST_CASE("users: deactivate, reactivate and delete", "[engine][user]") {
  EngineFixture f;
  Application app = f.MakeApp();
  User u = REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("peter@example.com")));
  Registration reg;
  reg.application_id = app.id;
  REQUIRE_OK(f.engine->registrations().Create(u.id, reg));

  CHECK_FALSE(f.engine->users().Deactivate(u.id)->active);
  CHECK_FALSE(f.engine->users().Retrieve(u.id)->active);
  CHECK(f.engine->users().Reactivate(u.id)->active);
  CHECK(f.events->Count(EventType::kUserDeactivate) == 1);
  CHECK(f.events->Count(EventType::kUserReactivate) == 1);

  REQUIRE_OK(f.engine->users().Delete(u.id));
  CHECK(f.engine->users().Retrieve(u.id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->registrations().Retrieve(u.id, app.id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->users().Delete(u.id).code() == StatusCode::kNotFound);
  CHECK(f.events->Count(EventType::kUserDelete) == 1);
}

TEST_CASE("registrations: default roles, explicit roles, errors", "[engine][registration]") {
  EngineFixture f;
  Application app = f.MakeApp();
  User u = REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("carla@example.com")));

  Registration reg;
  reg.application_id = app.id;
  reg.data = {{"plan", "pro"}};
  Result<Registration> created = f.engine->registrations().Create(u.id, reg);
  REQUIRE_OK(created);
  auto roles = created->roles;
  std::sort(roles.begin(), roles.end());
  CHECK(roles == std::vector<std::string>{"user", "viewer"});
  CHECK_FALSE(created->id.IsNil());
  CHECK(created->insert_instant == f.clock->Now());

  Result<User> with = f.engine->users().Retrieve(u.id);
  REQUIRE(with->registrations.size() == 1);
  CHECK(with->registrations[0].application_id == app.id);
  CHECK(with->registrations[0].data["plan"] == "pro");

  Result<Registration> again = f.engine->registrations().Create(u.id, reg);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().errors().HasField("duplicate", "registration"));

  Application other = f.MakeApp("Other");
  Registration bad_role;
  bad_role.application_id = other.id;
  bad_role.roles = {"admin", "astronaut"};
  CHECK(f.engine->registrations()
            .Create(u.id, bad_role)
            .status()
            .errors()
            .HasField("invalid", "registration.roles"));
  CHECK(f.engine->registrations().Retrieve(u.id, other.id).status().code() ==
        StatusCode::kNotFound);

  Registration no_app;
  no_app.application_id =
      REQUIRE_VALUE(ApplicationId::Parse("5a0f2f2e-0000-4000-8000-000000000005"));
  CHECK(f.engine->registrations()
            .Create(u.id, no_app)
            .status()
            .errors()
            .HasField("invalid", "registration.applicationId"));
  CHECK(f.engine->registrations()
            .Create(REQUIRE_VALUE(UserId::Parse("5a0f2f2e-0000-4000-8000-000000000006")), reg)
            .status()
            .code() == StatusCode::kNotFound);

  // An application of another tenant cannot be registered to.
  Tenant t;
  t.name = "Elsewhere";
  t = REQUIRE_VALUE(f.engine->tenants().Create(t));
  Application foreign;
  foreign.name = "Foreign";
  foreign.tenant_id = t.id;
  foreign = REQUIRE_VALUE(f.engine->applications().Create(foreign));
  Registration cross;
  cross.application_id = foreign.id;
  CHECK(f.engine->registrations()
            .Create(u.id, cross)
            .status()
            .errors()
            .HasField("invalid", "registration.applicationId"));
}

TEST_CASE("registrations: update and delete", "[engine][registration]") {
  EngineFixture f;
  Application app = f.MakeApp();
  User u = REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("jian@example.com")));
  Registration reg;
  reg.application_id = app.id;
  Registration created = REQUIRE_VALUE(f.engine->registrations().Create(u.id, reg));
  f.clock->Advance(std::chrono::minutes(3));

  Registration change;
  change.application_id = app.id;
  change.roles = {"admin"};
  change.username = "jy";
  Result<Registration> updated = f.engine->registrations().Update(u.id, change);
  REQUIRE_OK(updated);
  CHECK(updated->id == created.id);
  CHECK(updated->insert_instant == created.insert_instant);
  CHECK(updated->last_update_instant == f.clock->Now());
  CHECK(f.engine->registrations().Retrieve(u.id, app.id)->roles ==
        std::vector<std::string>{"admin"});
  CHECK(f.engine->registrations().Retrieve(u.id, app.id)->username == "jy");

  change.roles = {"nope"};
  CHECK(f.engine->registrations()
            .Update(u.id, change)
            .status()
            .errors()
            .HasField("invalid", "registration.roles"));

  REQUIRE_OK(f.engine->registrations().Delete(u.id, app.id));
  CHECK(f.engine->registrations().Retrieve(u.id, app.id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->registrations().Delete(u.id, app.id).code() == StatusCode::kNotFound);
  CHECK(f.events->Count(EventType::kUserRegistrationDelete) == 1);
}

TEST_CASE("register: user and registration together, all or nothing", "[engine][registration]") {
  EngineFixture f;
  Application app = f.MakeApp();
  Registration reg;
  reg.application_id = app.id;
  reg.roles = {"admin"};
  Result<UserRegistration> ok =
      f.engine->registrations().Register(EngineFixture::NewUser("nelson@example.com"), reg);
  REQUIRE_OK(ok);
  CHECK(ok->user.registrations.size() == 1);
  CHECK(f.engine->registrations().Retrieve(ok->user.id, app.id)->roles ==
        std::vector<std::string>{"admin"});
  CHECK(f.events->Count(EventType::kUserCreate) == 1);
  CHECK(f.events->Count(EventType::kUserRegistrationCreate) == 1);

  // A bad registration leaves no user behind.
  Registration bad = reg;
  bad.roles = {"pilot"};
  Result<UserRegistration> r1 =
      f.engine->registrations().Register(EngineFixture::NewUser("ron@example.com"), bad);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.status().errors().HasField("invalid", "registration.roles"));
  CHECK(f.engine->users().RetrieveByEmail(f.default_tenant(), "ron@example.com").status().code() ==
        StatusCode::kNotFound);

  // A duplicate email leaves no registration behind.
  Result<UserRegistration> r2 =
      f.engine->registrations().Register(EngineFixture::NewUser("NELSON@example.com"), reg);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.status().errors().HasField("duplicate", "user.email"));
  CHECK(f.events->Count(EventType::kUserCreate) == 1);
}

TEST_CASE("concurrent creates of one email: exactly one wins", "[engine][user][concurrency]") {
  test::TempDbPath path;
  for (const std::string& where : {std::string(":memory:"), path.str()}) {
    INFO(where);
    EngineFixture f(where);
    constexpr int kThreads = 4;
    std::atomic<int> wins{0}, duplicates{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        User u = EngineFixture::NewUser("race@example.com");
        u.first_name = "Racer " + std::to_string(i);
        Result<User> r = f.engine->users().Create(u);
        if (r.ok()) {
          ++wins;
        } else if (r.status().errors().HasField("duplicate", "user.email")) {
          ++duplicates;
        } else {
          ++other;
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(wins == 1);
    CHECK(duplicates == kThreads - 1);
    CHECK(other == 0);
    CHECK(f.engine->users().RetrieveByEmail(f.default_tenant(), "race@example.com").ok());
  }
}

TEST_CASE("concurrent creates of distinct users all succeed", "[engine][user][concurrency]") {
  test::TempDbPath path;
  EngineFixture f(path.str());
  Application app = f.MakeApp();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kPerThread; ++j) {
        Registration reg;
        reg.application_id = app.id;
        std::string email = "user" + std::to_string(i) + "-" + std::to_string(j) + "@example.com";
        if (!f.engine->registrations().Register(EngineFixture::NewUser(email), reg).ok())
          ++failures;
        if (!f.engine->users().RetrieveByEmail(f.default_tenant(), email).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(f.events->Count(EventType::kUserCreate) == kThreads * kPerThread);
}

}  // namespace
}  // namespace bulwark
