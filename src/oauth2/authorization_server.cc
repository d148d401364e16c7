// SPDX-License-Identifier: Apache-2.0
// The authorization server: /oauth2/authorize (the checks, the SSO session, the hosted login
// page and its form, the authorization response), the token endpoint's dispatch to its
// grants, userinfo and discovery.
#include "bulwark/oauth2/authorization_server.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/token_service.h"
#include "crypto/random_secret.h"
#include "engine/login/pipeline.h"
#include "oauth2/authorization_code.h"
#include "oauth2/authorization_response.h"
#include "oauth2/authorize_checks.h"
#include "oauth2/authorized_url.h"
#include "oauth2/client_authentication.h"
#include "oauth2/consent.h"
#include "oauth2/device_grant.h"
#include "oauth2/discovery.h"
#include "oauth2/endpoints.h"
#include "oauth2/grants.h"
#include "oauth2/id_token.h"
#include "oauth2/login_page.h"
#include "oauth2/scopes.h"
#include "oauth2/server_context.h"
#include "oauth2/sso_session.h"

namespace bulwark::oauth2 {

struct AuthorizationServer::Impl {
  ServerContext server;
};

namespace {

// How long a login form may wait for its POST.
constexpr std::chrono::seconds kCsrfLifetime{3600};

// ---- pages ------------------------------------------------------------------------------------

Page ErrorPage(int status, const OAuthError& error) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Authorization error</title></head><body><main><h1>Authorization error</h1>"
      "<p role=\"alert\">";
  html += HtmlEscape(error.error_description);
  html += "</p><p><code>";
  html += HtmlEscape(error.error);
  if (!error.error_reason.empty()) {
    html += " (";
    html += HtmlEscape(error.error_reason);
    html += ")";
  }
  html += "</code></p></main></body></html>\n";
  return Page{.status = status,
              .html = std::move(html),
              .content_security_policy =
                  "default-src 'none'; base-uri 'none'; form-action 'none'; "
                  "frame-ancestors 'none'",
              .frame_ancestors = {}};
}

AuthorizeResult ServerErrorPage(ServerContext& server, const Status& status) {
  server.ctx.Log(LogLevel::kError, "an authorization request failed: " + status.ToString());
  return AuthorizeResult{
      .response = ErrorPage(
          500, OAuthError{.error = "server_error",
                          .error_reason = "unknown",
                          .error_description = "The request could not be completed. Try again "
                                               "later."}),
      .set_cookies = {}};
}

// The origins an application lets frame its pages (authorizedOriginURLs): none means DENY.
std::vector<std::string> FrameAncestors(const Application* application) {
  if (application == nullptr) return {};
  return application->oauth_configuration.authorized_origin_urls;
}

// The CSRF cookie of a page whose form posts to `path` (the login page's to
// /oauth2/authorize, the consent page's to /oauth2/consent: one cookie each, never both sent).
std::string CsrfCookie(const ServerContext& server, std::string_view value,
                       std::chrono::seconds max_age, const std::string& path) {
  std::string cookie(kCsrfCookieName);
  cookie += '=';
  cookie += value;
  cookie += "; Path=";
  cookie += path;
  cookie += "; Max-Age=";
  cookie += std::to_string(value.empty() ? 0 : max_age.count());
  cookie += "; HttpOnly; SameSite=Strict";
  if (server.secure) cookie += "; Secure";
  return cookie;
}

// The OAuth parameters of the request, as the login form posts them back.
std::vector<std::pair<std::string, std::string>> HiddenParameters(const AuthorizeRequest& r) {
  std::vector<std::pair<std::string, std::string>> hidden;
  const auto add = [&](const char* name, const std::optional<std::string>& value) {
    if (value.has_value()) hidden.emplace_back(name, *value);
  };
  add("client_id", r.client_id);
  add("redirect_uri", r.redirect_uri);
  add("response_type", r.response_type);
  add("response_mode", r.response_mode);
  add("scope", r.scope);
  add("state", r.state);
  add("nonce", r.nonce);
  add("code_challenge", r.code_challenge);
  add("code_challenge_method", r.code_challenge_method);
  add("max_age", r.max_age);
  add("idp_hint", r.idp_hint);
  add("locale", r.locale);
  add("tenantId", r.tenant_id);
  return hidden;
}

// A hosted page for `application` whose form posts to `csrf_path`: `render` makes it with a
// fresh CSRF token, which its cookie carries too.
template <typename Render>
AuthorizeResult HostedPage(ServerContext& server, const Application& application,
                           const std::string& csrf_path, std::vector<std::string> cookies,
                           Render render) {
  Result<std::string> csrf = internal::NewRandomSecret(*server.ctx.random, 32);
  if (!csrf.ok()) return ServerErrorPage(server, csrf.status());
  RenderedPage rendered;
  try {
    rendered = render(*csrf);
  } catch (...) {
    return ServerErrorPage(server, Status::Internal("the LoginPageRenderer threw"));
  }
  cookies.push_back(CsrfCookie(server, *csrf, kCsrfLifetime, csrf_path));
  return AuthorizeResult{
      .response = Page{.status = 200,
                       .html = std::move(rendered.html),
                       .content_security_policy = std::move(rendered.content_security_policy),
                       .frame_ancestors = FrameAncestors(&application)},
      .set_cookies = std::move(cookies)};
}

// The login page.
AuthorizeResult LoginPage(ServerContext& server, const AuthorizeRequest& request,
                          const Application& application, LoginPageError error,
                          std::vector<std::string> cookies = {}) {
  return HostedPage(
      server, application, server.authorize_path, std::move(cookies), [&](const std::string& csrf) {
        LoginPageModel model;
        model.action = server.base_url + "/oauth2/authorize";
        model.hidden = HiddenParameters(request);
        model.csrf_token = csrf;
        model.login_id = request.login_id.value_or(request.login_hint.value_or(""));
        model.error = error;
        const AuthorizationServerOptions& o = server.options;
        return o.login_page_renderer != nullptr ? o.login_page_renderer->Render(model, o.strings)
                                                : RenderLoginPage(model, o.strings, o.stylesheet);
      });
}

// ---- authorization responses ------------------------------------------------------------------

AuthorizeResult FromResponse(AuthorizationResponse response, const Application* application,
                             std::vector<std::string> cookies) {
  if (auto* redirect = std::get_if<AuthorizationRedirect>(&response)) {
    return AuthorizeResult{.response = Redirect{.location = std::move(redirect->location)},
                           .set_cookies = std::move(cookies)};
  }
  auto& form = std::get<AuthorizationFormPost>(response);
  return AuthorizeResult{
      .response = Page{.status = 200,
                       .html = std::move(form.html),
                       .content_security_policy = std::move(form.content_security_policy),
                       .frame_ancestors = FrameAncestors(application)},
      .set_cookies = std::move(cookies)};
}

// An error sent back to the client's redirect_uri (RFC 6749 §4.1.2.1), with state and iss.
AuthorizeResult RedirectError(const std::string& redirect_uri, ResponseMode mode,
                              const std::string& state, const std::string& issuer,
                              const OAuthError& error, const Application* application,
                              std::vector<std::string> cookies = {}) {
  ResponseParameters parameters;
  parameters.emplace_back("error", error.error);
  if (!error.error_reason.empty()) parameters.emplace_back("error_reason", error.error_reason);
  if (!error.error_description.empty()) {
    parameters.emplace_back("error_description", error.error_description);
  }
  if (!state.empty()) parameters.emplace_back("state", state);
  parameters.emplace_back("iss", issuer);
  return FromResponse(BuildAuthorizationResponse(redirect_uri, mode, parameters), application,
                      std::move(cookies));
}

// Who is logging in, and how, once they have authenticated (by the form or the session).
struct Authenticated {
  UserId user_id;
  std::string session_id;
  Instant auth_time;
  AuthenticationType authentication_type = AuthenticationType::kPassword;
  bool registered = true;
};

// The code and/or tokens the request asked for, sent to its redirect_uri.
AuthorizeResult Respond(ServerContext& server, const CheckedAuthorizeRequest& checked,
                        const Tenant& tenant, const Application& application,
                        const Authenticated& who, const AuthorizeRequest& request,
                        std::vector<std::string> cookies) {
  internal::EngineContext& ctx = server.ctx;
  const Instant now = ctx.Now();
  ResponseParameters parameters;
  std::string code;
  if (checked.response_types.code) {
    Result<RefreshTokenId> grant_id = ctx.NewId<RefreshTokenId>();
    if (!grant_id.ok()) return ServerErrorPage(server, grant_id.status());
    const CodeGrant grant{.tenant_id = tenant.id,
                          .client_id = application.id,
                          .user_id = who.user_id,
                          .redirect_uri = checked.redirect_uri,
                          .scopes = checked.scopes,
                          .code_challenge = checked.code_challenge,
                          .code_challenge_method = checked.code_challenge_method,
                          .nonce = checked.nonce,
                          .auth_time = who.auth_time,
                          .session_id = who.session_id,
                          .authentication_type = who.authentication_type,
                          .grant_id = grant_id->ToString()};
    Result<std::string> issued = IssueAuthorizationCode(
        ctx.store->artefacts(), *ctx.random, grant, now,
        std::chrono::seconds(tenant.external_identifier_configuration
                                 .authorization_grant_id_time_to_live_in_seconds));
    if (!issued.ok()) return ServerErrorPage(server, issued.status());
    code = *std::move(issued);
    parameters.emplace_back("code", code);
  }
  if (checked.response_types.token || checked.response_types.id_token) {
    // The implicit grant and the hybrid forms: the tokens come from this endpoint.
    Result<std::variant<LoginResponse, OAuthError>> continued =
        ContinueLogin(server, EarlierLogin{.tenant = &tenant,
                                           .application = &application,
                                           .user_id = who.user_id,
                                           .authentication_type = who.authentication_type,
                                           .auth_time = who.auth_time,
                                           .session_id = who.session_id,
                                           .scopes = &checked.scopes,
                                           .refresh_token = false,
                                           .ip_address = request.ip_address,
                                           .no_jwt = !checked.response_types.token,
                                           .grant_type = "implicit"});
    if (!continued.ok()) return ServerErrorPage(server, continued.status());
    if (const OAuthError* error = std::get_if<OAuthError>(&*continued)) {
      return RedirectError(checked.redirect_uri, checked.response_mode, checked.state,
                           tenant.issuer, *error, &application, std::move(cookies));
    }
    const LoginResponse& login = std::get<LoginResponse>(*continued);
    if (checked.response_types.token) {
      parameters.emplace_back("access_token", login.token);
      parameters.emplace_back("token_type", "Bearer");
      parameters.emplace_back("expires_in",
                              std::to_string(SecondsUntil(server, login.token_expiration_instant)));
      parameters.emplace_back("scope", JoinScopes(checked.scopes));
    }
    if (checked.response_types.id_token && login.user.has_value()) {
      Result<std::string> id_token =
          SignIdToken(server, tenant, application, *login.user,
                      IdTokenFacts{.scopes = &checked.scopes,
                                   .nonce = checked.nonce,
                                   .auth_time = who.auth_time,
                                   .session_id = who.session_id,
                                   .authentication_type = who.authentication_type,
                                   .access_token = login.token,
                                   .code = code});
      if (!id_token.ok()) return ServerErrorPage(server, id_token.status());
      parameters.emplace_back("id_token", *id_token);
    }
  }
  if (!checked.locale.empty()) parameters.emplace_back("locale", checked.locale);
  if (!checked.state.empty()) parameters.emplace_back("state", checked.state);
  parameters.emplace_back("userState",
                          who.registered ? "Authenticated" : "AuthenticatedNotRegistered");
  parameters.emplace_back("iss", tenant.issuer);
  return FromResponse(
      BuildAuthorizationResponse(checked.redirect_uri, checked.response_mode, parameters),
      &application, std::move(cookies));
}

// ---- consent ---------------------------------------------------------------------------------

// The consent page for `checked`'s scopes.
AuthorizeResult ConsentPage(ServerContext& server, const AuthorizeRequest& request,
                            const CheckedAuthorizeRequest& checked, const Application& application,
                            std::vector<std::string> cookies) {
  return HostedPage(server, application, server.consent_path, std::move(cookies),
                    [&](const std::string& csrf) {
                      ConsentPageModel model;
                      model.action = server.base_url + "/oauth2/consent";
                      model.hidden = HiddenParameters(request);
                      model.csrf_token = csrf;
                      model.application_name = application.name;
                      model.scopes = ConsentScopes(checked.scopes, application);
                      const AuthorizationServerOptions& o = server.options;
                      return o.login_page_renderer != nullptr
                                 ? o.login_page_renderer->RenderConsent(model, o.strings)
                                 : RenderConsentPage(model, o.strings, o.stylesheet);
                    });
}

// Remembers the user's choices under RememberDecision.
Status RememberIfAsked(ServerContext& server, const Tenant& tenant, const Application& application,
                       UserId user_id, const std::vector<std::string>& requested,
                       const std::vector<std::string>& granted) {
  if (application.oauth_configuration.consent_mode != ConsentMode::kRememberDecision) {
    return Status::Ok();
  }
  return RememberConsent(
      server.ctx.store->artefacts(),
      ConsentAddress{.tenant_id = tenant.id, .application_id = application.id, .user_id = user_id},
      requested, granted, application, server.ctx.Now(),
      std::chrono::seconds(tenant.external_identifier_configuration
                               .remember_oauth_scope_consent_choice_time_to_live_in_seconds));
}

// Once the user has authenticated: the consent a third-party application needs (the host's
// `decided` one, the remembered one, or the page), then the authorization response for the
// granted scopes.
AuthorizeResult ConsentThenRespond(ServerContext& server, const AuthorizeRequest& request,
                                   const CheckedAuthorizeRequest& checked, const Tenant& tenant,
                                   const Application& application, const Authenticated& who,
                                   std::vector<std::string> cookies,
                                   const std::optional<std::vector<std::string>>& decided) {
  if (!AsksConsent(application)) {
    return Respond(server, checked, tenant, application, who, request, std::move(cookies));
  }
  std::optional<std::vector<std::string>> granted;
  if (decided.has_value()) {
    granted = GrantedScopes(checked.scopes, application, *decided);
    Status remembered =
        RememberIfAsked(server, tenant, application, who.user_id, checked.scopes, *granted);
    if (!remembered.ok()) return ServerErrorPage(server, remembered);
  } else if (application.oauth_configuration.consent_mode == ConsentMode::kRememberDecision &&
             !checked.prompt_consent) {
    Result<std::optional<std::vector<std::string>>> remembered = RememberedConsent(
        server.ctx.store->artefacts(),
        ConsentAddress{
            .tenant_id = tenant.id, .application_id = application.id, .user_id = who.user_id},
        checked.scopes, application, server.ctx.Now());
    if (!remembered.ok()) return ServerErrorPage(server, remembered.status());
    granted = *std::move(remembered);
  }
  if (!granted.has_value()) {
    if (checked.prompt_none) {
      return RedirectError(
          checked.redirect_uri, checked.response_mode, checked.state, tenant.issuer,
          OAuthError{.error = "consent_required",
                     .error_reason = "consent_required",
                     .error_description = "The user is required to consent to one or more "
                                          "scopes in order to complete authentication."},
          &application, std::move(cookies));
    }
    return ConsentPage(server, request, checked, application, std::move(cookies));
  }
  CheckedAuthorizeRequest narrowed = checked;
  narrowed.scopes = *std::move(granted);
  return Respond(server, narrowed, tenant, application, who, request, std::move(cookies));
}

// The page error that shows a login outcome other than 200 (and 202 when registration is not
// required).
LoginPageError PageErrorOf(LoginOutcome outcome) {
  switch (outcome) {
    case LoginOutcome::kNotRegistered:
      return LoginPageError::kNotRegistered;
    case LoginOutcome::kPasswordChangeRequired:
      return LoginPageError::kPasswordChangeRequired;
    case LoginOutcome::kEmailNotVerified:
      return LoginPageError::kEmailVerificationRequired;
    case LoginOutcome::kRegistrationNotVerified:
      return LoginPageError::kRegistrationNotVerified;
    case LoginOutcome::kLoginPrevented:
    case LoginOutcome::kLocked:
      return LoginPageError::kLocked;
    case LoginOutcome::kExpired:
      return LoginPageError::kExpired;
    default:
      return LoginPageError::kInvalidCredentials;
  }
}

// Whether a login outcome lets the authorization go on.
bool Proceeds(LoginOutcome outcome, const Application& application) {
  return outcome == LoginOutcome::kSuccess ||
         (outcome == LoginOutcome::kNotRegistered &&
          !application.oauth_configuration.require_registration);
}

// A login through the SSO session for this application: the pipeline's gate and person steps,
// and (when `record`) a login record for the application, without a password.
Result<LoginResponse> SessionLogin(ServerContext& server, const Tenant& tenant,
                                   const Application& application, UserId user_id,
                                   AuthenticationType type, const std::string& ip_address,
                                   bool record = true) {
  internal::EngineContext& ctx = server.ctx;
  internal::LoginPipeline pipeline(ctx, {.tenant = &tenant,
                                         .application = &application,
                                         .type = type,
                                         .ip_address = ip_address,
                                         .no_jwt = true,
                                         .refresh_token = false,
                                         .oauth = true,
                                         .record_login = record});
  Result<User> found = ctx.store->users().Get(user_id);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return pipeline.Refuse(LoginOutcome::kInvalidCredentials);
  }
  User user = *std::move(found);
  if (user.tenant_id != tenant.id) return pipeline.Refuse(LoginOutcome::kInvalidCredentials);
  BULWARK_ASSIGN_OR_RETURN(std::optional<LoginResponse> refused, pipeline.Gate(user));
  if (refused.has_value()) return *std::move(refused);
  BULWARK_ASSIGN_OR_RETURN(std::optional<Registration> registration,
                           pipeline.LoadRegistration(user.id));
  WriteBatch batch;
  return pipeline.Finish(user, registration, batch);
}

