// SPDX-License-Identifier: Apache-2.0
#include "bulwark/http/http_message.h"

#include "core/ascii.h"

namespace bulwark::http {

std::optional<std::string_view> FindQuery(const QueryParams& query, std::string_view name) {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = bulwark::internal::AsciiHexValue(text[i + 1]);
      const int low = bulwark::internal::AsciiHexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>((high << 4) | low));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

QueryParams ParseQueryString(std::string_view text) {
  QueryParams params;
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(PercentDecode(piece, true), std::string());
    } else {
      params.emplace_back(PercentDecode(piece.substr(0, eq), true),
                          PercentDecode(piece.substr(eq + 1), true));
    }
  }
  return params;
}

}  // namespace bulwark::http
