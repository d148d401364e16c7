// SPDX-License-Identifier: Apache-2.0
// The authorization_code grant (RFC 6749 §4.1.3): the code is redeemed once, for the client
// and redirect_uri it was issued to and with the PKCE verifier its challenge asks for; then
// the login it stands for continues through the login pipeline (the gate again, no second
// login record) to the tokens. A replayed code revokes the refresh token its grant issued.
#include <utility>
#include <variant>

#include "oauth2/authorization_code.h"
#include "oauth2/client_authentication.h"
#include "oauth2/grants.h"
#include "oauth2/scopes.h"

namespace bulwark::oauth2 {

TokenResult AuthorizationCodeGrant(ServerContext& server, const GrantRequest& grant) {
  const TokenRequest& request = grant.request;
  const Application& app = grant.application;
  internal::EngineContext& ctx = server.ctx;
  if (!request.code.has_value() || request.code->empty()) {
    return ErrorResponse("invalid_request", "missing_code",
                         "The request is missing a required parameter: code");
  }
  // A secret presented is checked first, whatever the code holds.
  const bool presented = request.client_secret.has_value();
  if (presented) {
    ClientAuthentication checked =
        AuthenticateClient(app, PresentedSecret{.secret = *request.client_secret},
                           GrantType::kAuthorizationCode, /*code_has_challenge=*/false);
    if (checked.error.has_value()) return ErrorResponse(*checked.error, 401);
  }
  ReplayedCode replayed;
  Result<std::variant<CodeGrant, OAuthError>> redeemed =
      RedeemAuthorizationCode(ctx.store->artefacts(),
                              CodeRedemption{.tenant_id = grant.tenant.id,
                                             .code = *request.code,
                                             .client_id = app.id,
                                             .redirect_uri = request.redirect_uri,
                                             .code_verifier = request.code_verifier},
                              ctx.Now(), &replayed);
  if (!redeemed.ok()) return ServerError(server, redeemed.status());
  if (const OAuthError* error = std::get_if<OAuthError>(&*redeemed)) {
    if (!replayed.grant_id.empty()) {
      // RFC 6749 §4.1.2: revoke what the code issued. Its refresh token carries the grant id.
      Result<RefreshTokenId> token = RefreshTokenId::Parse(replayed.grant_id);
      if (token.ok()) {
        Status revoked = server.engine.tokens().RevokeRefreshTokenById(*token);
        if (!revoked.ok() && revoked.code() != StatusCode::kNotFound) {
          ctx.Log(LogLevel::kError, "the refresh token of a replayed code could not be revoked: " +
                                        revoked.ToString());
        }
      }
    }
    return ErrorResponse(*error);
  }
  const CodeGrant& code = std::get<CodeGrant>(*redeemed);
  const bool has_challenge = code.code_challenge.has_value();
  bool authenticated = presented;
  if (!presented) {
    ClientAuthentication checked =
        AuthenticateClient(app, PresentedSecret{}, GrantType::kAuthorizationCode, has_challenge);
    if (checked.error.has_value()) return ErrorResponse(*checked.error, 401);
    authenticated = checked.authenticated;
  }
  if (std::optional<OAuthError> pkce = CheckPkcePolicy(app, has_challenge, authenticated)) {
    return ErrorResponse(*pkce);
  }
  std::optional<RefreshTokenId> refresh_id;
  if (Result<RefreshTokenId> parsed = RefreshTokenId::Parse(code.grant_id); parsed.ok()) {
    refresh_id = *parsed;
  }
  Result<std::variant<LoginResponse, OAuthError>> continued =
      ContinueLogin(server, EarlierLogin{.tenant = &grant.tenant,
                                         .application = &app,
                                         .user_id = code.user_id,
                                         .authentication_type = code.authentication_type,
                                         .auth_time = code.auth_time,
                                         .session_id = code.session_id,
                                         .scopes = &code.scopes,
                                         .refresh_token = IssuesRefreshToken(app, code.scopes),
                                         .refresh_token_id = refresh_id,
                                         .ip_address = request.ip_address,
                                         .grant_type = "authorization_code"});
  if (!continued.ok()) return ServerError(server, continued.status());
  if (const OAuthError* error = std::get_if<OAuthError>(&*continued)) return ErrorResponse(*error);
  LoginResponse& login = std::get<LoginResponse>(*continued);

  return UserTokens(server, grant.tenant, app, login, code.user_id,
                    IdTokenFacts{.scopes = &code.scopes,
                                 .nonce = code.nonce,
                                 .auth_time = code.auth_time,
                                 .session_id = code.session_id,
                                 .authentication_type = code.authentication_type});
}

}  // namespace bulwark::oauth2
