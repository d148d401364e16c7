// SPDX-License-Identifier: Apache-2.0
// The Router's Login, JWT, Key, identity-provider and API Key APIs on the wire.
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/testing/status_matchers.h"
#include "integration/router_fixture.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

// The value of cookie `name` among Set-Cookie headers, with its attributes.
std::optional<std::string> SetCookie(const http::HttpResponse& response, const std::string& name) {
  for (const std::string& cookie : RouterFixture::Cookies(response)) {
    if (cookie.rfind(name + "=", 0) == 0) return cookie;
  }
  return std::nullopt;
}

std::string CookieValue(const std::string& set_cookie) {
  const std::size_t eq = set_cookie.find('=');
  return set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
}

struct LoginFixture : RouterFixture {
  json user;
  LoginFixture() {
    user = RegisterUser("richard@piedpiper.test");
    // Refresh tokens on.
    http::HttpResponse patched =
        Api("PATCH", "/api/application/" + app.id.ToString(),
            json{{"application",
                  {{"loginConfiguration",
                    {{"generateRefreshTokens", true}, {"allowTokenRefresh", true}}}}}});
    if (patched.status != 200) throw std::runtime_error("patch: " + patched.body);
  }

  http::HttpResponse Login(const std::string& login_id, const std::string& password,
                           bool with_key = true, bool with_app = true) {
    json body = {{"loginId", login_id}, {"password", password}};
    if (with_app) body["applicationId"] = app.id.ToString();
    return Api("POST", "/api/login", body, {}, with_key);
  }
};

TEST_CASE_METHOD(LoginFixture, "Router login: 200 with tokens, cookies and no-store",
                 "[router][login]") {
  http::HttpResponse response = Login("richard@piedpiper.test", "correct horse battery");
  REQUIRE(response.status == 200);
  const json body = Json(response);
  CHECK(body["user"]["id"] == user["id"]);
  CHECK_FALSE(body["user"].contains("password"));
  REQUIRE(body["token"].is_string());
  REQUIRE(body["refreshToken"].is_string());
  CHECK(body["refreshTokenId"].is_string());
  CHECK(body["tokenExpirationInstant"].is_number_integer());
  CHECK(Header(response, "Cache-Control") == "no-store");

  std::optional<std::string> access = SetCookie(response, "access_token");
  std::optional<std::string> refresh = SetCookie(response, "refresh_token");
  REQUIRE(access.has_value());
  REQUIRE(refresh.has_value());
  CHECK(CookieValue(*access) == body["token"]);
  CHECK(CookieValue(*refresh) == body["refreshToken"]);
  CHECK(access->find("HttpOnly") != std::string::npos);
  CHECK(access->find("Max-Age") == std::string::npos);  // a session cookie
  CHECK(refresh->find("Max-Age=" + std::to_string(43200 * 60)) != std::string::npos);
  CHECK(access->find("Secure") == std::string::npos);  // plain http

  http::HttpRequest secure = Request("POST", "/api/login",
                                     json{{"loginId", "richard@piedpiper.test"},
                                          {"password", "correct horse battery"},
                                          {"applicationId", app.id.ToString()}}
                                         .dump(),
                                     {{"Authorization", key}});
  secure.scheme = "https";
  CHECK(SetCookie(Send(secure), "access_token")->find("; Secure") != std::string::npos);

  // noJWT: no token, no cookie.
  http::HttpResponse quiet = Api("POST", "/api/login",
                                 json{{"loginId", "richard@piedpiper.test"},
                                      {"password", "correct horse battery"},
                                      {"applicationId", app.id.ToString()},
                                      {"noJWT", true}});
  REQUIRE(quiet.status == 200);
  CHECK_FALSE(Json(quiet).contains("token"));
  CHECK(Cookies(quiet).empty());
}

