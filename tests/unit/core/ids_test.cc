// SPDX-License-Identifier: Apache-2.0
#include "bulwark/ids.h"

#include <catch2/catch.hpp>

#include <set>
#include <type_traits>
#include <unordered_set>

#include "bulwark/random.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark {
namespace {

TEST_CASE("UUIDs parse the canonical form and print lower case", "[ids]") {
  Result<Uuid> u = Uuid::Parse("3C219E58-ed0e-4b18-ad48-f4f92793ae32");
  REQUIRE_OK(u);
  CHECK(u->ToString() == "3c219e58-ed0e-4b18-ad48-f4f92793ae32");
  CHECK(u->bytes()[0] == 0x3C);
  CHECK(u->bytes()[15] == 0x32);
  CHECK_FALSE(u->IsNil());
  CHECK(Uuid().IsNil());
  CHECK(Uuid().ToString() == "00000000-0000-0000-0000-000000000000");
}

TEST_CASE("malformed UUIDs are errors, never crashes", "[ids]") {
  for (const char* bad :
       {"", "3c219e58", "3c219e58-ed0e-4b18-ad48-f4f92793ae3",
        "3c219e58-ed0e-4b18-ad48-f4f92793ae322", "{3c219e58-ed0e-4b18-ad48-f4f92793ae3}",
        "3c219e58_ed0e-4b18-ad48-f4f92793ae32", "3c219e58-ed0e-4b18-ad48-f4f92793aeZ2",
        "3c219e58ed0e4b18ad48f4f92793ae32xxxx"}) {
    INFO(bad);
    Result<Uuid> u = Uuid::Parse(bad);
    CHECK_FALSE(u.ok());
    CHECK(u.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("generated UUIDs are version 4 and distinct", "[ids]") {
  std::set<Uuid> seen;
  for (int i = 0; i < 200; ++i) {
    Result<Uuid> u = Uuid::Generate(Random::Default());
    REQUIRE_OK(u);
    std::string s = u->ToString();
    CHECK(s[14] == '4');
    CHECK((s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b'));
    CHECK(REQUIRE_VALUE(Uuid::Parse(s)) == *u);
    seen.insert(*u);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("deterministic randomness gives reproducible ids", "[ids]") {
  testing::DeterministicRandom a(7), b(7), c(8);
  UserId x = REQUIRE_VALUE(UserId::Generate(a));
  CHECK(x == REQUIRE_VALUE(UserId::Generate(b)));
  CHECK_FALSE(x == REQUIRE_VALUE(UserId::Generate(c)));
}

TEST_CASE("strong ids are distinct types", "[ids]") {
  STATIC_REQUIRE_FALSE(std::is_convertible_v<UserId, ApplicationId>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<Uuid, UserId>);
  UserId id = REQUIRE_VALUE(UserId::Parse("7d0a5c1e-3c5b-4c1a-9e61-2b8f9d1c0a11"));
  std::unordered_set<UserId> set{id};
  CHECK(set.count(id) == 1);
  CHECK(id.ToString() == "7d0a5c1e-3c5b-4c1a-9e61-2b8f9d1c0a11");
}

}  // namespace
}  // namespace bulwark
