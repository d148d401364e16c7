// SPDX-License-Identifier: Apache-2.0
#include "http/api_support.h"

#include <cstddef>
#include <limits>
#include <string>
#include <utility>

#include "core/ascii.h"
#include "json/parse.h"
#include "json/write.h"

namespace bulwark::http::internal {
namespace {

constexpr std::string_view kJsonContentType = "application/json;charset=UTF-8";
constexpr int kMaxJsonDepth = 64;

nlohmann::json EntryJson(const ErrorEntry& entry) {
  return {{"code", entry.code}, {"message", entry.message}};
}

Status InvalidJson(std::string_view message) {
  Errors errors;
  errors.AddGeneral("[invalidJSON]", message);
  return Status(StatusCode::kInvalidArgument, message, std::move(errors));
}

// Request bodies: 64 levels (FusionAuth's objects nest a handful), the last of duplicated
// members wins as it always has, and no size bound here: Dispatch bounds the body first.
constexpr bulwark::internal::ParseOptions kBodyJsonOptions{
    .max_depth = kMaxJsonDepth,
    .reject_duplicate_keys = false,
    .max_bytes = std::numeric_limits<std::size_t>::max()};

// The body as any JSON value, or the [invalidJSON] error the Router answers with.
Result<nlohmann::json> ParseBody(std::string_view body) {
  bulwark::internal::JsonParseError error;
  Result<nlohmann::json> json = bulwark::internal::ParseJson(body, kBodyJsonOptions, &error);
  if (json.ok()) return json;
  if (error.kind == bulwark::internal::JsonParseError::Kind::kTooDeep) {
    return InvalidJson("The request body nests deeper than 64 levels.");
  }
  return InvalidJson("Invalid JSON in the request body: it could not be parsed (line " +
                     std::to_string(error.line) + ", column " + std::to_string(error.column) +
                     ").");
}

bool IsAbsentQueryValue(std::string_view value) { return value == "null" || value == "undefined"; }

std::string CookieAttributes(const HttpRequest& request) {
  std::string attributes = "; Path=/; HttpOnly; SameSite=Strict";
  if (request.scheme == "https") attributes += "; Secure";
  return attributes;
}

}  // namespace

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  Result<std::string> text = bulwark::internal::WriteJson(body);
  // Invalid UTF-8 (only from a host's callback or stored data) is replaced, not refused.
  return JsonTextResponse(
      status, text.ok() ? std::move(text).value()
                        : body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpResponse JsonTextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Type", std::string(kJsonContentType));
  return response;
}

HttpResponse EmptyResponse(int status) {
  HttpResponse response;
  response.status = status;
  return response;
}

nlohmann::json ErrorsJson(const Errors& errors) {
  nlohmann::json body = nlohmann::json::object();
  if (!errors.field_errors.empty()) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [path, entries] : errors.field_errors) {
      nlohmann::json list = nlohmann::json::array();
      for (const ErrorEntry& entry : entries) list.push_back(EntryJson(entry));
      fields[path] = std::move(list);
    }
    body["fieldErrors"] = std::move(fields);
  }
  if (!errors.general_errors.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const ErrorEntry& entry : errors.general_errors) list.push_back(EntryJson(entry));
    body["generalErrors"] = std::move(list);
  }
  return body;
}

HttpResponse GeneralError(std::string_view code, std::string_view message) {
  Errors errors;
  errors.AddGeneral(code, message);
  return JsonResponse(400, ErrorsJson(errors));
}

HttpResponse ErrorResponse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return EmptyResponse(200);
    case StatusCode::kNotFound:
      return EmptyResponse(404);
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return EmptyResponse(401);
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kResourceExhausted:
      if (!status.errors().empty()) return JsonResponse(400, ErrorsJson(status.errors()));
      return GeneralError("[InvalidRequest]", status.message());
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return EmptyResponse(503);
    default:
      return EmptyResponse(500);
  }
}

void AddHeader(HttpResponse& response, std::string name, std::string value) {
  response.headers.emplace_back(std::move(name), std::move(value));
}

void AddNoStore(HttpResponse& response) {
  AddHeader(response, "Cache-Control", "no-store");
  AddHeader(response, "Pragma", "no-cache");
}

void SetTokenCookies(HttpResponse& response, const HttpRequest& request, std::string_view token,
                     std::string_view refresh_token, std::int64_t refresh_max_age_seconds) {
  const std::string attributes = CookieAttributes(request);
  if (!token.empty()) {
    std::string cookie;
    cookie.reserve(13 + token.size() + attributes.size());
    cookie.append("access_token=").append(token).append(attributes);
    AddHeader(response, "Set-Cookie", std::move(cookie));
  }
  if (!refresh_token.empty()) {
    const std::string max_age = std::to_string(refresh_max_age_seconds);
    std::string cookie;
    cookie.reserve(24 + refresh_token.size() + max_age.size() + attributes.size());
    cookie.append("refresh_token=").append(refresh_token).append("; Max-Age=").append(max_age);
    cookie.append(attributes);
    AddHeader(response, "Set-Cookie", std::move(cookie));
  }
}

