// SPDX-License-Identifier: Apache-2.0
// Hostile and broken input to every route: no crash, no 5xx, no half-written state; and a
// store outage answered as 503, not as a refused key.
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"
#include "integration/router_fixture.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

const std::vector<std::pair<std::string, std::string>>& Routes() {
  static const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/tenant"},
      {"PUT", "/api/tenant/{id}"},
      {"PATCH", "/api/tenant/{id}"},
      {"POST", "/api/application"},
      {"PATCH", "/api/application/{app}"},
      {"POST", "/api/application/{app}/role"},
      {"POST", "/api/user"},
      {"PUT", "/api/user/{id}"},
      {"POST", "/api/user/registration"},
      {"PUT", "/api/user/registration/{id}"},
      {"POST", "/api/user/import"},
      {"POST", "/api/login"},
      {"PUT", "/api/login"},
      {"POST", "/api/logout"},
      {"POST", "/api/jwt/refresh"},
      {"POST", "/api/jwt/reconcile"},
      {"DELETE", "/api/jwt/refresh"},
      {"POST", "/api/key/generate"},
      {"POST", "/api/key/import"},
      {"PUT", "/api/key/{id}"},
      {"POST", "/api/identity-provider"},
      {"POST", "/api/identity-provider/login"},
      {"POST", "/api/identity-provider/link"},
      {"POST", "/api/api-key"},
  };
  return routes;
}

std::vector<std::string> Bodies() {
  std::vector<std::string> bodies = {
      "",
      "null",
      "[]",
      "\"text\"",
      "{",
      "{\"user\":",
      "{\"user\": null}",
      "{\"user\": []}",
      "{\"user\": {\"email\": {\"$gt\": 1}}}",
      "{\"tenant\": {\"name\": 5}}",
      "{\"application\": {\"roles\": \"admin\"}}",
      "{\"registration\": {\"applicationId\": \"x\"}, \"user\": 1}",
      "{\"users\": [1, 2, {}]}",
      "{\"loginId\": [], \"password\": {}}",
      "{\"refreshToken\": 12}",
      "{\"key\": {\"algorithm\": \"RS256\", \"name\": \"x\", \"length\": -1}}",
      "{\"key\": {\"name\": \"x\", \"publicKey\": \"-----BEGIN PUBLIC KEY-----\\nAAAA\"}}",
      "{\"identityProvider\": {\"type\": \"Nope\"}}",
      "{\"identityProviderId\": \"00000000-0000-4000-8000-000000000001\", \"data\": 7}",
      "{\"pendingIdPLinkId\": 7}",
      "{\"apiKey\": {\"permissions\": {\"endpoints\": {\"/api/user\": \"GET\"}}}}",
      std::string("{\"user\": {\"email\": \"\xff\xfe@x.test\"}}"),
      std::string(200, '{'),
  };
  std::mt19937 generator(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 8; ++i) {
    std::string noise;
    for (int j = 0; j < 64; ++j) noise.push_back(static_cast<char>(byte(generator)));
    bodies.push_back(std::move(noise));
  }
  return bodies;
}

TEST_CASE_METHOD(RouterFixture, "Router: hostile bodies on every route are 4xx, never a crash",
                 "[router][hostile]") {
  const std::string tenant = default_tenant().ToString();
  const std::string application = app.id.ToString();
  const json user = RegisterUser("target@piedpiper.test");
  ApiKey manager;
  manager.name = "manager";
  manager.key_manager = true;
  const std::string manager_key = REQUIRE_VALUE(engine->api_keys().Create(manager)).key;

  for (const auto& [method, pattern] : Routes()) {
    std::string path = pattern;
    auto replace = [&path](const std::string& from, const std::string& to) {
      const std::size_t at = path.find(from);
      if (at != std::string::npos) path.replace(at, from.size(), to);
    };
    replace("{app}", application);
    replace("{id}",
            pattern.find("/user") != std::string::npos ? user["id"].get<std::string>() : tenant);
    for (const std::string& body : Bodies()) {
      for (const char* type : {"application/json", "application/merge-patch+json",
                               "application/json-patch+json", "text/plain"}) {
        http::HttpResponse response =
            Send(Request(method, path, body,
                         {{"Authorization", path == "/api/api-key" ? manager_key : key},
                          {"Content-Type", type},
                          {"Cookie", "refresh_token=" + body.substr(0, 8)}}));
        INFO(method << " " << path << " body: "
                    << json(body).dump(-1, ' ', false, json::error_handler_t::replace));
        CHECK(response.status >= 200);
        CHECK(response.status < 500);
        if (!response.body.empty()) {
          CHECK(Header(response, "Content-Type") == "application/json;charset=UTF-8");
          CHECK_FALSE(json::parse(response.body, nullptr, false).is_discarded());
        } else {
          CHECK_FALSE(Header(response, "Content-Type").has_value());
        }
      }
    }
  }
  // Nothing above created a user, an application, a key or a provider.
  CHECK(Json(Api("GET", "/api/application"))["applications"].size() == 1);
  CHECK(Json(Api("GET", "/api/identity-provider"))["identityProviders"].empty());
  CHECK(Json(Api("GET", "/api/tenant"))["tenants"].size() == 1);
}

TEST_CASE("Router: a store outage is 503, not 401", "[router]") {
  auto store = REQUIRE_VALUE(testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"}));
  testing::FaultInjectingStore* faults = store.get();
  std::unique_ptr<Engine> engine = REQUIRE_VALUE(Engine::Open({.store = std::move(store)}));
  ApiKey api_key;
  api_key.name = "k";
  const std::string key = REQUIRE_VALUE(engine->api_keys().Create(api_key)).key;
  http::Router router(*engine);
  http::HttpRequest request;
  request.path = "/api/tenant";
  request.headers = {{"Authorization", key}};
  CHECK(router.Handle(request).status == 200);
  faults->FailReads(true);
  http::HttpResponse down = router.Handle(request);
  CHECK(down.status == 503);
  CHECK(down.body.empty());
  faults->FailReads(false);
  CHECK(router.Handle(request).status == 200);
}

}  // namespace
}  // namespace bulwark::test
