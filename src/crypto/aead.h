// SPDX-License-Identifier: Apache-2.0
// Private: authenticated encryption for values bulwark hands out sealed (a rotated refresh
// token's successor; later authorization codes and SAML relay state): HKDF-SHA256 (RFC 5869)
// derives a 256-bit key, and AES-256-GCM seals with a 96-bit IV as iv || ciphertext || tag.
// Keys are wiped when their owner goes away; no OpenSSL handle outlives a call.
//
// Thread-safe: the functions share no state.
#ifndef BULWARK_CRYPTO_AEAD_H_
#define BULWARK_CRYPTO_AEAD_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/result.h"

namespace bulwark::internal {

inline constexpr std::size_t kAeadKeyBytes = 32;
inline constexpr std::size_t kAeadIvBytes = 12;
inline constexpr std::size_t kAeadTagBytes = 16;

// A 256-bit AES key, wiped when destroyed. Move-only; a move wipes the source.
class AeadKey {
 public:
  AeadKey() = default;
  AeadKey(const AeadKey&) = delete;
  AeadKey& operator=(const AeadKey&) = delete;
  AeadKey(AeadKey&& other) noexcept;
  AeadKey& operator=(AeadKey&& other) noexcept;
  ~AeadKey();

  std::span<std::uint8_t, kAeadKeyBytes> bytes() { return bytes_; }
  std::span<const std::uint8_t, kAeadKeyBytes> bytes() const { return bytes_; }

 private:
  std::array<std::uint8_t, kAeadKeyBytes> bytes_{};
};

// HKDF-SHA256 with no salt: the key derived from input keying material `secret` for the
// purpose `info`. kInternal only when OpenSSL cannot run HKDF.
Result<AeadKey> DeriveAeadKey(std::span<const std::uint8_t> secret, std::string_view info);

// iv || AES-256-GCM(key, iv, plaintext) || tag. The caller supplies a fresh random IV for
// every seal under one key (a repeated IV breaks GCM).
Result<std::vector<std::uint8_t>> AeadSeal(const AeadKey& key,
                                           std::span<const std::uint8_t, kAeadIvBytes> iv,
                                           std::span<const std::uint8_t> plaintext);

// The plaintext of `sealed` (as AeadSeal wrote it). kUnauthenticated when it was sealed under
// another key or changed (the tag does not verify), or is too short to hold an IV and a tag.
Result<std::string> AeadOpen(const AeadKey& key, std::span<const std::uint8_t> sealed);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_AEAD_H_
