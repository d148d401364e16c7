// SPDX-License-Identifier: Apache-2.0
//
// FusionAuth's wire JSON of the Login and Identity Provider APIs' requests and responses,
// for a transport (the Router uses them) and for tests. The engine's services take and
// return the typed values; only the transport speaks JSON.
#ifndef BULWARK_HTTP_WIRE_JSON_H_
#define BULWARK_HTTP_WIRE_JSON_H_

#include <nlohmann/json.hpp>

#include "bulwark/export.h"
#include "bulwark/identity_provider_link_service.h"
#include "bulwark/identity_provider_service.h"
#include "bulwark/login_service.h"
#include "bulwark/result.h"

namespace bulwark {

// The HTTP status FusionAuth answers a login with: 200, 202, 203, 212, 213, 232, 401, 404,
// 409, 410 or 423. The outcomes are named after these codes, but which code a transport
// sends is the transport's business, so the mapping lives here.
BULWARK_EXPORT int HttpStatusOf(LoginOutcome outcome);

// FusionAuth's LoginResponse body: token, tokenExpirationInstant, refreshToken,
// refreshTokenId, user, changePasswordId, changePasswordReason, actions, pendingIdPLinkId.
BULWARK_EXPORT nlohmann::json ToJson(const LoginResponse& response);

// Reads FusionAuth's request body (applicationId, identityProviderId, data, encodedJWT,
// noLink, noJWT, ipAddress, metaData.device). Field errors for malformed members.
BULWARK_EXPORT Result<IdentityProviderLoginRequest> IdentityProviderLoginRequestFromJson(
    const nlohmann::json& json);

// {"identityProvider": {applicationIds, id, idpEndpoint, name, oauth2, tenantId, type,
// insertInstant, lastUpdateInstant}}.
BULWARK_EXPORT nlohmann::json ToJson(const IdentityProviderLookup& lookup);

// {"identityProviderTenantConfiguration": {"limitUserLinkCount": {...}}, "linkCount",
// "pendingIdPLink": {...}}.
BULWARK_EXPORT nlohmann::json ToJson(const PendingIdPLinkResponse& response);

}  // namespace bulwark

#endif  // BULWARK_HTTP_WIRE_JSON_H_
