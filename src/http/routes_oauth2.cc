// SPDX-License-Identifier: Apache-2.0
// /oauth2/authorize, /oauth2/token, /oauth2/userinfo and the OpenID Connect discovery
// documents: the HTTP face of oauth2::AuthorizationServer. This file decodes (query strings,
// form bodies with duplicate parameters refused, cookies, Basic credentials, bearer tokens)
// and encodes (redirects, pages with their security headers, JSON with no-store); the
// server decides.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "bulwark/crypto/jws.h"
#include "bulwark/oauth2/authorization_server.h"
#include "core/ascii.h"
#include "crypto/base64.h"
#include "http/api_support.h"

namespace bulwark::http::internal {
namespace {

// The request's parameters: the query for GET, the form body for POST (RFC 6749 §3.1, §3.2).
// A parameter sent twice is refused (§3.1: "Request and response parameters MUST NOT be
// included more than once"); nullopt then.
std::optional<QueryParams> OAuthParameters(const HttpRequest& request) {
  QueryParams params = request.method == "POST" ? ParseQueryString(request.body) : request.query;
  for (std::size_t i = 0; i < params.size(); ++i) {
    for (std::size_t j = i + 1; j < params.size(); ++j) {
      if (params[i].first == params[j].first) return std::nullopt;
    }
  }
  return params;
}

std::optional<std::string> Param(const QueryParams& params, std::string_view name) {
  std::optional<std::string_view> value = FindQuery(params, name);
  if (!value.has_value()) return std::nullopt;
  return std::string(*value);
}

bool IsFormBody(const HttpRequest& request) {
  std::optional<std::string_view> type = FindHeader(request.headers, "Content-Type");
  return type.has_value() && type->size() >= 33 &&
         bulwark::internal::AsciiEqualsIgnoreCase(type->substr(0, 33),
                                                  "application/x-www-form-urlencoded");
}

HttpResponse OAuthJson(int status, const nlohmann::json& body) {
  HttpResponse response = JsonResponse(status, body);
  AddNoStore(response);
  AddHeader(response, "Pragma", "no-cache");
  return response;
}

HttpResponse Unavailable() { return EmptyResponse(404); }

// CORS for a browser client (authorizedOriginURLs): the response names the request's Origin
// when the client authorizes it, and nothing otherwise (the browser then keeps the answer
// from the page).
void AddCors(Call& call, std::string_view client_id, HttpResponse& response) {
  std::optional<std::string_view> origin = FindHeader(call.request.headers, "Origin");
  AddHeader(response, "Vary", "Origin");
  if (!origin.has_value() || client_id.empty()) return;
  if (!call.oauth->IsAuthorizedOrigin(client_id, *origin)) return;
  AddHeader(response, "Access-Control-Allow-Origin", std::string(*origin));
}

// The preflight of a browser client's POST to the token, userinfo, introspection or revocation
// endpoint: what it may send. Whether it may read the answer is the answer's own CORS header.
HttpResponse Preflight(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  HttpResponse response = EmptyResponse(204);
  std::optional<std::string_view> origin = FindHeader(call.request.headers, "Origin");
  if (origin.has_value()) {
    AddHeader(response, "Access-Control-Allow-Origin", std::string(*origin));
    AddHeader(response, "Access-Control-Allow-Methods", "GET, POST");
    AddHeader(response, "Access-Control-Allow-Headers", "Authorization, Content-Type");
    AddHeader(response, "Access-Control-Max-Age", "600");
  }
  AddHeader(response, "Vary", "Origin");
  return response;
}

HttpResponse OAuthError(const oauth2::OAuthErrorResponse& error) {
  nlohmann::json body = {{"error", error.error}};
  if (!error.error_reason.empty()) body["error_reason"] = error.error_reason;
  if (!error.error_description.empty()) body["error_description"] = error.error_description;
  HttpResponse response = OAuthJson(error.status, body);
  if (error.status == 401) {
    AddHeader(response, "WWW-Authenticate",
              error.error == "invalid_client" ? "Basic realm=\"bulwark\""
                                              : "Bearer error=\"" + error.error + "\"");
  }
  return response;
}

HttpResponse InvalidRequest(std::string description) {
  return OAuthError(oauth2::OAuthErrorResponse{.status = 400,
                                               .error = "invalid_request",
                                               .error_reason = "unknown",
                                               .error_description = std::move(description)});
}

// An HTML page with the headers every page gets: its Content-Security-Policy (with the
// frame-ancestors the page allows), X-Frame-Options when no one may frame it, no-store, and
// no Referer to the next site (the page's URL holds the request's parameters).
HttpResponse PageResponse(const oauth2::Page& page) {
  HttpResponse response;
  response.status = page.status;
  response.body = page.html;
  AddHeader(response, "Content-Type", "text/html; charset=utf-8");
  // The page's policy without its own frame-ancestors, which the origin rule decides.
  std::string csp;
  std::string_view rest = page.content_security_policy;
  while (!rest.empty()) {
    const std::size_t semi = std::min(rest.find(';'), rest.size());
    std::string_view directive = rest.substr(0, semi);
    rest = semi < rest.size() ? rest.substr(semi + 1) : std::string_view();
    while (!directive.empty() && directive.front() == ' ') directive.remove_prefix(1);
    while (!directive.empty() && directive.back() == ' ') directive.remove_suffix(1);
    if (directive.empty() || directive.rfind("frame-ancestors", 0) == 0) continue;
    csp += directive;
    csp += "; ";
  }
  csp += "frame-ancestors";
  std::size_t allowed = 0;
  for (const std::string& origin : page.frame_ancestors) {
    // An origin holding what would end or change the directive is left out.
    if (origin.empty() || origin.find_first_of("; ,'\"\r\n") != std::string::npos) continue;
    csp += ' ';
    csp += origin;
    ++allowed;
  }
  if (allowed == 0) csp += " 'none'";
  AddHeader(response, "Content-Security-Policy", csp);
  if (allowed == 0) AddHeader(response, "X-Frame-Options", "DENY");
  AddHeader(response, "Referrer-Policy", "no-referrer");
  AddHeader(response, "X-Content-Type-Options", "nosniff");
  AddNoStore(response);
  AddHeader(response, "Pragma", "no-cache");
  return response;
}

HttpResponse AuthorizeResponse(const oauth2::AuthorizeResult& result) {
  HttpResponse response;
  if (const auto* redirect = std::get_if<oauth2::Redirect>(&result.response)) {
    response.status = 302;
    AddHeader(response, "Location", redirect->location);
    AddNoStore(response);
    AddHeader(response, "Referrer-Policy", "no-referrer");
  } else {
    response = PageResponse(std::get<oauth2::Page>(result.response));
  }
  for (const std::string& cookie : result.set_cookies) AddHeader(response, "Set-Cookie", cookie);
  return response;
}

// A page for a request the authorization endpoints cannot read.
HttpResponse BadPageRequest(std::string message) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      "Authorization error</title></head><body><main><h1>Authorization error</h1>"
      "<p role=\"alert\">";
  html += message;
  html += "</p></main></body></html>\n";
  return PageResponse(oauth2::Page{.status = 400,
                                   .html = std::move(html),
                                   .content_security_policy = "default-src 'none'",
                                   .frame_ancestors = {}});
}

// The parameters of a browser's request (the query, or the form of a POST), or what
// `refuse` answers for a POST that is not a form or a parameter sent twice.
std::variant<QueryParams, HttpResponse> BrowserParameters(const HttpRequest& request,
                                                          HttpResponse (*refuse)(std::string)) {
  if (request.method == "POST" && !IsFormBody(request)) {
    return refuse("The request must be a form (application/x-www-form-urlencoded).");
  }
  std::optional<QueryParams> params = OAuthParameters(request);
  if (!params.has_value()) return refuse("A parameter was sent more than once.");
  return *std::move(params);
}

oauth2::AuthorizeRequest AuthorizeRequestOf(const HttpRequest& request, const QueryParams& params) {
  oauth2::AuthorizeRequest r;
  r.client_id = Param(params, "client_id");
  r.redirect_uri = Param(params, "redirect_uri");
  r.response_type = Param(params, "response_type");
  r.response_mode = Param(params, "response_mode");
  r.scope = Param(params, "scope");
  r.state = Param(params, "state");
  r.nonce = Param(params, "nonce");
  r.code_challenge = Param(params, "code_challenge");
  r.code_challenge_method = Param(params, "code_challenge_method");
  r.prompt = Param(params, "prompt");
  r.max_age = Param(params, "max_age");
  r.login_hint = Param(params, "login_hint");
  r.idp_hint = Param(params, "idp_hint");
  r.locale = Param(params, "locale");
  r.tenant_id = Param(params, "tenantId");
  r.login_id = Param(params, "loginId");
  r.password = Param(params, "password");
  r.csrf_token = Param(params, "csrf_token");
  if (std::optional<std::string_view> origin = FindHeader(request.headers, "Origin")) {
    r.origin = std::string(*origin);
  } else if (std::optional<std::string_view> referer = FindHeader(request.headers, "Referer")) {
    r.origin = std::string(*referer);
  }
  r.sso_cookie = FindCookie(request, oauth2::kSsoCookieName);
  r.csrf_cookie = FindCookie(request, oauth2::kCsrfCookieName);
  r.ip_address = ClientAddress(request);
  r.post = request.method == "POST";
  return r;
}

HttpResponse Authorize(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  std::variant<QueryParams, HttpResponse> params = BrowserParameters(call.request, BadPageRequest);
  if (auto* refused = std::get_if<HttpResponse>(&params)) return std::move(*refused);
  return AuthorizeResponse(
      call.oauth->Authorize(AuthorizeRequestOf(call.request, std::get<QueryParams>(params))));
}

// POST /oauth2/consent: the consent page's form (FusionAuth's scopeConsents[<scope>] and
// action).
HttpResponse Consent(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  std::variant<QueryParams, HttpResponse> parsed = BrowserParameters(call.request, BadPageRequest);
  if (auto* refused = std::get_if<HttpResponse>(&parsed)) return std::move(*refused);
  const QueryParams& params = std::get<QueryParams>(parsed);
  oauth2::ConsentRequest r;
  r.authorization = AuthorizeRequestOf(call.request, params);
  r.authorization.login_id.reset();  // not a login form
  r.authorization.password.reset();
  constexpr std::string_view kPrefix = "scopeConsents[";
  for (const auto& [name, value] : params) {
    if (name.size() > kPrefix.size() + 1 && name.compare(0, kPrefix.size(), kPrefix) == 0 &&
        name.back() == ']' && (value == "true" || value == "on")) {
      r.consented_scopes.push_back(name.substr(kPrefix.size(), name.size() - kPrefix.size() - 1));
    }
  }
  r.cancel = Param(params, "action") == std::optional<std::string>("cancel");
  return AuthorizeResponse(call.oauth->Consent(r));
}

// RFC 6749 §2.3.1: Basic credentials, each part form-urlencoded before base64.
std::optional<std::pair<std::string, std::string>> BasicCredentials(const HttpRequest& request) {
  std::optional<std::string_view> header = FindHeader(request.headers, "Authorization");
  if (!header.has_value()) return std::nullopt;
  std::string_view value = *header;
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.size() < 6 || !bulwark::internal::AsciiEqualsIgnoreCase(value.substr(0, 6), "Basic ")) {
    return std::nullopt;
  }
  value.remove_prefix(6);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  Result<std::vector<std::uint8_t>> decoded = bulwark::internal::Base64Decode(value);
  if (!decoded.ok()) return std::pair<std::string, std::string>();  // present, unusable
  const std::string text(decoded->begin(), decoded->end());
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) return std::pair<std::string, std::string>();
  return std::pair<std::string, std::string>(PercentDecode(text.substr(0, colon), true),
                                             PercentDecode(text.substr(colon + 1), true));
}

