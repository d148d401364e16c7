// SPDX-License-Identifier: Apache-2.0
#include "crypto/password_hashing.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/base64.h"

namespace bulwark::internal {
namespace {

constexpr std::size_t kSaltBytes = 32;
constexpr std::size_t kKeyBytes = 32;
// A ceiling that keeps a hostile stored factor from pinning a core for minutes.
constexpr int kMaxFactor = 10'000'000;

Result<std::array<std::uint8_t, kKeyBytes>> Pbkdf2Sha256(std::string_view password,
                                                         std::span<const std::uint8_t> salt,
                                                         int factor) {
  std::array<std::uint8_t, kKeyBytes> out{};
  ERR_clear_error();
  const int rc = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                                   static_cast<int>(salt.size()), factor, EVP_sha256(),
                                   static_cast<int>(out.size()), out.data());
  ERR_clear_error();
  if (rc != 1) return Status::Internal("PBKDF2 failed");
  return out;
}

Status CheckFactor(int factor) {
  if (factor < 1 || factor > kMaxFactor) {
    return Status::FieldError("invalid", "user.factor", "the hash factor is out of range");
  }
  return Status::Ok();
}

}  // namespace

bool IsSupportedPasswordScheme(std::string_view scheme) { return scheme == kPbkdf2HmacSha256; }

int DefaultPasswordFactor(std::string_view scheme) {
  return scheme == kPbkdf2HmacSha256 ? kPbkdf2HmacSha256DefaultFactor : 0;
}

Result<PasswordHash> HashPassword(std::string_view password, std::string_view scheme, int factor,
                                  Random& random) {
  if (!IsSupportedPasswordScheme(scheme)) {
    return Status::FieldError("invalid", "user.encryptionScheme",
                              "unknown password encryption scheme");
  }
  BULWARK_RETURN_IF_ERROR(CheckFactor(factor));
  std::array<std::uint8_t, kSaltBytes> salt{};
  BULWARK_RETURN_IF_ERROR(random.Fill(std::as_writable_bytes(std::span(salt))));
  BULWARK_ASSIGN_OR_RETURN(auto key, Pbkdf2Sha256(password, salt, factor));
  PasswordHash hash;
  hash.encryption_scheme = std::string(scheme);
  hash.factor = factor;
  hash.salt = Base64Encode(salt);
  hash.hash = Base64Encode(key);
  OPENSSL_cleanse(key.data(), key.size());
  return hash;
}

Result<bool> VerifyPassword(std::string_view password, const PasswordHash& stored) {
  if (!IsSupportedPasswordScheme(stored.encryption_scheme)) {
    return Status::InvalidArgument("unknown password encryption scheme");
  }
  BULWARK_RETURN_IF_ERROR(CheckFactor(stored.factor));
  Result<std::vector<std::uint8_t>> salt = Base64Decode(stored.salt);
  if (!salt.ok()) return Status::InvalidArgument("stored salt is not Base64");
  Result<std::vector<std::uint8_t>> expected = Base64Decode(stored.hash);
  if (!expected.ok()) return Status::InvalidArgument("stored hash is not Base64");
  BULWARK_ASSIGN_OR_RETURN(auto key, Pbkdf2Sha256(password, *salt, stored.factor));
  const bool match = expected->size() == key.size() &&
                     CRYPTO_memcmp(expected->data(), key.data(), key.size()) == 0;
  OPENSSL_cleanse(key.data(), key.size());
  return match;
}

}  // namespace bulwark::internal
