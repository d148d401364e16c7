// SPDX-License-Identifier: Apache-2.0
// Consent for third-party applications (relationship ThirdParty, consentMode AlwaysPrompt,
// RememberDecision, NeverPrompt), driven as a browser drives the hosted pages; and the
// access token's identity claims under scopeHandlingPolicy and its "gty" header.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/crypto/jws.h"
#include "crypto/base64.h"
#include "unit/oauth2/oauth_fixture.h"

namespace bulwark::oauth2 {
namespace {

constexpr const char* kScopes = "openid profile email offline_access read:orders";

struct ConsentFixture : OAuthFixture {
  ConsentFixture() { MakeThirdParty(ConsentMode::kAlwaysPrompt); }

  void MakeThirdParty(ConsentMode mode) {
    app.oauth_configuration.relationship = OAuthRelationship::kThirdParty;
    app.oauth_configuration.consent_mode = mode;
    app.oauth_configuration.provided_scope_policy.profile.required = true;
    app.scopes = nlohmann::json::array({{{"name", "read:orders"},
                                         {"defaultConsentMessage", "Read your <orders>"},
                                         {"defaultConsentDetail", "Every order you placed."}}});
    app = REQUIRE_VALUE(engine->applications().Update(app));
  }

  // Logs in through the page; the answer is the consent page (or whatever came instead).
  AuthorizeResult LogInTo(const AuthorizeRequest& request) {
    return LogIn(request, "richard@piedpiper.com", kPassword);
  }

  // Posts the consent page `page` (granting `scopes`, or cancelling) with the browser's SSO
  // cookie.
  AuthorizeResult Answer(const AuthorizeResult& page, const std::string& sso,
                         std::vector<std::string> scopes, bool cancel = false) {
    ConsentRequest c;
    c.authorization = FormOf(page);
    c.authorization.sso_cookie = sso;
    c.consented_scopes = std::move(scopes);
    c.cancel = cancel;
    return server->Consent(c);
  }

