// SPDX-License-Identifier: Apache-2.0
//
// Lambdas: FusionAuth's JavaScript lambdas as C++ callbacks, registered with the Engine by
// LambdaId (EngineOptions) and selected by the configuration that names that id, e.g. an
// application's lambdaConfiguration.accessTokenPopulateId.
//
// Callbacks are called concurrently from many threads, must not throw and must not call
// back into the Engine.
#ifndef BULWARK_LAMBDAS_H_
#define BULWARK_LAMBDAS_H_

#include <functional>

#include <nlohmann/json.hpp>

#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "bulwark/status.h"

namespace bulwark {

// JWT populate (FusionAuth's "JWT populate" lambda): adds or changes claims of an access
// token before it is signed. `registration` is null when the user is not registered for the
// application. Reserved claims (aud, exp, iat, iss, sub, jti, nbf, tid, sid, auth_time,
// authenticationType, applicationId, gty, amr) keep the values bulwark set, whatever the
// callback does. A non-OK Status fails the login or refresh with kInternal (the message is
// logged, not returned).
using JwtPopulateFn =
    std::function<Status(nlohmann::json& jwt, const User& user, const Registration* registration)>;

}  // namespace bulwark

#endif  // BULWARK_LAMBDAS_H_
