// SPDX-License-Identifier: Apache-2.0
#include "bulwark/login_service.h"

#include <chrono>
#include <string>
#include <utility>

#include "core/instant_math.h"
#include "engine/context.h"
#include "engine/login_completion.h"
#include "engine/token_issuer.h"
#include "json/json_io.h"
#include "model/durations.h"

namespace bulwark {
namespace {

using internal::EngineContext;
using internal::Presentable;
using internal::Prevent;
using internal::PreventingActions;

Result<User> FindUser(EngineContext& ctx, TenantId tenant_id, const LoginRequest& request) {
  for (LoginIdType type : request.login_id_types) {
    Result<User> user = type == LoginIdType::kEmail
                            ? ctx.store->users().FindByEmail(tenant_id, request.login_id)
                            : ctx.store->users().FindByUsername(tenant_id, request.login_id);
    if (user.ok() || user.status().code() != StatusCode::kNotFound) return user;
  }
  return Status::NotFound("no user has that login id");
}

// Spends the time a real verification would, so that an unknown login id cannot be told
// from a wrong password by timing.
void DummyVerify(EngineContext& ctx, const Tenant& tenant, std::string_view password) {
  const auto& config = tenant.password_encryption_configuration;
  const std::pair<std::string, int> key(config.encryption_scheme, config.encryption_scheme_factor);
  std::optional<PasswordHash> dummy;
  {
    std::lock_guard<std::mutex> lock(ctx.dummy_hashes.mu);
    auto it = ctx.dummy_hashes.by_scheme.find(key);
    if (it != ctx.dummy_hashes.by_scheme.end()) dummy = it->second;
  }
  if (!dummy.has_value()) {
    Result<PasswordHash> made =
        ctx.password_hashers.Hash("bulwark-dummy-password", config.encryption_scheme,
                                  config.encryption_scheme_factor, *ctx.random);
    if (!made.ok()) return;
    dummy = *made;
    std::lock_guard<std::mutex> lock(ctx.dummy_hashes.mu);
    ctx.dummy_hashes.by_scheme.emplace(key, *made);
  }
  (void)ctx.password_hashers.Verify(password, *dummy);
}

}  // namespace

nlohmann::json ToJson(const LoginResponse& response) {
  nlohmann::json out = nlohmann::json::object();
  if (!response.token.empty()) out["token"] = response.token;
  if (response.token_expiration_instant.has_value()) {
    out["tokenExpirationInstant"] = ToEpochMillis(*response.token_expiration_instant);
  }
  if (!response.refresh_token.empty()) out["refreshToken"] = response.refresh_token;
  if (response.refresh_token_id.has_value()) {
    out["refreshTokenId"] = response.refresh_token_id->ToString();
  }
  if (response.user.has_value()) out["user"] = ToJson(*response.user);
  if (!response.change_password_id.empty()) out["changePasswordId"] = response.change_password_id;
  if (response.change_password_reason.has_value()) {
    out["changePasswordReason"] = std::string(ToString(*response.change_password_reason));
  }
  if (!response.actions.empty()) {
    nlohmann::json actions = nlohmann::json::array();
    for (const UserActionLog& action : response.actions) {
      nlohmann::json a = nlohmann::json::object();
      if (action.user_action_id.has_value()) a["actionId"] = action.user_action_id->ToString();
      if (action.actioner_user_id.has_value()) {
        a["actionerUserId"] = action.actioner_user_id->ToString();
      }
      if (action.expiry.has_value()) a["expiry"] = ToEpochMillis(*action.expiry);
      a["name"] = action.name;
      a["localizedName"] = action.name;
      if (!action.reason.empty()) a["reason"] = action.reason;
      if (!action.reason_code.empty()) a["reasonCode"] = action.reason_code;
      if (!action.option.empty()) a["option"] = action.option;
      actions.push_back(std::move(a));
    }
    out["actions"] = std::move(actions);
  }
  if (!response.pending_idp_link_id.empty()) out["pendingIdPLinkId"] = response.pending_idp_link_id;
  return out;
}

Result<LoginResponse> LoginService::Login(const LoginRequest& request) {
  Errors errors;
  if (request.login_id.empty()) {
    errors.AddField("blank", "loginId", "You must specify the [loginId] property.");
  }
  if (request.password.empty()) {
    errors.AddField("blank", "password", "You must specify the [password] property.");
  }
  if (!errors.empty()) return Status::Validation(std::move(errors));
  BULWARK_ASSIGN_OR_RETURN(
      internal::TenantAndApplication loaded,
      internal::LoadTenantAndApplication(ctx_, request.tenant_id, request.application_id));
  const Tenant& tenant = loaded.tenant;
  const Application* app = loaded.application ? &*loaded.application : nullptr;
  const Instant now = ctx_.Now();
  LoginResponse response;

  Result<User> found = FindUser(ctx_, tenant.id, request);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    DummyVerify(ctx_, tenant, request.password);
    // The same store work as a known user's failure, so that the two cannot be told apart by
    // time either. Only a digest of the login id is kept.
    if (tenant.failed_authentication_configuration.too_many_attempts > 0) {
      WriteBatch batch;
      batch.RecordFailedUnknownLogin(
          tenant.id, internal::Sha256Base64Url(request.login_id), now,
          internal::SubtractSaturating(
              now, std::chrono::seconds(
                       tenant.failed_authentication_configuration.reset_count_in_seconds)));
      Status recorded = ctx_.Apply(batch);
      if (!recorded.ok()) {
        ctx_.Log(LogLevel::kError, "a failed login could not be recorded: " + recorded.ToString());
      }
    }
    ctx_.Emit(EventType::kUserLoginFailed, {.tenant_id = tenant.id,
                                            .application_id = request.application_id,
                                            .ip_address = request.ip_address,
                                            .authentication_type = "PASSWORD"});
    return response;  // 404
  }
  User user = *std::move(found);
  // Read what may stop the user before the password is checked: a locked user gets the same
  // answer whether the password is right or wrong, so that the lock cannot be used to guess.
  BULWARK_ASSIGN_OR_RETURN(std::vector<UserActionLog> actions,
                           PreventingActions(ctx_, user.id, now));
  Result<bool> verified = ctx_.password_hashers.Verify(request.password, user.password_hash);
  if (!verified.ok()) {
    ctx_.Log(LogLevel::kWarning, "a stored password hash cannot be verified: " +
                                     std::string(StatusCodeName(verified.status().code())));
  }
  if (user.password_hash.empty() || !verified.ok()) {
    // No usable credential: spend what a verification costs, as for an unknown user.
    DummyVerify(ctx_, tenant, request.password);
  }
  const internal::EngineContext::EventIds ids{.tenant_id = tenant.id,
                                              .user_id = user.id,
                                              .application_id = request.application_id,
                                              .ip_address = request.ip_address,
                                              .authentication_type = "PASSWORD"};

