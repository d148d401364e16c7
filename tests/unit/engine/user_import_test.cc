// SPDX-License-Identifier: Apache-2.0
//
// UserService::Import: FusionAuth's Import API semantics — validate everything first, report
// every problem with a path naming the user, write nothing on error, write everything in one
// store write otherwise.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/testing/status_matchers.h"
#include "http/import_request_json.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark {
namespace {

using test::EngineFixture;

// Made outside bulwark, with Python's hashlib:
//   salt = b'bulwark-import-salt-0123456789ab'
//   base64(hashlib.pbkdf2_hmac('sha256', b'imported secret', salt, 1000, 32))
constexpr const char* kSalt = "YnVsd2Fyay1pbXBvcnQtc2FsdC0wMTIzNDU2Nzg5YWI=";
constexpr const char* kHash = "Scm0+19R8ly2fJXwoZlHhF/BfvmUdNV+0Sf7NFPcmC4=";

Result<bool> Verify(std::string_view password, const PasswordHash& stored) {
  static const PasswordHasherRegistry registry;
  return registry.Verify(password, stored);
}

User Hashed(std::string email) {
  User user;
  user.email = std::move(email);
  user.password = kHash;
  user.password_hash.encryption_scheme = "salted-pbkdf2-hmac-sha256";
  user.password_hash.factor = 1000;
  user.password_hash.salt = kSalt;
  return user;
}

std::int64_t CountUsers(EngineFixture& f) {
  return REQUIRE_VALUE(f.store->users().CountByTenant(f.default_tenant()));
}

TEST_CASE("import: pre-hashed and plaintext users with registrations, all at once",
          "[engine][import]") {
  EngineFixture f;
  Application app = f.MakeApp();
  ImportRequest request;
  User ada = Hashed("ada@example.com");
  Registration reg;
  reg.application_id = app.id;
  reg.roles = {"admin", "admin", "user"};
  ada.registrations = {reg};
  User bob;
  bob.username = "bob";
  bob.password = "plain text password";
  User carol;  // no password: imported without a credential
  carol.email = "carol@example.com";
  request.users = {ada, bob, carol};
  f.events->Clear();

  std::vector<std::pair<ImportStage, std::size_t>> seen;
  Status status = f.engine->users().Import(
      request, [&](ImportStage stage, std::size_t done, std::size_t total) {
        seen.emplace_back(stage, done);
        CHECK(done <= total);
      });
  INFO(status.ToString());
  REQUIRE_OK(status);
  CHECK(CountUsers(f) == 3);
  REQUIRE(!seen.empty());
  CHECK(seen.front().first == ImportStage::kValidating);
  CHECK(seen.back() == std::pair<ImportStage, std::size_t>(ImportStage::kWriting, 4));

  Result<User> stored = f.engine->users().RetrieveByEmail(f.default_tenant(), "ADA@example.com");
  REQUIRE_OK(stored);
  CHECK(stored->password_hash.hash == kHash);
  CHECK(stored->password_hash.salt == kSalt);
  CHECK(stored->password_hash.factor == 1000);
  CHECK(REQUIRE_VALUE(Verify("imported secret", stored->password_hash)));
  CHECK_FALSE(REQUIRE_VALUE(Verify("imported secreT", stored->password_hash)));
  REQUIRE(stored->registrations.size() == 1);
  CHECK(stored->registrations[0].roles == std::vector<std::string>{"admin", "user"});
  CHECK(stored->insert_instant == f.clock->Now());

  Result<User> plain = f.engine->users().RetrieveByUsername(f.default_tenant(), "bob");
  REQUIRE_OK(plain);
  CHECK(plain->password_hash.encryption_scheme == "salted-pbkdf2-hmac-sha256");
  CHECK(plain->password_hash.factor == 1000);  // the fixture tenant's factor
  CHECK(REQUIRE_VALUE(Verify("plain text password", plain->password_hash)));
  CHECK(plain->password.empty());

  Result<User> none = f.engine->users().RetrieveByEmail(f.default_tenant(), "carol@example.com");
  REQUIRE_OK(none);
  CHECK(none->password_hash.empty());

  CHECK(f.events->Count(EventType::kUserBulkCreate) == 1);
}

TEST_CASE("import: fresh ids ascend in request order; the request's own ids are kept",
          "[engine][import]") {
  EngineFixture f;
  Application app = f.MakeApp();
  ImportRequest request;
  const UserId given = REQUIRE_VALUE(UserId::Parse("00000000-0000-4000-8000-000000000001"));
  for (int i = 0; i < 40; ++i) {
    User user;
    user.email = "user" + std::to_string(i) + "@example.com";
    if (i == 7) user.id = given;  // lower than any random id, and left where it is
    Registration reg;
    reg.application_id = app.id;
    user.registrations = {reg};
    request.users.push_back(std::move(user));
  }
  REQUIRE_OK(f.engine->users().Import(request));
  std::vector<UserId> users;
  std::vector<RegistrationId> registrations;
  for (int i = 0; i < 40; ++i) {
    const User stored = REQUIRE_VALUE(f.engine->users().RetrieveByEmail(
        f.default_tenant(), "user" + std::to_string(i) + "@example.com"));
    REQUIRE(stored.registrations.size() == 1);
    registrations.push_back(stored.registrations[0].id);
    if (i == 7) {
      CHECK(stored.id == given);
    } else {
      users.push_back(stored.id);
    }
  }
  // Still random v4 UUIDs (the version nibble), handed out in ascending order.
  for (const UserId& id : users) CHECK(id.ToString()[14] == '4');
  CHECK(std::is_sorted(users.begin(), users.end()));
  CHECK(std::adjacent_find(users.begin(), users.end()) == users.end());
  CHECK(std::is_sorted(registrations.begin(), registrations.end()));
}

TEST_CASE("import: every problem is reported and nothing is written", "[engine][import]") {
  EngineFixture f;
  Application app = f.MakeApp();
  REQUIRE(f.engine->users().Create(EngineFixture::NewUser("taken@example.com")).ok());
  const std::int64_t before = CountUsers(f);

  ImportRequest request;
  User dup_in_batch_1 = Hashed("twin@example.com");
  User dup_in_batch_2 = Hashed("TWIN@example.com");
  User dup_in_store = Hashed("Taken@Example.com");
  User bad_scheme = Hashed("scheme@example.com");
  bad_scheme.password_hash.encryption_scheme = "rot13";
  User no_login_id;
  no_login_id.password = "whatever password";
  User bad_registration = Hashed("reg@example.com");
  Registration unknown_app;
  unknown_app.application_id = REQUIRE_VALUE(ApplicationId::Generate(*f.random));
  Registration bad_role;
  bad_role.application_id = app.id;
  bad_role.roles = {"pilot"};
  bad_registration.registrations = {unknown_app, bad_role};
  User twice_registered = Hashed("twice@example.com");
  Registration r1;
  r1.application_id = app.id;
  twice_registered.registrations = {r1, r1};
  User hash_without_password = Hashed("nohash@example.com");
  hash_without_password.password.clear();
  request.users = {dup_in_batch_1,   dup_in_batch_2,        dup_in_store,
                   bad_scheme,       no_login_id,           bad_registration,
                   twice_registered, hash_without_password, Hashed("fine@example.com")};

  Status status = f.engine->users().Import(request);
  REQUIRE(status.code() == StatusCode::kInvalidArgument);
  const Errors& e = status.errors();
  INFO(status.ToString());
  CHECK_FALSE(e.HasField("duplicate", "users[0].email"));
  CHECK(e.HasField("duplicate", "users[1].email"));
  CHECK(e.HasField("duplicate", "users[2].email"));
  CHECK(e.HasField("invalid", "users[3].encryptionScheme"));
  CHECK(e.HasField("blank", "users[4].email"));
  CHECK(e.HasField("invalid", "users[5].registrations[0].applicationId"));
  CHECK(e.HasField("invalid", "users[5].registrations[1].roles"));
  CHECK(e.HasField("duplicate", "users[6].registrations[1].applicationId"));
  CHECK(e.HasField("blank", "users[7].password"));
  CHECK(CountUsers(f) == before);
  CHECK_FALSE(f.engine->users().RetrieveByEmail(f.default_tenant(), "fine@example.com").ok());
}

TEST_CASE("import: ids repeated in the request or already stored are duplicates",
          "[engine][import]") {
  EngineFixture f;
  User existing = REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("a@example.com")));
  ImportRequest request;
  User same_as_stored = Hashed("b@example.com");
  same_as_stored.id = existing.id;
  User first = Hashed("c@example.com");
  first.id = REQUIRE_VALUE(UserId::Generate(*f.random));
  User second = Hashed("d@example.com");
  second.id = first.id;
  request.users = {same_as_stored, first, second};
  Status status = f.engine->users().Import(request);
  CHECK(status.errors().HasField("duplicate", "users[0].id"));
  CHECK(status.errors().HasField("duplicate", "users[2].id"));
  CHECK_FALSE(status.errors().HasField("duplicate", "users[1].id"));
  CHECK(f.engine->users().Import(ImportRequest{}).errors().HasField("missing", "users"));
}

