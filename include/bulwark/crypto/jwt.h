// SPDX-License-Identifier: Apache-2.0
//
// JWTs (RFC 7519) as FusionAuth issues them: a compact JWS whose header carries "alg" (from
// the signing key), "typ": "JWT" and "kid" (the key's Key Master kid), and whose payload is a
// JSON claims set (exp, iat, iss, sub, aud, jti, ... see §3.2 of the API reference).
//
//   BULWARK_ASSIGN_OR_RETURN(std::string token, SignJwt(claims, signing_key));
//   Result<Jwt> jwt = VerifyJwt(token, verification_keys,
//                               {.now = clock.Now(), .leeway = std::chrono::seconds(5),
//                                .audiences = {application_id}, .issuer = "acme.com"});
//
// VerifyJwt does everything VerifyJws does (jws.h: size limit, strict syntax, algorithm from
// the key, the kid rule), then checks the claims against an explicit `now`:
//   - exp: required by default; expired when now >= exp + leeway (RFC 7519 §4.1.4);
//   - nbf: not yet valid when now + leeway < nbf (§4.1.5);
//   - iat: refused when it is later than now + leeway (a token from the future);
//   - aud: when `audiences` is not empty, "aud" (a string or an array of strings) must hold
//     one of them;
//   - iss: when `issuer` is not empty, "iss" must equal it.
// exp, nbf and iat must be JSON numbers (fractions allowed) when present.
//
// Thread-safe: the functions are safe for concurrent use from multiple threads.
#ifndef BULWARK_CRYPTO_JWT_H_
#define BULWARK_CRYPTO_JWT_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt_error.h"
#include "bulwark/export.h"
#include "bulwark/result.h"

namespace bulwark {

struct JwtVerifyOptions {
  // ---- Time
  // The instant to check exp, nbf and iat against: the host's Clock::Now(). Required:
  // VerifyJwt returns InvalidArgument when it is absent (no hidden clock).
  std::optional<Instant> now = std::nullopt;
  // Allowed clock skew between issuer and verifier, applied to exp, nbf and iat.
  // Default: 0.
  std::chrono::seconds leeway{0};
  // Refuse tokens without "exp" (kMissingClaim). FusionAuth always writes exp.
  // Default: true.
  bool require_exp = true;
  // Refuse tokens whose "iat" is after now + leeway (kIssuedInFuture).
  // Default: true.
  bool reject_iat_in_future = true;

  // ---- Claims
  // When not empty, "aud" must contain at least one of these (kWrongAudience).
  // Default: empty (aud not checked).
  std::vector<std::string> audiences = {};
  // When not empty, "iss" must equal it (kWrongIssuer).
  // Default: empty (iss not checked).
  std::string issuer = {};

  // ---- Limits and compatibility (as JwsVerifyOptions)
  std::size_t max_token_bytes = kDefaultMaxJwsBytes;
  bool accept_eddsa_alias = false;
};

// A JWT's header and claims set, both JSON objects.
struct Jwt {
  nlohmann::json header;
  nlohmann::json claims;
};

// Signs `claims` (a JSON object) into a JWT. The header is {"alg": <key's algorithm>, "typ":
// "JWT", "kid": <key's kid>} plus `header_extras` (e.g. FusionAuth's "gty"; "typ" may be
// overridden, e.g. "at+jwt"). Returns InvalidArgument when `claims` is not an object, a
// string is not valid UTF-8, or `header_extras` sets "alg" or a different "kid"; Internal if
// OpenSSL fails. Claims are written as given: set exp/iat yourself.
BULWARK_EXPORT Result<std::string> SignJwt(const nlohmann::json& header_extras,
                                           const nlohmann::json& claims, const SigningKey& key);
BULWARK_EXPORT Result<std::string> SignJwt(const nlohmann::json& claims, const SigningKey& key);

// Verifies a JWT and returns its header and claims. InvalidArgument without a JwtError when
// options.now is absent; otherwise failures carry a JwtError (jwt_error.h).
BULWARK_EXPORT Result<Jwt> VerifyJwt(std::string_view token, const VerificationKeyResolver& keys,
                                     const JwtVerifyOptions& options);
BULWARK_EXPORT Result<Jwt> VerifyJwt(std::string_view token, const VerificationKeySet& keys,
                                     const JwtVerifyOptions& options);
BULWARK_EXPORT Result<Jwt> VerifyJwt(std::string_view token, const VerificationKey& key,
                                     const JwtVerifyOptions& options);

// Checks the claims of a JWT whose signature was verified some other way (or whose origin is
// trusted, as an id_token received directly from a token endpoint over TLS): exp, nbf and iat
// against options.now and leeway, aud and iss, exactly as VerifyJwt does after the signature.
// InvalidArgument when options.now is absent or `claims` is not an object; otherwise the
// JwtError failures of VerifyJwt.
BULWARK_EXPORT Status CheckJwtClaims(const nlohmann::json& claims, const JwtVerifyOptions& options);

// Decodes a JWT without verifying its signature or claims. UNSAFE FOR TRUST: use it to
// inspect a token (which issuer, which kid), never to accept one. kTooLarge or kMalformed
// (including claims that are not a JSON object).
BULWARK_EXPORT Result<Jwt> DecodeJwtUnverified(std::string_view token,
                                               std::size_t max_token_bytes = kDefaultMaxJwsBytes);

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_JWT_H_
