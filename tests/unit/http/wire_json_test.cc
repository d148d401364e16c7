// SPDX-License-Identifier: Apache-2.0
// The HTTP status of each login outcome: FusionAuth's Login API documents these codes.
#include "bulwark/http/wire_json.h"

#include <catch2/catch.hpp>

namespace bulwark {
namespace {

TEST_CASE("HttpStatusOf answers FusionAuth's status for every login outcome", "[http][login]") {
  struct Case {
    LoginOutcome outcome;
    int status;
  };
  // From FusionAuth's Login API and Identity Provider login response codes.
  const Case cases[] = {
      {LoginOutcome::kSuccess, 200},
      {LoginOutcome::kNotRegistered, 202},
      {LoginOutcome::kPasswordChangeRequired, 203},
      {LoginOutcome::kEmailNotVerified, 212},
      {LoginOutcome::kRegistrationNotVerified, 213},
      {LoginOutcome::kPendingLink, 232},
      {LoginOutcome::kUnauthorized, 401},
      {LoginOutcome::kInvalidCredentials, 404},
      {LoginOutcome::kLoginPrevented, 409},
      {LoginOutcome::kExpired, 410},
      {LoginOutcome::kLocked, 423},
  };
  for (const Case& c : cases) {
    INFO(c.status);
    CHECK(HttpStatusOf(c.outcome) == c.status);
  }
}

}  // namespace
}  // namespace bulwark
