// SPDX-License-Identifier: Apache-2.0
// Private: turning caller input into objects ready to write, shared by the user and
// registration services (the combined user + registration call uses both).
#ifndef BULWARK_ENGINE_PREPARATION_H_
#define BULWARK_ENGINE_PREPARATION_H_

#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"
#include "engine/context.h"

namespace bulwark::internal {

// Resolves the tenant (nil = default), validates, assigns an id and instants, and replaces
// the plaintext password by its hash. `registrations` is cleared.
Result<User> PrepareNewUser(EngineContext& ctx, User user);

// Checks the application (exists, same tenant as the user), fills default roles or checks
// the given ones, assigns an id and instants.
Result<Registration> PrepareNewRegistration(EngineContext& ctx, TenantId user_tenant,
                                            Registration registration);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_PREPARATION_H_
