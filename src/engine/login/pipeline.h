// SPDX-License-Identifier: Apache-2.0
// Private: the one login pipeline every way in goes through.
//
//   authenticate -> gate -> complete -> commit + events
//
// A way in (the Login API's password, the ping, an identity provider's reconcile; later the
// OAuth grants and the SAML IdP) is an *authenticator*: it loads the tenant and application
// (LoadTenantAndApplication), finds out who the user is by its own means, and adds its own
// writes to a WriteBatch (a compare-and-set on the password it checked, a new user, a link).
// It then hands the user to a LoginPipeline:
//
//   - Gate: the rules that keep an authenticated user out, the same for every way in:
//     expired (410), deactivated (404), an action in force that prevents login (409 with the
//     actions when one names a user action, else 423).
//   - Finish = complete + commit + events: decides 200/202/203/212/213, issues the access
//     token and refresh token, records lastLoginInstant and the login record, applies the
//     batch atomically, and only then emits events (the authenticator's own, then
//     user.login.success).
//
// Refusals emit user.login.failed. Outcomes are FusionAuth's (LoginOutcome); turning one
// into an HTTP status is the transport's business.
#ifndef BULWARK_ENGINE_LOGIN_PIPELINE_H_
#define BULWARK_ENGINE_LOGIN_PIPELINE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/login_service.h"
#include "bulwark/model/application.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/store/write_batch.h"
#include "engine/context.h"

namespace bulwark::internal {

// The user as a response shows it: no password material beyond scheme and factor, no
// two-factor secrets or recovery codes, no registration authentication tokens.
User Presentable(User user);

// Shared with the Engine's configuration caches (decoded_cache.h): immutable, not copied.
struct TenantAndApplication {
  std::shared_ptr<const Tenant> tenant;            // never null in a loaded value
  std::shared_ptr<const Application> application;  // null when no application was named
};

// The application (when given; [invalid]applicationId when it does not exist, is inactive
// or is not in `tenant_id`) and the tenant: `tenant_id`, else the application's, else the
// default tenant ([invalid]tenantId when it does not exist).
Result<TenantAndApplication> LoadTenantAndApplication(EngineContext& ctx,
                                                      std::optional<TenantId> tenant_id,
                                                      std::optional<ApplicationId> application_id);

// The actions in force at `now` that prevent the user from logging in.
Result<std::vector<UserActionLog>> PreventingActions(EngineContext& ctx, UserId user_id,
                                                     Instant now);

// Where and how one login is attempted.
struct LoginAttempt {
  const Tenant* tenant = nullptr;            // required
  const Application* application = nullptr;  // null: no application
  AuthenticationType type = AuthenticationType::kPassword;
  std::string_view ip_address = {};
  const DeviceInfo* device = nullptr;  // describes the refresh token; may be null
  bool no_jwt = false;
  // Whether the person must first take the steps a login can ask for: 203 (change the
  // password), 212 (verify the email), 213 (verify the registration). A ping records a login
  // the caller vouches for and answers only 200 or 202 (FusionAuth's codes for it).
  bool person_steps = true;
  // Whether a 200 issues a refresh token when the application generates them (a ping does
  // not). Under `oauth`, the caller has decided (offline_access, the grant enabled,
  // oauthConfiguration.generateRefreshTokens) and this alone counts.
  bool refresh_token = true;
  // The OAuth grants and the hosted login page:
  bool oauth = false;
  // the granted scopes: the access token's "scope", the refresh token's metaData.scopes;
  const std::vector<std::string>* scopes = nullptr;
  // the SSO session the tokens belong to (their "sid"; else the refresh token's id);
  std::optional<Uuid> session_id = std::nullopt;
  // the id of the refresh token, when the caller must find it again (the authorization code
  // grant: a replayed code revokes what its grant issued);
  std::optional<RefreshTokenId> refresh_token_id = std::nullopt;
  // when the user logged in (the tokens' auth_time), when it was not now;
  std::optional<Instant> auth_time = std::nullopt;
  // false when the tokens are for a login recorded earlier (the authorization code grant,
  // a login through the SSO session): no lastLoginInstant, no login record, no cleared
  // failures and no user.login.success.
  bool record_login = true;
  // the OAuth grant that issues the access token: its header's "gty" (e.g.
  // "authorization_code"); none when empty.
  std::string_view grant_type = {};
};

// One login attempt after its authenticator. Not thread-safe: one per attempt, on the
// caller's stack; it borrows the attempt's tenant, application and strings.
class LoginPipeline {
 public:
  LoginPipeline(EngineContext& ctx, const LoginAttempt& attempt);

  // The attempt's instant: every stage uses the same one.
  Instant now() const { return now_; }
  EngineContext::EventIds Ids(std::optional<UserId> user_id) const;

  // A refusal: emits user.login.failed and answers `outcome`.
  LoginResponse Refuse(LoginOutcome outcome, std::optional<UserId> user_id = std::nullopt);

  // The refusal for actions in force that prevent login: 409 with the actions when one
  // names a user action (FusionAuth's LoginPreventedResponse), else 423. Emits
  // user.login.failed.
  LoginResponse Prevent(std::vector<UserActionLog> actions, UserId user_id);

  // The gate, for a user who already exists: expired (410), then deactivated (404), then
  // prevented (409/423). Returns the refusal (its event emitted), or nullopt when the user
  // may go on. `actions`: the preventing actions when the authenticator has read them
  // already (a password login reads them before checking the password, so that a lock
  // answers the same whatever the password); otherwise they are read here.
  Result<std::optional<LoginResponse>> Gate(const User& user,
                                            const std::vector<UserActionLog>* actions = nullptr);

  // The user's registration for the attempt's application; nullopt when there is none or
  // no application.
  Result<std::optional<Registration>> LoadRegistration(UserId user_id);

  // Complete, commit, emit. `user` is the user as it will be stored and `registration` its
  // registration for the application, if any (both get lastLoginInstant). `batch` holds the
  // authenticator's writes; this adds the login's (cleared failures, the login record, the
  // refresh token) and applies it atomically. When the store answers kAborted (a
  // compare-and-set in the batch lost: the password this login checked changed meanwhile)
  // the login is refused with 404. Other storage errors are returned as they are, with no
  // event. After the commit, `committed` (may be empty) emits the authenticator's events,
  // then user.login.success follows for 200 and 202. The response carries the presentable
  // user, except for 203 (FusionAuth's body is only changePasswordId and its reason).
  Result<LoginResponse> Finish(User& user, std::optional<Registration>& registration,
                               WriteBatch& batch, const std::function<void()>& committed = {});

 private:
  struct Completion {
    LoginResponse response;  // without `user`
    User shown;              // the presentable user, with the registration when there is one
  };
  // Decides 203 (password change required), 212 (the tenant requires verified email), 213
  // (registration not verified), else 200 — or 202 when there is an application the user
  // is not registered for — and, for 200/202 unless no_jwt, issues the access token and,
  // for 200 when the application generates them, a refresh token.
  Result<Completion> Complete(User& user, std::optional<Registration>& registration,
                              WriteBatch& batch);

  EngineContext& ctx_;
  LoginAttempt attempt_;
  Instant now_;
};

// The password authenticator (the Login API, the OAuth password grant, the hosted login
// page): finds the user by `request`'s login id, checks the password with the lockout rules,
// and runs the pipeline. `attempt` says how (type, the OAuth members); its tenant,
// application, ip_address, device and no_jwt come from `request`.
Result<LoginResponse> PasswordLogin(EngineContext& ctx, const LoginRequest& request,
                                    LoginAttempt attempt);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_LOGIN_PIPELINE_H_
