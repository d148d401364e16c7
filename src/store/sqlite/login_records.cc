// SPDX-License-Identifier: Apache-2.0
//
// What logins leave behind: the SQL of the user_actions, login_failures,
// unknown_login_failures and login_records tables and the write operations on them (the
// lockout rule is applied as the Engine parameterises it: RecordLoginFailure::lock).
#include "store/sqlite/batch_writer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kUserActionExists = "SELECT 1 FROM user_actions WHERE id = ?1";
constexpr std::string_view kInsertUserAction =
    "INSERT INTO user_actions (id, user_id, create_instant, expiry, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kDeleteUserAction = "DELETE FROM user_actions WHERE id = ?1";
constexpr std::string_view kInsertLoginFailure =
    "INSERT INTO login_failures (user_id, instant) VALUES (?1, ?2)";
constexpr std::string_view kClearLoginFailures = "DELETE FROM login_failures WHERE user_id = ?1";
constexpr std::string_view kPruneLoginFailures =
    "DELETE FROM login_failures WHERE user_id = ?1 AND instant < ?2";
constexpr std::string_view kCountLoginFailuresSince =
    "SELECT count(*) FROM login_failures WHERE user_id = ?1 AND instant >= ?2";
constexpr std::string_view kPruneUnknownLoginFailures =
    "DELETE FROM unknown_login_failures WHERE tenant_id = ?1 AND login_id_digest = ?2 "
    "AND instant < ?3";
constexpr std::string_view kInsertUnknownLoginFailure =
    "INSERT INTO unknown_login_failures (tenant_id, login_id_digest, instant) VALUES (?1, ?2, ?3)";
constexpr std::string_view kCountUnknownLoginFailures =
    "SELECT count(*) FROM unknown_login_failures WHERE tenant_id = ?1 AND login_id_digest = ?2 "
    "AND instant >= ?3";
constexpr std::string_view kInsertLoginRecord =
    "INSERT INTO login_records (user_id, application_id, instant, ip_address) "
    "VALUES (?1, ?2, ?3, ?4)";
}  // namespace

Status BatchWriter::OnInsertUserAction(const WriteBatch::InsertUserAction& op) {
  const UserActionLog& action = op.action;
  BULWARK_RETURN_IF_ERROR(RequireId(action.id, StoredKind::kUserAction));
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kUserActionExists, action.id));
  if (exists) return Broken(StoreViolation::kDuplicateId, StoredKind::kUserAction);
  BULWARK_RETURN_IF_ERROR(RequireUser(action.actionee_user_id, StoredKind::kUserAction));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeUserAction(action));
  return Write(ForeignKeyMeaning::kUserActionUser, kInsertUserAction, action.id,
               action.actionee_user_id, Millis(action.create_instant), Millis(action.expiry),
               NoCopyText{doc});
}

Status BatchWriter::OnDeleteUserAction(const WriteBatch::DeleteUserAction& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kUserActionExists, op.id));
  if (!exists) return NotFound("user action", op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteUserAction, op.id);
}

Status BatchWriter::OnRecordLoginFailure(const WriteBatch::RecordLoginFailure& op) {
  BULWARK_RETURN_IF_ERROR(RequireUser(op.user_id, StoredKind::kUserAction));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kPruneLoginFailures, op.user_id,
                                ToEpochMillis(op.window_start)));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kUserActionUser, kInsertLoginFailure, op.user_id,
                                ToEpochMillis(op.instant)));
  if (!op.lock.has_value()) return Status::Ok();
  std::int64_t failures = 0;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             connection_.Prepare(kCountLoginFailuresSince));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, op.user_id, ToEpochMillis(op.window_start)));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (row) failures = statement->ColumnInt64(0);
  }
  if (failures < op.lock->threshold) return Status::Ok();
  BULWARK_RETURN_IF_ERROR(OnClearLoginFailures(WriteBatch::ClearLoginFailures{op.user_id}));
  WriteBatch::InsertUserAction insert{op.lock->action};
  insert.action.actionee_user_id = op.user_id;
  BULWARK_RETURN_IF_ERROR(OnInsertUserAction(insert));
  if (op.lock->revoke_refresh_tokens) {
    BULWARK_RETURN_IF_ERROR(DeleteRefreshTokensOfUser(op.user_id));
  }
  return Status::Ok();
}

Status BatchWriter::OnClearLoginFailures(const WriteBatch::ClearLoginFailures& op) {
  return Write(ForeignKeyMeaning::kNone, kClearLoginFailures, op.user_id);
}

Status BatchWriter::OnRecordUnknownLoginFailure(const WriteBatch::RecordUnknownLoginFailure& op) {
  BULWARK_ASSIGN_OR_RETURN(bool tenant, TenantExists(op.tenant_id));
  if (!tenant) return NotFound("tenant", op.tenant_id);
  const std::string_view digest(op.login_id_digest);
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kPruneUnknownLoginFailures, op.tenant_id,
                                digest, ToEpochMillis(op.window_start)));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kInsertUnknownLoginFailure, op.tenant_id,
                                digest, ToEpochMillis(op.instant)));
  // The same read a known user's failure makes (its count decides a lockout).
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                           connection_.Prepare(kCountUnknownLoginFailures));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, op.tenant_id, digest, ToEpochMillis(op.window_start)));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  (void)row;
  return Status::Ok();
}

Status BatchWriter::OnRecordLogin(const WriteBatch::RecordLogin& op) {
  const std::int64_t instant = ToEpochMillis(op.instant);
  BULWARK_ASSIGN_OR_RETURN(bool user, SetUserLastLogin(op.user_id, instant));
  if (!user) return NotFound("user", op.user_id);
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kInsertLoginRecord, op.user_id,
                                op.application_id, instant, std::string_view(op.ip_address)));
  if (!op.application_id.has_value()) return Status::Ok();
  return SetRegistrationLastLogin(op.user_id, *op.application_id, instant);
}

}  // namespace bulwark::internal::sqlite
