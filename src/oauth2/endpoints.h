// SPDX-License-Identifier: Apache-2.0
// Private: the endpoints beside authorize and token: introspection (RFC 7662), revocation
// (RFC 7009) and RP-initiated logout (token_inspection.cc, logout.cc).
//
// Thread-safe: they keep no state.
#ifndef BULWARK_OAUTH2_ENDPOINTS_H_
#define BULWARK_OAUTH2_ENDPOINTS_H_

#include "bulwark/oauth2/authorization_server.h"
#include "oauth2/server_context.h"

namespace bulwark::oauth2 {

IntrospectResult Introspect(ServerContext& server, const TokenInspectionRequest& request);
RevokeResult Revoke(ServerContext& server, const TokenInspectionRequest& request);
AuthorizeResult Logout(ServerContext& server, const LogoutRequest& request);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_ENDPOINTS_H_
