// SPDX-License-Identifier: Apache-2.0
#include "crypto/algorithms.h"

#include <string>

namespace bulwark::internal {
namespace {

constexpr AlgorithmInfo kAlgorithms[] = {
    {KeyAlgorithm::kEs256, KeyType::kEc, "ES256", "SHA256", 32, 32, "P-256", false},
    {KeyAlgorithm::kEs384, KeyType::kEc, "ES384", "SHA384", 48, 48, "P-384", false},
    {KeyAlgorithm::kEs512, KeyType::kEc, "ES512", "SHA512", 64, 66, "P-521", false},
    {KeyAlgorithm::kHs256, KeyType::kHmac, "HS256", "SHA256", 32, 0, "", false},
    {KeyAlgorithm::kHs384, KeyType::kHmac, "HS384", "SHA384", 48, 0, "", false},
    {KeyAlgorithm::kHs512, KeyType::kHmac, "HS512", "SHA512", 64, 0, "", false},
    {KeyAlgorithm::kPs256, KeyType::kRsa, "PS256", "SHA256", 32, 0, "", true},
    {KeyAlgorithm::kPs384, KeyType::kRsa, "PS384", "SHA384", 48, 0, "", true},
    {KeyAlgorithm::kPs512, KeyType::kRsa, "PS512", "SHA512", 64, 0, "", true},
    {KeyAlgorithm::kRs256, KeyType::kRsa, "RS256", "SHA256", 32, 0, "", false},
    {KeyAlgorithm::kRs384, KeyType::kRsa, "RS384", "SHA384", 48, 0, "", false},
    {KeyAlgorithm::kRs512, KeyType::kRsa, "RS512", "SHA512", 64, 0, "", false},
    {KeyAlgorithm::kEd25519, KeyType::kOkp, "Ed25519", "", 0, 0, "Ed25519", false},
};

}  // namespace

const AlgorithmInfo& InfoOf(KeyAlgorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info;
  }
  return kAlgorithms[0];  // unreachable for valid enumerators
}

std::optional<KeyAlgorithm> AlgorithmFromJoseName(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.jose_name == name) return info.algorithm;
  }
  return std::nullopt;
}

const EVP_MD* DigestOf(const AlgorithmInfo& info) {
  switch (info.hash_bytes) {
    case 32:
      return EVP_sha256();
    case 48:
      return EVP_sha384();
    case 64:
      return EVP_sha512();
    default:
      return nullptr;
  }
}

std::optional<KeyType> KeyTypeOf(const PkeyInfo& info) {
  switch (info.base_id) {
    case EVP_PKEY_RSA:
      return KeyType::kRsa;
    case EVP_PKEY_EC:
      return KeyType::kEc;
    case EVP_PKEY_ED25519:
      return KeyType::kOkp;
    default:
      return std::nullopt;
  }
}

std::optional<KeyAlgorithm> DefaultAlgorithmFor(const PkeyInfo& info) {
  switch (info.base_id) {
    case EVP_PKEY_RSA:
      return KeyAlgorithm::kRs256;
    case EVP_PKEY_EC:
      if (info.curve == "P-256") return KeyAlgorithm::kEs256;
      if (info.curve == "P-384") return KeyAlgorithm::kEs384;
      if (info.curve == "P-521") return KeyAlgorithm::kEs512;
      return std::nullopt;
    case EVP_PKEY_ED25519:
      return KeyAlgorithm::kEd25519;
    default:
      return std::nullopt;
  }
}

int KeyLength(const PkeyInfo& info) { return info.base_id == EVP_PKEY_ED25519 ? 32 : info.bits; }

Status CheckKeyFitsAlgorithm(KeyAlgorithm algorithm, const PkeyInfo& info, int min_rsa_bits) {
  const AlgorithmInfo& a = InfoOf(algorithm);
  const std::optional<KeyType> type = KeyTypeOf(info);
  std::string message;
  if (!type || *type != a.type) {
    message = "a ";
    message.append(type ? ToString(*type) : "unsupported")
        .append(" key cannot be used with ")
        .append(a.jose_name);
  } else if (a.type == KeyType::kEc && info.curve != a.curve) {
    message.append(a.jose_name).append(" needs a ").append(a.curve).append(" key, not ");
    message.append(info.curve);
  } else if (a.type == KeyType::kRsa && info.bits < min_rsa_bits) {
    message = "the RSA key is shorter than " + std::to_string(min_rsa_bits) + " bits";
  } else {
    return Status::Ok();
  }
  return Status::FieldError("invalid", "key.algorithm", message);
}

}  // namespace bulwark::internal
