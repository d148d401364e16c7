// SPDX-License-Identifier: Apache-2.0
//
// ApiKey: a credential for the management API, optionally locked to a tenant and to some
// endpoints (FusionAuth's API Key object); on the wire `{"apiKey": {...}}`. `key` is the
// secret value: FusionAuth returns it while the key is `retrievable`; storage keeps a hash
// (the transport work, issue #5).
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_API_KEY_H_
#define BULWARK_MODEL_API_KEY_H_

#include <map>
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

struct ApiKey {
  ApiKeyId id;
  std::string key;  // the secret value
  std::string name;
  bool key_manager = false;
  bool retrievable = true;
  // permissions.endpoints: endpoint -> HTTP methods. Empty = every endpoint.
  std::map<std::string, std::vector<std::string>> endpoint_permissions;
  std::optional<TenantId> tenant_id;                        // absent: every tenant
  std::map<std::string, std::string> meta_data_attributes;  // metaData.attributes
  std::optional<IpAccessControlListId> ip_access_control_list_id;
  std::optional<Instant> expiration_instant;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  friend bool operator==(const ApiKey&, const ApiKey&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const ApiKey& key);
BULWARK_EXPORT Result<ApiKey> ApiKeyFromJson(const nlohmann::json& json,
                                             std::string_view path = "apiKey");

}  // namespace bulwark

#endif  // BULWARK_MODEL_API_KEY_H_
