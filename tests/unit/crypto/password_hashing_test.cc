// SPDX-License-Identifier: Apache-2.0
#include "crypto/password_hashing.h"

#include <catch2/catch.hpp>

#include "bulwark/random.h"
#include "bulwark/testing/deterministic_random.h"
#include "crypto/base64.h"

namespace bulwark::internal {
namespace {

// Known answers: PBKDF2-HMAC-SHA256 vectors of RFC 7914 §11 (the first 32 bytes, FusionAuth's
// key length), re-derived with `openssl kdf -keylen 32 -kdfopt digest:SHA256 ... PBKDF2`.
// Salts are stored Base64 as FusionAuth stores them ("salt" -> c2FsdA==, "NaCl" -> TmFDbA==).
TEST_CASE("salted-pbkdf2-hmac-sha256 matches RFC 7914 vectors", "[crypto][password]") {
  PasswordHash one{"salted-pbkdf2-hmac-sha256", 1,
                   "c2FsdA==", "VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw="};
  CHECK(VerifyPassword("passwd", one).value());
  CHECK_FALSE(VerifyPassword("passwe", one).value());

  PasswordHash many{"salted-pbkdf2-hmac-sha256", 80000,
                    "TmFDbA==", "TdzY9guYviGDDO5e8icB+WQaRBjQTAQUrv8Ih2s0q1Y="};
  CHECK(VerifyPassword("Password", many).value());
  many.factor = 79999;  // the factor is part of the hash
  CHECK_FALSE(VerifyPassword("Password", many).value());
}

TEST_CASE("hashing uses a fresh salt and verifies", "[crypto][password]") {
  Result<PasswordHash> a =
      HashPassword("hunter2 hunter2", kPbkdf2HmacSha256, 1000, Random::Default());
  Result<PasswordHash> b =
      HashPassword("hunter2 hunter2", kPbkdf2HmacSha256, 1000, Random::Default());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->encryption_scheme == "salted-pbkdf2-hmac-sha256");
  CHECK(a->factor == 1000);
  CHECK(Base64Decode(a->salt)->size() == 32);
  CHECK(Base64Decode(a->hash)->size() == 32);
  CHECK(a->salt != b->salt);
  CHECK(a->hash != b->hash);
  CHECK(VerifyPassword("hunter2 hunter2", *a).value());
  CHECK_FALSE(VerifyPassword("hunter2 hunter3", *a).value());
  CHECK_FALSE(VerifyPassword("", *a).value());
}

TEST_CASE("unusable stored hashes and schemes are errors", "[crypto][password]") {
  CHECK(HashPassword("pw", "bcrypt-ish", 10, Random::Default()).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(HashPassword("pw", kPbkdf2HmacSha256, 0, Random::Default()).status().code() ==
        StatusCode::kInvalidArgument);
  PasswordHash good{"salted-pbkdf2-hmac-sha256", 1,
                    "c2FsdA==", "VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw="};
  PasswordHash bad = good;
  bad.salt = "not base64!";
  CHECK_FALSE(VerifyPassword("passwd", bad).ok());
  bad = good;
  bad.hash = "%%%";
  CHECK_FALSE(VerifyPassword("passwd", bad).ok());
  bad = good;
  bad.factor = -5;
  CHECK_FALSE(VerifyPassword("passwd", bad).ok());
  bad = good;
  bad.factor = 2'000'000'000;  // hostile factor: refused, not computed
  CHECK_FALSE(VerifyPassword("passwd", bad).ok());
  bad = good;
  bad.encryption_scheme = "salted-md5";
  CHECK_FALSE(VerifyPassword("passwd", bad).ok());
  bad = good;
  bad.hash = "VawEblbjCJ/sFpHCJUS2BQ==";  // a truncated hash never matches
  CHECK_FALSE(VerifyPassword("passwd", bad).value_or(true));
}

TEST_CASE("a failing Random surfaces as an error", "[crypto][password]") {
  class BrokenRandom final : public Random {
   public:
    Status Fill(std::span<std::byte>) override { return Status::Unavailable("no entropy"); }
  } broken;
  CHECK(HashPassword("pw-pw-pw-pw", kPbkdf2HmacSha256, 1, broken).status().code() ==
        StatusCode::kUnavailable);
}

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

}  // namespace
}  // namespace bulwark::internal
