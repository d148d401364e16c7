// SPDX-License-Identifier: Apache-2.0
#include "engine/token_issuer.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <span>

#include "bulwark/crypto/jwt.h"
#include "core/instant_math.h"
#include "crypto/base64.h"
#include "crypto/openssl_util.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

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
  claims["authenticationType"] = std::string(request.authentication_type);
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

std::string Sha256Base64Url(std::string_view value) {
  const std::vector<std::uint8_t> digest =
      Digest(EVP_sha256(), std::span<const std::uint8_t>(
                               reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
  return Base64UrlEncode(digest);
}

Result<std::string> NewSecretValue(EngineContext& ctx) {
  std::array<std::uint8_t, 32> bytes{};
  Status filled;
  try {
    filled = ctx.random->Fill(std::as_writable_bytes(std::span(bytes)));
  } catch (...) {
    filled = Status::Internal("the Random implementation threw");
  }
  BULWARK_RETURN_IF_ERROR(filled);
  std::string value = Base64UrlEncode(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return value;
}

namespace {

constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kTagBytes = 16;

Result<std::array<unsigned char, 32>> SuccessorKey(std::string_view previous_value) {
  std::array<unsigned char, 32> key{};
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return Status::Internal("HKDF is unavailable");
  EVP_KDF_CTX* kctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (kctx == nullptr) return Status::Internal("HKDF is unavailable");
  char digest[] = "SHA256";
  char info[] = "bulwark refresh token successor";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_KEY, const_cast<char*>(previous_value.data()), previous_value.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof(info) - 1),
      OSSL_PARAM_construct_end()};
  const int ok = EVP_KDF_derive(kctx, key.data(), key.size(), params);
  EVP_KDF_CTX_free(kctx);
  if (ok != 1) return Status::Internal("HKDF failed");
  return key;
}

}  // namespace

Result<std::string> SealSuccessor(std::string_view previous_value, std::string_view next_value,
                                  EngineContext& ctx) {
  BULWARK_ASSIGN_OR_RETURN(auto key, SuccessorKey(previous_value));
  std::vector<std::uint8_t> out(kIvBytes + next_value.size() + kTagBytes);
  Status filled;
  try {
    filled = ctx.random->Fill(std::as_writable_bytes(std::span(out.data(), kIvBytes)));
  } catch (...) {
    filled = Status::Internal("the Random implementation threw");
  }
  if (!filled.ok()) {
    OPENSSL_cleanse(key.data(), key.size());
    return filled;
  }
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = c != nullptr &&
            EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), out.data()) == 1 &&
            EVP_EncryptUpdate(c, out.data() + kIvBytes, &len,
                              reinterpret_cast<const unsigned char*>(next_value.data()),
                              static_cast<int>(next_value.size())) == 1 &&
            EVP_EncryptFinal_ex(c, out.data() + kIvBytes + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, kTagBytes,
                                out.data() + kIvBytes + next_value.size()) == 1;
  EVP_CIPHER_CTX_free(c);
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) return Status::Internal("sealing a refresh token failed");
  return Base64UrlEncode(out);
}

Result<std::string> OpenSuccessor(std::string_view previous_value, std::string_view sealed) {
  Result<std::vector<std::uint8_t>> bytes = Base64UrlDecode(sealed);
  if (!bytes.ok() || bytes->size() < kIvBytes + kTagBytes) {
    return Status::DataLoss("a sealed refresh token is malformed");
  }
  BULWARK_ASSIGN_OR_RETURN(auto key, SuccessorKey(previous_value));
  const std::size_t n = bytes->size() - kIvBytes - kTagBytes;
  std::string plain(n, '\0');
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok =
      c != nullptr &&
      EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), bytes->data()) == 1 &&
      EVP_DecryptUpdate(c, reinterpret_cast<unsigned char*>(plain.data()), &len,
                        bytes->data() + kIvBytes, static_cast<int>(n)) == 1 &&
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes->data() + kIvBytes + n) == 1 &&
      EVP_DecryptFinal_ex(c, reinterpret_cast<unsigned char*>(plain.data()) + len, &len) == 1;
  EVP_CIPHER_CTX_free(c);
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) return Status::Unauthenticated("the sealed refresh token does not open");
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