TEST_CASE("import: a failing store write leaves nothing behind", "[engine][import]") {
  EngineFixture f;
  Application app = f.MakeApp();
  ImportRequest request;
  for (int i = 0; i < 5; ++i) {
    User u = Hashed("user" + std::to_string(i) + "@example.com");
    Registration r;
    r.application_id = app.id;
    u.registrations = {r};
    request.users.push_back(u);
  }
  SECTION("an email taken after the request was checked") {
    // Another user takes an email between validation and the write: the store's own rule
    // fails the whole write, and the user whose email it is is named, as when it was taken
    // before.
    int calls = 0;
    Status status = f.engine->users().Import(
        request, [&](ImportStage stage, std::size_t done, std::size_t total) {
          if (stage == ImportStage::kValidating && done == total && calls++ == 0) {
            REQUIRE(f.engine->users().Create(EngineFixture::NewUser("user3@example.com")).ok());
          }
        });
    INFO(status.ToString());
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.errors().HasField("duplicate", "users[3].email"));
    CHECK(status.errors().field_errors.size() == 1);
    CHECK(CountUsers(f) == 1);
  }
  SECTION("a rule only the store checks: a registration id already stored") {
    User other = EngineFixture::NewUser("other@example.com");
    Registration taken;
    taken.application_id = app.id;
    const UserRegistration stored = REQUIRE_VALUE(f.engine->registrations().Register(other, taken));
    request.users[4].registrations[0].id = stored.registration.id;
    Status status = f.engine->users().Import(request);
    INFO(status.ToString());
    CHECK(status.code() == StatusCode::kAlreadyExists);
    CHECK(status.errors().HasField("duplicate", "registration.id"));
    CHECK(CountUsers(f) == 1);
  }
}

