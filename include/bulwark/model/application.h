// SPDX-License-Identifier: Apache-2.0
//
// Application: something users log in to, with roles. Its id is also its OAuth client_id and
// is unique across all tenants. FusionAuth's Application object (§6.1 of the API reference);
// on the wire `{"application": {...}}`.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_APPLICATION_H_
#define BULWARK_MODEL_APPLICATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/enums.h"
#include "bulwark/result.h"

namespace bulwark {

// ApplicationRole: {id, name, description, isDefault, isSuperRole, insertInstant,
// lastUpdateInstant}. Role names are unique within an application.
struct ApplicationRole {
  RoleId id;
  std::string name;  // required
  std::string description;
  bool is_default = false;
  bool is_super_role = false;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  friend bool operator==(const ApplicationRole&, const ApplicationRole&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const ApplicationRole& role);
BULWARK_EXPORT Result<ApplicationRole> ApplicationRoleFromJson(const nlohmann::json& json,
                                                               std::string_view path = "role");

struct Application {
  ApplicationId id;
  TenantId tenant_id;
  std::string name;  // required
  bool active = true;
  ObjectState state = ObjectState::kActive;
  std::vector<ApplicationRole> roles;
  nlohmann::json data = nlohmann::json::object();
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  // Configuration sub-objects follow (added by the model layer).

  friend bool operator==(const Application&, const Application&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const Application& application);
BULWARK_EXPORT Result<Application> ApplicationFromJson(const nlohmann::json& json,
                                                       std::string_view path = "application");

}  // namespace bulwark

#endif  // BULWARK_MODEL_APPLICATION_H_
