// SPDX-License-Identifier: Apache-2.0
#include "crypto/aead.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/testing/status_matchers.h"
#include "crypto/openssl_util.h"
#include "crypto/secrets.h"

namespace bulwark::internal {
namespace {

std::vector<std::uint8_t> Hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

AeadKey ZeroKey() { return AeadKey(); }

TEST_CASE("DeriveAeadKey is HKDF-SHA256 without salt (RFC 5869 test case 3)", "[crypto][aead]") {
  const std::vector<std::uint8_t> ikm(22, 0x0b);
  Result<AeadKey> key = DeriveAeadKey(ikm, "");
  REQUIRE_OK(key);
  // The first 32 octets of the test case's 42-octet OKM (T(1) does not depend on L).
  const std::vector<std::uint8_t> expected =
      Hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
  CHECK(std::equal(key->bytes().begin(), key->bytes().end(), expected.begin(), expected.end()));

  Result<AeadKey> other = DeriveAeadKey(ikm, "another purpose");
  REQUIRE_OK(other);
  CHECK_FALSE(std::equal(key->bytes().begin(), key->bytes().end(), other->bytes().begin()));
}

TEST_CASE("AeadSeal is AES-256-GCM as iv || ciphertext || tag (GCM spec test cases 13, 14)",
          "[crypto][aead]") {
  const AeadKey key = ZeroKey();
  const std::array<std::uint8_t, kAeadIvBytes> iv{};
  Result<std::vector<std::uint8_t>> empty = AeadSeal(key, iv, {});
  REQUIRE_OK(empty);
  std::vector<std::uint8_t> expected(kAeadIvBytes, 0);
  for (std::uint8_t b : Hex("530f8afbc74536b9a963b4f1c4cb738b")) expected.push_back(b);
  CHECK(*empty == expected);

  const std::vector<std::uint8_t> zeros(16, 0);
  Result<std::vector<std::uint8_t>> block = AeadSeal(key, iv, zeros);
  REQUIRE_OK(block);
  expected.assign(kAeadIvBytes, 0);
  for (std::uint8_t b : Hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919")) {
    expected.push_back(b);
  }
  CHECK(*block == expected);
  Result<std::string> opened = AeadOpen(key, *block);
  REQUIRE_OK(opened);
  CHECK(*opened == std::string(16, '\0'));
}

TEST_CASE("AeadOpen refuses tampered, truncated and foreign sealed values", "[crypto][aead]") {
  Result<AeadKey> key = DeriveAeadKey(AsBytes("the previous refresh token"), "test");
  Result<AeadKey> wrong = DeriveAeadKey(AsBytes("another refresh token"), "test");
  REQUIRE_OK(key);
  REQUIRE_OK(wrong);
  std::array<std::uint8_t, kAeadIvBytes> iv{};
  iv[0] = 7;
  Result<std::vector<std::uint8_t>> sealed = AeadSeal(*key, iv, AsBytes("the next one"));
  REQUIRE_OK(sealed);
  REQUIRE(sealed->size() == kAeadIvBytes + 12 + kAeadTagBytes);
  Result<std::string> opened = AeadOpen(*key, *sealed);
  REQUIRE_OK(opened);
  CHECK(*opened == "the next one");

  CHECK(AeadOpen(*wrong, *sealed).status().code() == StatusCode::kUnauthenticated);
  for (std::size_t i = 0; i < sealed->size(); ++i) {  // IV, ciphertext and tag octets alike
    std::vector<std::uint8_t> tampered = *sealed;
    tampered[i] ^= 0x01;
    INFO("octet " << i);
    CHECK(AeadOpen(*key, tampered).status().code() == StatusCode::kUnauthenticated);
  }
  std::vector<std::uint8_t> truncated(sealed->begin(), sealed->end() - 1);
  CHECK(AeadOpen(*key, truncated).status().code() == StatusCode::kUnauthenticated);
  std::vector<std::uint8_t> short_one(kAeadIvBytes + kAeadTagBytes - 1, 0);
  CHECK(AeadOpen(*key, short_one).status().code() == StatusCode::kUnauthenticated);
}

TEST_CASE("An AeadKey wipes the key it gives up when moved", "[crypto][aead]") {
  Result<AeadKey> derived = DeriveAeadKey(AsBytes("secret"), "test");
  REQUIRE_OK(derived);
  AeadKey source = *std::move(derived);
  const std::array<std::uint8_t, kAeadKeyBytes> before = [&] {
    std::array<std::uint8_t, kAeadKeyBytes> copy{};
    std::copy(source.bytes().begin(), source.bytes().end(), copy.begin());
    return copy;
  }();
  AeadKey target = std::move(source);
  CHECK(std::equal(target.bytes().begin(), target.bytes().end(), before.begin()));
  // NOLINTNEXTLINE(bugprone-use-after-move): the moved-from key is all zeros by contract.
  CHECK(std::all_of(source.bytes().begin(), source.bytes().end(), [](auto b) { return b == 0; }));
}

TEST_CASE("Sha256Base64Url is the unpadded base64url SHA-256", "[crypto][secrets]") {
  // SHA-256("abc") from FIPS 180-2, in base64url.
  CHECK(Sha256Base64Url("abc") == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  std::array<std::byte, 4> bytes{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
  Wipe(bytes);
  CHECK(std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; }));
}

}  // namespace
}  // namespace bulwark::internal
