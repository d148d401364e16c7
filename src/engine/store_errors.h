// SPDX-License-Identifier: Apache-2.0
// Private: what the Engine tells its callers when a Store reports a broken rule. A Store
// reports typed violations (bulwark/store/store_violation.h) and no text; FusionAuth's error
// codes and messages for them are decided here, once, for every backend. EngineContext::Apply
// passes every Store::Apply result through StoreErrors.
//
// Thread-safety: pure functions.
#ifndef BULWARK_ENGINE_STORE_ERRORS_H_
#define BULWARK_ENGINE_STORE_ERRORS_H_

#include <string>

#include "bulwark/status.h"
#include "bulwark/store/store_violation.h"

namespace bulwark::internal {

// FusionAuth's message for `violation`, e.g. "A user with this email already exists in the
// tenant." for kDuplicateEmail.
std::string ViolationMessage(const Violation& violation);

// `status` as the Engine reports it: when it carries violations, each becomes FusionAuth's
// error ("[duplicate]user.email", "[LinkCountExceeded]", ...) with its message, and a Status
// carrying one field violation takes that message as its own (the user's email and username
// duplicates keep the summary "duplicate: user.email ...", the link limit its count). The code
// is kept. Any other Status is returned unchanged.
Status StoreErrors(const Status& status);

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_STORE_ERRORS_H_
