// SPDX-License-Identifier: Apache-2.0
#include "engine/login/pipeline.h"

#include <algorithm>
#include <utility>

#include "engine/token_issuer.h"

namespace bulwark::internal {
namespace {

// True when the tenant's emailConfiguration.verifyEmail is set.
bool TenantRequiresVerifiedEmail(const Tenant& tenant) {
  const nlohmann::json& email = tenant.email_configuration;
  if (!email.is_object()) return false;
  auto it = email.find("verifyEmail");
  return it != email.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

User Presentable(User user) {
  user.password.clear();
  user.password_hash.salt.clear();
  user.password_hash.hash.clear();
  for (UserTwoFactorMethod& method : user.two_factor.methods) method.secret.clear();
  user.two_factor.recovery_codes.clear();
  for (Registration& registration : user.registrations) registration.authentication_token.clear();
  return user;
}

Result<TenantAndApplication> LoadTenantAndApplication(EngineContext& ctx,
                                                      std::optional<TenantId> tenant_id,
                                                      std::optional<ApplicationId> application_id) {
  TenantAndApplication out;
  // One look at the configuration generation serves both reads (EngineContext::LoadTenant and
  // LoadApplication would each look): a login is one request.
  BULWARK_ASSIGN_OR_RETURN(const bool by_generation, ctx.SyncConfiguration());
  const Instant now = ctx.Now();
  if (application_id.has_value()) {
    Result<std::shared_ptr<const Application>> app = ctx.application_cache.GetShared(
        *application_id, by_generation, now,
        [&] { return ctx.store->applications().Get(*application_id); });
    if (!app.ok() && app.status().code() != StatusCode::kNotFound) return app.status();
    // A deactivated application logs nobody in: it answers exactly as a missing one.
    if (!app.ok() || !(*app)->active) {
      return Status::FieldError("invalid", "applicationId", "The application does not exist.");
    }
    if (tenant_id.has_value() && (*app)->tenant_id != *tenant_id) {
      return Status::FieldError("invalid", "applicationId",
                                "The application does not belong to the tenant.");
    }
    tenant_id = (*app)->tenant_id;
    out.application = *std::move(app);
  }
  const TenantId id = tenant_id.value_or(ctx.default_tenant_id);
  Result<std::shared_ptr<const Tenant>> tenant = ctx.tenant_cache.GetShared(
      id, by_generation, now, [&] { return ctx.store->tenants().Get(id); });
  if (!tenant.ok()) {
    if (tenant.status().code() != StatusCode::kNotFound) return tenant.status();
    return Status::FieldError("invalid", "tenantId", "The tenant does not exist.");
  }
  out.tenant = *std::move(tenant);
  return out;
}

Result<std::vector<UserActionLog>> PreventingActions(EngineContext& ctx, UserId user_id,
                                                     Instant now) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<UserActionLog> actions,
                           ctx.store->user_actions().ListInForce(user_id, now));
  std::erase_if(actions, [](const UserActionLog& a) { return !a.prevent_login; });
  return actions;
}

LoginPipeline::LoginPipeline(EngineContext& ctx, const LoginAttempt& attempt)
    : ctx_(ctx), attempt_(attempt), now_(ctx.Now()) {}

EngineContext::EventIds LoginPipeline::Ids(std::optional<UserId> user_id) const {
  return {.tenant_id = attempt_.tenant->id,
          .user_id = user_id,
          .application_id = attempt_.application != nullptr
                                ? std::optional<ApplicationId>(attempt_.application->id)
                                : std::nullopt,
          .ip_address = attempt_.ip_address,
          .authentication_type = ToString(attempt_.type)};
}

LoginResponse LoginPipeline::Refuse(LoginOutcome outcome, std::optional<UserId> user_id) {
  ctx_.Emit(EventType::kUserLoginFailed, Ids(user_id));
  LoginResponse response;
  response.outcome = outcome;
  return response;
}

LoginResponse LoginPipeline::Prevent(std::vector<UserActionLog> actions, UserId user_id) {
  const bool named = std::any_of(actions.begin(), actions.end(), [](const UserActionLog& a) {
    return a.user_action_id.has_value();
  });
  LoginResponse response =
      Refuse(named ? LoginOutcome::kLoginPrevented : LoginOutcome::kLocked, user_id);
  if (named) response.actions = std::move(actions);
  return response;
}

Result<std::optional<LoginResponse>> LoginPipeline::Gate(
    const User& user, const std::vector<UserActionLog>* actions) {
  if (user.expiry.has_value() && *user.expiry <= now_) {
    return std::optional<LoginResponse>(Refuse(LoginOutcome::kExpired, user.id));
  }
  // A deactivated user is not found.
  if (!user.active) {
    return std::optional<LoginResponse>(Refuse(LoginOutcome::kInvalidCredentials, user.id));
  }
  std::vector<UserActionLog> read;
  if (actions == nullptr) {
    BULWARK_ASSIGN_OR_RETURN(read, PreventingActions(ctx_, user.id, now_));
    actions = &read;
  }
  if (!actions->empty()) return std::optional<LoginResponse>(Prevent(*actions, user.id));
  return std::optional<LoginResponse>();
}

Result<std::optional<Registration>> LoginPipeline::LoadRegistration(UserId user_id) {
  if (attempt_.application == nullptr) return std::optional<Registration>();
  return IfFound(ctx_.store->registrations().Get(user_id, attempt_.application->id));
}

Result<LoginPipeline::Completion> LoginPipeline::Complete(User& user,
                                                          std::optional<Registration>& registration,
                                                          WriteBatch& batch) {
  const Tenant& tenant = *attempt_.tenant;
  const Application* app = attempt_.application;
  Completion out;
  LoginResponse& response = out.response;

  if (attempt_.record_login) {
    user.last_login_instant = now_;
    batch.ClearFailedLogins(user.id);
    batch.RecordLoginOf(
        user.id,
        app != nullptr ? std::optional<ApplicationId>(app->id) : std::optional<ApplicationId>(),
        now_, std::string(attempt_.ip_address));
    if (registration.has_value()) registration->last_login_instant = now_;
  }
  // What the response and the populate lambda see: no credential material.
  User shown = user;
  if (registration.has_value()) shown.registrations = {*registration};
  shown = Presentable(std::move(shown));

  if (attempt_.person_steps && user.password_change_required) {
    response.outcome = LoginOutcome::kPasswordChangeRequired;
    BULWARK_ASSIGN_OR_RETURN(std::string change_id, NewSecretValue(ctx_));
    response.change_password_id = std::move(change_id);
    response.change_password_reason =
        user.password_change_reason.value_or(ChangePasswordReason::kAdministrative);
  } else if (attempt_.person_steps && TenantRequiresVerifiedEmail(tenant) && !user.verified) {
    response.outcome = LoginOutcome::kEmailNotVerified;
  } else if (attempt_.person_steps && app != nullptr && registration.has_value() &&
             app->verify_registration && !registration->verified) {
    response.outcome = LoginOutcome::kRegistrationNotVerified;
  } else {
    response.outcome = app != nullptr && !registration.has_value() ? LoginOutcome::kNotRegistered
                                                                   : LoginOutcome::kSuccess;
    if (!attempt_.no_jwt) {
      std::optional<Uuid> sid = attempt_.session_id;
      std::string scope;
      if (attempt_.scopes != nullptr) {
        for (const std::string& granted : *attempt_.scopes) {
          if (!scope.empty()) scope.push_back(' ');
          scope += granted;
        }
      }
      if (attempt_.refresh_token && response.outcome == LoginOutcome::kSuccess && app != nullptr &&
          (attempt_.oauth || app->login_configuration.generate_refresh_tokens)) {
        BULWARK_ASSIGN_OR_RETURN(std::string value, NewSecretValue(ctx_));
        RefreshToken token;
        if (attempt_.refresh_token_id.has_value()) {
          token.id = *attempt_.refresh_token_id;
        } else {
          BULWARK_ASSIGN_OR_RETURN(token.id, ctx_.NewId<RefreshTokenId>());
        }
        token.token = Sha256Base64Url(value);
        token.application_id = app->id;
        token.user_id = user.id;
        token.tenant_id = tenant.id;
        token.insert_instant = now_;
        token.start_instant = now_;
        if (attempt_.device != nullptr) token.meta_data.device = *attempt_.device;
        if (!attempt_.ip_address.empty()) {
          token.meta_data.device.last_accessed_address = std::string(attempt_.ip_address);
        }
        token.meta_data.device.last_accessed_instant = now_;
        if (attempt_.scopes != nullptr) token.meta_data.scopes = *attempt_.scopes;
        if (!sid.has_value()) sid = token.id.uuid();
        response.refresh_token = std::move(value);
        response.refresh_token_id = token.id;
        response.refresh_token_expiration_instant =
            RefreshTokenExpiry(token, EffectiveJwtConfiguration(tenant, app));
        batch.Insert(std::move(token));
      }
      BULWARK_ASSIGN_OR_RETURN(
          IssuedAccessToken access,
          IssueAccessToken(ctx_,
                           {.tenant = &tenant,
                            .application = app,
                            .registration = registration ? &shown.registrations.front() : nullptr,
                            .user = &shown,
                            .authentication_type = attempt_.type,
                            .sid = sid,
                            .auth_time = attempt_.auth_time.value_or(now_),
                            .scope = scope,
                            .identity_claims = !attempt_.oauth || OAuthIdentityClaims(app),
                            .grant_type = attempt_.grant_type}));
      response.token = std::move(access.token);
      response.token_expiration_instant = access.expiration;
    }
  }
  out.shown = std::move(shown);
  return out;
}

Result<LoginResponse> LoginPipeline::Finish(User& user, std::optional<Registration>& registration,
                                            WriteBatch& batch,
                                            const std::function<void()>& committed) {
  BULWARK_ASSIGN_OR_RETURN(Completion completion, Complete(user, registration, batch));
  Status applied = ctx_.Apply(batch);
  if (applied.code() == StatusCode::kAborted) {
    // A compare-and-set lost: the password this login checked changed meanwhile.
    return Refuse(LoginOutcome::kInvalidCredentials, user.id);
  }
  BULWARK_RETURN_IF_ERROR(applied);
  if (committed) committed();
  LoginResponse response = std::move(completion.response);
  if (attempt_.record_login && (response.outcome == LoginOutcome::kSuccess ||
                                response.outcome == LoginOutcome::kNotRegistered)) {
    ctx_.Emit(EventType::kUserLoginSuccess, Ids(user.id));
  }
  // FusionAuth's 203 body carries only changePasswordId and changePasswordReason.
  if (response.outcome != LoginOutcome::kPasswordChangeRequired) {
    response.user = std::move(completion.shown);
  }
  return response;
}

}  // namespace bulwark::internal
