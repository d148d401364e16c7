// SPDX-License-Identifier: Apache-2.0
#include "bulwark/token_service.h"

#include <chrono>
#include <utility>

#include "bulwark/crypto/jwt.h"
#include "engine/context.h"
#include "engine/token_issuer.h"

namespace bulwark {
namespace {

using internal::EngineContext;

Status InvalidRefreshToken(std::string_view why) {
  Errors errors;
  errors.AddField("invalid", "refreshToken", "The refresh token is not valid.");
  return Status(StatusCode::kInvalidArgument, why, std::move(errors));
}

// A listed token: the stored digest never leaves the service.
RefreshToken Listed(RefreshToken token) {
  token.token.clear();
  return token;
}

}  // namespace

Result<nlohmann::json> TokenService::Validate(std::string_view token) {
  Result<Jwt> jwt = VerifyJwt(
      token, VerificationKeyResolver([this](std::string_view kid) -> Result<VerificationKey> {
        return ctx_.signing_keys.ByKid(ctx_, kid);
      }),
      JwtVerifyOptions{.now = ctx_.Now()});
  if (!jwt.ok()) {
    if (jwt.status().code() == StatusCode::kUnavailable ||
        jwt.status().code() == StatusCode::kInternal) {
      return jwt.status();
    }
    return Status::Unauthenticated("the token is not valid: " + jwt.status().message());
  }
  return std::move(jwt->claims);
}

Result<RefreshResponse> TokenService::Refresh(const RefreshRequest& request) {
  if (request.refresh_token.empty()) {
    return Status::FieldError("blank", "refreshToken",
                              "You must specify the [refreshToken] property.");
  }
  const Instant now = ctx_.Now();
  const std::string digest = internal::RefreshTokenDigest(request.refresh_token);
  bool reused = false;
  Instant rotated_at{};
  Result<RefreshToken> found =
      ctx_.CallStore([&] { return ctx_.store->refresh_tokens().FindByToken(digest); });
  if (!found.ok() && found.status().code() == StatusCode::kNotFound) {
    Result<RotatedRefreshToken> rotated =
        ctx_.CallStore([&] { return ctx_.store->refresh_tokens().FindByPreviousToken(digest); });
    if (!rotated.ok()) {
      if (rotated.status().code() != StatusCode::kNotFound) return rotated.status();
      return InvalidRefreshToken("the refresh token is unknown or revoked");
    }
    reused = true;
    rotated_at = rotated->rotated_at;
    found = std::move(rotated->token);
  }
  if (!found.ok()) return found.status();
  RefreshToken token = *std::move(found);

  BULWARK_ASSIGN_OR_RETURN(
      Tenant tenant, ctx_.CallStore([&] { return ctx_.store->tenants().Get(token.tenant_id); }));
  std::optional<Application> app;
  if (!token.application_id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(
        app, ctx_.CallStore([&] { return ctx_.store->applications().Get(token.application_id); }));
  }
  const Application* application = app ? &*app : nullptr;
  const JwtConfiguration& config = internal::EffectiveJwtConfiguration(tenant, application);
  const bool one_time = config.refresh_token_usage_policy == RefreshTokenUsagePolicy::kOneTimeUse;

  if (reused) {
    const auto grace = std::chrono::seconds(
        config.refresh_token_one_time_use_configuration.grace_period_in_seconds);
    if (!one_time || now > rotated_at + grace) {
      if (tenant.jwt_configuration.refresh_token_revocation_policy.on_one_time_token_reuse) {
        WriteBatch revoke;
        revoke.Delete(token.id);
        Status revoked = ctx_.Apply(revoke);
        if (revoked.ok()) {
          ctx_.Emit(EventType::kJwtRefreshTokenRevoke, {.tenant_id = token.tenant_id,
                                                        .user_id = token.user_id,
                                                        .application_id = token.application_id});
        }
      }
      return InvalidRefreshToken("the refresh token was already used");
    }
  }
  if (internal::RefreshTokenExpiry(token, config) <= now) {
    return InvalidRefreshToken("the refresh token has expired");
  }
  if (application != nullptr && !application->login_configuration.allow_token_refresh) {
    return InvalidRefreshToken("the application does not allow token refresh");
  }
  BULWARK_ASSIGN_OR_RETURN(User user,
                           ctx_.CallStore([&] { return ctx_.store->users().Get(token.user_id); }));
  if (!user.active || (user.expiry.has_value() && *user.expiry <= now)) {
    return InvalidRefreshToken("the user cannot log in");
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<UserActionLog> actions, ctx_.CallStore([&] {
    return ctx_.store->user_actions().ListInForce(user.id, now);
  }));
  if (std::any_of(actions.begin(), actions.end(),
                  [](const UserActionLog& a) { return a.prevent_login; })) {
    return InvalidRefreshToken("the user is prevented from logging in");
  }
  std::optional<Registration> registration;
  if (application != nullptr) {
    Result<Registration> reg =
        ctx_.CallStore([&] { return ctx_.store->registrations().Get(user.id, application->id); });
    if (reg.ok()) {
      registration = *std::move(reg);
    } else if (reg.status().code() != StatusCode::kNotFound) {
      return reg.status();
    }
  }

  RefreshResponse response;
  response.refresh_token_id = token.id;
  response.refresh_token = request.refresh_token;
  WriteBatch batch;
  if (!reused) {
    RefreshToken next = token;
    next.start_instant = now;  // the last use: the sliding windows' basis
    next.meta_data.device.last_accessed_instant = now;
    if (!request.ip_address.empty())
      next.meta_data.device.last_accessed_address = request.ip_address;
    if (one_time) {
      BULWARK_ASSIGN_OR_RETURN(std::string value, internal::NewRefreshTokenValue(ctx_));
      next.token = internal::RefreshTokenDigest(value);
      response.refresh_token = std::move(value);
      batch.Rotate(std::move(next), digest, now);
    } else {
      batch.Update(std::move(next), digest);
    }
  } else {
    // Within the grace period: the current value cannot be given back (only its digest is
    // kept), so the caller keeps using the value it has; FusionAuth returns the current one.
    response.refresh_token = request.refresh_token;
  }
  BULWARK_ASSIGN_OR_RETURN(
      internal::IssuedAccessToken access,
      internal::IssueAccessToken(ctx_, {.tenant = &tenant,
                                        .application = application,
                                        .registration = registration ? &*registration : nullptr,
                                        .user = &user,
                                        .authentication_type = "REFRESH_TOKEN",
                                        .sid = token.id,
                                        .auth_time = token.insert_instant.value_or(now)}));
  if (!batch.empty()) {
    Status applied = ctx_.Apply(batch);
    if (applied.code() == StatusCode::kAborted || applied.code() == StatusCode::kNotFound) {
      // Another refresh rotated or revoked it first: this is now a reuse. Try once more.
      return Refresh(request);
    }
    BULWARK_RETURN_IF_ERROR(applied);
  }
  response.token = std::move(access.token);
  response.token_expiration_instant = access.expiration;
  ctx_.Emit(EventType::kJwtRefresh, {.tenant_id = token.tenant_id,
                                     .user_id = token.user_id,
                                     .application_id = token.application_id});
  return response;
}

Result<std::vector<RefreshToken>> TokenService::RetrieveRefreshTokens(UserId user_id) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<RefreshToken> tokens, ctx_.CallStore([&] {
    return ctx_.store->refresh_tokens().ListByUser(user_id);
  }));
  for (RefreshToken& token : tokens) token = Listed(std::move(token));
  return tokens;
}

