// SPDX-License-Identifier: Apache-2.0
// Private: the token endpoint's grants, one file each (grant_<name>.cc), and the table that
// picks one by grant_type (authorization_server.cc). A grant runs once the client is known:
// the application the client_id names is loaded, active, and has the grant enabled; what
// remains is the grant's own client authentication and its work.
//
// Thread-safe: the grants keep no state.
#ifndef BULWARK_OAUTH2_GRANTS_H_
#define BULWARK_OAUTH2_GRANTS_H_

#include "bulwark/model/application.h"
#include "bulwark/model/tenant.h"
#include "bulwark/oauth2/authorization_server.h"
#include "oauth2/server_context.h"

namespace bulwark::oauth2 {

// What every grant is handed.
struct GrantRequest {
  const TokenRequest& request;
  const Tenant& tenant;
  const Application& application;
};

TokenResult AuthorizationCodeGrant(ServerContext& server, const GrantRequest& grant);
TokenResult RefreshTokenGrant(ServerContext& server, const GrantRequest& grant);
TokenResult PasswordGrant(ServerContext& server, const GrantRequest& grant);
TokenResult ClientCredentialsGrant(ServerContext& server, const GrantRequest& grant);

// The client authentication of a grant that does not depend on a code: under the
// application's clientAuthenticationPolicy (client_authentication.h). nullopt when the
// request may go on.
std::optional<OAuthErrorResponse> AuthenticateGrantClient(const GrantRequest& grant,
                                                          GrantType type);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_GRANTS_H_
