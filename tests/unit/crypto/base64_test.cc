// SPDX-License-Identifier: Apache-2.0
#include "crypto/base64.h"

#include <catch2/catch.hpp>

#include "bulwark/testing/status_matchers.h"

#include <array>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::internal {
namespace {

TEST_CASE("base64 codecs are strict and round-trip", "[crypto][base64]") {
  // RFC 4648 §10 vectors.
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    std::string p(plain);
    std::vector<std::uint8_t> bytes(p.begin(), p.end());
    CHECK(Base64Encode(bytes) == encoded);
    CHECK(*Base64Decode(encoded) == bytes);
    std::string url = encoded;
    while (!url.empty() && url.back() == '=') url.pop_back();
    CHECK(Base64UrlEncode(bytes) == url);
    CHECK(*Base64UrlDecode(url) == bytes);
  }
  const std::vector<std::uint8_t> high{0xFB, 0xFF, 0xBF};
  CHECK(Base64Encode(high) == "+/+/");
  CHECK(Base64UrlEncode(high) == "-_-_");
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zh==", "Zm9v\n", "-_-_", "Zm9v====", "@@@@"}) {
    INFO(bad);
    CHECK_FALSE(Base64Decode(bad).ok());
  }
  for (const char* bad : {"Zg==", "+/+/", "Z", "Zh"}) {
    INFO(bad);
    CHECK_FALSE(Base64UrlDecode(bad).ok());
  }
}

TEST_CASE("base64url appends to and decodes into strings", "[crypto][base64]") {
  std::string out = "head.";
  const std::string foob = "foob";
  AppendBase64Url(std::vector<std::uint8_t>(foob.begin(), foob.end()), out);
  CHECK(out == "head.Zm9vYg");
  AppendBase64Url({}, out);
  CHECK(out == "head.Zm9vYg");

  std::string decoded = "old contents";
  CHECK_OK(Base64UrlDecodeTo("Zm9vYmE", decoded));
  CHECK(decoded == "fooba");
  CHECK_OK(Base64UrlDecodeTo("", decoded));
  CHECK(decoded.empty());
  decoded = "old contents";
  for (const char* bad : {"Zg==", "Z", "Zh", "Zm9v!"}) {
    INFO(bad);
    CHECK_FALSE(Base64UrlDecodeTo(bad, decoded).ok());
    CHECK(decoded.empty());
  }
}

// A plain bit-by-bit decoder, as RFC 4648 describes it, to check the fast one against:
// nullopt when `text` is not strict unpadded base64url (length 1 mod 4, a character outside
// the url alphabet, or non-zero bits left over at the end).
std::optional<std::vector<std::uint8_t>> ReferenceUrlDecode(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (text.size() % 4 == 1) return std::nullopt;
  std::vector<std::uint8_t> out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits & 0xFF));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