  if (!actions.empty()) {
    Prevent(response, std::move(actions));
    ctx_.Emit(EventType::kUserLoginFailed, ids);
    return response;
  }

  if (!verified.ok() || !*verified) {
    // A failed login: record it; the store locks the user when it is one too many (inside
    // its write, so that concurrent failures cannot slip past the limit).
    const FailedAuthenticationConfiguration& config = tenant.failed_authentication_configuration;
    if (config.too_many_attempts > 0) {
      WriteBatch::LockRule rule;
      rule.threshold = config.too_many_attempts;
      BULWARK_ASSIGN_OR_RETURN(rule.action.id, ctx_.NewId<UserActionLogId>());
      rule.action.actionee_user_id = user.id;
      rule.action.user_action_id = config.user_action_id;
      rule.action.name = "Failed authentication";
      rule.action.reason = "Too many failed login attempts";
      rule.action.create_instant = now;
      rule.action.expiry = internal::AddSaturating(
          now, internal::DurationOf(config.action_duration, config.action_duration_unit));
      rule.revoke_refresh_tokens =
          tenant.jwt_configuration.refresh_token_revocation_policy.on_login_prevented;
      WriteBatch batch;
      batch.RecordFailedLogin(
          user.id, now,
          internal::SubtractSaturating(now, std::chrono::seconds(config.reset_count_in_seconds)),
          std::move(rule));
      Status recorded = ctx_.Apply(batch);
      if (!recorded.ok()) {
        // Still 404: a storage error must not tell a known user from an unknown one.
        ctx_.Log(LogLevel::kError, "a failed login could not be recorded: " + recorded.ToString());
      }
    }
    ctx_.Emit(EventType::kUserLoginFailed, ids);
    return response;  // 404
  }

  // The password is right. Is the user allowed in?
  if (user.expiry.has_value() && *user.expiry <= now) {
    response.outcome = LoginOutcome::kExpired;
    return response;
  }
  if (!user.active) return response;  // a deactivated user is not found (404)

