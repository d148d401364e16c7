// SPDX-License-Identifier: Apache-2.0
#include "bulwark/http/router.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/engine.h"
#include "core/ascii.h"
#include "http/api_key_auth.h"
#include "http/api_support.h"

namespace bulwark::http {

using internal::Access;
using internal::Call;
using internal::Route;

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    if (slash == 0) {
      path.remove_prefix(1);
      continue;
    }
    segments.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return segments;
}

struct CompiledRoute {
  Route route;
  std::vector<std::string_view> segments;
  int literals = 0;
};

// FusionAuth's own REST paths under the prefixes the Router serves, ids as '*': every path of
// the pinned @fusionauth/typescript-client 1.69.0 (withUri plus its literal withUriSegment
// parts; one that begins another is left out), which covers the reference's endpoint list.
// A route's wildcard never takes a segment that one of these paths has as a literal at that
// place, so an endpoint of FusionAuth's that the Router does not serve (/api/user/search,
// /api/user/change-password, /api/identity-provider/start, ...) is an unknown path, 404,
// instead of a call of /api/user/{userId} answering 400, 401 or 405. An id that is not a UUID
// still reaches its route (400 [couldNotConvert]userId).
constexpr std::string_view kFusionAuthPaths[] = {
    "/api/api-key/*",
    "/api/application/search",
    "/api/application/*/oauth-configuration",
    "/api/application/*/role/*",
    "/api/application/*/scope/*",
    "/api/identity-provider/link/pending/*",
    "/api/identity-provider/login",
    "/api/identity-provider/lookup",
    "/api/identity-provider/search",
    "/api/identity-provider/start",
    "/api/identity-provider/test",
    "/api/identity-provider/*",
    "/api/jwt/issue",
    "/api/jwt/public-key",
    "/api/jwt/reconcile",
    "/api/jwt/refresh/*",
    "/api/jwt/validate",
    "/api/jwt/vend",
    "/api/key/generate/*",
    "/api/key/import/*",
    "/api/key/search",
    "/api/key/*",
    "/api/login/*/*",
    "/api/tenant/password-validation-rules/*",
    "/api/tenant/search",
    "/api/tenant/*",
    "/api/user/action/*",
    "/api/user/bulk",
    "/api/user/change-password/*",
    "/api/user/comment/search",
    "/api/user/comment/*",
    "/api/user/consent/*",
    "/api/user/family/pending",
    "/api/user/family/request",
    "/api/user/family/*/*",
    "/api/user/forgot-password",
    "/api/user/import",
    "/api/user/recent-login",
    "/api/user/refresh-token/import",
    "/api/user/registration/*/*",
    "/api/user/search",
    "/api/user/two-factor/recovery-code/*",
    "/api/user/two-factor/*",
    "/api/user/verify-email/*",
    "/api/user/verify-registration/*",
    "/api/user/*",
};

// A request path split into segments, and for each segment whether one of FusionAuth's paths
// has it as a literal there, after segments that path also has (a '*' there takes any). That
// takes a pass over every FusionAuth path, so it is worked out the first time a route's
// wildcard asks, which most requests' routes never do.
class RequestPath {
 public:
  RequestPath(std::string_view path, const std::vector<std::vector<std::string_view>>& known)
      : segments_(Segments(path)), known_(known) {}

  const std::vector<std::string_view>& segments() const { return segments_; }

  bool Reserved(std::size_t i) const {
    if (!reserved_.has_value()) {
      std::vector<bool> out(segments_.size(), false);
      for (const std::vector<std::string_view>& known : known_) {
        for (std::size_t j = 0; j < known.size() && j < segments_.size(); ++j) {
          if (known[j] == "*") continue;
          if (known[j] != segments_[j]) break;
          out[j] = true;
        }
      }
      reserved_ = std::move(out);
    }
    return (*reserved_)[i];
  }

 private:
  std::vector<std::string_view> segments_;
  const std::vector<std::vector<std::string_view>>& known_;
  mutable std::optional<std::vector<bool>> reserved_;
};

