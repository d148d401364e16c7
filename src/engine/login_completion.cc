// SPDX-License-Identifier: Apache-2.0
#include "engine/login_completion.h"

#include <algorithm>
#include <utility>

#include "engine/token_issuer.h"

namespace bulwark::internal {

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
  if (application_id.has_value()) {
    Result<Application> app = ctx.LoadApplication(*application_id);
    if (!app.ok() && app.status().code() != StatusCode::kNotFound) return app.status();
    // A deactivated application logs nobody in: it answers exactly as a missing one.
    if (!app.ok() || !app->active) {
      return Status::FieldError("invalid", "applicationId", "The application does not exist.");
    }
    if (tenant_id.has_value() && app->tenant_id != *tenant_id) {
      return Status::FieldError("invalid", "applicationId",
                                "The application does not belong to the tenant.");
    }
    tenant_id = app->tenant_id;
    out.application = *std::move(app);
  }
  const TenantId id = tenant_id.value_or(ctx.default_tenant_id);
  Result<Tenant> tenant = ctx.LoadTenant(id);
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

void Prevent(LoginResponse& response, std::vector<UserActionLog> actions) {
  const bool named = std::any_of(actions.begin(), actions.end(), [](const UserActionLog& a) {
    return a.user_action_id.has_value();
  });
  response.outcome = named ? LoginOutcome::kLoginPrevented : LoginOutcome::kLocked;
  if (named) response.actions = std::move(actions);
}

bool TenantRequiresVerifiedEmail(const Tenant& tenant) {
  const nlohmann::json& email = tenant.email_configuration;
  if (!email.is_object()) return false;
  auto it = email.find("verifyEmail");
  return it != email.end() && it->is_boolean() && it->get<bool>();
}

Result<Completion> CompleteLogin(EngineContext& ctx, const CompletionInput& input,
                                 WriteBatch& batch) {
  const Tenant& tenant = *input.tenant;
  const Application* app = input.application;
  User& user = *input.user;
  std::optional<Registration>& registration = *input.registration;
  const Instant now = ctx.Now();
  Completion out;
  LoginResponse& response = out.response;

  user.last_login_instant = now;
  batch.ClearFailedLogins(user.id);
  batch.RecordLoginOf(
      user.id,
      app != nullptr ? std::optional<ApplicationId>(app->id) : std::optional<ApplicationId>(), now,
      std::string(input.ip_address));
  if (registration.has_value()) registration->last_login_instant = now;
  // What the response and the populate lambda see: no credential material.
  User shown = user;
  if (registration.has_value()) shown.registrations = {*registration};
  shown = Presentable(std::move(shown));

  if (user.password_change_required) {
    response.outcome = LoginOutcome::kPasswordChangeRequired;
    BULWARK_ASSIGN_OR_RETURN(std::string change_id, NewSecretValue(ctx));
    response.change_password_id = std::move(change_id);
    response.change_password_reason =
        user.password_change_reason.value_or(ChangePasswordReason::kAdministrative);
  } else if (TenantRequiresVerifiedEmail(tenant) && !user.verified) {
    response.outcome = LoginOutcome::kEmailNotVerified;
  } else if (app != nullptr && registration.has_value() && app->verify_registration &&
             !registration->verified) {
    response.outcome = LoginOutcome::kRegistrationNotVerified;
  } else {
    response.outcome = app != nullptr && !registration.has_value() ? LoginOutcome::kNotRegistered
                                                                   : LoginOutcome::kSuccess;
    if (!input.no_jwt) {
      std::optional<RefreshTokenId> sid;
      if (response.outcome == LoginOutcome::kSuccess && app != nullptr &&
          app->login_configuration.generate_refresh_tokens) {
        BULWARK_ASSIGN_OR_RETURN(std::string value, NewSecretValue(ctx));
        RefreshToken token;
        BULWARK_ASSIGN_OR_RETURN(token.id, ctx.NewId<RefreshTokenId>());
        token.token = Sha256Base64Url(value);
        token.application_id = app->id;
        token.user_id = user.id;
        token.tenant_id = tenant.id;
        token.insert_instant = now;
        token.start_instant = now;
        if (input.device != nullptr) token.meta_data.device = *input.device;
        if (!input.ip_address.empty()) {
          token.meta_data.device.last_accessed_address = std::string(input.ip_address);
        }
        token.meta_data.device.last_accessed_instant = now;
        sid = token.id;
        response.refresh_token = std::move(value);
        response.refresh_token_id = token.id;
        response.refresh_token_expiration_instant =
            RefreshTokenExpiry(token, EffectiveJwtConfiguration(tenant, app));
        batch.Insert(std::move(token));
      }
      BULWARK_ASSIGN_OR_RETURN(
          IssuedAccessToken access,
          IssueAccessToken(ctx,
                           {.tenant = &tenant,
                            .application = app,
                            .registration = registration ? &shown.registrations.front() : nullptr,
                            .user = &shown,
                            .authentication_type = input.authentication_type,
                            .sid = sid,
                            .auth_time = now}));
      response.token = std::move(access.token);
      response.token_expiration_instant = access.expiration;
    }
  }
  out.shown = std::move(shown);
  return out;
}

}  // namespace bulwark::internal
