// SPDX-License-Identifier: Apache-2.0
#include "bulwark/login_service.h"

#include <chrono>
#include <string>
#include <utility>

#include "core/instant_math.h"
#include "engine/context.h"
#include "engine/login/pipeline.h"
#include "engine/token_issuer.h"
#include "model/durations.h"

namespace bulwark {
namespace {

using internal::EngineContext;
using internal::LoginPipeline;
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

namespace internal {

// The Login API's authenticator: the login id and password. What it adds to the pipeline's
// stages is the cost and the lockout: an unknown login id costs and records what a wrong
// password does, and a lock answers the same whether the password is right or wrong.
Result<LoginResponse> PasswordLogin(EngineContext& ctx, const LoginRequest& request,
                                    LoginAttempt attempt) {
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
      internal::LoadTenantAndApplication(ctx, request.tenant_id, request.application_id));
  const Tenant& tenant = *loaded.tenant;
  if (request.api_key_authenticated == false) {
    const bool required = loaded.application
                              ? loaded.application->login_configuration.require_authentication
                              : tenant.login_configuration.require_authentication;
    if (required) return Status::Unauthenticated("this login requires an API key");
  }
  attempt.tenant = &tenant;
  attempt.application = loaded.application.get();
  attempt.ip_address = request.ip_address;
  attempt.device = &request.device;
  attempt.no_jwt = request.no_jwt;
  LoginPipeline pipeline(ctx, attempt);
  const Instant now = pipeline.now();
  const FailedAuthenticationConfiguration& failures = tenant.failed_authentication_configuration;

  Result<User> found = FindUser(ctx, tenant.id, request);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    DummyVerify(ctx, tenant, request.password);
    // The same store work as a known user's failure, so that the two cannot be told apart by
    // time either. Only a digest of the login id is kept.
    if (failures.too_many_attempts > 0) {
      WriteBatch batch;
      batch.RecordFailedUnknownLogin(
          tenant.id, internal::Sha256Base64Url(request.login_id), now,
          internal::SubtractSaturating(now, std::chrono::seconds(failures.reset_count_in_seconds)));
      Status recorded = ctx.Apply(batch);
      if (!recorded.ok()) {
        ctx.Log(LogLevel::kError, "a failed login could not be recorded: " + recorded.ToString());
      }
    }
    return pipeline.Refuse(LoginOutcome::kInvalidCredentials);
  }
  User user = *std::move(found);
  // Read what may stop the user before the password is checked: a locked user gets the same
  // answer whether the password is right or wrong, so that the lock cannot be used to guess.
  BULWARK_ASSIGN_OR_RETURN(std::vector<UserActionLog> actions,
                           PreventingActions(ctx, user.id, now));
  Result<bool> verified = ctx.password_hashers.Verify(request.password, user.password_hash);
  if (!verified.ok()) {
    ctx.Log(LogLevel::kWarning, "a stored password hash cannot be verified: " +
                                    std::string(StatusCodeName(verified.status().code())));
  }
  if (user.password_hash.empty() || !verified.ok()) {
    // No usable credential: spend what a verification costs, as for an unknown user.
    DummyVerify(ctx, tenant, request.password);
  }
  if (!actions.empty()) return pipeline.Prevent(std::move(actions), user.id);

  if (!verified.ok() || !*verified) {
    // A failed login: record it; the store locks the user when it is one too many (inside
    // its write, so that concurrent failures cannot slip past the limit).
    if (failures.too_many_attempts > 0) {
      WriteBatch::LockRule rule;
      rule.threshold = failures.too_many_attempts;
      BULWARK_ASSIGN_OR_RETURN(rule.action.id, ctx.NewId<UserActionLogId>());
      rule.action.actionee_user_id = user.id;
      rule.action.user_action_id = failures.user_action_id;
      rule.action.name = "Failed authentication";
      rule.action.reason = "Too many failed login attempts";
      rule.action.create_instant = now;
      rule.action.expiry = internal::AddSaturating(
          now, internal::DurationOf(failures.action_duration, failures.action_duration_unit));
      rule.revoke_refresh_tokens =
          tenant.jwt_configuration.refresh_token_revocation_policy.on_login_prevented;
      WriteBatch batch;
      batch.RecordFailedLogin(
          user.id, now,
          internal::SubtractSaturating(now, std::chrono::seconds(failures.reset_count_in_seconds)),
          std::move(rule));
      Status recorded = ctx.Apply(batch);
      if (!recorded.ok()) {
        // Still 404: a storage error must not tell a known user from an unknown one.
        ctx.Log(LogLevel::kError, "a failed login could not be recorded: " + recorded.ToString());
      }
    }
    return pipeline.Refuse(LoginOutcome::kInvalidCredentials, user.id);
  }

  // The password is right. Is the user allowed in? (The actions were read above: none.)
  BULWARK_ASSIGN_OR_RETURN(std::optional<LoginResponse> refused, pipeline.Gate(user, &actions));
  if (refused.has_value()) return *std::move(refused);

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
        ctx.password_hashers.Hash(request.password, encryption.encryption_scheme,
                                  encryption.encryption_scheme_factor, *ctx.random);
    if (rehashed.ok()) {
      batch.ReplaceHash(user.id, checked_hash, *rehashed);
      user.password_hash = *std::move(rehashed);
    } else {
      ctx.Log(LogLevel::kWarning, "rehashing a password on login failed; the old hash stays");
    }
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<Registration> registration,
                           pipeline.LoadRegistration(user.id));
  return pipeline.Finish(user, registration, batch);
}

}  // namespace internal

Result<LoginResponse> LoginService::Login(const LoginRequest& request) {
  return internal::PasswordLogin(ctx_, request, {.type = AuthenticationType::kPassword});
}

// The ping's authenticator: the caller vouches for the user (the route requires an API key).
Result<LoginResponse> LoginService::Ping(UserId user_id, ApplicationId application_id,
                                         std::string ip_address, bool no_jwt) {
  BULWARK_ASSIGN_OR_RETURN(internal::TenantAndApplication loaded,
                           internal::LoadTenantAndApplication(ctx_, std::nullopt, application_id));
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(user_id));
  // A user of another tenant, or a deactivated one, is not found: the ping names users by
  // id, so this is an error of the call, not a login outcome.
  if (user.tenant_id != loaded.tenant->id || !user.active) {
    return Status::NotFound("user not found");
  }
  LoginPipeline pipeline(ctx_, {.tenant = loaded.tenant.get(),
                                .application = loaded.application.get(),
                                .type = AuthenticationType::kPing,
                                .ip_address = ip_address,
                                .no_jwt = no_jwt,
                                .person_steps = false,
                                .refresh_token = false});
  // A ping is a login: the same gate keeps out expired and locked users.
  BULWARK_ASSIGN_OR_RETURN(std::optional<LoginResponse> refused, pipeline.Gate(user));
  if (refused.has_value()) return *std::move(refused);
  BULWARK_ASSIGN_OR_RETURN(std::optional<Registration> registration,
                           pipeline.LoadRegistration(user.id));
  WriteBatch batch;
  return pipeline.Finish(user, registration, batch);
}

Result<std::vector<LoginRecord>> LoginService::RetrieveLoginRecords(UserId user_id,
                                                                    std::size_t limit) {
  return ctx_.store->user_actions().ListLoginRecords(user_id, limit);
}

}  // namespace bulwark
