// SPDX-License-Identifier: Apache-2.0
#include "crypto/base64.h"

#include <array>

namespace bulwark::internal {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Appends to `out`, written in place: a compact JWS is built in one string.
void Encode(std::span<const std::uint8_t> in, const char* alphabet, bool pad, std::string& out) {
  const std::size_t full = in.size() / 3;
  const std::size_t rest = in.size() - full * 3;
  const std::size_t tail = rest == 0 ? 0 : pad ? 4 : rest + 1;
  const std::size_t start = out.size();
  out.resize(start + full * 4 + tail);
  char* p = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
    *p++ = alphabet[v >> 18 & 63];
    *p++ = alphabet[v >> 12 & 63];
    *p++ = alphabet[v >> 6 & 63];
    *p++ = alphabet[v & 63];
  }
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    *p++ = alphabet[v >> 18 & 63];
    *p++ = alphabet[v >> 12 & 63];
    if (pad) {
      *p++ = '=';
      *p++ = '=';
    }
  } else if (rest == 2) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8;
    *p++ = alphabet[v >> 18 & 63];
    *p++ = alphabet[v >> 12 & 63];
    *p++ = alphabet[v >> 6 & 63];
    if (pad) *p++ = '=';
  }
}

// Set in a shifted entry of a character outside the alphabet; above the 24 data bits.
constexpr std::uint32_t kInvalid = std::uint32_t{1} << 24;

struct DecodeTable {
  // A character's six bits, or -1 outside the alphabet.
  std::array<std::int8_t, 256> value;
  // The same bits already in place for each character of a group of four (shifted by 18,
  // 12, 6 and 0), or kInvalid: the OR of a group's four entries is its 24 bits, with
  // kInvalid set when any character is invalid.
  std::array<std::array<std::uint32_t, 256>, 4> shifted;
};

constexpr DecodeTable MakeTable(const char* alphabet) {
  DecodeTable t{};
  for (auto& v : t.value) v = -1;
  for (auto& column : t.shifted) {
    for (auto& v : column) v = kInvalid;
  }
  for (int i = 0; i < 64; ++i) {
    const auto c = static_cast<unsigned char>(alphabet[i]);
    t.value[c] = static_cast<std::int8_t>(i);
    for (int k = 0; k < 4; ++k) t.shifted[k][c] = static_cast<std::uint32_t>(i) << (18 - 6 * k);
  }
  return t;
}
constexpr DecodeTable kStdTable = MakeTable(kStd);
constexpr DecodeTable kUrlTable = MakeTable(kUrl);

// Appends the decoded bytes to `out`, a byte vector or a std::string. Four characters make
// three bytes per step: the OR of their shifted table entries, with one validity check for
// the four (kInvalid). A trailing 2 or 3 characters make 1 or 2 bytes, whose unused low
// bits must be zero (canonical encoding).
template <typename Bytes>
Status Decode(std::string_view in, const DecodeTable& table, bool padded, Bytes& out) {
  using Byte = typename Bytes::value_type;
  std::size_t len = in.size();
  if (padded) {
    if (len % 4 != 0) return Status::InvalidArgument("invalid base64 length");
    if (len > 0 && in[len - 1] == '=') --len;
    if (len > 0 && in[len - 1] == '=') --len;
  } else if (len % 4 == 1) {
    return Status::InvalidArgument("invalid base64url length");
  }
  // After the checks above len % 4 is 0, 2 or 3.
  const auto value = [&table](char c) -> std::int32_t {
    return table.value[static_cast<unsigned char>(c)];
  };
  const auto shifted = [&table](int k, char c) {
    return table.shifted[static_cast<std::size_t>(k)][static_cast<unsigned char>(c)];
  };
  const std::size_t full = len / 4;
  const std::size_t rest = len % 4;
  const std::size_t start = out.size();
  out.resize(start + full * 3 + (rest == 0 ? 0 : rest - 1));
  Byte* p = out.data() + start;
  const char* s = in.data();
  for (std::size_t g = 0; g < full; ++g, s += 4, p += 3) {
    const std::uint32_t v =
        shifted(0, s[0]) | shifted(1, s[1]) | shifted(2, s[2]) | shifted(3, s[3]);
    if ((v & kInvalid) != 0) return Status::InvalidArgument("invalid base64 character");
    p[0] = static_cast<Byte>(v >> 16);
    p[1] = static_cast<Byte>(v >> 8 & 0xFF);
    p[2] = static_cast<Byte>(v & 0xFF);
  }
  if (rest == 2) {
    const std::int32_t a = value(s[0]);
    const std::int32_t b = value(s[1]);
    if ((a | b) < 0) return Status::InvalidArgument("invalid base64 character");
    if ((b & 0x0F) != 0) return Status::InvalidArgument("non-canonical base64");
    p[0] = static_cast<Byte>(a << 2 | b >> 4);
  } else if (rest == 3) {
    const std::int32_t a = value(s[0]);
    const std::int32_t b = value(s[1]);
    const std::int32_t c = value(s[2]);
    if ((a | b | c) < 0) return Status::InvalidArgument("invalid base64 character");
    if ((c & 0x03) != 0) return Status::InvalidArgument("non-canonical base64");
    const auto v = static_cast<std::uint32_t>(a << 12 | b << 6 | c);
    p[0] = static_cast<Byte>(v >> 10);
    p[1] = static_cast<Byte>(v >> 2 & 0xFF);
  }
  return Status::Ok();
}

}  // namespace

std::string Base64Encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  Encode(bytes, kStd, true, out);
  return out;
}
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) {
  std::string out;
  Encode(bytes, kUrl, false, out);
  return out;
}
void AppendBase64Url(std::span<const std::uint8_t> bytes, std::string& out) {
  Encode(bytes, kUrl, false, out);
}
Result<std::vector<std::uint8_t>> Base64Decode(std::string_view text) {
  std::vector<std::uint8_t> out;
  BULWARK_RETURN_IF_ERROR(Decode(text, kStdTable, true, out));
  return out;
}
Result<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text) {
  std::vector<std::uint8_t> out;
  BULWARK_RETURN_IF_ERROR(Decode(text, kUrlTable, false, out));
  return out;
}
Status Base64UrlDecodeTo(std::string_view text, std::string& out) {
  out.clear();
  Status decoded = Decode(text, kUrlTable, false, out);
  if (!decoded.ok()) out.clear();
  return decoded;
}

}  // namespace bulwark::internal
