// SPDX-License-Identifier: Apache-2.0
// The password grant (RFC 6749 §4.3): the Login API's semantics through the same password
// authenticator (lockout, the gate, the login record, events), with the scopes the
// application's policies let through; its refusals become OAuth errors and reasons.
#include <utility>
#include <variant>

#include "engine/login/pipeline.h"
#include "oauth2/grants.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {

TokenResult PasswordGrant(ServerContext& server, const GrantRequest& grant) {
  const TokenRequest& request = grant.request;
  const Application& app = grant.application;
  if (std::optional<OAuthErrorResponse> refused =
          AuthenticateGrantClient(grant, GrantType::kPassword)) {
    return *refused;
  }
  if (!request.username.has_value() || request.username->empty()) {
    return ErrorResponse("invalid_request", "unknown",
                         "The request is missing a required parameter: username");
  }
  if (!request.password.has_value() || request.password->empty()) {
    return ErrorResponse("invalid_request", "unknown",
                         "The request is missing a required parameter: password");
  }
  ScopeResolution scopes = ResolveScopes(request.scope.value_or(""), app);
  if (scopes.error.has_value()) return ErrorResponse(*scopes.error);

  LoginRequest login{.login_id = *request.username,
                     .password = *request.password,
                     .application_id = app.id,
                     .tenant_id = grant.tenant.id,
                     .ip_address = request.ip_address};
  Result<LoginResponse> result =
      internal::PasswordLogin(server.ctx, login,
                              {.type = AuthenticationType::kPassword,
                               .refresh_token = IssuesRefreshToken(app, scopes.scopes),
                               .oauth = true,
                               .scopes = &scopes.scopes,
                               .grant_type = "password"});
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kInvalidArgument) {
      return ErrorResponse("invalid_grant", "invalid_user_credentials",
                           "The user credentials are invalid.");
    }
    return ServerError(server, result.status());
  }
  LoginResponse& response = *result;
  const bool proceeds = response.outcome == LoginOutcome::kSuccess ||
                        (response.outcome == LoginOutcome::kNotRegistered &&
                         !app.oauth_configuration.require_registration);
  if (!proceeds) return ErrorResponse(LoginRefusal(response));
  if (!response.user.has_value()) {
    return ServerError(server, Status::Internal("a login answered without its user"));
  }
  return UserTokens(server, grant.tenant, app, response, response.user->id,
                    IdTokenFacts{.scopes = &scopes.scopes,
                                 .auth_time = server.ctx.Now(),
                                 .authentication_type = AuthenticationType::kPassword});
}

}  // namespace bulwark::oauth2