TEST_CASE_METHOD(LoginFixture, "Router login: the statuses without bodies and the key rule",
                 "[router][login]") {
  http::HttpResponse wrong = Login("richard@piedpiper.test", "wrong password!!");
  CHECK(wrong.status == 404);
  CHECK(wrong.body.empty());
  CHECK_FALSE(Header(wrong, "Content-Type").has_value());
  CHECK(Login("nobody@piedpiper.test", "correct horse battery").status == 404);

  // requireAuthentication (the default) needs the key.
  CHECK(Login("richard@piedpiper.test", "correct horse battery", false).status == 401);
  Api("PATCH", "/api/application/" + app.id.ToString(),
      json{{"application", {{"loginConfiguration", {{"requireAuthentication", false}}}}}});
  CHECK(Login("richard@piedpiper.test", "correct horse battery", false).status == 200);
  // A bad key is refused even where none is needed.
  CHECK(Api("POST", "/api/login",
            json{{"loginId", "richard@piedpiper.test"},
                 {"password", "correct horse battery"},
                 {"applicationId", app.id.ToString()}},
            {{"Authorization", "not-the-key-at-all"}}, false)
            .status == 401);

  // 202: not registered for the application.
  RegisterUser("gilfoyle@piedpiper.test");
  http::HttpResponse other_app =
      Api("POST", "/api/application", json{{"application", {{"name", "Nucleus"}}}});
  const std::string nucleus = Json(other_app)["application"]["id"];
  http::HttpResponse unregistered = Api("POST", "/api/login",
                                        json{{"loginId", "gilfoyle@piedpiper.test"},
                                             {"password", "correct horse battery"},
                                             {"applicationId", nucleus}});
  CHECK(unregistered.status == 202);
  CHECK(Json(unregistered)["user"]["email"] == "gilfoyle@piedpiper.test");

  // 400 for blank fields.
  http::HttpResponse blank = Api("POST", "/api/login", json{{"loginId", ""}});
  CHECK(blank.status == 400);
  CHECK(Json(blank)["fieldErrors"].contains("loginId"));
}

TEST_CASE_METHOD(LoginFixture, "Router login: 203 carries only the change-password id and reason",
                 "[router][login]") {
  REQUIRE(
      Api("PATCH", "/api/user/" + user["id"].get<std::string>(),
          json{{"user",
                {{"passwordChangeRequired", true}, {"passwordChangeReason", "Administrative"}}}})
          .status == 200);
  http::HttpResponse response = Login("richard@piedpiper.test", "correct horse battery");
  REQUIRE(response.status == 203);
  const json body = Json(response);
  CHECK(body.size() == 2);
  CHECK(body["changePasswordId"].is_string());
  CHECK(body["changePasswordReason"] == "Administrative");
  CHECK(Cookies(response).empty());
}

TEST_CASE_METHOD(RouterFixture,
                 "Router: the tenant header scopes tenant creation only for locked keys",
                 "[router][tenant]") {
  http::HttpResponse created = Api("POST", "/api/tenant", json{{"tenant", {{"name", "Hooli"}}}},
                                   {{"X-FusionAuth-TenantId", default_tenant().ToString()}});
  CHECK(created.status == 200);
}

TEST_CASE_METHOD(LoginFixture, "Router login: 423 after repeated failures", "[router][login]") {
  Tenant tenant = REQUIRE_VALUE(engine->tenants().Retrieve(default_tenant()));
  tenant.failed_authentication_configuration.too_many_attempts = 3;
  tenant.failed_authentication_configuration.action_duration = 5;
  REQUIRE_OK(engine->tenants().Update(tenant));
  for (int i = 0; i < 3; ++i) CHECK(Login("richard@piedpiper.test", "wrong").status == 404);
  http::HttpResponse locked = Login("richard@piedpiper.test", "correct horse battery");
  CHECK(locked.status == 423);
  CHECK(locked.body.empty());
}

