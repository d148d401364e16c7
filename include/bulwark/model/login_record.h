// SPDX-License-Identifier: Apache-2.0
//
// LoginRecord: one successful login (FusionAuth's login records, /api/system/login-record):
// who, into which application, when and from which address.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_LOGIN_RECORD_H_
#define BULWARK_MODEL_LOGIN_RECORD_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"

namespace bulwark {

struct LoginRecord {
  UserId user_id;
  std::optional<ApplicationId> application_id;
  Instant instant{};
  std::string ip_address;  // empty when the caller gave none

  friend bool operator==(const LoginRecord&, const LoginRecord&) = default;
};

// {"applicationId", "instant" (epoch ms), "ipAddress", "userId"}.
BULWARK_EXPORT nlohmann::json ToJson(const LoginRecord& record);

}  // namespace bulwark

#endif  // BULWARK_MODEL_LOGIN_RECORD_H_