AuthorizeResult StartSessionAndRespond(
    ServerContext& server, const AuthorizeRequest& request, const CheckedAuthorizeRequest& checked,
    const Tenant& tenant, const Application& application, UserId user_id, AuthenticationType type,
    bool registered, const std::optional<std::vector<std::string>>& decided = std::nullopt);

// The login form's POST: the CSRF token, the password through the login pipeline, a new SSO
// session, then the authorization response.
AuthorizeResult SubmitLoginForm(ServerContext& server, const AuthorizeRequest& request,
                                const CheckedAuthorizeRequest& checked, const Tenant& tenant,
                                const Application& application) {
  internal::EngineContext& ctx = server.ctx;
  const bool csrf_ok =
      request.csrf_token.has_value() && request.csrf_cookie.has_value() &&
      !request.csrf_token->empty() &&
      PasswordHasher::ConstantTimeEquals(*request.csrf_token, *request.csrf_cookie);
  if (!csrf_ok) return LoginPage(server, request, application, LoginPageError::kFormExpired);

  LoginRequest login{.login_id = request.login_id.value_or(""),
                     .password = request.password.value_or(""),
                     .application_id = application.id,
                     .tenant_id = tenant.id,
                     .ip_address = request.ip_address,
                     .no_jwt = true};
  Result<LoginResponse> result = internal::PasswordLogin(
      ctx, login, {.type = AuthenticationType::kPassword, .refresh_token = false, .oauth = true});
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kInvalidArgument) {
      // A blank login id or password.
      return LoginPage(server, request, application, LoginPageError::kInvalidCredentials);
    }
    return ServerErrorPage(server, result.status());
  }
  if (!Proceeds(result->outcome, application)) {
    return LoginPage(server, request, application, PageErrorOf(result->outcome));
  }
  return StartSessionAndRespond(server, request, checked, tenant, application, result->user->id,
                                AuthenticationType::kPassword,
                                result->outcome == LoginOutcome::kSuccess);
}