TEST_CASE("import: keys taken in the store are named per user, whatever else is wrong",
          "[engine][import]") {
  EngineFixture f;
  Application app = f.MakeApp();
  User stored_user = EngineFixture::NewUser("taken@example.com");
  stored_user.username = "taken";
  const User stored = REQUIRE_VALUE(f.engine->users().Create(stored_user));
  const std::int64_t before = CountUsers(f);
  ImportRequest request;
  request.users.push_back(Hashed("fine@example.com"));
  request.users.push_back(Hashed("TAKEN@example.com"));
  User same_id = Hashed("id@example.com");
  same_id.id = stored.id;
  request.users.push_back(same_id);
  User same_username = Hashed("username@example.com");
  same_username.username = "Taken";
  request.users.push_back(same_username);
  Registration r;
  r.application_id = app.id;
  for (User& u : request.users) u.registrations = {r};

  SECTION("nothing else is wrong") {
    Status status = f.engine->users().Import(request);
    INFO(status.ToString());
    REQUIRE(status.code() == StatusCode::kInvalidArgument);
    const Errors& e = status.errors();
    CHECK(e.field_errors.size() == 3);
    CHECK(e.HasField("duplicate", "users[1].email"));
    CHECK(e.HasField("duplicate", "users[2].id"));
    CHECK(e.HasField("duplicate", "users[3].username"));
    CHECK(e.field_errors.at("users[1].email").front().message ==
          "A user with this email already exists in the tenant.");
    CHECK(e.field_errors.at("users[2].id").front().message ==
          "A user with this id already exists.");
    CHECK(e.field_errors.at("users[3].username").front().message ==
          "A user with this username already exists in the tenant.");
  }
  SECTION("with other errors") {
    request.users[0].registrations[0].roles = {"pilot"};
    Status status = f.engine->users().Import(request);
    INFO(status.ToString());
    REQUIRE(status.code() == StatusCode::kInvalidArgument);
    const Errors& e = status.errors();
    CHECK(e.field_errors.size() == 4);
    CHECK(e.HasField("invalid", "users[0].registrations[0].roles"));
    CHECK(e.HasField("duplicate", "users[1].email"));
    CHECK(e.HasField("duplicate", "users[2].id"));
    CHECK(e.HasField("duplicate", "users[3].username"));
  }
  SECTION("a plaintext password after a taken key is not hashed") {
    // Hashing is skipped once the import cannot succeed: a password the scheme refuses
    // (longer than any hasher takes) is then not reported either.
    User plain = EngineFixture::NewUser("plain@example.com");
    plain.password = std::string(2000, 'p');
    request.users.push_back(plain);
    Status status = f.engine->users().Import(request);
    INFO(status.ToString());
    REQUIRE(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.errors().field_errors.size() == 3);
    CHECK_FALSE(status.errors().HasField("invalid", "users[4].password"));
  }
  CHECK(CountUsers(f) == before);
}

