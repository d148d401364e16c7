// SPDX-License-Identifier: Apache-2.0
//
// Users: the SQL of the users table (its email and username keys, its document) and the
// write operations on it.
#include "store/sqlite/batch_writer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case_folding.h"
#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kUserTenant = "SELECT tenant_id FROM users WHERE id = ?1";
constexpr std::string_view kUserExists = "SELECT 1 FROM users WHERE id = ?1";
// A folded key ?2 is taken by another user of tenant ?1 when it is that user's key or the key
// that user was displaced from by the version-5 migration (schema.cc).
constexpr std::string_view kEmailTaken =
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND email_lower = ?2 AND email_lower <> '' "
    "AND id <> ?3 UNION ALL "
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND email_displaced = ?2 AND email_displaced <> '' "
    "AND id <> ?3";
constexpr std::string_view kUsernameTaken =
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND username_lower = ?2 AND username_lower <> '' "
    "AND id <> ?3 UNION ALL "
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND username_displaced = ?2 "
    "AND username_displaced <> '' AND id <> ?3";
constexpr std::string_view kUserDisplacedKeys =
    "SELECT email_displaced, email_legacy_lower, username_displaced, username_legacy_lower "
    "FROM users WHERE id = ?1";
// Whether any user keeps a displaced key (the partial indexes answer without a scan).
constexpr std::string_view kAnyDisplacedUserKey =
    "SELECT 1 FROM users WHERE email_displaced <> '' UNION ALL "
    "SELECT 1 FROM users WHERE username_displaced <> '' LIMIT 1";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, tenant_id, email_lower, username_lower, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET email_lower = ?2, username_lower = ?3, doc = ?4, email_displaced = ?5, "
    "email_legacy_lower = ?6, username_displaced = ?7, username_legacy_lower = ?8, "
    "last_login_instant = NULL WHERE id = ?1";
constexpr std::string_view kDeleteUser = "DELETE FROM users WHERE id = ?1";
constexpr std::string_view kUserDoc = "SELECT doc, last_login_instant FROM users WHERE id = ?1";
// A login writes a column, never the document (schema.cc, version 7).
constexpr std::string_view kSetUserLastLogin =
    "UPDATE users SET last_login_instant = ?2 WHERE id = ?1";
// The stored hash's compare-and-set by a merge patch of the members the document's encoder
// writes for it (null removes a member it would omit).
constexpr std::string_view kReplaceUserPasswordHash =
    "UPDATE users SET doc = json_patch(doc, ?3) "
    "WHERE id = ?1 AND COALESCE(json_extract(doc, '$.password'), '') = ?2 RETURNING 1";
}  // namespace

Result<std::optional<TenantId>> BatchWriter::UserTenant(UserId id) {
  return QueryId<TenantId>(kUserTenant, id);
}

Status BatchWriter::RequireUser(UserId user_id, StoredKind kind) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kUserExists, user_id));
  if (!exists) return Broken(StoreViolation::kUnknownUser, kind);
  return Status::Ok();
}

Result<bool> BatchWriter::SetUserLastLogin(UserId user_id, std::int64_t instant) {
  return ChangeRow(kSetUserLastLogin, user_id, instant);
}

Result<BatchWriter::UserKey> BatchWriter::CheckUserKey(
    const User& user, std::string_view value, std::string_view taken_sql,
    const std::optional<std::pair<std::string, std::string>>& stored_displaced) {
  UserKey key;
  key.folded = CaseFold(value);
  if (key.folded.empty()) return key;
  BULWARK_ASSIGN_OR_RETURN(
      bool in_use, HasRow(taken_sql, user.tenant_id, std::string_view(key.folded), user.id));
  if (!in_use) return key;
  // A user displaced by the version-5 migration keeps its state while its address stays what
  // it was (equal under the pre-v5 ASCII rule) and the folded key is still held elsewhere.
  if (stored_displaced.has_value() && AsciiLower(value) == stored_displaced->second) {
    key.displaced = stored_displaced->first;
    key.legacy_lower = stored_displaced->second;
    key.folded.clear();
    return key;
  }
  key.taken = true;
  return key;
}

