// SPDX-License-Identifier: Apache-2.0
// The OAuth 2.0 / OpenID Connect endpoints through the Router, as a browser and a client
// send them: form bodies, cookies, Basic credentials, and the headers pages and token
// responses must carry.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "bulwark/crypto/jwt.h"
#include "bulwark/http_client.h"  // FormUrlEncode
#include "integration/router_fixture.h"

namespace bulwark::test {
namespace {

constexpr const char* kRedirect = "https://app.example/cb";
constexpr const char* kSecret = "router-test-secret";

struct OAuthRouterFixture : RouterFixture {
  std::string user_id;
  OAuthRouterFixture() {
    Application a = app;
    a.oauth_configuration.authorized_redirect_urls = {kRedirect};
    a.oauth_configuration.client_secret = kSecret;
    a.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode, GrantType::kRefreshToken,
                                            GrantType::kPassword};
    app = REQUIRE_VALUE(engine->applications().Update(a));
    user_id = RegisterUser("dinesh@piedpiper.com")["id"];
  }

  static std::string Basic(const std::string& id, const std::string& secret) {
    // base64 of "id:secret" (both are already form-safe here).
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = id + ":" + secret;
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
      unsigned int n = static_cast<unsigned char>(in[i]) << 16;
      if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
      if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
      out.push_back(alphabet[(n >> 18) & 63]);
      out.push_back(alphabet[(n >> 12) & 63]);
      out.push_back(i + 1 < in.size() ? alphabet[(n >> 6) & 63] : '=');
      out.push_back(i + 2 < in.size() ? alphabet[n & 63] : '=');
    }
    return "Basic " + out;
  }

  http::HttpResponse Form(std::string path,
                          const std::vector<std::pair<std::string, std::string>>& fields,
                          HttpHeaders headers = {}) const {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return Send(Request("POST", path, FormUrlEncode(fields), std::move(headers)));
  }

  std::string AuthorizeQuery() const {
    return "/oauth2/authorize?" + FormUrlEncode({{"client_id", app.id.ToString()},
                                                 {"redirect_uri", kRedirect},
                                                 {"response_type", "code"},
                                                 {"scope", "openid offline_access"},
                                                 {"state", "xyz"},
                                                 {"nonce", "n-1"}});
  }

  static std::string CookieOf(const http::HttpResponse& response, const std::string& name) {
    for (const std::string& cookie : Cookies(response)) {
      if (cookie.rfind(name + "=", 0) == 0)
        return cookie.substr(name.size() + 1, cookie.find(';') - name.size() - 1);
    }
    return "";
  }

  // A page's hidden form fields (the test's values have nothing to unescape).
  static std::vector<std::pair<std::string, std::string>> HiddenFields(const std::string& html) {
    std::vector<std::pair<std::string, std::string>> fields;
    const std::string_view open = "<input type=\"hidden\" name=\"";
    for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
      const std::size_t name = at + open.size();
      const std::size_t name_end = html.find('"', name);
      const std::size_t value = html.find("value=\"", name_end) + 7;
      const std::size_t value_end = html.find('"', value);
      fields.emplace_back(html.substr(name, name_end - name),
                          html.substr(value, value_end - value));
    }
    return fields;
  }

  // The login page's form fields, the password filled in.
  static std::vector<std::pair<std::string, std::string>> FilledForm(const std::string& html,
                                                                     std::string password) {
    std::vector<std::pair<std::string, std::string>> fields = HiddenFields(html);
    fields.emplace_back("loginId", "dinesh@piedpiper.com");
    fields.emplace_back("password", std::move(password));
    return fields;
  }

  // The token endpoint's answer for `code` (client_secret_basic).
  http::HttpResponse ExchangeCode(const std::string& code) const {
    return Form("/oauth2/token",
                {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirect}},
                {{"Authorization", Basic(app.id.ToString(), kSecret)}});
  }

  // GET the page, POST the form: the 302.
  http::HttpResponse LogIn() const {
    http::HttpResponse page = Send(Request("GET", AuthorizeQuery()));
    REQUIRE(page.status == 200);
    const std::string csrf = CookieOf(page, "bulwark.csrf");
    return Form("/oauth2/authorize", FilledForm(page.body, "correct horse battery"),
                {{"Cookie", "bulwark.csrf=" + csrf}, {"Origin", "http://localhost:9011"}});
  }

  static std::map<std::string, std::string> QueryOf(const std::string& location) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] :
         http::ParseQueryString(location.substr(location.find('?') + 1))) {
      out[name] = value;
    }
    return out;
  }
};