// After a login: a new SSO session (with a new cookie value; the one this browser held ends),
// then the authorization response.
AuthorizeResult StartSessionAndRespond(ServerContext& server, const AuthorizeRequest& request,
                                       const CheckedAuthorizeRequest& checked, const Tenant& tenant,
                                       const Application& application, UserId user_id,
                                       AuthenticationType type, bool registered,
                                       const std::optional<std::vector<std::string>>& decided) {
  internal::EngineContext& ctx = server.ctx;
  const Instant now = ctx.Now();
  std::vector<std::string> cookies;
  if (request.sso_cookie.has_value()) {
    Result<std::optional<SsoSession>> old =
        FindSsoSession(ctx.store->artefacts(), tenant.id, *request.sso_cookie, now);
    if (old.ok() && old->has_value()) {
      Status ended = EndSsoSession(ctx.store->artefacts(), tenant.id, (*old)->session_id);
      if (!ended.ok()) ctx.Log(LogLevel::kError, "an SSO session could not be ended");
    }
  }
  const std::chrono::seconds lifetime(tenant.http_session_max_inactive_interval);
  Result<StartedSsoSession> started = StartSsoSession(ctx.store->artefacts(), *ctx.random,
                                                      tenant.id, user_id, now, type, now, lifetime);
  if (!started.ok()) return ServerErrorPage(server, started.status());
  cookies.push_back(SsoCookie(started->cookie_value, server.secure, lifetime));
  if (request.csrf_cookie.has_value()) {
    cookies.push_back(CsrfCookie(server, "", std::chrono::seconds(0), server.authorize_path));
  }
  const Authenticated who{.user_id = user_id,
                          .session_id = started->session.session_id,
                          .auth_time = now,
                          .authentication_type = type,
                          .registered = registered};
  return ConsentThenRespond(server, request, checked, tenant, application, who, std::move(cookies),
                            decided);
}

