// SPDX-License-Identifier: Apache-2.0
//
// The hosted login page (oauth2/login_page.h): the form contract scripted clients rely on,
// accessibility, errors, localised strings, escaping, and a Content-Security-Policy under
// which nothing but the page's own style applies.
#include "oauth2/login_page.h"

#include <catch2/catch.hpp>
#include <string>

namespace bulwark::oauth2 {
namespace {

bool Has(const std::string& html, std::string_view needle) {
  return html.find(needle) != std::string::npos;
}

LoginPageModel Model() {
  LoginPageModel model;
  model.csrf_token = "c5rf-t0ken";
  model.hidden = {{"client_id", "3c97c1b1-d8a0-432a-9c74-7105292d7e02"},
                  {"redirect_uri", "https://app.example.com/callback?a=1&b=2"},
                  {"response_type", "code"},
                  {"state", "af0ifjsldkj"}};
  return model;
}

TEST_CASE("the login form posts loginId, password, the OAuth parameters and a CSRF token",
          "[oauth2][page]") {
  const RenderedPage page = RenderLoginPage(Model(), LoginPageStrings{});
  const std::string& html = page.html;
  CHECK(Has(html, R"(<form method="post" action="/oauth2/authorize">)"));
  CHECK(Has(html, R"(<input type="hidden" name="csrf_token" value="c5rf-t0ken">)"));
  CHECK(Has(
      html,
      R"(<input type="hidden" name="client_id" value="3c97c1b1-d8a0-432a-9c74-7105292d7e02">)"));
  CHECK(Has(html, R"(<input type="hidden" name="redirect_uri" )"
                  R"(value="https://app.example.com/callback?a=1&amp;b=2">)"));
  CHECK(Has(html, R"(<input type="hidden" name="state" value="af0ifjsldkj">)"));
  // Labels bound to their inputs, autocomplete hints, required fields.
  CHECK(Has(html, R"(<label for="loginId">Email or username</label>)"));
  CHECK(Has(html, R"(<input type="text" id="loginId" name="loginId" value="" )"
                  R"(autocomplete="username")"));
  CHECK(Has(html, R"(<label for="password">Password</label>)"));
  CHECK(Has(html, R"(<input type="password" id="password" name="password" )"
                  R"(autocomplete="current-password" required)"));
  CHECK(Has(html, R"(<button type="submit">Log in</button>)"));
  CHECK(Has(html, R"(<html lang="en">)"));
  // No script at all, and no error when there is none.
  CHECK_FALSE(Has(html, "<script"));
  CHECK_FALSE(Has(html, "role=\"alert\""));
  CHECK_FALSE(Has(html, "class=\"links\""));
}

TEST_CASE("each outcome shows its message as an alert the fields point to", "[oauth2][page]") {
  const LoginPageStrings strings;
  const std::pair<LoginPageError, const std::string*> cases[] = {
      {LoginPageError::kInvalidCredentials, &strings.invalid_credentials},
      {LoginPageError::kLocked, &strings.locked},
      {LoginPageError::kDisabled, &strings.disabled},
      {LoginPageError::kExpired, &strings.expired},
      {LoginPageError::kNotRegistered, &strings.not_registered},
      {LoginPageError::kPasswordChangeRequired, &strings.password_change_required},
      {LoginPageError::kEmailVerificationRequired, &strings.email_verification_required},
      {LoginPageError::kRegistrationNotVerified, &strings.registration_not_verified},
      {LoginPageError::kFormExpired, &strings.form_expired},
  };
  for (const auto& [error, text] : cases) {
    INFO(*text);
    LoginPageModel model = Model();
    model.error = error;
    model.login_id = "ada@example.com";
    const std::string html = RenderLoginPage(model, strings).html;
    CHECK(Has(html, R"(<p class="error" role="alert" id="login-error">)" + *text + "</p>"));
    CHECK(Has(html, R"(value="ada@example.com")"));
    CHECK(Has(html, R"(aria-describedby="login-error")"));
    // The password gets the focus when the login id is filled in.
    CHECK(Has(html, R"(autocomplete="current-password" required autofocus)"));
  }
}

TEST_CASE("strings are localisable and links appear when configured", "[oauth2][page]") {
  LoginPageStrings fr;
  fr.language = "fr";
  fr.title = "Connexion";
  fr.login_id_label = "Courriel ou identifiant";
  fr.password_label = "Mot de passe";
  fr.submit = "Se connecter";
  fr.forgot_password = "Mot de passe oublié ?";
  LoginPageModel model = Model();
  model.forgot_password_url = "/password/forgot?client_id=x&tenantId=y";
  const std::string html = RenderLoginPage(model, fr).html;
  CHECK(Has(html, R"(<html lang="fr">)"));
  CHECK(Has(html, "<title>Connexion</title>"));
  CHECK(Has(html, R"(<label for="loginId">Courriel ou identifiant</label>)"));
  CHECK(Has(html, R"(<button type="submit">Se connecter</button>)"));
  CHECK(Has(html, R"(<a href="/password/forgot?client_id=x&amp;tenantId=y">)"
                  "Mot de passe oublié ?</a>"));
  CHECK_FALSE(Has(html, "Create one"));
}

TEST_CASE("nothing a request carries can add markup to the page", "[oauth2][page][security]") {
  LoginPageModel model = Model();
  model.login_id = R"("><script>alert(1)</script>)";
  model.hidden.push_back({R"(x"><img src=x onerror=alert(1)>)", R"('><svg onload=alert(1)>)"});
  model.csrf_token = R"("><b>)";
  const std::string html = RenderLoginPage(model, LoginPageStrings{}).html;
  CHECK_FALSE(Has(html, "<script"));
  CHECK_FALSE(Has(html, "<img"));
  CHECK_FALSE(Has(html, "<svg"));
  CHECK_FALSE(Has(html, "<b>"));
  CHECK(Has(html, R"(value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")"));
}

TEST_CASE("the policy admits the page's own style and nothing else", "[oauth2][page][security]") {
  const RenderedPage themed = RenderLoginPage(Model(), LoginPageStrings{}, "body{color:red}");
  CHECK(Has(themed.html, "<style>body{color:red}</style>"));
  // base64(SHA-256("body{color:red}")), computed outside bulwark.
  CHECK(themed.content_security_policy ==
        "default-src 'none'; style-src 'sha256-FcQqt3aNlV7AZnGV4zkQRVeCeJOxbMPnQSx258L803E='; "
        "img-src 'self'; base-uri 'none'; frame-ancestors 'none'");
  const RenderedPage plain = RenderLoginPage(Model(), LoginPageStrings{});
  CHECK(Has(plain.html, "<style>" + DefaultLoginStylesheet() + "</style>"));
  CHECK(plain.content_security_policy != themed.content_security_policy);
  CHECK_FALSE(Has(plain.content_security_policy, "unsafe-inline"));
  CHECK_FALSE(Has(plain.content_security_policy, "script-src"));
}

ConsentPageModel Consent() {
  ConsentPageModel model;
  model.action = "https://login.example/oauth2/consent";
  model.csrf_token = "c5rf-t0ken";
  model.hidden = {{"client_id", "3c97c1b1-d8a0-432a-9c74-7105292d7e02"}, {"state", "s"}};
  model.application_name = "Pied Piper";
  model.scopes = {
      {.scope = "profile", .required = true},
      {.scope = "email"},
      {.scope = "read:orders", .message = "Read your orders", .detail = "All of them."}};
  return model;
}

TEST_CASE("the consent page: optional scopes to tick, required ones shown, allow and cancel",
          "[oauth2][page][consent]") {
  const RenderedPage page = RenderConsentPage(Consent(), LoginPageStrings{});
  const std::string& html = page.html;
  CHECK(Has(html, R"(<form method="post" action="https://login.example/oauth2/consent">)"));
  CHECK(Has(html, R"(<input type="hidden" name="csrf_token" value="c5rf-t0ken">)"));
  CHECK(Has(html, R"(<input type="hidden" name="state" value="s">)"));
  CHECK(Has(html, "<strong>Pied Piper</strong>"));
  // The optional ones are FusionAuth's scopeConsents[...] checkboxes, ticked to start with.
  CHECK(Has(html, R"(name="scopeConsents[email]" value="true" checked)"));
  CHECK(Has(html, R"(name="scopeConsents[read:orders]" value="true" checked)"));
  // The required one is shown ticked and is not posted.
  CHECK_FALSE(Has(html, "scopeConsents[profile]"));
  CHECK(Has(html, "checked disabled"));
  CHECK(Has(html, "See your profile"));
  CHECK(Has(html, "(Required)"));
  // Each checkbox has its label; the detail describes it.
  CHECK(Has(html, R"(<label for="scope-2">Read your orders</label>)"));
  CHECK(Has(html, R"(aria-describedby="scope-2-detail")"));
  CHECK(Has(html, R"(<p class="detail" id="scope-2-detail">All of them.</p>)"));
  CHECK(Has(html, R"(<button type="submit" name="action" value="allow">Allow</button>)"));
  CHECK(Has(html, R"(name="action" value="cancel")"));
  CHECK_FALSE(Has(html, "<script"));
  CHECK(Has(page.content_security_policy, "default-src 'none'"));
  CHECK(Has(page.content_security_policy, "frame-ancestors 'none'"));
}

TEST_CASE("the consent page escapes what the application and the request supply",
          "[oauth2][page][consent][security]") {
  ConsentPageModel model = Consent();
  model.application_name = R"(<img src=x onerror=alert(1)>)";
  model.scopes.push_back({.scope = R"(x"><script>alert(1)</script>)"});
  model.scopes.push_back({.scope = "y", .message = "<b>bold</b>", .detail = "<i>it</i>"});
  const std::string html = RenderConsentPage(model, LoginPageStrings{}).html;
  CHECK_FALSE(Has(html, "<img"));
  CHECK_FALSE(Has(html, "<script"));
  CHECK_FALSE(Has(html, "<b>bold"));
  CHECK_FALSE(Has(html, "<i>it"));
  CHECK(Has(html, "scopeConsents[x&quot;&gt;&lt;script&gt;"));
}

TEST_CASE("the consent page's words are localisable", "[oauth2][page][consent]") {
  LoginPageStrings strings;
  strings.language = "fr";
  strings.consent_title = "Autoriser l'accès";
  strings.allow = "Autoriser";
  strings.cancel = "Annuler";
  strings.scope_email = "Voir votre adresse e-mail";
  const std::string html = RenderConsentPage(Consent(), strings).html;
  CHECK(Has(html, R"(<html lang="fr">)"));
  CHECK(Has(html, "<h1>Autoriser l&#39;accès</h1>"));
  CHECK(Has(html, ">Autoriser</button>"));
  CHECK(Has(html, ">Annuler</button>"));
  CHECK(Has(html, "Voir votre adresse e-mail"));
}

}  // namespace
}  // namespace bulwark::oauth2
