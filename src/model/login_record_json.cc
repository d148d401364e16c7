// SPDX-License-Identifier: Apache-2.0
#include "bulwark/model/login_record.h"

namespace bulwark {

nlohmann::json ToJson(const LoginRecord& record) {
  nlohmann::json out = nlohmann::json::object();
  if (record.application_id.has_value()) out["applicationId"] = record.application_id->ToString();
  out["instant"] = ToEpochMillis(record.instant);
  if (!record.ip_address.empty()) out["ipAddress"] = record.ip_address;
  out["userId"] = record.user_id.ToString();
  return out;
}

}  // namespace bulwark