// An authorization request that passed its checks, with its application and tenant.
struct PreparedAuthorization {
  std::optional<Application> application;
  std::optional<Tenant> tenant;
  std::optional<CheckedAuthorizeRequest> checked;  // its `application` points into this
};

// Runs the checks; returns the answer when the request goes no further.
std::optional<AuthorizeResult> Prepare(ServerContext& server, const AuthorizeRequest& request,
                                       PreparedAuthorization& out) {
  internal::EngineContext& ctx = server.ctx;
  // The application the client_id names, if any; the checks decide what its absence means.
  if (request.client_id.has_value()) {
    Result<ApplicationId> id = ApplicationId::Parse(*request.client_id);
    if (id.ok()) {
      Result<Application> found = ctx.LoadApplication(*id);
      if (found.ok()) {
        out.application = *std::move(found);
      } else if (found.status().code() != StatusCode::kNotFound) {
        return ServerErrorPage(server, found.status());
      }
    }
  }
  // A tenantId that is not the application's names no application of that tenant.
  if (out.application.has_value() && request.tenant_id.has_value()) {
    Result<TenantId> tenant_id = TenantId::Parse(*request.tenant_id);
    if (!tenant_id.ok() || *tenant_id != out.application->tenant_id) out.application.reset();
  }
  const Application* app = out.application ? &*out.application : nullptr;
  AuthorizeCheckOutcome outcome = CheckAuthorizeRequest(request, app, server.own_origin);
  if (auto* failure = std::get_if<AuthorizeFailure>(&outcome)) {
    if (!failure->redirect || app == nullptr) {
      return AuthorizeResult{.response = ErrorPage(400, failure->error), .set_cookies = {}};
    }
    Result<Tenant> tenant = ctx.LoadTenant(app->tenant_id);
    if (!tenant.ok()) return ServerErrorPage(server, tenant.status());
    return RedirectError(failure->redirect_uri, failure->response_mode, failure->state,
                         tenant->issuer, failure->error, app);
  }
  Result<Tenant> tenant = ctx.LoadTenant(app->tenant_id);
  if (!tenant.ok()) return ServerErrorPage(server, tenant.status());
  out.tenant = *std::move(tenant);
  out.checked = std::get<CheckedAuthorizeRequest>(std::move(outcome));
  return std::nullopt;
}

