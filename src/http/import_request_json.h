// SPDX-License-Identifier: Apache-2.0
// The wire JSON of FusionAuth's POST /api/user/import body.
#ifndef BULWARK_SRC_HTTP_IMPORT_REQUEST_JSON_H_
#define BULWARK_SRC_HTTP_IMPORT_REQUEST_JSON_H_

#include <nlohmann/json.hpp>

#include "bulwark/model/import_request.h"
#include "bulwark/result.h"

namespace bulwark::http {

// FusionAuth's wire shape: {"users": [...], "encryptionScheme", "factor",
// "validateDbConstraints"}. As in FusionAuth, a user's `active` defaults to false when the
// member is absent. Wrong types are field errors ("[couldNotConvert]users[2].email").
Result<ImportRequest> ImportRequestFromJson(const nlohmann::json& json);

}  // namespace bulwark::http

#endif  // BULWARK_SRC_HTTP_IMPORT_REQUEST_JSON_H_
