// SPDX-License-Identifier: Apache-2.0
// The outbound HttpClient helpers: FindHeader's case-insensitive lookup and FormUrlEncode's
// application/x-www-form-urlencoded output. The expected encodings are written by hand from
// RFC 3986 (§2.1 upper-case hex, §2.2 reserved, §2.3 unreserved) and UTF-8 byte tables, not
// produced by the code under test.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "bulwark/http_client.h"

namespace bulwark::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("FindHeader ignores the case of header names", "[http]") {
  const HttpHeaders headers = {{"Content-Type", "application/json"},
                               {"WWW-Authenticate", "Basic realm=\"op\""},
                               {"x-request-id", "42"}};
  CHECK(FindHeader(headers, "content-type") == std::optional<std::string_view>("application/json"));
  CHECK(FindHeader(headers, "CONTENT-TYPE") == std::optional<std::string_view>("application/json"));
  CHECK(FindHeader(headers, "Www-Authenticate") ==
        std::optional<std::string_view>("Basic realm=\"op\""));
  CHECK(FindHeader(headers, "X-Request-ID") == std::optional<std::string_view>("42"));
  // Values keep their case; names must match in full.
  CHECK(FindHeader(headers, "Content") == std::nullopt);
  CHECK(FindHeader(headers, "Content-Type2") == std::nullopt);
  CHECK(FindHeader(headers, "") == std::nullopt);
  CHECK(FindHeader({}, "Content-Type") == std::nullopt);
}

TEST_CASE("FindHeader returns the first of repeated headers", "[http]") {
  const HttpHeaders headers = {{"set-cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"Empty", ""}};
  CHECK(FindHeader(headers, "Set-Cookie") == std::optional<std::string_view>("a=1"));
  // An empty value is still a header.
  CHECK(FindHeader(headers, "empty") == std::optional<std::string_view>(""));
}

TEST_CASE("FindHeader compares ASCII letters only", "[http]") {
  // Only A-Z/a-z fold: '@' (0x40) and '`' (0x60) differ by the case bit but are not letters;
  // neither are '[' (0x5B) and '{' (0x7B).
  const HttpHeaders headers = {{"x@", "at"}, {"y[", "bracket"}};
  CHECK(FindHeader(headers, "X`") == std::nullopt);
  CHECK(FindHeader(headers, "X@") == std::optional<std::string_view>("at"));
  CHECK(FindHeader(headers, "Y{") == std::nullopt);
}

TEST_CASE("FormUrlEncode keeps RFC 3986 unreserved characters", "[http]") {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  CHECK(FormUrlEncode({{unreserved, unreserved}}) == unreserved + "=" + unreserved);
}

TEST_CASE("FormUrlEncode percent-encodes reserved characters with upper-case hex", "[http]") {
  // gen-delims (RFC 3986 §2.2): ":" "/" "?" "#" "[" "]" "@"
  CHECK(FormUrlEncode({{"g", ":/?#[]@"}}) == "g=%3A%2F%3F%23%5B%5D%40");
  // sub-delims: "!" "$" "&" "'" "(" ")" "*" "+" "," ";" "="
  CHECK(FormUrlEncode({{"s", "!$&'()*+,;="}}) == "s=%21%24%26%27%28%29%2A%2B%2C%3B%3D");
  // Neither reserved nor unreserved: '%', '"', '<', '>', '\\', '^', '`', '{', '|', '}'.
  CHECK(FormUrlEncode({{"o", "%\"<>\\^`{|}"}}) == "o=%25%22%3C%3E%5C%5E%60%7B%7C%7D");
  // Names are encoded as values are.
  CHECK(FormUrlEncode({{"a&b=c", "d"}}) == "a%26b%3Dc=d");
}

TEST_CASE("FormUrlEncode writes a space as '+' and a literal '+' as %2B", "[http]") {
  CHECK(FormUrlEncode({{"q", "a b  c"}}) == "q=a+b++c");
  CHECK(FormUrlEncode({{"q", "a+b"}}) == "q=a%2Bb");
  CHECK(FormUrlEncode({{"my key", " "}}) == "my+key=+");
}

TEST_CASE("FormUrlEncode encodes UTF-8 byte by byte", "[http]") {
  // U+00E9 é = C3 A9; U+20AC € = E2 82 AC; U+1F600 😀 = F0 9F 98 80 (UTF-8 tables).
  CHECK(FormUrlEncode({{"name", "Andr\xC3\xA9"}}) == "name=Andr%C3%A9");
  CHECK(FormUrlEncode({{"price", "5\xE2\x82\xAC"}}) == "price=5%E2%82%AC");
  CHECK(FormUrlEncode({{"e", "\xF0\x9F\x98\x80"}}) == "e=%F0%9F%98%80");
  // Bytes that are not valid UTF-8 still encode (the encoder is byte-oriented).
  CHECK(FormUrlEncode({{"b", "\xFF\x80"}}) == "b=%FF%80");
}

TEST_CASE("FormUrlEncode encodes control characters and NUL", "[http]") {
  const std::string controls("\0\t\n\r\x1F\x7F", 6);
  CHECK(FormUrlEncode({{"c", controls}}) == "c=%00%09%0A%0D%1F%7F");
}

TEST_CASE("FormUrlEncode joins fields in order with '&'", "[http]") {
  CHECK(FormUrlEncode({}).empty());
  CHECK(FormUrlEncode({{"", ""}}) == "=");
  CHECK(FormUrlEncode({{"grant_type", "authorization_code"},
                       {"code", "abc/123+="},
                       {"redirect_uri", "https://app.test/cb?x=1&y=2"}}) ==
        "grant_type=authorization_code&code=abc%2F123%2B%3D"
        "&redirect_uri=https%3A%2F%2Fapp.test%2Fcb%3Fx%3D1%26y%3D2");
  // Repeated names are kept, not merged.
  CHECK(FormUrlEncode({{"scope", "openid"}, {"scope", "email"}}) == "scope=openid&scope=email");
  CHECK(FormUrlEncode({{"empty", ""}, {"x", "1"}}) == "empty=&x=1");
}

}  // namespace
}  // namespace bulwark::http
