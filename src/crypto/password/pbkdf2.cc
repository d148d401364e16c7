// SPDX-License-Identifier: Apache-2.0
// salted-pbkdf2-hmac-sha256, salted-pbkdf2-hmac-sha256-512 and salted-pbkdf2-hmac-sha512-512:
// PBKDF2-HMAC over the password bytes, salt = the Base64-decoded salt, iterations = factor,
// Base64 of the derived key (FusionAuth's PBKDF2 encryptors).
#include <openssl/err.h>
#include <openssl/evp.h>

#include <climits>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr int kMaxIterations = 10'000'000;

class Pbkdf2Hasher final : public PasswordHasher {
 public:
  // `digest` is one of OpenSSL's static EVP_MD getters, valid for the process lifetime.
  Pbkdf2Hasher(std::string_view scheme, const EVP_MD* (*digest)(), std::size_t key_bytes)
      : scheme_(scheme), digest_(digest), key_bytes_(key_bytes) {}

  std::string_view scheme() const noexcept override { return scheme_; }
  int default_factor() const noexcept override { return 24000; }

  Result<std::string> GenerateSalt(Random& random) const override {
    return RandomBase64Salt(random, 32);
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckFactor(scheme_, factor, 1, kMaxIterations));
    BULWARK_ASSIGN_OR_RETURN(SecretBytes salt_bytes, DecodeSalt(scheme_, salt));
    if (salt_bytes.size() > INT_MAX) return Status::InvalidArgument("the salt is too long");
    SecretBytes key(key_bytes_);
    ERR_clear_error();
    const int rc = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                     salt_bytes.data(), static_cast<int>(salt_bytes.size()), factor,
                                     digest_(), static_cast<int>(key.size()), key.data());
    ERR_clear_error();
    if (rc != 1) return Status::Internal("PBKDF2 failed");
    return EncodeBase64(key.span());
  }

 private:
  std::string_view scheme_;
  const EVP_MD* (*digest_)();
  std::size_t key_bytes_;
};

}  // namespace

std::vector<std::shared_ptr<const PasswordHasher>> NewPbkdf2Hashers() {
  return {std::make_shared<Pbkdf2Hasher>(kPbkdf2HmacSha256, &EVP_sha256, 32),
          std::make_shared<Pbkdf2Hasher>(kPbkdf2HmacSha256Key512, &EVP_sha256, 64),
          std::make_shared<Pbkdf2Hasher>(kPbkdf2HmacSha512Key512, &EVP_sha512, 64)};
}

}  // namespace bulwark::internal::password
