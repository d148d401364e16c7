// SPDX-License-Identifier: Apache-2.0
#include "bulwark/token_service.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/crypto/jwt.h"
#include "core/instant_math.h"
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

namespace {

// The id a claim names, if it is a string holding one.
template <typename IdT>
std::optional<IdT> ClaimId(const nlohmann::json& claims, std::string_view name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_string()) return std::nullopt;
  Result<IdT> id = IdT::Parse(it->get_ref<const std::string&>());
  if (!id.ok()) return std::nullopt;
  return *id;
}

}  // namespace

Result<nlohmann::json> TokenService::Validate(std::string_view token,
                                              const ValidateOptions& options) {
  // The key that verified the signature, to bind it to the claimed tenant afterwards.
  std::optional<internal::AccessTokenKey> verifier;
  Result<Jwt> jwt = VerifyJwt(
      token, VerificationKeyResolver([&](std::string_view kid) -> Result<VerificationKey> {
        // A key another process deleted or stopped naming must not verify here either.
        BULWARK_RETURN_IF_ERROR(ctx_.SyncConfiguration().status());
        BULWARK_ASSIGN_OR_RETURN(internal::AccessTokenKey key,
                                 ctx_.signing_keys.AccessTokenKeyByKid(ctx_, kid));
        VerificationKey verifying = key.key;
        verifier = std::move(key);
        return verifying;
      }),
      JwtVerifyOptions{.now = ctx_.Now()});
  if (!jwt.ok()) {
    if (jwt.status().code() == StatusCode::kUnavailable ||
        jwt.status().code() == StatusCode::kInternal) {
      return jwt.status();
    }
    return Status::Unauthenticated("the token is not valid: " + jwt.status().message());
  }
  if (!verifier.has_value()) return Status::Unauthenticated("the token names no key of ours");
  nlohmann::json claims = jwt->claims.ToJson();
  const std::optional<TenantId> tenant = ClaimId<TenantId>(claims, "tid");
  if (!tenant.has_value()) return Status::Unauthenticated("the token names no tenant");
  if (!verifier->Serves(*tenant, ClaimId<ApplicationId>(claims, "applicationId"))) {
    return Status::Unauthenticated("the token's key does not sign for its tenant");
  }
  if (options.tenant_id.has_value() && *options.tenant_id != *tenant) {
    return Status::Unauthenticated("the token belongs to another tenant");
  }
  return claims;
}

Result<RefreshResponse> TokenService::Refresh(const RefreshRequest& request) {
  // A refresh that loses a race (another refresh rotated or revoked the token first) is
  // retried once, and is then a reuse; a store that keeps aborting is an error, not a loop.
  for (int attempt = 0;; ++attempt) {
    bool lost_race = false;
    Result<RefreshResponse> result = RefreshOnce(request, lost_race);
    if (!lost_race) return result;
    if (attempt == 1) return Status::Unavailable("the refresh token keeps changing; try again");
  }
}

