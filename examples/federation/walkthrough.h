// SPDX-License-Identifier: Apache-2.0
//
// FusionAuth's linking-strategy walkthroughs, run in-process. Richard has an account in the
// application (richard@piedpiper.com, username "richard", a password). At his company's
// identity provider he is richard@hooli.com, still username "richard". He logs in through
// that provider once under each linking strategy — and then through a provider that returns
// neither email nor username, only its own id for him.
//
// The provider is played by bulwark::testing::TestIssuer (it signs the ES256 JWT that an
// ExternalJWT provider hands over); everything else is the real engine on an in-memory
// SQLite store. main.cc prints the result; tests/unit/examples checks it.
#ifndef BULWARK_EXAMPLES_FEDERATION_WALKTHROUGH_H_
#define BULWARK_EXAMPLES_FEDERATION_WALKTHROUGH_H_

#include <string>
#include <vector>

#include "bulwark/model/identity_provider.h"
#include "bulwark/result.h"

namespace walkthrough {

// Which account Richard ends up in.
enum class Account { kExisting, kNew, kNone };

struct Step {
  std::string scenario;  // "different emails", "no email, no username"
  bulwark::LinkingStrategy strategy = bulwark::LinkingStrategy::kLinkByEmail;
  int first_status = 0;              // the first login through the provider (400 for refusals)
  std::string error_code = {};       // the general error of a 400
  Account account = Account::kNone;  // where he is after the step's follow-up
  std::string story = {};            // what happened, in a sentence or two
};

bulwark::Result<std::vector<Step>> Run();

}  // namespace walkthrough

#endif  // BULWARK_EXAMPLES_FEDERATION_WALKTHROUGH_H_
