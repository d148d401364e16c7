// SPDX-License-Identifier: Apache-2.0
// The authorization server in-process: the hosted login page and its form, the SSO session,
// the authorization response, and the token endpoint's grants, driven as a browser and a
// client would drive them. Tokens are checked with the JWT library against the Key Master's
// keys, and at_hash with OpenSSL, not with the server's own code.
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "unit/oauth2/oauth_fixture.h"

namespace bulwark::oauth2 {
namespace {

TEST_CASE("AuthorizationServer: code + PKCE through the hosted login page", "[oauth2][server]") {
  OAuthFixture f;
  AuthorizeResult page = f.server->Authorize(f.Request(f.app));
  const Page& shown = PageOf(page);
  CHECK(shown.status == 200);
  CHECK(shown.html.find("name=\"loginId\"") != std::string::npos);
  CHECK(shown.html.find("name=\"password\"") != std::string::npos);
  CHECK(shown.frame_ancestors.empty());
  CHECK_FALSE(CookieValue(page.set_cookies, kCsrfCookieName).empty());
  CHECK(HiddenInputs(shown.html).at("csrf_token") ==
        CookieValue(page.set_cookies, kCsrfCookieName));

  AuthorizeResult posted = f.LogIn(f.Request(f.app), "richard@piedpiper.com", kPassword);
  const std::string location = LocationOf(posted);
  CHECK(location.rfind(std::string(kRedirect) + "?", 0) == 0);
  std::map<std::string, std::string> params = Parameters(location);
  CHECK(params["state"] == "state-1");
  CHECK(params["iss"] == "acme.com");
  CHECK(params["userState"] == "Authenticated");
  REQUIRE_FALSE(params["code"].empty());
  const std::string sso = CookieValue(posted.set_cookies, kSsoCookieName);
  CHECK(sso.size() >= 43);
  bool http_only = false;
  for (const std::string& c : posted.set_cookies) {
    if (c.rfind(std::string(kSsoCookieName) + "=", 0) == 0) {
      http_only = c.find("HttpOnly") != std::string::npos &&
                  c.find("SameSite=Lax") != std::string::npos &&
                  c.find("Secure") != std::string::npos;
    }
  }
  CHECK(http_only);
  // The login went through the pipeline: an event and a login record.
  CHECK(f.events->Count(EventType::kUserLoginSuccess) == 1);

  const TokenResponse& tokens = Tokens(f.server->Token(f.CodeExchange(f.app, params["code"])));
  CHECK(tokens.token_type == "Bearer");
  CHECK(tokens.scope == "openid offline_access");
  CHECK(tokens.user_id == f.user.id);
  CHECK(tokens.expires_in > 0);
  CHECK_FALSE(tokens.refresh_token.empty());
  REQUIRE(tokens.refresh_token_id.has_value());
  const nlohmann::json access = f.Verified(tokens.access_token, f.app);
  CHECK(access["sub"] == f.user.id.ToString());
  CHECK(access["scope"] == "openid offline_access");
  CHECK(access["authenticationType"] == "PASSWORD");
  CHECK(access["tid"] == f.default_tenant().ToString());
  const nlohmann::json id = f.Verified(tokens.id_token, f.app);
  CHECK(id["nonce"] == "nonce-1");
  CHECK(id["at_hash"] == HalfSha256(tokens.access_token));
  CHECK(id["sid"] == access["sid"]);
  CHECK(id.contains("auth_time"));
  CHECK_FALSE(id.contains("email"));  // Strict: no email scope, no email claim
  // The JSON body is FusionAuth's.
  const nlohmann::json body = tokens.ToJson();
  for (const char* member : {"access_token", "expires_in", "id_token", "refresh_token",
                             "refresh_token_id", "scope", "token_type", "userId"}) {
    CHECK(body.contains(member));
  }
}

TEST_CASE("AuthorizationServer: a code is single-use, bound and short-lived",
          "[oauth2][server][security]") {
  OAuthFixture f;
  const auto code_for = [&](const Application& a) {
    return Parameters(LocationOf(f.LogIn(f.Request(a), "richard", kPassword)))["code"];
  };

  SECTION("replayed: refused, and the refresh token it issued is revoked") {
    const std::string code = code_for(f.app);
    const TokenResponse first = Tokens(f.server->Token(f.CodeExchange(f.app, code)));
    const OAuthErrorResponse& again = ErrorOf(f.server->Token(f.CodeExchange(f.app, code)));
    CHECK(again.error == "invalid_grant");
    TokenRequest refresh;
    refresh.grant_type = "refresh_token";
    refresh.client_id = f.app.id.ToString();
    refresh.client_secret = f.app.oauth_configuration.client_secret;
    refresh.refresh_token = first.refresh_token;
    CHECK(ErrorOf(f.server->Token(refresh)).error == "invalid_grant");
  }
  SECTION("a wrong verifier") {
    TokenRequest t = f.CodeExchange(f.app, code_for(f.app));
    t.code_verifier = std::string(43, 'a');
    const OAuthErrorResponse& e = ErrorOf(f.server->Token(t));
    CHECK(e.error == "invalid_grant");
    CHECK(e.error_reason == "invalid_pkce_code_verifier");
  }
  SECTION("another redirect_uri") {
    TokenRequest t = f.CodeExchange(f.app, code_for(f.app));
    t.redirect_uri = "https://app.example/other";
    CHECK(ErrorOf(f.server->Token(t)).error_reason == "invalid_redirect_uri");
  }
  SECTION("another client") {
    TokenRequest t = f.CodeExchange(f.second, code_for(f.app));
    t.redirect_uri = kRedirect;
    CHECK(ErrorOf(f.server->Token(t)).error_reason == "client_id_mismatch");
  }
  SECTION("expired (FusionAuth's 30 seconds)") {
    const std::string code = code_for(f.app);
    f.clock->Advance(std::chrono::seconds(31));
    CHECK(ErrorOf(f.server->Token(f.CodeExchange(f.app, code))).error_reason ==
          "auth_code_not_found");
  }
  SECTION("a wrong client secret") {
    TokenRequest t = f.CodeExchange(f.app, code_for(f.app));
    t.client_secret = "wrong";
    const OAuthErrorResponse& e = ErrorOf(f.server->Token(t));
    CHECK(e.status == 401);
    CHECK(e.error == "invalid_client");
  }
  SECTION("an application of another tenant cannot redeem it") {
    Tenant other;
    other.name = "Other";
    other = REQUIRE_VALUE(f.engine->tenants().Create(other));
    Application foreign;
    foreign.name = "Foreign";
    foreign.tenant_id = other.id;
    foreign.oauth_configuration.authorized_redirect_urls = {kRedirect};
    foreign.oauth_configuration.client_secret = "foreign-secret";
    foreign = REQUIRE_VALUE(f.engine->applications().Create(foreign));
    TokenRequest t = f.CodeExchange(foreign, code_for(f.app));
    CHECK(ErrorOf(f.server->Token(t)).error == "invalid_grant");
  }
  SECTION("concurrent redemptions: exactly one wins") {
    const std::string code = code_for(f.app);
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        TokenResult r = f.server->Token(f.CodeExchange(f.app, code));
        if (std::holds_alternative<TokenResponse>(r)) ++wins;
      });
    }
    for (std::thread& t : threads) t.join();
    CHECK(wins == 1);
  }
}

