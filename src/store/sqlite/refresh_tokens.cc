// SPDX-License-Identifier: Apache-2.0
//
// Refresh tokens: the SQL of the refresh_tokens table and the write operations on it.
#include "store/sqlite/batch_writer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kRefreshTokenExists = "SELECT 1 FROM refresh_tokens WHERE id = ?1";
// A missing application reads as the nil id, as RefreshToken holds it.
constexpr std::string_view kRefreshTokenOwner =
    "SELECT r.token, r.user_id, coalesce(r.application_id, zeroblob(16)), u.tenant_id "
    "FROM refresh_tokens r JOIN users u ON u.id = r.user_id WHERE r.id = ?1";
constexpr std::string_view kRefreshTokenTaken =
    "SELECT 1 FROM refresh_tokens WHERE token = ?1 AND id <> ?2";
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (id, token, user_id, application_id, insert_instant, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kUpdateRefreshToken =
    "UPDATE refresh_tokens SET token = ?2, insert_instant = ?3, doc = ?4, "
    "previous_token = coalesce(?5, previous_token), rotated_at = coalesce(?6, rotated_at), "
    "successor = coalesce(?7, successor) WHERE id = ?1";
constexpr std::string_view kDeleteRefreshToken = "DELETE FROM refresh_tokens WHERE id = ?1";
constexpr std::string_view kDeleteRefreshTokensOfUser =
    "DELETE FROM refresh_tokens WHERE user_id = ?1";
constexpr std::string_view kDeleteRefreshTokensOfApplication =
    "DELETE FROM refresh_tokens WHERE application_id = ?1";
constexpr std::string_view kDeleteRefreshTokensOfUserAndApplication =
    "DELETE FROM refresh_tokens WHERE user_id = ?1 AND application_id = ?2";

std::optional<ApplicationId> NullableApplication(ApplicationId id) {
  if (id.IsNil()) return std::nullopt;
  return id;
}
}  // namespace

Status BatchWriter::DeleteRefreshTokensOfUser(UserId user_id) {
  return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfUser, user_id);
}

Status BatchWriter::CheckRefreshTokenParents(const RefreshToken& token) {
  BULWARK_RETURN_IF_ERROR(RequireUser(token.user_id, StoredKind::kRefreshToken));
  if (!token.application_id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(bool exists, ApplicationExists(token.application_id));
    if (!exists) {
      return Broken(StoreViolation::kUnknownApplication, StoredKind::kRefreshToken);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(bool taken,
                           HasRow(kRefreshTokenTaken, std::string_view(token.token), token.id));
  if (taken) {
    return Broken(StoreViolation::kDuplicateRefreshToken, StoredKind::kRefreshToken);
  }
  return Status::Ok();
}

Status BatchWriter::OnInsertRefreshToken(const WriteBatch::InsertRefreshToken& op) {
  const RefreshToken& token = op.token;
  BULWARK_RETURN_IF_ERROR(RequireId(token.id, StoredKind::kRefreshToken));
  if (token.token.empty()) {
    return Broken(StoreViolation::kBlankValue, StoredKind::kRefreshToken);
  }
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kRefreshTokenExists, token.id));
  if (exists) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kRefreshToken);
  }
  BULWARK_RETURN_IF_ERROR(CheckRefreshTokenParents(token));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeRefreshToken(token));
  return Write(ForeignKeyMeaning::kRefreshTokenParent, kInsertRefreshToken, token.id,
               std::string_view(token.token), token.user_id,
               NullableApplication(token.application_id), Millis(token.insert_instant),
               NoCopyText{doc});
}

Status BatchWriter::OnUpdateRefreshToken(const WriteBatch::UpdateRefreshToken& op) {
  const RefreshToken& token = op.token;
  if (token.token.empty()) {
    return Broken(StoreViolation::kBlankValue, StoredKind::kRefreshToken);
  }
  // One read: the current value and the owner (the user, the application, the user's tenant).
  std::string current;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kRefreshTokenOwner));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, token.id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return NotFound("refresh token", token.id);
    current = std::string(statement->ColumnText(0));
    BULWARK_ASSIGN_OR_RETURN(Uuid user, statement->ColumnUuid(1));
    BULWARK_ASSIGN_OR_RETURN(Uuid application, statement->ColumnUuid(2));
    BULWARK_ASSIGN_OR_RETURN(Uuid tenant, statement->ColumnUuid(3));
    if (op.expected_token.has_value() && *op.expected_token != current) {
      return Status::Aborted("the refresh token was changed by another writer");
    }
    // The owner never changes: only the value, the instants and the document's other fields.
    if (user != token.user_id.uuid() || application != token.application_id.uuid() ||
        tenant != token.tenant_id.uuid()) {
      return Broken(StoreViolation::kTenantChanged, StoredKind::kRefreshToken);
    }
  }
  // A new value must be free; the current one is this token's own.
  if (token.token != current) {
    BULWARK_ASSIGN_OR_RETURN(bool taken,
                             HasRow(kRefreshTokenTaken, std::string_view(token.token), token.id));
    if (taken) {
      return Broken(StoreViolation::kDuplicateRefreshToken, StoredKind::kRefreshToken);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeRefreshToken(token));
  std::optional<std::string_view> previous;
  if (op.previous_token.has_value()) previous = *op.previous_token;
  std::optional<std::string_view> successor;
  if (op.successor.has_value()) successor = *op.successor;
  return Write(ForeignKeyMeaning::kNone, kUpdateRefreshToken, token.id,
               std::string_view(token.token), Millis(token.insert_instant), NoCopyText{doc},
               previous, Millis(op.rotated_at), successor);
}

Status BatchWriter::OnDeleteRefreshToken(const WriteBatch::DeleteRefreshToken& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kRefreshTokenExists, op.id));
  if (!exists) return NotFound("refresh token", op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteRefreshToken, op.id);
}

Status BatchWriter::OnDeleteRefreshTokens(const WriteBatch::DeleteRefreshTokens& op) {
  if (op.user_id.has_value() && op.application_id.has_value()) {
    return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfUserAndApplication, *op.user_id,
                 *op.application_id);
  }
  if (op.user_id.has_value()) {
    return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfUser, *op.user_id);
  }
  if (op.application_id.has_value()) {
    return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfApplication, *op.application_id);
  }
  return Status::InvalidArgument("revoking refresh tokens needs a user id or an application id");
}

}  // namespace bulwark::internal::sqlite