HttpResponse Token(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  const HttpRequest& request = call.request;
  if (!IsFormBody(request)) {
    return InvalidRequest("The request must be a form (application/x-www-form-urlencoded).");
  }
  std::optional<QueryParams> params = OAuthParameters(request);
  if (!params.has_value()) return InvalidRequest("A parameter was sent more than once.");
  oauth2::TokenRequest t;
  t.grant_type = Param(*params, "grant_type");
  t.client_id = Param(*params, "client_id");
  t.client_secret = Param(*params, "client_secret");
  if (std::optional<std::pair<std::string, std::string>> basic = BasicCredentials(request)) {
    // RFC 6749 §2.3: one way of authenticating per request.
    if (t.client_secret.has_value()) {
      return InvalidRequest("The client authenticated in more than one way.");
    }
    if (basic->first.empty()) {
      return OAuthError(oauth2::OAuthErrorResponse{
          .status = 401,
          .error = "invalid_client",
          .error_reason = "invalid_client_authentication",
          .error_description = "The Authorization header is not valid Basic credentials."});
    }
    if (t.client_id.has_value() && *t.client_id != basic->first) {
      return InvalidRequest("The client_id differs from the Authorization header's.");
    }
    t.client_id = basic->first;
    t.client_secret = basic->second;
    t.basic = true;
  }
  t.code = Param(*params, "code");
  t.redirect_uri = Param(*params, "redirect_uri");
  t.code_verifier = Param(*params, "code_verifier");
  t.refresh_token = Param(*params, "refresh_token");
  t.username = Param(*params, "username");
  t.password = Param(*params, "password");
  t.scope = Param(*params, "scope");
  t.device_code = Param(*params, "device_code");
  t.tenant_id = Param(*params, "tenantId");
  t.ip_address = ClientAddress(request);
  oauth2::TokenResult result = call.oauth->Token(t);
  HttpResponse response;
  if (const auto* error = std::get_if<oauth2::OAuthErrorResponse>(&result)) {
    response = OAuthError(*error);
  } else {
    response = OAuthJson(200, std::get<oauth2::TokenResponse>(result).ToJson());
  }
  AddCors(call, t.client_id.value_or(""), response);
  return response;
}

