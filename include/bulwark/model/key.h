// SPDX-License-Identifier: Apache-2.0
//
// Key: a Key Master key — an RSA, EC or Ed25519 key pair (or only its public half, or a
// certificate), or an HMAC secret — used to sign and verify tokens and SAML messages.
// FusionAuth's Key object (§4 of the API reference); on the wire `{"key": {...}}`.
//
// `private_key` and `secret` are write-only: ToJson never writes them unless
// KeyJsonOptions::include_secrets is set, which only storage does. They are SecretStrings:
// wiped when the Key is destroyed or assigned over, printed as "<redacted>".
//
// Generating, importing and converting keys (JWK, JWKS) is in bulwark/crypto/key_master.h and
// bulwark/crypto/jwk.h; signing and verifying in bulwark/crypto/jws_key.h.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_KEY_H_
#define BULWARK_MODEL_KEY_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/secret_string.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

// KeyAlgorithm: ES256 ES384 ES512 HS256 HS384 HS512 PS256 PS384 PS512 RS256 RS384 RS512
// Ed25519 (FusionAuth's wire name for EdDSA over Ed25519).
enum class KeyAlgorithm {
  kEs256,
  kEs384,
  kEs512,
  kHs256,
  kHs384,
  kHs512,
  kPs256,
  kPs384,
  kPs512,
  kRs256,
  kRs384,
  kRs512,
  kEd25519,
};
BULWARK_EXPORT std::string_view ToString(KeyAlgorithm v);
BULWARK_EXPORT Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view s);

// KeyType: EC | RSA | HMAC | OKP.
enum class KeyType { kEc, kRsa, kHmac, kOkp };
BULWARK_EXPORT std::string_view ToString(KeyType v);
BULWARK_EXPORT Result<KeyType> ParseKeyType(std::string_view s);

struct CertificateInformation {
  std::string issuer;
  std::string md5_fingerprint;
  std::string serial_number;
  std::string sha1_fingerprint;
  std::string sha1_thumbprint;
  std::string sha256_fingerprint;
  std::string sha256_thumbprint;
  std::string subject;
  std::optional<Instant> valid_from;
  std::optional<Instant> valid_to;

  friend bool operator==(const CertificateInformation&, const CertificateInformation&) = default;
};

struct Key {
  KeyId id;
  std::string name;  // required, unique
  std::optional<KeyAlgorithm> algorithm;
  std::optional<KeyType> type;
  std::string kid;
  int length = 0;           // RSA modulus bits, EC curve bits, 32 for Ed25519; 0 = absent
  std::string certificate;  // PEM
  std::optional<CertificateInformation> certificate_information;
  std::string public_key;    // PEM
  SecretString private_key;  // PEM, write-only
  SecretString secret;       // HMAC secret (its bytes are the MAC key), write-only
  bool has_private_key = false;
  std::string issuer;
  std::optional<Instant> expiration_instant;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  friend bool operator==(const Key&, const Key&) = default;
};

struct KeyJsonOptions {
  // Storage only: write private_key and secret.
  bool include_secrets = false;
};

BULWARK_EXPORT nlohmann::json ToJson(const Key& key, const KeyJsonOptions& options = {});
BULWARK_EXPORT Result<Key> KeyFromJson(const nlohmann::json& json, std::string_view path = "key");
// [blank]key.name; [invalid]key.length for an RSA length other than 2048/3072/4096 (1024
// for a public key alone); [invalid]key.algorithm when it does not fit the key type.
BULWARK_EXPORT Errors Validate(const Key& key);

}  // namespace bulwark

#endif  // BULWARK_MODEL_KEY_H_
