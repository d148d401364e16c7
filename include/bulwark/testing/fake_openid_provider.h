// SPDX-License-Identifier: Apache-2.0
//
// FakeOpenIdProvider: a scripted OpenID Connect provider (authorization code flow) served
// through a FakeHttpClient, for testing bulwark's OpenID Connect identity provider end to end
// without a network. The test plays the browser: it asks the provider for a code, as if the
// user had logged in at authorization_endpoint(), and hands the code to bulwark's callback.
//
//   bulwark::testing::FakeHttpClient http;
//   auto op = bulwark::testing::FakeOpenIdProvider::Create(http).value();
//   std::string code = op->IssueCode("https://app.test/callback",
//                                    {{"sub", "u-1"}, {"email", "a@b.test"}, {"nonce", n}});
//   // ... bulwark POSTs the code to op->token_endpoint() through `http` ...
//   op->signer().Rotate();  // the provider rolls its signing key
//
// Endpoints (installed on the client as routes):
//   GET  {issuer}/.well-known/openid-configuration  the discovery document: issuer,
//        authorization_endpoint, token_endpoint, userinfo_endpoint (when served), jwks_uri,
//        response_types_supported ["code"], subject_types_supported ["public"],
//        id_token_signing_alg_values_supported [the algorithm], and
//        token_endpoint_auth_methods_supported [the configured method].
//   POST {issuer}/oauth2/token  the code exchange (RFC 6749 §4.1.3; below).
//   GET  {issuer}/oauth2/userinfo  (OIDC Core §5.3) when serve_userinfo.
//   GET  {issuer}/.well-known/jwks.json  the signer's current Jwks() ({"keys": []} for HS*).
// {issuer}/oauth2/authorize is advertised but not served.
//
// The token endpoint requires Content-Type application/x-www-form-urlencoded and a body
// with grant_type=authorization_code, code and redirect_uri, each at most once, and the
// client authentication that the options name:
//   - client_secret_basic: "Authorization: Basic BASE64(id ":" secret)", each part
//     form-urlencoded first (RFC 6749 §2.3.1);
//   - client_secret_post: client_id and client_secret in the body, no Authorization header;
//   - none: client_id in the body, no secret anywhere.
// A body client_id, when present, must be the configured one. Errors are RFC 6749 §5.2 JSON
// ({"error": ..., "error_description": ...}), checked in this order:
//   400 invalid_request          wrong content type, malformed form, a repeated parameter,
//                                no grant_type, or two authentication methods at once;
//   401 invalid_client           authentication missing, wrong or of another method (with
//                                WWW-Authenticate: Basic when the client used, or had to
//                                use, the Authorization header);
//   400 unsupported_grant_type   grant_type other than authorization_code;
//   400 invalid_request          no code or no redirect_uri;
//   400 invalid_grant            unknown or already used code, redirect_uri not the one the
//                                code was issued for;
//   500 server_error             the id_token could not be signed (claims not an object).
// A code is single-use: the first exchange that presents it (with an authenticated client,
// grant_type and redirect_uri) uses it up, whatever its outcome; presenting a used code again also
// revokes the access token it produced. On success: 200 {"access_token", "token_type": "Bearer",
// "expires_in": 3600, "id_token"} with Cache-Control: no-store. The id_token is id_token_claims
// plus iss, aud (client_id), iat and exp (iat + 1 hour) unless the claims give them (null removes a
// claim, as TestIssuer::Mint), signed by signer() with its current key and kid header.
//
// Userinfo answers 200 with the code's userinfo claims to "Authorization: Bearer
// <access_token>"; without a token 401 with WWW-Authenticate: Bearer, with an unknown one 401
// with WWW-Authenticate: Bearer error="invalid_token" (RFC 6750 §3).
//
// Lifetime: `client` must outlive the provider. After the provider is destroyed its routes
// stay on the client and answer 404.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation; the endpoints may be called concurrently.
#ifndef BULWARK_TESTING_FAKE_OPENID_PROVIDER_H_
#define BULWARK_TESTING_FAKE_OPENID_PROVIDER_H_

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/key.h"
#include "bulwark/result.h"
#include "bulwark/testing/fake_http_client.h"
#include "bulwark/testing/test_issuer.h"

namespace bulwark::testing {

struct FakeOpenIdProviderOptions {
  // The provider's issuer; also the base URL of its endpoints (no trailing '/').
  std::string issuer = "https://op.test";
  std::string client_id = "bulwark-client";
  std::string client_secret = "bulwark-secret";
  // What the token endpoint demands.
  ClientAuthenticationMethod client_authentication_method =
      ClientAuthenticationMethod::kClientSecretBasic;
  // The id_token's signature. HS256/384/512 sign with client_secret as the MAC key (OIDC
  // Core §10.1), which must then be at least 32 bytes (Create fails otherwise); the JWKS is
  // then empty.
  KeyAlgorithm algorithm = KeyAlgorithm::kRs256;
  // iat and exp of id_tokens. Default (null): Clock::Default().
  std::shared_ptr<Clock> clock = nullptr;
  // Serve and advertise the userinfo endpoint.
  bool serve_userinfo = true;
};

class FakeOpenIdProvider {
 public:
  // Makes the signing key and installs the routes on `client`, replacing routes already there
  // for the same URLs. InvalidArgument for HS* with a client_secret shorter than 32 bytes;
  // otherwise TestIssuer::Create's failures.
  static Result<std::unique_ptr<FakeOpenIdProvider>> Create(FakeHttpClient& client,
                                                            FakeOpenIdProviderOptions options = {});

  FakeOpenIdProvider(const FakeOpenIdProvider&) = delete;
  FakeOpenIdProvider& operator=(const FakeOpenIdProvider&) = delete;
  ~FakeOpenIdProvider();

  std::string issuer() const;
  std::string authorization_endpoint() const;  // {issuer}/oauth2/authorize
  std::string token_endpoint() const;          // {issuer}/oauth2/token
  std::string userinfo_endpoint() const;       // {issuer}/oauth2/userinfo; "" when not served
  std::string jwks_uri() const;                // {issuer}/.well-known/jwks.json
  std::string discovery_url() const;           // {issuer}/.well-known/openid-configuration

  // A one-time authorization code (64 random hex characters) for `redirect_uri`, as the
  // provider would redirect the browser with after a login. The token endpoint exchanges it
  // for an id_token with `id_token_claims` (see above); userinfo then answers
  // `userinfo_claims`, by default id_token_claims without iss, aud, iat, exp, nonce and
  // null-valued claims. Aborts (as Result::value does) only if the Random fails.
  std::string IssueCode(std::string redirect_uri, nlohmann::json id_token_claims,
                        std::optional<nlohmann::json> userinfo_claims = std::nullopt);

  // The id_token signer, e.g. signer().Rotate() to roll the key.
  TestIssuer& signer();

 private:
  struct State;
  explicit FakeOpenIdProvider(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_FAKE_OPENID_PROVIDER_H_
