// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/artefacts.h"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "core/case_folding.h"
#include "store/sqlite/statement.h"
#include "store/sqlite/transaction.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kTenantExists = "SELECT 1 FROM tenants WHERE id = ?1";
constexpr std::string_view kUserInTenant = "SELECT 1 FROM users WHERE id = ?1 AND tenant_id = ?2";
constexpr std::string_view kLiveAt =
    "SELECT 1 FROM artefacts WHERE tenant_id = ?1 AND kind = ?2 AND key = ?3 AND expires_at > ?4";
constexpr std::string_view kPut =
    "INSERT OR REPLACE INTO artefacts "
    "(tenant_id, kind, key, user_id, grant_id, expires_at, consumed_at, payload) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)";
// Columns 0-4 as ReadArtefact expects them.
constexpr std::string_view kGet =
    "SELECT user_id, grant_id, expires_at, payload, consumed_at IS NOT NULL FROM artefacts "
    "WHERE tenant_id = ?1 AND kind = ?2 AND key = ?3 AND expires_at > ?4 "
    "AND consumed_at IS NULL";
constexpr std::string_view kFindForConsume =
    "SELECT user_id, grant_id, expires_at, payload, consumed_at IS NOT NULL FROM artefacts "
    "WHERE tenant_id = ?1 AND kind = ?2 AND key = ?3 AND expires_at > ?4";
constexpr std::string_view kMarkConsumed =
    "UPDATE artefacts SET consumed_at = ?4 WHERE tenant_id = ?1 AND kind = ?2 AND key = ?3";
constexpr std::string_view kRevokeGrant =
    "DELETE FROM artefacts WHERE tenant_id = ?1 AND grant_id = ?2 AND grant_id <> ''";
constexpr std::string_view kRevokeUser =
    "DELETE FROM artefacts WHERE user_id = ?1 AND tenant_id = ?2";
constexpr std::string_view kDeleteExpired = "DELETE FROM artefacts WHERE expires_at <= ?1";

Status Invalid(std::string_view field, std::string message) {
  return Status::FieldError("invalid", std::string(field), std::move(message));
}

Status CheckAddress(TenantId tenant_id, std::string_view kind, std::string_view key) {
  if (tenant_id.IsNil()) {
    return Status::FieldError("blank", "artefact.tenantId", "The tenant is nil.");
  }
  if (kind.empty()) return Status::FieldError("blank", "artefact.kind", "The kind is blank.");
  if (key.empty()) return Status::FieldError("blank", "artefact.key", "The key is blank.");
  if (!IsWellFormedUtf8(kind) || !IsWellFormedUtf8(key)) {
    return Status::InvalidArgument("an artefact's kind and key must be valid UTF-8");
  }
  return Status::Ok();
}

// The artefact in the current row of `row` (columns as kGet), at its address.
Result<Artefact> ReadArtefact(const Statement& row, TenantId tenant_id, std::string_view kind,
                              std::string_view key) {
  Artefact found;
  found.tenant_id = tenant_id;
  found.kind = std::string(kind);
  found.key = std::string(key);
  if (!row.IsNull(0)) {
    BULWARK_ASSIGN_OR_RETURN(Uuid user, row.ColumnUuid(0));
    found.user_id = UserId(user);
  }
  found.grant_id = std::string(row.ColumnText(1));
  found.expires_at = FromEpochMillis(row.ColumnInt64(2));
  found.payload = std::string(row.ColumnText(3));
  return found;
}

// Whether `sql` (bound to `args`) yields a row.
template <typename... Args>
Result<bool> Exists(Connection& connection, std::string_view sql, const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  return statement->Step();
}

// Runs a DELETE in its own IMMEDIATE transaction and returns how many rows it removed.
template <typename... Args>
Result<std::int64_t> Delete(ConnectionPool& pool, std::string_view sql, const Args&... args) {
  ConnectionPool::WriteLease lease = pool.LockWriter();
  Connection& connection = lease.connection();
  BULWARK_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionKind::kImmediate));
  std::int64_t removed = 0;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection.Prepare(sql));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
    BULWARK_RETURN_IF_ERROR(statement->Run());
    removed = sqlite3_changes64(connection.handle());
  }
  BULWARK_RETURN_IF_ERROR(transaction.Commit());
  return removed;
}

}  // namespace