HttpResponse Userinfo(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  std::optional<std::string> token;
  if (std::optional<std::string_view> header = FindHeader(call.request.headers, "Authorization")) {
    std::string_view value = *header;
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (value.size() > 7 &&
        bulwark::internal::AsciiEqualsIgnoreCase(value.substr(0, 7), "Bearer ")) {
      value.remove_prefix(7);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      token = std::string(value);
    }
  }
  oauth2::UserinfoResult result = call.oauth->Userinfo(token.value_or(""));
  if (const auto* error = std::get_if<oauth2::OAuthErrorResponse>(&result)) {
    return OAuthError(*error);
  }
  HttpResponse response = OAuthJson(200, std::get<nlohmann::json>(result));
  // The client is the token's audience (the token verified above).
  std::string audience;
  if (Result<Jws> decoded = DecodeJwsUnverified(*token); decoded.ok()) {
    const nlohmann::json claims = nlohmann::json::parse(decoded->payload, nullptr, false);
    if (claims.is_object() && claims.contains("aud") && claims["aud"].is_string()) {
      audience = claims["aud"].get<std::string>();
    }
  }
  AddCors(call, audience, response);
  return response;
}

// The client's credentials from the form or a Basic header, for introspection and
// revocation; an error response when they conflict.
std::optional<HttpResponse> ClientCredentials(const HttpRequest& request, const QueryParams& params,
                                              std::optional<std::string>& client_id,
                                              std::optional<std::string>& client_secret,
                                              bool& basic) {
  client_id = Param(params, "client_id");
  client_secret = Param(params, "client_secret");
  std::optional<std::pair<std::string, std::string>> credentials = BasicCredentials(request);
  if (!credentials.has_value()) return std::nullopt;
  if (client_secret.has_value()) {
    return InvalidRequest("The client authenticated in more than one way.");
  }
  if (credentials->first.empty()) {
    return OAuthError(oauth2::OAuthErrorResponse{
        .status = 401,
        .error = "invalid_client",
        .error_reason = "invalid_client_authentication",
        .error_description = "The Authorization header is not valid Basic credentials."});
  }
  if (client_id.has_value() && *client_id != credentials->first) {
    return InvalidRequest("The client_id differs from the Authorization header's.");
  }
  client_id = credentials->first;
  client_secret = credentials->second;
  basic = true;
  return std::nullopt;
}

