// SPDX-License-Identifier: Apache-2.0
//
// How a store violation travels in a Status (store_violation.h): the code, the field it
// concerns, and reading it back.
#include "bulwark/store/store_violation.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace bulwark {
namespace {

TEST_CASE("a violation's Status has its code, its field error and reads back",
          "[store][violation]") {
  struct Case {
    Violation violation;
    StatusCode code;
    std::string kind;  // of the field error
    std::string field;
  };
  using V = StoreViolation;
  using K = StoredKind;
  const std::vector<Case> cases = {
      {{V::kDuplicateId, K::kPendingIdPLink},
       StatusCode::kAlreadyExists,
       "duplicate",
       "pendingIdPLink.id"},
      {{V::kRepeatedId, K::kRole}, StatusCode::kAlreadyExists, "duplicate", "role.id"},
      {{V::kDuplicateEmail, K::kUser}, StatusCode::kAlreadyExists, "duplicate", "user.email"},
      {{V::kDuplicateRegistration, K::kRegistration},
       StatusCode::kAlreadyExists,
       "duplicate",
       "registration"},
      {{V::kDuplicateDomain, K::kIdentityProvider, "hooli.com"},
       StatusCode::kAlreadyExists,
       "duplicate",
       "identityProvider.domains"},
      {{V::kMissingId, K::kUserAction}, StatusCode::kInvalidArgument, "missing", "action.id"},
      {{V::kBlankValue, K::kApiKey}, StatusCode::kInvalidArgument, "blank", "apiKey.key"},
      {{V::kUnknownUser, K::kUserAction},
       StatusCode::kInvalidArgument,
       "invalid",
       "action.actioneeUserId"},
      {{V::kUnknownParent, K::kPendingIdPLink},
       StatusCode::kInvalidArgument,
       "invalid",
       "pendingIdPLink.identityProviderId"},
      {{V::kImmutableMember, K::kUser, "twoFactor"},
       StatusCode::kInvalidArgument,
       "invalid",
       "user.twoFactor"},
  };
  for (const Case& c : cases) {
    const Status s = ViolationStatus(c.violation);
    INFO(s.ToString());
    CHECK(s.code() == c.code);
    CHECK(s.errors().HasField(c.kind, c.field));
    CHECK(ViolationField(c.violation) == c.field);
    CHECK(ViolationsOf(s) == std::vector<Violation>{c.violation});
  }
}

TEST_CASE("every violation reads back as itself", "[store][violation]") {
  for (int i = 0; i <= static_cast<int>(StoreViolation::kLinkCountExceeded); ++i) {
    const auto violation = static_cast<StoreViolation>(i);
    // The link limit is a general error: it concerns links whatever kind it was given.
    const StoredKind kind = violation == StoreViolation::kLinkCountExceeded
                                ? StoredKind::kIdentityProviderLink
                                : StoredKind::kRegistration;
    const Violation v{violation, kind, violation == StoreViolation::kImmutableMember ? "data" : ""};
    INFO(StoreViolationName(v.violation));
    CHECK(ViolationsOf(ViolationStatus(v)) == std::vector<Violation>{v});
  }
}

TEST_CASE("the link limit is a general error and kFailedPrecondition", "[store][violation]") {
  const Status s = ViolationStatus(
      Violation{StoreViolation::kLinkCountExceeded, StoredKind::kIdentityProviderLink},
      "the user already has 1 links");
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(s.message() == "the user already has 1 links");
  CHECK(s.errors().HasGeneral("[LinkCountExceeded]"));
  CHECK(s.errors().field_errors.empty());
}

TEST_CASE("several violations travel in one Status with a summary", "[store][violation]") {
  const std::vector<Violation> both = {{StoreViolation::kDuplicateEmail, StoredKind::kUser},
                                       {StoreViolation::kDuplicateUsername, StoredKind::kUser}};
  const Status s = ViolationStatus(both);
  CHECK(s.code() == StatusCode::kAlreadyExists);
  CHECK(s.message() == "duplicate: user.email user.username");
  CHECK(ViolationsOf(s) == both);
}

TEST_CASE("a Status not made of violations carries none", "[store][violation]") {
  CHECK(ViolationsOf(Status::Ok()).empty());
  CHECK(ViolationsOf(Status::NotFound("user x does not exist")).empty());
  CHECK(ViolationsOf(Status::FieldError("invalid", "user.email", "DuplicateEmail")).empty());
  CHECK(ViolationsOf(Status::Duplicate("user.email", "Taken.")).empty());
}

}  // namespace
}  // namespace bulwark
