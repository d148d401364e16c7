// SPDX-License-Identifier: Apache-2.0
// The client_credentials grant (RFC 6749 §4.4) for applications: the application
// authenticates as itself and is the token's subject; the scopes are its custom scopes (the
// OpenID Connect ones name a user and are dropped). FusionAuth offers the grant only for
// Entities; this is the application form of it. No refresh token, no id token.
#include <chrono>
#include <string>
#include <utility>

#include "bulwark/crypto/jwt.h"
#include "engine/token_issuer.h"
#include "oauth2/client_authentication.h"
#include "oauth2/grants.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {
namespace {

bool IsUserScope(std::string_view scope) {
  return scope == "openid" || scope == "offline_access" || scope == "profile" || scope == "email" ||
         scope == "address" || scope == "phone";
}

}  // namespace

TokenResult ClientCredentialsGrant(ServerContext& server, const GrantRequest& grant) {
  const TokenRequest& request = grant.request;
  const Application& app = grant.application;
  internal::EngineContext& ctx = server.ctx;
  if (std::optional<OAuthErrorResponse> refused =
          AuthenticateGrantClient(grant, GrantType::kClientCredentials)) {
    return *refused;
  }
  ScopeResolution resolved = ResolveScopes(request.scope.value_or(""), app);
  if (resolved.error.has_value()) return ErrorResponse(*resolved.error);
  std::vector<std::string> scopes;
  for (std::string& scope : resolved.scopes) {
    if (!IsUserScope(scope)) scopes.push_back(std::move(scope));
  }
  Result<SigningKey> key = ctx.signing_keys.ForAccessToken(ctx, grant.tenant, &app);
  if (!key.ok()) return ServerError(server, key.status());
  const JwtConfiguration& config = internal::EffectiveJwtConfiguration(grant.tenant, &app);
  Result<EventId> jti = ctx.NewId<EventId>();  // any random UUID
  if (!jti.ok()) return ServerError(server, jti.status());
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(ctx.Now().time_since_epoch()).count();
  nlohmann::json claims = {
      {"aud", app.id.ToString()},
      {"exp", now + config.time_to_live_in_seconds},
      {"iat", now},
      {"iss", grant.tenant.issuer},
      {"sub", app.id.ToString()},
      {"jti", jti->ToString()},
      {"tid", grant.tenant.id.ToString()},
  };
  const std::string scope = JoinScopes(scopes);
  if (!scope.empty()) claims["scope"] = scope;
  Result<std::string> token =
      SignJwt({{"gty", nlohmann::json::array({"client_credentials"})}}, claims, *key);
  if (!token.ok()) return ServerError(server, token.status());
  TokenResponse response;
  response.access_token = *std::move(token);
  response.expires_in = config.time_to_live_in_seconds;
  response.scope = scope;
  return response;
}

}  // namespace bulwark::oauth2
