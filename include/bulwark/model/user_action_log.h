// SPDX-License-Identifier: Apache-2.0
//
// UserActionLog: one action taken on a user (FusionAuth's UserActionLog) — a lock after too
// many failed logins, or an action a host applies. While an action that prevents login is in
// force (no expiry, or expiry in the future), the Login API answers 409 with it in
// `actions`. On the wire `{"action": {...}}`.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_USER_ACTION_LOG_H_
#define BULWARK_MODEL_USER_ACTION_LOG_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"

namespace bulwark {

struct UserActionLog {
  UserActionLogId id;
  UserId actionee_user_id;
  std::optional<UserId> actioner_user_id;  // absent when bulwark acted (e.g. a lockout)
  std::optional<UserActionId> user_action_id;
  std::vector<ApplicationId> application_ids;
  std::string comment;
  std::string name;  // e.g. "Failed authentication"
  std::string reason;
  std::string reason_code;
  std::string option;
  std::optional<Instant> create_instant;
  std::optional<Instant> expiry;  // absent: until removed
  bool prevent_login = true;      // whether the action stops the user logging in

  // In force at `now`: no expiry, or an expiry after `now`.
  bool InForceAt(Instant now) const { return !expiry.has_value() || *expiry > now; }

  friend bool operator==(const UserActionLog&, const UserActionLog&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const UserActionLog& action);
BULWARK_EXPORT Result<UserActionLog> UserActionLogFromJson(const nlohmann::json& json,
                                                           std::string_view path = "action");

}  // namespace bulwark

#endif  // BULWARK_MODEL_USER_ACTION_LOG_H_
