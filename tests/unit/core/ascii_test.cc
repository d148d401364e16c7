// SPDX-License-Identifier: Apache-2.0
// core/ascii.h: IsBlank (the one [blank] test), ASCII lower case and comparison, hex digits.
#include "core/ascii.h"

#include <string>

#include <catch2/catch.hpp>

namespace bulwark::internal {
namespace {

TEST_CASE("IsBlank: empty or only ASCII whitespace", "[core][ascii]") {
  CHECK(IsBlank(""));
  CHECK(IsBlank(" "));
  CHECK(IsBlank(" \t\n\v\f\r "));
  CHECK_FALSE(IsBlank("a"));
  CHECK_FALSE(IsBlank("  x  "));
  CHECK_FALSE(IsBlank(std::string("\0", 1)));  // NUL is a character, not a space
  CHECK_FALSE(IsBlank("\x08"));                // backspace, just below \t
  CHECK_FALSE(IsBlank("\x0e"));                // shift out, just above \r
  CHECK_FALSE(IsBlank("\xc2\xa0"));            // U+00A0 no-break space is not ASCII blank
}

TEST_CASE("ASCII lower case, comparison and hex digits", "[core][ascii]") {
  CHECK(AsciiLower("MiXeD@Example.COM") == "mixed@example.com");
  CHECK(AsciiLower("\xc3\x9cNI") == "\xc3\x9cni");  // only ASCII letters change
  CHECK(AsciiEqualsIgnoreCase("Content-Type", "content-type"));
  CHECK_FALSE(AsciiEqualsIgnoreCase("Content-Type", "content-typ"));
  CHECK(AsciiHexValue('0') == 0);
  CHECK(AsciiHexValue('f') == 15);
  CHECK(AsciiHexValue('F') == 15);
  CHECK(AsciiHexValue('g') == -1);
}

}  // namespace
}  // namespace bulwark::internal