void ClearTokenCookies(HttpResponse& response, const HttpRequest& request) {
  const std::string attributes = "; Max-Age=0" + CookieAttributes(request);
  AddHeader(response, "Set-Cookie", "access_token=" + attributes);
  AddHeader(response, "Set-Cookie", "refresh_token=" + attributes);
}

Result<nlohmann::json> ParseJsonBody(const HttpRequest& request) {
  std::string_view body = request.body;
  std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return nlohmann::json::object();
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json json, ParseBody(body));
  if (!json.is_object()) return InvalidJson("Invalid JSON in the request body: not an object.");
  return json;
}

Result<const nlohmann::json*> RequiredMember(const nlohmann::json& body, std::string_view name) {
  auto found = body.find(name);
  if (found == body.end() || found->is_null()) {
    return Status::FieldError("missing", name,
                              "You must specify the [" + std::string(name) + "] property.");
  }
  return &*found;
}

Result<nlohmann::json> ApplyPatch(const HttpRequest& request, nlohmann::json current) {
  std::optional<std::string_view> type = FindHeader(request.headers, "Content-Type");
  const bool json_patch = type.has_value() && bulwark::internal::AsciiLower(*type).starts_with(
                                                  "application/json-patch+json");
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json patch, ParseBody(request.body));
  if (json_patch) {
    if (!patch.is_array()) return InvalidJson("A JSON Patch body must be an array.");
    try {
      return current.patch(patch);
    } catch (const nlohmann::json::exception&) {
      return InvalidJson("The JSON Patch could not be applied.");
    }
  }
  if (!patch.is_object()) return InvalidJson("Invalid JSON in the request body: not an object.");
  current.merge_patch(patch);
  return current;
}

std::optional<std::string> FindCookie(const HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (!bulwark::internal::AsciiEqualsIgnoreCase(header, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view piece = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
      const std::size_t eq = piece.find('=');
      if (eq == std::string_view::npos || piece.substr(0, eq) != name) continue;
      std::string_view cookie = piece.substr(eq + 1);
      while (!cookie.empty() && cookie.back() == ' ') cookie.remove_suffix(1);
      if (cookie.size() >= 2 && cookie.front() == '"' && cookie.back() == '"') {
        cookie = cookie.substr(1, cookie.size() - 2);
      }
      return std::string(cookie);
    }
  }
  return std::nullopt;
}

std::optional<std::string> BearerOrCookieToken(const HttpRequest& request) {
  if (std::optional<std::string_view> auth = FindHeader(request.headers, "Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (auth->size() > kBearer.size() &&
        bulwark::internal::AsciiEqualsIgnoreCase(auth->substr(0, kBearer.size()), kBearer)) {
      return std::string(auth->substr(kBearer.size()));
    }
  }
  return FindCookie(request, "access_token");
}

std::string ClientAddress(const HttpRequest& request) {
  if (std::optional<std::string_view> forwarded = FindHeader(request.headers, "X-Forwarded-For")) {
    std::string_view first = forwarded->substr(0, forwarded->find(','));
    while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
    while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
    if (!first.empty()) return std::string(first);
  }
  return request.remote_address;
}

bool HasAbsentQueryValues(const QueryParams& query) {
  for (const auto& [name, value] : query) {
    if (IsAbsentQueryValue(value)) return true;
  }
  return false;
}

QueryParams WithoutAbsentQueryValues(const QueryParams& query) {
  QueryParams out;
  for (const auto& [name, value] : query) {
    if (!IsAbsentQueryValue(value)) out.emplace_back(name, value);
  }
  return out;
}

Result<std::optional<bool>> QueryBool(const HttpRequest& request, std::string_view name) {
  std::optional<std::string_view> text = FindQuery(request.query, name);
  if (!text.has_value() || text->empty()) return std::optional<bool>();
  if (*text == "true") return std::optional<bool>(true);
  if (*text == "false") return std::optional<bool>(false);
  return Status::FieldError("couldNotConvert", name, "Invalid [" + std::string(name) + "].");
}

Result<TenantId> RequireTenant(Call& call) {
  if (call.tenant_id.has_value()) return *call.tenant_id;
  BULWARK_ASSIGN_OR_RETURN(std::vector<Tenant> tenants, call.engine.tenants().RetrieveAll());
  if (tenants.size() == 1) return tenants.front().id;
  Errors errors;
  errors.AddGeneral("[TenantIdRequired]",
                    "A Tenant Id is required to complete this request. To complete this request, "
                    "you must specify a Tenant Id using the X-FusionAuth-TenantId HTTP header.");
  return Status(StatusCode::kInvalidArgument, "a tenant id is required", std::move(errors));
}

Status CheckTenant(const Call& call, TenantId owner) {
  if (call.tenant_id.has_value() && *call.tenant_id != owner) {
    return Status::NotFound("the object belongs to another tenant");
  }
  return Status::Ok();
}

}  // namespace bulwark::http::internal
