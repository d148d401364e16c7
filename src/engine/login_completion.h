// SPDX-License-Identifier: Apache-2.0
// Private: what every way of logging in shares once the user is known — a password login,
// a ping, an identity-provider login: loading the tenant and application, the actions that
// prevent a login, the user as a response shows it, and the last step that decides
// 200/202/203/212/213 and issues the tokens.
#ifndef BULWARK_ENGINE_LOGIN_COMPLETION_H_
#define BULWARK_ENGINE_LOGIN_COMPLETION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/login_service.h"
#include "bulwark/model/application.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/store/write_batch.h"
#include "engine/context.h"

namespace bulwark::internal {

// The user as a response shows it: no password material beyond scheme and factor, no
// two-factor secrets or recovery codes, no registration authentication tokens.
User Presentable(User user);

struct TenantAndApplication {
  Tenant tenant;
  std::optional<Application> application;
};

// The application (when given; [invalid]applicationId when it does not exist, is inactive
// or is not in `tenant_id`) and the tenant: `tenant_id`, else the application's, else the default tenant
// ([invalid]tenantId when it does not exist).
Result<TenantAndApplication> LoadTenantAndApplication(EngineContext& ctx,
                                                      std::optional<TenantId> tenant_id,
                                                      std::optional<ApplicationId> application_id);

// The actions in force at `now` that prevent the user from logging in.
Result<std::vector<UserActionLog>> PreventingActions(EngineContext& ctx, UserId user_id,
                                                     Instant now);

// 409 with the actions when one names a user action (FusionAuth's LoginPreventedResponse),
// else 423.
void Prevent(LoginResponse& response, std::vector<UserActionLog> actions);

// True when the tenant's emailConfiguration.verifyEmail is set.
bool TenantRequiresVerifiedEmail(const Tenant& tenant);

struct CompletionInput {
  const Tenant* tenant = nullptr;            // required
  const Application* application = nullptr;  // null: no application
  // The user as it will be stored (lastLoginInstant is set here) and its registration for
  // the application, if any.
  User* user = nullptr;                                 // required
  std::optional<Registration>* registration = nullptr;  // required
  std::string_view authentication_type = {};
  std::string_view ip_address = {};
  const DeviceInfo* device = nullptr;  // describes the refresh token; may be null
  bool no_jwt = false;
};

struct Completion {
  LoginResponse response;  // without `user`
  User shown;              // the presentable user, with the registration when there is one
};

// The last step of a login of an authenticated, active, unexpired, unprevented user:
// decides 203 (password change required), 212 (the tenant requires verified email), 213
// (registration not verified), else 200 — or 202 when there is an application the user is
// not registered for — and, for 200/202 unless no_jwt, issues the access token and, for 200
// when the application generates them, a refresh token. Adds to `batch`: cleared failed
// logins, lastLoginInstant and the login record, the refresh token.
Result<Completion> CompleteLogin(EngineContext& ctx, const CompletionInput& input,
                                 WriteBatch& batch);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_LOGIN_COMPLETION_H_