TEST_CASE_METHOD(LoginFixture, "Router JWT: validate, refresh, revoke, logout", "[router][jwt]") {
  const json login = Json(Login("richard@piedpiper.test", "correct horse battery"));
  const std::string token = login["token"];
  const std::string refresh = login["refreshToken"];

  SECTION("validate by Bearer and by cookie") {
    http::HttpResponse bearer = Api("GET", "/api/jwt/validate", std::nullopt,
                                    {{"Authorization", "Bearer " + token}}, false);
    REQUIRE(bearer.status == 200);
    CHECK(Json(bearer)["jwt"]["sub"] == user["id"]);
    CHECK(Json(bearer)["jwt"]["exp"].is_number_integer());
    http::HttpResponse cookie = Api("GET", "/api/jwt/validate", std::nullopt,
                                    {{"Cookie", "other=1; access_token=" + token}}, false);
    CHECK(cookie.status == 200);
    std::string tampered = token;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    http::HttpResponse bad = Api("GET", "/api/jwt/validate", std::nullopt,
                                 {{"Authorization", "Bearer " + tampered}}, false);
    CHECK(bad.status == 401);
    CHECK(bad.body.empty());
    CHECK(Api("GET", "/api/jwt/validate", std::nullopt, {}, false).status == 401);
    clock->Advance(std::chrono::hours(2));
    CHECK(
        Api("GET", "/api/jwt/validate", std::nullopt, {{"Authorization", "Bearer " + token}}, false)
            .status == 401);
  }
  SECTION("refresh by body and by cookie") {
    http::HttpResponse refreshed =
        Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false);
    REQUIRE(refreshed.status == 200);
    CHECK(Json(refreshed)["token"].is_string());
    CHECK(Json(refreshed)["refreshToken"] == refresh);  // Reusable
    CHECK(Json(refreshed)["refreshTokenId"] == login["refreshTokenId"]);
    CHECK(Header(refreshed, "Cache-Control") == "no-store");
    CHECK(Header(refreshed, "Content-Type") == "application/json;charset=UTF-8");
    CHECK(SetCookie(refreshed, "access_token").has_value());
    // The members in name order, as every other response writes them.
    const std::string fresh = Json(refreshed)["token"].get<std::string>();
    CHECK(refreshed.body == R"({"refreshToken":")" + refresh + R"(","refreshTokenId":")" +
                                login["refreshTokenId"].get<std::string>() + R"(","token":")" +
                                fresh + R"("})");
    CHECK(
        Api("GET", "/api/jwt/validate", std::nullopt, {{"Authorization", "Bearer " + fresh}}, false)
            .status == 200);

    // The cookie wins over the body.
    http::HttpResponse by_cookie = Api("POST", "/api/jwt/refresh", json{{"refreshToken", "bogus"}},
                                       {{"Cookie", "refresh_token=" + refresh}}, false);
    CHECK(by_cookie.status == 200);

    http::HttpResponse bogus =
        Api("POST", "/api/jwt/refresh", json{{"refreshToken", "bogus"}}, {}, false);
    CHECK(bogus.status == 400);
    CHECK(Json(bogus)["fieldErrors"].contains("refreshToken"));
  }
  SECTION("retrieve and revoke") {
    http::HttpResponse listed =
        Api("GET", "/api/jwt/refresh?userId=" + user["id"].get<std::string>());
    REQUIRE(listed.status == 200);
    REQUIRE(Json(listed)["refreshTokens"].size() == 1);
    CHECK(Json(listed)["refreshTokens"][0]["id"] == login["refreshTokenId"]);
    CHECK(Api("GET", "/api/jwt/refresh/" + login["refreshTokenId"].get<std::string>()).status ==
          200);
    // Without a key, revoking everything of a user is refused.
    CHECK(Api("DELETE", "/api/jwt/refresh?userId=" + user["id"].get<std::string>(), std::nullopt,
              {}, false)
              .status == 401);
    CHECK(Api("DELETE", "/api/jwt/refresh?userId=" + user["id"].get<std::string>()).status == 200);
    CHECK(Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false).status ==
          400);
  }
  SECTION("revoke with a JSON body (revokeRefreshTokensWithRequest)") {
    CHECK(Api("DELETE", "/api/jwt/refresh", json{{"userId", user["id"]}}).status == 200);
    CHECK(Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false).status ==
          400);
  }
  SECTION("revoke by id with the owner's access token") {
    const std::string path = "/api/jwt/refresh/" + login["refreshTokenId"].get<std::string>();
    CHECK(Api("DELETE", path, std::nullopt, {}, false).status == 401);
    CHECK(Api("DELETE", path, std::nullopt, {{"Authorization", "Bearer " + token}}, false).status ==
          200);
    CHECK(Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false).status ==
          400);
  }
  SECTION("logout as the SDK sends it: text/plain, no body, query parameters") {
    http::HttpResponse out =
        Send(Request("POST", "/api/logout?global=false&refreshToken=" + refresh, "",
                     {{"Content-Type", "text/plain"}}));
    CHECK(out.status == 200);
    CHECK(out.body.empty());
    CHECK(SetCookie(out, "refresh_token")->find("Max-Age=0") != std::string::npos);
    CHECK(Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false).status ==
          400);
  }
  SECTION("logout by cookie") {
    CHECK(
        Send(Request("POST", "/api/logout", "", {{"Cookie", "refresh_token=" + refresh}})).status ==
        200);
    CHECK(Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false).status ==
          400);
  }
}

