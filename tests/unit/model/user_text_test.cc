// SPDX-License-Identifier: Apache-2.0
// The stored text of users and registrations, written without a DOM (json/text_archive.h),
// must be byte for byte what WriteJson(ToJson(...)) writes with the omitted member erased.
#include "model/user_text.h"

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/testing/status_matchers.h"
#include "json/write.h"
#include "unit/model/populated_model.h"

namespace bulwark::internal {
namespace {

std::string Reference(nlohmann::json json, std::string_view omit) {
  if (!omit.empty()) json.erase(std::string(omit));
  Result<std::string> text = WriteJson(json);
  REQUIRE_OK(text);
  return *text;
}

void CheckUser(const User& user, const UserJsonOptions& options, std::string_view omit) {
  const std::string expected = Reference(ToJson(user, options), omit);
  INFO(expected);
  Result<std::string> text = UserJsonText(user, options, omit);
  REQUIRE_OK(text);
  CHECK(*text == expected);
}

void CheckRegistration(const Registration& registration, std::string_view omit) {
  const std::string expected = Reference(ToJson(registration), omit);
  INFO(expected);
  Result<std::string> text = RegistrationJsonText(registration, omit);
  REQUIRE_OK(text);
  CHECK(*text == expected);
}

TEST_CASE("UserJsonText writes what WriteJson(ToJson(user)) writes", "[model][json][import]") {
  User populated = test::PopulatedUser();
  for (const bool include_hash : {true, false}) {
    const UserJsonOptions options{.include_hash = include_hash};
    CheckUser(populated, options, "");
    CheckUser(populated, options, "registrations");
    CheckUser(User{}, options, "");
    CheckUser(User{}, options, "registrations");
  }
  SECTION("escapes, non-ASCII text, floating point and odd data") {
    populated.first_name =
        "Ren\xC3\xA9"
        "e \"quoted\" \\ back\tslash\n\x01";
    populated.last_name = "\xE6\x97\xA5\xE6\x9C\xAC";
    populated.data = {{"pi", 3.25}, {"neg", -0.0}, {"nul", nullptr}, {"z\xC3\xA9", {1, "two"}}};
    CheckUser(populated, UserJsonOptions{.include_hash = true}, "registrations");
  }
  SECTION("an empty data object is written; a null one is not") {
    populated.data = nlohmann::json::object();
    CheckUser(populated, UserJsonOptions{.include_hash = true}, "registrations");
    populated.data = nullptr;
    CheckUser(populated, UserJsonOptions{.include_hash = true}, "registrations");
  }
}

TEST_CASE("UserJsonText: the remembered member orders hold as the members come and go",
          "[model][json][import]") {
  // The archive remembers the sorted order of each list of member names it saw last; users
  // that omit different members, written in turns, must each get their own order.
  const User populated = test::PopulatedUser();
  User sparse;
  sparse.email = "a@example.com";
  User other = sparse;
  other.username = "zed";
  other.first_name = "Ada";
  User data_only;
  data_only.data = {{"b", 1}, {"a", 2}};
  for (int round = 0; round < 3; ++round) {
    for (const User* user : std::initializer_list<const User*>{&populated, &sparse, &other,
                                                               &data_only, &sparse, &populated}) {
      CheckUser(*user, UserJsonOptions{.include_hash = true}, "registrations");
      CheckUser(*user, UserJsonOptions{.include_hash = false}, "");
    }
  }
}

TEST_CASE("UserJsonText refuses text that is not valid UTF-8", "[model][json][import]") {
  User user = test::PopulatedUser();
  SECTION("a member") { user.first_name = "bad \xC3"; }
  SECTION("inside data") { user.data = {{"k", "bad \xFF"}}; }
  SECTION("inside a nested list") { user.identities[0].value = "\xC0\xAF"; }
  Result<std::string> text = UserJsonText(user, UserJsonOptions{.include_hash = true});
  CHECK(text.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("RegistrationJsonText writes what WriteJson(ToJson(registration)) writes",
          "[model][json][import]") {
  Registration populated = test::PopulatedRegistration(3);
  CheckRegistration(populated, "");
  CheckRegistration(populated, "roles");
  CheckRegistration(Registration{}, "");
  CheckRegistration(Registration{}, "roles");
  populated.roles.clear();
  CheckRegistration(populated, "");
  populated.username =
      "\xC3\xBC"
      "ber";
  CheckRegistration(populated, "roles");
}

}  // namespace
}  // namespace bulwark::internal
