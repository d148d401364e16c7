// SPDX-License-Identifier: Apache-2.0
// Private: what every REST handler of the Router shares — the per-request Call, the route
// table entry, JSON bodies, FusionAuth's error envelope, cookies and the tenant rules.
#ifndef BULWARK_HTTP_API_SUPPORT_H_
#define BULWARK_HTTP_API_SUPPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/engine.h"
#include "bulwark/http/http_message.h"
#include "bulwark/ids.h"
#include "bulwark/logger.h"
#include "bulwark/model/api_key.h"
#include "bulwark/oauth2/authorization_server.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark::http::internal {

// What a route requires before its handler runs.
enum class Access {
  kPublic,       // no credentials (an API key, if sent, still sets the tenant)
  kApiKey,       // a valid API key permitted on the route's endpoint
  kKeyManager,   // an API key with keyManager (the API Key API)
  kOptionalKey,  // the handler decides (Login API: requireAuthentication)
};

struct Call {
  Engine& engine;
  const HttpRequest& request;
  Logger& logger;
  std::vector<std::string> params = {};          // the path segments the route's '*' matched
  std::optional<ApiKey> api_key = {};            // the authenticated key, if one was presented
  std::optional<TenantId> tenant_id = {};        // X-FusionAuth-TenantId or the key's tenant
  bool api_key_presented = false;                // an Authorization value that is not a JWT
  oauth2::AuthorizationServer* oauth = nullptr;  // the Router's; null when it has none
};

using Handler = HttpResponse (*)(Call& call);

struct Route {
  std::string_view method;
  std::string_view pattern;   // segments; '*' matches any one non-empty segment
  std::string_view endpoint;  // the API key permission name, e.g. "/api/user"
  Access access = Access::kApiKey;
  Handler handler = nullptr;
};

// Each adds its routes.
void AddTenantAndApplicationRoutes(std::vector<Route>& routes);
void AddUserRoutes(std::vector<Route>& routes);
void AddLoginAndJwtRoutes(std::vector<Route>& routes);
void AddKeyRoutes(std::vector<Route>& routes);
void AddIdentityProviderRoutes(std::vector<Route>& routes);
void AddApiKeyRoutes(std::vector<Route>& routes);
void AddOAuth2Routes(std::vector<Route>& routes);

// ---- responses -------------------------------------------------------------------------

// `body` as JSON with Content-Type application/json;charset=UTF-8 (invalid UTF-8 in strings
// is replaced, never thrown on).
HttpResponse JsonResponse(int status, const nlohmann::json& body);
// The same for a body that is already JSON text (written without a DOM).
HttpResponse JsonTextResponse(int status, std::string body);
// No body and no Content-Type.
HttpResponse EmptyResponse(int status);
// FusionAuth's answer to a failed call: 400 {fieldErrors, generalErrors} for validation,
// duplicates and refused preconditions; 401 / 404 empty; 503 when the store is unavailable;
// 500 otherwise.
HttpResponse ErrorResponse(const Status& status);
// 400 with one general error.
HttpResponse GeneralError(std::string_view code, std::string_view message);
// The {fieldErrors, generalErrors} object of `errors`.
nlohmann::json ErrorsJson(const Errors& errors);
void AddNoStore(HttpResponse& response);
void AddHeader(HttpResponse& response, std::string name, std::string value);
// Set-Cookie for access_token (session) and, when given, refresh_token (Max-Age), HttpOnly,
// SameSite=Strict, Path=/, Secure on https.
void SetTokenCookies(HttpResponse& response, const HttpRequest& request, std::string_view token,
                     std::string_view refresh_token, std::int64_t refresh_max_age_seconds);
// Expires both cookies.
void ClearTokenCookies(HttpResponse& response, const HttpRequest& request);

// ---- requests --------------------------------------------------------------------------

