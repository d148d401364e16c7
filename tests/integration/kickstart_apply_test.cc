// SPDX-License-Identifier: Apache-2.0
// ApplyKickstart: the demo kickstart through the Router, the empty-store rule, and a failing
// request that leaves the store as it was.
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/api_key_service.h"
#include "bulwark/engine.h"
#include "bulwark/http/kickstart.h"
#include "bulwark/http/router.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/manual_clock.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

struct KickstartWorld {
  std::shared_ptr<Store> store = REQUIRE_VALUE(OpenSqliteStore({.path = ":memory:"}));
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  std::shared_ptr<testing::DeterministicRandom> random =
      std::make_shared<testing::DeterministicRandom>(7);
  std::unique_ptr<Engine> engine;

  explicit KickstartWorld(std::optional<TenantId> default_tenant = std::nullopt) {
    engine =
        Engine::Open(
            {.store = store, .clock = clock, .random = random, .default_tenant_id = default_tenant})
            .value();
  }
};

http::KickstartPlan Plan(const std::string& text) {
  http::KickstartOptions options;
  testing::DeterministicRandom random(3);
  options.random = &random;
  Result<http::KickstartPlan> plan = http::ParseKickstart(text, ".", options);
  REQUIRE_OK(plan);
  return *plan;
}

TEST_CASE("Kickstart: the demo file sets up a server a client can log in to", "[kickstart]") {
  Result<http::KickstartPlan> plan =
      http::LoadKickstart(std::filesystem::path(BULWARK_EXAMPLES_DIR) / "kickstart" / "demo.json");
  REQUIRE_OK(plan);
  REQUIRE(plan->default_tenant_id.has_value());
  KickstartWorld world(plan->default_tenant_id);
  CHECK(REQUIRE_VALUE(http::KickstartCanRun(*world.engine)));
  Status applied = http::ApplyKickstart(*world.engine, *plan);
  REQUIRE_OK(applied);
  CHECK_FALSE(REQUIRE_VALUE(http::KickstartCanRun(*world.engine)));

  const std::string api_key = plan->variables.at("apiKey");
  http::Router router(*world.engine);
  http::HttpRequest login;
  login.method = "POST";
  login.path = "/api/login";
  login.headers = {{"Authorization", api_key}, {"Content-Type", "application/json"}};
  login.body = json{{"loginId", plan->variables.at("userEmail")},
                    {"password", plan->variables.at("userPassword")},
                    {"applicationId", plan->variables.at("applicationId")}}
                   .dump();
  http::HttpResponse response = router.Handle(login);
  REQUIRE(response.status == 200);
  const json body = json::parse(response.body);
  CHECK(body["refreshToken"].is_string());
  CHECK(body["user"]["id"] == plan->variables.at("userId"));

  // Signed by the demo's ES256 key, which the JWKS publishes.
  http::HttpRequest validate;
  validate.path = "/api/jwt/validate";
  validate.headers = {{"Authorization", "Bearer " + body["token"].get<std::string>()}};
  http::HttpResponse claims = router.Handle(validate);
  REQUIRE(claims.status == 200);
  CHECK(json::parse(claims.body)["jwt"]["roles"] == json::array({"admin"}));
  CHECK(json::parse(claims.body)["jwt"]["iss"] == "piedpiper.example");

  http::HttpRequest lookup;
  lookup.path = "/api/identity-provider/lookup";
  lookup.query = {{"domain", "dinesh@partners.piedpiper.example"}};
  CHECK(router.Handle(lookup).status == 200);

  // A second run is refused: the store is no longer empty.
  Status again = http::ApplyKickstart(*world.engine, *plan);
  CHECK(again.code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("Kickstart: a failing request undoes everything before it", "[kickstart]") {
  KickstartWorld world;
  const std::string tenant = world.engine->default_tenant_id().ToString();
  const std::string issuer_before =
      REQUIRE_VALUE(world.engine->tenants().Retrieve(world.engine->default_tenant_id())).issuer;
  http::KickstartPlan plan = Plan(R"({
    "apiKeys": [{"key": "kickstart-key-0123456789abcdef"}, {"key": "second-key-0123456789abcdef"}],
    "requests": [
      {"method": "PATCH", "url": "/api/tenant/)" +
                                  tenant + R"(",
       "body": {"tenant": {"issuer": "changed.example"}}},
      {"method": "POST", "url": "/api/key/generate",
       "body": {"key": {"algorithm": "ES256", "name": "k"}}},
      {"method": "POST", "url": "/api/application",
       "body": {"application": {"name": "App"}}},
      {"method": "POST", "url": "/api/user",
       "body": {"user": {"email": "a@example.com", "password": "long enough password"}}},
      {"method": "POST", "url": "/api/user",
       "body": {"user": {"email": "b@example.com"}}}
    ]})");
  Status applied = http::ApplyKickstart(*world.engine, plan);
  REQUIRE(applied.code() == StatusCode::kInvalidArgument);
  CHECK(applied.message().find("requests[4]") != std::string::npos);
  CHECK(applied.message().find("POST /api/user") != std::string::npos);
  CHECK(applied.errors().HasField("blank", "user.password"));

  // Nothing is left: the store is empty again and the tenant is as it was.
  CHECK(REQUIRE_VALUE(http::KickstartCanRun(*world.engine)));
  CHECK(REQUIRE_VALUE(world.engine->api_keys().RetrieveAll()).empty());
  CHECK(REQUIRE_VALUE(world.engine->keys().RetrieveAll()).empty());
  CHECK(REQUIRE_VALUE(world.engine->applications().RetrieveAll(world.engine->default_tenant_id()))
            .empty());
  CHECK(REQUIRE_VALUE(world.engine->tenants().Retrieve(world.engine->default_tenant_id())).issuer ==
        issuer_before);
  CHECK(world.engine->api_keys().Authenticate("kickstart-key-0123456789abcdef").status().code() ==
        StatusCode::kUnauthenticated);
}

TEST_CASE("Kickstart: only into an empty store", "[kickstart]") {
  KickstartWorld world;
  User user;
  user.email = "already@example.com";
  user.password = "long enough password";
  REQUIRE_OK(world.engine->users().Create(user));
  CHECK_FALSE(REQUIRE_VALUE(http::KickstartCanRun(*world.engine)));
  http::KickstartPlan plan = Plan(R"({"apiKeys": [{"key": "kickstart-key-0123456789abcdef"}]})");
  CHECK(http::ApplyKickstart(*world.engine, plan).code() == StatusCode::kFailedPrecondition);
  CHECK(REQUIRE_VALUE(world.engine->api_keys().RetrieveAll()).empty());
}

TEST_CASE("Kickstart: a bad API key entry is reported and nothing stays", "[kickstart]") {
  KickstartWorld world;
  http::KickstartPlan plan =
      Plan(R"({"apiKeys": [{"key": "kickstart-key-0123456789abcdef"}, {"key": "short"}]})");
  Status applied = http::ApplyKickstart(*world.engine, plan);
  CHECK(applied.code() == StatusCode::kInvalidArgument);
  CHECK(applied.message().find("apiKeys[1]") != std::string::npos);
  CHECK(REQUIRE_VALUE(world.engine->api_keys().RetrieveAll()).empty());
}

}  // namespace
}  // namespace bulwark::test
