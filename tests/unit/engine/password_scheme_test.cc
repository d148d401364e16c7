// SPDX-License-Identifier: Apache-2.0
// The Engine's use of the password registry: host schemes from EngineOptions, requested and
// tenant schemes on user create and update.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/testing/status_matchers.h"
#include "engine_fixture.h"

namespace bulwark {
namespace {

using test::EngineFixture;

// A host scheme: "<salt>|<factor>|<reversed password>". Deliberately trivial.
class ReversingHasher final : public PasswordHasher {
 public:
  std::string_view scheme() const noexcept override { return "host-reversing"; }
  int default_factor() const noexcept override { return 3; }
  Result<std::string> GenerateSalt(Random& random) const override {
    std::byte b[4];
    BULWARK_RETURN_IF_ERROR(random.Fill(b));
    return std::to_string(std::to_integer<int>(b[0]));
  }
  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    if (factor < 1) return Status::InvalidArgument("host-reversing factor must be positive");
    return std::string(salt) + "|" + std::to_string(factor) + "|" +
           std::string(password.rbegin(), password.rend());
  }
};

Result<std::unique_ptr<Engine>> OpenWith(std::vector<std::shared_ptr<const PasswordHasher>> extra) {
  auto store = OpenSqliteStore({.path = ":memory:"});
  if (!store.ok()) return store.status();
  return Engine::Open({.store = std::move(*store),
                       .random = std::make_shared<testing::DeterministicRandom>(5),
                       .password_hashers = std::move(extra)});
}

TEST_CASE("engine: a host password scheme is registered and used to create users",
          "[engine][password]") {
  auto host = std::make_shared<ReversingHasher>();
  Result<std::unique_ptr<Engine>> engine = OpenWith({host});
  REQUIRE_OK(engine);

  User u = EngineFixture::NewUser("host@example.com", "correct horse battery");
  u.password_hash.encryption_scheme = "host-reversing";
  Result<User> created = (*engine)->users().Create(u);
  REQUIRE_OK(created);
  CHECK(created->password_hash.encryption_scheme == "host-reversing");
  CHECK(created->password_hash.factor == 3);
  CHECK(created->password_hash.hash.ends_with("|3|yrettab esroh tcerroc"));

  PasswordHasherRegistry registry;
  REQUIRE_OK(registry.Register(host));
  CHECK(REQUIRE_VALUE(registry.Verify("correct horse battery", created->password_hash)));

  // A tenant may make the host scheme its default.
  Tenant t;
  t.name = "Host tenant";
  t.password_encryption_configuration.encryption_scheme = "host-reversing";
  t.password_encryption_configuration.encryption_scheme_factor = 7;
  t = REQUIRE_VALUE((*engine)->tenants().Create(t));
  User v = EngineFixture::NewUser("tenant@example.com", "another password");
  v.tenant_id = t.id;
  Result<User> in_tenant = (*engine)->users().Create(v);
  REQUIRE_OK(in_tenant);
  CHECK(in_tenant->password_hash.encryption_scheme == "host-reversing");
  CHECK(in_tenant->password_hash.factor == 7);
}

TEST_CASE("engine: firebase-scrypt is available once the host passes it in", "[engine][password]") {
  auto firebase = NewFirebaseScryptHasher(
      {.signer_key = "c2lnbmVy", .salt_separator = "Bw==", .rounds = 1, .mem_cost = 4});
  REQUIRE_OK(firebase);
  Result<std::unique_ptr<Engine>> engine = OpenWith({*firebase});
  REQUIRE_OK(engine);
  User u = EngineFixture::NewUser("firebase@example.com");
  u.password_hash.encryption_scheme = "firebase-scrypt";
  Result<User> created = (*engine)->users().Create(u);
  REQUIRE_OK(created);
  CHECK(created->password_hash.factor == 1);
}

TEST_CASE("engine: a host scheme that is null or clashes is refused by Engine::Open",
          "[engine][password]") {
  class Clashing final : public PasswordHasher {
   public:
    std::string_view scheme() const noexcept override { return "salted-pbkdf2-hmac-sha256"; }
    int default_factor() const noexcept override { return 1; }
    Result<std::string> GenerateSalt(Random&) const override { return std::string(); }
    Result<std::string> Encrypt(std::string_view, std::string_view, int) const override {
      return std::string("weak");
    }
  };
  CHECK(OpenWith({std::make_shared<Clashing>()}).status().code() == StatusCode::kAlreadyExists);
  CHECK(OpenWith({nullptr}).status().code() == StatusCode::kInvalidArgument);
  auto host = std::make_shared<ReversingHasher>();
  CHECK(OpenWith({host, host}).status().code() == StatusCode::kAlreadyExists);
}

TEST_CASE("engine: unregistered or unusable schemes are field errors", "[engine][password]") {
  EngineFixture f;
  User u = EngineFixture::NewUser("unknown@example.com");
  u.password_hash.encryption_scheme = "md4-of-doom";
  Result<User> r = f.engine->users().Create(u);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().errors().HasField("invalid", "user.encryptionScheme"));
  CHECK(f.store->users().FindByEmail(f.default_tenant(), "unknown@example.com").status().code() ==
        StatusCode::kNotFound);

  // A factor the scheme refuses.
  u.password_hash.encryption_scheme = "bcrypt";
  u.password_hash.factor = 99;
  r = f.engine->users().Create(u);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().errors().HasField("invalid", "user.factor"));

  // A requested scheme with a cheap factor works.
  u.password_hash.factor = 4;
  r = f.engine->users().Create(u);
  REQUIRE_OK(r);
  CHECK(r->password_hash.encryption_scheme == "bcrypt");
  CHECK(r->password_hash.factor == 4);
  CHECK(REQUIRE_VALUE(PasswordHasherRegistry().Verify("correct horse battery", r->password_hash)));

  // A tenant whose scheme is not registered here.
  Tenant t;
  t.name = "Legacy";
  t.password_encryption_configuration.encryption_scheme = "removed-plugin";
  t = REQUIRE_VALUE(f.engine->tenants().Create(t));
  User v = EngineFixture::NewUser("legacy@example.com");
  v.tenant_id = t.id;
  r = f.engine->users().Create(v);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().errors().HasField("invalid",
                                     "tenant.passwordEncryptionConfiguration.encryptionScheme"));

  // A tenant factor its scheme refuses (bcrypt with FusionAuth's PBKDF2 default, 24000).
  t.password_encryption_configuration.encryption_scheme = "bcrypt";
  t = REQUIRE_VALUE(f.engine->tenants().Update(t));
  r = f.engine->users().Create(v);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().errors().HasField(
      "invalid", "tenant.passwordEncryptionConfiguration.encryptionSchemeFactor"));

  // Update: a new password with a requested unknown scheme is refused; none keeps the hash.
  User existing =
      REQUIRE_VALUE(f.engine->users().RetrieveByEmail(f.default_tenant(), "unknown@example.com"));
  existing.password = "a brand new password";
  existing.password_hash.encryption_scheme = "md4-of-doom";
  r = f.engine->users().Update(existing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().errors().HasField("invalid", "user.encryptionScheme"));
}

}  // namespace
}  // namespace bulwark
