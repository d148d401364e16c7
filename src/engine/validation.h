// SPDX-License-Identifier: Apache-2.0
// Private: the checks the services run before writing, as FusionAuth field errors.
#ifndef BULWARK_ENGINE_VALIDATION_H_
#define BULWARK_ENGINE_VALIDATION_H_

#include <string_view>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/model/application.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/status.h"

namespace bulwark::internal {

Status ValidateTenant(const Tenant& tenant);
Status ValidateApplication(const Application& application);
Status ValidateRole(const ApplicationRole& role);
// The user's own fields (login ids, email shape); `require_password` on create. When a
// password is to be hashed, its scheme (the user's encryptionScheme, else the tenant's) must
// be registered in `hashers`: [invalid] on PasswordSchemePath otherwise.
Status ValidateUser(const User& user, const Tenant& tenant, bool require_password,
                    const PasswordHasherRegistry& hashers);
// Where an unusable password scheme is reported: user.encryptionScheme when the request
// named the scheme, else the tenant's passwordEncryptionConfiguration.encryptionScheme.
std::string_view PasswordSchemePath(bool requested_by_user);
// The tenant's passwordValidationRules applied to a plaintext password, into `errors`.
void CheckPassword(std::string_view password, const Tenant& tenant, Errors& errors);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_VALIDATION_H_
