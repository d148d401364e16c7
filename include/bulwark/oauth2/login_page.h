// SPDX-License-Identifier: Apache-2.0
//
// The hosted pages of the authorization server: the login page that GET /oauth2/authorize
// shows without an SSO session, and the consent page a third-party application's users see.
// What each shows (LoginPageModel, ConsentPageModel), their words (LoginPageStrings, one
// language per value) and the interface a host implements to render them itself
// (LoginPageRenderer), with its own markup and CSS. AuthorizationServerOptions
// (authorization_server.h) takes both.
//
// The contract a login page keeps, whoever renders it: an HTML form that POSTs back to
// `model.action` with FusionAuth's field names, `loginId` and `password`, every entry of
// `model.hidden` as a hidden input, and `model.csrf_token` as the hidden input `csrf_token`.
//
// The contract a consent page keeps: a form that POSTs to `model.action` (/oauth2/consent)
// with every entry of `model.hidden` and the `csrf_token` as hidden inputs, FusionAuth's
// `scopeConsents[<scope>]=true` for each optional scope the user grants (the required ones
// are granted whatever the form says), and `action=cancel` to refuse (any other `action`
// allows).
//
// Thread-compatible value types; a LoginPageRenderer is called from many threads at once and
// must be thread-safe and must not throw.
#ifndef BULWARK_OAUTH2_LOGIN_PAGE_H_
#define BULWARK_OAUTH2_LOGIN_PAGE_H_

#include <string>
#include <utility>
#include <vector>

#include "bulwark/export.h"

namespace bulwark::oauth2 {

// Why the page is shown again.
enum class LoginPageError {
  kNone,
  kInvalidCredentials,         // unknown login id or wrong password (never which)
  kLocked,                     // 409 locked
  kDisabled,                   // 409 the user is not active
  kExpired,                    // 410 the user expired
  kNotRegistered,              // 202 under requireRegistration
  kPasswordChangeRequired,     // 203
  kEmailVerificationRequired,  // 212
  kRegistrationNotVerified,    // 213
  kFormExpired,                // posted without a valid CSRF token (stale, or forged)
};

// The words on the page, in one language.
struct LoginPageStrings {
  std::string language = "en";
  std::string title = "Log in";
  std::string login_id_label = "Email or username";
  std::string password_label = "Password";
  std::string submit = "Log in";
  std::string forgot_password = "Forgot your password?";
  std::string create_account = "Don't have an account? Create one";
  std::string invalid_credentials = "Invalid login credentials.";
  std::string locked = "Your account is locked. Try again later or contact support.";
  std::string disabled = "Your account has been disabled.";
  std::string expired = "Your account has expired.";
  std::string not_registered = "You are not registered for this application.";
  std::string password_change_required = "You must change your password before you can log in.";
  std::string email_verification_required = "You must verify your email address to log in.";
  std::string registration_not_verified = "You must verify your registration to log in.";
  std::string form_expired = "The form expired. Please log in again.";
  // The consent page. Its heading is consent_title; the application's name comes before
  // consent_intro.
  std::string consent_title = "Allow access";
  std::string consent_intro = "wants to access your account. It asks to:";
  std::string consent_required = "Required";
  std::string allow = "Allow";
  std::string cancel = "Cancel";
  // What each scope the server knows lets the application do. A custom scope's words are its
  // defaultConsentMessage (else its description, else its name).
  std::string scope_profile = "See your profile: name, picture, birthdate and language";
  std::string scope_email = "See your email address";
  std::string scope_address = "See your postal address";
  std::string scope_phone = "See your phone number";
  std::string scope_offline_access = "Keep access while you are not using it";
};

// What a page shows.
struct LoginPageModel {
  std::string action = "/oauth2/authorize";
  // The OAuth parameters of the request, posted back as hidden inputs.
  std::vector<std::pair<std::string, std::string>> hidden;
  std::string csrf_token;
  std::string login_id;  // pre-filled: login_hint, or the previous attempt
  LoginPageError error = LoginPageError::kNone;
  std::string forgot_password_url;  // "" shows no link
  std::string register_url;         // "" shows no link
};

// One scope on the consent page.
struct ConsentScope {
  std::string scope = {};    // as requested, e.g. "email" or a custom scope's name
  std::string message = {};  // a custom scope's words; "" for the page's own (LoginPageStrings)
  std::string detail = {};   // a custom scope's defaultConsentDetail; may be ""
  bool required = false;     // shown as granted, with no choice
};

// What the consent page shows: the application's name and the scopes it asks for (every
// requested scope but openid, in request order).
struct ConsentPageModel {
  std::string action = "/oauth2/consent";
  std::vector<std::pair<std::string, std::string>> hidden = {};
  std::string csrf_token = {};
  std::string application_name = {};
  std::vector<ConsentScope> scopes = {};
};

// A rendered page and the Content-Security-Policy to serve it with.
struct RenderedPage {
  std::string html;
  std::string content_security_policy;
};

// A host's own pages.
class BULWARK_EXPORT LoginPageRenderer {
 public:
  LoginPageRenderer() = default;
  LoginPageRenderer(const LoginPageRenderer&) = delete;
  LoginPageRenderer& operator=(const LoginPageRenderer&) = delete;
  virtual ~LoginPageRenderer() = default;
  virtual RenderedPage Render(const LoginPageModel& model, const LoginPageStrings& strings) = 0;
  // The consent page. Default: the built-in page with the default theme.
  virtual RenderedPage RenderConsent(const ConsentPageModel& model,
                                     const LoginPageStrings& strings);
};

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_LOGIN_PAGE_H_