AuthorizeResult DoCompleteAuthorization(ServerContext& server, const AuthorizeRequest& request,
                                        UserId user_id, AuthenticationType type,
                                        const std::optional<std::vector<std::string>>& decided) {
  PreparedAuthorization prepared;
  if (std::optional<AuthorizeResult> answered = Prepare(server, request, prepared)) {
    return *std::move(answered);
  }
  const CheckedAuthorizeRequest& checked = *prepared.checked;
  const Tenant& tenant = *prepared.tenant;
  const Application& app = *prepared.application;
  Result<LoginResponse> login =
      SessionLogin(server, tenant, app, user_id, type, request.ip_address);
  if (!login.ok()) return ServerErrorPage(server, login.status());
  if (!Proceeds(login->outcome, app)) {
    OAuthError refusal = LoginRefusal(*login);
    refusal.error = "access_denied";
    return RedirectError(checked.redirect_uri, checked.response_mode, checked.state, tenant.issuer,
                         refusal, &app);
  }
  return StartSessionAndRespond(server, request, checked, tenant, app, user_id, type,
                                login->outcome == LoginOutcome::kSuccess, decided);
}

AuthorizeResult DoAuthorize(ServerContext& server, const AuthorizeRequest& request) {
  internal::EngineContext& ctx = server.ctx;
  PreparedAuthorization prepared;
  if (std::optional<AuthorizeResult> answered = Prepare(server, request, prepared)) {
    return *std::move(answered);
  }
  const CheckedAuthorizeRequest& checked = *prepared.checked;
  const Tenant& tenant = *prepared.tenant;
  const Application* app = &*prepared.application;

  if (request.post && request.login_id.has_value()) {
    return SubmitLoginForm(server, request, checked, tenant, *app);
  }

  const Instant now = ctx.Now();
  std::optional<SsoSession> session;
  if (request.sso_cookie.has_value() && !checked.prompt_login) {
    Result<std::optional<SsoSession>> found =
        FindSsoSession(ctx.store->artefacts(), tenant.id, *request.sso_cookie, now);
    if (!found.ok()) return ServerErrorPage(server, found.status());
    session = *std::move(found);
    if (session.has_value() && checked.max_age.has_value() &&
        now - session->auth_time > std::chrono::seconds(*checked.max_age)) {
      session.reset();  // too long ago: the user logs in again
    }
  }
  if (session.has_value()) {
    Result<LoginResponse> login = SessionLogin(server, tenant, *app, session->user_id,
                                               session->authentication_type, request.ip_address);
    if (!login.ok()) return ServerErrorPage(server, login.status());
    if (Proceeds(login->outcome, *app)) {
      const Authenticated who{.user_id = session->user_id,
                              .session_id = session->session_id,
                              .auth_time = session->auth_time,
                              .authentication_type = session->authentication_type,
                              .registered = login->outcome == LoginOutcome::kSuccess};
      return ConsentThenRespond(server, request, checked, tenant, *app, who, {}, std::nullopt);
    }
    if (checked.prompt_none) {
      return RedirectError(checked.redirect_uri, checked.response_mode, checked.state,
                           tenant.issuer,
                           OAuthError{.error = "interaction_required",
                                      .error_reason = "unknown",
                                      .error_description = "The user must interact to log in."},
                           app);
    }
    return LoginPage(server, request, *app, PageErrorOf(login->outcome));
  }
  if (checked.prompt_none) {
    return RedirectError(checked.redirect_uri, checked.response_mode, checked.state, tenant.issuer,
                         OAuthError{.error = "login_required",
                                    .error_reason = "unknown",
                                    .error_description = "The user is not logged in."},
                         app);
  }
  return LoginPage(server, request, *app, LoginPageError::kNone);
}

