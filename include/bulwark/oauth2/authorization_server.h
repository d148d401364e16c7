// SPDX-License-Identifier: Apache-2.0
//
// AuthorizationServer: bulwark's OAuth 2.0 / OpenID Connect authorization server, in-process.
// It takes typed, already-decoded requests and returns typed results (a redirect, a page to
// render, a token response, an OAuth error); it never sees an HTTP request. The Router maps
// FusionAuth's /oauth2 endpoints onto it; a host with its own HTTP stack, or its own login UI,
// calls it directly.
//
//   auto server = bulwark::oauth2::AuthorizationServer::Create(
//       engine, {.base_url = "https://login.example.com"});
//   AuthorizeResult page = (*server)->Authorize(request);   // GET /oauth2/authorize
//   TokenResult tokens = (*server)->Token(token_request);    // POST /oauth2/token
//
// FusionAuth is the specification: parameter names, errors (`error`, `error_reason`,
// `error_description`), response shapes, the Application's oauthConfiguration and the
// tenant's lifetimes. Every user-facing login goes through the Engine's one login pipeline,
// so lockout, the login gate, events and login records are those of the Login API.
//
// Thread-safe: one AuthorizationServer serves many threads at once. It borrows the Engine,
// which must outlive it.
#ifndef BULWARK_OAUTH2_AUTHORIZATION_SERVER_H_
#define BULWARK_OAUTH2_AUTHORIZATION_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/engine.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/oauth2/login_page.h"
#include "bulwark/result.h"

namespace bulwark::oauth2 {

struct AuthorizationServerOptions {
  // Required: the server's base URL as browsers and clients reach it: scheme, host, port and
  // any path prefix the host mounts the endpoints under. It makes the endpoints of the
  // discovery document, the login form's action, and the origin a login form posts from;
  // cookies are Secure when it is https.
  std::string base_url = {};
  // The login page's renderer. Default (null): the built-in page with `strings` and
  // `stylesheet` (the default theme when empty).
  std::shared_ptr<LoginPageRenderer> login_page_renderer = nullptr;
  LoginPageStrings strings = {};
  std::string stylesheet = {};
};

// ---- /oauth2/authorize -----------------------------------------------------------------------

// The parameters of GET or POST /oauth2/authorize, decoded; absent ones are nullopt. A POST
// that carries `login_id` is the hosted login page's form.
struct AuthorizeRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> redirect_uri = std::nullopt;
  std::optional<std::string> response_type = std::nullopt;
  std::optional<std::string> response_mode = std::nullopt;
  std::optional<std::string> scope = std::nullopt;
  std::optional<std::string> state = std::nullopt;
  std::optional<std::string> nonce = std::nullopt;
  std::optional<std::string> code_challenge = std::nullopt;
  std::optional<std::string> code_challenge_method = std::nullopt;
  std::optional<std::string> prompt = std::nullopt;
  std::optional<std::string> max_age = std::nullopt;
  std::optional<std::string> login_hint = std::nullopt;
  std::optional<std::string> idp_hint = std::nullopt;
  std::optional<std::string> locale = std::nullopt;
  std::optional<std::string> tenant_id = std::nullopt;
  // The login form's fields (FusionAuth's names: loginId, password, csrf_token).
  std::optional<std::string> login_id = std::nullopt;
  std::optional<std::string> password = std::nullopt;
  std::optional<std::string> csrf_token = std::nullopt;
  // From the request's headers: its Origin (else its Referer), and the cookies the server
  // set before (kSsoCookieName, kCsrfCookieName below), as the browser sent them.
  std::optional<std::string> origin = std::nullopt;
  std::optional<std::string> sso_cookie = std::nullopt;
  std::optional<std::string> csrf_cookie = std::nullopt;
  std::string ip_address = {};
  bool post = false;  // the request was a POST (the form)
};

// The cookie that carries the SSO session, and the one that carries the login form's CSRF
// token (a double-submit cookie: the form's hidden csrf_token must equal it).
inline constexpr const char* kSsoCookieName = "bulwark.sso";
inline constexpr const char* kCsrfCookieName = "bulwark.csrf";

// A 302 (or 303 after a POST) to `location`.
struct Redirect {
  std::string location = {};
};

// An HTML page: the login page (200), an error page (400) or the auto-submitting form of
// response_mode=form_post (200). Served with `content_security_policy`, no-store, a
// Referrer-Policy of no-referrer, and framing limited to `frame_ancestors` (none: DENY).
struct Page {
  int status = 200;
  std::string html = {};
  std::string content_security_policy = {};
  std::vector<std::string> frame_ancestors = {};
};

struct AuthorizeResult {
  std::variant<Redirect, Page> response;
  // Set-Cookie values, in order.
  std::vector<std::string> set_cookies = {};
};

// POST /oauth2/consent: the consent page's form. `authorization` carries the OAuth
// parameters the page posted back as hidden inputs, its csrf_token, and the request's
// cookies and address, as AuthorizeRequest does for the login form.
struct ConsentRequest {
  AuthorizeRequest authorization = {};
  // The optional scopes the user granted (the form's scopeConsents[<scope>]=true).
  std::vector<std::string> consented_scopes = {};
  bool cancel = false;  // the form's action=cancel
};

