// SPDX-License-Identifier: Apache-2.0
// Private: what the authorization server's endpoints and grants share: the Engine's context,
// the server's options, and the steps every grant that ends in a user's tokens takes.
//
// Thread-safe: ServerContext is read-only after construction; the functions keep no state.
#ifndef BULWARK_OAUTH2_SERVER_CONTEXT_H_
#define BULWARK_OAUTH2_SERVER_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bulwark/engine.h"
#include "bulwark/login_service.h"
#include "bulwark/model/application.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/oauth2/authorization_server.h"
#include "engine/context.h"
#include "oauth2/oauth_error.h"

namespace bulwark::oauth2 {

struct ServerContext {
  Engine& engine;
  internal::EngineContext& ctx;
  AuthorizationServerOptions options;
  std::string base_url;        // without a trailing '/'
  std::string own_origin;      // scheme://host[:port] of base_url
  std::string authorize_path;  // the path of /oauth2/authorize under base_url
  std::string consent_path;    // the path of /oauth2/consent under base_url
  bool secure = false;         // base_url is https
};

OAuthErrorResponse ErrorResponse(const OAuthError& error, int status = 400);
OAuthErrorResponse ErrorResponse(std::string error, std::string reason, std::string description,
                                 int status = 400);
// invalid_client for an unknown, inactive or unauthenticated client: 401.
OAuthErrorResponse InvalidClient(std::string reason, std::string description);
// server_error, for a storage or signing failure (logged, never shown).
OAuthErrorResponse ServerError(ServerContext& server, const Status& status);

// The OAuth error that answers a refused login (the pipeline's outcomes other than 200/202).
OAuthError LoginRefusal(const LoginResponse& response);

// What an id token says beyond the user.
struct IdTokenFacts {
  const std::vector<std::string>* scopes = nullptr;
  std::string_view nonce = {};
  Instant auth_time{};
  std::string_view session_id = {};  // sid; none when empty
  AuthenticationType authentication_type = AuthenticationType::kPassword;
  std::string_view access_token = {};  // at_hash when not empty
  std::string_view code = {};          // c_hash when not empty
};

// An id token for `user` (as the login response shows it, with its registration for the
// application when there is one), signed with the application's id-token key; the
// application's idTokenPopulateId lambda runs on it.
Result<std::string> SignIdToken(ServerContext& server, const Tenant& tenant,
                                const Application& application, const User& user,
                                const IdTokenFacts& facts);

// The token response for a user's login (the code, password and device grants): the login's
// access and refresh tokens, the granted scopes (`facts.scopes`), and an id token when they
// include openid (`facts.access_token` is set here, for at_hash).
TokenResult UserTokens(ServerContext& server, const Tenant& tenant, const Application& application,
                       LoginResponse& login, UserId user_id, IdTokenFacts facts);

// Tokens for a user who authenticated earlier (an authorization code, an SSO session): the
// login gate again, then the access token (and a refresh token when `refresh_token`), without
// recording a login. A refusal is the OAuth error; a failure is the Status.
struct EarlierLogin {
  const Tenant* tenant = nullptr;
  const Application* application = nullptr;
  UserId user_id = {};
  AuthenticationType authentication_type = AuthenticationType::kPassword;
  Instant auth_time{};
  std::string_view session_id = {};  // the SSO session, "" without one
  const std::vector<std::string>* scopes = nullptr;
  bool refresh_token = false;
  std::optional<RefreshTokenId> refresh_token_id = std::nullopt;
  std::string_view ip_address = {};
  bool no_jwt = false;
  std::string_view grant_type = {};  // the access token's "gty"
};
Result<std::variant<LoginResponse, OAuthError>> ContinueLogin(ServerContext& server,
                                                              const EarlierLogin& login);

// Whether a user grant issues a refresh token: offline_access granted, the refresh_token
// grant enabled and oauthConfiguration.generateRefreshTokens on.
bool IssuesRefreshToken(const Application& application, const std::vector<std::string>& scopes);

bool HasScope(const std::vector<std::string>& scopes, std::string_view scope);

// Seconds from now until `expiration` (0 when past).
std::int64_t SecondsUntil(ServerContext& server, std::optional<Instant> expiration);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_SERVER_CONTEXT_H_
