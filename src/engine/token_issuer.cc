// SPDX-License-Identifier: Apache-2.0
#include "engine/token_issuer.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "bulwark/crypto/jwt.h"
#include "core/instant_math.h"
#include "core/uuid_text.h"
#include "crypto/aead.h"
#include "crypto/base64.h"
#include "crypto/jws_internal.h"
#include "crypto/random_secret.h"
#include "crypto/secrets.h"
#include "json/write.h"

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
  return RunJwtPopulate(ctx, *id, claims, *request.user, request.registration);
}

}  // namespace

Status RunJwtPopulate(EngineContext& ctx, const LambdaId& id, nlohmann::json& claims,
                      const User& user, const Registration* registration,
                      std::span<const std::string_view> also_reserved) {
  auto it = ctx.jwt_populate_lambdas.find(id);
  if (it == ctx.jwt_populate_lambdas.end()) {
    ctx.Log(LogLevel::kWarning,
            "an application names a JWT populate lambda that is not registered");
    return Status::Ok();
  }
  std::vector<std::string> reserved_names(std::begin(kReservedClaims), std::end(kReservedClaims));
  reserved_names.insert(reserved_names.end(), also_reserved.begin(), also_reserved.end());
  nlohmann::json reserved = nlohmann::json::object();
  for (const std::string& name : reserved_names) {
    auto found = claims.find(name);
    if (found != claims.end()) reserved[name] = *found;
  }
  Status status;
  try {
    status = it->second(claims, user, registration);
  } catch (...) {
    status = Status::Internal("the JWT populate lambda threw");
  }
  if (!status.ok()) {
    ctx.Log(LogLevel::kError, "the JWT populate lambda failed: " + status.message());
    return Status::Internal("the JWT populate lambda failed");
  }
  if (!claims.is_object()) return Status::Internal("the JWT populate lambda replaced the claims");
  for (const std::string& name : reserved_names) {
    if (reserved.contains(name)) {
      claims[name] = reserved[name];
    } else {
      claims.erase(name);
    }
  }
  return Status::Ok();
}

bool OAuthIdentityClaims(const Application* application) {
  return application == nullptr || application->oauth_configuration.scope_handling_policy ==
                                       ScopeHandlingPolicy::kCompatibility;
}

const JwtConfiguration& EffectiveJwtConfiguration(const Tenant& tenant,
                                                  const Application* application) {
  if (application != nullptr && application->jwt_configuration.enabled) {
    return application->jwt_configuration;
  }
  return tenant.jwt_configuration;
}

AccessTokenClaimValues AccessTokenClaimsOf(const AccessTokenRequest& request, Instant now,
                                           Instant expiration, const Uuid& jti) {
  AccessTokenClaimValues v;
  v.application_id = request.application != nullptr
                         ? std::optional<ApplicationId>(request.application->id)
                         : std::nullopt;
  v.roles = request.application != nullptr && request.registration != nullptr
                ? &request.registration->roles
                : nullptr;
  v.exp = EpochSeconds(expiration);
  v.iat = EpochSeconds(now);
  v.auth_time = EpochSeconds(request.auth_time);
  v.issuer = request.tenant->issuer;
  v.subject = request.user->id;
  v.jti = jti;
  v.authentication_type = ToString(request.authentication_type);
  v.identity_claims = request.identity_claims;
  if (request.identity_claims) {
    v.email = request.user->email;
    v.email_verified = request.user->verified;
    v.username = request.user->username;
  }
  v.sid = request.sid;
  v.scope = request.scope;
  v.tenant_id = request.tenant->id;
  return v;
}

nlohmann::json AccessTokenClaimsJson(const AccessTokenClaimValues& v) {
  nlohmann::json claims = nlohmann::json::object();
  if (v.application_id.has_value()) claims["aud"] = v.application_id->ToString();
  claims["exp"] = v.exp;
  claims["iat"] = v.iat;
  claims["iss"] = std::string(v.issuer);
  claims["sub"] = v.subject.ToString();
  claims["jti"] = v.jti.ToString();
  claims["authenticationType"] = std::string(v.authentication_type);
  if (!v.email.empty()) claims["email"] = std::string(v.email);
  if (v.identity_claims) claims["email_verified"] = v.email_verified;
  if (!v.username.empty()) claims["preferred_username"] = std::string(v.username);
  if (v.roles != nullptr) {
    claims["applicationId"] = v.application_id->ToString();
    claims["roles"] = *v.roles;
  }
  if (!v.scope.empty()) claims["scope"] = std::string(v.scope);
  if (v.sid.has_value()) claims["sid"] = v.sid->ToString();
  claims["auth_time"] = v.auth_time;
  claims["tid"] = v.tenant_id.ToString();
  return claims;
}

