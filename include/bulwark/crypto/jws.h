// SPDX-License-Identifier: Apache-2.0
//
// JWS Compact Serialization (RFC 7515 §7.1): BASE64URL(header) "." BASE64URL(payload) "."
// BASE64URL(signature), signed and verified with SigningKey/VerificationKey (jws_key.h).
// JWTs (jwt.h) are built on it; use this layer directly for payloads that are not a JSON
// claims set (the RFC test vectors, detached protocols).
//
// Verification is strict, after RFC 8725 (JWT Best Current Practices):
//   - the token is refused before any decoding when longer than max_token_bytes;
//   - exactly three segments, each strict base64url (no padding, no '+' '/', no whitespace,
//     canonical trailing bits); the header a JSON object without duplicate members;
//   - the algorithm comes from the key: the header's "alg" must name exactly the key's
//     algorithm; "none" and unknown names are refused; "crit" is refused (bulwark
//     understands no extensions) and so is "b64" (RFC 7797);
//   - "jwk", "jku", "x5u", "x5c" in the header are never used to find a key.
//
// Choosing the key (the "kid" rule):
//   - VerificationKeySet: a header "kid" selects the key with exactly that kid; a header
//     without "kid" is accepted only when the set holds exactly one key.
//   - a single VerificationKey: a header "kid" must equal the key's kid when the key has one;
//     a key without a kid accepts any (the caller chose the key).
//   - a VerificationKeyResolver is called with the header's kid ("" when absent) and applies
//     its own rule; NotFound from it becomes JwtError::kUnknownKey.
//
// Thread-safe: the functions are safe for concurrent use from multiple threads; a
// VerificationKeySet is thread-compatible (const methods may be called concurrently).
#ifndef BULWARK_CRYPTO_JWS_H_
#define BULWARK_CRYPTO_JWS_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt_error.h"
#include "bulwark/export.h"
#include "bulwark/result.h"

namespace bulwark {

// 64 KiB: far above any access token FusionAuth issues (~1-2 KiB), far below memory trouble.
inline constexpr std::size_t kDefaultMaxJwsBytes = 64 * 1024;

// Finds the verification key for a header "kid" ("" when the header has none). Must be
// thread-safe if tokens are verified concurrently, must not throw, and should return
// NotFound for an unknown kid; any other error is passed through to the caller.
using VerificationKeyResolver = std::function<Result<VerificationKey>(std::string_view kid)>;

// A set of verification keys looked up by kid (see the kid rule above).
// Thread-compatible value type.
class BULWARK_EXPORT VerificationKeySet {
 public:
  VerificationKeySet() = default;
  explicit VerificationKeySet(std::vector<VerificationKey> keys) : keys_(std::move(keys)) {}

  void Add(VerificationKey key) { keys_.push_back(std::move(key)); }
  std::size_t size() const noexcept { return keys_.size(); }

  // NotFound when no key has `kid`, or when `kid` is empty and the set does not hold
  // exactly one key.
  Result<VerificationKey> Find(std::string_view kid) const;

 private:
  std::vector<VerificationKey> keys_;
};

struct JwsVerifyOptions {
  // Tokens longer than this are refused (kTooLarge) before any decoding.
  // Default: kDefaultMaxJwsBytes.
  std::size_t max_token_bytes = kDefaultMaxJwsBytes;
  // Accept the legacy "EdDSA" (RFC 8037) as the "alg" of a token verified with an Ed25519
  // key. FusionAuth writes and accepts only "Ed25519" (RFC 9864); turn this on for external
  // issuers that still write "EdDSA". The key still decides the algorithm.
  // Default: false.
  bool accept_eddsa_alias = false;
};

// A decoded JWS. `payload` holds the decoded payload bytes.
struct Jws {
  nlohmann::json header;
  std::string payload;
};

// Signs `payload` into a compact JWS. The header is `header_extras` plus "alg" (the key's
// algorithm) and "kid" (the key's kid, when it has one); "typ" is not added. Returns
// InvalidArgument when `header_extras` is not an object (null counts as empty), sets "alg",
// or sets a "kid" other than the key's; Internal if OpenSSL fails.
BULWARK_EXPORT Result<std::string> SignJws(const nlohmann::json& header_extras,
                                           std::string_view payload, const SigningKey& key);

// Verifies a compact JWS and returns its header and payload. Failures carry a JwtError
// (jwt_error.h): kTooLarge, kMalformed, kUnsupportedAlgorithm, kAlgorithmMismatch,
// kUnknownKey, kBadSignature.
BULWARK_EXPORT Result<Jws> VerifyJws(std::string_view token, const VerificationKeyResolver& keys,
                                     const JwsVerifyOptions& options = {});
BULWARK_EXPORT Result<Jws> VerifyJws(std::string_view token, const VerificationKeySet& keys,
                                     const JwsVerifyOptions& options = {});
BULWARK_EXPORT Result<Jws> VerifyJws(std::string_view token, const VerificationKey& key,
                                     const JwsVerifyOptions& options = {});

// Decodes without verifying anything but the syntax. UNSAFE FOR TRUST: anyone can write any
// header and payload; use it only to inspect a token (e.g. read "kid" or "iss" to pick a
// key set), never to accept one. kTooLarge or kMalformed on bad input.
BULWARK_EXPORT Result<Jws> DecodeJwsUnverified(std::string_view token,
                                               std::size_t max_token_bytes = kDefaultMaxJwsBytes);

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_JWS_H_
