// SPDX-License-Identifier: Apache-2.0
#include "oauth2/client_authentication.h"

#include "bulwark/crypto/password_hasher.h"

namespace bulwark::oauth2 {
namespace {

OAuthError InvalidClient(const char* reason, const char* description) {
  return OAuthError{
      .error = "invalid_client", .error_reason = reason, .error_description = description};
}

bool SecretRequired(const Application& application, GrantType grant, bool code_has_challenge) {
  const ClientAuthenticationPolicy policy =
      application.oauth_configuration.client_authentication_policy;
  switch (grant) {
    case GrantType::kClientCredentials:
      return true;
    case GrantType::kAuthorizationCode:
      if (policy == ClientAuthenticationPolicy::kNotRequiredWhenUsingPkce) {
        return !code_has_challenge;
      }
      return policy == ClientAuthenticationPolicy::kRequired;
    case GrantType::kImplicit:
    case GrantType::kPassword:
    case GrantType::kRefreshToken:
    case GrantType::kDeviceCode:
      return policy == ClientAuthenticationPolicy::kRequired;
  }
  return true;
}

}  // namespace

ClientAuthentication AuthenticateClient(const Application& application,
                                        const PresentedSecret& presented, GrantType grant,
                                        bool code_has_challenge) {
  ClientAuthentication out;
  if (presented.secret.has_value()) {
    // Checked whenever presented, whatever the policy. An application without a secret is
    // never authenticated by one.
    const std::string& secret = application.oauth_configuration.client_secret;
    if (secret.empty() || !PasswordHasher::ConstantTimeEquals(*presented.secret, secret)) {
      out.error = InvalidClient("invalid_client_authentication",
                                "The client could not be authenticated: the client_id or "
                                "client_secret is not valid.");
      return out;
    }
    out.authenticated = true;
    return out;
  }
  if (SecretRequired(application, grant, code_has_challenge)) {
    out.error = InvalidClient("client_authentication_missing",
                              "The client must authenticate: send the client_secret with "
                              "HTTP Basic authentication or in the request body.");
  }
  return out;
}

std::optional<OAuthError> CheckPkcePolicy(const Application& application, bool code_has_challenge,
                                          bool authenticated) {
  if (code_has_challenge) return std::nullopt;
  const PkcePolicy policy = application.oauth_configuration.proof_key_for_code_exchange_policy;
  const bool required =
      policy == PkcePolicy::kRequired ||
      (policy == PkcePolicy::kNotRequiredWhenUsingClientAuthentication && !authenticated);
  if (!required) return std::nullopt;
  return OAuthError{.error = "invalid_request",
                    .error_reason = "missing_code_verifier",
                    .error_description =
                        "The application requires PKCE: the code must be "
                        "requested with a code_challenge and exchanged with "
                        "its code_verifier."};
}

}  // namespace bulwark::oauth2