Result<RefreshResponse> TokenService::RefreshOnce(const RefreshRequest& request, bool& lost_race) {
  lost_race = false;
  if (request.refresh_token.empty()) {
    return Status::FieldError("blank", "refreshToken",
                              "You must specify the [refreshToken] property.");
  }
  const Instant now = ctx_.Now();
  const std::string digest = internal::Sha256Base64Url(request.refresh_token);
  bool reused = false;
  Instant rotated_at{};
  std::string successor;
  Result<RefreshToken> found = ctx_.store->refresh_tokens().FindByToken(digest);
  if (!found.ok() && found.status().code() == StatusCode::kNotFound) {
    Result<RotatedRefreshToken> rotated = ctx_.store->refresh_tokens().FindByPreviousToken(digest);
    if (!rotated.ok()) {
      if (rotated.status().code() != StatusCode::kNotFound) return rotated.status();
      return InvalidRefreshToken("the refresh token is unknown or revoked");
    }
    reused = true;
    rotated_at = rotated->rotated_at;
    successor = std::move(rotated->successor);
    found = std::move(rotated->token);
  }
  if (!found.ok()) return found.status();
  RefreshToken token = *std::move(found);
  if (request.tenant_id.has_value() && token.tenant_id != *request.tenant_id) {
    return InvalidRefreshToken("the refresh token belongs to another tenant");
  }
  if (request.client_id.has_value() && token.application_id != *request.client_id) {
    return InvalidRefreshToken("the refresh token was issued to another application");
  }
  BULWARK_ASSIGN_OR_RETURN(Tenant tenant, ctx_.LoadTenant(token.tenant_id));
  std::optional<Application> app;
  if (!token.application_id.IsNil()) {
    Result<Application> found_app = ctx_.LoadApplication(token.application_id);
    if (!found_app.ok()) {
      if (found_app.status().code() != StatusCode::kNotFound) return found_app.status();
      return InvalidRefreshToken("the application no longer exists");
    }
    // A deactivated application issues nothing, as if it did not exist.
    if (!found_app->active) return InvalidRefreshToken("the application is not active");
    app = *std::move(found_app);
  }
  const Application* application = app ? &*app : nullptr;
  const JwtConfiguration& config = internal::EffectiveJwtConfiguration(tenant, application);
  const bool one_time = config.refresh_token_usage_policy == RefreshTokenUsagePolicy::kOneTimeUse;

  if (reused) {
    const auto grace = std::chrono::seconds(
        config.refresh_token_one_time_use_configuration.grace_period_in_seconds);
    // A grace period of 0 means none: a replay is refused even within the same millisecond.
    if (!one_time || grace.count() == 0 || now > internal::AddSaturating(rotated_at, grace)) {
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
  // loginConfiguration.allowTokenRefresh governs /api/jwt/refresh; the OAuth grant (a request
  // naming its client) is governed by the application's enabledGrants, checked before.
  if (application != nullptr && !request.client_id.has_value() &&
      !application->login_configuration.allow_token_refresh) {
    return InvalidRefreshToken("the application does not allow token refresh");
  }
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(token.user_id));
  if (!user.active || (user.expiry.has_value() && *user.expiry <= now)) {
    return InvalidRefreshToken("the user cannot log in");
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<UserActionLog> actions,
                           ctx_.store->user_actions().ListInForce(user.id, now));
  if (std::any_of(actions.begin(), actions.end(),
                  [](const UserActionLog& a) { return a.prevent_login; })) {
    return InvalidRefreshToken("the user is prevented from logging in");
  }
  std::optional<Registration> registration;
  if (application != nullptr) {
    Result<Registration> reg = ctx_.store->registrations().Get(user.id, application->id);
    if (reg.ok()) {
      registration = *std::move(reg);
    } else if (reg.status().code() != StatusCode::kNotFound) {
      return reg.status();
    } else {
      return InvalidRefreshToken("the user is no longer registered for the application");
    }
  }

  std::vector<std::string> scopes = token.meta_data.scopes;
  if (request.scopes.has_value()) {
    for (const std::string& asked : *request.scopes) {
      if (std::find(scopes.begin(), scopes.end(), asked) == scopes.end()) {
        return Status::FieldError(
            "invalid", "scope", "The scope [" + asked + "] was not granted to the refresh token.");
      }
    }
    scopes = *request.scopes;
  }
  std::string scope_text;
  for (const std::string& scope : scopes) {
    if (!scope_text.empty()) scope_text.push_back(' ');
    scope_text += scope;
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
      BULWARK_ASSIGN_OR_RETURN(std::string value, internal::NewSecretValue(ctx_));
      BULWARK_ASSIGN_OR_RETURN(std::string sealed,
                               internal::SealSuccessor(request.refresh_token, value, ctx_));
      next.token = internal::Sha256Base64Url(value);
      response.refresh_token = std::move(value);
      batch.Rotate(std::move(next), digest, now, std::move(sealed));
    } else {
      batch.Update(std::move(next), digest);
    }
  } else {
    // Within the grace period: the current value, which only a holder of the previous value
    // can open (FusionAuth returns the current token, not rotated).
    Result<std::string> current = internal::OpenSuccessor(request.refresh_token, successor);
    if (!current.ok()) return InvalidRefreshToken("the refresh token was already used");
    response.refresh_token = *std::move(current);
  }
  BULWARK_ASSIGN_OR_RETURN(
      internal::IssuedAccessToken access,
      internal::IssueAccessToken(
          ctx_, {.tenant = &tenant,
                 .application = application,
                 .registration = registration ? &*registration : nullptr,
                 .user = &user,
                 .authentication_type = AuthenticationType::kRefreshToken,
                 .sid = token.id.uuid(),
                 .auth_time = token.insert_instant.value_or(now),
                 .scope = scope_text,
                 .identity_claims =
                     !request.client_id.has_value() || internal::OAuthIdentityClaims(application),
                 .grant_type = request.client_id.has_value() ? std::string_view("refresh_token")
                                                             : std::string_view()}));
  if (!batch.empty()) {
    Status applied = ctx_.Apply(batch);
    if (applied.code() == StatusCode::kAborted || applied.code() == StatusCode::kNotFound) {
      // Another refresh rotated or revoked it first: this is now a reuse.
      lost_race = true;
      return applied;
    }
    BULWARK_RETURN_IF_ERROR(applied);
  }
  response.token = std::move(access.token);
  response.token_expiration_instant = access.expiration;
  RefreshToken basis = token;
  if (!reused) basis.start_instant = now;
  response.refresh_token_expiration_instant = internal::RefreshTokenExpiry(basis, config);
  response.user_id = token.user_id;
  response.application_id = token.application_id;
  response.scopes = std::move(scopes);
  response.auth_time = token.insert_instant;
  ctx_.Emit(EventType::kJwtRefresh,
            {.tenant_id = token.tenant_id,
             .user_id = token.user_id,
             .application_id = token.application_id,
             .ip_address = request.ip_address,
             .authentication_type = ToString(AuthenticationType::kRefreshToken)});
  return response;
}

