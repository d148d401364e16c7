// SPDX-License-Identifier: Apache-2.0
// The fakes' own decoders (src/testing/form_codec.h): form bodies, Base64 and the Basic and
// Bearer Authorization schemes. Inputs and outputs are written by hand.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/status_matchers.h"
#include "testing/form_codec.h"

namespace bulwark::testing::detail {
namespace {

TEST_CASE("FormUrlDecode: '+' is a space, %XX a byte in either case", "[testing]") {
  CHECK(FormUrlDecodeComponent("a+b%20c") == "a b c");
  CHECK(FormUrlDecodeComponent("%2B%2b%C3%A9%e2%82%ac") == "++\xC3\xA9\xE2\x82\xAC");
  CHECK(FormUrlDecodeComponent("%00") == std::string("\0", 1));
  CHECK(FormUrlDecodeComponent("") == "");
  // A '%' must be followed by two hex digits.
  CHECK(FormUrlDecodeComponent("%") == std::nullopt);
  CHECK(FormUrlDecodeComponent("%2") == std::nullopt);
  CHECK(FormUrlDecodeComponent("%G0") == std::nullopt);
  CHECK(FormUrlDecodeComponent("abc%") == std::nullopt);
}

TEST_CASE("FormUrlDecode splits fields in order", "[testing]") {
  const std::optional<FormFields> fields =
      FormUrlDecode("grant_type=authorization_code&&code=a%3Db&flag&empty=&x=1=2");
  REQUIRE(fields.has_value());
  CHECK(*fields == FormFields{{"grant_type", "authorization_code"},
                              {"code", "a=b"},
                              {"flag", ""},
                              {"empty", ""},
                              {"x", "1=2"}});
  CHECK(FormUrlDecode("")->empty());
  CHECK(FormUrlDecode("a=%zz") == std::nullopt);
  CHECK(FormUrlDecode("scope=a&scope=b")->size() == 2);
}

TEST_CASE("Base64Decode is strict RFC 4648 §4", "[testing]") {
  // RFC 4648 §10 test vectors.
  CHECK(Base64Decode("") == "");
  CHECK(Base64Decode("Zg==") == "f");
  CHECK(Base64Decode("Zm8=") == "fo");
  CHECK(Base64Decode("Zm9v") == "foo");
  CHECK(Base64Decode("Zm9vYg==") == "foob");
  CHECK(Base64Decode("Zm9vYmE=") == "fooba");
  CHECK(Base64Decode("Zm9vYmFy") == "foobar");
  CHECK(Base64Decode("+/+/") == "\xFB\xFF\xBF");
  CHECK(Base64Decode("Zg") == std::nullopt);  // padding required
  CHECK(Base64Decode("Zg=") == std::nullopt);
  CHECK(Base64Decode("Z===") == std::nullopt);
  CHECK(Base64Decode("Zg==Zg==") == std::nullopt);  // padding only at the end
  CHECK(Base64Decode("-_-_") == std::nullopt);      // not the url alphabet
  CHECK(Base64Decode("Zm9 v") == std::nullopt);
}

TEST_CASE("ParseBasicAuthorization form-decodes each part", "[testing]") {
  // Base64("bulwark-client:bulwark-secret")
  std::optional<BasicCredentials> c =
      ParseBasicAuthorization("Basic YnVsd2Fyay1jbGllbnQ6YnVsd2Fyay1zZWNyZXQ=");
  REQUIRE(c.has_value());
  CHECK(c->user == "bulwark-client");
  CHECK(c->password == "bulwark-secret");
  // Base64("client%3A1:s3cret%2F%2B+%C3%A9"), scheme in lower case and two spaces.
  c = ParseBasicAuthorization("basic  Y2xpZW50JTNBMTpzM2NyZXQlMkYlMkIrJUMzJUE5");
  REQUIRE(c.has_value());
  CHECK(c->user == "client:1");
  CHECK(c->password == "s3cret/+ \xC3\xA9");
  // Base64("a:") : an empty password; Base64("nocolon") : no separator.
  CHECK(ParseBasicAuthorization("Basic YTo=")->password.empty());
  CHECK(ParseBasicAuthorization("Basic bm9jb2xvbg==") == std::nullopt);
  CHECK(ParseBasicAuthorization("Basic") == std::nullopt);
  CHECK(ParseBasicAuthorization("Basic ") == std::nullopt);
  CHECK(ParseBasicAuthorization("BasicYTo=") == std::nullopt);
  CHECK(ParseBasicAuthorization("Bearer YTo=") == std::nullopt);
}

TEST_CASE("ParseBearerAuthorization", "[testing]") {
  CHECK(ParseBearerAuthorization("Bearer abc.def") == "abc.def");
  CHECK(ParseBearerAuthorization("BEARER  abc ") == "abc");
  CHECK(ParseBearerAuthorization("Bearer ") == std::nullopt);
  CHECK(ParseBearerAuthorization("Basic abc") == std::nullopt);
  CHECK(ParseBearerAuthorization("Bearerabc") == std::nullopt);
}

TEST_CASE("RandomHex draws from the Random", "[testing]") {
  DeterministicRandom a(1);
  DeterministicRandom b(1);
  const std::string x = REQUIRE_VALUE(RandomHex(a, 16));
  CHECK(x.size() == 32);
  CHECK(x.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(REQUIRE_VALUE(RandomHex(b, 16)) == x);
  CHECK(REQUIRE_VALUE(RandomHex(a, 16)) != x);
}

}  // namespace
}  // namespace bulwark::testing::detail
