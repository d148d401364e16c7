// SPDX-License-Identifier: Apache-2.0
// JSON for ImportRequest (FusionAuth's POST /api/user/import body).
#include "http/import_request_json.h"

#include <string>

#include "bulwark/model/user.h"
#include "json/json_io.h"

namespace bulwark::http {

Result<ImportRequest> ImportRequestFromJson(const nlohmann::json& json) {
  if (!json.is_object()) {
    return Status::FieldError("couldNotConvert", "request", "The import request is not an object.");
  }
  ImportRequest request;
  Errors errors;
  bulwark::internal::ObjectReader r(json, "", errors);
  if (r.valid()) {
    r.String("encryptionScheme", request.encryption_scheme);
    r.Int("factor", request.factor);
    r.Bool("validateDbConstraints", request.validate_db_constraints);
    const nlohmann::json* users = r.Find("users");
    if (users != nullptr && !users->is_array()) {
      r.AddError("couldNotConvert", "users");
    } else if (users != nullptr) {
      request.users.reserve(users->size());
      for (std::size_t i = 0; i < users->size(); ++i) {
        const nlohmann::json& item = (*users)[i];
        const std::string path = "users[" + std::to_string(i) + "]";
        Result<User> user = UserFromJson(item, path);
        if (!user.ok()) {
          errors.Merge(user.status().errors());
          continue;
        }
        // The stored salt of a pre-hashed password (write-only on FusionAuth's User object).
        if (item.is_object()) {
          const auto salt = item.find("salt");
          if (salt != item.end() && !salt->is_null()) {
            if (salt->is_string()) {
              user->password_hash.salt = salt->get<std::string>();
            } else {
              errors.AddField("couldNotConvert", path + ".salt", "salt must be a string.");
            }
          }
          // FusionAuth requires the salt of a pre-hashed password (an empty one is allowed);
          // self-describing hashes ("$argon2id$...", "$2a$...") carry their own.
          const auto scheme = item.find("encryptionScheme");
          const auto password = item.find("password");
          const bool self_describing = password != item.end() && password->is_string() &&
                                       password->get_ref<const std::string&>().starts_with("$");
          if (scheme != item.end() && scheme->is_string() && salt == item.end() &&
              !self_describing) {
            errors.AddField("missing", path + ".salt",
                            "A user with an encryptionScheme needs the salt of its hash.");
          }
          // FusionAuth imports users as inactive unless told otherwise.
          const auto active = item.find("active");
          if (active == item.end() || active->is_null()) user->active = false;
        }
        request.users.push_back(*std::move(user));
      }
    }
  }
  if (!errors.empty()) return Status::Validation(std::move(errors));
  return request;
}

}  // namespace bulwark::http