  TokenResponse Exchange(const AuthorizeResult& redirect) {
    const auto params = Parameters(LocationOf(redirect));
    REQUIRE(params.count("code") == 1);
    return Tokens(server->Token(CodeExchange(app, params.at("code"))));
  }
};

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("Consent: a third-party application's users choose what it gets", "[oauth2][consent]") {
  ConsentFixture f;
  const AuthorizeResult page = f.LogInTo(f.Request(f.app, kScopes));
  const Page& shown = PageOf(page);
  CHECK(shown.status == 200);
  const std::string sso = CookieValue(page.set_cookies, kSsoCookieName);
  REQUIRE_FALSE(sso.empty());  // logged in: the session started before the question
  // The scopes but openid, the required one without a choice, the custom one in its words.
  CHECK(Has(shown.html, "Pied Piper"));
  CHECK(Has(shown.html, "name=\"scopeConsents[email]\""));
  CHECK(Has(shown.html, "name=\"scopeConsents[offline_access]\""));
  CHECK(Has(shown.html, "name=\"scopeConsents[read:orders]\""));
  CHECK_FALSE(Has(shown.html, "scopeConsents[profile]"));
  CHECK_FALSE(Has(shown.html, "scopeConsents[openid]"));
  CHECK(Has(shown.html, "Read your &lt;orders&gt;"));
  CHECK(Has(shown.html, "Every order you placed."));
  CHECK(Has(shown.html, "action=\"https://login.example/oauth2/consent\""));
  // Its CSRF cookie is for the consent endpoint alone.
  bool scoped = false;
  for (const std::string& cookie : page.set_cookies) {
    if (cookie.rfind(std::string(kCsrfCookieName) + "=", 0) == 0 &&
        Has(cookie, "Path=/oauth2/consent")) {
      scoped = Has(cookie, "HttpOnly") && Has(cookie, "SameSite=Strict");
    }
  }
  CHECK(scoped);

  SECTION("allowed: the tokens carry what was granted, and the required scope") {
    const AuthorizeResult allowed = f.Answer(page, sso, {"email"});
    const auto params = Parameters(LocationOf(allowed));
    CHECK(params.at("state") == "state-1");
    CHECK(params.at("iss") == "acme.com");
    const TokenResponse tokens = f.Exchange(allowed);
    CHECK(tokens.scope == "openid profile email");
    CHECK(tokens.refresh_token.empty());  // offline_access was not granted
    const nlohmann::json id = f.Verified(tokens.id_token, f.app);
    CHECK(id["email"] == "richard@piedpiper.com");
    CHECK(id["preferred_username"] == "richard");
    CHECK(f.Verified(tokens.access_token, f.app)["scope"] == "openid profile email");
    // One authorization, one login record: the consent did not log in again.
    CHECK(f.events->Count(EventType::kUserLoginSuccess) == 1);
  }
  SECTION("a scope the request did not ask for cannot be granted on the form") {
    const TokenResponse tokens = f.Exchange(f.Answer(page, sso, {"phone", "address"}));
    CHECK(tokens.scope == "openid profile");
  }
  SECTION("cancelled: access_denied for the client, no code") {
    const auto params = Parameters(LocationOf(f.Answer(page, sso, {"email"}, /*cancel=*/true)));
    CHECK(params.at("error") == "access_denied");
    CHECK(params.at("error_reason") == "consent_canceled");
    CHECK(params.at("state") == "state-1");
    CHECK(params.count("code") == 0);
  }
  SECTION("a forged form (wrong CSRF token) shows the page again") {
    AuthorizeResult forged = page;
    for (std::string& cookie : forged.set_cookies) {
      if (cookie.rfind(std::string(kCsrfCookieName) + "=", 0) == 0) {
        cookie = std::string(kCsrfCookieName) + "=not-the-token; Path=/oauth2/consent";
      }
    }
    const AuthorizeResult again = f.Answer(forged, sso, {"email"});
    CHECK(Has(PageOf(again).html, "scopeConsents[email]"));
  }
  SECTION("without the session, the login page") {
    const AuthorizeResult again = f.Answer(page, "", {"email"});
    CHECK(Has(PageOf(again).html, "name=\"password\""));
  }
  SECTION("another browser's session cannot answer: its own user's page, never this one's") {
    const AuthorizeResult again = f.Answer(page, "forged-session-cookie", {"email"});
    CHECK(Has(PageOf(again).html, "name=\"password\""));
  }
  SECTION("AlwaysPrompt asks again on the next authorization") {
    REQUIRE(Parameters(LocationOf(f.Answer(page, sso, {"email"}))).count("code") == 1);
    AuthorizeRequest next = f.Request(f.app, kScopes);
    next.sso_cookie = sso;
    CHECK(Has(PageOf(f.server->Authorize(next)).html, "scopeConsents[email]"));
    SECTION("and prompt=none cannot: consent_required") {
      next.prompt = "none";
      const auto params = Parameters(LocationOf(f.server->Authorize(next)));
      CHECK(params.at("error") == "consent_required");
      CHECK(params.at("error_reason") == "consent_required");
    }
  }
}

TEST_CASE("Consent: RememberDecision keeps the choice until it no longer answers",
          "[oauth2][consent]") {
  ConsentFixture f;
  f.MakeThirdParty(ConsentMode::kRememberDecision);
  const AuthorizeResult page = f.LogInTo(f.Request(f.app, kScopes));
  const std::string sso = CookieValue(page.set_cookies, kSsoCookieName);
  REQUIRE(f.Exchange(f.Answer(page, sso, {"email", "read:orders"})).scope ==
          "openid profile email read:orders");

  AuthorizeRequest next = f.Request(f.app, kScopes);
  next.sso_cookie = sso;
  SECTION("the same request: no page, the remembered grant") {
    const TokenResponse tokens = f.Exchange(f.server->Authorize(next));
    CHECK(tokens.scope == "openid profile email read:orders");
  }
  SECTION("prompt=none is answered from the remembered choice") {
    next.prompt = "none";
    CHECK(Parameters(LocationOf(f.server->Authorize(next))).count("code") == 1);
  }
  SECTION("fewer scopes: no page") {
    next.scope = "openid email";
    CHECK(f.Exchange(f.server->Authorize(next)).scope == "openid email");
  }
  SECTION("a scope never asked about: the page") {
    next.scope = "openid email phone";
    CHECK(Has(PageOf(f.server->Authorize(next)).html, "scopeConsents[phone]"));
  }
  SECTION("prompt=consent: the page") {
    next.prompt = "consent";
    CHECK(Has(PageOf(f.server->Authorize(next)).html, "scopeConsents[email]"));
  }
  SECTION("a refused scope that is now required: the page") {
    // This time the user refuses email (through a host's own consent screen).
    REQUIRE(f.Exchange(f.server->CompleteAuthorization(f.Request(f.app, kScopes), f.user.id,
                                                       AuthenticationType::kPassword,
                                                       std::vector<std::string>{"read:orders"}))
                .scope == "openid profile read:orders");
    CHECK(f.Exchange(f.server->Authorize(next)).scope == "openid profile read:orders");
    f.app.oauth_configuration.provided_scope_policy.email.required = true;
    f.app = REQUIRE_VALUE(f.engine->applications().Update(f.app));
    const std::string html = PageOf(f.server->Authorize(next)).html;
    CHECK(Has(html, "scopeConsents[read:orders]"));
    CHECK_FALSE(Has(html, "scopeConsents[email]"));  // required now: shown, no choice
  }
  SECTION("the choice expires with the tenant's setting") {
    const Tenant tenant = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
    const int ttl = tenant.external_identifier_configuration
                        .remember_oauth_scope_consent_choice_time_to_live_in_seconds;
    REQUIRE(ttl == 2592000);  // FusionAuth's default: 30 days
    f.clock->Advance(std::chrono::seconds(ttl - 1));
    // The SSO session ended long ago: each authorization logs in anew.
    const AuthorizeResult fresh = f.LogInTo(f.Request(f.app, kScopes));
    CHECK(Parameters(LocationOf(fresh)).count("code") == 1);  // remembered: no page
    f.clock->Advance(std::chrono::seconds(2));
    const AuthorizeResult later = f.LogInTo(f.Request(f.app, kScopes));
    CHECK(Has(PageOf(later).html, "scopeConsents[email]"));
  }
  SECTION("another user's choice is not this user's") {
    User other = REQUIRE_VALUE(f.engine->users().Create(f.NewUser("gilfoyle@piedpiper.com")));
    Registration r;
    r.application_id = f.app.id;
    REQUIRE_OK(f.engine->registrations().Create(other.id, r));
    const AuthorizeResult theirs =
        f.LogIn(f.Request(f.app, kScopes), "gilfoyle@piedpiper.com", kPassword);
    CHECK(Has(PageOf(theirs).html, "scopeConsents[email]"));
  }
  SECTION("a host's own consent replaces the remembered one") {
    const AuthorizeResult host = f.server->CompleteAuthorization(
        f.Request(f.app, kScopes), f.user.id, AuthenticationType::kPassword,
        std::vector<std::string>{"offline_access"});
    const TokenResponse tokens = f.Exchange(host);
    CHECK(tokens.scope == "openid profile offline_access");
    CHECK_FALSE(tokens.refresh_token.empty());
    CHECK(f.Exchange(f.server->Authorize(next)).scope == "openid profile offline_access");
  }
}

TEST_CASE("Consent: first-party and NeverPrompt applications never ask", "[oauth2][consent]") {
  ConsentFixture f;
  SECTION("NeverPrompt") { f.MakeThirdParty(ConsentMode::kNeverPrompt); }
  SECTION("FirstParty") {
    f.app.oauth_configuration.relationship = OAuthRelationship::kFirstParty;
    f.app = REQUIRE_VALUE(f.engine->applications().Update(f.app));
  }
  AuthorizeRequest request = f.Request(f.app, kScopes);
  request.prompt = "consent";
  CHECK(f.Exchange(f.LogInTo(request)).scope == kScopes);
}

TEST_CASE("Consent: a host's own UI asks, or shows the built-in page", "[oauth2][consent]") {
  ConsentFixture f;
  SECTION("no decision yet: the consent page, with the session started") {
    const AuthorizeResult page =
        f.server->CompleteAuthorization(f.Request(f.app, kScopes), f.user.id);
    CHECK(Has(PageOf(page).html, "scopeConsents[email]"));
    const std::string sso = CookieValue(page.set_cookies, kSsoCookieName);
    CHECK(f.Exchange(f.Answer(page, sso, {})).scope == "openid profile");
  }
  SECTION("the host's decision") {
    const AuthorizeResult done = f.server->CompleteAuthorization(
        f.Request(f.app, kScopes), f.user.id, AuthenticationType::kPassword,
        std::vector<std::string>{"email"});
    CHECK(f.Exchange(done).scope == "openid profile email");
  }
}

TEST_CASE("Consent: the implicit grant's tokens carry only what was granted", "[oauth2][consent]") {
  ConsentFixture f;
  AuthorizeRequest r = f.Request(f.app, "openid email read:orders");
  r.response_type = "id_token token";
  r.code_challenge.reset();
  r.code_challenge_method.reset();
  const AuthorizeResult page = f.LogInTo(r);
  const std::string sso = CookieValue(page.set_cookies, kSsoCookieName);
  const std::string location = LocationOf(f.Answer(page, sso, {"read:orders"}));
  REQUIRE(location.find('#') != std::string::npos);
  const auto params = Parameters(location);
  CHECK(params.at("scope") == "openid read:orders");
  CHECK(f.Verified(params.at("access_token"), f.app)["scope"] == "openid read:orders");
  const nlohmann::json id = f.Verified(params.at("id_token"), f.app);
  CHECK(id["nonce"] == "nonce-1");
  CHECK_FALSE(id.contains("email"));
  CHECK(id["at_hash"] == HalfSha256(params.at("access_token")));
}

TEST_CASE("Consent: concurrent answers of one user are each honoured", "[oauth2][consent]") {
  ConsentFixture f;
  f.MakeThirdParty(ConsentMode::kRememberDecision);
  // Six tabs of one user answer at once, each with its own choice.
  const std::vector<std::vector<std::string>> choices = {
      {"email"}, {"offline_access"}, {}, {"email", "read:orders"}, {"read:orders"}, {"email"}};
  std::vector<AuthorizeResult> results(choices.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = f.server->CompleteAuthorization(f.Request(f.app, kScopes), f.user.id,
                                                   AuthenticationType::kPassword, choices[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < choices.size(); ++i) {
    std::vector<std::string> expected = {"openid", "profile"};
    for (const char* scope : {"email", "offline_access", "read:orders"}) {
      if (std::find(choices[i].begin(), choices[i].end(), scope) != choices[i].end()) {
        expected.emplace_back(scope);
      }
    }
    std::string joined;
    for (const std::string& scope : expected) joined += (joined.empty() ? "" : " ") + scope;
    CHECK(f.Exchange(results[i]).scope == joined);
  }
  // One of the choices is remembered: the next authorization asks nothing.
  AuthorizeRequest next = f.Request(f.app, kScopes);
  next.sso_cookie = CookieValue(results[0].set_cookies, kSsoCookieName);
  const TokenResponse again = f.Exchange(f.server->Authorize(next));
  CHECK(again.scope.rfind("openid profile", 0) == 0);
}

// The JOSE header of a compact token, decoded here.
nlohmann::json HeaderOf(const std::string& token) {
  std::string decoded;
  REQUIRE_OK(
      internal::Base64UrlDecodeTo(std::string_view(token).substr(0, token.find('.')), decoded));
  return nlohmann::json::parse(decoded);
}

TEST_CASE("OAuth access tokens: identity claims by scopeHandlingPolicy, gty in the header",
          "[oauth2][server]") {
  OAuthFixture f;
  const auto code_tokens = [&] {
    const auto params =
        Parameters(LocationOf(f.LogIn(f.Request(f.app), "richard@piedpiper.com", kPassword)));
    return Tokens(f.server->Token(f.CodeExchange(f.app, params.at("code"))));
  };
  SECTION("Strict (the default): email, email_verified and preferred_username are left out") {
    const TokenResponse tokens = code_tokens();
    const nlohmann::json access = f.Verified(tokens.access_token, f.app);
    CHECK_FALSE(access.contains("email"));
    CHECK_FALSE(access.contains("email_verified"));
    CHECK_FALSE(access.contains("preferred_username"));
    CHECK(HeaderOf(tokens.access_token)["gty"] == nlohmann::json::array({"authorization_code"}));
    // The id token is not an access token: no gty.
    CHECK_FALSE(HeaderOf(tokens.id_token).contains("gty"));
    TokenRequest refresh = f.ClientRequest(f.app, "refresh_token");
    refresh.refresh_token = tokens.refresh_token;
    const TokenResponse refreshed = Tokens(f.server->Token(refresh));
    CHECK_FALSE(f.Verified(refreshed.access_token, f.app).contains("email"));
    CHECK(HeaderOf(refreshed.access_token)["gty"] == nlohmann::json::array({"refresh_token"}));
    // The Login API's tokens keep them.
    LoginResponse login = REQUIRE_VALUE(f.engine->login().Login(
        {.login_id = "richard", .password = kPassword, .application_id = f.app.id}));
    const nlohmann::json api = f.Verified(login.token, f.app);
    CHECK(api["email"] == "richard@piedpiper.com");
    CHECK(api["preferred_username"] == "richard");
    CHECK_FALSE(HeaderOf(login.token).contains("gty"));
  }
  SECTION("Compatibility: they stay") {
    f.app.oauth_configuration.scope_handling_policy = ScopeHandlingPolicy::kCompatibility;
    f.app = REQUIRE_VALUE(f.engine->applications().Update(f.app));
    const nlohmann::json access = f.Verified(code_tokens().access_token, f.app);
    CHECK(access["email"] == "richard@piedpiper.com");
    CHECK(access["email_verified"] == true);
    CHECK(access["preferred_username"] == "richard");
  }
  SECTION("the password and client_credentials grants") {
    TokenRequest password = f.ClientRequest(f.app, "password");
    password.username = "richard";
    password.password = kPassword;
    const TokenResponse p = Tokens(f.server->Token(password));
    CHECK(HeaderOf(p.access_token)["gty"] == nlohmann::json::array({"password"}));
    TokenRequest client = f.ClientRequest(f.app, "client_credentials");
    const TokenResponse c = Tokens(f.server->Token(client));
    CHECK(HeaderOf(c.access_token)["gty"] == nlohmann::json::array({"client_credentials"}));
    CHECK_FALSE(f.Verified(c.access_token, f.app).contains("gty"));
  }
}

}  // namespace
}  // namespace bulwark::oauth2