TEST_CASE("import: FusionAuth's JSON body", "[engine][import][json]") {
  const nlohmann::json body = {
      {"encryptionScheme", "salted-pbkdf2-hmac-sha256"},
      {"factor", 1000},
      {"validateDbConstraints", true},
      {"users",
       {{{"email", "json@example.com"},
         {"password", kHash},
         {"encryptionScheme", "salted-pbkdf2-hmac-sha256"},
         {"factor", 1000},
         {"salt", kSalt},
         {"active", true},
         {"registrations", {{{"applicationId", "00000000-0000-0000-0000-000000000042"}}}}},
        {{"username", "inactive-by-default"}, {"password", "plain text password"}}}}};
  Result<ImportRequest> request = http::ImportRequestFromJson(body);
  REQUIRE_OK(request);
  CHECK(request->encryption_scheme == "salted-pbkdf2-hmac-sha256");
  CHECK(request->factor == 1000);
  CHECK(request->validate_db_constraints);
  REQUIRE(request->users.size() == 2);
  CHECK(request->users[0].password_hash.salt == kSalt);
  CHECK(request->users[0].password == kHash);
  CHECK(request->users[0].active);
  CHECK(request->users[0].registrations.size() == 1);
  CHECK_FALSE(request->users[1].active);  // FusionAuth's import default

  CHECK(http::ImportRequestFromJson(nlohmann::json::array()).status().code() ==
        StatusCode::kInvalidArgument);
  Result<ImportRequest> bad = http::ImportRequestFromJson(
      {{"users", {{{"email", 7}}, {{"email", "x@example.com"}, {"salt", 3}}}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().errors().HasField("couldNotConvert", "users[0].email"));
  CHECK(bad.status().errors().HasField("couldNotConvert", "users[1].salt"));
  Result<ImportRequest> no_salt = http::ImportRequestFromJson(
      {{"users",
        {{{"email", "a@example.com"}, {"password", kHash}, {"encryptionScheme", "salted-md5"}},
         {{"email", "b@example.com"},
          {"password", "$argon2id$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA"},
          {"encryptionScheme", "argon2id"}}}}});
  REQUIRE_FALSE(no_salt.ok());
  CHECK(no_salt.status().errors().HasField("missing", "users[0].salt"));
  CHECK_FALSE(no_salt.status().errors().HasField("missing", "users[1].salt"));
  CHECK(http::ImportRequestFromJson({{"users", "nope"}})
            .status()
            .errors()
            .HasField("couldNotConvert", "users"));
}

TEST_CASE("import then login: users from other systems log in and move to the tenant's scheme",
          "[engine][import][login]") {
  // Independent known answers (htpasswd, openssl, perl, published vectors): see the file.
  std::ifstream in(std::string(BULWARK_TEST_DATA_DIR) + "/password/known_answers.json");
  REQUIRE(in.good());
  const nlohmann::json answers = nlohmann::json::parse(in);
  EngineFixture f;
  Application app = f.MakeApp();
  ImportRequest request;
  std::vector<std::pair<std::string, std::string>> logins;  // email, password
  for (const nlohmann::json& e : answers["entries"]) {
    const std::string scheme = e["scheme"];
    if (!e.contains("password") || !e.value("encrypt", false)) continue;
    if (scheme != "bcrypt" && scheme != "salted-md5" && scheme != "phpass-md5" &&
        scheme != "salted-pbkdf2-hmac-sha256") {
      continue;
    }
    if (e["factor"].get<int>() > 30000) continue;
    User u;
    u.email = "user" + std::to_string(request.users.size()) + "@example.com";
    u.password = e["hash"];
    u.password_hash.encryption_scheme = scheme;
    u.password_hash.factor = e["factor"];
    u.password_hash.salt = e["salt"];
    Registration r;
    r.application_id = app.id;
    u.registrations = {r};
    logins.emplace_back(u.email, e["password"]);
    request.users.push_back(std::move(u));
  }
  REQUIRE(logins.size() >= 4);
  Status imported = f.engine->users().Import(request);
  INFO(imported.ToString());
  REQUIRE_OK(imported);

  Tenant tenant = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
  tenant.password_encryption_configuration.modify_encryption_scheme_on_login = true;
  REQUIRE_OK(f.engine->tenants().Update(tenant));
  for (const auto& [email, password] : logins) {
    INFO(email);
    LoginRequest login;
    login.login_id = email;
    login.password = password;
    login.application_id = app.id;
    CHECK(f.engine->login().Login(login)->outcome == LoginOutcome::kSuccess);
    const PasswordHash now = f.store->users().FindByEmail(f.default_tenant(), email)->password_hash;
    CHECK(now.encryption_scheme == "salted-pbkdf2-hmac-sha256");
    CHECK(now.factor == 1000);
    CHECK(f.engine->login().Login(login)->outcome == LoginOutcome::kSuccess);
    login.password += "!";
    CHECK(f.engine->login().Login(login)->outcome == LoginOutcome::kInvalidCredentials);
  }
}

}  // namespace
}  // namespace bulwark
