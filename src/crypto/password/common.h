// SPDX-License-Identifier: Apache-2.0
// Private: what the built-in password hashers share — secret buffers wiped on destruction,
// the salt and PHC codecs, limits and argument checks.
#ifndef BULWARK_CRYPTO_PASSWORD_COMMON_H_
#define BULWARK_CRYPTO_PASSWORD_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/random.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark::internal::password {

// Stored salts and hashes longer than this are refused before any decoding.
inline constexpr std::size_t kMaxStoredFieldChars = 4096;

// A byte buffer that is wiped (OPENSSL_cleanse) when destroyed or cleared: derived keys,
// intermediate digests, copies of the password.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : bytes_(size) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes() { Wipe(); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  std::span<const std::uint8_t> span() const { return bytes_; }
  // Appends, never reallocating a buffer that held secrets without wiping it first.
  void Append(std::span<const std::uint8_t> more);
  void Append(std::string_view more);
  void Resize(std::size_t size);

 private:
  void Wipe() noexcept;
  std::vector<std::uint8_t> bytes_;
};

inline std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The password check every built-in makes: at most kMaxPasswordBytes.
Status CheckPassword(std::string_view password);

// `factor` within [min, max], else kInvalidArgument naming the scheme and the range.
Status CheckFactor(std::string_view scheme, int factor, long long min, long long max);

// The stored salt decoded as Java's Base64.getDecoder() decodes it (FusionAuth's): standard
// alphabet, padding optional but correct when present, unused trailing bits ignored.
Result<SecretBytes> DecodeSalt(std::string_view scheme, std::string_view salt);
// The same decoding for any Base64 parameter; `what` names it in the error ("the x salt").
Result<SecretBytes> DecodeBase64Lenient(std::string_view what, std::string_view text);

// Standard Base64 with padding, and without (PHC strings).
std::string EncodeBase64(std::span<const std::uint8_t> bytes);
std::string EncodeBase64NoPad(std::span<const std::uint8_t> bytes);
// Unpadded standard Base64 (PHC): no '=', length % 4 != 1, unused trailing bits ignored.
Result<std::vector<std::uint8_t>> DecodeBase64NoPad(std::string_view text);

// Base64 (padded) of `n` bytes from `random`.
Result<std::string> RandomBase64Salt(Random& random, std::size_t n);

// Fills `out` from `random`; a Random that throws becomes kInternal.
Status FillRandom(Random& random, std::span<std::uint8_t> out);

// A decimal integer without sign or leading zeros ("0" alone is fine), at most `max`.
Result<long long> ParseDecimal(std::string_view text, long long max);

}  // namespace bulwark::internal::password

#endif  // BULWARK_CRYPTO_PASSWORD_COMMON_H_
