// SPDX-License-Identifier: Apache-2.0
// Private: turning what an identity provider handed back (an external JWT, an OpenID Connect
// authorization code) into a verified identity: the provider's user id, email, whether the
// provider verified that email, username, and the claims for claimMap and the reconcile
// callback.
//
// A token or code that cannot be verified is kUnauthenticated (the login's 401); every other
// error (no HttpClient, a provider that cannot be reached, the store) passes through.
#ifndef BULWARK_ENGINE_EXTERNAL_IDENTITY_H_
#define BULWARK_ENGINE_EXTERNAL_IDENTITY_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/ids.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/result.h"
#include "engine/context.h"

namespace bulwark::internal {

// The clock skew allowed on a foreign token's exp, nbf and iat.
inline constexpr std::chrono::seconds kForeignTokenLeeway{60};
// How long a discovery document or JWKS is used before it is fetched again.
inline constexpr std::chrono::hours kOidcCacheMaxAge{1};

struct ExternalIdentity {
  nlohmann::json claims = nlohmann::json::object();
  std::string unique_id;
  std::string email;                     // empty: the provider gave none
  std::optional<bool> email_verified;    // absent: the provider did not say
  std::string username;                  // empty: the provider gave none
  std::string token;                     // what the link keeps: the JWT or the id_token
  AuthenticationType authentication_type = AuthenticationType::kFederatedJwt;
};

// FEDERATED_JWT for ExternalJWT, OPENID_CONNECT for OpenIDConnect (the access token's and the
// login events' authenticationType).
AuthenticationType AuthenticationTypeOf(IdentityProviderType type);

// The provider's limit on one user's links to it in `tenant_id`, if it sets one.
std::optional<std::int64_t> LinkLimit(const IdentityProvider& provider, TenantId tenant_id);

// The identity in `claims` under the provider's claim names. kUnauthenticated when the
// unique id claim is missing or not a string or number.
Result<ExternalIdentity> IdentityFromClaims(nlohmann::json claims,
                                            const IdentityProviderOAuth2Configuration& names);

// True when the provider lists no domains, or the email's domain is one of them
// (case-insensitive). An identity without email passes.
bool EmailInDomains(const IdentityProvider& provider, std::string_view email);

// ExternalJWT: verifies `token` with the provider's verification keys and its exp.
Result<ExternalIdentity> VerifyExternalJwt(EngineContext& ctx,
                                           const ExternalJwtConfiguration& config,
                                           std::string_view token);

// OpenIDConnect: exchanges `code` at the token endpoint, verifies the id_token, calls
// userinfo. `application_id` selects applicationConfiguration overrides (client_id,
// client_secret, scope).
Result<ExternalIdentity> VerifyOpenIdConnect(EngineContext& ctx, const IdentityProvider& provider,
                                             const OpenIdConnectConfiguration& config,
                                             ApplicationId application_id, std::string_view code,
                                             std::string_view redirect_uri);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_EXTERNAL_IDENTITY_H_
