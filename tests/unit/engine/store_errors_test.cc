// SPDX-License-Identifier: Apache-2.0
//
// The Engine's one mapping from store violations to FusionAuth's errors (store_errors.h).
// The expected codes and messages are written out here, as FusionAuth's callers see them.
#include "engine/store_errors.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "bulwark/store/store_violation.h"

namespace bulwark::internal {
namespace {

struct Expected {
  Violation violation;
  StatusCode code;
  std::string error_code;  // "[duplicate]user.email" or a general error code
  std::string message;
};

const std::vector<Expected>& Table() {
  using V = StoreViolation;
  using K = StoredKind;
  static const std::vector<Expected> table = {
      {{V::kDuplicateId, K::kTenant},
       StatusCode::kAlreadyExists,
       "[duplicate]tenant.id",
       "A tenant with this id already exists."},
      {{V::kDuplicateId, K::kApplication},
       StatusCode::kAlreadyExists,
       "[duplicate]application.id",
       "An application with this id already exists."},
      {{V::kDuplicateId, K::kRole},
       StatusCode::kAlreadyExists,
       "[duplicate]role.id",
       "A role with this id already exists."},
      {{V::kDuplicateId, K::kUser},
       StatusCode::kAlreadyExists,
       "[duplicate]user.id",
       "A user with this id already exists."},
      {{V::kDuplicateId, K::kRegistration},
       StatusCode::kAlreadyExists,
       "[duplicate]registration.id",
       "A registration with this id already exists."},
      {{V::kDuplicateId, K::kKey},
       StatusCode::kAlreadyExists,
       "[duplicate]key.id",
       "A key with this id already exists."},
      {{V::kDuplicateId, K::kRefreshToken},
       StatusCode::kAlreadyExists,
       "[duplicate]refreshToken.id",
       "A refresh token with this id already exists."},
      {{V::kDuplicateId, K::kUserAction},
       StatusCode::kAlreadyExists,
       "[duplicate]action.id",
       "An action with this id already exists."},
      {{V::kDuplicateId, K::kIdentityProvider},
       StatusCode::kAlreadyExists,
       "[duplicate]identityProvider.id",
       "An identity provider with this id already exists."},
      {{V::kDuplicateId, K::kPendingIdPLink},
       StatusCode::kAlreadyExists,
       "[duplicate]pendingIdPLink.id",
       "A pending link with this id already exists."},
      {{V::kDuplicateId, K::kApiKey},
       StatusCode::kAlreadyExists,
       "[duplicate]apiKey.id",
       "An API key with this id already exists."},
      {{V::kRepeatedId, K::kRole},
       StatusCode::kAlreadyExists,
       "[duplicate]role.id",
       "The application lists a role id twice."},
      {{V::kDuplicateTenantName, K::kTenant},
       StatusCode::kAlreadyExists,
       "[duplicate]tenant.name",
       "A tenant with this name already exists."},
      {{V::kDuplicateRoleName, K::kRole},
       StatusCode::kAlreadyExists,
       "[duplicate]role.name",
       "The application already has a role with this name."},
      {{V::kDuplicateEmail, K::kUser},
       StatusCode::kAlreadyExists,
       "[duplicate]user.email",
       "A user with this email already exists in the tenant."},
      {{V::kDuplicateUsername, K::kUser},
       StatusCode::kAlreadyExists,
       "[duplicate]user.username",
       "A user with this username already exists in the tenant."},
      {{V::kDuplicateRegistration, K::kRegistration},
       StatusCode::kAlreadyExists,
       "[duplicate]registration",
       "The user is already registered for this application."},
      {{V::kDuplicateKeyName, K::kKey},
       StatusCode::kAlreadyExists,
       "[duplicate]key.name",
       "A key with this name already exists."},
      {{V::kDuplicateKid, K::kKey},
       StatusCode::kAlreadyExists,
       "[duplicate]key.kid",
       "A key with this kid already exists."},
      {{V::kDuplicateRefreshToken, K::kRefreshToken},
       StatusCode::kAlreadyExists,
       "[duplicate]refreshToken.token",
       "This refresh token value is already in use."},
      {{V::kDuplicateProviderName, K::kIdentityProvider},
       StatusCode::kAlreadyExists,
       "[duplicate]identityProvider.name",
       "An identity provider with this name already exists."},
      {{V::kDuplicateDomain, K::kIdentityProvider, "piedpiper.com"},
       StatusCode::kAlreadyExists,
       "[duplicate]identityProvider.domains",
       "Another identity provider already manages the domain [piedpiper.com] for this tenant."},
      {{V::kDuplicateDomain, K::kIdentityProvider},
       StatusCode::kAlreadyExists,
       "[duplicate]identityProvider.domains",
       "Another identity provider already manages this domain."},
      {{V::kDuplicateLink, K::kIdentityProviderLink},
       StatusCode::kAlreadyExists,
       "[duplicate]identityProviderLink",
       "This identity provider user is already linked in the tenant."},
      {{V::kDuplicateApiKey, K::kApiKey},
       StatusCode::kAlreadyExists,
       "[duplicate]apiKey.key",
       "An API key with this value already exists."},
      {{V::kMissingId, K::kTenant},
       StatusCode::kInvalidArgument,
       "[missing]tenant.id",
       "An id is required."},
      {{V::kMissingId, K::kRole},
       StatusCode::kInvalidArgument,
       "[missing]role.id",
       "An id is required."},
      {{V::kBlankValue, K::kRefreshToken},
       StatusCode::kInvalidArgument,
       "[blank]refreshToken.token",
       "A refresh token needs a value."},
      {{V::kBlankValue, K::kApiKey},
       StatusCode::kInvalidArgument,
       "[blank]apiKey.key",
       "An API key needs the digest of its value."},
      {{V::kBlankTenant, K::kIdentityProviderLink},
       StatusCode::kInvalidArgument,
       "[blank]identityProviderLink.tenantId",
       "A link needs the user's tenant."},
      {{V::kUnknownTenant, K::kApplication},
       StatusCode::kInvalidArgument,
       "[invalid]application.tenantId",
       "The tenant does not exist."},
      {{V::kUnknownTenant, K::kUser},
       StatusCode::kInvalidArgument,
       "[invalid]user.tenantId",
       "The tenant does not exist."},
      {{V::kUnknownTenant, K::kIdentityProvider},
       StatusCode::kInvalidArgument,
       "[invalid]identityProvider.tenantId",
       "The tenant does not exist."},
      {{V::kUnknownTenant, K::kApiKey},
       StatusCode::kInvalidArgument,
       "[invalid]apiKey.tenantId",
       "The tenant does not exist."},
      {{V::kTenantChanged, K::kApplication},
       StatusCode::kInvalidArgument,
       "[invalid]application.tenantId",
       "An application cannot move to another tenant."},
      {{V::kTenantChanged, K::kUser},
       StatusCode::kInvalidArgument,
       "[invalid]user.tenantId",
       "A user cannot move to another tenant."},
      {{V::kTenantChanged, K::kIdentityProvider},
       StatusCode::kInvalidArgument,
       "[invalid]identityProvider.tenantId",
       "An identity provider's tenant cannot change."},
      {{V::kTenantChanged, K::kApiKey},
       StatusCode::kInvalidArgument,
       "[invalid]apiKey.tenantId",
       "The tenant of an API key cannot change."},
      {{V::kTypeChanged, K::kIdentityProvider},
       StatusCode::kInvalidArgument,
       "[invalid]identityProvider.type",
       "An identity provider's type cannot change."},
      {{V::kUnknownUser, K::kRegistration},
       StatusCode::kInvalidArgument,
       "[invalid]registration.userId",
       "The user does not exist."},
      {{V::kUnknownUser, K::kRefreshToken},
       StatusCode::kInvalidArgument,
       "[invalid]refreshToken.userId",
       "The user does not exist."},
      {{V::kUnknownUser, K::kUserAction},
       StatusCode::kInvalidArgument,
       "[invalid]action.actioneeUserId",
       "The user does not exist."},
      {{V::kUnknownUser, K::kIdentityProviderLink},
       StatusCode::kInvalidArgument,
       "[invalid]identityProviderLink.userId",
       "The user does not exist in the link's tenant."},
      {{V::kUnknownApplication, K::kRegistration},
       StatusCode::kInvalidArgument,
       "[invalid]registration.applicationId",
       "The application does not exist in the user's tenant."},
      {{V::kUnknownApplication, K::kRefreshToken},
       StatusCode::kInvalidArgument,
       "[invalid]refreshToken.applicationId",
       "The application does not exist."},
      {{V::kUnknownRole, K::kRegistration},
       StatusCode::kInvalidArgument,
       "[invalid]registration.roles",
       "The application does not define this role."},
      {{V::kUnknownIdentityProvider, K::kIdentityProviderLink},
       StatusCode::kInvalidArgument,
       "[invalid]identityProviderLink.identityProviderId",
       "The identity provider does not exist in the link's tenant."},
      {{V::kUnknownIdentityProvider, K::kPendingIdPLink},
       StatusCode::kInvalidArgument,
       "[invalid]pendingIdPLink.identityProviderId",
       "The identity provider does not exist in the tenant."},
      {{V::kUnknownParent, K::kRegistration},
       StatusCode::kInvalidArgument,
       "[invalid]registration.applicationId",
       "The user or the application does not exist."},
      {{V::kUnknownParent, K::kRefreshToken},
       StatusCode::kInvalidArgument,
       "[invalid]refreshToken.userId",
       "The user or the application does not exist."},
      {{V::kUnknownParent, K::kIdentityProviderLink},
       StatusCode::kInvalidArgument,
       "[invalid]identityProviderLink.userId",
       "The user, the tenant or the identity provider does not exist."},
      {{V::kUnknownParent, K::kPendingIdPLink},
       StatusCode::kInvalidArgument,
       "[invalid]pendingIdPLink.identityProviderId",
       "The tenant or the identity provider does not exist."},
      {{V::kOwnerChanged, K::kRefreshToken},
       StatusCode::kInvalidArgument,
       "[invalid]refreshToken.userId",
       "A refresh token's user, application and tenant cannot change."},
      {{V::kImmutableMember, K::kUser, "password"},
       StatusCode::kInvalidArgument,
       "[invalid]user.password",
       "This member cannot be patched."},
      {{V::kImmutableMember, K::kRegistration, "applicationId"},
       StatusCode::kInvalidArgument,
       "[invalid]registration.applicationId",
       "This member cannot be patched."},
  };
  return table;
}

TEST_CASE("each store violation becomes FusionAuth's error code and message", "[engine][store]") {
  for (const Expected& e : Table()) {
    const Status raw = ViolationStatus(e.violation);
    INFO(raw.ToString());
    const Status mapped = StoreErrors(raw);
    CHECK(mapped.code() == e.code);
    // A Status takes its one error's message; the user's keys keep their summary (below).
    const bool user_key = e.violation.violation == StoreViolation::kDuplicateEmail ||
                          e.violation.violation == StoreViolation::kDuplicateUsername;
    CHECK(mapped.message() == (user_key ? "duplicate: " + e.error_code.substr(11) : e.message));
    Errors expected;
    const std::string path = e.error_code.substr(e.error_code.find(']') + 1);
    const std::string kind = e.error_code.substr(1, e.error_code.find(']') - 1);
    expected.AddField(kind, path, e.message);
    CHECK(mapped.errors() == expected);
  }
}

TEST_CASE("the link limit becomes the general error [LinkCountExceeded], keeping its count",
          "[engine][store]") {
  const Status raw = ViolationStatus(
      Violation{StoreViolation::kLinkCountExceeded, StoredKind::kIdentityProviderLink},
      "the user already has 2 links to identity provider x");
  const Status mapped = StoreErrors(raw);
  CHECK(mapped.code() == StatusCode::kFailedPrecondition);
  CHECK(mapped.message() == "the user already has 2 links to identity provider x");
  Errors expected;
  expected.AddGeneral("[LinkCountExceeded]",
                      "The user has reached the maximum number of links to this identity "
                      "provider.");
  CHECK(mapped.errors() == expected);
}

TEST_CASE("a taken email and username are reported together under one summary", "[engine][store]") {
  const Status raw = ViolationStatus({{StoreViolation::kDuplicateEmail, StoredKind::kUser},
                                      {StoreViolation::kDuplicateUsername, StoredKind::kUser}});
  const Status mapped = StoreErrors(raw);
  CHECK(mapped.code() == StatusCode::kAlreadyExists);
  CHECK(mapped.message() == "duplicate: user.email user.username");
  Errors expected;
  expected.AddField("duplicate", "user.email",
                    "A user with this email already exists in the tenant.");
  expected.AddField("duplicate", "user.username",
                    "A user with this username already exists in the tenant.");
  CHECK(mapped.errors() == expected);

  const Status email_only =
      StoreErrors(ViolationStatus(Violation{StoreViolation::kDuplicateEmail, StoredKind::kUser}));
  CHECK(email_only.message() == "duplicate: user.email");
}

TEST_CASE("a Status that carries no violation is passed through unchanged", "[engine][store]") {
  const Status not_found = Status::NotFound("user x does not exist");
  CHECK(StoreErrors(not_found) == not_found);
  const Status ok = Status::Ok();
  CHECK(StoreErrors(ok).ok());
  // A field error that names no violation (a host Store's own text) is left as it is.
  const Status host = Status::FieldError("invalid", "user.email", "Not on my watch.");
  CHECK(StoreErrors(host) == host);
}

}  // namespace
}  // namespace bulwark::internal