// ---- /oauth2/token ---------------------------------------------------------------------------

// An OAuth error response (RFC 6749 §5.2, FusionAuth's body): `status` is 400, or 401 for
// invalid_client and a refused bearer token.
struct OAuthErrorResponse {
  int status = 400;
  std::string error = {};
  std::string error_reason = {};
  std::string error_description = {};
};

// The form of POST /oauth2/token, decoded. The client's credentials are `client_id` and
// `client_secret` from the body, or from an Authorization: Basic header (RFC 6749 §2.3.1),
// which the transport decodes into the same two members (`basic` tells which).
struct TokenRequest {
  std::optional<std::string> grant_type = std::nullopt;
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> client_secret = std::nullopt;
  bool basic = false;
  std::optional<std::string> code = std::nullopt;
  std::optional<std::string> redirect_uri = std::nullopt;
  std::optional<std::string> code_verifier = std::nullopt;
  std::optional<std::string> refresh_token = std::nullopt;
  std::optional<std::string> username = std::nullopt;
  std::optional<std::string> password = std::nullopt;
  std::optional<std::string> scope = std::nullopt;
  std::optional<std::string> device_code = std::nullopt;
  std::optional<std::string> tenant_id = std::nullopt;
  std::string ip_address = {};
};

// FusionAuth's token response. Absent members are not written.
struct TokenResponse {
  std::string access_token = {};
  std::int64_t expires_in = 0;  // seconds
  std::string id_token = {};
  std::string refresh_token = {};
  std::optional<RefreshTokenId> refresh_token_id = std::nullopt;
  std::string scope = {};
  std::string token_type = "Bearer";
  std::optional<UserId> user_id = std::nullopt;
  // The response body, FusionAuth's member names.
  nlohmann::json ToJson() const;
};

using TokenResult = std::variant<TokenResponse, OAuthErrorResponse>;

// ---- userinfo, introspection, revocation, logout, discovery ----------------------------------

// The userinfo response's claims, or the error (401 invalid_token).
using UserinfoResult = std::variant<nlohmann::json, OAuthErrorResponse>;

// POST /oauth2/introspect (RFC 7662) and POST /oauth2/revoke (RFC 7009): the client's
// credentials as for the token endpoint, the token and its type hint.
struct TokenInspectionRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> client_secret = std::nullopt;
  bool basic = false;
  std::optional<std::string> token = std::nullopt;
  std::optional<std::string> token_type_hint = std::nullopt;
};
// {"active": false}, or {"active": true, ...} with the token's claims and client_id.
using IntrospectResult = std::variant<nlohmann::json, OAuthErrorResponse>;
// nullopt: 200 (also for a token that is unknown, already revoked, or an access token, which
// is a JWT and ends at its exp).
using RevokeResult = std::optional<OAuthErrorResponse>;

// GET or POST /oauth2/logout (OpenID Connect RP-Initiated Logout, FusionAuth's parameters).
struct LogoutRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> id_token_hint = std::nullopt;
  std::optional<std::string> post_logout_redirect_uri = std::nullopt;
  std::optional<std::string> state = std::nullopt;
  std::optional<std::string> tenant_id = std::nullopt;
  std::optional<std::string> sso_cookie = std::nullopt;
};

// ---- the device authorization grant (RFC 8628) --------------------------------------------

// POST /oauth2/device_authorize: the client (its secret as its clientAuthenticationPolicy
// asks) and the scopes.
struct DeviceAuthorizationRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> client_secret = std::nullopt;
  std::optional<std::string> scope = std::nullopt;
  std::optional<std::string> tenant_id = std::nullopt;
};

// POST /oauth2/device/user-code: the client's credentials and the user code.
struct DeviceUserCodeRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> client_secret = std::nullopt;
  std::optional<std::string> user_code = std::nullopt;
};

// POST /oauth2/device/approve: the client's credentials, the user's access token (`token`)
// and the user code.
struct DeviceApprovalRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> client_secret = std::nullopt;
  std::optional<std::string> token = std::nullopt;
  std::optional<std::string> user_code = std::nullopt;
};

// The device's own page (GET and POST /oauth2/device): the user enters the code shown on the
// device and, without an SSO session, logs in on the same form.
struct DevicePageRequest {
  std::optional<std::string> client_id = std::nullopt;
  std::optional<std::string> user_code = std::nullopt;
  std::optional<std::string> login_id = std::nullopt;
  std::optional<std::string> password = std::nullopt;
  std::optional<std::string> csrf_token = std::nullopt;
  std::optional<std::string> csrf_cookie = std::nullopt;
  std::optional<std::string> sso_cookie = std::nullopt;
  std::string ip_address = {};
  bool post = false;
};

