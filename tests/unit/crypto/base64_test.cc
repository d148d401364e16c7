// SPDX-License-Identifier: Apache-2.0
#include "crypto/base64.h"

#include <catch2/catch.hpp>

#include "bulwark/testing/status_matchers.h"

#include <string>
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

}  // namespace
}  // namespace bulwark::internal