  WriteBatch batch;
  // The session opens only if the password checked is still the user's.
  const std::string checked_hash = user.password_hash.hash;
  batch.RequireHash(user.id, checked_hash);
  // Rehash to the tenant's scheme and factor when it asks for that.
  const auto& encryption = tenant.password_encryption_configuration;
  if (encryption.modify_encryption_scheme_on_login &&
      (user.password_hash.encryption_scheme != encryption.encryption_scheme ||
       user.password_hash.factor != encryption.encryption_scheme_factor)) {
    Result<PasswordHash> rehashed =
        ctx_.password_hashers.Hash(request.password, encryption.encryption_scheme,
                                   encryption.encryption_scheme_factor, *ctx_.random);
    if (rehashed.ok()) {
      batch.ReplaceHash(user.id, checked_hash, *rehashed);
      user.password_hash = *std::move(rehashed);
    } else {
      ctx_.Log(LogLevel::kWarning, "rehashing a password on login failed; the old hash stays");
    }
  }
  std::optional<Registration> registration;
  if (app != nullptr) {
    Result<Registration> reg = ctx_.store->registrations().Get(user.id, app->id);
    if (reg.ok()) {
      registration = *std::move(reg);
    } else if (reg.status().code() != StatusCode::kNotFound) {
      return reg.status();
    }
  }
  BULWARK_ASSIGN_OR_RETURN(internal::Completion completion,
                           internal::CompleteLogin(ctx_,
                                                   {.tenant = &tenant,
                                                    .application = app,
                                                    .user = &user,
                                                    .registration = &registration,
                                                    .authentication_type = "PASSWORD",
                                                    .ip_address = request.ip_address,
                                                    .device = &request.device,
                                                    .no_jwt = request.no_jwt},
                                                   batch));
  response = std::move(completion.response);
  User shown = std::move(completion.shown);
  Status applied = ctx_.Apply(batch);
  if (applied.code() == StatusCode::kAborted) {
    // The password changed while this login checked the old one.
    ctx_.Emit(EventType::kUserLoginFailed, ids);
    return LoginResponse{};  // 404
  }
  BULWARK_RETURN_IF_ERROR(applied);
  if (response.outcome == LoginOutcome::kSuccess ||
      response.outcome == LoginOutcome::kNotRegistered) {
    ctx_.Emit(EventType::kUserLoginSuccess, ids);
  }
  // FusionAuth's 203 body carries only changePasswordId and changePasswordReason.
  if (response.outcome != LoginOutcome::kPasswordChangeRequired) response.user = std::move(shown);
  return response;
}

Result<LoginResponse> LoginService::Ping(UserId user_id, ApplicationId application_id,
                                         std::string ip_address, bool no_jwt) {
  BULWARK_ASSIGN_OR_RETURN(internal::TenantAndApplication loaded,
                           internal::LoadTenantAndApplication(ctx_, std::nullopt, application_id));
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(user_id));
  if (user.tenant_id != loaded.tenant.id) return Status::NotFound("user not found");
  const Instant now = ctx_.Now();
  LoginResponse response;
  // A ping is a login: the same rules keep out deactivated, expired and locked users.
  if (!user.active) return Status::NotFound("user not found");
  if (user.expiry.has_value() && *user.expiry <= now) {
    response.outcome = LoginOutcome::kExpired;
    return response;
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<UserActionLog> actions,
                           PreventingActions(ctx_, user.id, now));
  if (!actions.empty()) {
    Prevent(response, std::move(actions));
    return response;
  }
  std::optional<Registration> registration;
  Result<Registration> reg = ctx_.store->registrations().Get(user.id, application_id);
  if (reg.ok()) {
    registration = *std::move(reg);
  } else if (reg.status().code() != StatusCode::kNotFound) {
    return reg.status();
  }
  WriteBatch batch;
  user.last_login_instant = now;
  batch.RecordLoginOf(user.id, application_id, now, ip_address);
  if (registration.has_value()) registration->last_login_instant = now;
  response.outcome = registration ? LoginOutcome::kSuccess : LoginOutcome::kNotRegistered;
  User shown = user;
  if (registration.has_value()) shown.registrations = {*registration};
  shown = Presentable(std::move(shown));
  if (!no_jwt) {
    BULWARK_ASSIGN_OR_RETURN(
        internal::IssuedAccessToken access,
        internal::IssueAccessToken(
            ctx_, {.tenant = &loaded.tenant,
                   .application = &*loaded.application,
                   .registration = registration ? &shown.registrations.front() : nullptr,
                   .user = &shown,
                   .authentication_type = "PING",
                   .auth_time = now}));
    response.token = std::move(access.token);
    response.token_expiration_instant = access.expiration;
  }
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kUserLoginSuccess, {.tenant_id = user.tenant_id,
                                           .user_id = user.id,
                                           .application_id = application_id,
                                           .ip_address = ip_address,
                                           .authentication_type = "PING"});
  response.user = std::move(shown);
  return response;
}

Result<std::vector<LoginRecord>> LoginService::RetrieveLoginRecords(UserId user_id,
                                                                    std::size_t limit) {
  return ctx_.store->user_actions().ListLoginRecords(user_id, limit);
}

}  // namespace bulwark
