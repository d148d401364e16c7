// SPDX-License-Identifier: Apache-2.0
// Private: whether a token-endpoint request may go on as the application (its OAuth client),
// under the application's clientAuthenticationPolicy and proofKeyForCodeExchangePolicy, as
// FusionAuth decides it:
//   a secret presented (client_secret_basic or client_secret_post) is always checked, in
//   constant time, whatever the policy;
//   without one, the authorization_code grant needs it under Required, never under
//   NotRequired, and under NotRequiredWhenUsingPKCE unless the code was issued with a PKCE
//   challenge; the password, refresh_token and device_code grants need it under Required
//   only; client_credentials always does (the application authenticates as itself);
//   an authorization code issued without a PKCE challenge is refused under the PKCE policy
//   Required, and under NotRequiredWhenUsingClientAuthentication when the client did not
//   authenticate.
// The transport decodes the credentials (an Authorization: Basic header, RFC 6749 §2.3.1, or
// the form's client_id and client_secret) before this is asked.
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_CLIENT_AUTHENTICATION_H_
#define BULWARK_OAUTH2_CLIENT_AUTHENTICATION_H_

#include <optional>
#include <string_view>

#include "bulwark/model/application.h"
#include "oauth2/oauth_error.h"

namespace bulwark::oauth2 {

// What the request presented of the client's secret.
struct PresentedSecret {
  std::optional<std::string_view> secret;  // absent: none presented
};

// The outcome: nullopt when the request may go on; `authenticated` tells whether the client
// proved itself with its secret (what the PKCE policy and later checks need).
struct ClientAuthentication {
  bool authenticated = false;
  std::optional<OAuthError> error;
};

// `code_has_challenge`: for the authorization_code grant, whether the code was issued with a
// PKCE code_challenge (ignored for the other grants).
ClientAuthentication AuthenticateClient(const Application& application,
                                        const PresentedSecret& presented, GrantType grant,
                                        bool code_has_challenge);

// The proofKeyForCodeExchangePolicy at the token endpoint, for an authorization code issued
// with (`code_has_challenge`) or without a challenge, once the client is known to have
// `authenticated` or not.
std::optional<OAuthError> CheckPkcePolicy(const Application& application, bool code_has_challenge,
                                          bool authenticated);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_CLIENT_AUTHENTICATION_H_