TEST_CASE("Router /oauth2: the login page carries its security headers", "[router][oauth2]") {
  OAuthRouterFixture f;
  http::HttpResponse page = f.Send(f.Request("GET", f.AuthorizeQuery()));
  REQUIRE(page.status == 200);
  CHECK(f.Header(page, "Content-Type") == "text/html; charset=utf-8");
  const std::string csp = f.Header(page, "Content-Security-Policy").value_or("");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(f.Header(page, "X-Frame-Options") == "DENY");
  CHECK(f.Header(page, "Referrer-Policy") == "no-referrer");
  CHECK(f.Header(page, "Cache-Control").value_or("").find("no-store") != std::string::npos);
  CHECK_FALSE(f.CookieOf(page, "bulwark.csrf").empty());

  SECTION("an application with authorized origins may be framed by them") {
    Application a = f.app;
    a.oauth_configuration.authorized_origin_urls = {"https://app.example"};
    REQUIRE_OK(f.engine->applications().Update(a));
    http::HttpResponse framed = f.Send(f.Request("GET", f.AuthorizeQuery()));
    CHECK_FALSE(f.Header(framed, "X-Frame-Options").has_value());
    CHECK(
        f.Header(framed, "Content-Security-Policy")->find("frame-ancestors https://app.example") !=
        std::string::npos);
  }
}

TEST_CASE("Router /oauth2: code flow, token, userinfo, introspect, revoke, logout",
          "[router][oauth2]") {
  OAuthRouterFixture f;
  http::HttpResponse posted = f.LogIn();
  REQUIRE(posted.status == 302);
  const std::string location = f.Header(posted, "Location").value_or("");
  REQUIRE(location.rfind(std::string(kRedirect) + "?", 0) == 0);
  const auto params = f.QueryOf(location);
  CHECK(params.at("state") == "xyz");
  const std::string sso = f.CookieOf(posted, "bulwark.sso");
  REQUIRE_FALSE(sso.empty());

  http::HttpResponse token = f.ExchangeCode(params.at("code"));
  REQUIRE(token.status == 200);
  CHECK(f.Header(token, "Cache-Control").value_or("").find("no-store") != std::string::npos);
  CHECK(f.Header(token, "Pragma") == "no-cache");
  const nlohmann::json body = f.Json(token);
  CHECK(body["token_type"] == "Bearer");
  CHECK(body["userId"] == f.user_id);
  const std::string access = body["access_token"];
  const std::string refresh = body["refresh_token"];

  http::HttpResponse info =
      f.Send(f.Request("GET", "/oauth2/userinfo", "", {{"Authorization", "Bearer " + access}}));
  REQUIRE(info.status == 200);
  CHECK(f.Json(info)["sub"] == f.user_id);
  CHECK(f.Send(f.Request("GET", "/oauth2/userinfo")).status == 401);

  http::HttpResponse introspected =
      f.Form("/oauth2/introspect",
             {{"client_id", f.app.id.ToString()}, {"client_secret", kSecret}, {"token", access}});
  REQUIRE(introspected.status == 200);
  CHECK(f.Json(introspected)["active"] == true);
  CHECK(f.Json(introspected)["client_id"] == f.app.id.ToString());
  http::HttpResponse refresh_info =
      f.Form("/oauth2/introspect",
             {{"client_id", f.app.id.ToString()}, {"client_secret", kSecret}, {"token", refresh}});
  CHECK(f.Json(refresh_info)["active"] == true);
  CHECK(f.Json(refresh_info)["token_type"] == "refresh_token");

  http::HttpResponse revoked =
      f.Form("/oauth2/revoke",
             {{"client_id", f.app.id.ToString()}, {"client_secret", kSecret}, {"token", refresh}});
  CHECK(revoked.status == 200);
  CHECK(f.Json(f.Form("/oauth2/introspect", {{"client_id", f.app.id.ToString()},
                                             {"client_secret", kSecret},
                                             {"token", refresh}}))["active"] == false);
  http::HttpResponse refreshed = f.Form("/oauth2/token", {{"grant_type", "refresh_token"},
                                                          {"client_id", f.app.id.ToString()},
                                                          {"client_secret", kSecret},
                                                          {"refresh_token", refresh}});
  CHECK(refreshed.status == 400);
  CHECK(f.Json(refreshed)["error"] == "invalid_grant");

  http::HttpResponse logout =
      f.Send(f.Request("GET",
                       "/oauth2/logout?" + FormUrlEncode({{"client_id", f.app.id.ToString()},
                                                          {"post_logout_redirect_uri", kRedirect},
                                                          {"state", "bye"}}),
                       "", {{"Cookie", "bulwark.sso=" + sso}}));
  REQUIRE(logout.status == 302);
  CHECK(f.Header(logout, "Location") == std::string(kRedirect) + "?state=bye");
  CHECK(f.CookieOf(logout, "bulwark.sso").empty());
  // The session is over: prompt=none answers login_required.
  http::HttpResponse silent = f.Send(f.Request("GET", f.AuthorizeQuery() + "&prompt=none", "",
                                               {{"Cookie", "bulwark.sso=" + sso}}));
  REQUIRE(silent.status == 302);
  CHECK(f.QueryOf(f.Header(silent, "Location").value_or(""))["error"] == "login_required");
}

