// SPDX-License-Identifier: Apache-2.0
// Private: the secret values bulwark hands out (refresh tokens, API keys, pending link ids)
// are stored as a digest, never as themselves; buffers that held one are wiped.
//
// Thread-safe: the functions share no state.
#ifndef BULWARK_CRYPTO_SECRETS_H_
#define BULWARK_CRYPTO_SECRETS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace bulwark::internal {

// base64url(SHA-256(value)), unpadded: the digest a secret value is stored and found under.
std::string Sha256Base64Url(std::string_view value);

// Overwrites `bytes` with zeros in a way the compiler does not elide (OPENSSL_cleanse).
void Wipe(std::span<std::byte> bytes) noexcept;

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_SECRETS_H_
