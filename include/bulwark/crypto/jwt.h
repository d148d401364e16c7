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
// Thread-safe: the functions are safe for concurrent use from multiple threads; JwtClaims is
// an immutable value type (below).
#ifndef BULWARK_CRYPTO_JWT_H_
#define BULWARK_CRYPTO_JWT_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
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

namespace internal {
struct JwtClaimsReader;
}  // namespace internal

// The claims set of a JWT: the JSON text of its payload, as signed, checked by the strict JOSE
// parser (jws.h: RFC 8259, valid UTF-8, no duplicate member names, at most 32 levels deep) and
// known to be a JSON object, with the registered claims (RFC 7519 §4.1) at hand. VerifyJwt
// reads exp, nbf, iat, aud and iss without building a DOM; the whole set as nlohmann's DOM is
// built only when asked, by ToJson(), anew on each call: keep the result to read it twice.
//
//   BULWARK_ASSIGN_OR_RETURN(Jwt jwt, VerifyJwt(token, keys, options));
//   std::optional<std::string> subject = jwt.claims.sub();
//   nlohmann::json claims = jwt.claims.ToJson();  // custom claims
//
// Thread-safe: an immutable value type without any cache; const methods may be called
// concurrently.
class BULWARK_EXPORT JwtClaims {
 public:
  // The empty claims set, "{}".
  JwtClaims();

  // `text` as VerifyJwt takes a payload: strict JSON (above) whose value is an object.
  // Otherwise a JwtError::kMalformed failure (jwt_error.h) saying why, as VerifyJwt's.
  static Result<JwtClaims> Parse(std::string text);

  // The JSON text, as signed.
  const std::string& text() const noexcept { return text_; }

  // The claims set as a JSON object, parsed from text() on each call (it cannot fail: the
  // text was checked when this object was made).
  nlohmann::json ToJson() const;

  // The registered claims. nullopt (or empty) when the claim is absent or not of its type:
  // a string for iss, sub and jti; a number (seconds since the epoch, fractions allowed) for
  // exp, nbf and iat; for aud a string (one element) or an array (its string elements).
  // VerifyJwt refuses a token whose exp, nbf, iat, iss or aud has the wrong type.
  std::optional<std::string> iss() const;
  std::optional<std::string> sub() const;
  std::optional<std::string> jti() const;
  std::vector<std::string> aud() const;
  std::optional<double> exp() const;
  std::optional<double> nbf() const;
  std::optional<double> iat() const;

 private:
  friend struct internal::JwtClaimsReader;

  // Where a registered claim's value lies in text_ (the whole JSON value, quotes included).
  struct Member {
    bool found = false;
    std::uint8_t kind = 0;  // what json/parse.h's JsonKind says
    bool escaped = false;   // a string that holds an escape
    std::size_t begin = 0;
    std::size_t end = 0;
    double number = 0;
  };
  enum Registered { kIss, kSub, kAud, kExp, kNbf, kIat, kJti, kRegisteredCount };

  std::optional<std::string> String(Registered claim) const;
  std::optional<double> Number(Registered claim) const;

  std::string text_;
  std::array<Member, kRegisteredCount> registered_{};
};

// A JWT's header (a JSON object) and claims set.
struct Jwt {
  nlohmann::json header;
  JwtClaims claims;
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
// The same for a claims set already checked as JSON (from DecodeJwtUnverified, say).
BULWARK_EXPORT Status CheckJwtClaims(const JwtClaims& claims, const JwtVerifyOptions& options);

// Decodes a JWT without verifying its signature or claims. UNSAFE FOR TRUST: use it to
// inspect a token (which issuer, which kid), never to accept one. kTooLarge or kMalformed
// (including claims that are not a JSON object).
BULWARK_EXPORT Result<Jwt> DecodeJwtUnverified(std::string_view token,
                                               std::size_t max_token_bytes = kDefaultMaxJwsBytes);

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_JWT_H_
