// SPDX-License-Identifier: Apache-2.0
// Token introspection (RFC 7662) and revocation (RFC 7009). Both authenticate the client as
// the token endpoint does for a grant without a code (clientAuthenticationPolicy), and only
// speak about tokens issued to it: introspecting another client's token is FusionAuth's 401,
// revoking one is refused. Access tokens are JWTs (active while they verify); refresh tokens
// are looked up by digest.
#include <chrono>
#include <string>
#include <utility>

#include "crypto/secrets.h"
#include "engine/token_issuer.h"
#include "oauth2/client_authentication.h"
#include "oauth2/endpoints.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {
namespace {

std::int64_t EpochSeconds(Instant t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The client, authenticated under its policy; or the 401.
std::variant<Application, OAuthErrorResponse> AuthenticatedClient(
    ServerContext& server, const TokenInspectionRequest& request) {
  if (!request.client_id.has_value() || request.client_id->empty()) {
    return InvalidClient("missing_client_id",
                         "The request is missing a required parameter: client_id");
  }
  Result<ApplicationId> id = ApplicationId::Parse(*request.client_id);
  if (!id.ok()) return InvalidClient("invalid_client_id", "The client_id is not valid.");
  Result<Application> app = server.ctx.LoadApplication(*id);
  if (!app.ok()) {
    if (app.status().code() != StatusCode::kNotFound) return ServerError(server, app.status());
    return InvalidClient("invalid_client_id", "The client_id is not valid.");
  }
  if (!app->active) return InvalidClient("invalid_client_id", "The client_id is not valid.");
  PresentedSecret presented;
  if (request.client_secret.has_value()) presented.secret = *request.client_secret;
  ClientAuthentication checked =
      AuthenticateClient(*app, presented, GrantType::kRefreshToken, /*code_has_challenge=*/false);
  if (checked.error.has_value()) return ErrorResponse(*checked.error, 401);
  return *std::move(app);
}

// The stored refresh token whose value is `value`, when it is one and still usable.
Result<std::optional<RefreshToken>> LiveRefreshToken(ServerContext& server,
                                                     std::string_view value) {
  internal::EngineContext& ctx = server.ctx;
  Result<RefreshToken> found =
      ctx.store->refresh_tokens().FindByToken(internal::Sha256Base64Url(value));
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return std::optional<RefreshToken>();
    return found.status();
  }
  return std::optional<RefreshToken>(*std::move(found));
}

OAuthErrorResponse NotThisClients() {
  return InvalidClient("client_id_mismatch", "The token was not issued to this client.");
}

}  // namespace

IntrospectResult Introspect(ServerContext& server, const TokenInspectionRequest& request) {
  std::variant<Application, OAuthErrorResponse> client = AuthenticatedClient(server, request);
  if (auto* error = std::get_if<OAuthErrorResponse>(&client)) return *error;
  const Application& app = std::get<Application>(client);
  const nlohmann::json inactive = {{"active", false}};
  if (!request.token.has_value() || request.token->empty()) {
    return ErrorResponse("invalid_request", "unknown",
                         "The request is missing a required parameter: token");
  }
  // An access token: ours while it verifies, in the client's tenant.
  Result<nlohmann::json> claims =
      server.engine.tokens().Validate(*request.token, {.tenant_id = app.tenant_id});
  if (claims.ok()) {
    const auto aud = claims->find("aud");
    if (aud == claims->end() || !aud->is_string() || *aud != app.id.ToString()) {
      return NotThisClients();
    }
    nlohmann::json out = *std::move(claims);
    out["active"] = true;
    out["client_id"] = app.id.ToString();
    out["token_type"] = "Bearer";
    return out;
  }
  if (claims.status().code() != StatusCode::kUnauthenticated) {
    return ServerError(server, claims.status());
  }
  // A refresh token.
  Result<std::optional<RefreshToken>> token = LiveRefreshToken(server, *request.token);
  if (!token.ok()) return ServerError(server, token.status());
  if (!token->has_value()) return inactive;
  const RefreshToken& refresh = **token;
  if (refresh.tenant_id != app.tenant_id) return inactive;
  if (refresh.application_id != app.id) return NotThisClients();
  Result<Tenant> tenant = server.ctx.LoadTenant(refresh.tenant_id);
  if (!tenant.ok()) return ServerError(server, tenant.status());
  const Instant expiry =
      internal::RefreshTokenExpiry(refresh, internal::EffectiveJwtConfiguration(*tenant, &app));
  if (expiry <= server.ctx.Now()) return inactive;
  nlohmann::json out = {{"active", true},
                        {"client_id", app.id.ToString()},
                        {"sub", refresh.user_id.ToString()},
                        {"tid", refresh.tenant_id.ToString()},
                        {"exp", EpochSeconds(expiry)},
                        {"token_type", "refresh_token"}};
  if (refresh.insert_instant.has_value()) out["iat"] = EpochSeconds(*refresh.insert_instant);
  if (!refresh.meta_data.scopes.empty()) out["scope"] = JoinScopes(refresh.meta_data.scopes);
  return out;
}

RevokeResult Revoke(ServerContext& server, const TokenInspectionRequest& request) {
  std::variant<Application, OAuthErrorResponse> client = AuthenticatedClient(server, request);
  if (auto* error = std::get_if<OAuthErrorResponse>(&client)) return *error;
  const Application& app = std::get<Application>(client);
  if (!request.token.has_value() || request.token->empty()) {
    return ErrorResponse("invalid_request", "unknown",
                         "The request is missing a required parameter: token");
  }
  Result<std::optional<RefreshToken>> token = LiveRefreshToken(server, *request.token);
  if (!token.ok()) return ServerError(server, token.status());
  // RFC 7009 §2.2: an unknown token (or an access token, which cannot be revoked) is 200.
  if (!token->has_value() || (*token)->tenant_id != app.tenant_id) return std::nullopt;
  if ((*token)->application_id != app.id) {
    return ErrorResponse("unauthorized_client", "client_id_mismatch",
                         "The token was not issued to this client.");
  }
  Status revoked = server.engine.tokens().RevokeRefreshTokenById((*token)->id);
  if (!revoked.ok() && revoked.code() != StatusCode::kNotFound) {
    return ServerError(server, revoked);
  }
  return std::nullopt;
}

}  // namespace bulwark::oauth2
