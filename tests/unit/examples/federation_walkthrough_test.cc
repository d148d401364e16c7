// SPDX-License-Identifier: Apache-2.0
// The federation walkthrough example (examples/federation) tells FusionAuth's story: each
// linking strategy's answer for a person whose provider account has another email, and for a
// provider that returns neither email nor username.
#include <catch2/catch.hpp>

#include "bulwark/testing/status_matchers.h"
#include "federation/walkthrough.h"

namespace {

using bulwark::LinkingStrategy;
using walkthrough::Account;

struct Expected {
  const char* scenario;
  LinkingStrategy strategy;
  int first_status;
  const char* error_code;
  Account account;
};

// From FusionAuth's linking-strategy documentation (API reference §2.2).
const Expected kExpected[] = {
    {"different emails", LinkingStrategy::kCreatePendingLink, 232, "", Account::kExisting},
    {"different emails", LinkingStrategy::kDisabled, 404, "", Account::kExisting},
    {"different emails", LinkingStrategy::kLinkAnonymously, 200, "", Account::kNew},
    {"different emails", LinkingStrategy::kLinkByEmail, 200, "", Account::kNew},
    {"different emails", LinkingStrategy::kLinkByEmailForExistingUser, 404, "", Account::kNone},
    {"different emails", LinkingStrategy::kLinkByUsername, 200, "", Account::kExisting},
    {"different emails", LinkingStrategy::kLinkByUsernameForExistingUser, 200, "",
     Account::kExisting},
    {"no email, no username", LinkingStrategy::kCreatePendingLink, 232, "", Account::kExisting},
    {"no email, no username", LinkingStrategy::kDisabled, 404, "", Account::kExisting},
    {"no email, no username", LinkingStrategy::kLinkAnonymously, 200, "", Account::kNew},
    {"no email, no username", LinkingStrategy::kLinkByEmail, 400, "[IdentityProviderEmailMissing]",
     Account::kNone},
    {"no email, no username", LinkingStrategy::kLinkByEmailForExistingUser, 400,
     "[IdentityProviderEmailMissing]", Account::kNone},
    {"no email, no username", LinkingStrategy::kLinkByUsername, 400,
     "[IdentityProviderUsernameMissing]", Account::kNone},
    {"no email, no username", LinkingStrategy::kLinkByUsernameForExistingUser, 400,
     "[IdentityProviderUsernameMissing]", Account::kNone},
};

TEST_CASE("the linking-strategy walkthrough ends as FusionAuth documents", "[example]") {
  bulwark::Result<std::vector<walkthrough::Step>> steps = walkthrough::Run();
  REQUIRE_OK(steps);
  REQUIRE(steps->size() == std::size(kExpected));
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const walkthrough::Step& step = (*steps)[i];
    const Expected& expected = kExpected[i];
    INFO(expected.scenario << " / " << bulwark::ToString(expected.strategy));
    CHECK(step.scenario == expected.scenario);
    CHECK(step.strategy == expected.strategy);
    CHECK(step.first_status == expected.first_status);
    CHECK(step.error_code == expected.error_code);
    CHECK(step.account == expected.account);
    CHECK_FALSE(step.story.empty());
  }
}

}  // namespace