// True when `path` fits the route; the wildcard segments go to `params`. A wildcard does not
// take a reserved segment.
bool Matches(const CompiledRoute& route, const RequestPath& request_path,
             std::vector<std::string>* params) {
  const std::vector<std::string_view>& path = request_path.segments();
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (route.segments[i] == "*") continue;
    if (route.segments[i] != path[i]) return false;
  }
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (route.segments[i] == "*" && request_path.Reserved(i)) return false;
  }
  if (params != nullptr) {
    params->clear();
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (route.segments[i] == "*") params->emplace_back(path[i]);
    }
  }
  return true;
}

// The API key's permission for `route`: no endpoints listed means every endpoint.
bool Permits(const ApiKey& key, const Route& route) {
  if (key.endpoint_permissions.empty()) return true;
  auto found = key.endpoint_permissions.find(std::string(route.endpoint));
  if (found == key.endpoint_permissions.end()) return false;
  return std::find(found->second.begin(), found->second.end(), route.method) != found->second.end();
}

}  // namespace

struct Router::Impl {
  Engine& engine;
  RouterOptions options;
  std::shared_ptr<Logger> logger;
  std::vector<CompiledRoute> routes;
  std::vector<std::vector<std::string_view>> fusionauth_paths;  // kFusionAuthPaths, split
  std::unique_ptr<oauth2::AuthorizationServer> oauth;           // null when its options are invalid

  Impl(Engine& e, RouterOptions o) : engine(e), options(std::move(o)) {
    logger = options.logger != nullptr ? options.logger
                                       : std::shared_ptr<Logger>(&Logger::Null(), [](Logger*) {});
    std::vector<Route> table;
    internal::AddTenantAndApplicationRoutes(table);
    internal::AddUserRoutes(table);
    internal::AddLoginAndJwtRoutes(table);
    internal::AddKeyRoutes(table);
    internal::AddIdentityProviderRoutes(table);
    internal::AddApiKeyRoutes(table);
    internal::AddOAuth2Routes(table);
    for (const Route& route : table) {
      CompiledRoute compiled{.route = route, .segments = Segments(route.pattern)};
      for (std::string_view segment : compiled.segments) {
        if (segment != "*") ++compiled.literals;
      }
      routes.push_back(std::move(compiled));
    }
    for (std::string_view known : kFusionAuthPaths) fusionauth_paths.push_back(Segments(known));
    Result<std::unique_ptr<oauth2::AuthorizationServer>> server =
        oauth2::AuthorizationServer::Create(engine, options.oauth);
    if (server.ok()) {
      oauth = std::move(server).value();
    } else {
      logger->Log(LogLevel::kError,
                  "the OAuth endpoints are not served: " + std::string(server.status().message()));
    }
  }

  HttpResponse Dispatch(const HttpRequest& request) const;
  HttpResponse Authorize(const CompiledRoute& route, Call& call) const;
};

Router::Router(Engine& engine, RouterOptions options)
    : impl_(std::make_unique<Impl>(engine, std::move(options))) {}

Router::~Router() = default;

HttpResponse Router::Handle(const HttpRequest& request) const noexcept {
  try {
    return impl_->Dispatch(request);
  } catch (const std::exception& e) {
    impl_->logger->Log(LogLevel::kError,
                       "router: " + request.method + " " + request.path + " failed: " + e.what());
  } catch (...) {
    impl_->logger->Log(LogLevel::kError,
                       "router: " + request.method + " " + request.path + " failed");
  }
  HttpResponse response;
  response.status = 500;
  return response;
}