TEST_CASE("AuthorizationServer: the login form refuses what it must", "[oauth2][server]") {
  OAuthFixture f;
  SECTION("a wrong password shows the page again, with an alert") {
    const Page& page = PageOf(f.LogIn(f.Request(f.app), "richard", "wrong"));
    CHECK(page.status == 200);
    CHECK(page.html.find("role=\"alert\"") != std::string::npos);
    CHECK(page.html.find("Invalid login credentials.") != std::string::npos);
    CHECK(f.events->Count(EventType::kUserLoginFailed) == 1);
  }
  SECTION("a forged CSRF token") {
    AuthorizeRequest post = f.Request(f.app);
    post.post = true;
    post.login_id = "richard";
    post.password = kPassword;
    post.csrf_token = "forged";
    post.csrf_cookie = "other";
    const Page& page = PageOf(f.server->Authorize(post));
    CHECK(page.html.find("The form expired.") != std::string::npos);
    CHECK(f.events->Count(EventType::kUserLoginSuccess) == 0);
  }
  SECTION("an unregistered redirect_uri is an error page, never a redirect") {
    AuthorizeRequest r = f.Request(f.app);
    r.redirect_uri = "https://evil.example/cb";
    const Page& page = PageOf(f.server->Authorize(r));
    CHECK(page.status == 400);
    CHECK(page.html.find("invalid_redirect_uri") != std::string::npos);
  }
  SECTION("an unknown scope under Reject goes back to the client") {
    const auto params =
        Parameters(LocationOf(f.server->Authorize(f.Request(f.app, "openid nope"))));
    CHECK(params.at("error") == "invalid_scope");
    CHECK(params.at("state") == "state-1");
    CHECK(params.at("iss") == "acme.com");
  }
  SECTION("prompt=none without a session: login_required") {
    AuthorizeRequest r = f.Request(f.app);
    r.prompt = "none";
    const auto params = Parameters(LocationOf(f.server->Authorize(r)));
    CHECK(params.at("error") == "login_required");
  }
  SECTION("requireRegistration keeps out a user who is not registered") {
    Application closed = f.MakeOAuthApp("Closed", "https://closed.example/cb");
    closed.oauth_configuration.require_registration = true;
    closed = REQUIRE_VALUE(f.engine->applications().Update(closed));
    const Page& page = PageOf(f.LogIn(f.Request(closed), "richard", kPassword));
    CHECK(page.html.find("You are not registered for this application.") != std::string::npos);
  }
}