TEST_CASE("Router /oauth2: a third-party application's consent page", "[router][oauth2]") {
  OAuthRouterFixture f;
  Application a = f.app;
  a.oauth_configuration.relationship = OAuthRelationship::kThirdParty;
  a.oauth_configuration.consent_mode = ConsentMode::kAlwaysPrompt;
  f.app = REQUIRE_VALUE(f.engine->applications().Update(a));
  // The login's answer is the consent page, served as every page is.
  http::HttpResponse page = f.LogIn();
  REQUIRE(page.status == 200);
  CHECK(page.body.find("name=\"scopeConsents[offline_access]\"") != std::string::npos);
  CHECK(f.Header(page, "X-Frame-Options") == "DENY");
  CHECK(f.Header(page, "Content-Security-Policy")->find("default-src 'none'") != std::string::npos);
  const std::string sso = f.CookieOf(page, "bulwark.sso");
  REQUIRE_FALSE(sso.empty());
  // Two CSRF cookies: the login form's cleared (its path) and the consent form's (its own).
  std::string csrf;
  for (const std::string& cookie : f.Cookies(page)) {
    if (cookie.rfind("bulwark.csrf=", 0) == 0 &&
        cookie.find("; Path=/oauth2/consent;") != std::string::npos) {
      csrf = cookie.substr(13, cookie.find(';') - 13);
    }
  }
  REQUIRE_FALSE(csrf.empty());
  std::vector<std::pair<std::string, std::string>> fields = f.HiddenFields(page.body);
  const HttpHeaders cookies{{"Cookie", "bulwark.sso=" + sso + "; bulwark.csrf=" + csrf},
                            {"Origin", "http://localhost:9011"}};
  SECTION("allow, with the optional scope left out") {
    fields.emplace_back("action", "allow");
    http::HttpResponse allowed = f.Form("/oauth2/consent", fields, cookies);
    REQUIRE(allowed.status == 302);
    const auto params = f.QueryOf(f.Header(allowed, "Location").value_or(""));
    REQUIRE(params.count("code") == 1);
    http::HttpResponse token = f.ExchangeCode(params.at("code"));
    REQUIRE(token.status == 200);
    CHECK(f.Json(token)["scope"] == "openid");
    CHECK_FALSE(f.Json(token).contains("refresh_token"));
  }
  SECTION("allow offline_access: a refresh token") {
    fields.emplace_back("scopeConsents[offline_access]", "true");
    http::HttpResponse allowed = f.Form("/oauth2/consent", fields, cookies);
    const auto params = f.QueryOf(f.Header(allowed, "Location").value_or(""));
    REQUIRE(params.count("code") == 1);
    http::HttpResponse token = f.ExchangeCode(params.at("code"));
    CHECK(f.Json(token)["scope"] == "openid offline_access");
    CHECK(f.Json(token).contains("refresh_token"));
  }
  SECTION("cancel") {
    fields.emplace_back("action", "cancel");
    http::HttpResponse cancelled = f.Form("/oauth2/consent", fields, cookies);
    REQUIRE(cancelled.status == 302);
    const auto params = f.QueryOf(f.Header(cancelled, "Location").value_or(""));
    CHECK(params.at("error") == "access_denied");
    CHECK(params.at("error_reason") == "consent_canceled");
  }
  SECTION("a scope sent twice is refused") {
    fields.emplace_back("scopeConsents[offline_access]", "true");
    fields.emplace_back("scopeConsents[offline_access]", "true");
    CHECK(f.Form("/oauth2/consent", fields, cookies).status == 400);
  }
  SECTION("posted from another site (its SameSite=Strict CSRF cookie not sent): no code") {
    fields.emplace_back("scopeConsents[offline_access]", "true");
    http::HttpResponse refused =
        f.Form("/oauth2/consent", fields,
               {{"Cookie", "bulwark.sso=" + sso}, {"Origin", "https://evil.example"}});
    REQUIRE(refused.status == 200);  // the page again, for the user to answer
    CHECK(refused.body.find("scopeConsents[offline_access]") != std::string::npos);
    CHECK_FALSE(f.Header(refused, "Location").has_value());
  }
}

