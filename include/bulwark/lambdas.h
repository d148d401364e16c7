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

// Reconcile (FusionAuth's "External JWT reconcile" and "OpenID Connect reconcile" lambdas):
// amends the user, and the registration, that an identity-provider login creates or links,
// from the provider's claims. Selected by the provider's lambdaConfiguration.reconcileId.
// `claims` are the external JWT's claims (ExternalJWT) or the id_token's claims with the
// userinfo response's over them (OpenIDConnect). `registration` is null when the login does
// not register the user for the application. It runs on every login through the provider
// except under LinkAnonymously, after claimMap. The user's id, tenant, credentials (password
// hash, password-change flags, two-factor) and registrations, and the registration's id and
// application, stay as bulwark set them, whatever the callback does. Other changes are saved
// with the login — only the members that changed, so a concurrent update of the others is
// kept — and must pass the user's own rules ([notEmail]user.email, a taken email or
// username fail the login). A non-OK Status fails the login with kInternal (the message is
// logged, not returned).
using ReconcileFn =
    std::function<Status(User& user, Registration* registration, const nlohmann::json& claims)>;

// UserInfo populate (FusionAuth's "UserInfo populate" lambda): adds or changes claims of the
// OpenID Connect userinfo response before it is returned. Selected by an application's
// lambdaConfiguration.userinfoPopulateId. `access_token` holds the claims of the access token
// the request presented. `sub` keeps the value bulwark set, whatever the callback does. A
// non-OK Status fails the request with kInternal (the message is logged, not returned).
using UserinfoPopulateFn =
    std::function<Status(nlohmann::json& userinfo, const User& user,
                         const Registration* registration, const nlohmann::json& access_token)>;

}  // namespace bulwark

#endif  // BULWARK_LAMBDAS_H_