Status SqliteArtefacts::Put(const Artefact& artefact, Instant now) {
  BULWARK_RETURN_IF_ERROR(CheckAddress(artefact.tenant_id, artefact.kind, artefact.key));
  if (artefact.expires_at <= now) {
    return Invalid("artefact.expiresAt", "The artefact has expired already.");
  }
  if (!IsWellFormedUtf8(artefact.payload) || !IsWellFormedUtf8(artefact.grant_id)) {
    return Status::InvalidArgument("an artefact's payload and grant id must be valid UTF-8");
  }
  ConnectionPool::WriteLease lease = pool_.LockWriter();
  Connection& connection = lease.connection();
  BULWARK_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionKind::kImmediate));
  BULWARK_ASSIGN_OR_RETURN(bool tenant, Exists(connection, kTenantExists, artefact.tenant_id));
  if (!tenant) return Invalid("artefact.tenantId", "The tenant does not exist.");
  if (artefact.user_id.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(
        bool user, Exists(connection, kUserInTenant, *artefact.user_id, artefact.tenant_id));
    if (!user) return Invalid("artefact.userId", "The user does not exist in the tenant.");
  }
  BULWARK_ASSIGN_OR_RETURN(bool live, Exists(connection, kLiveAt, artefact.tenant_id,
                                             std::string_view(artefact.kind),
                                             std::string_view(artefact.key), ToEpochMillis(now)));
  if (live) {
    return Status::Duplicate("artefact.key", "A live artefact of this kind has this key.");
  }
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection.Prepare(kPut));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, artefact.tenant_id, std::string_view(artefact.kind),
                                 std::string_view(artefact.key), artefact.user_id,
                                 std::string_view(artefact.grant_id),
                                 ToEpochMillis(artefact.expires_at), NoCopyText{artefact.payload}));
    BULWARK_RETURN_IF_ERROR(statement->Run());
  }
  return transaction.Commit();
}

Result<Artefact> SqliteArtefacts::Get(TenantId tenant_id, std::string_view kind,
                                      std::string_view key, Instant now) {
  BULWARK_RETURN_IF_ERROR(CheckAddress(tenant_id, kind, key));
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_.AcquireReader());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(kGet));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, tenant_id, kind, key, ToEpochMillis(now)));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::NotFound("artefact not found");
  return ReadArtefact(*statement, tenant_id, kind, key);
}

Result<ConsumedArtefact> SqliteArtefacts::Consume(TenantId tenant_id, std::string_view kind,
                                                  std::string_view key, Instant now) {
  BULWARK_RETURN_IF_ERROR(CheckAddress(tenant_id, kind, key));
  ConnectionPool::WriteLease lease = pool_.LockWriter();
  Connection& connection = lease.connection();
  // IMMEDIATE: the write lock is held from the read to the commit, so a second consumer (in
  // this process or another) reads the row only after this one marked it.
  BULWARK_ASSIGN_OR_RETURN(Transaction transaction,
                           Transaction::Begin(connection, TransactionKind::kImmediate));
  ConsumedArtefact consumed;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection.Prepare(kFindForConsume));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, tenant_id, kind, key, ToEpochMillis(now)));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return Status::NotFound("artefact not found");
    BULWARK_ASSIGN_OR_RETURN(consumed.artefact, ReadArtefact(*statement, tenant_id, kind, key));
    consumed.replayed = statement->ColumnInt64(4) != 0;
  }
  if (!consumed.replayed) {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection.Prepare(kMarkConsumed));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, tenant_id, kind, key, ToEpochMillis(now)));
    BULWARK_RETURN_IF_ERROR(statement->Run());
  }
  BULWARK_RETURN_IF_ERROR(transaction.Commit());
  return consumed;
}

Result<std::int64_t> SqliteArtefacts::RevokeByGrant(TenantId tenant_id,
                                                    std::string_view grant_id) {
  if (grant_id.empty()) return std::int64_t{0};
  return Delete(pool_, kRevokeGrant, tenant_id, grant_id);
}

Result<std::int64_t> SqliteArtefacts::RevokeByUser(TenantId tenant_id, UserId user_id) {
  return Delete(pool_, kRevokeUser, user_id, tenant_id);
}

Result<std::int64_t> SqliteArtefacts::DeleteExpired(Instant now) {
  return Delete(pool_, kDeleteExpired, ToEpochMillis(now));
}

}  // namespace bulwark::internal::sqlite
