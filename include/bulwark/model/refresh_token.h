// SPDX-License-Identifier: Apache-2.0
//
// RefreshToken: a long-lived credential that buys new access tokens (FusionAuth's
// RefreshToken, §3.3 of the API reference); on the wire `{"refreshToken": {...}}`.
// `token` is the secret value; it is returned to its owner when issued and in FusionAuth's
// retrieve responses, and is stored only as a hash (the login work, issue #3).
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_REFRESH_TOKEN_H_
#define BULWARK_MODEL_REFRESH_TOKEN_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"

namespace bulwark {

struct DeviceInfo {
  std::string description;
  std::string last_accessed_address;
  std::optional<Instant> last_accessed_instant;
  std::string name;
  std::string type;  // free text since FusionAuth 1.46 (BROWSER, MOBILE, ...)

  friend bool operator==(const DeviceInfo&, const DeviceInfo&) = default;
};

struct RefreshTokenMetaData {
  DeviceInfo device;
  std::vector<std::string> scopes;
  nlohmann::json data = nlohmann::json::object();

  friend bool operator==(const RefreshTokenMetaData&, const RefreshTokenMetaData&) = default;
};

struct RefreshToken {
  RefreshTokenId id;
  std::string token;
  ApplicationId application_id;
  UserId user_id;
  TenantId tenant_id;
  std::optional<Instant> insert_instant;
  std::optional<Instant> start_instant;  // the basis for expiry
  RefreshTokenMetaData meta_data;
  nlohmann::json data = nlohmann::json::object();

  friend bool operator==(const RefreshToken&, const RefreshToken&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const RefreshToken& token);
BULWARK_EXPORT Result<RefreshToken> RefreshTokenFromJson(const nlohmann::json& json,
                                                         std::string_view path = "refreshToken");

}  // namespace bulwark

#endif  // BULWARK_MODEL_REFRESH_TOKEN_H_