Result<RefreshToken> TokenService::RetrieveRefreshToken(RefreshTokenId id) {
  BULWARK_ASSIGN_OR_RETURN(RefreshToken token,
                           ctx_.CallStore([&] { return ctx_.store->refresh_tokens().Get(id); }));
  return Listed(std::move(token));
}

Status TokenService::RevokeRefreshToken(std::string_view refresh_token) {
  const std::string digest = internal::RefreshTokenDigest(refresh_token);
  BULWARK_ASSIGN_OR_RETURN(RefreshToken token, ctx_.CallStore([&] {
    return ctx_.store->refresh_tokens().FindByToken(digest);
  }));
  return RevokeRefreshTokenById(token.id);
}

Status TokenService::RevokeRefreshTokenById(RefreshTokenId id) {
  BULWARK_ASSIGN_OR_RETURN(RefreshToken token,
                           ctx_.CallStore([&] { return ctx_.store->refresh_tokens().Get(id); }));
  WriteBatch batch;
  batch.Delete(id);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kJwtRefreshTokenRevoke, {.tenant_id = token.tenant_id,
                                                .user_id = token.user_id,
                                                .application_id = token.application_id});
  return Status::Ok();
}

Status TokenService::RevokeRefreshTokensOfUser(UserId user_id,
                                               std::optional<ApplicationId> application_id) {
  WriteBatch batch;
  batch.DeleteRefreshTokensOf(user_id, application_id);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kJwtRefreshTokenRevoke,
            {.user_id = user_id, .application_id = application_id});
  return Status::Ok();
}

Status TokenService::RevokeRefreshTokensOfApplication(ApplicationId application_id) {
  WriteBatch batch;
  batch.DeleteRefreshTokensOf(std::nullopt, application_id);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kJwtRefreshTokenRevoke, {.application_id = application_id});
  return Status::Ok();
}

Status TokenService::Logout(std::string_view refresh_token, bool global) {
  if (refresh_token.empty()) return Status::Ok();
  const std::string digest = internal::RefreshTokenDigest(refresh_token);
  Result<RefreshToken> token =
      ctx_.CallStore([&] { return ctx_.store->refresh_tokens().FindByToken(digest); });
  if (!token.ok()) {
    return token.status().code() == StatusCode::kNotFound ? Status::Ok() : token.status();
  }
  if (global) return RevokeRefreshTokensOfUser(token->user_id);
  Status revoked = RevokeRefreshTokenById(token->id);
  return revoked.code() == StatusCode::kNotFound ? Status::Ok() : revoked;
}

}  // namespace bulwark