Result<BatchWriter::UserKeys> BatchWriter::CheckUserKeys(const User& user, bool is_new) {
  using Displaced = std::optional<std::pair<std::string, std::string>>;
  Displaced email_displaced;
  Displaced username_displaced;
  if (!is_new) {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kUserDisplacedKeys));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, user.id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (row) {
      if (!statement->ColumnText(0).empty()) {
        email_displaced.emplace(statement->ColumnText(0), statement->ColumnText(1));
      }
      if (!statement->ColumnText(2).empty()) {
        username_displaced.emplace(statement->ColumnText(2), statement->ColumnText(3));
      }
    }
  }
  // Both rules are checked so that the caller hears of both at once.
  std::vector<Violation> taken;
  UserKeys keys;
  BULWARK_ASSIGN_OR_RETURN(keys.email,
                           CheckUserKey(user, user.email, kEmailTaken, email_displaced));
  if (keys.email.taken) taken.push_back({StoreViolation::kDuplicateEmail, StoredKind::kUser});
  BULWARK_ASSIGN_OR_RETURN(keys.username,
                           CheckUserKey(user, user.username, kUsernameTaken, username_displaced));
  if (keys.username.taken) {
    taken.push_back({StoreViolation::kDuplicateUsername, StoredKind::kUser});
  }
  if (taken.empty()) return keys;
  return ViolationStatus(taken);
}

Status BatchWriter::WriteUser(const User& user, const UserKeys& keys, bool is_new) {
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeUser(user));
  const std::string_view email = keys.email.folded;
  const std::string_view username = keys.username.folded;
  if (is_new) {
    return Write(ForeignKeyMeaning::kUserTenant, kInsertUser, user.id, user.tenant_id, email,
                 username, NoCopyText{doc});
  }
  return Write(ForeignKeyMeaning::kNone, kUpdateUser, user.id, email, username, NoCopyText{doc},
               std::string_view(keys.email.displaced), std::string_view(keys.email.legacy_lower),
               std::string_view(keys.username.displaced),
               std::string_view(keys.username.legacy_lower));
}

Result<bool> BatchWriter::HasDisplacedUserKeys() {
  if (!displaced_user_keys_.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(bool any, HasRow(kAnyDisplacedUserKey));
    displaced_user_keys_ = any;
  }
  return *displaced_user_keys_;
}

Result<bool> BatchWriter::TryInsertUser(const User& user) {
  // The UNIQUE indexes refuse a taken id, email or username, and the FOREIGN KEY an unknown
  // tenant (known tenants are remembered, so asking first costs nothing). What no constraint
  // sees goes to the checked path: a nil id, a displaced key, a document that cannot be
  // encoded (which the checked path reports after the rules, as it always did).
  if (user.id.IsNil()) return false;
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, TenantExists(user.tenant_id));
  if (!tenant_exists) return false;
  BULWARK_ASSIGN_OR_RETURN(bool displaced, HasDisplacedUserKeys());
  if (displaced) return false;
  Result<std::string> doc = EncodeUser(user);
  if (!doc.ok()) return false;
  const std::string email = CaseFold(user.email);
  const std::string username = CaseFold(user.username);
  return TryWrite(kInsertUser, user.id, user.tenant_id, std::string_view(email),
                  std::string_view(username), NoCopyText{*doc});
}

Status BatchWriter::OnInsertUser(const WriteBatch::InsertUser& op) {
  return InsertUserRow(op.user);
}

Status BatchWriter::InsertUserRow(const User& user) {
  BULWARK_ASSIGN_OR_RETURN(bool inserted, TryInsertUser(user));
  if (!inserted) BULWARK_RETURN_IF_ERROR(InsertUserChecked(user));
  last_inserted_user_.emplace(user.id, user.tenant_id);
  return Status::Ok();
}

Status BatchWriter::OnInsertUsers(std::span<const User> users) {
  for (const User& user : users) {
    BULWARK_RETURN_IF_ERROR(InsertUserRow(user));
    for (const Registration& registration : user.registrations) {
      BULWARK_RETURN_IF_ERROR(InsertRegistrationRow(user.id, registration));
    }
  }
  return Status::Ok();
}

