// SPDX-License-Identifier: Apache-2.0
// Query strings, form bodies and cookies: PercentDecode, ParseQueryString, FindQuery,
// FormUrlEncode and the Router's cookie / bearer / client-address readers (api_support.h).
// The whole input is decoded as a query string and as escapes; then its first line is a
// cookie name and the following lines are the values of Cookie, Authorization and
// X-Forwarded-For headers (in turn).
#include <optional>
#include <string>
#include <string_view>

#include "bulwark/http_client.h"
#include "bulwark/http/http_message.h"
#include "fuzz/fuzz_support.h"
#include "http/api_support.h"

namespace {

namespace http = bulwark::http;

void CheckDecoding(std::string_view text) {
  for (bool plus_is_space : {false, true}) {
    const std::string decoded = http::PercentDecode(text, plus_is_space);
    BULWARK_FUZZ_CHECK(decoded.size() <= text.size());
    if (text.find('%') == std::string_view::npos &&
        (!plus_is_space || text.find('+') == std::string_view::npos)) {
      BULWARK_FUZZ_CHECK(decoded == text);
    }
  }
  const http::QueryParams params = http::ParseQueryString(text);
  std::size_t pieces = 0;
  for (std::size_t i = 0; i < text.size(); ++i) pieces += text[i] == '&';
  BULWARK_FUZZ_CHECK(params.size() <= pieces + 1);
  if (!params.empty()) {
    const std::optional<std::string_view> first = http::FindQuery(params, params.front().first);
    BULWARK_FUZZ_CHECK(first.has_value() && *first == params.front().second);
  }
  // Encoding what was decoded and decoding it again gives the same pairs.
  const std::string encoded = bulwark::FormUrlEncode(params);
  BULWARK_FUZZ_CHECK(http::ParseQueryString(encoded) == params);
  // ...and the encoding is plain: nothing but unreserved characters, '%XX', '+', '=', '&'.
  for (char c : encoded) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '+' ||
                       c == '=' || c == '&';
    BULWARK_FUZZ_CHECK(plain);
  }
}

void CheckCookies(std::string_view text) {
  bulwark::fuzz::Reader in(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  const std::string name(in.Field());
  http::HttpRequest request;
  request.remote_address = "198.51.100.7";
  static constexpr const char* kHeaders[] = {"Cookie", "Authorization", "X-Forwarded-For",
                                             "cookie"};
  for (std::size_t i = 0; !in.Peek().empty() && i < 16; ++i) {
    request.headers.emplace_back(kHeaders[i % 4], std::string(in.Field()));
  }
  for (const std::string& cookie : {name, std::string("access_token"), std::string("refresh_token")}) {
    const std::optional<std::string> value = http::internal::FindCookie(request, cookie);
    if (value.has_value()) BULWARK_FUZZ_CHECK(value->find(';') == std::string::npos);
  }
  (void)http::internal::BearerOrCookieToken(request);
  const std::string address = http::internal::ClientAddress(request);
  BULWARK_FUZZ_CHECK(address.find(',') == std::string::npos);
}

}  // namespace

BULWARK_FUZZ_TARGET(http_decode) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckDecoding(text);
  CheckCookies(text);
  return 0;
}
