// SPDX-License-Identifier: Apache-2.0
// The refresh_token grant (RFC 6749 §6): the Engine's refresh (TokenService::Refresh: the
// tenant's and application's policies, sliding windows, one-time use with its grace period,
// revocation on reuse) for a refresh token issued to this client, with a `scope` that may
// only narrow what the token was granted. An openid scope brings a new id token.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/token_service.h"
#include "oauth2/grants.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {
namespace {

std::vector<std::string> SplitScopes(std::string_view scope) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < scope.size()) {
    const std::size_t end = std::min(scope.find(' ', at), scope.size());
    if (end > at) {
      std::string one(scope.substr(at, end - at));
      if (std::find(out.begin(), out.end(), one) == out.end()) out.push_back(std::move(one));
    }
    at = end + 1;
  }
  return out;
}

}  // namespace

TokenResult RefreshTokenGrant(ServerContext& server, const GrantRequest& grant) {
  const TokenRequest& request = grant.request;
  const Application& app = grant.application;
  if (std::optional<OAuthErrorResponse> refused =
          AuthenticateGrantClient(grant, GrantType::kRefreshToken)) {
    return *refused;
  }
  if (!request.refresh_token.has_value() || request.refresh_token->empty()) {
    return ErrorResponse("invalid_request", "missing_refresh_token",
                         "The request is missing a required parameter: refresh_token");
  }
  RefreshRequest refresh{.refresh_token = *request.refresh_token,
                         .ip_address = request.ip_address,
                         .tenant_id = grant.tenant.id,
                         .client_id = app.id};
  if (request.scope.has_value()) refresh.scopes = SplitScopes(*request.scope);
  Result<RefreshResponse> refreshed = server.engine.tokens().Refresh(refresh);
  if (!refreshed.ok()) {
    const Status& status = refreshed.status();
    if (status.code() == StatusCode::kInvalidArgument) {
      if (status.errors().field_errors.contains("scope")) {
        return ErrorResponse("invalid_scope", "unknown_scope",
                             "The scope asks for more than the refresh token was granted.");
      }
      return ErrorResponse("invalid_grant", "refresh_token_not_found",
                           "The refresh token is not valid: unknown, expired, revoked or used.");
    }
    return ServerError(server, status);
  }
  TokenResponse response;
  response.access_token = std::move(refreshed->token);
  response.expires_in = SecondsUntil(server, refreshed->token_expiration_instant);
  response.refresh_token = std::move(refreshed->refresh_token);
  response.refresh_token_id = refreshed->refresh_token_id;
  response.scope = JoinScopes(refreshed->scopes);
  response.user_id = refreshed->user_id;
  if (HasScope(refreshed->scopes, "openid")) {
    internal::EngineContext& ctx = server.ctx;
    Result<User> user = ctx.store->users().Get(refreshed->user_id);
    if (!user.ok()) return ServerError(server, user.status());
    Result<Registration> registration = ctx.store->registrations().Get(refreshed->user_id, app.id);
    User shown = *std::move(user);
    shown.registrations.clear();
    if (registration.ok()) shown.registrations.push_back(*std::move(registration));
    Result<std::string> id_token =
        SignIdToken(server, grant.tenant, app, shown,
                    IdTokenFacts{.scopes = &refreshed->scopes,
                                 .auth_time = refreshed->auth_time.value_or(ctx.Now()),
                                 .authentication_type = AuthenticationType::kRefreshToken,
                                 .access_token = response.access_token});
    if (!id_token.ok()) return ServerError(server, id_token.status());
    response.id_token = *std::move(id_token);
  }
  return response;
}

}  // namespace bulwark::oauth2
