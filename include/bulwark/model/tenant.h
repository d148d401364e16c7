// SPDX-License-Identifier: Apache-2.0
//
// Tenant: an isolated set of applications and users with its own issuer and policies.
// FusionAuth's Tenant object (§6.2 of the API reference); on the wire `{"tenant": {...}}`.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_TENANT_H_
#define BULWARK_MODEL_TENANT_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/enums.h"
#include "bulwark/result.h"

namespace bulwark {

struct Tenant {
  TenantId id;
  std::string name;  // required, unique
  std::string issuer = "acme.com";
  ObjectState state = ObjectState::kActive;
  nlohmann::json data = nlohmann::json::object();
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  // Configuration sub-objects follow (added by the model layer).

  friend bool operator==(const Tenant&, const Tenant&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const Tenant& tenant);
BULWARK_EXPORT Result<Tenant> TenantFromJson(const nlohmann::json& json,
                                             std::string_view path = "tenant");

}  // namespace bulwark

#endif  // BULWARK_MODEL_TENANT_H_