namespace {

class ClaimsWriter {
 public:
  explicit ClaimsWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  void Key(std::string_view key) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(key);  // the keys are ASCII literals without characters to escape
    out_.append("\":");
  }
  void UuidValue(std::string_view key, const Uuid& id) {
    Key(key);
    char text[38];
    text[0] = '"';
    FormatUuid(id, text + 1);
    text[37] = '"';
    out_.append(text, sizeof text);
  }
  Status String(std::string_view key, std::string_view value) {
    Key(key);
    return AppendJsonString(value, out_);
  }
  void Integer(std::string_view key, std::int64_t value) {
    Key(key);
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, static_cast<std::size_t>(end - digits));
  }
  void Bool(std::string_view key, bool value) {
    Key(key);
    out_.append(value ? "true" : "false");
  }
  void End() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

Result<std::string> AccessTokenClaimsText(const AccessTokenClaimValues& v) {
  std::string out;
  out.reserve(512);
  ClaimsWriter w(out);
  // The members in the order a JSON object's keys sort, as WriteJson writes the DOM.
  if (v.roles != nullptr) w.UuidValue("applicationId", v.application_id->uuid());
  if (v.application_id.has_value()) w.UuidValue("aud", v.application_id->uuid());
  w.Integer("auth_time", v.auth_time);
  BULWARK_RETURN_IF_ERROR(w.String("authenticationType", v.authentication_type));
  if (!v.email.empty()) BULWARK_RETURN_IF_ERROR(w.String("email", v.email));
  if (v.identity_claims) w.Bool("email_verified", v.email_verified);
  w.Integer("exp", v.exp);
  w.Integer("iat", v.iat);
  BULWARK_RETURN_IF_ERROR(w.String("iss", v.issuer));
  w.UuidValue("jti", v.jti);
  if (!v.username.empty()) BULWARK_RETURN_IF_ERROR(w.String("preferred_username", v.username));
  if (v.roles != nullptr) {
    w.Key("roles");
    out.push_back('[');
    for (std::size_t i = 0; i < v.roles->size(); ++i) {
      if (i > 0) out.push_back(',');
      BULWARK_RETURN_IF_ERROR(AppendJsonString((*v.roles)[i], out));
    }
    out.push_back(']');
  }
  if (!v.scope.empty()) BULWARK_RETURN_IF_ERROR(w.String("scope", v.scope));
  if (v.sid.has_value()) w.UuidValue("sid", *v.sid);
  w.UuidValue("sub", v.subject.uuid());
  w.UuidValue("tid", v.tenant_id.uuid());
  w.End();
  return out;
}

Result<IssuedAccessToken> IssueAccessToken(EngineContext& ctx, const AccessTokenRequest& request) {
  const Tenant& tenant = *request.tenant;
  const JwtConfiguration& config = EffectiveJwtConfiguration(tenant, request.application);
  BULWARK_ASSIGN_OR_RETURN(SigningKey key,
                           ctx.signing_keys.ForAccessToken(ctx, tenant, request.application));
  const Instant now = ctx.Now();
  const Instant expiration =
      AddSaturating(now, std::chrono::seconds(config.time_to_live_in_seconds));
  BULWARK_ASSIGN_OR_RETURN(EventId jti, ctx.NewId<EventId>());  // any random UUID
  const AccessTokenClaimValues values = AccessTokenClaimsOf(request, now, expiration, jti.uuid());
  const bool populated = request.application != nullptr &&
                         request.application->lambda_configuration.access_token_populate_id;
  nlohmann::json header;  // null: no extra member
  if (!request.grant_type.empty()) {
    header = {{"gty", nlohmann::json::array({std::string(request.grant_type)})}};
  }
  if (!populated) {
    // No populate lambda: the claims go straight to text, the same text as the DOM's.
    BULWARK_ASSIGN_OR_RETURN(std::string payload, AccessTokenClaimsText(values));
    BULWARK_ASSIGN_OR_RETURN(std::string token, SignCompact(header, /*jwt=*/true, payload, key));
    return IssuedAccessToken{std::move(token), expiration};
  }
  nlohmann::json claims = AccessTokenClaimsJson(values);
  BULWARK_RETURN_IF_ERROR(Populate(ctx, request, claims));
  BULWARK_ASSIGN_OR_RETURN(std::string token, SignJwt(header, claims, key));
  return IssuedAccessToken{std::move(token), expiration};
}

Result<std::string> NewSecretValue(EngineContext& ctx) { return NewRandomSecret(*ctx.random, 32); }

namespace {

constexpr std::string_view kSuccessorInfo = "bulwark refresh token successor";

Result<AeadKey> SuccessorKey(std::string_view previous_value) {
  return DeriveAeadKey(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(previous_value.data()),
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
  Result<std::vector<std::uint8_t>> sealed =
      AeadSeal(key, iv,
               std::span<const std::uint8_t>(
                   reinterpret_cast<const std::uint8_t*>(next_value.data()), next_value.size()));
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
