// SPDX-License-Identifier: Apache-2.0
// phpass-md5 and phpass-sha512, FusionAuth's ports of phpass's portable hashes: h = H(salt ‖
// password), then `factor` times h = H(h ‖ password), encoded with phpass's itoa64 encoding
// (16 bytes -> 22 characters for MD5; for SHA-512 the 64 bytes encode to 86 characters, of
// which the first 43 are kept, as Drupal 7's `$S$` hashes keep them). The salt is used as
// the raw string (not Base64) and must match ^[./A-Za-z0-9]+=*$, as FusionAuth checks it.
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>

#include <fmt/format.h>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr char kItoa64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kMaxIterations = 1 << 24;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// phpass's encode64: little-endian groups of 3 bytes, 6 bits at a time.
std::string Encode64(std::span<const std::uint8_t> in) {
  std::string out;
  const std::size_t count = in.size();
  std::size_t i = 0;
  while (i < count) {
    std::uint32_t value = in[i++];
    out.push_back(kItoa64[value & 0x3f]);
    if (i < count) value |= std::uint32_t{in[i]} << 8;
    out.push_back(kItoa64[(value >> 6) & 0x3f]);
    if (i++ >= count) break;
    if (i < count) value |= std::uint32_t{in[i]} << 16;
    out.push_back(kItoa64[(value >> 12) & 0x3f]);
    if (i++ >= count) break;
    out.push_back(kItoa64[(value >> 18) & 0x3f]);
  }
  return out;
}

bool IsItoa64(char c) {
  return c == '.' || c == '/' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z');
}

// ^[./A-Za-z0-9]+=*$
bool IsPhpassSalt(std::string_view salt) {
  std::size_t i = 0;
  while (i < salt.size() && IsItoa64(salt[i])) ++i;
  if (i == 0) return false;
  while (i < salt.size() && salt[i] == '=') ++i;
  return i == salt.size();
}

class PhpassHasher final : public PasswordHasher {
 public:
  PhpassHasher(std::string_view scheme, const EVP_MD* (*digest)(), std::size_t output_chars)
      : scheme_(scheme), digest_(digest), output_chars_(output_chars) {}

  std::string_view scheme() const noexcept override { return scheme_; }
  int default_factor() const noexcept override { return 2048; }

  // phpass's gensalt: 6 random bytes in itoa64, 8 characters.
  Result<std::string> GenerateSalt(Random& random) const override {
    SecretBytes bytes(6);
    BULWARK_RETURN_IF_ERROR(FillRandom(random, {bytes.data(), bytes.size()}));
    return Encode64(bytes.span());
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckFactor(scheme_, factor, 1, kMaxIterations));
    if (salt.size() > kMaxStoredFieldChars || !IsPhpassSalt(salt)) {
      return Status::InvalidArgument(
          fmt::format("the {} salt must be phpass characters (./0-9A-Za-z)", scheme_));
    }
    const EVP_MD* md = digest_();
    const auto md_size = static_cast<std::size_t>(EVP_MD_get_size(md));
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (ctx == nullptr) return Status::Internal("out of memory for a digest context");
    SecretBytes h(md_size);
    unsigned int written = 0;
    ERR_clear_error();
    bool ok = EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
              EVP_DigestUpdate(ctx.get(), salt.data(), salt.size()) == 1 &&
              EVP_DigestUpdate(ctx.get(), password.data(), password.size()) == 1 &&
              EVP_DigestFinal_ex(ctx.get(), h.data(), &written) == 1 && written == md_size;
    // Each round reuses the context's already fetched digest (nullptr): passing the legacy
    // EVP_MD again would fetch it from the provider every round.
    for (int i = 0; ok && i < factor; ++i) {
      ok = EVP_DigestInit_ex2(ctx.get(), nullptr, nullptr) == 1 &&
           EVP_DigestUpdate(ctx.get(), h.data(), h.size()) == 1 &&
           EVP_DigestUpdate(ctx.get(), password.data(), password.size()) == 1 &&
           EVP_DigestFinal_ex(ctx.get(), h.data(), &written) == 1 && written == md_size;
    }
    ERR_clear_error();
    if (!ok) return Status::Internal("message digest failed");
    std::string out = Encode64(h.span());
    out.resize(output_chars_);
    return out;
  }

 private:
  std::string_view scheme_;
  const EVP_MD* (*digest_)();
  std::size_t output_chars_;
};

}  // namespace

std::vector<std::shared_ptr<const PasswordHasher>> NewPhpassHashers() {
  return {std::make_shared<PhpassHasher>(kPhpassMd5, &EVP_md5, 22),
          std::make_shared<PhpassHasher>(kPhpassSha512, &EVP_sha512, 43)};
}

}  // namespace bulwark::internal::password