TEST_CASE_METHOD(LoginFixture, "Router login ping", "[router][login]") {
  const std::string path = "/api/login/" + user["id"].get<std::string>() + "/" + app.id.ToString() +
                           "?ipAddress=10.0.0.1";
  http::HttpResponse ping = Api("PUT", path);
  CHECK(ping.status == 200);
  CHECK(Api("PUT", path, std::nullopt, {}, false).status == 401);
  http::HttpResponse by_body =
      Api("PUT", "/api/login", json{{"userId", user["id"]}, {"applicationId", app.id.ToString()}});
  CHECK(by_body.status == 200);
  CHECK(Api("PUT", "/api/login/00000000-0000-4000-8000-000000000001/" + app.id.ToString()).status ==
        404);
}

TEST_CASE_METHOD(RouterFixture, "Router keys: generate, import, public keys, JWKS",
                 "[router][key]") {
  http::HttpResponse generated = Api("POST", "/api/key/generate",
                                     json{{"key", {{"algorithm", "ES256"}, {"name", "signing"}}}});
  REQUIRE(generated.status == 200);
  const json key_json = Json(generated)["key"];
  CHECK_FALSE(key_json.contains("privateKey"));
  CHECK(key_json["hasPrivateKey"] == true);
  const std::string kid = key_json["kid"];

  http::HttpResponse one = Api("GET", "/api/jwt/public-key?kid=" + kid, std::nullopt, {}, false);
  REQUIRE(one.status == 200);
  CHECK(Json(one)["publicKey"] == key_json["publicKey"]);
  CHECK(Api("GET", "/api/jwt/public-key?kid=nope", std::nullopt, {}, false).status == 404);
  http::HttpResponse all = Api("GET", "/api/jwt/public-key", std::nullopt, {}, false);
  CHECK(Json(all)["publicKeys"][kid] == key_json["publicKey"]);

  http::HttpResponse jwks = Api("GET", "/.well-known/jwks.json", std::nullopt, {}, false);
  REQUIRE(jwks.status == 200);
  bool found = false;
  const json jwks_body = Json(jwks);
  for (const json& jwk : jwks_body["keys"]) found = found || jwk["kid"] == kid;
  CHECK(found);

  // The application's key.
  Api("PATCH", "/api/application/" + app.id.ToString(),
      json{{"application",
            {{"jwtConfiguration", {{"enabled", true}, {"accessTokenKeyId", key_json["id"]}}}}}});
  CHECK(Json(Api("GET", "/api/jwt/public-key?applicationId=" + app.id.ToString(), std::nullopt, {},
                 false))["publicKey"] == key_json["publicKey"]);

  const std::string id = key_json["id"];
  CHECK(Json(Api("PUT", "/api/key/" + id, json{{"key", {{"name", "renamed"}}}}))["key"]["name"] ==
        "renamed");
  CHECK(Json(Api("GET", "/api/key"))["keys"].size() >= 2);
  http::HttpResponse hmac = Api("POST", "/api/key/import",
                                json{{"key",
                                      {{"name", "shared"},
                                       {"type", "HMAC"},
                                       {"algorithm", "HS256"},
                                       {"secret", std::string(44, 'k')}}}});
  REQUIRE(hmac.status == 200);
  CHECK_FALSE(Json(hmac)["key"].contains("secret"));
  CHECK(Api("DELETE", "/api/key/" + Json(hmac)["key"]["id"].get<std::string>()).status == 200);
  CHECK(Api("POST", "/api/key/generate", json{{"key", {{"algorithm", "ES256"}}}}).status == 400);
}