std::optional<HttpResponse> InspectionRequest(const HttpRequest& request,
                                              oauth2::TokenInspectionRequest& out) {
  if (!IsFormBody(request)) {
    return InvalidRequest("The request must be a form (application/x-www-form-urlencoded).");
  }
  std::optional<QueryParams> params = OAuthParameters(request);
  if (!params.has_value()) return InvalidRequest("A parameter was sent more than once.");
  if (std::optional<HttpResponse> refused =
          ClientCredentials(request, *params, out.client_id, out.client_secret, out.basic)) {
    return refused;
  }
  out.token = Param(*params, "token");
  out.token_type_hint = Param(*params, "token_type_hint");
  return std::nullopt;
}

HttpResponse Introspect(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  oauth2::TokenInspectionRequest r;
  if (std::optional<HttpResponse> refused = InspectionRequest(call.request, r)) return *refused;
  oauth2::IntrospectResult result = call.oauth->Introspect(r);
  HttpResponse response;
  if (const auto* error = std::get_if<oauth2::OAuthErrorResponse>(&result)) {
    response = OAuthError(*error);
  } else {
    response = OAuthJson(200, std::get<nlohmann::json>(result));
  }
  AddCors(call, r.client_id.value_or(""), response);
  return response;
}

HttpResponse Revoke(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  oauth2::TokenInspectionRequest r;
  if (std::optional<HttpResponse> refused = InspectionRequest(call.request, r)) return *refused;
  oauth2::RevokeResult result = call.oauth->Revoke(r);
  if (result.has_value()) return OAuthError(*result);
  HttpResponse response = EmptyResponse(200);
  AddNoStore(response);
  return response;
}

