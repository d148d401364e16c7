// SPDX-License-Identifier: Apache-2.0
//
// StoreViolation: how a Store says which rule of the storage contract (store.h) a write broke.
// A backend reports a typed violation and nothing more; what the caller is told (FusionAuth's
// error codes and messages) is the Engine's business, which maps each violation once
// (src/engine/store_errors.cc). So a second backend reports the same values and carries no
// message text of its own.
//
//   return ViolationStatus({StoreViolation::kDuplicateEmail, StoredKind::kUser});
//   ...
//   for (const Violation& v : ViolationsOf(status)) { ... }
//
// A violation travels inside a Status, so that Store::Apply keeps returning a plain Status:
//   - the code: kAlreadyExists for the duplicates, kFailedPrecondition for
//     kLinkCountExceeded, kInvalidArgument for the others (several in one Status: the first
//     one's class decides);
//   - one error entry per violation: a field error whose code is "[<class>]<field>" (the
//     class is "duplicate", "missing", "blank" or "invalid"; ViolationField() gives the
//     field, e.g. "user.email"), or for kLinkCountExceeded the general error
//     "[LinkCountExceeded]"; the entry's message is the violation's name
//     (StoreViolationName), then a space and the detail when there is one. ViolationsOf()
//     reads them back.
// Status messages and error messages made this way are diagnostics, not text for end users.
//
// Thread-safety: plain values and pure functions.
#ifndef BULWARK_STORE_STORE_VIOLATION_H_
#define BULWARK_STORE_STORE_VIOLATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/status.h"

namespace bulwark {

// The kind of stored object a violation concerns.
enum class StoredKind : int {
  kTenant,
  kApplication,
  kRole,
  kUser,
  kRegistration,
  kKey,
  kRefreshToken,
  kUserAction,
  kIdentityProvider,
  kIdentityProviderLink,
  kPendingIdPLink,
  kApiKey,
};

// The rules of store.h, one value each. "kind:" says which StoredKinds a value is reported
// with; a value reported with another kind is still carried, and the Engine then reports it
// with a generic message.
enum class StoreViolation : int {
  // kAlreadyExists
  kDuplicateId,            // kind: any; another object of the kind has the id
  kRepeatedId,             // kind: role; the application lists one role id twice
  kDuplicateTenantName,    // kind: tenant
  kDuplicateRoleName,      // kind: role; per application
  kDuplicateEmail,         // kind: user; per tenant, case-folded
  kDuplicateUsername,      // kind: user; per tenant, case-folded
  kDuplicateRegistration,  // kind: registration; one per (user, application)
  kDuplicateKeyName,       // kind: key
  kDuplicateKid,           // kind: key
  kDuplicateRefreshToken,  // kind: refreshToken; the stored value
  kDuplicateProviderName,  // kind: identityProvider
  kDuplicateDomain,        // kind: identityProvider; detail: the domain, when known
  kDuplicateLink,          // kind: identityProviderLink; (provider, tenant, user id)
  kDuplicateApiKey,        // kind: apiKey; the digest of the value
  // kInvalidArgument
  kMissingId,                // kind: any; the id is nil
  kBlankValue,               // kind: refreshToken (its value), apiKey (its digest)
  kBlankTenant,              // kind: identityProviderLink
  kUnknownTenant,            // kind: application, user, identityProvider, apiKey
  kTenantChanged,            // kind: application, user, identityProvider, apiKey
  kTypeChanged,              // kind: identityProvider
  kUnknownUser,              // kind: registration, refreshToken, userAction,
                             //       identityProviderLink (not in the link's tenant)
  kUnknownApplication,       // kind: registration (not in the user's tenant), refreshToken
  kUnknownRole,              // kind: registration; the application defines no such role
  kUnknownIdentityProvider,  // kind: identityProviderLink, pendingIdPLink; none that
                             //       serves the tenant
  kUnknownParent,            // kind: registration, refreshToken, identityProviderLink,
                             //       pendingIdPLink; a FOREIGN KEY backstop that cannot
                             //       say which parent is missing
  kOwnerChanged,             // kind: refreshToken; its user, application or tenant
  kImmutableMember,          // kind: user, registration; detail: the member (PatchUser,
                             //       PatchRegistration)
  // kFailedPrecondition
  kLinkCountExceeded,  // kind: identityProviderLink; the user has max_links links
};

struct BULWARK_EXPORT Violation {
  StoreViolation violation;
  StoredKind kind;
  // kDuplicateDomain: the domain; kImmutableMember: the member; otherwise empty.
  std::string detail = std::string();

  friend bool operator==(const Violation&, const Violation&) = default;
};

// "DuplicateEmail" for kDuplicateEmail: the enumerator without its k. Static storage.
BULWARK_EXPORT std::string_view StoreViolationName(StoreViolation violation);
// The name of a kind as it prefixes a field: "user", "refreshToken", "action" (a user
// action), "identityProviderLink". Static storage.
BULWARK_EXPORT std::string_view StoredKindName(StoredKind kind);
// "duplicate", "missing", "blank" or "invalid"; empty for kLinkCountExceeded (a general
// error, no field). Static storage.
BULWARK_EXPORT std::string_view ViolationClass(StoreViolation violation);
// The field a violation concerns: "user.email", "registration" (kDuplicateRegistration),
// "user.<member>" (kImmutableMember); empty for kLinkCountExceeded.
BULWARK_EXPORT std::string ViolationField(const Violation& violation);
// The StatusCode a Status carrying `violation` first has.
BULWARK_EXPORT StatusCode ViolationCode(StoreViolation violation);

// A Status carrying `violations` (at least one), as described above. `message` is the
// Status message; empty: "<class>: <field> <field> ..." (the name for kLinkCountExceeded).
BULWARK_EXPORT Status ViolationStatus(const std::vector<Violation>& violations,
                                      std::string_view message = {});
BULWARK_EXPORT Status ViolationStatus(const Violation& violation, std::string_view message = {});
// The violations `status` carries, in the order of its errors (field errors by field, then
// general errors); empty when it carries none (OK, or another failure).
BULWARK_EXPORT std::vector<Violation> ViolationsOf(const Status& status);

}  // namespace bulwark

#endif  // BULWARK_STORE_STORE_VIOLATION_H_
