// SPDX-License-Identifier: Apache-2.0
#include "engine/store_errors.h"

#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::internal {
namespace {

constexpr std::string_view kLinkCountExceeded = "[LinkCountExceeded]";

std::string_view DuplicateIdMessage(StoredKind kind) {
  switch (kind) {
    case StoredKind::kTenant:
      return "A tenant with this id already exists.";
    case StoredKind::kApplication:
      return "An application with this id already exists.";
    case StoredKind::kRole:
      return "A role with this id already exists.";
    case StoredKind::kUser:
      return "A user with this id already exists.";
    case StoredKind::kRegistration:
      return "A registration with this id already exists.";
    case StoredKind::kKey:
      return "A key with this id already exists.";
    case StoredKind::kRefreshToken:
      return "A refresh token with this id already exists.";
    case StoredKind::kUserAction:
      return "An action with this id already exists.";
    case StoredKind::kIdentityProvider:
      return "An identity provider with this id already exists.";
    case StoredKind::kPendingIdPLink:
      return "A pending link with this id already exists.";
    case StoredKind::kApiKey:
      return "An API key with this id already exists.";
    case StoredKind::kIdentityProviderLink:
      break;
  }
  return "An object with this id already exists.";
}

std::string_view TenantChangedMessage(StoredKind kind) {
  switch (kind) {
    case StoredKind::kApplication:
      return "An application cannot move to another tenant.";
    case StoredKind::kUser:
      return "A user cannot move to another tenant.";
    case StoredKind::kIdentityProvider:
      return "An identity provider's tenant cannot change.";
    case StoredKind::kApiKey:
      return "The tenant of an API key cannot change.";
    default:
      return "The tenant cannot change.";
  }
}

std::string_view UnknownParentMessage(StoredKind kind) {
  switch (kind) {
    case StoredKind::kIdentityProviderLink:
      return "The user, the tenant or the identity provider does not exist.";
    case StoredKind::kPendingIdPLink:
      return "The tenant or the identity provider does not exist.";
    case StoredKind::kUserAction:
      return "The user does not exist.";
    default:
      return "The user or the application does not exist.";
  }
}

}  // namespace

std::string ViolationMessage(const Violation& v) {
  switch (v.violation) {
    case StoreViolation::kDuplicateId:
      return std::string(DuplicateIdMessage(v.kind));
    case StoreViolation::kRepeatedId:
      return "The application lists a role id twice.";
    case StoreViolation::kDuplicateTenantName:
      return "A tenant with this name already exists.";
    case StoreViolation::kDuplicateRoleName:
      return "The application already has a role with this name.";
    case StoreViolation::kDuplicateEmail:
      return "A user with this email already exists in the tenant.";
    case StoreViolation::kDuplicateUsername:
      return "A user with this username already exists in the tenant.";
    case StoreViolation::kDuplicateRegistration:
      return "The user is already registered for this application.";
    case StoreViolation::kDuplicateKeyName:
      return "A key with this name already exists.";
    case StoreViolation::kDuplicateKid:
      return "A key with this kid already exists.";
    case StoreViolation::kDuplicateRefreshToken:
      return "This refresh token value is already in use.";
    case StoreViolation::kDuplicateProviderName:
      return "An identity provider with this name already exists.";
    case StoreViolation::kDuplicateDomain:
      if (v.detail.empty()) return "Another identity provider already manages this domain.";
      return "Another identity provider already manages the domain [" + v.detail +
             "] for this tenant.";
    case StoreViolation::kDuplicateLink:
      return "This identity provider user is already linked in the tenant.";
    case StoreViolation::kDuplicateApiKey:
      return "An API key with this value already exists.";
    case StoreViolation::kMissingId:
      return "An id is required.";
    case StoreViolation::kBlankValue:
      if (v.kind == StoredKind::kApiKey) return "An API key needs the digest of its value.";
      return "A refresh token needs a value.";
    case StoreViolation::kBlankTenant:
      return "A link needs the user's tenant.";
    case StoreViolation::kUnknownTenant:
      return "The tenant does not exist.";
    case StoreViolation::kTenantChanged:
      return std::string(TenantChangedMessage(v.kind));
    case StoreViolation::kTypeChanged:
      return "An identity provider's type cannot change.";
    case StoreViolation::kUnknownUser:
      if (v.kind == StoredKind::kIdentityProviderLink) {
        return "The user does not exist in the link's tenant.";
      }
      return "The user does not exist.";
    case StoreViolation::kUnknownApplication:
      if (v.kind == StoredKind::kRegistration) {
        return "The application does not exist in the user's tenant.";
      }
      return "The application does not exist.";
    case StoreViolation::kUnknownRole:
      return "The application does not define this role.";
    case StoreViolation::kUnknownIdentityProvider:
      if (v.kind == StoredKind::kIdentityProviderLink) {
        return "The identity provider does not exist in the link's tenant.";
      }
      return "The identity provider does not exist in the tenant.";
    case StoreViolation::kUnknownParent:
      return std::string(UnknownParentMessage(v.kind));
    case StoreViolation::kOwnerChanged:
      return "A refresh token's user, application and tenant cannot change.";
    case StoreViolation::kImmutableMember:
      return "This member cannot be patched.";
    case StoreViolation::kLinkCountExceeded:
      return "The user has reached the maximum number of links to this identity provider.";
  }
  return "The write breaks a rule of the store.";
}

Status StoreErrors(const Status& status) {
  const std::vector<Violation> violations = ViolationsOf(status);
  if (violations.empty()) return status;
  Errors errors;
  bool summarised = violations.size() > 1;
  std::string single_message;
  for (const Violation& v : violations) {
    std::string message = ViolationMessage(v);
    if (v.violation == StoreViolation::kLinkCountExceeded) {
      errors.AddGeneral(kLinkCountExceeded, message);
      summarised = true;
      continue;
    }
    // The user's keys are reported together, as FusionAuth does, under one summary.
    if (v.violation == StoreViolation::kDuplicateEmail ||
        v.violation == StoreViolation::kDuplicateUsername) {
      summarised = true;
    }
    errors.AddField(ViolationClass(v.violation), ViolationField(v), message);
    single_message = std::move(message);
  }
  return Status(status.code(), summarised ? std::string_view(status.message()) : single_message,
                std::move(errors));
}

}  // namespace bulwark::internal