TEST_CASE_METHOD(RouterFixture, "Router identity providers: lookup, login, links, pending",
                 "[router][idp]") {
  IdentityProvider provider = ExternalJwtProvider(LinkingStrategy::kLinkByEmail);
  provider.domains = {"piedpiper.test"};
  http::HttpResponse created =
      Api("POST", "/api/identity-provider", json{{"identityProvider", ToJson(provider)}});
  REQUIRE(created.status == 200);
  const std::string provider_id = Json(created)["identityProvider"]["id"];
  CHECK(Json(Api("GET", "/api/identity-provider"))["identityProviders"].size() == 1);

  http::HttpResponse lookup = Api(
      "GET", "/api/identity-provider/lookup?domain=erlich@PiedPiper.test", std::nullopt, {}, false);
  REQUIRE(lookup.status == 200);
  CHECK(Json(lookup)["identityProvider"]["id"] == provider_id);
  CHECK(Api("GET", "/api/identity-provider/lookup?domain=hooli.test").status == 404);

  const std::string token =
      Mint({{"sub", "erlich-1"}, {"email", "erlich@piedpiper.test"}, {"email_verified", true}});
  http::HttpResponse login = Api("POST", "/api/identity-provider/login",
                                 json{{"applicationId", app.id.ToString()},
                                      {"identityProviderId", provider_id},
                                      {"data", {{"token", token}}}},
                                 {}, false);
  REQUIRE(login.status == 200);
  CHECK(Json(login)["token"].is_string());
  CHECK(Header(login, "Cache-Control") == "no-store");
  const std::string user_id = Json(login)["user"]["id"];

  http::HttpResponse links = Api("GET", "/api/identity-provider/link?userId=" + user_id);
  REQUIRE(links.status == 200);
  REQUIRE(Json(links)["identityProviderLinks"].size() == 1);
  CHECK(Json(links)["identityProviderLinks"][0]["identityProviderUserId"] == "erlich-1");
  http::HttpResponse one =
      Api("GET", "/api/identity-provider/link?identityProviderId=" + provider_id +
                     "&identityProviderUserId=erlich-1");
  CHECK(Json(one)["identityProviderLink"]["userId"] == user_id);

  // A bad token is 401 with no body.
  http::HttpResponse bad = Api("POST", "/api/identity-provider/login",
                               json{{"applicationId", app.id.ToString()},
                                    {"identityProviderId", provider_id},
                                    {"data", {{"token", token + "x"}}}},
                               {}, false);
  CHECK(bad.status == 401);
  CHECK(bad.body.empty());

  // Unlink, then link by the API.
  CHECK(Api("DELETE", "/api/identity-provider/link?identityProviderId=" + provider_id +
                          "&identityProviderUserId=erlich-1&userId=" + user_id)
            .status == 200);
  CHECK(Api("GET", "/api/identity-provider/link?identityProviderId=" + provider_id +
                       "&identityProviderUserId=erlich-1")
            .status == 404);
  http::HttpResponse linked = Api("POST", "/api/identity-provider/link",
                                  json{{"identityProviderLink",
                                        {{"identityProviderId", provider_id},
                                         {"identityProviderUserId", "erlich-1"},
                                         {"userId", user_id},
                                         {"displayName", "Erlich"}}}});
  REQUIRE(linked.status == 200);
  CHECK(Json(linked)["identityProviderLink"]["displayName"] == "Erlich");
  // The flat (pre-1.43) body of the same link is a duplicate.
  http::HttpResponse again = Api("POST", "/api/identity-provider/link",
                                 json{{"identityProviderId", provider_id},
                                      {"identityProviderUserId", "erlich-1"},
                                      {"userId", user_id}});
  CHECK(again.status == 400);
}