class BULWARK_EXPORT AuthorizationServer {
 public:
  // kInvalidArgument when base_url is not an absolute http(s) URL.
  static Result<std::unique_ptr<AuthorizationServer>> Create(Engine& engine,
                                                             AuthorizationServerOptions options);

  AuthorizationServer(const AuthorizationServer&) = delete;
  AuthorizationServer& operator=(const AuthorizationServer&) = delete;
  ~AuthorizationServer();

  // GET or POST /oauth2/authorize: checks the request (FusionAuth's order; errors before the
  // redirect_uri is trusted are a 400 page, later ones go back to it), then answers from the
  // SSO session, or with the login page, or, for the page's form, logs the user in through
  // the login pipeline, starts a new SSO session and answers with the code (and/or tokens)
  // in the response_mode. A third-party application's users then see the consent page when
  // one is due (prompt=none answers consent_required instead). A storage failure is a 500
  // page, never a redirect.
  AuthorizeResult Authorize(const AuthorizeRequest& request);

  // For a host that replaces the login page with its own UI: the user `user_id` has
  // authenticated by the host's own means (`type` says how; it is the tokens'
  // authenticationType). `request` is checked as Authorize checks it; then the login
  // pipeline's gate and registration rules run (no password), the login is recorded, an SSO
  // session starts (its cookie is in set_cookies) and the answer is the authorization
  // response. A user the gate refuses, or who must first take a step (203, 212, 213), goes
  // back to the client with access_denied and FusionAuth's reason.
  //
  // For a third-party application (consent.h's rules): `consented_scopes` set is the consent
  // the host's own UI obtained (the optional scopes the user granted; required ones are
  // granted anyway); unset, the answer is the consent page when one is due, whose form posts
  // to Consent.
  AuthorizeResult CompleteAuthorization(
      const AuthorizeRequest& request, UserId user_id,
      AuthenticationType type = AuthenticationType::kPassword,
      std::optional<std::vector<std::string>> consented_scopes = std::nullopt);

  // POST /oauth2/consent: the consent page's answer for the user of the SSO session the
  // request's cookie names. The request is checked again as Authorize checks it, and the
  // form's CSRF token must match its cookie (else the page shows again). Cancel goes back to
  // the client with access_denied (consent_canceled); allow answers with the code and/or
  // tokens for the granted scopes, and under RememberDecision remembers the choices. Without
  // a live session, the login page.
  AuthorizeResult Consent(const ConsentRequest& request);

  // POST /oauth2/token: authorization_code, refresh_token, password and client_credentials.
  TokenResult Token(const TokenRequest& request);

  // GET or POST /oauth2/userinfo with `access_token` (the bearer token).
  UserinfoResult Userinfo(std::string_view access_token);

  // POST /oauth2/introspect: 401 invalid_client when the client does not authenticate as
  // its clientAuthenticationPolicy asks, and for a token issued to another client
  // (FusionAuth's).
  IntrospectResult Introspect(const TokenInspectionRequest& request);

  // POST /oauth2/revoke: revokes a refresh token issued to the client.
  RevokeResult Revoke(const TokenInspectionRequest& request);

  // GET or POST /oauth2/logout: ends the SSO session the cookie names (and clears the
  // cookie), then redirects to post_logout_redirect_uri when the application authorizes it,
  // else to the application's logoutURL, the tenant's, or the base URL. Under logoutBehavior
  // AllApplications the answer is a page that loads every logoutURL of the tenant's
  // applications in frames and then goes on. id_token_hint names the client when client_id
  // does not; it must be signed by this server (expired is fine).
  AuthorizeResult Logout(const LogoutRequest& request);

  // The device authorization grant's endpoints (RFC 8628 and FusionAuth's). The device's
  // poll is the token endpoint's urn:ietf:params:oauth:grant-type:device_code grant.
  std::variant<nlohmann::json, OAuthErrorResponse> DeviceAuthorize(
      const DeviceAuthorizationRequest& request);
  bool ValidateUserCode(std::string_view client_id, std::string_view user_code);
  std::variant<nlohmann::json, OAuthErrorResponse> RetrieveUserCode(
      const DeviceUserCodeRequest& request);
  std::variant<nlohmann::json, OAuthErrorResponse> ApproveDevice(
      const DeviceApprovalRequest& request);
  // The built-in page where the user enters the user code (and logs in without a session):
  // the verification_uri when the application names no deviceVerificationURL.
  AuthorizeResult DevicePage(const DevicePageRequest& request);

  // Whether `origin` (a browser's Origin header) is one of the authorizedOriginURLs of the
  // application `client_id` names: the transport then answers the token, userinfo and
  // introspection endpoints with CORS headers for it.
  bool IsAuthorizedOrigin(std::string_view client_id, std::string_view origin);

  // GET /.well-known/openid-configuration for `tenant_id` (default: the default tenant).
  // kNotFound for an unknown tenant.
  Result<nlohmann::json> Discovery(std::optional<TenantId> tenant_id = std::nullopt);

 private:
  struct Impl;
  explicit AuthorizationServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_AUTHORIZATION_SERVER_H_