// The request body as JSON. An empty body is `{}`. kInvalidArgument with the general error
// [invalidJSON] for malformed JSON, nesting deeper than 64, or a top level that is not an
// object.
Result<nlohmann::json> ParseJsonBody(const HttpRequest& request);
// The member `name` of a request object; kInvalidArgument [missing]name when absent or null.
Result<const nlohmann::json*> RequiredMember(const nlohmann::json& body, std::string_view name);
// PATCH: `current` (the object's envelope, e.g. {"user": {...}}) changed by the request body —
// a JSON Patch array for application/json-patch+json, else a merge patch (application/json
// and application/merge-patch+json). kInvalidArgument [invalidJSON] for a malformed body or
// a patch that does not apply.
Result<nlohmann::json> ApplyPatch(const HttpRequest& request, nlohmann::json current);
// The cookie's value, if the request carries it.
std::optional<std::string> FindCookie(const HttpRequest& request, std::string_view name);
// The bearer token of `Authorization: Bearer <jwt>`, else the access_token cookie.
std::optional<std::string> BearerOrCookieToken(const HttpRequest& request);
// The client's address: the first X-Forwarded-For entry, else the peer's address.
std::string ClientAddress(const HttpRequest& request);

// FusionAuth's TypeScript client sends an absent optional query value as the text `null` or
// `undefined` (`revokeRefreshToken(token, null, null)` sends `&userId=null&applicationId=null`).
// True when `query` has such a value; WithoutAbsentQueryValues drops those parameters. The
// Router applies it to every request before the handler runs, so FindQuery, QueryId and
// QueryBool in handlers see such a parameter as absent.
bool HasAbsentQueryValues(const QueryParams& query);
QueryParams WithoutAbsentQueryValues(const QueryParams& query);
// Query parameter helpers: absent → nullopt; unparsable → kInvalidArgument
// [couldNotConvert]name.
Result<std::optional<bool>> QueryBool(const HttpRequest& request, std::string_view name);
template <typename IdT>
Result<std::optional<IdT>> QueryId(const HttpRequest& request, std::string_view name) {
  std::optional<std::string_view> text = FindQuery(request.query, name);
  if (!text.has_value() || text->empty()) return std::optional<IdT>();
  Result<IdT> id = IdT::Parse(*text);
  if (!id.ok()) {
    return Status::FieldError("couldNotConvert", name, "Invalid [" + std::string(name) + "].");
  }
  return std::optional<IdT>(*id);
}
// A path segment as an id; kInvalidArgument [couldNotConvert]name when it is not a UUID.
template <typename IdT>
Result<IdT> PathId(std::string_view segment, std::string_view name) {
  Result<IdT> id = IdT::Parse(segment);
  if (!id.ok()) {
    return Status::FieldError("couldNotConvert", name, "Invalid [" + std::string(name) + "].");
  }
  return *id;
}

// ---- logins ----------------------------------------------------------------------------

// The HTTP form of a login outcome (Login API, identity-provider login): the outcome as the
// status; LoginResponse JSON for statuses with a body; the token cookies and no-store when a
// token was issued.
HttpResponse LoginHttpResponse(Call& call, const LoginResponse& response);
// body.ipAddress, else X-Forwarded-For, else the peer.
std::string LoginAddress(const HttpRequest& request, std::string_view body_address);

// ---- tenants ---------------------------------------------------------------------------

// The tenant the call acts in: X-FusionAuth-TenantId or the key's tenant; else the only
// tenant when there is exactly one; else kInvalidArgument [TenantIdRequired].
Result<TenantId> RequireTenant(Call& call);
// kNotFound when the call is scoped to a tenant and `owner` is another one.
Status CheckTenant(const Call& call, TenantId owner);

}  // namespace bulwark::http::internal

// In a handler: evaluates `expr` (a Result); on error returns its ErrorResponse.
#define BULWARK_HTTP_TRY(lhs, expr) \
  BULWARK_HTTP_TRY_IMPL(BULWARK_INTERNAL_CONCAT(bulwark_http_, __LINE__), lhs, expr)
#define BULWARK_HTTP_TRY_IMPL(tmp, lhs, expr)                                   \
  auto tmp = (expr);                                                            \
  if (!tmp.ok()) return ::bulwark::http::internal::ErrorResponse(tmp.status()); \
  lhs = std::move(tmp).value()
#define BULWARK_HTTP_CHECK(expr)                                            \
  do {                                                                      \
    ::bulwark::Status bulwark_http_status = (expr);                         \
    if (!bulwark_http_status.ok())                                          \
      return ::bulwark::http::internal::ErrorResponse(bulwark_http_status); \
  } while (false)

#endif  // BULWARK_HTTP_API_SUPPORT_H_
