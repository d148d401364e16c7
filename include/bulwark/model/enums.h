// SPDX-License-Identifier: Apache-2.0
//
// Closed vocabularies shared by several model types, as `enum class` with FusionAuth's wire
// names. Each has ToString (a view of static storage) and Parse<Enum> (kInvalidArgument on an
// unknown wire value, never a silent default).
//
// Enums that belong to one model type live in that type's header.
#ifndef BULWARK_MODEL_ENUMS_H_
#define BULWARK_MODEL_ENUMS_H_

#include <string_view>

#include "bulwark/export.h"
#include "bulwark/result.h"

namespace bulwark {

// ObjectState: Active | Inactive | PendingDelete.
enum class ObjectState { kActive, kInactive, kPendingDelete };
BULWARK_EXPORT std::string_view ToString(ObjectState v);
BULWARK_EXPORT Result<ObjectState> ParseObjectState(std::string_view s);

// ContentStatus (usernameStatus): ACTIVE | PENDING | REJECTED.
enum class UsernameStatus { kActive, kPending, kRejected };
BULWARK_EXPORT std::string_view ToString(UsernameStatus v);
BULWARK_EXPORT Result<UsernameStatus> ParseUsernameStatus(std::string_view s);

// CanonicalizationMethod (xmlSignatureC14nMethod): exclusive | exclusive_with_comments |
// inclusive | inclusive_with_comments.
enum class CanonicalizationMethod {
  kExclusive,
  kExclusiveWithComments,
  kInclusive,
  kInclusiveWithComments
};
BULWARK_EXPORT std::string_view ToString(CanonicalizationMethod v);
BULWARK_EXPORT Result<CanonicalizationMethod> ParseCanonicalizationMethod(std::string_view s);

}  // namespace bulwark

#endif  // BULWARK_MODEL_ENUMS_H_