HttpResponse Logout(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  std::variant<QueryParams, HttpResponse> parsed = BrowserParameters(call.request, InvalidRequest);
  if (auto* refused = std::get_if<HttpResponse>(&parsed)) return std::move(*refused);
  const QueryParams& params = std::get<QueryParams>(parsed);
  oauth2::LogoutRequest r;
  r.client_id = Param(params, "client_id");
  r.id_token_hint = Param(params, "id_token_hint");
  r.post_logout_redirect_uri = Param(params, "post_logout_redirect_uri");
  r.state = Param(params, "state");
  r.tenant_id = Param(params, "tenantId");
  r.sso_cookie = FindCookie(call.request, oauth2::kSsoCookieName);
  return AuthorizeResponse(call.oauth->Logout(r));
}

// The form of a client's POST to a device endpoint, with its credentials (the form's or a
// Basic header's) in `client_id` and `client_secret`; the refusal when it is not usable.
std::optional<HttpResponse> ClientForm(const HttpRequest& request, QueryParams& params,
                                       std::optional<std::string>& client_id,
                                       std::optional<std::string>& client_secret) {
  if (!IsFormBody(request)) {
    return InvalidRequest("The request must be a form (application/x-www-form-urlencoded).");
  }
  std::optional<QueryParams> parsed = OAuthParameters(request);
  if (!parsed.has_value()) return InvalidRequest("A parameter was sent more than once.");
  params = *std::move(parsed);
  bool basic = false;
  return ClientCredentials(request, params, client_id, client_secret, basic);
}

// A JSON result of the device endpoints.
HttpResponse JsonOrError(const std::variant<nlohmann::json, oauth2::OAuthErrorResponse>& result) {
  if (const auto* error = std::get_if<oauth2::OAuthErrorResponse>(&result)) {
    return OAuthError(*error);
  }
  return OAuthJson(200, std::get<nlohmann::json>(result));
}

HttpResponse DeviceAuthorize(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  oauth2::DeviceAuthorizationRequest r;
  QueryParams params;
  if (std::optional<HttpResponse> refused =
          ClientForm(call.request, params, r.client_id, r.client_secret)) {
    return *refused;
  }
  r.scope = Param(params, "scope");
  r.tenant_id = Param(params, "tenantId");
  return JsonOrError(call.oauth->DeviceAuthorize(r));
}

HttpResponse DeviceValidate(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  const std::optional<std::string_view> client = FindQuery(call.request.query, "client_id");
  const std::optional<std::string_view> code = FindQuery(call.request.query, "user_code");
  if (!client.has_value() || !code.has_value() || !call.oauth->ValidateUserCode(*client, *code)) {
    return EmptyResponse(400);
  }
  return EmptyResponse(200);
}

HttpResponse DeviceUserCode(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  oauth2::DeviceUserCodeRequest r;
  QueryParams params;
  if (std::optional<HttpResponse> refused =
          ClientForm(call.request, params, r.client_id, r.client_secret)) {
    return *refused;
  }
  r.user_code = Param(params, "user_code");
  return JsonOrError(call.oauth->RetrieveUserCode(r));
}

HttpResponse DeviceApprove(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  oauth2::DeviceApprovalRequest r;
  QueryParams params;
  if (std::optional<HttpResponse> refused =
          ClientForm(call.request, params, r.client_id, r.client_secret)) {
    return *refused;
  }
  r.token = Param(params, "token");
  r.user_code = Param(params, "user_code");
  return JsonOrError(call.oauth->ApproveDevice(r));
}

HttpResponse DevicePage(Call& call) {
  if (call.oauth == nullptr) return Unavailable();
  const HttpRequest& request = call.request;
  std::variant<QueryParams, HttpResponse> parsed = BrowserParameters(request, InvalidRequest);
  if (auto* refused = std::get_if<HttpResponse>(&parsed)) return std::move(*refused);
  const QueryParams& params = std::get<QueryParams>(parsed);
  oauth2::DevicePageRequest r;
  r.client_id = Param(params, "client_id");
  r.user_code = Param(params, "user_code");
  r.login_id = Param(params, "loginId");
  r.password = Param(params, "password");
  r.csrf_token = Param(params, "csrf_token");
  r.csrf_cookie = FindCookie(request, oauth2::kCsrfCookieName);
  r.sso_cookie = FindCookie(request, oauth2::kSsoCookieName);
  r.ip_address = ClientAddress(request);
  r.post = request.method == "POST";
  return AuthorizeResponse(call.oauth->DevicePage(r));
}

