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

// passwordEncryptionConfiguration: how new passwords are hashed.
struct PasswordEncryptionConfiguration {
  std::string encryption_scheme = "salted-pbkdf2-hmac-sha256";
  int encryption_scheme_factor = 24000;
  bool modify_encryption_scheme_on_login = false;

  friend bool operator==(const PasswordEncryptionConfiguration&,
                         const PasswordEncryptionConfiguration&) = default;
};

// passwordValidationRules: what a new password must satisfy.
struct PasswordValidationRules {
  int min_length = 8;
  int max_length = 256;
  bool require_mixed_case = false;
  bool require_non_alpha = false;
  bool require_number = false;
  bool validate_on_login = false;
  bool disallow_user_login_id = false;  // not on every FusionAuth version's wire
  bool remember_previous_passwords_enabled = false;  // rememberPreviousPasswords.enabled
  int remember_previous_passwords_count = 1;          // rememberPreviousPasswords.count
  nlohmann::json breach_detection = nlohmann::json::object();  // breachDetection (later issue)

  friend bool operator==(const PasswordValidationRules&, const PasswordValidationRules&) = default;
};

struct Tenant {
  TenantId id;
  std::string name;  // required, unique
  std::string issuer = "acme.com";
  ObjectState state = ObjectState::kActive;
  nlohmann::json data = nlohmann::json::object();
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  PasswordEncryptionConfiguration password_encryption_configuration;
  PasswordValidationRules password_validation_rules;
  // Configuration sub-objects follow (added by the model layer).

  friend bool operator==(const Tenant&, const Tenant&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const Tenant& tenant);
BULWARK_EXPORT Result<Tenant> TenantFromJson(const nlohmann::json& json,
                                             std::string_view path = "tenant");

}  // namespace bulwark

#endif  // BULWARK_MODEL_TENANT_H_
