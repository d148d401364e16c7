// SPDX-License-Identifier: Apache-2.0
#include "json/write.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
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
