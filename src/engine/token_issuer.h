// SPDX-License-Identifier: Apache-2.0
// Private: access-token claims and signing, refresh-token values, digests and expiry, shared
// by the login and token services.
#ifndef BULWARK_ENGINE_TOKEN_ISSUER_H_
#define BULWARK_ENGINE_TOKEN_ISSUER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/model/application.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/model/jwt_configuration.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"
#include "crypto/secrets.h"  // Sha256Base64Url: what the store keeps of a secret value
#include "engine/context.h"

namespace bulwark::internal {

struct AccessTokenRequest {
  const Tenant* tenant = nullptr;
  const Application* application = nullptr;    // null: no application in play
  const Registration* registration = nullptr;  // null: not registered
  const User* user = nullptr;
  AuthenticationType authentication_type = AuthenticationType::kPassword;
  // "sid": the session the token belongs to: the refresh token issued with it (the Login
  // API), or the SSO session (the OAuth grants).
  std::optional<Uuid> sid = {};
  Instant auth_time{};
  // "scope" (the OAuth grants): the granted scopes, space-separated; none when empty.
  std::string_view scope = {};
  // email, email_verified and preferred_username: false for a token the OAuth endpoints
  // issue for an application whose scopeHandlingPolicy is Strict (they are then the id
  // token's and userinfo's, by scope).
  bool identity_claims = true;
  // The header's "gty" (FusionAuth's): the grant that issued the token, e.g.
  // "authorization_code"; none when empty.
  std::string_view grant_type = {};
};

// Whether an access token the OAuth endpoints issue for `application` carries email,
// email_verified and preferred_username.
bool OAuthIdentityClaims(const Application* application);

struct IssuedAccessToken {
  std::string token = {};
  Instant expiration{};
};

// The jwtConfiguration in force: the application's when enabled, else the tenant's. The
// refresh-token revocation policy is always the tenant's.
const JwtConfiguration& EffectiveJwtConfiguration(const Tenant& tenant,
                                                  const Application* application);

Result<IssuedAccessToken> IssueAccessToken(EngineContext& ctx, const AccessTokenRequest& request);
// Runs the JWT populate lambda `id` (EngineOptions::jwt_populate_lambdas) on `claims`. The
// reserved claims (lambdas.h), and `also_reserved`, keep the values they had, or stay absent.
// An unregistered id is logged and skipped; a failing lambda is kInternal.
Status RunJwtPopulate(EngineContext& ctx, const LambdaId& id, nlohmann::json& claims,
                      const User& user, const Registration* registration,
                      std::span<const std::string_view> also_reserved = {});

// The claims of an access token, computed once and written either as a DOM (for a populate
// lambda to change) or straight to text. The views point into the request.
struct AccessTokenClaimValues {
  std::optional<ApplicationId> application_id;      // "aud"
  const std::vector<std::string>* roles = nullptr;  // with "applicationId", when registered
  std::int64_t exp = 0;
  std::int64_t iat = 0;
  std::int64_t auth_time = 0;
  std::string_view issuer;
  UserId subject;
  Uuid jti;
  std::string_view authentication_type;
  bool identity_claims = true;  // "email_verified", and email and username when not empty
  std::string_view email;       // "email" when not empty
  bool email_verified = false;
  std::string_view username;  // "preferred_username" when not empty
  std::optional<Uuid> sid;
  std::string_view scope;  // "scope" when not empty
  TenantId tenant_id;
};
AccessTokenClaimValues AccessTokenClaimsOf(const AccessTokenRequest& request, Instant now,
                                           Instant expiration, const Uuid& jti);
nlohmann::json AccessTokenClaimsJson(const AccessTokenClaimValues& values);
// Exactly WriteJson(AccessTokenClaimsJson(values)), written without the DOM.
Result<std::string> AccessTokenClaimsText(const AccessTokenClaimValues& values);

// A fresh secret value (32 random bytes, base64url): refresh tokens, API keys, one-time ids.
Result<std::string> NewSecretValue(EngineContext& ctx);

// The successor of a rotated one-time refresh token, sealed so that only a holder of the
// previous value can open it: AES-256-GCM under HKDF-SHA256(previous value), as
// base64url(iv || ciphertext || tag).
Result<std::string> SealSuccessor(std::string_view previous_value, std::string_view next_value,
                                  EngineContext& ctx);
// The successor's value, or an error when `sealed` was not sealed for `previous_value`.
Result<std::string> OpenSuccessor(std::string_view previous_value, std::string_view sealed);

// When `token` expires under `config` (start_instant is the last use for sliding windows).
Instant RefreshTokenExpiry(const RefreshToken& token, const JwtConfiguration& config);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_TOKEN_ISSUER_H_
