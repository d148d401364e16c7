// SPDX-License-Identifier: Apache-2.0
//
// ImportRequest: a bulk import of users with their registrations (FusionAuth's Import API,
// POST /api/user/import), run by UserService::Import (bulwark/user_service.h).
//
// Passwords arrive in one of two forms, per user:
//   - pre-hashed: `password_hash.encryption_scheme` is set; `password` is then the hash as
//     the old system stored it, `password_hash.salt` its salt and `password_hash.factor` its
//     factor (0 = the scheme's default). FusionAuth's wire fields are encryptionScheme,
//     factor, salt and password. The scheme must be registered with the Engine.
//   - plaintext: no scheme on the user; `password` is hashed with the request's
//     `encryption_scheme` / `factor`, or the tenant's configuration when those are empty.
// A user without a password is imported without a credential (it cannot log in with one
// until a password is set).
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_IMPORT_REQUEST_H_
#define BULWARK_MODEL_IMPORT_REQUEST_H_

#include <string>
#include <vector>

#include "bulwark/model/user.h"

namespace bulwark {

struct ImportRequest {
  // Each user's `registrations` are imported with it. A nil user or registration id gets a
  // random one; a nil tenant id means the default tenant; absent insertInstants are now.
  std::vector<User> users = {};
  // For plaintext passwords: the scheme and factor to hash them with ("" / 0 = the tenant's).
  std::string encryption_scheme = {};
  int factor = 0;
  // FusionAuth's flag; bulwark always checks the store's constraints before writing, so this
  // is kept for wire compatibility only.
  bool validate_db_constraints = false;
};

}  // namespace bulwark

#endif  // BULWARK_MODEL_IMPORT_REQUEST_H_
