// SPDX-License-Identifier: Apache-2.0
// TokenService::Validate binds the verifying key to the token's tenant and application: a key
// vouches only for the tenants and applications whose jwtConfiguration names it, and what it
// learnt about that follows every tenant and application update at once.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

struct BindingWorld : EngineFixture {
  Application app = MakeApp();

  // An ES256 key pair, kept here with its private half and imported into Key Master.
  Key MakeKey(const std::string& name) {
    Key request;
    request.name = name;
    request.algorithm = KeyAlgorithm::kEs256;
    request.issuer = "acme.com";
    Key made = GenerateKey(request, *random, clock->Now()).value();
    Key imported = engine->keys().Import(made).value();
    made.id = imported.id;
    return made;
  }

  std::string Sign(const Key& key, json claims) {
    claims["exp"] = std::chrono::duration_cast<std::chrono::seconds>(
                        clock->Now().time_since_epoch())
                        .count() +
                    600;
    return SignJwt(claims, SigningKey::FromKey(key).value()).value();
  }

  void UseForTenant(const Key& key) {
    Tenant tenant = engine->tenants().Retrieve(default_tenant()).value();
    tenant.jwt_configuration.access_token_key_id = key.id;
    REQUIRE(engine->tenants().Update(tenant).ok());
  }
};

TEST_CASE_METHOD(BindingWorld,
                 "Validate: a tenant's key vouches for that tenant's tokens and no other's",
                 "[tokens][binding][security]") {
  const Key key = MakeKey("tenant key");
  UseForTenant(key);
  Tenant other;
  other.name = "Hooli";
  other.issuer = "hooli.test";
  const Tenant hooli = engine->tenants().Create(other).value();

  const json ours = {{"sub", "00000000-0000-4000-8000-000000000001"},
                     {"tid", default_tenant().ToString()}};
  CHECK(engine->tokens().Validate(Sign(key, ours)).ok());
  json theirs = ours;
  theirs["tid"] = hooli.id.ToString();
  const Result<json> refused = engine->tokens().Validate(Sign(key, theirs));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kUnauthenticated);
  json no_tenant = ours;
  no_tenant.erase("tid");
  CHECK_FALSE(engine->tokens().Validate(Sign(key, no_tenant)).ok());
  json bad_tenant = ours;
  bad_tenant["tid"] = "not-a-uuid";
  CHECK_FALSE(engine->tokens().Validate(Sign(key, bad_tenant)).ok());

  // Scoped validation: only the named tenant's tokens.
  CHECK(engine->tokens().Validate(Sign(key, ours), {.tenant_id = default_tenant()}).ok());
  CHECK_FALSE(engine->tokens().Validate(Sign(key, ours), {.tenant_id = hooli.id}).ok());
}

TEST_CASE_METHOD(BindingWorld,
                 "Validate: an application's own key vouches only for that application",
                 "[tokens][binding][security]") {
  const Key key = MakeKey("application key");
  Application own = MakeApp("Nucleus");
  own.jwt_configuration.enabled = true;
  own.jwt_configuration.access_token_key_id = key.id;
  own = engine->applications().Update(own).value();

  const json claims = {{"sub", "00000000-0000-4000-8000-000000000001"},
                       {"tid", default_tenant().ToString()},
                       {"applicationId", own.id.ToString()}};
  CHECK(engine->tokens().Validate(Sign(key, claims)).ok());
  json other_app = claims;
  other_app["applicationId"] = app.id.ToString();
  CHECK_FALSE(engine->tokens().Validate(Sign(key, other_app)).ok());
  json tenant_level = claims;
  tenant_level.erase("applicationId");
  CHECK_FALSE(engine->tokens().Validate(Sign(key, tenant_level)).ok());

  // The tokens the engine itself issues for the application validate.
  User user = NewUser("dinesh@piedpiper.test");
  Registration registration;
  registration.application_id = own.id;
  REQUIRE(engine->registrations().Register(user, registration).ok());
  LoginRequest login;
  login.login_id = "dinesh@piedpiper.test";
  login.password = "correct horse battery";
  login.application_id = own.id;
  const LoginResponse issued = engine->login().Login(login).value();
  REQUIRE(issued.outcome == LoginOutcome::kSuccess);
  CHECK(engine->tokens().Validate(issued.token).ok());

  // With its jwtConfiguration disabled the application signs with the tenant's key, and its
  // own key no longer vouches for it.
  own.jwt_configuration.enabled = false;
  REQUIRE(engine->applications().Update(own).ok());
  CHECK_FALSE(engine->tokens().Validate(Sign(key, claims)).ok());
}

TEST_CASE_METHOD(BindingWorld,
                 "Validate: a key the tenant stops naming stops vouching at once",
                 "[tokens][binding][security]") {
  const Key first = MakeKey("first");
  const Key second = MakeKey("second");
  UseForTenant(first);
  const json claims = {{"sub", "00000000-0000-4000-8000-000000000001"},
                       {"tid", default_tenant().ToString()}};
  const std::string token = Sign(first, claims);
  REQUIRE(engine->tokens().Validate(token).ok());  // now cached
  UseForTenant(second);
  CHECK_FALSE(engine->tokens().Validate(token).ok());
  CHECK(engine->tokens().Validate(Sign(second, claims)).ok());

  // An access-token verification key keeps vouching through a rotation.
  Tenant tenant = engine->tenants().Retrieve(default_tenant()).value();
  tenant.jwt_configuration.access_token_verification_key_ids = {first.id};
  REQUIRE(engine->tenants().Update(tenant).ok());
  CHECK(engine->tokens().Validate(token).ok());
}

}  // namespace
}  // namespace bulwark::test
