// SPDX-License-Identifier: Apache-2.0
// JSON for UserActionLog.
#include "bulwark/model/user_action_log.h"
#include "json/json_io.h"

namespace bulwark::internal {

template <class IO>
void Map(IO& io, Mapped<IO, UserActionLog>& v) {
  io("id", v.id);
  io("actioneeUserId", v.actionee_user_id);
  io("actionerUserId", v.actioner_user_id);
  io("userActionId", v.user_action_id);
  io("applicationIds", v.application_ids);
  io("comment", v.comment);
  io("name", v.name);
  io("reason", v.reason);
  io("reasonCode", v.reason_code);
  io("option", v.option);
  io("createInstant", v.create_instant);
  io("expiry", v.expiry);
  io("preventLogin", v.prevent_login);
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const UserActionLog& action) { return internal::WriteMapped(action); }

Result<UserActionLog> UserActionLogFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<UserActionLog>(json, path);
}

}  // namespace bulwark
