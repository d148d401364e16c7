// SPDX-License-Identifier: Apache-2.0
#include "crypto/base64.h"

#include <array>

namespace bulwark::internal {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(std::span<const std::uint8_t> in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    out.push_back(alphabet[v >> 6 & 63]);
    out.push_back(alphabet[v & 63]);
  }
  const std::size_t rest = in.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8;
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    out.push_back(alphabet[v >> 6 & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

constexpr std::array<std::int8_t, 256> MakeTable(const char* alphabet) {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto kStdTable = MakeTable(kStd);
constexpr auto kUrlTable = MakeTable(kUrl);

Result<std::vector<std::uint8_t>> Decode(std::string_view in,
                                         const std::array<std::int8_t, 256>& table, bool padded) {
  std::size_t len = in.size();
  if (padded) {
    if (len % 4 != 0) return Status::InvalidArgument("invalid base64 length");
    if (len > 0 && in[len - 1] == '=') --len;
    if (len > 0 && in[len - 1] == '=') --len;
  } else if (len % 4 == 1) {
    return Status::InvalidArgument("invalid base64url length");
  }
  std::vector<std::uint8_t> out;
  out.reserve(len * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < len; ++i) {
    const std::int8_t v = table[static_cast<unsigned char>(in[i])];
    if (v < 0) return Status::InvalidArgument("invalid base64 character");
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits & 0xFF));
    }
  }
  // Leftover bits must be zero (canonical encoding).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return Status::InvalidArgument("non-canonical base64");
  }
  return out;
}

}  // namespace

std::string Base64Encode(std::span<const std::uint8_t> bytes) { return Encode(bytes, kStd, true); }
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) {
  return Encode(bytes, kUrl, false);
}
Result<std::vector<std::uint8_t>> Base64Decode(std::string_view text) {
  return Decode(text, kStdTable, true);
}
Result<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text) {
  return Decode(text, kUrlTable, false);
}

}  // namespace bulwark::internal
