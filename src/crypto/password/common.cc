// SPDX-License-Identifier: Apache-2.0
#include "crypto/password/common.h"

#include <openssl/crypto.h>

#include <array>
#include <limits>

#include <fmt/format.h>

#include "crypto/base64.h"

namespace bulwark::internal::password {
namespace {

constexpr std::array<std::int8_t, 256> MakeStdTable() {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) {
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return t;
}
constexpr auto kStdTable = MakeStdTable();

// Decodes `text` (no '=' inside), ignoring unused trailing bits. False on a bad character or
// a dangling single character.
bool DecodeUnpadded(std::string_view text, std::vector<std::uint8_t>& out) {
  if (text.size() % 4 == 1) return false;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const std::int8_t v = kStdTable[static_cast<unsigned char>(c)];
    if (v < 0) return false;
    acc = (acc << 6 | static_cast<std::uint32_t>(v)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits & 0xFF));
    }
  }
  return true;
}

}  // namespace

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
  }
  return *this;
}

void SecretBytes::Wipe() noexcept {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

void SecretBytes::Append(std::span<const std::uint8_t> more) {
  if (bytes_.size() + more.size() > bytes_.capacity()) {
    std::vector<std::uint8_t> bigger;
    bigger.reserve(bytes_.size() + more.size());
    bigger.assign(bytes_.begin(), bytes_.end());
    Wipe();
    bytes_ = std::move(bigger);
  }
  bytes_.insert(bytes_.end(), more.begin(), more.end());
}

void SecretBytes::Append(std::string_view more) { Append(AsBytes(more)); }

void SecretBytes::Resize(std::size_t size) {
  if (size > bytes_.capacity()) {
    std::vector<std::uint8_t> bigger;
    bigger.reserve(size);
    bigger.assign(bytes_.begin(), bytes_.end());
    Wipe();
    bytes_ = std::move(bigger);
  } else if (size < bytes_.size()) {
    OPENSSL_cleanse(bytes_.data() + size, bytes_.size() - size);
  }
  bytes_.resize(size);
}

Status CheckPassword(std::string_view password) {
  if (password.size() > PasswordHasherRegistry::kMaxPasswordBytes) {
    return Status::InvalidArgument(fmt::format("the password is longer than {} bytes",
                                               PasswordHasherRegistry::kMaxPasswordBytes));
  }
  return Status::Ok();
}

Status CheckFactor(std::string_view scheme, int factor, long long min, long long max) {
  if (factor < min || factor > max) {
    return Status::InvalidArgument(
        fmt::format("the {} factor must be between {} and {}; got {}", scheme, min, max, factor));
  }
  return Status::Ok();
}

namespace {

enum class LenientError { kNone, kTooLong, kNotBase64 };

// Base64 with or without padding (when present, the right amount at the very end), into
// `out`. The callers name the value in their message only when it is refused, so a good
// value costs no formatting.
LenientError DecodeLenient(std::string_view text, SecretBytes& out) {
  if (text.size() > kMaxStoredFieldChars) return LenientError::kTooLong;
  std::string_view body = text;
  const std::size_t first_pad = text.find('=');
  if (first_pad != std::string_view::npos) {
    body = text.substr(0, first_pad);
    const std::string_view pad = text.substr(first_pad);
    const std::size_t expected = (4 - body.size() % 4) % 4;
    if (pad.find_first_not_of('=') != std::string_view::npos || pad.size() != expected) {
      return LenientError::kNotBase64;
    }
  }
  std::vector<std::uint8_t> bytes;
  const bool ok = DecodeUnpadded(body, bytes);
  if (ok) out.Append(bytes);
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  return ok ? LenientError::kNone : LenientError::kNotBase64;
}

Status LenientStatus(LenientError error, std::string_view what) {
  return Status::InvalidArgument(error == LenientError::kTooLong
                                     ? fmt::format("{} is too long", what)
                                     : fmt::format("{} is not valid Base64", what));
}

}  // namespace

Result<SecretBytes> DecodeBase64Lenient(std::string_view what, std::string_view text) {
  SecretBytes out;
  const LenientError error = DecodeLenient(text, out);
  if (error != LenientError::kNone) return LenientStatus(error, what);
  return out;
}

Result<SecretBytes> DecodeSalt(std::string_view scheme, std::string_view salt) {
  SecretBytes out;
  const LenientError error = DecodeLenient(salt, out);
  if (error != LenientError::kNone) {
    return LenientStatus(error, fmt::format("the {} salt", scheme));
  }
  return out;
}

std::string EncodeBase64(std::span<const std::uint8_t> bytes) { return Base64Encode(bytes); }

std::string EncodeBase64NoPad(std::span<const std::uint8_t> bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

Result<std::vector<std::uint8_t>> DecodeBase64NoPad(std::string_view text) {
  std::vector<std::uint8_t> out;
  if (!DecodeUnpadded(text, out)) return Status::InvalidArgument("not unpadded Base64");
  return out;
}

Status FillRandom(Random& random, std::span<std::uint8_t> out) {
  try {
    return random.Fill(std::as_writable_bytes(out));
  } catch (...) {
    return Status::Internal("the Random implementation threw");
  }
}

Result<std::string> RandomBase64Salt(Random& random, std::size_t n) {
  SecretBytes salt(n);
  BULWARK_RETURN_IF_ERROR(FillRandom(random, {salt.data(), salt.size()}));
  return EncodeBase64(salt.span());
}

Result<long long> ParseDecimal(std::string_view text, long long max) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) {
    return Status::InvalidArgument("not a canonical decimal number");
  }
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Status::InvalidArgument("not a canonical decimal number");
    if (value > (std::numeric_limits<long long>::max() - (c - '0')) / 10) {
      return Status::InvalidArgument("number out of range");
    }
    value = value * 10 + (c - '0');
  }
  if (value > max) return Status::InvalidArgument("number out of range");
  return value;
}

}  // namespace bulwark::internal::password