TEST_CASE("base64url decoding handles every length and tail", "[crypto][base64]") {
  // Every length mod 4, decoded bytes checked against encoding every byte value.
  for (std::size_t n = 0; n <= 40; ++n) {
    std::vector<std::uint8_t> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::uint8_t>(i * 37 + n * 11);
    const std::string url = Base64UrlEncode(bytes);
    INFO(url);
    CHECK(url.size() % 4 != 1);
    CHECK(REQUIRE_VALUE(Base64UrlDecode(url)) == bytes);
    std::string as_string;
    REQUIRE_OK(Base64UrlDecodeTo(url, as_string));
    CHECK(as_string == std::string(bytes.begin(), bytes.end()));
    const std::string padded = Base64Encode(bytes);
    CHECK(REQUIRE_VALUE(Base64Decode(padded)) == bytes);
  }
  // Length 1 mod 4 is never base64url, whatever the characters.
  for (const char* bad : {"A", "AAAAA", "AAAAAAAAA", "Zm9vY"}) {
    INFO(bad);
    CHECK_FALSE(Base64UrlDecode(bad).ok());
  }
  // Non-canonical tails: the unused low bits of the last character must be zero.
  // Two characters carry one byte and 4 unused bits; three carry two bytes and 2 unused bits.
  CHECK(REQUIRE_VALUE(Base64UrlDecode("AQ")) == std::vector<std::uint8_t>{0x01});
  CHECK(REQUIRE_VALUE(Base64UrlDecode("AAE")) == std::vector<std::uint8_t>{0x00, 0x01});
  CHECK(REQUIRE_VALUE(Base64UrlDecode("__8")) == std::vector<std::uint8_t>{0xFF, 0xFF});
  CHECK(REQUIRE_VALUE(Base64UrlDecode("_w")) == std::vector<std::uint8_t>{0xFF});
  for (const char* bad : {"AR", "AB", "AP", "__", "_x", "AAF", "AAG", "AAH", "__9", "__-", "___",
                          "Zm9vAR", "Zm9vAAF"}) {
    INFO(bad);
    CHECK_FALSE(Base64UrlDecode(bad).ok());
  }
  // The same for padded base64.
  CHECK(REQUIRE_VALUE(Base64Decode("AQ==")) == std::vector<std::uint8_t>{0x01});
  for (const char* bad : {"AR==", "AAF=", "AB==", "//9=", "Zm9vAR=="}) {
    INFO(bad);
    CHECK_FALSE(Base64Decode(bad).ok());
  }
}

TEST_CASE("base64url decoding refuses an invalid character at every position", "[crypto][base64]") {
  // Texts of every length mod 4 (2, 3 and 0), from 1 to 12 bytes.
  const std::string plain = "foobarbazqux";
  for (std::size_t n = 1; n <= plain.size(); ++n) {
    const std::string base = Base64UrlEncode(
        std::vector<std::uint8_t>(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(n)));
    const std::size_t length = base.size();
    REQUIRE(Base64UrlDecode(base).ok());
    for (std::size_t at = 0; at < length; ++at) {
      for (char bad : {'=', '+', '/', '.', ' ', '\n', '\0', '@', '\x80', '\xff', '~'}) {
        std::string text = base;
        text[at] = bad;
        INFO(length << " characters, invalid at " << at << ": " << static_cast<int>(bad));
        CHECK_FALSE(Base64UrlDecode(text).ok());
        std::string out = "old";
        CHECK_FALSE(Base64UrlDecodeTo(text, out).ok());
        CHECK(out.empty());
      }
    }
  }
  // Padding inside or after a full group is an invalid character for base64 too.
  for (const char* bad : {"Zm9v=m9v", "Zm=vZm9v", "=m9vZm9v", "Zm9vZ=9v"}) {
    INFO(bad);
    CHECK_FALSE(Base64Decode(bad).ok());
  }
}

TEST_CASE("base64url decoding agrees with a bit-by-bit decoder on random text",
          "[crypto][base64]") {
  // Mostly valid characters, so that long runs pass and the failure lands anywhere.
  constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.";
  std::mt19937 random(12345);
  std::uniform_int_distribution<std::size_t> pick(0, kChars.size() - 1);
  std::uniform_int_distribution<std::size_t> length(0, 24);
  std::uniform_int_distribution<int> chance(0, 9);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text(length(random), 'A');
    const bool clean = chance(random) < 5;  // half the texts use the url alphabet only
    for (char& c : text) c = kChars[pick(random) % (clean ? 64 : kChars.size())];
    const std::optional<std::vector<std::uint8_t>> expected = ReferenceUrlDecode(text);
    const Result<std::vector<std::uint8_t>> got = Base64UrlDecode(text);
    INFO(text);
    REQUIRE(got.ok() == expected.has_value());
    if (expected) {
      ++accepted;
      CHECK(*got == *expected);
    }
  }
  CHECK(accepted > 1000);
}

}  // namespace
}  // namespace bulwark::internal
