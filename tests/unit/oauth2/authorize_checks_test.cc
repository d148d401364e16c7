// SPDX-License-Identifier: Apache-2.0
//
// The checks of an authorization request (oauth2/authorize_checks.h): each check's refusal,
// whether it is shown on a page or sent back to the redirect_uri, and a request that passes.
#include "oauth2/authorize_checks.h"

#include <catch2/catch.hpp>
#include <string>
#include <variant>
#include <vector>

namespace bulwark::oauth2 {
namespace {

constexpr std::string_view kOwnOrigin = "https://auth.example.com";
constexpr std::string_view kPkceChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

Application App() {
  Application app;
  app.id = ApplicationId::Parse("3c97c1b1-d8a0-432a-9c74-7105292d7e02").value();
  app.oauth_configuration.authorized_redirect_urls = {"https://app.example.com/callback",
                                                      "https://*.preview.example.com/cb"};
  app.oauth_configuration.authorized_url_validation_policy = UrlValidationPolicy::kAllowWildcards;
  app.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode, GrantType::kRefreshToken,
                                            GrantType::kImplicit};
  return app;
}

AuthorizeRequest Request() {
  AuthorizeRequest r;
  r.client_id = "3c97c1b1-d8a0-432a-9c74-7105292d7e02";
  r.redirect_uri = "https://app.example.com/callback";
  r.response_type = "code";
  r.scope = "openid profile offline_access";
  r.state = "af0ifjsldkj";
  return r;
}

const AuthorizeFailure& FailureOf(const AuthorizeCheckOutcome& outcome) {
  const auto* failure = std::get_if<AuthorizeFailure>(&outcome);
  REQUIRE(failure != nullptr);
  return *failure;
}

const CheckedAuthorizeRequest& CheckedOf(const AuthorizeCheckOutcome& outcome) {
  if (const auto* failure = std::get_if<AuthorizeFailure>(&outcome)) {
    FAIL("refused by " << failure->check << ": " << failure->error.error_reason << " "
                       << failure->error.error_description);
  }
  return std::get<CheckedAuthorizeRequest>(outcome);
}

// Refused on a page: the redirect_uri could not be trusted.
void ExpectPage(const AuthorizeCheckOutcome& outcome, std::string_view check,
                std::string_view error, std::string_view reason) {
  const AuthorizeFailure& f = FailureOf(outcome);
  CHECK(f.check == check);
  CHECK(f.error.error == error);
  CHECK(f.error.error_reason == reason);
  CHECK_FALSE(f.redirect);
  CHECK(f.redirect_uri.empty());
}

// Refused back to the redirect_uri, with the state.
void ExpectRedirect(const AuthorizeCheckOutcome& outcome, std::string_view check,
                    std::string_view error, std::string_view reason, ResponseMode mode) {
  const AuthorizeFailure& f = FailureOf(outcome);
  CHECK(f.check == check);
  CHECK(f.error.error == error);
  CHECK(f.error.error_reason == reason);
  CHECK(f.redirect);
  CHECK(f.redirect_uri == "https://app.example.com/callback");
  CHECK(f.state == "af0ifjsldkj");
  CHECK(f.response_mode == mode);
}

TEST_CASE("the checks run in FusionAuth's order", "[oauth2][authorize]") {
  CHECK(AuthorizeCheckNames() ==
        std::vector<std::string_view>{"redirect_uri_present", "client", "code_challenge",
                                      "redirect_uri_authorized", "response_type", "pkce_policy",
                                      "response_mode", "grant", "origin", "scope", "nonce",
                                      "prompt", "max_age"});
}

TEST_CASE("what is wrong before the redirect_uri is trusted is shown on a page",
          "[oauth2][authorize][security]") {
  const Application app = App();
  AuthorizeRequest r = Request();

  SECTION("no redirect_uri") {
    r.redirect_uri.reset();
    ExpectPage(CheckAuthorizeRequest(r, &app, kOwnOrigin), "redirect_uri_present",
               "invalid_request", "missing_redirect_uri");
  }
  SECTION("no client_id") {
    r.client_id.reset();
    ExpectPage(CheckAuthorizeRequest(r, nullptr, kOwnOrigin), "client", "invalid_request",
               "missing_client_id");
  }
  SECTION("an unknown client") {
    ExpectPage(CheckAuthorizeRequest(r, nullptr, kOwnOrigin), "client", "invalid_client",
               "invalid_client_id");
  }
  SECTION("an application that is not the client_id's, or a client_id that is no id") {
    Application another = app;
    another.id = ApplicationId::Parse("0b7c6e1a-2f3d-4e5a-9b8c-7d6e5f4a3b2c").value();
    ExpectPage(CheckAuthorizeRequest(r, &another, kOwnOrigin), "client", "invalid_client",
               "invalid_client_id");
    r.client_id = "not-a-uuid";
    ExpectPage(CheckAuthorizeRequest(r, &app, kOwnOrigin), "client", "invalid_client",
               "invalid_client_id");
  }
  SECTION("an inactive application") {
    Application inactive = app;
    inactive.active = false;
    ExpectPage(CheckAuthorizeRequest(r, &inactive, kOwnOrigin), "client", "invalid_client",
               "invalid_client_id");
  }
  SECTION("a malformed code_challenge or an unknown method") {
    r.code_challenge = "too-short";
    r.code_challenge_method = "S256";
    ExpectPage(CheckAuthorizeRequest(r, &app, kOwnOrigin), "code_challenge", "invalid_request",
               "invalid_pkce_code_challenge");
    r.code_challenge = std::string(kPkceChallenge);
    r.code_challenge_method = "S512";
    ExpectPage(CheckAuthorizeRequest(r, &app, kOwnOrigin), "code_challenge", "invalid_request",
               "invalid_pkce_code_challenge_method");
  }
  SECTION("a redirect_uri the application does not authorize, nor fits a wildcard") {
    for (const char* uri :
         {"https://evil.example.com/callback", "https://app.example.com/callback/",
          "https://app.example.com/callback?x=1", "https://app.example.com@evil.com/callback",
          "https://a.b.preview.example.com/cb", "https://pr-1.preview.example.com/cb#x",
          "https://pr-1.preview.example.com.evil.com/cb"}) {
      INFO(uri);
      r.redirect_uri = uri;
      ExpectPage(CheckAuthorizeRequest(r, &app, kOwnOrigin), "redirect_uri_authorized",
                 "invalid_request", "invalid_redirect_uri");
    }
    // Even with every other parameter wrong, the error does not go to the untrusted URI.
    r.redirect_uri = "https://evil.example.com/callback";
    r.response_type.reset();
    r.scope = "nonsense";
    CHECK_FALSE(FailureOf(CheckAuthorizeRequest(r, &app, kOwnOrigin)).redirect);
  }
}

TEST_CASE("what is wrong after the redirect_uri is trusted goes back to it",
          "[oauth2][authorize]") {
  Application app = App();
  AuthorizeRequest r = Request();

  SECTION("no response_type") {
    r.response_type.reset();
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "response_type", "invalid_request",
                   "missing_response_type", ResponseMode::kQuery);
  }
  SECTION("response types FusionAuth does not offer") {
    for (const char* type : {"token", "code id_token", "code token", "none", "id_token code"}) {
      INFO(type);
      r.response_type = type;  // the scope has openid
      ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "response_type",
                     "unsupported_response_type", "invalid_response_type",
                     std::string_view(type) == "none" || std::string_view(type) == "code"
                         ? ResponseMode::kQuery
                         : ResponseMode::kFragment);
    }
    r.scope = "profile";  // without openid, no id_token
    for (const char* type : {"id_token", "id_token token"}) {
      INFO(type);
      r.response_type = type;
      ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "response_type",
                     "unsupported_response_type", "invalid_response_type", ResponseMode::kFragment);
    }
  }
  SECTION("no code_challenge under the PKCE policy Required") {
    app.oauth_configuration.proof_key_for_code_exchange_policy = PkcePolicy::kRequired;
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "pkce_policy", "invalid_request",
                   "missing_code_challenge", ResponseMode::kQuery);
    r.code_challenge = std::string(kPkceChallenge);
    r.code_challenge_method = "S256";
    CHECK(CheckedOf(CheckAuthorizeRequest(r, &app, kOwnOrigin)).code_challenge ==
          std::string(kPkceChallenge));
  }
  SECTION("an unknown response_mode, or query for tokens") {
    r.response_mode = "web_message";
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "response_mode", "invalid_request",
                   "invalid_response_mode", ResponseMode::kQuery);
    r.response_type = "id_token token";
    r.nonce = "n-0S6_WzA2Mj";
    r.response_mode = "query";
    // The error itself goes in the query the request asked for: nothing secret is in it.
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "response_mode", "invalid_request",
                   "invalid_response_mode", ResponseMode::kQuery);
  }
  SECTION("a disabled grant") {
    app.oauth_configuration.enabled_grants = {GrantType::kImplicit};
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "grant", "unauthorized_client",
                   "grant_type_disabled", ResponseMode::kQuery);
    app.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode};
    r.response_type = "id_token";
    r.nonce = "n";
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "grant", "unauthorized_client",
                   "grant_type_disabled", ResponseMode::kFragment);
  }
  SECTION("an origin the application does not authorize") {
    app.oauth_configuration.authorized_origin_urls = {"https://app.example.com"};
    r.origin = "null";
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "origin", "invalid_request",
                   "invalid_origin_opaque", ResponseMode::kQuery);
    r.origin = "https://evil.example.com";
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "origin", "invalid_request",
                   "invalid_origin", ResponseMode::kQuery);
    r.origin = "https://app.example.com.evil.com/page";  // a Referer
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "origin", "invalid_request",
                   "invalid_origin", ResponseMode::kQuery);
    for (const char* fine : {"https://app.example.com", "https://app.example.com/page?x=1",
                             "https://auth.example.com", "https://auth.example.com/oauth2/x"}) {
      INFO(fine);
      r.origin = fine;
      CheckedOf(CheckAuthorizeRequest(r, &app, kOwnOrigin));
    }
    app.oauth_configuration.authorized_origin_urls.clear();  // no list: no check
    r.origin = "https://evil.example.com";
    CheckedOf(CheckAuthorizeRequest(r, &app, kOwnOrigin));
  }
  SECTION("an unknown scope under Reject") {
    r.scope = "openid admin";
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "scope", "invalid_scope",
                   "unknown_scope", ResponseMode::kQuery);
  }
  SECTION("an id_token from the endpoint needs a nonce") {
    r.response_type = "id_token token";
    ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "nonce", "invalid_request",
                   "unknown", ResponseMode::kFragment);
    r.response_type = "code";  // the code flow's id_token comes from the token endpoint
    CHECK(CheckedOf(CheckAuthorizeRequest(r, &app, kOwnOrigin)).nonce.empty());
  }
  SECTION("prompt and max_age") {
    for (const char* prompt : {"none login", "consent none", "select_account"}) {
      INFO(prompt);
      r.prompt = prompt;
      ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "prompt", "invalid_request",
                     "invalid_prompt", ResponseMode::kQuery);
    }
    r.prompt.reset();
    for (const char* max_age : {"-1", "1h", "3600 ", "99999999999999999999999"}) {
      INFO(max_age);
      r.max_age = max_age;
      ExpectRedirect(CheckAuthorizeRequest(r, &app, kOwnOrigin), "max_age", "invalid_request",
                     "unknown", ResponseMode::kQuery);
    }
  }
}