TEST_CASE("AuthorizationServer: SSO into a second application", "[oauth2][server]") {
  OAuthFixture f;
  AuthorizeResult first = f.LogIn(f.Request(f.app), "richard", kPassword);
  const std::string sso = CookieValue(first.set_cookies, kSsoCookieName);
  REQUIRE_FALSE(sso.empty());

  AuthorizeRequest r = f.Request(f.second);
  r.sso_cookie = sso;
  const auto params = Parameters(LocationOf(f.server->Authorize(r)));
  REQUIRE(params.count("code") == 1);
  const TokenResponse& tokens =
      Tokens(f.server->Token(f.CodeExchange(f.second, params.at("code"))));
  CHECK(f.Verified(tokens.access_token, f.second)["aud"] == f.second.id.ToString());

  SECTION("prompt=login shows the page despite the session") {
    r.prompt = "login";
    CHECK(PageOf(f.server->Authorize(r)).status == 200);
  }
  SECTION("max_age past the login shows the page") {
    f.clock->Advance(std::chrono::seconds(120));
    r.max_age = "60";
    CHECK(PageOf(f.server->Authorize(r)).status == 200);
  }
  SECTION("a session expires with the tenant's lifetime") {
    f.clock->Advance(std::chrono::seconds(3601));
    r.prompt = "none";
    CHECK(Parameters(LocationOf(f.server->Authorize(r))).at("error") == "login_required");
  }
  SECTION("a deactivated user's session no longer logs in") {
    REQUIRE_OK(f.engine->users().Deactivate(f.user.id));
    r.prompt = "none";
    CHECK(Parameters(LocationOf(f.server->Authorize(r))).at("error") == "interaction_required");
  }
  SECTION("a new login replaces the session and its cookie") {
    // The same browser: it sends the cookie it holds.
    AuthorizeResult again = f.LogIn(f.Request(f.app), "richard", kPassword, sso);
    const std::string renewed = CookieValue(again.set_cookies, kSsoCookieName);
    CHECK(renewed != sso);
    r.sso_cookie = sso;  // the old cookie
    r.prompt = "none";
    CHECK(Parameters(LocationOf(f.server->Authorize(r))).at("error") == "login_required");
  }
}

