// SPDX-License-Identifier: Apache-2.0
//
// TokenService: FusionAuth's JWT API in-process — validate access tokens, refresh them with
// refresh tokens, list and revoke refresh tokens, log out (/api/jwt/validate,
// /api/jwt/refresh, /api/logout). Obtain it from Engine::tokens().
//
// Refresh tokens are random 32-byte values (base64url); the store keeps only their SHA-256
// digest. Expiry follows the jwtConfiguration in force (the application's when enabled,
// else the tenant's): Fixed counts from issue; SlidingWindow from the last use;
// SlidingWindowWithMaximumLifetime from the last use, capped at issue + maximum lifetime.
// OneTimeUse tokens get a new value on every refresh; presenting the previous value again
// within gracePeriodInSeconds of the rotation returns the current value without rotating
// (it is kept sealed under a key derived from the previous value, so only that value's
// holder can open it); after the grace period (or at once, with a grace period of 0) it is
// refused, and the tenant's refreshTokenRevocationPolicy.onOneTimeTokenReuse then revokes the
// token. Concurrent refreshes of one token: exactly one rotation wins; the others see a
// reuse (within the grace period: the winner's value). Revoking or logging out with a
// value superseded by the last rotation revokes the token too.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_TOKEN_SERVICE_H_
#define BULWARK_TOKEN_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// How far a validation reaches.
struct ValidateOptions {
  // Set: only tokens of this tenant are valid (a request scoped to a tenant, by the
  // X-FusionAuth-TenantId header or a tenant-locked API key).
  std::optional<TenantId> tenant_id = std::nullopt;
};

struct RefreshRequest {
  std::string refresh_token = {};
  std::string token = {};  // the access token being replaced (relayed in the jwt.refresh event)
  std::string ip_address = {};
  // Set: a refresh token of another tenant is refused as unknown.
  std::optional<TenantId> tenant_id = std::nullopt;
  // Set (the OAuth refresh_token grant): a refresh token issued to another application is
  // refused as unknown, and loginConfiguration.allowTokenRefresh does not apply (the
  // application's enabledGrants do, checked by the caller).
  std::optional<ApplicationId> client_id = std::nullopt;
  // Set (the OAuth grant's `scope`): the scopes the new access token carries, which must be
  // among those the refresh token was granted ([invalid]scope otherwise). Unset: all of them.
  std::optional<std::vector<std::string>> scopes = std::nullopt;
};

struct RefreshResponse {
  std::string token = {};
  std::optional<Instant> token_expiration_instant = {};
  std::string refresh_token = {};  // unchanged for Reusable, a new value for OneTimeUse
  RefreshTokenId refresh_token_id = {};
  // When the refresh token expires under its application's policy, counted from this use
  // (not on the wire: the transport's refresh_token cookie lifetime).
  std::optional<Instant> refresh_token_expiration_instant = {};
  // Whose token it is, and what it grants (the OAuth grant's response and id token).
  UserId user_id = {};
  ApplicationId application_id = {};
  std::vector<std::string> scopes = {};
  // When the user logged in for the session the refresh token belongs to.
  std::optional<Instant> auth_time = {};
};

class BULWARK_EXPORT TokenService {
 public:
  TokenService(const TokenService&) = delete;
  TokenService& operator=(const TokenService&) = delete;

  // GET /api/jwt/validate: verifies an access token this engine issued (signature with the
  // Key Master key its kid names, algorithm from the key, exp with no leeway) and returns its
  // claims. The key must be the access-token key (or an access-token verification key) of
  // the tenant the token names in `tid`, or of that tenant's application the token names in
  // `applicationId`: a key that another tenant installed cannot vouch for this tenant's
  // users. kUnauthenticated (FusionAuth's 401) for anything else, and for a token of another
  // tenant than options.tenant_id.
  Result<nlohmann::json> Validate(std::string_view token, const ValidateOptions& options = {});

  // POST /api/jwt/refresh. [invalid]refreshToken (kInvalidArgument, FusionAuth's 400) when
  // the token is unknown, expired, revoked or reused, or its application no longer allows
  // refresh (loginConfiguration.allowTokenRefresh), or the user cannot log in or is no longer
  // registered for the application.
  Result<RefreshResponse> Refresh(const RefreshRequest& request);

  // GET /api/jwt/refresh?userId= and /api/jwt/refresh/{id}. `token` holds only a digest
  // marker, never the value.
  Result<std::vector<RefreshToken>> RetrieveRefreshTokens(UserId user_id);
  Result<RefreshToken> RetrieveRefreshToken(RefreshTokenId id);

  // DELETE /api/jwt/refresh variants. Revoking by value or id: kNotFound when unknown (or,
  // with `tenant_id`, of another tenant).
  Status RevokeRefreshToken(std::string_view refresh_token,
                            std::optional<TenantId> tenant_id = std::nullopt);
  Status RevokeRefreshTokenById(RefreshTokenId id);
  Status RevokeRefreshTokensOfUser(UserId user_id,
                                   std::optional<ApplicationId> application_id = std::nullopt);
  Status RevokeRefreshTokensOfApplication(ApplicationId application_id);

  // POST /api/logout: revokes `refresh_token` (unknown ones are ignored, as FusionAuth does,
  // and so, with `tenant_id`, are those of another tenant); `global` revokes every refresh
  // token of its owner.
  Status Logout(std::string_view refresh_token, bool global = false,
                std::optional<TenantId> tenant_id = std::nullopt);

 private:
  friend class Engine;
  Result<RefreshResponse> RefreshOnce(const RefreshRequest& request, bool& lost_race);
  explicit TokenService(internal::EngineContext& context) : ctx_(context) {}
  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_TOKEN_SERVICE_H_
