// SPDX-License-Identifier: Apache-2.0
#include "json/write.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "bulwark/testing/status_matchers.h"

namespace bulwark::internal {
namespace {

using nlohmann::json;

// nlohmann's own compact dump is the reference WriteJson must reproduce byte for byte.
void CheckSameAsNlohmann(const json& value) {
  const std::string expected = value.dump();
  INFO(expected);
  Result<std::string> written = WriteJson(value);
  REQUIRE_OK(written);
  CHECK(*written == expected);
}

TEST_CASE("WriteJson writes what nlohmann's dump writes", "[json][write]") {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  const json values[] = {
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(),
      1.5,
      -0.0,
      0.1,
      1e300,
      1700000000.25,
      "",
      "plain ascii 0123",
      controls,
      "quote \" backslash \\ slash / delete \x7F",
      "caf\xC3\xA9 \xF0\x9F\x94\x92",
      json::object(),
      json::array(),
      json{{"aud", "85a03867-dccf-4882-adde-1a79aeec50df"},
           {"exp", 1700003600},
           {"roles", {"admin", "user"}},
           {"nested", {{"a", {1, 2.5, nullptr, {{"b", false}}}}, {"", ""}}},
           {"k\"ey\n", "v"},
           {"cl\xC3\xA9", "value"}},
      json::array({json::array({json::array()}), json::object({{"x", json::object()}})}),
  };
  for (const json& value : values) CheckSameAsNlohmann(value);
}

TEST_CASE("WriteJson escapes like nlohmann at every position of random strings", "[json][write]") {
  // Plain characters (most), the escaped ones, and a two-byte UTF-8 character (nlohmann's
  // path), so that runs of every length end on every kind of character.
  const std::string pieces[] = {
      "a",    "Z",    "0",       " ", "/", "~", "\"", "\\", "\n", "\t", std::string(1, '\0'),
      "\x1f", "\x7f", "\xC3\xA9"};
  std::mt19937 random(2024);
  std::uniform_int_distribution<std::size_t> length(0, 40);
  std::uniform_int_distribution<int> kind(0, 99);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t n = length(random);
    const bool ascii = round % 2 == 0;
    for (std::size_t i = 0; i < n; ++i) {
      const int k = kind(random);
      // 85% plain; otherwise one of the others (no UTF-8 in the ASCII half).
      const std::size_t piece = k < 85 ? static_cast<std::size_t>(k % 6)
                                       : 6 + static_cast<std::size_t>(k % (ascii ? 7 : 8));
      text += pieces[piece];
    }
    CheckSameAsNlohmann(json(text));
    CheckSameAsNlohmann(json{{text, text}});
  }
}

TEST_CASE("AppendJsonString writes a string as WriteJson and DumpJson do", "[json][write]") {
  const std::string texts[] = {"", "10d51735a5", "a \"quoted\" \\ path/with/slashes",
                               std::string("\b\t\n\f\r\x01\x1f\x7f") + std::string(1, '\0'),
                               "caf\xC3\xA9 \xF0\x9F\x94\x92"};
  for (const std::string& text : texts) {
    INFO(text);
    std::string out = "prefix:";
    REQUIRE_OK(AppendJsonString(text, out));
    CHECK(out == "prefix:" + REQUIRE_VALUE(DumpJson(json(text))));
    CHECK(out == "prefix:" + REQUIRE_VALUE(WriteJson(json(text))));
  }
  for (const char* bad : {"\xC3",
                          "a\xFF"
                          "b",
                          "\xED\xA0\x80"}) {
    INFO(bad);
    std::string out = "prefix:";
    CHECK_FALSE(AppendJsonString(bad, out).ok());
    CHECK(out == "prefix:");
  }
}

TEST_CASE("WriteJson escapes at every position of a string, eight-byte runs or not",
          "[json][write]") {
  // Strings are scanned eight bytes at a time: a character to escape, or a non-ASCII one,
  // must be found wherever it falls in or after a run.
  for (std::size_t length = 1; length <= 24; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const char special :
           {'"', '\\', '\n', '\x01', '\x1F', '\x7F', ' ', '!', '#', '[', ']'}) {
        std::string text(length, 'a');
        text[at] = special;
        CheckSameAsNlohmann(json(text));
        CheckSameAsNlohmann(json{{text, text}});
      }
      std::string accented(length, 'a');
      accented.replace(at, 1, "\xC3\xA9");
      CheckSameAsNlohmann(json(accented));
      CheckSameAsNlohmann(json{{accented, accented}});
      std::string broken(length, 'b');
      broken[at] = '\xFF';
      CHECK_THAT(WriteJson(json(broken)).status(), testing::HasCode(StatusCode::kInvalidArgument));
    }
  }
}

TEST_CASE("WriteJson refuses invalid UTF-8 in values and in names", "[json][write]") {
  CHECK_THAT(WriteJson(json("\xFF")).status(), testing::HasCode(StatusCode::kInvalidArgument));
  CHECK_THAT(WriteJson(json{{"a", {1, "\xC3"}}}).status(),
             testing::HasCode(StatusCode::kInvalidArgument));
  CHECK_THAT(WriteJson(json{{"\xE2\x82", 1}}).status(),
             testing::HasCode(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::internal
