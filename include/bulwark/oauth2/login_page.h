// SPDX-License-Identifier: Apache-2.0
//
// The hosted login page that GET /oauth2/authorize shows without an SSO session: what it
// shows (LoginPageModel), its words (LoginPageStrings, one language per value) and the
// interface a host implements to render it itself (LoginPageRenderer), with its own markup
// and CSS. AuthorizationServerOptions (authorization_server.h) takes both.
//
// The contract a page keeps, whoever renders it: an HTML form that POSTs back to
// `model.action` with FusionAuth's field names, `loginId` and `password`, every entry of
// `model.hidden` as a hidden input, and `model.csrf_token` as the hidden input `csrf_token`.
//
// Thread-compatible value types; a LoginPageRenderer is called from many threads at once and
// must be thread-safe and must not throw.
#ifndef BULWARK_OAUTH2_LOGIN_PAGE_H_
#define BULWARK_OAUTH2_LOGIN_PAGE_H_

#include <string>
#include <utility>
#include <vector>

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

// A rendered page and the Content-Security-Policy to serve it with.
struct RenderedPage {
  std::string html;
  std::string content_security_policy;
};

// A host's own page.
class LoginPageRenderer {
 public:
  LoginPageRenderer() = default;
  LoginPageRenderer(const LoginPageRenderer&) = delete;
  LoginPageRenderer& operator=(const LoginPageRenderer&) = delete;
  virtual ~LoginPageRenderer() = default;
  virtual RenderedPage Render(const LoginPageModel& model, const LoginPageStrings& strings) = 0;
};

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_LOGIN_PAGE_H_
