// SPDX-License-Identifier: Apache-2.0
#include "engine/token_issuer.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <span>

#include "bulwark/crypto/jwt.h"
#include "core/instant_math.h"
#include "crypto/aead.h"
#include "crypto/base64.h"
#include "crypto/secrets.h"

namespace bulwark::internal {
namespace {

// Claims a populate lambda cannot change (FusionAuth's reserved claims).
constexpr std::string_view kReservedClaims[] = {"aud",
                                                "exp",
                                                "iat",
                                                "iss",
                                                "sub",
                                                "jti",
                                                "nbf",
                                                "tid",
                                                "sid",
                                                "auth_time",
                                                "authenticationType",
                                                "applicationId",
                                                "gty",
                                                "amr"};

std::int64_t EpochSeconds(Instant t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Status Populate(EngineContext& ctx, const AccessTokenRequest& request, nlohmann::json& claims) {
  if (request.application == nullptr) return Status::Ok();
  const auto& id = request.application->lambda_configuration.access_token_populate_id;
  if (!id.has_value()) return Status::Ok();
  auto it = ctx.jwt_populate_lambdas.find(*id);
  if (it == ctx.jwt_populate_lambdas.end()) {
    ctx.Log(LogLevel::kWarning,
            "an application names a JWT populate lambda that is not registered");
    return Status::Ok();
  }
  nlohmann::json reserved = nlohmann::json::object();
  for (std::string_view name : kReservedClaims) {
    auto found = claims.find(std::string(name));
    if (found != claims.end()) reserved[std::string(name)] = *found;
  }
  Status status;
  try {
    status = it->second(claims, *request.user, request.registration);
  } catch (...) {
    status = Status::Internal("the JWT populate lambda threw");
  }
  if (!status.ok()) {
    ctx.Log(LogLevel::kError, "the JWT populate lambda failed: " + status.message());
    return Status::Internal("the JWT populate lambda failed");
  }
  if (!claims.is_object()) return Status::Internal("the JWT populate lambda replaced the claims");
  for (std::string_view name : kReservedClaims) {
    const std::string key(name);
    if (reserved.contains(key)) {
      claims[key] = reserved[key];
    } else {
      claims.erase(key);
    }
  }
  return Status::Ok();
}

}  // namespace

const JwtConfiguration& EffectiveJwtConfiguration(const Tenant& tenant,
                                                  const Application* application) {
  if (application != nullptr && application->jwt_configuration.enabled) {
    return application->jwt_configuration;
  }
  return tenant.jwt_configuration;
}

Result<IssuedAccessToken> IssueAccessToken(EngineContext& ctx, const AccessTokenRequest& request) {
  const Tenant& tenant = *request.tenant;
  const User& user = *request.user;
  const JwtConfiguration& config = EffectiveJwtConfiguration(tenant, request.application);
  BULWARK_ASSIGN_OR_RETURN(SigningKey key,
                           ctx.signing_keys.ForAccessToken(ctx, tenant, request.application));
  const Instant now = ctx.Now();
  const Instant expiration =
      AddSaturating(now, std::chrono::seconds(config.time_to_live_in_seconds));
  BULWARK_ASSIGN_OR_RETURN(EventId jti, ctx.NewId<EventId>());  // any random UUID
  nlohmann::json claims = nlohmann::json::object();
  if (request.application != nullptr) claims["aud"] = request.application->id.ToString();
  claims["exp"] = EpochSeconds(expiration);
  claims["iat"] = EpochSeconds(now);
  claims["iss"] = tenant.issuer;
  claims["sub"] = user.id.ToString();
  claims["jti"] = jti.uuid().ToString();
  claims["authenticationType"] = std::string(ToString(request.authentication_type));
  if (!user.email.empty()) claims["email"] = user.email;
  claims["email_verified"] = user.verified;
  if (!user.username.empty()) claims["preferred_username"] = user.username;
  if (request.application != nullptr && request.registration != nullptr) {
    claims["applicationId"] = request.application->id.ToString();
    claims["roles"] = request.registration->roles;
  }
  if (request.sid.has_value()) claims["sid"] = request.sid->ToString();
  claims["auth_time"] = EpochSeconds(request.auth_time);
  claims["tid"] = tenant.id.ToString();
  BULWARK_RETURN_IF_ERROR(Populate(ctx, request, claims));
  BULWARK_ASSIGN_OR_RETURN(std::string token, SignJwt(claims, key));
  return IssuedAccessToken{std::move(token), expiration};
}

Result<std::string> NewSecretValue(EngineContext& ctx) {
  std::array<std::byte, 32> bytes{};
  Status filled;
  try {
    filled = ctx.random->Fill(bytes);
  } catch (...) {
    filled = Status::Internal("the Random implementation threw");
  }
  BULWARK_RETURN_IF_ERROR(filled);
  std::string value = Base64UrlEncode(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  Wipe(bytes);
  return value;
}

namespace {

constexpr std::string_view kSuccessorInfo = "bulwark refresh token successor";

Result<AeadKey> SuccessorKey(std::string_view previous_value) {
  return DeriveAeadKey(std::span<const std::uint8_t>(
                           reinterpret_cast<const std::uint8_t*>(previous_value.data()),
                           previous_value.size()),
                       kSuccessorInfo);
}

}  // namespace

Result<std::string> SealSuccessor(std::string_view previous_value, std::string_view next_value,
                                  EngineContext& ctx) {
  BULWARK_ASSIGN_OR_RETURN(AeadKey key, SuccessorKey(previous_value));
  std::array<std::uint8_t, kAeadIvBytes> iv{};
  Status filled;
  try {
    filled = ctx.random->Fill(std::as_writable_bytes(std::span(iv)));
  } catch (...) {
    filled = Status::Internal("the Random implementation threw");
  }
  BULWARK_RETURN_IF_ERROR(filled);
  Result<std::vector<std::uint8_t>> sealed = AeadSeal(
      key, iv,
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(next_value.data()),
                                    next_value.size()));
  if (!sealed.ok()) return Status::Internal("sealing a refresh token failed");
  return Base64UrlEncode(*sealed);
}

Result<std::string> OpenSuccessor(std::string_view previous_value, std::string_view sealed) {
  Result<std::vector<std::uint8_t>> bytes = Base64UrlDecode(sealed);
  if (!bytes.ok() || bytes->size() < kAeadIvBytes + kAeadTagBytes) {
    return Status::DataLoss("a sealed refresh token is malformed");
  }
  BULWARK_ASSIGN_OR_RETURN(AeadKey key, SuccessorKey(previous_value));
  Result<std::string> plain = AeadOpen(key, *bytes);
  if (!plain.ok()) return Status::Unauthenticated("the sealed refresh token does not open");
  return plain;
}

Instant RefreshTokenExpiry(const RefreshToken& token, const JwtConfiguration& config) {
  const auto ttl = std::chrono::minutes(config.refresh_token_time_to_live_in_minutes);
  const Instant issued = token.insert_instant.value_or(Instant{});
  const Instant last = token.start_instant.value_or(issued);
  switch (config.refresh_token_expiration_policy) {
    case RefreshTokenExpirationPolicy::kFixed:
      return AddSaturating(issued, ttl);
    case RefreshTokenExpirationPolicy::kSlidingWindow:
      return AddSaturating(last, ttl);
    case RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime: {
      const auto max = std::chrono::minutes(
          config.refresh_token_sliding_window_configuration.maximum_time_to_live_in_minutes);
      return std::min(AddSaturating(last, ttl), AddSaturating(issued, max));
    }
  }
  return AddSaturating(issued, ttl);
}

}  // namespace bulwark::internal
