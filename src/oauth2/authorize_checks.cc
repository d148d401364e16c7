// SPDX-License-Identifier: Apache-2.0
#include "oauth2/authorize_checks.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "bulwark/ids.h"
#include "bulwark/result.h"
#include "oauth2/authorized_url.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {
namespace {

// What the checks have established so far.
struct State {
  const AuthorizeRequest& request;
  const Application* application;
  std::string_view own_origin;
  CheckedAuthorizeRequest out = {};
  // Set once the redirect_uri is one the application authorizes: errors may go there.
  bool redirect_trusted = false;
  // The request's scope parameter, split (for the response_type rules, before the scope
  // check proper).
  bool asks_openid = false;
};

using CheckFn = std::optional<OAuthError> (*)(State&);

struct Check {
  std::string_view name;
  CheckFn run;
};

OAuthError Error(std::string error, std::string reason, std::string description) {
  return OAuthError{.error = std::move(error),
                    .error_reason = std::move(reason),
                    .error_description = std::move(description)};
}

OAuthError Missing(std::string_view parameter, std::string reason) {
  return Error("invalid_request", std::move(reason),
               "The request is missing a required parameter: " + std::string(parameter));
}

bool Present(const std::optional<std::string>& value) {
  return value.has_value() && !value->empty();
}

// The parameter's text, empty when absent: a view of the request's own string (a
// value_or("") temporary would be gone before a view of it is read).
std::string_view TextOf(const std::optional<std::string>& value) {
  return value.has_value() ? std::string_view(*value) : std::string_view();
}

std::vector<std::string_view> SpaceSeparated(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view token = text.substr(0, space);
    if (!token.empty() && std::find(out.begin(), out.end(), token) == out.end()) {
      out.push_back(token);
    }
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return out;
}

// scheme "://" host [":" port] of an absolute URL (an Origin is one already; a Referer is
// cut there), or empty.
std::string OriginOf(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string();
  const std::size_t end = url.find_first_of("/?#", scheme_end + 3);
  return std::string(url.substr(0, end));
}

// ---- the checks, in order --------------------------------------------------------------

std::optional<OAuthError> RedirectUriPresent(State& s) {
  if (!Present(s.request.redirect_uri)) return Missing("redirect_uri", "missing_redirect_uri");
  return std::nullopt;
}

std::optional<OAuthError> KnownClient(State& s) {
  if (!Present(s.request.client_id)) return Missing("client_id", "missing_client_id");
  // The application is the one the caller found by this client_id; checked again here, so
  // that a lookup gone wrong cannot hand out another client's redirect URLs.
  const Result<ApplicationId> client_id = ApplicationId::Parse(*s.request.client_id);
  if (s.application == nullptr || !client_id.ok() || *client_id != s.application->id ||
      !s.application->active || s.application->state != ObjectState::kActive) {
    return Error("invalid_client", "invalid_client_id", "The client_id is not valid.");
  }
  s.out.application = s.application;
  return std::nullopt;
}

std::optional<OAuthError> CodeChallengeShape(State& s) {
  if (!Present(s.request.code_challenge)) return std::nullopt;
  const std::optional<CodeChallengeMethod> method =
      ParseCodeChallengeMethod(TextOf(s.request.code_challenge_method));
  if (!method.has_value()) {
    return Error("invalid_request", "invalid_pkce_code_challenge_method",
                 "The code_challenge_method must be S256 or plain.");
  }
  if (!IsValidCodeChallenge(*s.request.code_challenge, *method)) {
    return Error("invalid_request", "invalid_pkce_code_challenge",
                 "Invalid code_challenge, see https://tools.ietf.org/html/rfc7636#section-4.2 "
                 "for requirements.");
  }
  s.out.code_challenge = *s.request.code_challenge;
  s.out.code_challenge_method = *method;
  return std::nullopt;
}

std::optional<OAuthError> RedirectUriAuthorized(State& s) {
  const auto& oauth = s.application->oauth_configuration;
  const std::string& uri = *s.request.redirect_uri;
  if (!IsAuthorizedUrl(uri, oauth.authorized_redirect_urls,
                       oauth.authorized_url_validation_policy)) {
    return Error("invalid_request", "invalid_redirect_uri",
                 "Invalid redirect_uri: it is not one of the application's authorized "
                 "redirect URLs.");
  }
  s.out.redirect_uri = uri;
  s.out.state = s.request.state.value_or("");
  s.redirect_trusted = true;
  return std::nullopt;
}

std::optional<OAuthError> ResponseTypeSupported(State& s) {
  if (!Present(s.request.response_type)) return Missing("response_type", "missing_response_type");
  for (std::string_view scope : SpaceSeparated(TextOf(s.request.scope))) {
    if (scope == "openid") s.asks_openid = true;
  }
  ResponseTypes types;
  std::size_t count = 0;
  for (std::string_view token : SpaceSeparated(*s.request.response_type)) {
    ++count;
    if (token == "code") {
      types.code = true;
    } else if (token == "token") {
      types.token = true;
    } else if (token == "id_token") {
      types.id_token = true;
    } else {
      types = ResponseTypes{.code = true, .token = true, .id_token = true};  // refused below
    }
  }
  const bool code = types == ResponseTypes{.code = true} && count == 1;
  const bool token = types == ResponseTypes{.token = true} && count == 1;
  const bool id_token = types == ResponseTypes{.id_token = true} && count == 1;
  const bool id_token_token = types == ResponseTypes{.token = true, .id_token = true} && count == 2;
  const bool supported = s.asks_openid ? (code || id_token || id_token_token) : (code || token);
  if (!supported) {
    return Error("unsupported_response_type", "invalid_response_type",
                 s.asks_openid ? "Parameter response_type must be 'code', 'id_token' or "
                                 "'id_token token' when the scope includes openid."
                               : "Parameter response_type must be 'code' or 'token'.");
  }
  s.out.response_types = types;
  s.out.response_mode = code ? ResponseMode::kQuery : ResponseMode::kFragment;
  return std::nullopt;
}

std::optional<OAuthError> PkcePolicyMet(State& s) {
  if (s.out.response_types.code && !s.out.code_challenge.has_value() &&
      s.application->oauth_configuration.proof_key_for_code_exchange_policy ==
          PkcePolicy::kRequired) {
    return Missing("code_challenge", "missing_code_challenge");
  }
  return std::nullopt;
}

std::optional<OAuthError> ResponseModeSupported(State& s) {
  if (!Present(s.request.response_mode)) return std::nullopt;
  const std::optional<ResponseMode> mode = ParseResponseMode(*s.request.response_mode);
  if (!mode.has_value()) {
    return Error("invalid_request", "invalid_response_mode",
                 "Parameter response_mode must be 'form_post', 'fragment' or 'query'.");
  }
  if (*mode == ResponseMode::kQuery && !(s.out.response_types == ResponseTypes{.code = true})) {
    // Tokens in a query string end up in logs and Referer headers.
    return Error("invalid_request", "invalid_response_mode",
                 "Parameter response_mode 'query' may only be used with response_type 'code'.");
  }
  s.out.response_mode = *mode;
  return std::nullopt;
}

std::optional<OAuthError> GrantEnabled(State& s) {
  const auto& grants = s.application->oauth_configuration.enabled_grants;
  const bool code = s.out.response_types.code;
  const GrantType grant = code ? GrantType::kAuthorizationCode : GrantType::kImplicit;
  if (std::find(grants.begin(), grants.end(), grant) != grants.end()) return std::nullopt;
  return Error("unauthorized_client", "grant_type_disabled",
               code ? "The [authorization_code] Authorization Code grant has been disabled for "
                      "this client."
                    : "The [implicit] Implicit grant has been disabled for this client.");
}

std::optional<OAuthError> OriginAuthorized(State& s) {
  const auto& oauth = s.application->oauth_configuration;
  if (oauth.authorized_origin_urls.empty() || !Present(s.request.origin)) return std::nullopt;
  if (*s.request.origin == "null") {
    return Error("invalid_request", "invalid_origin_opaque",
                 "The User Agent sent an opaque (null) Origin header. The request origin cannot "
                 "be authorized.");
  }
  const std::string origin = OriginOf(*s.request.origin);
  if (!origin.empty() && origin == s.own_origin) return std::nullopt;
  if (origin.empty() || !IsAuthorizedUrl(origin, oauth.authorized_origin_urls,
                                         oauth.authorized_url_validation_policy)) {
    return Error("invalid_request", "invalid_origin",
                 "The request origin is not one of the application's authorized origins.");
  }
  return std::nullopt;
}

std::optional<OAuthError> ScopesAllowed(State& s) {
  ScopeResolution resolved = ResolveScopes(TextOf(s.request.scope), *s.application);
  if (resolved.error.has_value()) return std::move(resolved.error);
  s.out.scopes = std::move(resolved.scopes);
  return std::nullopt;
}

std::optional<OAuthError> NonceWhereNeeded(State& s) {
  if (Present(s.request.nonce)) s.out.nonce = *s.request.nonce;
  if (s.out.response_types.id_token && s.out.nonce.empty()) {
    // OpenID Connect Core §3.2.2.1: an id_token from the authorization endpoint carries the
    // nonce, which is what ties it to the client's session.
    return Error("invalid_request", "unknown",
                 "The request is missing a required parameter: nonce (required when an "
                 "id_token is returned from the authorization endpoint).");
  }
  return std::nullopt;
}

std::optional<OAuthError> PromptUnderstood(State& s) {
  const std::vector<std::string_view> prompts = SpaceSeparated(TextOf(s.request.prompt));
  for (std::string_view prompt : prompts) {
    if (prompt == "none") {
      s.out.prompt_none = true;
    } else if (prompt == "login") {
      s.out.prompt_login = true;
    } else if (prompt == "consent") {
      s.out.prompt_consent = true;
    } else {
      return Error("invalid_request", "invalid_prompt",
                   "Parameter prompt may only contain 'none', 'login' or 'consent'.");
    }
  }
  if (s.out.prompt_none && prompts.size() > 1) {
    return Error("invalid_request", "invalid_prompt",
                 "Parameter prompt may only contain a single value when requesting 'none'.");
  }
  return std::nullopt;
}

std::optional<OAuthError> MaxAgeValid(State& s) {
  if (!Present(s.request.max_age)) return std::nullopt;
  const std::string& text = *s.request.max_age;
  std::int64_t seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds < 0) {
    return Error("invalid_request", "unknown",
                 "Parameter max_age must be a non-negative number of seconds.");
  }
  s.out.max_age = seconds;
  return std::nullopt;
}

