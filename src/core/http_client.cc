// SPDX-License-Identifier: Apache-2.0
#include "bulwark/http_client.h"

#include "core/ascii.h"

namespace bulwark {

HttpClient::~HttpClient() = default;

std::optional<std::string_view> FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (internal::AsciiEqualsIgnoreCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string FormUrlEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  auto append = [&out](std::string_view text) {
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
          u == '.' || u == '_' || u == '~') {
        out.push_back(c);
      } else if (u == ' ') {
        out.push_back('+');
      } else {
        out.push_back('%');
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0x0F]);
      }
    }
  };
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    append(name);
    out.push_back('=');
    append(value);
  }
  return out;
}

}  // namespace bulwark
