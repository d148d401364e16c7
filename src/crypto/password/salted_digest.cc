// SPDX-License-Identifier: Apache-2.0
// salted-md5 and salted-sha256 (d = password ‖ Base64-decoded salt, then `factor` times
// d = H(d), Base64 of d) and salted-hmac-sha256 (Base64 of HMAC-SHA256 keyed by the
// Base64-decoded salt over the password; the factor is ignored), as FusionAuth's
// BaseDigestPasswordEncryptor and SaltedHMACSHA256PasswordEncryptor compute them.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <memory>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr int kMaxIterations = 10'000'000;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>;

// An HMAC-SHA256 context without a key, made once: HMAC and SHA-256 are fetched from the
// provider once per process, not on every login (OpenSSL's one-shot HMAC() fetches both on
// every call). Each computation keys a copy. Null if OpenSSL cannot provide it.
const EVP_MAC_CTX* HmacSha256Template() {
  static EVP_MAC_CTX* const kTemplate = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) return static_cast<EVP_MAC_CTX*>(nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (ctx != nullptr && EVP_MAC_CTX_set_params(ctx, params) != 1) {
      EVP_MAC_CTX_free(ctx);
      ctx = nullptr;
    }
    ERR_clear_error();
    return ctx;
  }();
  return kTemplate;
}

class SaltedDigestHasher final : public PasswordHasher {
 public:
  SaltedDigestHasher(std::string_view scheme, const EVP_MD* (*digest)())
      : scheme_(scheme), digest_(digest) {}

  std::string_view scheme() const noexcept override { return scheme_; }
  int default_factor() const noexcept override { return 20000; }

  Result<std::string> GenerateSalt(Random& random) const override {
    return RandomBase64Salt(random, 32);
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckFactor(scheme_, factor, 1, kMaxIterations));
    BULWARK_ASSIGN_OR_RETURN(SecretBytes salt_bytes, DecodeSalt(scheme_, salt));
    SecretBytes input;
    input.Append(password);
    input.Append(salt_bytes.span());

    const EVP_MD* md = digest_();
    const auto md_size = static_cast<std::size_t>(EVP_MD_get_size(md));
    SecretBytes digest(md_size);
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (ctx == nullptr) return Status::Internal("out of memory for a digest context");
    ERR_clear_error();
    const std::uint8_t* data = input.data();
    std::size_t size = input.size();
    for (int i = 0; i < factor; ++i) {
      unsigned int written = 0;
      // After the first round the context's own (already fetched) digest is reused: passing
      // the legacy EVP_MD again would fetch it from the provider every round.
      if (EVP_DigestInit_ex2(ctx.get(), i == 0 ? md : nullptr, nullptr) != 1 ||
          EVP_DigestUpdate(ctx.get(), data, size) != 1 ||
          EVP_DigestFinal_ex(ctx.get(), digest.data(), &written) != 1 || written != md_size) {
        ERR_clear_error();
        return Status::Internal("message digest failed");
      }
      data = digest.data();
      size = digest.size();
    }
    return EncodeBase64(digest.span());
  }

 private:
  std::string_view scheme_;
  const EVP_MD* (*digest_)();
};

class SaltedHmacSha256Hasher final : public PasswordHasher {
 public:
  std::string_view scheme() const noexcept override { return kSaltedHmacSha256; }
  int default_factor() const noexcept override { return 1; }

  Result<std::string> GenerateSalt(Random& random) const override {
    return RandomBase64Salt(random, 32);
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int /*factor*/) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_ASSIGN_OR_RETURN(SecretBytes key, DecodeSalt(kSaltedHmacSha256, salt));
    // FusionAuth's SecretKeySpec refuses an empty key.
    if (key.size() == 0) {
      return Status::InvalidArgument("the salted-hmac-sha256 salt (the HMAC key) is empty");
    }
    SecretBytes mac(EVP_MAX_MD_SIZE);
    std::size_t written = 0;
    ERR_clear_error();
    const EVP_MAC_CTX* keyless = HmacSha256Template();
    MacCtxPtr ctx(keyless == nullptr ? nullptr : EVP_MAC_CTX_dup(keyless));
    const bool ok =
        ctx != nullptr && EVP_MAC_init(ctx.get(), key.data(), key.size(), nullptr) == 1 &&
        EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(password.data()),
                       password.size()) == 1 &&
        EVP_MAC_final(ctx.get(), mac.data(), &written, mac.size()) == 1;
    ERR_clear_error();
    if (!ok || written != 32) return Status::Internal("HMAC-SHA256 failed");
    mac.Resize(written);
    return EncodeBase64(mac.span());
  }
};

}  // namespace

std::vector<std::shared_ptr<const PasswordHasher>> NewDigestHashers() {
  return {std::make_shared<SaltedDigestHasher>(kSaltedMd5, &EVP_md5),
          std::make_shared<SaltedDigestHasher>(kSaltedSha256, &EVP_sha256),
          std::make_shared<SaltedHmacSha256Hasher>()};
}

}  // namespace bulwark::internal::password
