// SPDX-License-Identifier: Apache-2.0
//
// Client authentication at the token endpoint (oauth2/client_authentication.h): FusionAuth's
// table of when a client secret is required, a presented secret always checked, and the PKCE
// policy once the client is known.
#include "oauth2/client_authentication.h"

#include <catch2/catch.hpp>
#include <string>

namespace bulwark::oauth2 {
namespace {

Application App(ClientAuthenticationPolicy client_policy,
                PkcePolicy pkce_policy = PkcePolicy::kNotRequired) {
  Application app;
  app.oauth_configuration.client_secret = "s3cret-value-of-the-application";
  app.oauth_configuration.client_authentication_policy = client_policy;
  app.oauth_configuration.proof_key_for_code_exchange_policy = pkce_policy;
  return app;
}

std::string ReasonOf(const ClientAuthentication& outcome) {
  return outcome.error.has_value() ? outcome.error->error_reason : std::string("ok");
}

TEST_CASE("when a token request needs the client secret", "[oauth2][client]") {
  using P = ClientAuthenticationPolicy;
  struct Row {
    P policy;
    GrantType grant;
    bool code_has_challenge;
    bool secret_needed;
  };
  const Row table[] = {
      // authorization_code: Required yes, NotRequired no, NotRequiredWhenUsingPKCE no iff PKCE.
      {P::kRequired, GrantType::kAuthorizationCode, false, true},
      {P::kRequired, GrantType::kAuthorizationCode, true, true},
      {P::kNotRequired, GrantType::kAuthorizationCode, false, false},
      {P::kNotRequired, GrantType::kAuthorizationCode, true, false},
      {P::kNotRequiredWhenUsingPkce, GrantType::kAuthorizationCode, false, true},
      {P::kNotRequiredWhenUsingPkce, GrantType::kAuthorizationCode, true, false},
      // password, refresh_token, device_code: Required yes, otherwise no.
      {P::kRequired, GrantType::kPassword, false, true},
      {P::kNotRequired, GrantType::kPassword, false, false},
      {P::kNotRequiredWhenUsingPkce, GrantType::kPassword, false, false},
      {P::kRequired, GrantType::kRefreshToken, false, true},
      {P::kNotRequired, GrantType::kRefreshToken, false, false},
      {P::kNotRequiredWhenUsingPkce, GrantType::kRefreshToken, true, false},
      {P::kRequired, GrantType::kDeviceCode, false, true},
      {P::kNotRequired, GrantType::kDeviceCode, false, false},
      // client_credentials: the application authenticates as itself, always.
      {P::kRequired, GrantType::kClientCredentials, false, true},
      {P::kNotRequired, GrantType::kClientCredentials, false, true},
      {P::kNotRequiredWhenUsingPkce, GrantType::kClientCredentials, true, true},
  };
  for (const Row& row : table) {
    INFO(ToString(row.policy) << " " << ToString(row.grant) << " pkce=" << row.code_has_challenge);
    const Application app = App(row.policy);
    const ClientAuthentication without =
        AuthenticateClient(app, PresentedSecret{}, row.grant, row.code_has_challenge);
    CHECK(ReasonOf(without) == (row.secret_needed ? "client_authentication_missing" : "ok"));
    if (without.error.has_value()) CHECK(without.error->error == "invalid_client");
    CHECK_FALSE(without.authenticated);
    // The right secret always passes and authenticates.
    const ClientAuthentication with =
        AuthenticateClient(app, PresentedSecret{.secret = app.oauth_configuration.client_secret},
                           row.grant, row.code_has_challenge);
    CHECK(ReasonOf(with) == "ok");
    CHECK(with.authenticated);
  }
}

TEST_CASE("a presented secret is checked whatever the policy", "[oauth2][client][security]") {
  for (const ClientAuthenticationPolicy policy :
       {ClientAuthenticationPolicy::kRequired, ClientAuthenticationPolicy::kNotRequired,
        ClientAuthenticationPolicy::kNotRequiredWhenUsingPkce}) {
    INFO(ToString(policy));
    const Application app = App(policy);
    const std::string& secret = app.oauth_configuration.client_secret;
    for (const std::string& wrong :
         {std::string(), secret + "x", secret.substr(1), std::string(secret.size(), 'x'),
          std::string("S3cret-value-of-the-application")}) {
      INFO("presented '" << wrong << "'");
      const ClientAuthentication outcome = AuthenticateClient(app, PresentedSecret{.secret = wrong},
                                                              GrantType::kAuthorizationCode, true);
      REQUIRE(outcome.error.has_value());
      CHECK(outcome.error->error == "invalid_client");
      CHECK(outcome.error->error_reason == "invalid_client_authentication");
      CHECK_FALSE(outcome.authenticated);
    }
  }
  // An application without a secret is never authenticated by one, not even an empty one.
  Application no_secret = App(ClientAuthenticationPolicy::kNotRequired);
  no_secret.oauth_configuration.client_secret.clear();
  CHECK(ReasonOf(AuthenticateClient(no_secret, PresentedSecret{.secret = ""},
                                    GrantType::kAuthorizationCode, true)) ==
        "invalid_client_authentication");
  CHECK(ReasonOf(AuthenticateClient(no_secret, PresentedSecret{}, GrantType::kAuthorizationCode,
                                    false)) == "ok");
}

TEST_CASE("the PKCE policy at the token endpoint", "[oauth2][client][pkce]") {
  struct Row {
    PkcePolicy policy;
    bool code_has_challenge;
    bool authenticated;
    bool refused;
  };
  const Row table[] = {
      {PkcePolicy::kNotRequired, false, false, false},
      {PkcePolicy::kNotRequired, false, true, false},
      {PkcePolicy::kRequired, false, true, true},
      {PkcePolicy::kRequired, false, false, true},
      {PkcePolicy::kRequired, true, false, false},
      {PkcePolicy::kNotRequiredWhenUsingClientAuthentication, false, true, false},
      {PkcePolicy::kNotRequiredWhenUsingClientAuthentication, false, false, true},
      {PkcePolicy::kNotRequiredWhenUsingClientAuthentication, true, false, false},
  };
  for (const Row& row : table) {
    INFO(ToString(row.policy) << " challenge=" << row.code_has_challenge
                              << " authenticated=" << row.authenticated);
    const std::optional<OAuthError> error =
        CheckPkcePolicy(App(ClientAuthenticationPolicy::kRequired, row.policy),
                        row.code_has_challenge, row.authenticated);
    CHECK(error.has_value() == row.refused);
    if (error.has_value()) {
      CHECK(error->error == "invalid_request");
      CHECK(error->error_reason == "missing_code_verifier");
    }
  }
}

}  // namespace
}  // namespace bulwark::oauth2
