// SPDX-License-Identifier: Apache-2.0
// The security catalogue, part 2: tenant B reaching for tenant A's objects, for every endpoint
// family of the Router, both with B's tenant-locked API key and with an unrestricted key
// scoped to B by X-FusionAuth-TenantId. Every attempt must fail, change nothing, and show
// nothing of A's.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/testing/status_matchers.h"
#include "security/two_tenants.h"

namespace bulwark::test {
namespace {

using nlohmann::json;
using Send = std::function<http::HttpResponse(std::string, std::string_view,
                                              const std::optional<json>&)>;

// Both ways of acting as tenant B.
std::vector<std::pair<std::string, Send>> AsTenantB(const TwoTenants& w) {
  return {
      {"B's tenant-locked key",
       [&w](std::string m, std::string_view t, const std::optional<json>& body) {
         return w.AsB(std::move(m), t, body);
       }},
      {"an unrestricted key with X-FusionAuth-TenantId: B",
       [&w](std::string m, std::string_view t, const std::optional<json>& body) {
         return w.InB(std::move(m), t, body);
       }},
  };
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: tenants", "[security][cross-tenant]") {
  const json before = Must(Api("GET", "/api/tenant/" + a), "tenant A");
  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    CHECK(send("GET", "/api/tenant/" + a, std::nullopt).status == 404);
    CHECK(send("PUT", "/api/tenant/" + a, json{{"tenant", {{"name", "x"}, {"issuer", "x"}}}})
              .status == 404);
    CHECK(send("PATCH", "/api/tenant/" + a, json{{"tenant", {{"name", "x"}}}}).status == 404);
    CHECK(send("DELETE", "/api/tenant/" + a, std::nullopt).status == 404);
    const json listed = Json(send("GET", "/api/tenant", std::nullopt));
    REQUIRE(listed["tenants"].size() == 1);
    CHECK(listed["tenants"][0]["id"] == b);
  }
  CHECK(Must(Api("GET", "/api/tenant/" + a), "tenant A") == before);
  // Tenants are not a tenant-locked key's to make or delete, its own included.
  CHECK(AsB("POST", "/api/tenant", json{{"tenant", {{"name", "C"}, {"issuer", "c.test"}}}})
            .status == 401);
  CHECK(AsB("DELETE", "/api/tenant/" + b).status == 401);
  CHECK(AsB("PATCH", "/api/tenant/" + b, json{{"tenant", {{"name", "Hooli XYZ"}}}}).status == 200);
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: applications and roles", "[security][cross-tenant]") {
  const json before = Must(Api("GET", "/api/application/" + app_a), "app A");
  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    const std::string path = "/api/application/" + app_a;
    CHECK(send("GET", path, std::nullopt).status == 404);
    CHECK(send("PUT", path, json{{"application", {{"name", "x"}}}}).status == 404);
    CHECK(send("PATCH", path, json{{"application", {{"name", "x"}}}}).status == 404);
    CHECK(send("DELETE", path, std::nullopt).status == 404);
    CHECK(send("DELETE", path + "?hardDelete=true", std::nullopt).status == 404);
    CHECK(send("PUT", path + "?reactivate=true", std::nullopt).status == 404);
    CHECK(send("POST", path + "/role", json{{"role", {{"name", "owner"}}}}).status == 404);
    CHECK(send("DELETE", path + "/role?name=admin", std::nullopt).status == 404);
    const json applications = Json(send("GET", "/api/application", std::nullopt));
    for (const json& listed : applications["applications"]) CHECK(listed["tenantId"] == b);
    // An application made as B is B's, whatever the body says.
    const json made = Must(send("POST", "/api/application",
                                json{{"application", {{"name", "Made by " + who}, {"tenantId", a}}}}),
                           "create");
    CHECK(made["application"]["tenantId"] == b);
  }
  CHECK(Must(Api("GET", "/api/application/" + app_a), "app A") == before);
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: users", "[security][cross-tenant]") {
  const std::string id = admin_a["id"];
  const json before = Must(Api("GET", "/api/user/" + id), "A's admin");
  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    CHECK(send("GET", "/api/user/" + id, std::nullopt).status == 404);
    CHECK(send("GET", "/api/user?email=richard@piedpiper.test", std::nullopt).status == 404);
    CHECK(send("GET", "/api/user?loginId=richard@piedpiper.test", std::nullopt).status == 404);
    CHECK(send("PUT", "/api/user/" + id,
               json{{"user", {{"email", "richard@piedpiper.test"}, {"password", "hijacked!!"}}}})
              .status == 404);
    CHECK(send("PATCH", "/api/user/" + id, json{{"user", {{"password", "hijacked!!"}}}}).status ==
          404);
    CHECK(send("DELETE", "/api/user/" + id, std::nullopt).status == 404);
    CHECK(send("DELETE", "/api/user/" + id + "?hardDelete=true", std::nullopt).status == 404);
    // A user made as B is B's, whatever the body says; A's email is free in B.
    const json made = Must(
        send("POST", "/api/user",
             json{{"user",
                   {{"email", "made." + std::to_string(who.size()) + "@piedpiper.test"},
                    {"password", "correct horse battery"},
                    {"tenantId", a}}}}),
        "create");
    CHECK(made["user"]["tenantId"] == b);
  }
  CHECK(Must(Api("GET", "/api/user/" + id), "A's admin") == before);
  CHECK(LoginAs("richard@piedpiper.test", app_a)["user"]["id"] == id);
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: registrations and import", "[security][cross-tenant]") {
  const std::string id = admin_a["id"];
  const std::string user_b_id = user_b["id"];
  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    const std::string path = "/api/user/registration/" + id + "/" + app_a;
    CHECK(send("GET", path, std::nullopt).status == 404);
    CHECK(send("PUT", path, json{{"registration", {{"roles", {"admin"}}}}}).status == 404);
    CHECK(send("PATCH", path, json{{"registration", {{"roles", {"admin"}}}}}).status == 404);
    CHECK(send("DELETE", path, std::nullopt).status == 404);
    CHECK(send("POST", "/api/user/registration/" + id,
               json{{"registration", {{"applicationId", app_b}}}})
              .status == 404);
    // B's user cannot be registered to A's application.
    CHECK(send("POST", "/api/user/registration/" + user_b_id,
               json{{"registration", {{"applicationId", app_a}, {"roles", {"admin"}}}}})
              .status == 400);
    // Nor imported into A.
    http::HttpResponse imported =
        send("POST", "/api/user/import",
             json{{"users", {{{"email", "imported@piedpiper.test"}, {"tenantId", a}}}}});
    CHECK(imported.status == 400);
    CHECK(HasFieldError(imported, "users.tenantId", "invalid"));
  }
  const json registration =
      Must(Api("GET", "/api/user/registration/" + id + "/" + app_a), "registration");
  CHECK(registration["registration"]["roles"] == json{"admin"});
  CHECK(Api("GET", "/api/user/registration/" + user_b_id + "/" + app_a).status == 404);
  CHECK(Api("GET", "/api/user?email=imported@piedpiper.test",
            std::nullopt, {{"X-FusionAuth-TenantId", a}})
            .status == 404);
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: the Login API and ping", "[security][cross-tenant]") {
  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    // A's application is not B's to log in to, and A's admin is not found in B.
    http::HttpResponse into_a = send("POST", "/api/login",
                                     json{{"loginId", "richard@piedpiper.test"},
                                          {"password", "correct horse battery"},
                                          {"applicationId", app_a}});
    CHECK(into_a.status == 400);
    CHECK(into_a.body.find("token") == std::string::npos);
    CHECK(send("POST", "/api/login",
               json{{"loginId", "richard@piedpiper.test"}, {"password", "correct horse battery"}})
              .status == 404);
    CHECK(send("POST", "/api/login",
               json{{"loginId", "richard@piedpiper.test"},
                    {"password", "correct horse battery"},
                    {"applicationId", app_b}})
              .status == 404);
    http::HttpResponse ping =
        send("PUT", "/api/login/" + admin_a["id"].get<std::string>() + "/" + app_a, std::nullopt);
    CHECK(ping.status / 100 == 4);
    CHECK(ping.body.find("token") == std::string::npos);
  }
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: refresh tokens and logout", "[security][cross-tenant]") {
  const json session = LoginAs("richard@piedpiper.test", app_a);
  const std::string refresh_token = session["refreshToken"];
  const std::string token_id = session["refreshTokenId"];
  const std::string id = admin_a["id"];
  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    CHECK(send("GET", "/api/jwt/refresh?userId=" + id, std::nullopt).status == 404);
    CHECK(send("GET", "/api/jwt/refresh/" + token_id, std::nullopt).status == 404);
    CHECK(send("DELETE", "/api/jwt/refresh/" + token_id, std::nullopt).status == 404);
    CHECK(send("DELETE", "/api/jwt/refresh?userId=" + id, std::nullopt).status == 404);
    CHECK(send("DELETE", "/api/jwt/refresh?applicationId=" + app_a, std::nullopt).status == 404);
    CHECK(send("DELETE", "/api/jwt/refresh?token=" + refresh_token, std::nullopt).status == 404);
    CHECK(send("DELETE", "/api/jwt/refresh", json{{"token", refresh_token}}).status == 404);
    http::HttpResponse refreshed =
        send("POST", "/api/jwt/refresh", json{{"refreshToken", refresh_token}});
    CHECK(refreshed.status == 400);
    CHECK(HasFieldError(refreshed, "refreshToken", "invalid"));
    // A logout scoped to B ignores A's token (as an unknown one), and so does a global one.
    CHECK(send("POST", "/api/logout?global=true&refreshToken=" + refresh_token, std::nullopt)
              .status == 200);
  }
  // A's session is untouched.
  const json tokens = Must(Api("GET", "/api/jwt/refresh?userId=" + id), "tokens");
  CHECK(tokens["refreshTokens"].size() == 1);
  CHECK(Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh_token}}).status == 200);
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: the JWT validate API", "[security][cross-tenant]") {
  const std::string token = LoginAs("richard@piedpiper.test", app_a)["token"];
  auto validate = [&](HttpHeaders headers) {
    headers.emplace_back("Authorization", "Bearer " + token);
    return Api("GET", "/api/jwt/validate", std::nullopt, std::move(headers), false);
  };
  CHECK(validate({}).status == 200);
  CHECK(validate({{"X-FusionAuth-TenantId", a}}).status == 200);
  CHECK(validate({{"X-FusionAuth-TenantId", b}}).status == 401);
  CHECK_FALSE(
      engine->tokens().Validate(token, {.tenant_id = REQUIRE_VALUE(TenantId::Parse(b))}).ok());
  // B's own tokens validate scoped to B.
  const std::string own = LoginAs("gavin@hooli.test", app_b)["token"];
  CHECK(Api("GET", "/api/jwt/validate", std::nullopt,
            {{"Authorization", "Bearer " + own}, {"X-FusionAuth-TenantId", b}}, false)
            .status == 200);
  // Revoking A's refresh tokens with A's access token as proof, scoped to B: refused.
  const json session = LoginAs("richard@piedpiper.test", app_a);
  CHECK(Api("DELETE", "/api/jwt/refresh/" + session["refreshTokenId"].get<std::string>(),
            std::nullopt,
            {{"Authorization", "Bearer " + session["token"].get<std::string>()},
             {"X-FusionAuth-TenantId", b}},
            false)
            .status == 401);
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: identity providers, lookup and links",
                 "[security][cross-tenant]") {
  IdentityProvider scoped = ExternalJwtProvider(LinkingStrategy::kLinkByEmail, "A's own");
  scoped.tenant_id = REQUIRE_VALUE(TenantId::Parse(a));
  scoped.domains = {"piedpiper.test"};
  scoped = CreateProvider(scoped);
  const std::string provider = scoped.id.ToString();
  const json before = Must(Api("GET", "/api/identity-provider/" + provider), "provider");
  const std::string id = admin_a["id"];
  // A's admin linked through it.
  REQUIRE(LoginWith(scoped, Mint({{"sub", "ext-richard"},
                                  {"email", "richard@piedpiper.test"},
                                  {"email_verified", true}}))
              .ok());

  for (const auto& [who, send] : AsTenantB(*this)) {
    INFO(who);
    const std::string path = "/api/identity-provider/" + provider;
    CHECK(send("GET", path, std::nullopt).status == 404);
    CHECK(send("PUT", path, json{{"identityProvider", {{"name", "x"}}}}).status == 404);
    CHECK(send("PATCH", path, json{{"identityProvider", {{"name", "x"}}}}).status == 404);
    CHECK(send("DELETE", path, std::nullopt).status == 404);
    const json providers = Json(send("GET", "/api/identity-provider", std::nullopt));
    for (const json& listed : providers["identityProviders"]) CHECK(listed["id"] != provider);
    CHECK(send("GET", "/api/identity-provider/lookup?domain=piedpiper.test", std::nullopt)
              .status == 404);
    // Links of A's users.
    CHECK(send("GET", "/api/identity-provider/link?userId=" + id, std::nullopt).status == 404);
    CHECK(send("GET",
               "/api/identity-provider/link?identityProviderId=" + provider +
                   "&identityProviderUserId=ext-richard",
               std::nullopt)
              .status == 404);
    CHECK(send("DELETE",
               "/api/identity-provider/link?identityProviderId=" + provider +
                   "&identityProviderUserId=ext-richard&userId=" + id,
               std::nullopt)
              .status == 404);
    CHECK(send("POST", "/api/identity-provider/link",
               json{{"identityProviderLink",
                     {{"identityProviderId", provider},
                      {"identityProviderUserId", "ext-attacker"},
                      {"userId", id}}}})
              .status == 404);
    // B's user cannot be linked through A's tenant's provider.
    CHECK(send("POST", "/api/identity-provider/link",
               json{{"identityProviderLink",
                     {{"identityProviderId", provider},
                      {"identityProviderUserId", "ext-gavin"},
                      {"userId", user_b["id"]}}}})
              .status / 100 == 4);
  }
  // A login through A's provider, scoped to B, does not reach A.
  http::HttpResponse login =
      Api("POST", "/api/identity-provider/login",
          json{{"applicationId", app_a},
               {"identityProviderId", provider},
               {"data",
                {{"token", Mint({{"sub", "ext-richard"},
                                 {"email", "richard@piedpiper.test"},
                                 {"email_verified", true}})}}}},
          {{"X-FusionAuth-TenantId", b}}, false);
  CHECK(login.status == 400);
  CHECK(login.body.find("token\"") == std::string::npos);

  CHECK(Must(Api("GET", "/api/identity-provider/" + provider), "provider") == before);
  const json links = Must(Api("GET", "/api/identity-provider/link?userId=" + id), "links");
  REQUIRE(links["identityProviderLinks"].size() == 1);
  CHECK(links["identityProviderLinks"][0]["identityProviderUserId"] == "ext-richard");
}