Status BatchWriter::InsertUserChecked(const User& user) {
  BULWARK_RETURN_IF_ERROR(RequireId(user.id, StoredKind::kUser));
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> existing, UserTenant(user.id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kUser);
  }
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, TenantExists(user.tenant_id));
  if (!tenant_exists) {
    return Broken(StoreViolation::kUnknownTenant, StoredKind::kUser);
  }
  BULWARK_ASSIGN_OR_RETURN(UserKeys keys, CheckUserKeys(user, /*is_new=*/true));
  return WriteUser(user, keys, /*is_new=*/true);
}

Status BatchWriter::OnUpdateUser(const WriteBatch::UpdateUser& op) {
  const User& user = op.user;
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant, UserTenant(user.id));
  if (!tenant.has_value()) return NotFound("user", user.id);
  if (*tenant != user.tenant_id) {
    return Broken(StoreViolation::kTenantChanged, StoredKind::kUser);
  }
  BULWARK_ASSIGN_OR_RETURN(UserKeys keys, CheckUserKeys(user, /*is_new=*/false));
  return WriteUser(user, keys, /*is_new=*/false);
}

Status BatchWriter::OnDeleteUser(const WriteBatch::DeleteUser& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant, UserTenant(op.id));
  if (!tenant.has_value()) return NotFound("user", op.id);
  last_inserted_user_.reset();
  // ON DELETE CASCADE removes the user's registrations and identity-provider links.
  return Write(ForeignKeyMeaning::kNone, kDeleteUser, op.id);
}

Result<User> BatchWriter::ReadUser(UserId user_id) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kUserDoc));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, user_id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return NotFound("user", user_id);
  return DecodeUserRow(*statement, 0);
}

Status BatchWriter::OnPatchUser(const WriteBatch::PatchUser& op) {
  BULWARK_ASSIGN_OR_RETURN(User stored, ReadUser(op.user_id));
  nlohmann::json doc = ToJson(stored, UserJsonOptions{.include_hash = true});
  BULWARK_RETURN_IF_ERROR(ApplyMembers(doc, op.members));
  Result<User> patched = UserFromJson(doc, "user", UserJsonOptions{.include_hash = true});
  if (!patched.ok()) return patched.status();
  BULWARK_ASSIGN_OR_RETURN(UserKeys keys, CheckUserKeys(*patched, /*is_new=*/false));
  return WriteUser(*patched, keys, /*is_new=*/false);
}

Result<std::string> BatchWriter::StoredPasswordHash(UserId user_id) {
  // The decoded document (codec.h remembers recent ones: a login decoded this one already) is
  // cheaper than SQLite's json_extract, which parses the whole document each time.
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kUserDoc));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, user_id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return NotFound("user", user_id);
  return DecodeUserPasswordHash(statement->ColumnText(0));
}

Status BatchWriter::OnReplacePasswordHash(const WriteBatch::ReplacePasswordHash& op) {
  const PasswordHash& next = op.replacement;
  auto member = [](const std::string& value) {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  };
  nlohmann::json patch = {{"password", member(next.hash)},
                          {"salt", member(next.salt)},
                          {"encryptionScheme", member(next.encryption_scheme)}};
  patch["factor"] =
      next.encryption_scheme.empty() ? nlohmann::json(nullptr) : nlohmann::json(next.factor);
  const std::string text = patch.dump();
  BULWARK_ASSIGN_OR_RETURN(bool replaced,
                           UpdateRow(kReplaceUserPasswordHash, op.user_id,
                                     std::string_view(op.expected_hash), NoCopyText{text}));
  if (replaced) return Status::Ok();
  // Unchanged: the hash moved on meanwhile (nothing to do), or there is no such user.
  return StoredPasswordHash(op.user_id).status();
}

Status BatchWriter::OnRequirePasswordHash(const WriteBatch::RequirePasswordHash& op) {
  BULWARK_ASSIGN_OR_RETURN(std::string stored, StoredPasswordHash(op.user_id));
  if (stored != op.expected_hash) return Status::Aborted("the user's password changed meanwhile");
  return Status::Ok();
}

}  // namespace bulwark::internal::sqlite