HttpResponse DiscoveryFor(Call& call, std::optional<TenantId> tenant) {
  if (call.oauth == nullptr) return Unavailable();
  Result<nlohmann::json> doc = call.oauth->Discovery(tenant);
  if (!doc.ok()) {
    if (doc.status().code() == StatusCode::kNotFound) return EmptyResponse(404);
    return ErrorResponse(doc.status());
  }
  HttpResponse response = JsonResponse(200, *doc);
  AddHeader(response, "Access-Control-Allow-Origin", "*");
  return response;
}

HttpResponse Discovery(Call& call) {
  std::optional<std::string_view> tenant = FindQuery(call.request.query, "tenantId");
  if (!tenant.has_value() || tenant->empty()) return DiscoveryFor(call, std::nullopt);
  Result<TenantId> id = TenantId::Parse(*tenant);
  if (!id.ok()) return EmptyResponse(404);
  return DiscoveryFor(call, *id);
}

HttpResponse DiscoveryByPath(Call& call) {
  Result<TenantId> id = TenantId::Parse(call.params.front());
  if (!id.ok()) return EmptyResponse(404);
  return DiscoveryFor(call, *id);
}

}  // namespace

void AddOAuth2Routes(std::vector<Route>& routes) {
  routes.insert(
      routes.end(),
      {
          {"GET", "/oauth2/authorize", "/oauth2/authorize", Access::kPublic, Authorize},
          {"POST", "/oauth2/authorize", "/oauth2/authorize", Access::kPublic, Authorize},
          {"POST", "/oauth2/consent", "/oauth2/consent", Access::kPublic, Consent},
          {"POST", "/oauth2/token", "/oauth2/token", Access::kPublic, Token},
          {"OPTIONS", "/oauth2/token", "/oauth2/token", Access::kPublic, Preflight},
          {"OPTIONS", "/oauth2/userinfo", "/oauth2/userinfo", Access::kPublic, Preflight},
          {"OPTIONS", "/oauth2/introspect", "/oauth2/introspect", Access::kPublic, Preflight},
          {"OPTIONS", "/oauth2/revoke", "/oauth2/revoke", Access::kPublic, Preflight},
          {"GET", "/oauth2/userinfo", "/oauth2/userinfo", Access::kPublic, Userinfo},
          {"POST", "/oauth2/userinfo", "/oauth2/userinfo", Access::kPublic, Userinfo},
          {"POST", "/oauth2/introspect", "/oauth2/introspect", Access::kPublic, Introspect},
          {"POST", "/oauth2/revoke", "/oauth2/revoke", Access::kPublic, Revoke},
          {"GET", "/oauth2/logout", "/oauth2/logout", Access::kPublic, Logout},
          {"POST", "/oauth2/logout", "/oauth2/logout", Access::kPublic, Logout},
          {"POST", "/oauth2/device_authorize", "/oauth2/device_authorize", Access::kPublic,
           DeviceAuthorize},
          {"GET", "/oauth2/device/validate", "/oauth2/device/validate", Access::kPublic,
           DeviceValidate},
          {"POST", "/oauth2/device/user-code", "/oauth2/device/user-code", Access::kPublic,
           DeviceUserCode},
          {"POST", "/oauth2/device/approve", "/oauth2/device/approve", Access::kPublic,
           DeviceApprove},
          {"GET", "/oauth2/device", "/oauth2/device", Access::kPublic, DevicePage},
          {"POST", "/oauth2/device", "/oauth2/device", Access::kPublic, DevicePage},
          {"GET", "/.well-known/openid-configuration", "/.well-known/openid-configuration",
           Access::kPublic, Discovery},
          {"GET", "/*/.well-known/openid-configuration", "/.well-known/openid-configuration",
           Access::kPublic, DiscoveryByPath},
          {"GET", "/.well-known/openid-configuration/*", "/.well-known/openid-configuration",
           Access::kPublic, DiscoveryByPath},
      });
}

}  // namespace bulwark::http::internal