TEST_CASE("Router /oauth2: hostile and malformed requests", "[router][oauth2][security]") {
  OAuthRouterFixture f;
  SECTION("a parameter sent twice") {
    http::HttpResponse token = f.Form("/oauth2/token", {{"grant_type", "password"},
                                                        {"grant_type", "password"},
                                                        {"client_id", f.app.id.ToString()}});
    CHECK(token.status == 400);
    CHECK(f.Json(token)["error"] == "invalid_request");
    CHECK(f.Send(f.Request("GET", f.AuthorizeQuery() + "&client_id=x")).status == 400);
  }
  SECTION("a token request that is not a form") {
    http::HttpResponse token = f.Send(f.Request("POST", "/oauth2/token", "{\"grant_type\":1}",
                                                {{"Content-Type", "application/json"}}));
    CHECK(token.status == 400);
  }
  SECTION("Basic and a body secret together") {
    http::HttpResponse token =
        f.Form("/oauth2/token",
               {{"grant_type", "password"}, {"client_secret", kSecret}, {"username", "x"}},
               {{"Authorization", f.Basic(f.app.id.ToString(), kSecret)}});
    CHECK(token.status == 400);
  }
  SECTION("a wrong secret by Basic: 401 with WWW-Authenticate") {
    http::HttpResponse token = f.Form("/oauth2/token",
                                      {{"grant_type", "password"},
                                       {"username", "dinesh@piedpiper.com"},
                                       {"password", "correct horse battery"}},
                                      {{"Authorization", f.Basic(f.app.id.ToString(), "wrong")}});
    CHECK(token.status == 401);
    CHECK(f.Json(token)["error"] == "invalid_client");
    CHECK(f.Header(token, "WWW-Authenticate").has_value());
  }
  SECTION("a login POST without its CSRF cookie logs no one in") {
    http::HttpResponse page = f.Send(f.Request("GET", f.AuthorizeQuery()));
    http::HttpResponse posted =
        f.Form("/oauth2/authorize", f.FilledForm(page.body, "correct horse battery"));
    CHECK(posted.status == 200);
    CHECK(f.CookieOf(posted, "bulwark.sso").empty());
  }
  SECTION("CORS: only for the client's authorized origins") {
    Application a = f.app;
    a.oauth_configuration.authorized_origin_urls = {"https://spa.example"};
    REQUIRE_OK(f.engine->applications().Update(a));
    const std::vector<std::pair<std::string, std::string>> form = {
        {"grant_type", "password"},
        {"client_id", f.app.id.ToString()},
        {"client_secret", kSecret},
        {"username", "dinesh@piedpiper.com"},
        {"password", "correct horse battery"}};
    http::HttpResponse allowed = f.Form("/oauth2/token", form, {{"Origin", "https://spa.example"}});
    CHECK(allowed.status == 200);
    CHECK(f.Header(allowed, "Access-Control-Allow-Origin") == "https://spa.example");
    http::HttpResponse other = f.Form("/oauth2/token", form, {{"Origin", "https://evil.example"}});
    CHECK_FALSE(f.Header(other, "Access-Control-Allow-Origin").has_value());
    http::HttpResponse preflight =
        f.Send(f.Request("OPTIONS", "/oauth2/token", "", {{"Origin", "https://spa.example"}}));
    CHECK(preflight.status == 204);
    CHECK(f.Header(preflight, "Access-Control-Allow-Headers").has_value());
  }
  SECTION("discovery by tenant, in each of FusionAuth's forms") {
    const std::string tenant = f.default_tenant().ToString();
    for (const std::string& path :
         {std::string("/.well-known/openid-configuration?tenantId=") + tenant,
          "/" + tenant + "/.well-known/openid-configuration",
          "/.well-known/openid-configuration/" + tenant}) {
      http::HttpResponse doc = f.Send(f.Request("GET", path));
      INFO(path);
      REQUIRE(doc.status == 200);
      CHECK(f.Json(doc)["authorization_endpoint"] == "http://localhost:9011/oauth2/authorize");
    }
    CHECK(f.Send(f.Request("GET", "/.well-known/openid-configuration/" +
                                      std::string("00000000-0000-4000-8000-000000000009")))
              .status == 404);
  }
}

}  // namespace
}  // namespace bulwark::test