// The consent page's form. The login was recorded when the user authenticated (the form or
// the session), so the gate runs again without a second record.
AuthorizeResult DoConsent(ServerContext& server, const ConsentRequest& consent) {
  internal::EngineContext& ctx = server.ctx;
  const AuthorizeRequest& request = consent.authorization;
  PreparedAuthorization prepared;
  if (std::optional<AuthorizeResult> answered = Prepare(server, request, prepared)) {
    return *std::move(answered);
  }
  const CheckedAuthorizeRequest& checked = *prepared.checked;
  const Tenant& tenant = *prepared.tenant;
  const Application& app = *prepared.application;
  // Anything but a valid answer from this browser's page starts over as the authorize
  // request it carries: the page again, or the login page without a session.
  AuthorizeRequest again = request;
  again.post = false;
  again.login_id.reset();
  again.password.reset();
  again.csrf_token.reset();
  const bool csrf_ok =
      request.csrf_token.has_value() && request.csrf_cookie.has_value() &&
      !request.csrf_token->empty() &&
      PasswordHasher::ConstantTimeEquals(*request.csrf_token, *request.csrf_cookie);
  if (!AsksConsent(app) || !csrf_ok || !request.sso_cookie.has_value()) {
    return DoAuthorize(server, again);
  }
  const Instant now = ctx.Now();
  Result<std::optional<SsoSession>> found =
      FindSsoSession(ctx.store->artefacts(), tenant.id, *request.sso_cookie, now);
  if (!found.ok()) return ServerErrorPage(server, found.status());
  const std::optional<SsoSession>& session = *found;
  if (!session.has_value() || (checked.max_age.has_value() &&
                               now - session->auth_time > std::chrono::seconds(*checked.max_age))) {
    return DoAuthorize(server, again);
  }
  Result<LoginResponse> login = SessionLogin(server, tenant, app, session->user_id,
                                             session->authentication_type, request.ip_address,
                                             /*record=*/false);
  if (!login.ok()) return ServerErrorPage(server, login.status());
  if (!Proceeds(login->outcome, app)) {
    return LoginPage(server, again, app, PageErrorOf(login->outcome));
  }
  std::vector<std::string> cookies{
      CsrfCookie(server, "", std::chrono::seconds(0), server.consent_path)};
  if (consent.cancel) {
    return RedirectError(
        checked.redirect_uri, checked.response_mode, checked.state, tenant.issuer,
        OAuthError{.error = "access_denied",
                   .error_reason = "consent_canceled",
                   .error_description = "The user has denied access to the requested scopes."},
        &app, std::move(cookies));
  }
  const Authenticated who{.user_id = session->user_id,
                          .session_id = session->session_id,
                          .auth_time = session->auth_time,
                          .authentication_type = session->authentication_type,
                          .registered = login->outcome == LoginOutcome::kSuccess};
  return ConsentThenRespond(server, request, checked, tenant, app, who, std::move(cookies),
                            consent.consented_scopes);
}

// ---- the token endpoint -------------------------------------------------------------------------

using GrantFn = TokenResult (*)(ServerContext&, const GrantRequest&);

// The grants the token endpoint serves, by grant_type.
struct GrantRow {
  GrantType type;
  GrantFn run;
};
constexpr GrantRow kGrants[] = {
    {GrantType::kAuthorizationCode, &AuthorizationCodeGrant},
    {GrantType::kRefreshToken, &RefreshTokenGrant},
    {GrantType::kPassword, &PasswordGrant},
    {GrantType::kClientCredentials, &ClientCredentialsGrant},
    {GrantType::kDeviceCode, &DeviceCodeGrant},
};

TokenResult DoToken(ServerContext& server, const TokenRequest& request) {
  internal::EngineContext& ctx = server.ctx;
  if (!request.grant_type.has_value() || request.grant_type->empty()) {
    return ErrorResponse("invalid_request", "missing_grant_type",
                         "The request is missing a required parameter: grant_type");
  }
  Result<GrantType> type = ParseGrantType(*request.grant_type);
  const GrantRow* row = nullptr;
  if (type.ok()) {
    for (const GrantRow& candidate : kGrants) {
      if (candidate.type == *type) row = &candidate;
    }
  }
  if (row == nullptr) {
    return ErrorResponse("unsupported_grant_type", "unknown",
                         "The grant_type is not one this server supports.");
  }
  if (!request.client_id.has_value() || request.client_id->empty()) {
    return ErrorResponse("invalid_request", "missing_client_id",
                         "The request is missing a required parameter: client_id");
  }
  Result<ApplicationId> id = ApplicationId::Parse(*request.client_id);
  if (!id.ok()) return InvalidClient("invalid_client_id", "The client_id is not valid.");
  Result<Application> application = ctx.LoadApplication(*id);
  if (!application.ok()) {
    if (application.status().code() != StatusCode::kNotFound) {
      return ServerError(server, application.status());
    }
    return InvalidClient("invalid_client_id", "The client_id is not valid.");
  }
  if (!application->active) {
    return InvalidClient("invalid_client_id", "The client_id is not valid.");
  }
  if (request.tenant_id.has_value()) {
    Result<TenantId> tenant_id = TenantId::Parse(*request.tenant_id);
    if (!tenant_id.ok() || *tenant_id != application->tenant_id) {
      return InvalidClient("invalid_client_id", "The client_id is not valid.");
    }
  }
  const auto& grants = application->oauth_configuration.enabled_grants;
  if (std::find(grants.begin(), grants.end(), row->type) == grants.end()) {
    return ErrorResponse("unauthorized_client", "grant_type_disabled",
                         "The grant_type is not enabled for this application.");
  }
  Result<Tenant> tenant = ctx.LoadTenant(application->tenant_id);
  if (!tenant.ok()) return ServerError(server, tenant.status());
  return row->run(server,
                  GrantRequest{.request = request, .tenant = *tenant, .application = *application});
}

// ---- userinfo -----------------------------------------------------------------------------------