Result<std::vector<RefreshToken>> TokenService::RetrieveRefreshTokens(UserId user_id) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<RefreshToken> tokens,
                           ctx_.store->refresh_tokens().ListByUser(user_id));
  for (RefreshToken& token : tokens) token = Listed(std::move(token));
  return tokens;
}

Result<RefreshToken> TokenService::RetrieveRefreshToken(RefreshTokenId id) {
  BULWARK_ASSIGN_OR_RETURN(RefreshToken token, ctx_.store->refresh_tokens().Get(id));
  return Listed(std::move(token));
}

namespace {

// The token whose current value, or whose value before its last rotation, is `value`.
Result<RefreshToken> FindByValue(internal::EngineContext& ctx, std::string_view value) {
  const std::string digest = internal::Sha256Base64Url(value);
  Result<RefreshToken> token = ctx.store->refresh_tokens().FindByToken(digest);
  if (token.ok() || token.status().code() != StatusCode::kNotFound) return token;
  BULWARK_ASSIGN_OR_RETURN(RotatedRefreshToken rotated,
                           ctx.store->refresh_tokens().FindByPreviousToken(digest));
  return std::move(rotated.token);
}

}  // namespace

Status TokenService::RevokeRefreshToken(std::string_view refresh_token,
                                        std::optional<TenantId> tenant_id) {
  BULWARK_ASSIGN_OR_RETURN(RefreshToken token, FindByValue(ctx_, refresh_token));
  if (tenant_id.has_value() && token.tenant_id != *tenant_id) {
    return Status::NotFound("the refresh token belongs to another tenant");
  }
  return RevokeRefreshTokenById(token.id);
}

Status TokenService::RevokeRefreshTokenById(RefreshTokenId id) {
  BULWARK_ASSIGN_OR_RETURN(RefreshToken token, ctx_.store->refresh_tokens().Get(id));
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

Status TokenService::Logout(std::string_view refresh_token, bool global,
                            std::optional<TenantId> tenant_id) {
  if (refresh_token.empty()) return Status::Ok();
  Result<RefreshToken> token = FindByValue(ctx_, refresh_token);
  if (!token.ok()) {
    return token.status().code() == StatusCode::kNotFound ? Status::Ok() : token.status();
  }
  if (tenant_id.has_value() && token->tenant_id != *tenant_id) return Status::Ok();
  if (global) return RevokeRefreshTokensOfUser(token->user_id);
  Status revoked = RevokeRefreshTokenById(token->id);
  return revoked.code() == StatusCode::kNotFound ? Status::Ok() : revoked;
}

}  // namespace bulwark
