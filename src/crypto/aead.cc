// SPDX-License-Identifier: Apache-2.0
#include "crypto/aead.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <memory>

#include "crypto/openssl_util.h"

namespace bulwark::internal {
namespace {

struct EvpKdfFree {
  void operator()(EVP_KDF* p) const noexcept { EVP_KDF_free(p); }
};
struct EvpKdfCtxFree {
  void operator()(EVP_KDF_CTX* p) const noexcept { EVP_KDF_CTX_free(p); }
};
struct EvpCipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
};
using EvpKdfPtr = std::unique_ptr<EVP_KDF, EvpKdfFree>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, EvpKdfCtxFree>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, EvpCipherCtxFree>;

// GCM takes int lengths; bulwark seals tokens, never anything near 2 GiB.
constexpr std::size_t kMaxAeadBytes = 1 << 20;

}  // namespace

AeadKey::AeadKey(AeadKey&& other) noexcept : bytes_(other.bytes_) {
  OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
}

AeadKey& AeadKey::operator=(AeadKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

AeadKey::~AeadKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Result<AeadKey> DeriveAeadKey(std::span<const std::uint8_t> secret, std::string_view info) {
  ClearOpenSslErrors();
  EvpKdfPtr kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (kdf == nullptr) return OpenSslError(StatusCode::kInternal, "HKDF is unavailable");
  EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) return OpenSslError(StatusCode::kInternal, "HKDF is unavailable");
  char digest[] = "SHA256";
  // OSSL_PARAM takes non-const pointers but only reads through them for these parameters.
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(secret.data()), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end()};
  AeadKey key;
  if (EVP_KDF_derive(ctx.get(), key.bytes().data(), key.bytes().size(), params) != 1) {
    return OpenSslError(StatusCode::kInternal, "HKDF failed");
  }
  return key;
}

Result<std::vector<std::uint8_t>> AeadSeal(const AeadKey& key,
                                           std::span<const std::uint8_t, kAeadIvBytes> iv,
                                           std::span<const std::uint8_t> plaintext) {
  if (plaintext.size() > kMaxAeadBytes) return Status::InvalidArgument("too much to seal");
  ClearOpenSslErrors();
  std::vector<std::uint8_t> out(kAeadIvBytes + plaintext.size() + kAeadTagBytes);
  std::copy(iv.begin(), iv.end(), out.begin());
  std::uint8_t* const body = out.data() + kAeadIvBytes;
  EvpCipherCtxPtr c(EVP_CIPHER_CTX_new());
  int len = 0;
  int tail = 0;
  const bool ok =
      c != nullptr &&
      EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.bytes().data(), iv.data()) ==
          1 &&
      EVP_EncryptUpdate(c.get(), body, &len, plaintext.data(), static_cast<int>(plaintext.size())) ==
          1 &&
      EVP_EncryptFinal_ex(c.get(), body + len, &tail) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagBytes,
                          body + plaintext.size()) == 1;
  if (!ok) return OpenSslError(StatusCode::kInternal, "AES-256-GCM sealing failed");
  return out;
}

Result<std::string> AeadOpen(const AeadKey& key, std::span<const std::uint8_t> sealed) {
  if (sealed.size() < kAeadIvBytes + kAeadTagBytes ||
      sealed.size() > kAeadIvBytes + kMaxAeadBytes + kAeadTagBytes) {
    return Status::Unauthenticated("the sealed value is malformed");
  }
  ClearOpenSslErrors();
  const std::size_t n = sealed.size() - kAeadIvBytes - kAeadTagBytes;
  std::string plain(n, '\0');
  auto* const out = reinterpret_cast<unsigned char*>(plain.data());
  EvpCipherCtxPtr c(EVP_CIPHER_CTX_new());
  int len = 0;
  int tail = 0;
  // EVP_CTRL_GCM_SET_TAG reads the tag; OpenSSL's signature is not const.
  auto* const tag = const_cast<std::uint8_t*>(sealed.data() + kAeadIvBytes + n);
  const bool ok =
      c != nullptr &&
      EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.bytes().data(),
                         sealed.data()) == 1 &&
      EVP_DecryptUpdate(c.get(), out, &len, sealed.data() + kAeadIvBytes, static_cast<int>(n)) ==
          1 &&
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagBytes, tag) == 1 &&
      EVP_DecryptFinal_ex(c.get(), out + len, &tail) == 1;
  if (!ok) {
    ClearOpenSslErrors();
    OPENSSL_cleanse(plain.data(), plain.size());
    return Status::Unauthenticated("the sealed value does not open");
  }
  return plain;
}

}  // namespace bulwark::internal
