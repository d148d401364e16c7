// SPDX-License-Identifier: Apache-2.0
//
// JwtError: why a JWS or JWT was refused, for callers (and tests) that branch on the reason.
// VerifyJws, VerifyJwt and DecodeJwtUnverified return an ordinary Status; JwtErrorOf(status)
// recovers the reason. The Status also carries it as a general error whose code is
// "[Jwt<Reason>]" (e.g. "[JwtExpired]"), and its message says which check failed; messages
// never contain the token or key material.
//
//   Result<Jwt> jwt = VerifyJwt(token, keys, options);
//   if (JwtErrorOf(jwt.status()) == JwtError::kExpired) { ... refresh ... }
//
// Status codes: kMalformed and kTooLarge are kInvalidArgument; every other reason is
// kUnauthenticated. A failing key resolver's own Status (kUnavailable, ...) is passed through
// unchanged and has no JwtError.
#ifndef BULWARK_CRYPTO_JWT_ERROR_H_
#define BULWARK_CRYPTO_JWT_ERROR_H_

#include <optional>
#include <string_view>

#include "bulwark/export.h"
#include "bulwark/status.h"

namespace bulwark {

enum class JwtError {
  // Not a compact JWS: wrong number of segments, bad base64url (padding, '+' or '/',
  // whitespace), invalid JSON, a header or claims that are not an object, duplicate
  // members, a "crit" header.
  kMalformed,
  // Longer than the configured maximum; refused before any decoding.
  kTooLarge,
  // The header's "alg" is missing, "none", or not an algorithm bulwark knows.
  kUnsupportedAlgorithm,
  // The header's "alg" is a real algorithm but not the verifying key's.
  kAlgorithmMismatch,
  // No key for the header's "kid" (or no kid and more than one candidate key).
  kUnknownKey,
  // The signature does not verify, or has the wrong length.
  kBadSignature,
  // now >= exp + leeway.
  kExpired,
  // now + leeway < nbf.
  kNotYetValid,
  // iat > now + leeway.
  kIssuedInFuture,
  // A required claim (exp) is absent.
  kMissingClaim,
  // A registered claim has the wrong JSON type (exp not a number, aud not a string or an
  // array of strings, iss not a string).
  kInvalidClaim,
  // None of the expected audiences is in "aud".
  kWrongAudience,
  // "iss" is not the expected issuer.
  kWrongIssuer,
};

// "Malformed", "Expired", ... (the enumerator name without the k).
BULWARK_EXPORT std::string_view ToString(JwtError error);

// The reason `status` carries; nullopt for OK and for statuses that are not JWT refusals.
BULWARK_EXPORT std::optional<JwtError> JwtErrorOf(const Status& status);

// A Status for `error` with `message` (which must not contain the token or key material).
BULWARK_EXPORT Status JwtFailure(JwtError error, std::string_view message);

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_JWT_ERROR_H_