// The table. Every check before redirect_uri_authorized answers on a page.
constexpr Check kAuthorizeChecks[] = {
    {"redirect_uri_present", RedirectUriPresent},
    {"client", KnownClient},
    {"code_challenge", CodeChallengeShape},
    {"redirect_uri_authorized", RedirectUriAuthorized},
    {"response_type", ResponseTypeSupported},
    {"pkce_policy", PkcePolicyMet},
    {"response_mode", ResponseModeSupported},
    {"grant", GrantEnabled},
    {"origin", OriginAuthorized},
    {"scope", ScopesAllowed},
    {"nonce", NonceWhereNeeded},
    {"prompt", PromptUnderstood},
    {"max_age", MaxAgeValid},
};

// The response_mode an error goes back in: the request's when it named a valid one, else the
// default of its response_type (fragment for the implicit ones, query otherwise).
ResponseMode ErrorResponseMode(const State& s) {
  if (Present(s.request.response_mode)) {
    if (const auto mode = ParseResponseMode(*s.request.response_mode)) return *mode;
  }
  const std::vector<std::string_view> types = SpaceSeparated(TextOf(s.request.response_type));
  const bool implicit = std::any_of(types.begin(), types.end(), [](std::string_view t) {
    return t == "token" || t == "id_token";
  });
  return implicit ? ResponseMode::kFragment : ResponseMode::kQuery;
}

}  // namespace

AuthorizeCheckOutcome CheckAuthorizeRequest(const AuthorizeRequest& request,
                                            const Application* application,
                                            std::string_view own_origin) {
  State state{.request = request, .application = application, .own_origin = own_origin};
  for (const Check& check : kAuthorizeChecks) {
    std::optional<OAuthError> error = check.run(state);
    if (!error.has_value()) continue;
    AuthorizeFailure failure{.check = std::string(check.name), .error = *std::move(error)};
    if (state.redirect_trusted) {
      failure.redirect = true;
      failure.redirect_uri = state.out.redirect_uri;
      failure.response_mode = ErrorResponseMode(state);
      failure.state = state.out.state;
    }
    return failure;
  }
  state.out.login_hint = request.login_hint.value_or("");
  state.out.idp_hint = request.idp_hint.value_or("");
  state.out.locale = request.locale.value_or("");
  return std::move(state.out);
}

std::vector<std::string_view> AuthorizeCheckNames() {
  std::vector<std::string_view> names;
  for (const Check& check : kAuthorizeChecks) names.push_back(check.name);
  return names;
}

}  // namespace bulwark::oauth2
