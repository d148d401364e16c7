// SPDX-License-Identifier: Apache-2.0
// Private: what each KeyAlgorithm means in JOSE (RFC 7518 §3, RFC 8037, RFC 9864) and in
// OpenSSL, and how a parsed key is checked against it.
#ifndef BULWARK_CRYPTO_ALGORITHMS_H_
#define BULWARK_CRYPTO_ALGORITHMS_H_

#include <openssl/evp.h>

#include <cstddef>
#include <optional>
#include <string_view>

#include "bulwark/model/key.h"
#include "bulwark/result.h"
#include "crypto/openssl_util.h"

namespace bulwark::internal {

struct AlgorithmInfo {
  KeyAlgorithm algorithm;
  KeyType type;
  std::string_view jose_name;  // the JWS "alg" value (FusionAuth's wire name; "Ed25519")
  std::string_view digest;     // OpenSSL digest name; "" for Ed25519 (pure EdDSA)
  std::size_t hash_bytes;      // 32/48/64; 0 for Ed25519
  std::size_t ec_bytes;        // R and S width for ES*: 32/48/66; 0 otherwise
  std::string_view curve;      // "P-256"/"P-384"/"P-521" for ES*, "Ed25519" for EdDSA
  bool pss;                    // PS*: RSASSA-PSS, MGF1 with the same hash, salt = hash length
};

const AlgorithmInfo& InfoOf(KeyAlgorithm algorithm);
// The algorithm whose JOSE name is `name` (case-sensitive); nullopt for "none" and unknowns.
std::optional<KeyAlgorithm> AlgorithmFromJoseName(std::string_view name);
// EVP_sha256() etc.; nullptr for Ed25519.
const EVP_MD* DigestOf(const AlgorithmInfo& info);

std::optional<KeyType> KeyTypeOf(const PkeyInfo& info);
// FusionAuth's default algorithm for a key: RS256 for RSA, ES256/384/512 by curve, Ed25519.
std::optional<KeyAlgorithm> DefaultAlgorithmFor(const PkeyInfo& info);
// FusionAuth's `length`: RSA modulus bits, EC field bits, 32 for Ed25519.
int KeyLength(const PkeyInfo& info);

// kInvalidArgument (FusionAuth field error "[invalid]key.algorithm") when `algorithm` cannot
// be used with `info`: the wrong type (HS with an RSA key), an EC curve other than the
// algorithm's, or an RSA modulus below `min_rsa_bits`.
Status CheckKeyFitsAlgorithm(KeyAlgorithm algorithm, const PkeyInfo& info, int min_rsa_bits);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_ALGORITHMS_H_
