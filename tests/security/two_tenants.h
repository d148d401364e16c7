// SPDX-License-Identifier: Apache-2.0
// The world of the security catalogue: two tenants behind one Router.
//   - Tenant A is the default tenant: the application `app` (roles admin, user, viewer;
//     refresh tokens on) and its admin, registered with the admin role.
//   - Tenant B ("Hooli"): its own application and user, and an API key locked to it, which
//     is what an attacker holding tenant B's credentials has.
// Requests go out as tenant B two ways: with B's locked key (AsB) and with the unrestricted
// key plus X-FusionAuth-TenantId: B (InB).
#ifndef BULWARK_TESTS_SECURITY_TWO_TENANTS_H_
#define BULWARK_TESTS_SECURITY_TWO_TENANTS_H_

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "bulwark/testing/status_matchers.h"
#include "integration/router_fixture.h"

namespace bulwark::test {

struct TwoTenants : RouterFixture {
  std::string a;  // tenant ids, as on the wire
  std::string b;
  std::string app_a;
  std::string app_b;
  nlohmann::json admin_a;  // A's admin user
  nlohmann::json user_b;
  std::string key_b;  // an API key locked to tenant B (every endpoint)

  TwoTenants() {
    a = default_tenant().ToString();
    app_a = app.id.ToString();
    Application refreshing = app;
    refreshing.login_configuration.generate_refresh_tokens = true;
    refreshing.login_configuration.allow_token_refresh = true;
    app = Must(engine->applications().Update(refreshing), "app A");

    b = Must(Api("POST", "/api/tenant",
                 nlohmann::json{{"tenant",
                                 {{"name", "Hooli"},
                                  {"issuer", "hooli.test"},
                                  {"passwordEncryptionConfiguration",
                                   {{"encryptionSchemeFactor", 1000}}}}}}),
             "tenant B")["tenant"]["id"];
    app_b = Must(Api("POST", "/api/application",
                     nlohmann::json{{"application",
                                     {{"name", "Nucleus"},
                                      {"roles", {{{"name", "admin"}}, {{"name", "user"}}}},
                                      {"loginConfiguration",
                                       {{"generateRefreshTokens", true},
                                        {"allowTokenRefresh", true}}}}}},
                     {{"X-FusionAuth-TenantId", b}}),
                 "app B")["application"]["id"];
    admin_a = Must(Api("POST", "/api/user/registration",
                       nlohmann::json{{"user",
                                       {{"email", "richard@piedpiper.test"},
                                        {"password", "correct horse battery"}}},
                                      {"registration",
                                       {{"applicationId", app_a}, {"roles", {"admin"}}}}},
                       {{"X-FusionAuth-TenantId", a}}),
                   "A's admin")["user"];
    user_b = Must(Api("POST", "/api/user/registration",
                      nlohmann::json{{"user",
                                      {{"email", "gavin@hooli.test"},
                                       {"password", "correct horse battery"}}},
                                     {"registration", {{"applicationId", app_b}}}},
                      {{"X-FusionAuth-TenantId", b}}),
                  "B's user")["user"];
    ApiKey locked;
    locked.name = "tenant B";
    locked.tenant_id = REQUIRE_VALUE(TenantId::Parse(b));
    locked.key_manager = true;
    key_b = Must(engine->api_keys().Create(locked), "B's key").key;
  }

  // With B's tenant-locked key.
  http::HttpResponse AsB(std::string method, std::string_view target,
                         const std::optional<nlohmann::json>& body = std::nullopt) const {
    return Api(std::move(method), target, body, {{"Authorization", key_b}}, false);
  }
  // With the unrestricted key, scoped to B by the header.
  http::HttpResponse InB(std::string method, std::string_view target,
                         const std::optional<nlohmann::json>& body = std::nullopt) const {
    return Api(std::move(method), target, body, {{"X-FusionAuth-TenantId", b}});
  }

  // Logs `email` in to `application` with the unrestricted key; the response's JSON.
  nlohmann::json LoginAs(const std::string& email, const std::string& application) const {
    return Must(Api("POST", "/api/login",
                    nlohmann::json{{"loginId", email},
                                   {"password", "correct horse battery"},
                                   {"applicationId", application}}),
                "login");
  }

  static nlohmann::json Must(const http::HttpResponse& response, const std::string& what) {
    if (response.status != 200) {
      throw std::runtime_error(what + ": " + std::to_string(response.status) + " " +
                               response.body);
    }
    return Json(response);
  }
  template <typename T>
  static T Must(Result<T> result, const std::string& what) {
    if (!result.ok()) throw std::runtime_error(what + ": " + result.status().ToString());
    return *std::move(result);
  }

  // Whether the 400 body names `field` with FusionAuth's code "[code]field".
  static bool HasFieldError(const http::HttpResponse& response, const std::string& field,
                            const std::string& code) {
    if (response.body.empty()) return false;
    const nlohmann::json body = Json(response);
    if (!body.contains("fieldErrors") || !body["fieldErrors"].contains(field)) return false;
    for (const nlohmann::json& entry : body["fieldErrors"][field]) {
      if (entry["code"] == "[" + code + "]" + field) return true;
    }
    return false;
  }
};

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_SECURITY_TWO_TENANTS_H_