UserinfoResult DoUserinfo(ServerContext& server, std::string_view access_token) {
  internal::EngineContext& ctx = server.ctx;
  const auto unauthorized = [](std::string reason, std::string description) {
    return UserinfoResult(
        ErrorResponse("invalid_token", std::move(reason), std::move(description), 401));
  };
  if (access_token.empty()) {
    return unauthorized("access_token_required", "The request carries no access token.");
  }
  Result<nlohmann::json> claims = server.engine.tokens().Validate(access_token);
  if (!claims.ok()) {
    if (claims.status().code() == StatusCode::kUnauthenticated) {
      return unauthorized("access_token_invalid", "The access token is not valid.");
    }
    return UserinfoResult(ServerError(server, claims.status()));
  }
  const auto text = [&](const char* name) -> std::string {
    auto it = claims->find(name);
    return it != claims->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Result<UserId> user_id = UserId::Parse(text("sub"));
  Result<TenantId> tenant_id = TenantId::Parse(text("tid"));
  if (!user_id.ok() || !tenant_id.ok()) {
    return unauthorized("access_token_invalid", "The access token names no user.");
  }
  std::vector<std::string> scopes;
  {
    const std::string scope = text("scope");
    std::size_t at = 0;
    while (at < scope.size()) {
      const std::size_t end = std::min(scope.find(' ', at), scope.size());
      if (end > at) scopes.emplace_back(scope.substr(at, end - at));
      at = end + 1;
    }
  }
  std::optional<Application> application;
  if (Result<ApplicationId> app_id = ApplicationId::Parse(text("aud")); app_id.ok()) {
    Result<Application> found = ctx.LoadApplication(*app_id);
    if (found.ok()) application = *std::move(found);
  }
  const ScopeHandlingPolicy policy = application
                                         ? application->oauth_configuration.scope_handling_policy
                                         : ScopeHandlingPolicy::kStrict;
  if (policy == ScopeHandlingPolicy::kStrict && !HasScope(scopes, "openid")) {
    return UserinfoResult(ErrorResponse("insufficient_scope", "missing_required_scope",
                                        "The access token was not granted the openid scope.", 403));
  }
  Result<User> user = ctx.store->users().Get(*user_id);
  if (!user.ok() || user->tenant_id != *tenant_id) {
    if (!user.ok() && user.status().code() != StatusCode::kNotFound) {
      return UserinfoResult(ServerError(server, user.status()));
    }
    return unauthorized("access_token_invalid", "The user no longer exists.");
  }
  nlohmann::json out = nlohmann::json::object();
  out["sub"] = user->id.ToString();
  AddScopeClaims(*user, scopes, policy, out);
  if (application && application->lambda_configuration.userinfo_populate_id.has_value()) {
    auto it =
        ctx.userinfo_populate_lambdas.find(*application->lambda_configuration.userinfo_populate_id);
    if (it == ctx.userinfo_populate_lambdas.end()) {
      ctx.Log(LogLevel::kWarning,
              "an application names a UserInfo populate lambda that is not registered");
    } else {
      std::optional<Registration> registration;
      if (Result<Registration> found = ctx.store->registrations().Get(user->id, application->id);
          found.ok()) {
        registration = *std::move(found);
      }
      Status status;
      try {
        status = it->second(out, *user, registration ? &*registration : nullptr, *claims);
      } catch (...) {
        status = Status::Internal("the UserInfo populate lambda threw");
      }
      if (!status.ok() || !out.is_object()) {
        return UserinfoResult(ServerError(
            server, Status::Internal("the UserInfo populate lambda failed: " + status.message())));
      }
      out["sub"] = user->id.ToString();
    }
  }
  return UserinfoResult(std::move(out));
}

}  // namespace

// ---- the public face ----------------------------------------------------------------------------

nlohmann::json TokenResponse::ToJson() const {
  nlohmann::json body = nlohmann::json::object();
  body["access_token"] = access_token;
  body["expires_in"] = expires_in;
  if (!id_token.empty()) body["id_token"] = id_token;
  if (!refresh_token.empty()) body["refresh_token"] = refresh_token;
  if (refresh_token_id.has_value()) body["refresh_token_id"] = refresh_token_id->ToString();
  if (!scope.empty()) body["scope"] = scope;
  body["token_type"] = token_type;
  if (user_id.has_value()) body["userId"] = user_id->ToString();
  return body;
}

Result<std::unique_ptr<AuthorizationServer>> AuthorizationServer::Create(
    Engine& engine, AuthorizationServerOptions options) {
  std::string base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const bool https = base.rfind("https://", 0) == 0;
  const bool http = base.rfind("http://", 0) == 0;
  const std::size_t authority = https ? 8 : 7;
  if ((!https && !http) || base.size() <= authority ||
      base.find_first_of("?#", authority) != std::string::npos) {
    return Status::InvalidArgument(
        "AuthorizationServerOptions.base_url must be an absolute http or https URL");
  }
  const std::size_t path = base.find('/', authority);
  std::string origin = base.substr(0, path);
  std::string prefix = path == std::string::npos ? std::string() : base.substr(path);
  auto impl =
      std::make_unique<Impl>(Impl{ServerContext{.engine = engine,
                                                .ctx = internal::ContextOf(engine),
                                                .options = std::move(options),
                                                .base_url = base,
                                                .own_origin = std::move(origin),
                                                .authorize_path = prefix + "/oauth2/authorize",
                                                .consent_path = prefix + "/oauth2/consent",
                                                .secure = https}});
  return std::unique_ptr<AuthorizationServer>(new AuthorizationServer(std::move(impl)));
}

AuthorizationServer::AuthorizationServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuthorizationServer::~AuthorizationServer() = default;

namespace {

// Runs a public entry point; whatever it throws (a host's callback, an allocation) becomes
// `failed(status)`, so no exception leaves the API.
template <typename Body, typename Failed>
auto Guarded(std::string_view what, Body body, Failed failed) -> decltype(body()) {
  try {
    return body();
  } catch (...) {
    return failed(Status::Internal(std::string(what) + " threw"));
  }
}

}  // namespace

