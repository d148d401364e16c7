// SPDX-License-Identifier: Apache-2.0
// Private: the JSON text of users and registrations written straight from the model
// (json/text_archive.h), for the store's documents.
//
// UserJsonText(user, options, omit) is exactly WriteJson(ToJson(user, options)) with the
// member named `omit` left out ("" leaves nothing out), without the nlohmann DOM in between;
// RegistrationJsonText likewise for ToJson(registration). kInvalidArgument when a string is
// not valid UTF-8.
//
// Thread-safe: pure functions.
#ifndef BULWARK_MODEL_USER_TEXT_H_
#define BULWARK_MODEL_USER_TEXT_H_

#include <string>
#include <string_view>

#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"

namespace bulwark::internal {

Result<std::string> UserJsonText(const User& user, const UserJsonOptions& options,
                                 std::string_view omit = {});
Result<std::string> RegistrationJsonText(const Registration& registration,
                                         std::string_view omit = {});

}  // namespace bulwark::internal

#endif  // BULWARK_MODEL_USER_TEXT_H_