TEST_CASE("AuthorizationServer: refresh, password and client_credentials grants",
          "[oauth2][server]") {
  OAuthFixture f;
  TokenRequest password;
  password.grant_type = "password";
  password.client_id = f.app.id.ToString();
  password.client_secret = f.app.oauth_configuration.client_secret;
  password.username = "richard@piedpiper.com";
  password.password = kPassword;
  password.scope = "openid email offline_access";

  const TokenResponse issued = Tokens(f.server->Token(password));
  CHECK(issued.scope == "openid email offline_access");
  CHECK(f.Verified(issued.id_token, f.app)["email"] == "richard@piedpiper.com");
  REQUIRE_FALSE(issued.refresh_token.empty());

  SECTION("refresh, narrowing the scope") {
    TokenRequest refresh;
    refresh.grant_type = "refresh_token";
    refresh.client_id = f.app.id.ToString();
    refresh.client_secret = f.app.oauth_configuration.client_secret;
    refresh.refresh_token = issued.refresh_token;
    refresh.scope = "openid";
    const TokenResponse refreshed = Tokens(f.server->Token(refresh));
    CHECK(refreshed.scope == "openid");
    CHECK(f.Verified(refreshed.access_token, f.app)["scope"] == "openid");
    CHECK_FALSE(refreshed.id_token.empty());
    refresh.scope = "openid phone";
    CHECK(ErrorOf(f.server->Token(refresh)).error == "invalid_scope");
    refresh.scope.reset();
    refresh.client_id = f.second.id.ToString();
    refresh.client_secret = f.second.oauth_configuration.client_secret;
    CHECK(ErrorOf(f.server->Token(refresh)).error == "invalid_grant");
  }
  SECTION("a wrong password") {
    password.password = "wrong";
    const OAuthErrorResponse& e = ErrorOf(f.server->Token(password));
    CHECK(e.error == "invalid_grant");
    CHECK(e.error_reason == "invalid_user_credentials");
  }
  SECTION("a grant the application does not enable") {
    Application a = f.app;
    a.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode};
    REQUIRE_OK(f.engine->applications().Update(a));
    const OAuthErrorResponse& e = ErrorOf(f.server->Token(password));
    CHECK(e.error == "unauthorized_client");
    CHECK(e.error_reason == "grant_type_disabled");
  }
  SECTION("client_credentials: the application is the subject") {
    TokenRequest cc;
    cc.grant_type = "client_credentials";
    cc.client_id = f.app.id.ToString();
    cc.client_secret = f.app.oauth_configuration.client_secret;
    cc.scope = "openid";
    const TokenResponse t = Tokens(f.server->Token(cc));
    const nlohmann::json claims = f.Verified(t.access_token, f.app);
    CHECK(claims["sub"] == f.app.id.ToString());
    CHECK_FALSE(claims.contains("scope"));  // openid names a user: dropped
    CHECK(t.refresh_token.empty());
    CHECK(t.id_token.empty());
    cc.client_secret.reset();
    CHECK(ErrorOf(f.server->Token(cc)).status == 401);
  }
  SECTION("unknown grant types and clients") {
    TokenRequest t = password;
    t.grant_type = "urn:example:nope";
    CHECK(ErrorOf(f.server->Token(t)).error == "unsupported_grant_type");
    t = password;
    t.client_id = "not-a-uuid";
    CHECK(ErrorOf(f.server->Token(t)).error == "invalid_client");
  }
}

TEST_CASE("AuthorizationServer: userinfo by scope", "[oauth2][server]") {
  OAuthFixture f;
  TokenRequest password;
  password.grant_type = "password";
  password.client_id = f.app.id.ToString();
  password.client_secret = f.app.oauth_configuration.client_secret;
  password.username = "richard";
  password.password = kPassword;
  password.scope = "openid profile email";
  const TokenResponse t = Tokens(f.server->Token(password));
  UserinfoResult info = f.server->Userinfo(t.access_token);
  REQUIRE(std::holds_alternative<nlohmann::json>(info));
  const nlohmann::json& claims = std::get<nlohmann::json>(info);
  CHECK(claims["sub"] == f.user.id.ToString());
  CHECK(claims["email"] == "richard@piedpiper.com");
  CHECK(claims["email_verified"] == true);
  CHECK(claims["given_name"] == "Richard");
  CHECK(claims["preferred_username"] == "richard");

  password.scope = "email";
  const TokenResponse no_openid = Tokens(f.server->Token(password));
  UserinfoResult refused = f.server->Userinfo(no_openid.access_token);
  REQUIRE(std::holds_alternative<OAuthErrorResponse>(refused));
  CHECK(std::get<OAuthErrorResponse>(refused).status == 403);

  std::string tampered = t.access_token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  UserinfoResult bad = f.server->Userinfo(tampered);
  REQUIRE(std::holds_alternative<OAuthErrorResponse>(bad));
  CHECK(std::get<OAuthErrorResponse>(bad).status == 401);
}

TEST_CASE("AuthorizationServer: the implicit id_token carries nonce and at_hash",
          "[oauth2][server]") {
  OAuthFixture f;
  AuthorizeRequest r = f.Request(f.app, "openid");
  r.response_type = "id_token token";
  r.code_challenge.reset();
  r.code_challenge_method.reset();
  const std::string location = LocationOf(f.LogIn(r, "richard", kPassword));
  REQUIRE(location.find('#') != std::string::npos);  // fragment by default
  auto params = Parameters(location);
  const nlohmann::json id = f.Verified(params.at("id_token"), f.app);
  CHECK(id["nonce"] == "nonce-1");
  CHECK(id["at_hash"] == HalfSha256(params.at("access_token")));
  CHECK(params.at("token_type") == "Bearer");
}

