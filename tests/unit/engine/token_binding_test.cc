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
#include "bulwark/testing/status_matchers.h"
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
    Key made = REQUIRE_VALUE(GenerateKey(request, *random, clock->Now()));
    Key imported = REQUIRE_VALUE(engine->keys().Import(made));
    made.id = imported.id;
    return made;
  }

  std::string Sign(const Key& key, json claims) {
    claims["exp"] = std::chrono::duration_cast<std::chrono::seconds>(
                        clock->Now().time_since_epoch())
                        .count() +
                    600;
    return REQUIRE_VALUE(SignJwt(claims, REQUIRE_VALUE(SigningKey::FromKey(key))));
  }

  void UseForTenant(const Key& key) {
    Tenant tenant = REQUIRE_VALUE(engine->tenants().Retrieve(default_tenant()));
    tenant.jwt_configuration.access_token_key_id = key.id;
    REQUIRE_OK(engine->tenants().Update(tenant));
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
  const Tenant hooli = REQUIRE_VALUE(engine->tenants().Create(other));

  const json ours = {{"sub", "00000000-0000-4000-8000-000000000001"},
                     {"tid", default_tenant().ToString()}};
  CHECK_OK(engine->tokens().Validate(Sign(key, ours)));
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
  CHECK_OK(engine->tokens().Validate(Sign(key, ours), {.tenant_id = default_tenant()}));
  CHECK_FALSE(engine->tokens().Validate(Sign(key, ours), {.tenant_id = hooli.id}).ok());
}

TEST_CASE_METHOD(BindingWorld,
                 "Validate: an application's own key vouches only for that application",
                 "[tokens][binding][security]") {
  const Key key = MakeKey("application key");
  Application own = MakeApp("Nucleus");
  own.jwt_configuration.enabled = true;
  own.jwt_configuration.access_token_key_id = key.id;
  own = REQUIRE_VALUE(engine->applications().Update(own));

  const json claims = {{"sub", "00000000-0000-4000-8000-000000000001"},
                       {"tid", default_tenant().ToString()},
                       {"applicationId", own.id.ToString()}};
  CHECK_OK(engine->tokens().Validate(Sign(key, claims)));
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
  REQUIRE_OK(engine->registrations().Register(user, registration));
  LoginRequest login;
  login.login_id = "dinesh@piedpiper.test";
  login.password = "correct horse battery";
  login.application_id = own.id;
  const LoginResponse issued = REQUIRE_VALUE(engine->login().Login(login));
  REQUIRE(issued.outcome == LoginOutcome::kSuccess);
  CHECK_OK(engine->tokens().Validate(issued.token));

  // With its jwtConfiguration disabled the application signs with the tenant's key, and its
  // own key no longer vouches for it.
  own.jwt_configuration.enabled = false;
  REQUIRE_OK(engine->applications().Update(own));
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
  REQUIRE_OK(engine->tokens().Validate(token));  // now cached
  UseForTenant(second);
  CHECK_FALSE(engine->tokens().Validate(token).ok());
  CHECK_OK(engine->tokens().Validate(Sign(second, claims)));

  // An access-token verification key keeps vouching through a rotation.
  Tenant tenant = REQUIRE_VALUE(engine->tenants().Retrieve(default_tenant()));
  tenant.jwt_configuration.access_token_verification_key_ids = {first.id};
  REQUIRE_OK(engine->tenants().Update(tenant));
  CHECK_OK(engine->tokens().Validate(token));
}

}  // namespace
}  // namespace bulwark::test
