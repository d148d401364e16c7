// SPDX-License-Identifier: Apache-2.0
#include "crypto/secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdint>
#include <vector>

#include "crypto/base64.h"
#include "crypto/openssl_util.h"

namespace bulwark::internal {

std::string Sha256Base64Url(std::string_view value) {
  return Base64UrlEncode(Digest(EVP_sha256(), AsBytes(value)));
}

void Wipe(std::span<std::byte> bytes) noexcept {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

}  // namespace bulwark::internal
