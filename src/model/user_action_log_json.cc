// SPDX-License-Identifier: Apache-2.0
// JSON for UserActionLog.
#include "bulwark/model/user_action_log.h"
#include "json/json_io.h"

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

void Read(ObjectReader& r, UserActionLog& v) {
  r.Id("id", v.id);
  r.Id("actioneeUserId", v.actionee_user_id);
  r.OptionalId("actionerUserId", v.actioner_user_id);
  r.OptionalId("userActionId", v.user_action_id);
  r.Ids("applicationIds", v.application_ids);
  r.String("comment", v.comment);
  r.String("name", v.name);
  r.String("reason", v.reason);
  r.String("reasonCode", v.reason_code);
  r.String("option", v.option);
  r.Instant("createInstant", v.create_instant);
  r.Instant("expiry", v.expiry);
  r.Bool("preventLogin", v.prevent_login);
}

void Write(ObjectWriter& w, const UserActionLog& v) {
  w.Id("id", v.id);
  w.Id("actioneeUserId", v.actionee_user_id);
  w.OptionalId("actionerUserId", v.actioner_user_id);
  w.OptionalId("userActionId", v.user_action_id);
  w.Ids("applicationIds", v.application_ids);
  w.String("comment", v.comment);
  w.String("name", v.name);
  w.String("reason", v.reason);
  w.String("reasonCode", v.reason_code);
  w.String("option", v.option);
  w.Instant("createInstant", v.create_instant);
  w.Instant("expiry", v.expiry);
  w.Bool("preventLogin", v.prevent_login);
}

}  // namespace

nlohmann::json ToJson(const UserActionLog& action) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, action);
  return out;
}

Result<UserActionLog> UserActionLogFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<UserActionLog>(json, path,
                                             [](ObjectReader& r, UserActionLog& v) { Read(r, v); });
}

}  // namespace bulwark