TEST_CASE("AuthorizationServer: new applications get FusionAuth's default grants",
          "[oauth2][server]") {
  EngineFixture f;
  Application a;
  a.name = "Defaults";
  a = REQUIRE_VALUE(f.engine->applications().Create(a));
  CHECK(a.oauth_configuration.enabled_grants ==
        std::vector<GrantType>{GrantType::kAuthorizationCode, GrantType::kRefreshToken});
}

TEST_CASE("AuthorizationServer: discovery and options", "[oauth2][server]") {
  OAuthFixture f;
  const nlohmann::json doc = REQUIRE_VALUE(f.server->Discovery());
  CHECK(doc["issuer"] == "acme.com");
  CHECK(doc["token_endpoint"] == "https://login.example/oauth2/token");
  CHECK_STATUS(f.server->Discovery(
                   TenantId(REQUIRE_VALUE(Uuid::Parse("00000000-0000-4000-8000-000000000001")))),
               testing::HasCode(StatusCode::kNotFound));
  CHECK_STATUS(AuthorizationServer::Create(*f.engine, {.base_url = "login.example"}),
               testing::HasCode(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::oauth2

namespace bulwark::oauth2 {
namespace {

TEST_CASE("AuthorizationServer: the device grant (RFC 8628)", "[oauth2][server]") {
  OAuthFixture f;
  Application a = f.app;
  a.oauth_configuration.enabled_grants.push_back(GrantType::kDeviceCode);
  f.app = REQUIRE_VALUE(f.engine->applications().Update(a));
  const std::string secret = f.app.oauth_configuration.client_secret;
  const auto authorize = [&] {
    auto started = f.server->DeviceAuthorize({.client_id = f.app.id.ToString(),
                                              .client_secret = secret,
                                              .scope = "openid offline_access",
                                              .tenant_id = std::nullopt});
    REQUIRE(std::holds_alternative<nlohmann::json>(started));
    return std::get<nlohmann::json>(started);
  };
  const auto poll = [&](const std::string& device_code) {
    TokenRequest t;
    t.grant_type = "urn:ietf:params:oauth:grant-type:device_code";
    t.client_id = f.app.id.ToString();
    t.client_secret = secret;
    t.device_code = device_code;
    return f.server->Token(t);
  };
  const nlohmann::json started = authorize();
  const std::string device_code = started["device_code"];
  const std::string user_code = started["user_code"];
  CHECK(user_code.size() == 6);  // the tenant's deviceUserCodeIdGenerator
  CHECK(user_code.find_first_of("AEIOU01") == std::string::npos);
  CHECK(started["interval"] == 5);
  CHECK(started["expires_in"] == 300);
  CHECK(started["verification_uri"] ==
        "https://login.example/oauth2/device?client_id=" + f.app.id.ToString());

  CHECK(ErrorOf(poll(device_code)).error == "authorization_pending");
  CHECK(ErrorOf(poll(device_code)).error == "slow_down");
  f.clock->Advance(std::chrono::seconds(5));
  CHECK(ErrorOf(poll(device_code)).error == "authorization_pending");

  std::string typed = user_code.substr(0, 3) + "-" + user_code.substr(3);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(f.server->ValidateUserCode(f.app.id.ToString(), typed));
  CHECK_FALSE(f.server->ValidateUserCode(f.app.id.ToString(), "BBBBBB"));
  CHECK_FALSE(f.server->ValidateUserCode(f.second.id.ToString(), user_code));
  auto pending = f.server->RetrieveUserCode(
      {.client_id = f.app.id.ToString(), .client_secret = secret, .user_code = user_code});
  REQUIRE(std::holds_alternative<nlohmann::json>(pending));
  CHECK(std::get<nlohmann::json>(pending)["scope"] == "openid offline_access");

  SECTION("approved with the user's access token, then polled once") {
    TokenRequest password;
    password.grant_type = "password";
    password.client_id = f.app.id.ToString();
    password.client_secret = secret;
    password.username = "richard";
    password.password = kPassword;
    const TokenResponse user_tokens = Tokens(f.server->Token(password));
    auto approved = f.server->ApproveDevice({.client_id = f.app.id.ToString(),
                                             .client_secret = secret,
                                             .token = user_tokens.access_token,
                                             .user_code = typed});
    REQUIRE(std::holds_alternative<nlohmann::json>(approved));
    CHECK(std::get<nlohmann::json>(approved)["deviceGrantStatus"] == "Approved");
    CHECK(std::get<nlohmann::json>(approved)["userId"] == f.user.id.ToString());
    auto twice = f.server->ApproveDevice({.client_id = f.app.id.ToString(),
                                          .client_secret = secret,
                                          .token = user_tokens.access_token,
                                          .user_code = user_code});
    REQUIRE(std::holds_alternative<OAuthErrorResponse>(twice));
    CHECK(std::get<OAuthErrorResponse>(twice).error_reason == "invalid_user_code");

    const TokenResponse device_tokens = Tokens(poll(device_code));
    CHECK(f.Verified(device_tokens.access_token, f.app)["sub"] == f.user.id.ToString());
    CHECK_FALSE(device_tokens.refresh_token.empty());
    CHECK_FALSE(device_tokens.id_token.empty());
    CHECK(ErrorOf(poll(device_code)).error == "expired_token");
  }
  SECTION("approved on the built-in page, logging in there") {
    DevicePageRequest get{.client_id = f.app.id.ToString(), .user_code = user_code};
    AuthorizeResult page = f.server->DevicePage(get);
    const Page& shown = PageOf(page);
    CHECK(shown.html.find("name=\"user_code\"") != std::string::npos);
    CHECK(shown.html.find("name=\"loginId\"") != std::string::npos);
    DevicePageRequest post = get;
    post.post = true;
    post.login_id = "richard@piedpiper.com";
    post.password = "wrong";
    post.csrf_token = HiddenInputs(shown.html).at("csrf_token");
    post.csrf_cookie = CookieValue(page.set_cookies, kCsrfCookieName);
    CHECK(PageOf(f.server->DevicePage(post)).html.find("Invalid login credentials.") !=
          std::string::npos);
    CHECK(ErrorOf(poll(device_code)).error != "invalid_grant");
    post.password = kPassword;
    CHECK(PageOf(f.server->DevicePage(post)).html.find("Your device is connected.") !=
          std::string::npos);
    f.clock->Advance(std::chrono::seconds(5));
    CHECK(Tokens(poll(device_code)).user_id == f.user.id);
  }
  SECTION("a device code expires with the tenant's lifetime") {
    f.clock->Advance(std::chrono::seconds(301));
    CHECK(ErrorOf(poll(device_code)).error == "expired_token");
    CHECK_FALSE(f.server->ValidateUserCode(f.app.id.ToString(), user_code));
  }
  SECTION("another client cannot poll it") {
    TokenRequest t;
    t.grant_type = "urn:ietf:params:oauth:grant-type:device_code";
    t.client_id = f.second.id.ToString();
    t.client_secret = f.second.oauth_configuration.client_secret;
    t.device_code = device_code;
    // The second application does not even have the grant.
    CHECK(ErrorOf(f.server->Token(t)).error == "unauthorized_client");
  }
}

}  // namespace
}  // namespace bulwark::oauth2

namespace bulwark::oauth2 {
namespace {

TEST_CASE("AuthorizationServer: the id-token and userinfo populate callbacks", "[oauth2][server]") {
  OAuthFixture f;
  testing::DeterministicRandom ids(21);
  const LambdaId id_token = REQUIRE_VALUE(LambdaId::Generate(ids));
  const LambdaId userinfo = REQUIRE_VALUE(LambdaId::Generate(ids));
  EngineOptions options = f.Options();
  options.jwt_populate_lambdas[id_token] = [](nlohmann::json& jwt, const User& user,
                                              const Registration* registration) {
    jwt["team"] = "pied piper";
    jwt["nonce"] = "forged";  // reserved: kept as issued
    jwt["registered"] = registration != nullptr;
    jwt["first"] = user.first_name;
    return Status::Ok();
  };
  options.userinfo_populate_lambdas[userinfo] = [](nlohmann::json& info, const User&,
                                                   const Registration*,
                                                   const nlohmann::json& access_token) {
    info["fromToken"] = access_token.value("scope", "");
    info["sub"] = "someone else";  // reserved: kept
    return Status::Ok();
  };
  f.server.reset();
  f.engine = REQUIRE_VALUE(Engine::Open(options));
  f.server =
      REQUIRE_VALUE(AuthorizationServer::Create(*f.engine, {.base_url = "https://login.example"}));
  Application a = f.app;
  a.lambda_configuration.id_token_populate_id = id_token;
  a.lambda_configuration.userinfo_populate_id = userinfo;
  f.app = REQUIRE_VALUE(f.engine->applications().Update(a));

  const auto params =
      Parameters(LocationOf(f.LogIn(f.Request(f.app, "openid"), "richard", kPassword)));
  const TokenResponse tokens = Tokens(f.server->Token(f.CodeExchange(f.app, params.at("code"))));
  const nlohmann::json id = f.Verified(tokens.id_token, f.app);
  CHECK(id["team"] == "pied piper");
  CHECK(id["nonce"] == "nonce-1");
  CHECK(id["registered"] == true);
  CHECK(id["first"] == "Richard");
  UserinfoResult info = f.server->Userinfo(tokens.access_token);
  REQUIRE(std::holds_alternative<nlohmann::json>(info));
  CHECK(std::get<nlohmann::json>(info)["fromToken"] == "openid");
  CHECK(std::get<nlohmann::json>(info)["sub"] == f.user.id.ToString());
}

TEST_CASE("AuthorizationServer: logout ends the session and redirects where it may",
          "[oauth2][server]") {
  OAuthFixture f;
  AuthorizeResult first = f.LogIn(f.Request(f.app), "richard", kPassword);
  const std::string sso = CookieValue(first.set_cookies, kSsoCookieName);
  const std::string code = Parameters(LocationOf(first)).at("code");
  const TokenResponse tokens = Tokens(f.server->Token(f.CodeExchange(f.app, code)));

  SECTION("RedirectOnly to an authorized post_logout_redirect_uri, with state") {
    Application a = f.app;
    a.oauth_configuration.logout_behavior = LogoutBehavior::kRedirectOnly;
    f.app = REQUIRE_VALUE(f.engine->applications().Update(a));
    // An expired id token still names the client.
    f.clock->Advance(std::chrono::hours(2));
    AuthorizeResult out = f.server->Logout({.id_token_hint = tokens.id_token,
                                            .post_logout_redirect_uri = kRedirect,
                                            .state = "bye",
                                            .sso_cookie = sso});
    CHECK(LocationOf(out) == std::string(kRedirect) + "?state=bye");
    CHECK(CookieValue(out.set_cookies, kSsoCookieName).empty());
  }
  SECTION("the session ends (before it would expire)") {
    AuthorizeRequest r = f.Request(f.second);
    r.prompt = "none";
    r.sso_cookie = sso;
    CHECK(Parameters(LocationOf(f.server->Authorize(r))).count("code") == 1);
    AuthorizeResult out = f.server->Logout({.client_id = f.app.id.ToString(), .sso_cookie = sso});
    CHECK(LocationOf(out) == "https://login.example/");  // no logoutURL anywhere
    CHECK(Parameters(LocationOf(f.server->Authorize(r))).at("error") == "login_required");
  }
  SECTION("AllApplications: a page that loads every logoutURL, then goes on") {
    Application a = f.app;
    a.oauth_configuration.logout_url = "https://app.example/logout";
    f.app = REQUIRE_VALUE(f.engine->applications().Update(a));
    Application b = f.second;
    b.oauth_configuration.logout_url = "https://hooli.example/logout";
    f.second = REQUIRE_VALUE(f.engine->applications().Update(b));
    const Page& page =
        PageOf(f.server->Logout({.client_id = f.app.id.ToString(), .sso_cookie = sso}));
    CHECK(page.html.find("src=\"https://app.example/logout\"") != std::string::npos);
    CHECK(page.html.find("src=\"https://hooli.example/logout\"") != std::string::npos);
    CHECK(page.html.find("url=https://app.example/logout") != std::string::npos);  // then there
    const std::string& csp = page.content_security_policy;
    const std::size_t frame_src = csp.find("frame-src ");
    REQUIRE(frame_src != std::string::npos);
    const std::string directive = csp.substr(frame_src, csp.find(';', frame_src) - frame_src);
    CHECK(directive.find(" https://app.example") != std::string::npos);
    CHECK(directive.find(" https://hooli.example") != std::string::npos);
  }
  SECTION("refused: an unregistered post_logout_redirect_uri, a forged hint") {
    CHECK(PageOf(f.server->Logout({.client_id = f.app.id.ToString(),
                                   .post_logout_redirect_uri = "https://evil.example/"}))
              .status == 400);
    std::string forged = tokens.id_token;
    forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
    CHECK(PageOf(f.server->Logout({.id_token_hint = forged})).status == 400);
    // The hint names app; client_id names another.
    CHECK(PageOf(f.server->Logout(
                     {.client_id = f.second.id.ToString(), .id_token_hint = tokens.id_token}))
              .status == 400);
  }
}

TEST_CASE("AuthorizationServer: introspection and revocation", "[oauth2][server][security]") {
  OAuthFixture f;
  const std::string code =
      Parameters(LocationOf(f.LogIn(f.Request(f.app), "richard", kPassword))).at("code");
  const TokenResponse tokens = Tokens(f.server->Token(f.CodeExchange(f.app, code)));
  const std::string secret = f.app.oauth_configuration.client_secret;
  const TokenInspectionRequest mine{
      .client_id = f.app.id.ToString(), .client_secret = secret, .token = tokens.access_token};
  IntrospectResult active = f.server->Introspect(mine);
  REQUIRE(std::holds_alternative<nlohmann::json>(active));
  CHECK(std::get<nlohmann::json>(active)["active"] == true);
  CHECK(std::get<nlohmann::json>(active)["sub"] == f.user.id.ToString());

  // Another client: FusionAuth's 401.
  IntrospectResult theirs =
      f.server->Introspect({.client_id = f.second.id.ToString(),
                            .client_secret = f.second.oauth_configuration.client_secret,
                            .token = tokens.access_token});
  REQUIRE(std::holds_alternative<OAuthErrorResponse>(theirs));
  CHECK(std::get<OAuthErrorResponse>(theirs).status == 401);
  // A wrong secret.
  TokenInspectionRequest wrong = mine;
  wrong.client_secret = "nope";
  CHECK(std::holds_alternative<OAuthErrorResponse>(f.server->Introspect(wrong)));
  // Expired: inactive.
  f.clock->Advance(std::chrono::hours(2));
  CHECK(std::get<nlohmann::json>(f.server->Introspect(mine))["active"] == false);

  // Revocation: another client's refresh token is refused, the owner's goes.
  const TokenInspectionRequest refresh{
      .client_id = f.app.id.ToString(), .client_secret = secret, .token = tokens.refresh_token};
  CHECK(f.server
            ->Revoke({.client_id = f.second.id.ToString(),
                      .client_secret = f.second.oauth_configuration.client_secret,
                      .token = tokens.refresh_token})
            .has_value());
  CHECK(std::get<nlohmann::json>(f.server->Introspect(refresh))["active"] == true);
  CHECK_FALSE(f.server->Revoke(refresh).has_value());
  CHECK(std::get<nlohmann::json>(f.server->Introspect(refresh))["active"] == false);
  CHECK_FALSE(f.server->Revoke(refresh).has_value());  // unknown now: still 200
}

}  // namespace
}  // namespace bulwark::oauth2

namespace bulwark::oauth2 {
namespace {

TEST_CASE("AuthorizationServer: a host's own login UI completes the authorization",
          "[oauth2][server]") {
  OAuthFixture f;
  // The host authenticated the user itself (say, a game console's own sign-in).
  AuthorizeResult done =
      f.server->CompleteAuthorization(f.Request(f.app), f.user.id, AuthenticationType::kPing);
  const auto params = Parameters(LocationOf(done));
  REQUIRE(params.count("code") == 1);
  CHECK_FALSE(CookieValue(done.set_cookies, kSsoCookieName).empty());
  const TokenResponse tokens = Tokens(f.server->Token(f.CodeExchange(f.app, params.at("code"))));
  CHECK(f.Verified(tokens.access_token, f.app)["authenticationType"] == "PING");
  CHECK(f.events->Count(EventType::kUserLoginSuccess) == 1);

  SECTION("the gate still applies") {
    REQUIRE_OK(f.engine->users().Deactivate(f.user.id));
    const auto refused =
        Parameters(LocationOf(f.server->CompleteAuthorization(f.Request(f.app), f.user.id)));
    CHECK(refused.at("error") == "access_denied");
  }
  SECTION("the request is checked as Authorize checks it") {
    AuthorizeRequest bad = f.Request(f.app);
    bad.redirect_uri = "https://evil.example/cb";
    CHECK(PageOf(f.server->CompleteAuthorization(bad, f.user.id)).status == 400);
  }
}

}  // namespace
}  // namespace bulwark::oauth2
