// SPDX-License-Identifier: Apache-2.0
//
// AuthenticationType: how a user was authenticated — the `authenticationType` claim of an
// access token and the login events' authenticationType — with FusionAuth's wire names,
// in FusionAuth's own (mixed) casing: PASSWORD, PING, REFRESH_TOKEN, FEDERATED_JWT,
// OPENID_CONNECT, SAMLv2, EpicGames, ...
//
// Every way into the login pipeline names its type with this enum; the wire name is written
// only where a token or an event leaves the engine.
#ifndef BULWARK_MODEL_AUTHENTICATION_TYPE_H_
#define BULWARK_MODEL_AUTHENTICATION_TYPE_H_

#include <string_view>

#include "bulwark/export.h"
#include "bulwark/result.h"

namespace bulwark {

enum class AuthenticationType {
  kPassword,            // PASSWORD: the Login API
  kApplicationToken,    // APPLICATION_TOKEN
  kOneTimePassword,     // ONE_TIME_PASSWORD
  kPasswordless,        // PASSWORDLESS
  kPing,                // PING: PUT /api/login/{userId}/{applicationId}
  kRefreshToken,        // REFRESH_TOKEN: a refresh grant
  kJwtSso,              // JWT_SSO: /api/jwt/issue
  kRegistration,        // REGISTRATION: a self-service registration
  kUserCreate,          // USER_CREATE
  kFederatedJwt,        // FEDERATED_JWT: an External JWT identity provider
  kOpenIdConnect,       // OPENID_CONNECT
  kSamlV2,              // SAMLv2
  kSamlV2IdpInitiated,  // SAMLv2IdpInitiated
  kGoogle,              // GOOGLE
  kFacebook,            // FACEBOOK
  kApple,               // APPLE
  kTwitter,             // TWITTER
  kLinkedIn,            // LINKEDIN
  kHypr,                // HYPR
  kGenericConnector,    // GENERIC_CONNECTOR
  kLdapConnector,       // LDAP_CONNECTOR
  kEpicGames,           // EpicGames
  kNintendo,            // Nintendo
  kSonyPsn,             // SonyPSN
  kSteam,               // Steam
  kTwitch,              // Twitch
  kXbox,                // Xbox
  kWebAuthn,            // WebAuthn
};

// The wire name (a view of static storage).
BULWARK_EXPORT std::string_view ToString(AuthenticationType type);
// kInvalidArgument for a name FusionAuth does not define (the match is exact, casing included).
BULWARK_EXPORT Result<AuthenticationType> ParseAuthenticationType(std::string_view name);

}  // namespace bulwark

#endif  // BULWARK_MODEL_AUTHENTICATION_TYPE_H_