AuthorizeResult AuthorizationServer::CompleteAuthorization(
    const AuthorizeRequest& request, UserId user_id, AuthenticationType type,
    std::optional<std::vector<std::string>> consented_scopes) {
  return Guarded(
      "the authorization request",
      [&] {
        return DoCompleteAuthorization(impl_->server, request, user_id, type, consented_scopes);
      },
      [&](const Status& s) { return ServerErrorPage(impl_->server, s); });
}

AuthorizeResult AuthorizationServer::Consent(const ConsentRequest& request) {
  return Guarded(
      "the consent request", [&] { return DoConsent(impl_->server, request); },
      [&](const Status& s) { return ServerErrorPage(impl_->server, s); });
}

AuthorizeResult AuthorizationServer::Authorize(const AuthorizeRequest& request) {
  return Guarded(
      "the authorization request", [&] { return DoAuthorize(impl_->server, request); },
      [&](const Status& s) { return ServerErrorPage(impl_->server, s); });
}

TokenResult AuthorizationServer::Token(const TokenRequest& request) {
  return Guarded(
      "the token request", [&] { return DoToken(impl_->server, request); },
      [&](const Status& s) { return TokenResult(ServerError(impl_->server, s)); });
}

UserinfoResult AuthorizationServer::Userinfo(std::string_view access_token) {
  return Guarded(
      "the userinfo request", [&] { return DoUserinfo(impl_->server, access_token); },
      [&](const Status& s) { return UserinfoResult(ServerError(impl_->server, s)); });
}

IntrospectResult AuthorizationServer::Introspect(const TokenInspectionRequest& request) {
  return Guarded(
      "the introspection request", [&] { return oauth2::Introspect(impl_->server, request); },
      [&](const Status& s) { return IntrospectResult(ServerError(impl_->server, s)); });
}

RevokeResult AuthorizationServer::Revoke(const TokenInspectionRequest& request) {
  return Guarded(
      "the revocation request", [&] { return oauth2::Revoke(impl_->server, request); },
      [&](const Status& s) { return RevokeResult(ServerError(impl_->server, s)); });
}

AuthorizeResult AuthorizationServer::Logout(const LogoutRequest& request) {
  return Guarded(
      "the logout request", [&] { return oauth2::Logout(impl_->server, request); },
      [&](const Status& s) { return ServerErrorPage(impl_->server, s); });
}

std::variant<nlohmann::json, OAuthErrorResponse> AuthorizationServer::DeviceAuthorize(
    const DeviceAuthorizationRequest& request) {
  return Guarded(
      "the device authorization", [&] { return oauth2::DeviceAuthorize(impl_->server, request); },
      [&](const Status& s) {
        return std::variant<nlohmann::json, OAuthErrorResponse>(ServerError(impl_->server, s));
      });
}

bool AuthorizationServer::ValidateUserCode(std::string_view client_id, std::string_view user_code) {
  return Guarded(
      "the user code validation",
      [&] { return oauth2::ValidateUserCode(impl_->server, client_id, user_code); },
      [](const Status&) { return false; });
}

std::variant<nlohmann::json, OAuthErrorResponse> AuthorizationServer::RetrieveUserCode(
    const DeviceUserCodeRequest& request) {
  return Guarded(
      "the user code request", [&] { return oauth2::RetrieveUserCode(impl_->server, request); },
      [&](const Status& s) {
        return std::variant<nlohmann::json, OAuthErrorResponse>(ServerError(impl_->server, s));
      });
}

std::variant<nlohmann::json, OAuthErrorResponse> AuthorizationServer::ApproveDevice(
    const DeviceApprovalRequest& request) {
  return Guarded(
      "the device approval", [&] { return oauth2::ApproveDevice(impl_->server, request); },
      [&](const Status& s) {
        return std::variant<nlohmann::json, OAuthErrorResponse>(ServerError(impl_->server, s));
      });
}

AuthorizeResult AuthorizationServer::DevicePage(const DevicePageRequest& request) {
  return Guarded(
      "the device page", [&] { return oauth2::DevicePage(impl_->server, request); },
      [&](const Status& s) { return ServerErrorPage(impl_->server, s); });
}

bool AuthorizationServer::IsAuthorizedOrigin(std::string_view client_id, std::string_view origin) {
  return Guarded(
      "the origin check",
      [&] {
        Result<ApplicationId> id = ApplicationId::Parse(client_id);
        if (!id.ok() || origin.empty()) return false;
        Result<Application> app = impl_->server.ctx.LoadApplication(*id);
        if (!app.ok() || !app->active) return false;
        const auto& oauth = app->oauth_configuration;
        return IsAuthorizedUrl(origin, oauth.authorized_origin_urls,
                               oauth.authorized_url_validation_policy);
      },
      [](const Status&) { return false; });
}

Result<nlohmann::json> AuthorizationServer::Discovery(std::optional<TenantId> tenant_id) {
  return Guarded(
      "the discovery document",
      [&]() -> Result<nlohmann::json> {
        internal::EngineContext& ctx = impl_->server.ctx;
        BULWARK_ASSIGN_OR_RETURN(Tenant tenant,
                                 ctx.LoadTenant(tenant_id.value_or(ctx.default_tenant_id)));
        return DiscoveryDocument(tenant, impl_->server.base_url);
      },
      [](const Status& s) { return Result<nlohmann::json>(s); });
}

std::optional<OAuthErrorResponse> AuthenticateGrantClient(const GrantRequest& grant,
                                                          GrantType type) {
  PresentedSecret presented;
  if (grant.request.client_secret.has_value()) presented.secret = *grant.request.client_secret;
  ClientAuthentication checked =
      AuthenticateClient(grant.application, presented, type, /*code_has_challenge=*/false);
  if (checked.error.has_value()) return ErrorResponse(*checked.error, 401);
  return std::nullopt;
}

}  // namespace bulwark::oauth2