TEST_CASE_METHOD(TwoTenants, "cross-tenant: API keys", "[security][cross-tenant]") {
  ApiKey locked_to_a;
  locked_to_a.name = "tenant A";
  locked_to_a.tenant_id = REQUIRE_VALUE(TenantId::Parse(a));
  const ApiKey key_a = Must(engine->api_keys().Create(locked_to_a), "A's key");
  const std::string path = "/api/api-key/" + key_a.id.ToString();
  CHECK(AsB("GET", path).status == 404);
  CHECK(AsB("PUT", path, json{{"apiKey", {{"metaData", {{"attributes", {{"x", "y"}}}}}}}}).status ==
        404);
  CHECK(AsB("DELETE", path).status == 404);
  http::HttpResponse made = AsB("POST", "/api/api-key", json{{"apiKey", {{"tenantId", a}}}});
  CHECK(made.status == 400);
  CHECK(HasFieldError(made, "apiKey.tenantId", "invalid"));
  // A's key still works, in A only.
  CHECK(Api("GET", "/api/user/" + admin_a["id"].get<std::string>(), std::nullopt,
            {{"Authorization", key_a.key}}, false)
            .status == 200);
  CHECK(Api("GET", "/api/user/" + user_b["id"].get<std::string>(), std::nullopt,
            {{"Authorization", key_a.key}}, false)
            .status == 404);
}

}  // namespace
}  // namespace bulwark::test
