// SPDX-License-Identifier: Apache-2.0
#include "oauth2/server_context.h"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

#include "bulwark/crypto/jwt.h"
#include "engine/login/pipeline.h"
#include "engine/token_issuer.h"
#include "oauth2/id_token.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {
namespace {

std::int64_t EpochSeconds(Instant t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Claims of an id token that its populate lambda cannot change, beyond the access token's.
constexpr std::string_view kIdTokenReserved[] = {"nonce", "at_hash", "c_hash"};

}  // namespace

OAuthErrorResponse ErrorResponse(const OAuthError& error, int status) {
  return OAuthErrorResponse{.status = status,
                            .error = error.error,
                            .error_reason = error.error_reason,
                            .error_description = error.error_description};
}

OAuthErrorResponse ErrorResponse(std::string error, std::string reason, std::string description,
                                 int status) {
  return OAuthErrorResponse{.status = status,
                            .error = std::move(error),
                            .error_reason = std::move(reason),
                            .error_description = std::move(description)};
}

OAuthErrorResponse InvalidClient(std::string reason, std::string description) {
  return ErrorResponse("invalid_client", std::move(reason), std::move(description), 401);
}

OAuthErrorResponse ServerError(ServerContext& server, const Status& status) {
  server.ctx.Log(LogLevel::kError, "an OAuth request failed: " + status.ToString());
  return ErrorResponse("server_error", "unknown", "The request could not be completed.", 500);
}

OAuthError LoginRefusal(const LoginResponse& response) {
  const auto grant = [](std::string reason, std::string description) {
    return OAuthError{.error = "invalid_grant",
                      .error_reason = std::move(reason),
                      .error_description = std::move(description)};
  };
  switch (response.outcome) {
    case LoginOutcome::kPasswordChangeRequired: {
      std::string reason = "change_password_administrative";
      if (response.change_password_reason.has_value()) {
        switch (*response.change_password_reason) {
          case ChangePasswordReason::kBreached:
            reason = "change_password_breached";
            break;
          case ChangePasswordReason::kExpired:
            reason = "change_password_expired";
            break;
          case ChangePasswordReason::kValidation:
            reason = "change_password_validation";
            break;
          default:
            break;
        }
      }
      return OAuthError{.error = "change_password_required",
                        .error_reason = std::move(reason),
                        .error_description = "The user must change their password."};
    }
    case LoginOutcome::kEmailNotVerified:
      return grant("email_verification_required", "The user must verify their email address.");
    case LoginOutcome::kRegistrationNotVerified:
      return grant("unknown", "The user must verify their registration for the application.");
    case LoginOutcome::kNotRegistered:
      return grant("registration_required",
                   "The user is not registered for the application, which requires it.");
    case LoginOutcome::kLoginPrevented:
      return grant("login_prevented", "The user is prevented from logging in.");
    case LoginOutcome::kLocked:
      return grant("user_locked", "The user is locked.");
    case LoginOutcome::kExpired:
      return grant("user_expired", "The user has expired.");
    default:
      return grant("invalid_user_credentials", "The user credentials are invalid.");
  }
}

bool HasScope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

bool IssuesRefreshToken(const Application& application, const std::vector<std::string>& scopes) {
  const auto& oauth = application.oauth_configuration;
  return HasScope(scopes, "offline_access") && oauth.generate_refresh_tokens &&
         std::find(oauth.enabled_grants.begin(), oauth.enabled_grants.end(),
                   GrantType::kRefreshToken) != oauth.enabled_grants.end();
}

std::int64_t SecondsUntil(ServerContext& server, std::optional<Instant> expiration) {
  if (!expiration.has_value()) return 0;
  const auto left =
      std::chrono::duration_cast<std::chrono::seconds>(*expiration - server.ctx.Now()).count();
  return std::max<std::int64_t>(left, 0);
}

Result<std::string> SignIdToken(ServerContext& server, const Tenant& tenant,
                                const Application& application, const User& user,
                                const IdTokenFacts& facts) {
  internal::EngineContext& ctx = server.ctx;
  BULWARK_ASSIGN_OR_RETURN(SigningKey key, ctx.signing_keys.ForIdToken(ctx, tenant, &application));
  const JwtConfiguration& config = internal::EffectiveJwtConfiguration(tenant, &application);
  const Instant now = ctx.Now();
  BULWARK_ASSIGN_OR_RETURN(EventId jti, ctx.NewId<EventId>());  // any random UUID
  nlohmann::json claims = nlohmann::json::object();
  claims["aud"] = application.id.ToString();
  claims["exp"] = EpochSeconds(now) + config.time_to_live_in_seconds;
  claims["iat"] = EpochSeconds(now);
  claims["iss"] = tenant.issuer;
  claims["sub"] = user.id.ToString();
  claims["jti"] = jti.ToString();
  claims["auth_time"] = EpochSeconds(facts.auth_time);
  claims["authenticationType"] = std::string(ToString(facts.authentication_type));
  claims["tid"] = tenant.id.ToString();
  if (!facts.nonce.empty()) claims["nonce"] = std::string(facts.nonce);
  if (!facts.session_id.empty()) claims["sid"] = std::string(facts.session_id);
  if (!facts.access_token.empty()) {
    claims["at_hash"] = TokenHash(facts.access_token, key.algorithm());
  }
  if (!facts.code.empty()) claims["c_hash"] = TokenHash(facts.code, key.algorithm());
  static const std::vector<std::string> kNone;
  AddScopeClaims(user, facts.scopes != nullptr ? *facts.scopes : kNone,
                 application.oauth_configuration.scope_handling_policy, claims);
  const auto& populate = application.lambda_configuration.id_token_populate_id;
  if (populate.has_value()) {
    const Registration* registration =
        user.registrations.empty() ? nullptr : &user.registrations.front();
    BULWARK_RETURN_IF_ERROR(
        internal::RunJwtPopulate(ctx, *populate, claims, user, registration, kIdTokenReserved));
  }
  return SignJwt(claims, key);
}

TokenResult UserTokens(ServerContext& server, const Tenant& tenant, const Application& application,
                       LoginResponse& login, UserId user_id, IdTokenFacts facts) {
  TokenResponse response;
  response.access_token = std::move(login.token);
  response.expires_in = SecondsUntil(server, login.token_expiration_instant);
  response.refresh_token = std::move(login.refresh_token);
  response.refresh_token_id = login.refresh_token_id;
  response.scope = JoinScopes(*facts.scopes);
  response.user_id = user_id;
  if (HasScope(*facts.scopes, "openid") && login.user.has_value()) {
    facts.access_token = response.access_token;
    Result<std::string> id_token = SignIdToken(server, tenant, application, *login.user, facts);
    if (!id_token.ok()) return ServerError(server, id_token.status());
    response.id_token = *std::move(id_token);
  }
  return response;
}

Result<std::variant<LoginResponse, OAuthError>> ContinueLogin(ServerContext& server,
                                                              const EarlierLogin& login) {
  using Outcome = std::variant<LoginResponse, OAuthError>;
  internal::EngineContext& ctx = server.ctx;
  Result<User> found = ctx.store->users().Get(login.user_id);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return Outcome(OAuthError{.error = "invalid_grant",
                              .error_reason = "user_not_found",
                              .error_description = "The user no longer exists."});
  }
  User user = *std::move(found);
  if (user.tenant_id != login.tenant->id) {
    return Outcome(OAuthError{.error = "invalid_grant",
                              .error_reason = "user_not_found",
                              .error_description = "The user no longer exists."});
  }
  std::optional<Uuid> session;
  if (!login.session_id.empty()) {
    Result<Uuid> parsed = Uuid::Parse(login.session_id);
    if (parsed.ok()) session = *parsed;
  }
  internal::LoginPipeline pipeline(ctx, {.tenant = login.tenant,
                                         .application = login.application,
                                         .type = login.authentication_type,
                                         .ip_address = login.ip_address,
                                         .no_jwt = login.no_jwt,
                                         .person_steps = false,
                                         .refresh_token = login.refresh_token,
                                         .oauth = true,
                                         .scopes = login.scopes,
                                         .session_id = session,
                                         .refresh_token_id = login.refresh_token_id,
                                         .auth_time = login.auth_time,
                                         .record_login = false,
                                         .grant_type = login.grant_type});
  BULWARK_ASSIGN_OR_RETURN(std::optional<LoginResponse> refused, pipeline.Gate(user));
  if (refused.has_value()) return Outcome(LoginRefusal(*refused));
  BULWARK_ASSIGN_OR_RETURN(std::optional<Registration> registration,
                           pipeline.LoadRegistration(user.id));
  if (!registration.has_value() && login.application != nullptr &&
      login.application->oauth_configuration.require_registration) {
    return Outcome(OAuthError{.error = "invalid_grant",
                              .error_reason = "registration_required",
                              .error_description = "The user is not registered for the "
                                                   "application, which requires it."});
  }
  WriteBatch batch;
  BULWARK_ASSIGN_OR_RETURN(LoginResponse response, pipeline.Finish(user, registration, batch));
  if (response.outcome != LoginOutcome::kSuccess &&
      response.outcome != LoginOutcome::kNotRegistered) {
    return Outcome(LoginRefusal(response));
  }
  return Outcome(std::move(response));
}

}  // namespace bulwark::oauth2
