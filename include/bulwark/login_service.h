// SPDX-License-Identifier: Apache-2.0
//
// LoginService: FusionAuth's Login API in-process (POST /api/login, PUT /api/login for the
// ping). Obtain it from Engine::login().
//
//   LoginRequest request;
//   request.login_id = "richard@piedpiper.example";
//   request.password = "middle-out compression";
//   request.application_id = app.id;
//   Result<LoginResponse> r = engine->login().Login(request);
//   if (r.ok() && r->outcome == LoginOutcome::kSuccess) use(r->token, r->refresh_token);
//
// Outcomes are FusionAuth's status codes (LoginOutcome); a Result error is only for a bad
// request ([blank]loginId, [blank]password: kInvalidArgument) or a failure of the store or a
// plug-in. An unknown login id and a wrong password are the same outcome (404), and cost the
// same: an unknown user is checked against a dummy hash of the tenant's scheme, and its
// failure is recorded (under a digest of the login id) as a known user's is. A storage error
// while recording a failure still answers 404.
//
// Failed logins count against the tenant's failedAuthenticationConfiguration: after
// tooManyAttempts failures within resetCountInSeconds (counted inside the store's write, so
// that concurrent failures cannot slip past), the user is locked for actionDuration
// actionDurationUnits (a UserActionLog "Failed authentication"; with
// refreshTokenRevocationPolicy.onLoginPrevented the user's refresh tokens are revoked). While
// locked, logins answer 409 with the action when the configuration names a userActionId, else
// 423 — whether the password is right or wrong. The lock ends when its expiry passes (the
// Clock decides). A success clears the count.
//
// A successful login writes only lastLoginInstant and a login record (with ipAddress), and
// opens a session only if the password it checked is still the user's. Responses and JWT
// populate callbacks never see password hashes, two-factor secrets, recovery codes or
// registration authentication tokens. 203 carries only changePasswordId and
// changePasswordReason (the id is random and not yet usable: no Change Password API exists).
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_LOGIN_SERVICE_H_
#define BULWARK_LOGIN_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/login_record.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/user.h"
#include "bulwark/model/user_action_log.h"
#include "bulwark/result.h"
#include "bulwark/user_service.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

struct LoginRequest {
  std::string login_id = {};
  // Which fields loginId matches, in priority order (FusionAuth's loginIdTypes).
  std::vector<LoginIdType> login_id_types = {LoginIdType::kEmail, LoginIdType::kUsername};
  std::string password = {};
  // The application: registration check, token audience and roles, refresh tokens.
  std::optional<ApplicationId> application_id = {};
  // The tenant (FusionAuth's X-FusionAuth-TenantId). Default: the application's tenant, else
  // the default tenant.
  std::optional<TenantId> tenant_id = {};
  std::string ip_address = {};
  DeviceInfo device = {};  // metaData.device: describes the refresh token
  bool no_jwt = false;
  // Set by a transport that serves untrusted callers (the Router): whether the call carried
  // a valid API key. When false and the application (else the tenant) has
  // loginConfiguration.requireAuthentication, the login is refused with kUnauthenticated
  // before any user is looked up. Unset, as for an in-process call, the caller is trusted.
  std::optional<bool> api_key_authenticated = {};
};

// The outcomes of FusionAuth's Login API, each named by the HTTP status FusionAuth answers
// with (http/wire_json.h's HttpStatusOf maps them); the identity-provider login of
// identity_provider_service.h answers with them too.
enum class LoginOutcome {
  kSuccess = 200,
  kNotRegistered = 202,           // authenticated, not registered for the application
  kPasswordChangeRequired = 203,  // changePasswordId / changePasswordReason
  kEmailNotVerified = 212,        // the tenant requires verified email addresses
  kRegistrationNotVerified = 213,
  // Identity-provider login under the CreatePendingLink strategy: no link yet; the response
  // carries only pendingIdPLinkId.
  kPendingLink = 232,
  // Identity-provider login: the provider's token or code could not be verified or
  // reconciled (bad signature, expired, wrong issuer or audience, no unique id claim, an
  // email outside the provider's domains).
  kUnauthorized = 401,
  // Unknown login id or wrong password; for an identity-provider login: no link and the
  // strategy does not create one (Disabled, *ForExistingUser without a user, noLink).
  kInvalidCredentials = 404,
  kLoginPrevented = 409,  // an action prevents login: see `actions`
  kExpired = 410,         // user.expiry has passed
  kLocked = 423,
};

struct LoginResponse {
  LoginOutcome outcome = LoginOutcome::kInvalidCredentials;
  // The user (no password material beyond encryptionScheme/factor) for 200, 202, 203, 212
  // and 213.
  std::optional<User> user = {};
  std::string token = {};  // the access token (200, 202) unless noJWT
  std::optional<Instant> token_expiration_instant = {};
  std::string refresh_token = {};  // 200, when the application issues refresh tokens
  std::optional<RefreshTokenId> refresh_token_id = {};
  // When the refresh token expires under its application's policy (not on the wire: the
  // transport's refresh_token cookie lifetime).
  std::optional<Instant> refresh_token_expiration_instant = {};
  std::string change_password_id = {};
  std::optional<ChangePasswordReason> change_password_reason = {};
  std::vector<UserActionLog> actions = {};  // 409
  std::string pending_idp_link_id = {};     // 232
};

class BULWARK_EXPORT LoginService {
 public:
  LoginService(const LoginService&) = delete;
  LoginService& operator=(const LoginService&) = delete;

  Result<LoginResponse> Login(const LoginRequest& request);

  // Login ping (PUT /api/login/{userId}/{applicationId}): records a login without a password
  // and issues an access token with authenticationType PING. 200, or 202 when the user is not
  // registered; kNotFound when the user does not exist.
  Result<LoginResponse> Ping(UserId user_id, ApplicationId application_id,
                             std::string ip_address = "", bool no_jwt = false);

  // The user's most recent logins (password logins and pings, with the request's ipAddress),
  // newest first, at most `limit` (FusionAuth's login records).
  Result<std::vector<LoginRecord>> RetrieveLoginRecords(UserId user_id, std::size_t limit = 100);

 private:
  friend class Engine;
  explicit LoginService(internal::EngineContext& context) : ctx_(context) {}
  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_LOGIN_SERVICE_H_