TEST_CASE("a request that passes every check", "[oauth2][authorize]") {
  const Application app = App();
  AuthorizeRequest r = Request();
  r.code_challenge = std::string(kPkceChallenge);
  r.code_challenge_method = "S256";
  r.nonce = "n-0S6_WzA2Mj";
  r.prompt = "login consent";
  r.max_age = "600";
  r.login_hint = "ada@example.com";
  r.idp_hint = "0d2f7e4c-1a3b-4c5d-8e9f-0a1b2c3d4e5f";
  r.locale = "fr";
  r.response_mode = "form_post";

  const AuthorizeCheckOutcome outcome = CheckAuthorizeRequest(r, &app, kOwnOrigin);
  const CheckedAuthorizeRequest& checked = CheckedOf(outcome);
  CHECK(checked.application == &app);
  CHECK(checked.redirect_uri == "https://app.example.com/callback");
  CHECK(checked.response_types == ResponseTypes{.code = true});
  CHECK(checked.response_mode == ResponseMode::kFormPost);
  CHECK(checked.scopes == std::vector<std::string>{"openid", "profile", "offline_access"});
  CHECK(checked.state == "af0ifjsldkj");
  CHECK(checked.nonce == "n-0S6_WzA2Mj");
  CHECK(checked.code_challenge == std::string(kPkceChallenge));
  CHECK(checked.code_challenge_method == CodeChallengeMethod::kS256);
  CHECK_FALSE(checked.prompt_none);
  CHECK(checked.prompt_login);
  CHECK(checked.prompt_consent);
  CHECK(checked.max_age == 600);
  CHECK(checked.login_hint == "ada@example.com");
  CHECK(checked.idp_hint == "0d2f7e4c-1a3b-4c5d-8e9f-0a1b2c3d4e5f");
  CHECK(checked.locale == "fr");

  SECTION("a wildcard redirect_uri, the implicit flow's default fragment") {
    AuthorizeRequest implicit = Request();
    implicit.redirect_uri = "https://pr-42.preview.example.com/cb";
    implicit.response_type = "token id_token";
    implicit.nonce = "n";
    const AuthorizeCheckOutcome implicit_outcome =
        CheckAuthorizeRequest(implicit, &app, kOwnOrigin);
    const CheckedAuthorizeRequest& c = CheckedOf(implicit_outcome);
    CHECK(c.redirect_uri == "https://pr-42.preview.example.com/cb");
    CHECK(c.response_types == ResponseTypes{.token = true, .id_token = true});
    CHECK(c.response_mode == ResponseMode::kFragment);
    CHECK(c.code_challenge == std::nullopt);
  }
  SECTION("token without openid, plain PKCE") {
    AuthorizeRequest oauth = Request();
    oauth.scope = "profile";
    oauth.response_type = "token";
    CHECK(CheckedOf(CheckAuthorizeRequest(oauth, &app, kOwnOrigin)).response_types ==
          ResponseTypes{.token = true});
    oauth.response_type = "code";
    oauth.code_challenge = std::string(43, 'p');
    const AuthorizeCheckOutcome plain_outcome = CheckAuthorizeRequest(oauth, &app, kOwnOrigin);
    const CheckedAuthorizeRequest& c = CheckedOf(plain_outcome);
    CHECK(c.code_challenge_method == CodeChallengeMethod::kPlain);
  }
}

}  // namespace
}  // namespace bulwark::oauth2
