// SPDX-License-Identifier: Apache-2.0
//
// SigningKey and VerificationKey: a Key Master key parsed once into the form OpenSSL signs
// and verifies with, bound to the key's algorithm. Build them when a key is loaded or
// rotated, keep them, and hand them to SignJwt/VerifyJwt (jwt.h) or SignJws/VerifyJws
// (jws.h) for every token; parsing PEM per token would cost more than the signature.
//
//   BULWARK_ASSIGN_OR_RETURN(SigningKey signer, SigningKey::FromKey(key));
//   BULWARK_ASSIGN_OR_RETURN(std::string token, SignJwt(claims, signer));
//
// The algorithm always comes from the Key, never from a token: a VerificationKey built from
// an RS256 key verifies RS256 signatures and nothing else, and an HMAC key can only be built
// from a `secret`, so "HS256 with the RSA public key as the secret" cannot be expressed.
//
// Private material (the EVP_PKEY, the HMAC secret) lives behind a private implementation,
// is wiped when the last copy goes, and is never returned.
//
// Both classes are cheap to copy (a shared, immutable state) and thread-safe: safe for
// concurrent use from multiple threads without external synchronisation.
#ifndef BULWARK_CRYPTO_JWS_KEY_H_
#define BULWARK_CRYPTO_JWS_KEY_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/model/key.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

namespace internal {
struct JwsKeyState;
}

// Checks signatures made with one key and one algorithm.
class BULWARK_EXPORT VerificationKey {
 public:
  // From a Key Master key; `key.algorithm` is required. The key material used is, for HMAC,
  // `secret` (its bytes, as FusionAuth uses them); otherwise `public_key` (PEM) if present,
  // else the certificate's key, else the public half of `private_key`.
  // Returns InvalidArgument (with a FusionAuth field error such as [invalid]key.algorithm or
  // [invalid]key.publicKey) when the algorithm is missing, the material is missing or does
  // not parse, or the key does not fit the algorithm (type, EC curve, RSA < 1024 bits, an
  // HMAC secret shorter than 32 bytes).
  static Result<VerificationKey> FromKey(const Key& key);

  KeyAlgorithm algorithm() const noexcept;
  // The key's `kid`; may be empty. The reference lives as long as this key (or a copy).
  const std::string& kid() const noexcept;

  // Checks a JOSE-form signature (RFC 7518: raw R||S for ECDSA, the MAC for HMAC) over
  // `data`. Returns Unauthenticated when it does not match or has the wrong length.
  Status Verify(std::string_view data, std::span<const std::uint8_t> signature) const;

 private:
  friend class SigningKey;
  explicit VerificationKey(std::shared_ptr<const internal::JwsKeyState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<const internal::JwsKeyState> state_;
};

// Makes signatures with one key and one algorithm; it can also verify them.
class BULWARK_EXPORT SigningKey {
 public:
  // From a Key Master key holding private material: `private_key` (PEM) for RSA, EC and
  // Ed25519, `secret` for HMAC; `key.algorithm` is required. InvalidArgument as for
  // VerificationKey::FromKey, and also when the private material is absent, or an RSA key is
  // shorter than 2048 bits.
  static Result<SigningKey> FromKey(const Key& key);

  KeyAlgorithm algorithm() const noexcept;
  const std::string& kid() const noexcept;

  // The JOSE-form signature of `data` (raw R||S for ECDSA; RSASSA-PSS with salt = hash
  // length; pure Ed25519). RSA PKCS#1 v1.5, HMAC and Ed25519 signatures are deterministic.
  // Internal only if OpenSSL fails.
  Result<std::vector<std::uint8_t>> Sign(std::string_view data) const;

  // A VerificationKey for the same key and algorithm, sharing this key's state.
  VerificationKey verification_key() const { return VerificationKey(state_); }

 private:
  explicit SigningKey(std::shared_ptr<const internal::JwsKeyState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<const internal::JwsKeyState> state_;
};

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_JWS_KEY_H_
