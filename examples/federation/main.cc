// SPDX-License-Identifier: Apache-2.0
//
// Prints FusionAuth's linking-strategy walkthroughs as bulwark runs them (walkthrough.h):
// one line per strategy, for an identity under another email and for one with neither email
// nor username.
//
//   bulwark_federation_walkthrough

#include <cstdio>

#include "walkthrough.h"

int main() {
  bulwark::Result<std::vector<walkthrough::Step>> steps = walkthrough::Run();
  if (!steps.ok()) {
    std::fprintf(stderr, "walkthrough: %s\n", steps.status().ToString().c_str());
    return 1;
  }
  std::string scenario;
  for (const walkthrough::Step& step : *steps) {
    if (step.scenario != scenario) {
      scenario = step.scenario;
      std::printf("\nRichard logs in through Hooli — %s:\n", scenario.c_str());
    }
    const char* account = step.account == walkthrough::Account::kExisting ? "his account"
                          : step.account == walkthrough::Account::kNew    ? "a new account"
                                                                          : "no account";
    std::printf("  %-30s first answer %d -> %-13s %s\n",
                std::string(bulwark::ToString(step.strategy)).c_str(), step.first_status, account,
                step.story.c_str());
  }
  return 0;
}