TEST_CASE_METHOD(RouterFixture, "Router identity providers: 232 and completing the pending link",
                 "[router][idp]") {
  IdentityProvider provider = ExternalJwtProvider(LinkingStrategy::kCreatePendingLink);
  http::HttpResponse created =
      Api("POST", "/api/identity-provider", json{{"identityProvider", ToJson(provider)}});
  REQUIRE(created.status == 200);
  const std::string provider_id = Json(created)["identityProvider"]["id"];
  const json user = RegisterUser("jared@piedpiper.test");

  http::HttpResponse pending = Api(
      "POST", "/api/identity-provider/login",
      json{{"applicationId", app.id.ToString()},
           {"identityProviderId", provider_id},
           {"data", {{"token", Mint({{"sub", "jared-9"}, {"email", "jared@piedpiper.test"}})}}}},
      {}, false);
  REQUIRE(pending.status == 232);
  const json body = Json(pending);
  CHECK(body.size() == 1);
  const std::string pending_id = body["pendingIdPLinkId"];
  CHECK(Cookies(pending).empty());

  http::HttpResponse retrieved = Api("GET", "/api/identity-provider/link/pending/" + pending_id +
                                                "?userId=" + user["id"].get<std::string>());
  REQUIRE(retrieved.status == 200);
  CHECK(Json(retrieved)["pendingIdPLink"]["identityProviderUserId"] == "jared-9");
  CHECK(Json(retrieved)["linkCount"] == 0);

  http::HttpResponse completed = Api(
      "POST", "/api/identity-provider/link",
      json{{"pendingIdPLinkId", pending_id}, {"identityProviderLink", {{"userId", user["id"]}}}});
  REQUIRE(completed.status == 200);
  CHECK(Json(completed)["identityProviderLink"]["identityProviderUserId"] == "jared-9");
  // Once only.
  CHECK(Api("POST", "/api/identity-provider/link",
            json{{"pendingIdPLinkId", pending_id}, {"userId", user["id"]}})
            .status != 200);
  CHECK(Api("GET", "/api/identity-provider/link/pending/" + pending_id).status == 404);
}

TEST_CASE_METHOD(RouterFixture, "Router API Key API: key managers, limits, tenants",
                 "[router][api-key]") {
  // The fixture's key is not a key manager.
  CHECK(Api("POST", "/api/api-key", json{{"apiKey", {{"name", "x"}}}}).status == 401);

  ApiKey manager;
  manager.name = "manager";
  manager.key_manager = true;
  const std::string manager_key = REQUIRE_VALUE(engine->api_keys().Create(manager)).key;
  const HttpHeaders as_manager = {{"Authorization", manager_key}};

  http::HttpResponse created =
      Api("POST", "/api/api-key",
          json{{"apiKey",
                {{"name", "reader"}, {"permissions", {{"endpoints", {{"/api/user", {"GET"}}}}}}}}},
          as_manager, false);
  REQUIRE(created.status == 200);
  const json api_key = Json(created)["apiKey"];
  REQUIRE(api_key["key"].is_string());
  CHECK(Header(created, "Cache-Control") == "no-store");
  const std::string reader = api_key["key"];
  CHECK(Api("GET", "/api/tenant", std::nullopt, {{"Authorization", reader}}, false).status == 401);

  // Retrieval never shows the secret again.
  http::HttpResponse retrieved = Api("GET", "/api/api-key/" + api_key["id"].get<std::string>(),
                                     std::nullopt, as_manager, false);
  REQUIRE(retrieved.status == 200);
  CHECK_FALSE(Json(retrieved)["apiKey"].contains("key"));

  // A limited manager cannot grant more than it has.
  ApiKey limited_manager;
  limited_manager.name = "limited manager";
  limited_manager.key_manager = true;
  limited_manager.endpoint_permissions["/api/api-key"] = {"POST"};
  limited_manager.endpoint_permissions["/api/user"] = {"GET"};
  const std::string limited = REQUIRE_VALUE(engine->api_keys().Create(limited_manager)).key;
  http::HttpResponse wider =
      Api("POST", "/api/api-key",
          json{{"apiKey", {{"permissions", {{"endpoints", {{"/api/user", {"GET", "DELETE"}}}}}}}}},
          {{"Authorization", limited}}, false);
  CHECK(wider.status == 400);
  http::HttpResponse unrestricted = Api("POST", "/api/api-key", json{{"apiKey", json::object()}},
                                        {{"Authorization", limited}}, false);
  CHECK(unrestricted.status == 400);

  CHECK(Api("DELETE", "/api/api-key/" + api_key["id"].get<std::string>(), std::nullopt, as_manager,
            false)
            .status == 200);
  CHECK(Api("GET", "/api/user?email=x@y.test", std::nullopt, {{"Authorization", reader}}, false)
            .status == 401);
}

TEST_CASE_METHOD(LoginFixture, "Router: concurrent logins and refreshes", "[router][threads]") {
  const std::string refresh =
      Json(Login("richard@piedpiper.test", "correct horse battery"))["refreshToken"];
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        if (t % 2 == 0) {
          if (Login("richard@piedpiper.test", "correct horse battery").status == 200) ++ok;
        } else {
          if (Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh}}, {}, false).status ==
              200) {
            ++ok;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(ok == 20);
}

}  // namespace
}  // namespace bulwark::test
