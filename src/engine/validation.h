// SPDX-License-Identifier: Apache-2.0
// Private: the checks the services run before writing, as FusionAuth field errors.
#ifndef BULWARK_ENGINE_VALIDATION_H_
#define BULWARK_ENGINE_VALIDATION_H_

#include <string_view>

#include "bulwark/model/application.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/status.h"

namespace bulwark::internal {

Status ValidateTenant(const Tenant& tenant);
Status ValidateApplication(const Application& application);
Status ValidateRole(const ApplicationRole& role);
// The user's own fields (login ids, email shape); `require_password` on create.
Status ValidateUser(const User& user, const Tenant& tenant, bool require_password);
// The tenant's passwordValidationRules applied to a plaintext password, into `errors`.
void CheckPassword(std::string_view password, const Tenant& tenant, Errors& errors);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_VALIDATION_H_
