// SPDX-License-Identifier: Apache-2.0
// Private: the device authorization grant (RFC 8628) with FusionAuth's endpoints, kept in the
// Store's ArtefactStore. One authorization is a grant id and four kinds of artefact, all
// expiring with the tenant's deviceCodeTimeToLiveInSeconds:
//   oauth2.device_code    at SHA-256(device_code): the client and the scopes
//   oauth2.user_code      at SHA-256(the normalised user code): the same, and the device
//                         code's address; consumed when the user approves, so a code is
//                         approved once
//   oauth2.device_grant   at SHA-256(device_code): the approval, with the user; consumed by
//                         the poll that gets the tokens
//   oauth2.device_poll    at SHA-256(device_code): a marker that lives one interval after a
//                         poll, so that a faster poll is told slow_down
// User codes are drawn from the tenant's deviceUserCodeIdGenerator (length and type) over an
// alphabet without look-alike characters (no 0/O, 1/I/L, no vowels that spell words);
// entering one ignores case, spaces and hyphens.
//
// Thread-safe as the ArtefactStore it uses.
#ifndef BULWARK_OAUTH2_DEVICE_GRANT_H_
#define BULWARK_OAUTH2_DEVICE_GRANT_H_

#include <string>
#include <string_view>

#include "bulwark/oauth2/authorization_server.h"
#include "oauth2/grants.h"
#include "oauth2/server_context.h"

namespace bulwark::oauth2 {

// POST /oauth2/device_authorize.
std::variant<nlohmann::json, OAuthErrorResponse> DeviceAuthorize(
    ServerContext& server, const DeviceAuthorizationRequest& request);

// The urn:ietf:params:oauth:grant-type:device_code grant (the client's poll).
TokenResult DeviceCodeGrant(ServerContext& server, const GrantRequest& grant);

// GET /oauth2/device/validate: whether `user_code` is live for the client.
bool ValidateUserCode(ServerContext& server, std::string_view client_id,
                      std::string_view user_code);

// POST /oauth2/device/user-code: what the pending authorization asks for.
std::variant<nlohmann::json, OAuthErrorResponse> RetrieveUserCode(
    ServerContext& server, const DeviceUserCodeRequest& request);

// POST /oauth2/device/approve: the user the access token names approves the user code.
std::variant<nlohmann::json, OAuthErrorResponse> ApproveDevice(
    ServerContext& server, const DeviceApprovalRequest& request);

// The built-in device page (GET and POST /oauth2/device).
AuthorizeResult DevicePage(ServerContext& server, const DevicePageRequest& request);

// The user code as entered, normalised: upper case, without spaces and hyphens.
std::string NormaliseUserCode(std::string_view entered);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_DEVICE_GRANT_H_
