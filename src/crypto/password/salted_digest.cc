// SPDX-License-Identifier: Apache-2.0
// salted-md5 and salted-sha256 (d = password ‖ Base64-decoded salt, then `factor` times
// d = H(d), Base64 of d) and salted-hmac-sha256 (Base64 of HMAC-SHA256 keyed by the
// Base64-decoded salt over the password; the factor is ignored), as FusionAuth's
// BaseDigestPasswordEncryptor and SaltedHMACSHA256PasswordEncryptor compute them.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr int kMaxIterations = 10'000'000;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// SHA-256, fetched from the provider once per process (passing EVP_sha256() to a digest
// call fetches it again every time).
const EVP_MD* Sha256() {
  static EVP_MD* const kMd = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    ERR_clear_error();
    return md;
  }();
  return kMd;
}

// HMAC-SHA256 (RFC 2104) of `message` keyed by `key`, written to `out` (32 bytes). It runs
// the two SHA-256 passes itself on a digest context kept per thread: duplicating and keying
// an EVP_MAC context costs several times the two hashes. The padded key blocks are wiped;
// what stays in the thread's context is the state of the outer hash, i.e. the MAC itself.
bool HmacSha256(std::span<const std::uint8_t> key, std::string_view message, std::uint8_t out[32]) {
  constexpr std::size_t kBlock = 64;
  constexpr std::size_t kDigest = 32;
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  const EVP_MD* md = Sha256();
  if (ctx == nullptr || md == nullptr) return false;
  EVP_MD_CTX* c = ctx.get();
  std::uint8_t pad[kBlock] = {};
  std::uint8_t inner[kDigest];
  unsigned int written = 0;
  bool ok = true;
  if (key.size() > kBlock) {
    // A key longer than the block is replaced by its digest.
    ok = EVP_DigestInit_ex2(c, md, nullptr) == 1 &&
         EVP_DigestUpdate(c, key.data(), key.size()) == 1 &&
         EVP_DigestFinal_ex(c, pad, &written) == 1 && written == kDigest;
  } else if (!key.empty()) {
    std::memcpy(pad, key.data(), key.size());
  }
  for (std::uint8_t& b : pad) b ^= 0x36;
  ok = ok && EVP_DigestInit_ex2(c, md, nullptr) == 1 && EVP_DigestUpdate(c, pad, kBlock) == 1 &&
       EVP_DigestUpdate(c, message.data(), message.size()) == 1 &&
       EVP_DigestFinal_ex(c, inner, &written) == 1 && written == kDigest;
  for (std::uint8_t& b : pad) b ^= 0x36 ^ 0x5c;
  ok = ok && EVP_DigestInit_ex2(c, md, nullptr) == 1 && EVP_DigestUpdate(c, pad, kBlock) == 1 &&
       EVP_DigestUpdate(c, inner, kDigest) == 1 && EVP_DigestFinal_ex(c, out, &written) == 1 &&
       written == kDigest;
  OPENSSL_cleanse(pad, sizeof pad);
  OPENSSL_cleanse(inner, sizeof inner);
  if (!ok) ERR_clear_error();
  return ok;
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
    std::uint8_t mac[32];
    if (!HmacSha256(key.span(), password, mac)) return Status::Internal("HMAC-SHA256 failed");
    std::string encoded = EncodeBase64(mac);
    OPENSSL_cleanse(mac, sizeof mac);
    return encoded;
  }
};

}  // namespace

std::vector<std::shared_ptr<const PasswordHasher>> NewDigestHashers() {
  return {std::make_shared<SaltedDigestHasher>(kSaltedMd5, &EVP_md5),
          std::make_shared<SaltedDigestHasher>(kSaltedSha256, &EVP_sha256),
          std::make_shared<SaltedHmacSha256Hasher>()};
}

}  // namespace bulwark::internal::password
