// SPDX-License-Identifier: Apache-2.0
// A Router on a FederationFixture's Engine, an unrestricted API key, and helpers that send
// requests as a FusionAuth client would.
#ifndef BULWARK_TESTS_UNIT_HTTP_ROUTER_FIXTURE_H_
#define BULWARK_TESTS_UNIT_HTTP_ROUTER_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/api_key_service.h"
#include "bulwark/http/router.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark::test {

struct RouterFixture : FederationFixture {
  std::unique_ptr<http::Router> router;
  std::string key;  // unrestricted, not a key manager

  RouterFixture() {
    router = std::make_unique<http::Router>(*engine, http::RouterOptions{});
    ApiKey api_key;
    api_key.name = "test";
    key = REQUIRE_VALUE(engine->api_keys().Create(api_key)).key;
  }

  // `target` may carry a query string.
  static http::HttpRequest Request(std::string method, std::string_view target,
                                   std::string body = "", HttpHeaders headers = {}) {
    http::HttpRequest request;
    request.method = std::move(method);
    const std::size_t q = target.find('?');
    request.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) request.query = http::ParseQueryString(target.substr(q + 1));
    request.headers = std::move(headers);
    request.body = std::move(body);
    request.remote_address = "198.51.100.20";
    return request;
  }

  http::HttpResponse Send(const http::HttpRequest& request) const {
    return router->Handle(request);
  }

  // A JSON call with the test key (unless `with_key` is false) and extra headers.
  http::HttpResponse Api(std::string method, std::string_view target,
                         const std::optional<nlohmann::json>& body = std::nullopt,
                         HttpHeaders headers = {}, bool with_key = true) const {
    if (with_key) headers.emplace_back("Authorization", key);
    std::string text;
    if (body.has_value()) {
      headers.emplace_back("Content-Type", "application/json");
      text = body->dump();
    }
    return Send(Request(std::move(method), target, std::move(text), std::move(headers)));
  }

  static nlohmann::json Json(const http::HttpResponse& response) {
    return nlohmann::json::parse(response.body);
  }

  static std::optional<std::string> Header(const http::HttpResponse& response,
                                           std::string_view name) {
    std::optional<std::string_view> value = FindHeader(response.headers, name);
    if (!value.has_value()) return std::nullopt;
    return std::string(*value);
  }

  static std::vector<std::string> Cookies(const http::HttpResponse& response) {
    std::vector<std::string> cookies;
    for (const auto& [name, value] : response.headers) {
      if (name == "Set-Cookie") cookies.push_back(value);
    }
    return cookies;
  }

  // Creates a user with a registration for `app` through the API; returns the user's JSON.
  // In the default tenant.
  nlohmann::json RegisterUser(const std::string& email,
                              const std::string& password = "correct horse battery") {
    http::HttpResponse response =
        Api("POST", "/api/user/registration",
            nlohmann::json{{"user", {{"email", email}, {"password", password}}},
                           {"registration", {{"applicationId", app.id.ToString()}}}},
            {{"X-FusionAuth-TenantId", default_tenant().ToString()}});
    if (response.status != 200) {
      throw std::runtime_error("register: " + std::to_string(response.status) + " " +
                               response.body);
    }
    return Json(response)["user"];
  }
};

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_HTTP_ROUTER_FIXTURE_H_
