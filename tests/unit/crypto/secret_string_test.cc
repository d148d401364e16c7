// SPDX-License-Identifier: Apache-2.0
#include "bulwark/secret_string.h"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>

namespace bulwark {
namespace {

TEST_CASE("SecretString holds bytes, compares by value and never prints them", "[crypto][keys]") {
  SecretString a = "correct horse battery staple";
  SecretString b = std::string_view("correct horse battery staple");
  SecretString c = "correct horse battery stapl3";
  CHECK(a == b);
  CHECK_FALSE(a == c);
  CHECK_FALSE(a == SecretString("short"));
  CHECK(SecretString() == SecretString(""));
  CHECK(a.view() == "correct horse battery staple");
  CHECK(a.size() == 28);

  std::ostringstream out;
  out << a << ' ' << SecretString();
  CHECK(out.str() == "<redacted> <empty>");

  // Binary bytes (an HMAC key) survive, NULs included.
  const std::string binary("\x00\xff\x01\x80", 4);
  SecretString bin = binary;
  CHECK(bin.view() == binary);
}

TEST_CASE("SecretString wipes what it gives up", "[crypto][keys]") {
  std::string source = "a secret long enough to live on the heap, not in SSO";
  SecretString s = std::move(source);
  CHECK(s.view() == "a secret long enough to live on the heap, not in SSO");
  CHECK(source.empty());  // NOLINT(bugprone-use-after-move): the point of the test

  std::string small = "tiny";  // SSO: the moved-from buffer still held the bytes
  SecretString t = std::move(small);
  CHECK(small.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(t.view() == "tiny");

  SecretString moved = std::move(s);
  CHECK(s.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(moved.size() == 52);

  SecretString copy = moved;
  copy = t;  // the old bytes are wiped first
  CHECK(copy.view() == "tiny");
  copy = std::move(t);
  CHECK(copy.view() == "tiny");
  copy.clear();
  CHECK(copy.empty());
  CHECK(moved.view().substr(0, 8) == "a secret");
}

}  // namespace
}  // namespace bulwark
