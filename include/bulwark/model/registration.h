// SPDX-License-Identifier: Apache-2.0
//
// Registration: a user's membership of one application, with role names and free-form data.
// FusionAuth's UserRegistration object; on the wire it is nested in a user
// (`user.registrations[]`) or wrapped as `{"registration": {...}}`.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_REGISTRATION_H_
#define BULWARK_MODEL_REGISTRATION_H_

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

struct Registration {
  RegistrationId id;
  ApplicationId application_id;    // required
  std::vector<std::string> roles;  // role names; empty on create = the default roles
  std::string username;            // per-application display name; empty = absent
  UsernameStatus username_status = UsernameStatus::kActive;
  nlohmann::json data = nlohmann::json::object();
  std::vector<std::string> preferred_languages;
  std::string timezone;
  bool verified = false;
  std::optional<Instant> verified_instant;
  std::string authentication_token;                  // write-once secret; empty = absent
  nlohmann::json tokens = nlohmann::json::object();  // deprecated map name -> token
  std::string clean_speak_id;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;
  std::optional<Instant> last_login_instant;

  friend bool operator==(const Registration&, const Registration&) = default;
};

// JSON in FusionAuth's wire shape (instants in epoch ms, empty strings and absent optionals
// omitted). Never throws.
BULWARK_EXPORT nlohmann::json ToJson(const Registration& registration);
// Reads a registration; `path` prefixes field errors ("registration" gives
// "[couldNotConvert]registration.roles"). Unknown members are ignored.
BULWARK_EXPORT Result<Registration> RegistrationFromJson(const nlohmann::json& json,
                                                         std::string_view path = "registration");

}  // namespace bulwark

#endif  // BULWARK_MODEL_REGISTRATION_H_
