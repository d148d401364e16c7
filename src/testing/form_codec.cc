// SPDX-License-Identifier: Apache-2.0
#include "testing/form_codec.h"

#include <array>
#include <span>

#include "core/ascii.h"

namespace bulwark::testing::detail {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The credentials after "<scheme> " when `header_value` uses `scheme` (case-insensitive,
// RFC 9110 §11.1), with the spaces after the scheme skipped.
std::optional<std::string_view> AfterScheme(std::string_view header_value,
                                            std::string_view scheme) {
  if (header_value.size() <= scheme.size() ||
      !bulwark::internal::AsciiEqualsIgnoreCase(header_value.substr(0, scheme.size()), scheme) ||
      header_value[scheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view rest = header_value.substr(scheme.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;
  return rest;
}

}  // namespace

std::optional<std::string> FormUrlDecodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<FormFields> FormUrlDecode(std::string_view body) {
  FormFields fields;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view field = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (field.empty()) continue;
    const std::size_t eq = field.find('=');
    std::optional<std::string> name = FormUrlDecodeComponent(field.substr(0, eq));
    std::optional<std::string> value = FormUrlDecodeComponent(
        eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::array<int, 4> v{};
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && last && j >= 4 - padding) {
        v[j] = 0;
        continue;
      }
      v[j] = Base64Value(c);
      if (v[j] < 0) return std::nullopt;
    }
    const unsigned triple = (static_cast<unsigned>(v[0]) << 18) |
                            (static_cast<unsigned>(v[1]) << 12) |
                            (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
    out.push_back(static_cast<char>((triple >> 16) & 0xFF));
    if (!last || padding < 2) out.push_back(static_cast<char>((triple >> 8) & 0xFF));
    if (!last || padding < 1) out.push_back(static_cast<char>(triple & 0xFF));
  }
  return out;
}

std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header_value) {
  const std::optional<std::string_view> token = AfterScheme(header_value, "Basic");
  if (!token) return std::nullopt;
  const std::optional<std::string> decoded = Base64Decode(*token);
  if (!decoded) return std::nullopt;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::optional<std::string> user =
      FormUrlDecodeComponent(std::string_view(*decoded).substr(0, colon));
  std::optional<std::string> password =
      FormUrlDecodeComponent(std::string_view(*decoded).substr(colon + 1));
  if (!user || !password) return std::nullopt;
  return BasicCredentials{.user = std::move(*user), .password = std::move(*password)};
}

std::optional<std::string> ParseBearerAuthorization(std::string_view header_value) {
  const std::optional<std::string_view> token = AfterScheme(header_value, "Bearer");
  if (!token) return std::nullopt;
  return std::string(*token);
}

Result<std::string> RandomHex(Random& random, std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<std::byte> raw(bytes);
  BULWARK_RETURN_IF_ERROR(random.Fill(std::span<std::byte>(raw)));
  std::string out;
  out.reserve(bytes * 2);
  for (const std::byte b : raw) {
    const auto u = static_cast<unsigned>(b);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 0x0F]);
  }
  return out;
}

}  // namespace bulwark::testing::detail
