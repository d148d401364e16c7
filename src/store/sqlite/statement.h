// SPDX-License-Identifier: Apache-2.0
//
// Private: a prepared SQLite statement (SQLiteCpp's Statement, reduced to what the store
// needs). SQLite's own numbering is kept — parameters 1-based (?1, ?2), columns 0-based — so
// that the SQL text and the code read alike.
//
//   BULWARK_ASSIGN_OR_RETURN(ScopedStatement stmt, connection.Prepare(kSelectUser));
//   BULWARK_RETURN_IF_ERROR(stmt->BindUuid(1, id.uuid()));
//   BULWARK_ASSIGN_OR_RETURN(bool row, stmt->Step());
//
// Text can be bound by copy (BindText) or, for large documents that outlive the step, without
// a copy (BindTextNoCopy); the rvalue overload of the latter is deleted so that a temporary
// can never be bound as static text.
//
// Single-threaded: must only be used by one thread at a time, under the lock of the
// connection that prepared it.
#ifndef BULWARK_STORE_SQLITE_STATEMENT_H_
#define BULWARK_STORE_SQLITE_STATEMENT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bulwark/ids.h"
#include "bulwark/result.h"
#include "bulwark/status.h"
#include "store/sqlite/sqlite_handles.h"

namespace bulwark::internal::sqlite {

class Statement {
 public:
  // Prepares `sql`, which must hold exactly one statement. Returns kInternal for SQL that does
  // not compile or holds several statements (a bug), kDataLoss for a file that is not a
  // database, kUnavailable when the schema is locked beyond the busy timeout.
  // REQUIRES: the caller holds `db`'s lock.
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);

  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() = default;

  // Binds parameter `index` (1-based). Binding fails only on a bad index (a bug) or when the
  // value exceeds SQLite's limits.
  Status BindInt64(int index, std::int64_t value);
  Status BindNull(int index);
  // The 16 bytes of `uuid`, copied.
  Status BindUuid(int index, const Uuid& uuid);
  // A copy of `text`.
  Status BindText(int index, std::string_view text);
  // `text` without a copy: it must stay alive and unchanged until the statement is reset.
  Status BindTextNoCopy(int index, const std::string& text);
  Status BindTextNoCopy(int index, std::string&& text) = delete;

  // Runs the statement one step: true when a row is available, false when done. On failure
  // the Status is mapped by StatusFromSqlite and last_error()/last_error_message() describe
  // it, so that callers can map constraint violations themselves.
  Result<bool> Step();
  // Steps once without recording anything, for cleanup paths that must not allocate
  // (Connection::Rollback). Returns SQLite's result code.
  int StepNoThrow() noexcept;
  // Steps to completion, ignoring rows (for INSERT, UPDATE, DELETE and DDL).
  Status Run();
  // Makes the statement ready to run again and clears its bindings. Never fails: an error of
  // the last step was already reported by Step.
  void Reset() noexcept;

  // Column accessors for the current row (0-based). Views are valid until the next Step,
  // Reset or destruction.
  bool IsNull(int column) const noexcept;
  std::int64_t ColumnInt64(int column) const noexcept;
  std::string_view ColumnText(int column) const noexcept;
  // kDataLoss unless the column holds exactly 16 bytes.
  Result<Uuid> ColumnUuid(int column) const;

  // The extended result code of the last failed Step (0 after a successful one).
  int last_error() const noexcept { return last_error_; }
  // SQLite's message for the last failed Step, captured under the connection's lock.
  const std::string& last_error_message() const noexcept { return last_error_message_; }
  // The SQL text, for error messages.
  std::string_view sql() const noexcept;

 private:
  explicit Statement(StatementHandle handle) noexcept : handle_(std::move(handle)) {}
  Status BindResult(int rc, int index);

  StatementHandle handle_;
  int last_error_ = 0;
  std::string last_error_message_;
};

// Borrows a Statement from a connection's cache and resets it when the scope ends, so that
// the next user finds it clean and a half-read SELECT never keeps a read snapshot open.
// Single-threaded.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement& statement) noexcept : statement_(&statement) {}
  ScopedStatement(ScopedStatement&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  ScopedStatement& operator=(ScopedStatement&&) = delete;
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  ~ScopedStatement() {
    if (statement_ != nullptr) statement_->Reset();
  }

  Statement& operator*() const noexcept { return *statement_; }
  Statement* operator->() const noexcept { return statement_; }

 private:
  Statement* statement_;
};

// A large text bound without a copy (Statement::BindTextNoCopy): `text` must outlive the step.
struct NoCopyText {
  const std::string& text;
};

// Bind(stmt, a, b, c) binds a to ?1, b to ?2 and c to ?3. Values: ids (their 16 bytes),
// text views (copied), NoCopyText, integers, std::optional<std::int64_t> and nullptr (NULL).
template <typename Tag>
Status BindValue(Statement& statement, int index, const Id<Tag>& id) {
  return statement.BindUuid(index, id.uuid());
}
template <typename Tag>
Status BindValue(Statement& statement, int index, const std::optional<Id<Tag>>& id) {
  return id.has_value() ? statement.BindUuid(index, id->uuid()) : statement.BindNull(index);
}
inline Status BindValue(Statement& statement, int index,
                        const std::optional<std::string_view>& text) {
  return text.has_value() ? statement.BindText(index, *text) : statement.BindNull(index);
}
inline Status BindValue(Statement& statement, int index, std::string_view text) {
  return statement.BindText(index, text);
}
inline Status BindValue(Statement& statement, int index, const NoCopyText& text) {
  return statement.BindTextNoCopy(index, text.text);
}
inline Status BindValue(Statement& statement, int index, std::int64_t value) {
  return statement.BindInt64(index, value);
}
inline Status BindValue(Statement& statement, int index, const std::optional<std::int64_t>& value) {
  return value.has_value() ? statement.BindInt64(index, *value) : statement.BindNull(index);
}
inline Status BindValue(Statement& statement, int index, std::nullptr_t) {
  return statement.BindNull(index);
}

template <typename... Args>
Status Bind(Statement& statement, const Args&... args) {
  Status status;
  int index = 0;
  // Left to right, stopping at the first failure.
  ((status.ok() ? (status = BindValue(statement, ++index, args), 0) : 0), ...);
  return status;
}

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_STATEMENT_H_