HttpResponse Router::Impl::Dispatch(const HttpRequest& request) const {
  if (request.body.size() > options.max_body_bytes) return internal::EmptyResponse(413);
  if (request.method == "HEAD") {
    // HEAD is GET without the body (RFC 9110 §9.3.2); the headers stay, Content-Type included.
    HttpRequest get = request;
    get.method = "GET";
    HttpResponse response = Dispatch(get);
    response.body.clear();
    return response;
  }
  const RequestPath path(request.path, fusionauth_paths);

  // The most specific patterns that fit the path (most literal segments) win; among them the
  // method decides.
  int best = -1;
  for (const CompiledRoute& route : routes) {
    if (route.literals > best && Matches(route, path, nullptr)) best = route.literals;
  }
  if (best < 0) return internal::EmptyResponse(404);
  const CompiledRoute* chosen = nullptr;
  std::string allow;
  for (const CompiledRoute& route : routes) {
    if (route.literals != best || !Matches(route, path, nullptr)) continue;
    if (route.route.method == request.method) {
      chosen = &route;
      break;
    }
    if (allow.find(route.route.method) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow += route.route.method;
    }
  }
  if (chosen == nullptr) {
    HttpResponse response = internal::EmptyResponse(405);
    internal::AddHeader(response, "Allow", allow);
    return response;
  }

  // FusionAuth's TypeScript client sends an absent optional query value as `null` or
  // `undefined`; no handler sees those parameters.
  std::optional<HttpRequest> cleaned;
  if (internal::HasAbsentQueryValues(request.query)) {
    cleaned = request;
    cleaned->query = internal::WithoutAbsentQueryValues(request.query);
  }
  Call call{.engine = engine,
            .request = cleaned.has_value() ? *cleaned : request,
            .logger = *logger,
            .oauth = oauth.get()};
  Matches(*chosen, path, &call.params);
  HttpResponse refused = Authorize(*chosen, call);
  if (refused.status != 0) return refused;
  return chosen->route.handler(call);
}

// Resolves the API key and the tenant of the call. Returns a response with status 0 when the
// call may go on.
HttpResponse Router::Impl::Authorize(const CompiledRoute& route, Call& call) const {
  HttpResponse go_on;
  go_on.status = 0;
  const HttpRequest& request = call.request;

  std::optional<std::string_view> authorization = FindHeader(request.headers, "Authorization");
  if (authorization.has_value()) {
    std::string_view value = *authorization;
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    const bool has_scheme = (value.size() > 7 && bulwark::internal::AsciiEqualsIgnoreCase(
                                                     value.substr(0, 7), "Bearer ")) ||
                            (value.size() > 6 && bulwark::internal::AsciiEqualsIgnoreCase(
                                                     value.substr(0, 6), "Basic "));
    if (!value.empty() && !has_scheme) {
      call.api_key_presented = true;
      Result<ApiKey> key = internal::AuthenticateApiKey(engine, value);
      if (key.ok()) {
        call.api_key = std::move(key).value();
      } else if (key.status().code() != StatusCode::kUnauthenticated) {
        return internal::ErrorResponse(key.status());  // e.g. 503: the store is unavailable
      }
    }
  }

  const bool key_required =
      route.route.access == Access::kApiKey || route.route.access == Access::kKeyManager;
  if (key_required) {
    if (!call.api_key.has_value() || !Permits(*call.api_key, route.route)) {
      return internal::EmptyResponse(401);
    }
    if (route.route.access == Access::kKeyManager && !call.api_key->key_manager) {
      return internal::EmptyResponse(401);
    }
  }
  if (call.api_key.has_value() && !Permits(*call.api_key, route.route)) {
    // A key sent to a public route it may not call is ignored, not refused.
    call.api_key.reset();
  }

  std::optional<std::string_view> tenant_header =
      FindHeader(request.headers, "X-FusionAuth-TenantId");
  if (tenant_header.has_value() && !tenant_header->empty()) {
    Result<TenantId> tenant = TenantId::Parse(*tenant_header);
    if (!tenant.ok()) {
      return internal::GeneralError("[invalid]X-FusionAuth-TenantId",
                                    "The X-FusionAuth-TenantId header is not a valid id.");
    }
    Result<Tenant> exists = engine.tenants().Retrieve(*tenant);
    if (!exists.ok()) {
      if (exists.status().code() != StatusCode::kNotFound) {
        return internal::ErrorResponse(exists.status());
      }
      return internal::GeneralError("[invalid]X-FusionAuth-TenantId",
                                    "The X-FusionAuth-TenantId header names no tenant.");
    }
    call.tenant_id = *tenant;
  }
  if (call.api_key.has_value() && call.api_key->tenant_id.has_value()) {
    // A tenant-locked key acts only in its tenant.
    if (call.tenant_id.has_value() && *call.tenant_id != *call.api_key->tenant_id) {
      return internal::EmptyResponse(401);
    }
    call.tenant_id = call.api_key->tenant_id;
  }
  return go_on;
}

}  // namespace bulwark::http
