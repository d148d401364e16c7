// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "store/sqlite/error.h"

namespace bulwark::internal::sqlite {
namespace {

int BusyTimeoutMillis(std::chrono::milliseconds timeout) {
  const auto ms = std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 0,
                                                             std::numeric_limits<int>::max());
  return static_cast<int>(ms);
}

Result<std::unique_ptr<Statement>> PrepareOwned(sqlite3* db, std::string_view sql) {
  BULWARK_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db, sql));
  return std::make_unique<Statement>(std::move(statement));
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const ConnectionOptions& options) {
  // 0 means SQLite was compiled without any locking; sharing connections across threads,
  // even serialised by our mutexes, would then be unsafe.
  if (sqlite3_threadsafe() == 0) {
    return Status::FailedPrecondition("SQLite was built with SQLITE_THREADSAFE=0");
  }
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                    SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // Even a failed open may allocate a handle, which carries the error message.
  ConnectionHandle db(raw);
  if (db == nullptr) return Status::ResourceExhausted("cannot allocate a SQLite connection");
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db.get(), "cannot open the database");

  std::unique_ptr<Connection> connection(new Connection(std::move(db)));
  BULWARK_RETURN_IF_ERROR(connection->Configure(options));
  return connection;
}

Connection::~Connection() = default;

Status Connection::Configure(const ConnectionOptions& options) {
  sqlite3* db = db_.get();
  sqlite3_extended_result_codes(db, 1);
  int rc = sqlite3_busy_timeout(db, BusyTimeoutMillis(options.busy_timeout));
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db, "cannot set the busy timeout");
  // Defensive: SQL cannot corrupt the file (no writable_schema, no journal_mode=OFF tricks).
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db, "cannot enable defensive mode");
  // The schema is ours; functions with side effects must not run from views or triggers.
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db, "cannot distrust the schema");

  BULWARK_RETURN_IF_ERROR(ExecScript("PRAGMA foreign_keys = ON", "cannot enable foreign keys"));
  // The store's cascades and integrity rules rely on foreign keys; a SQLite built without
  // them ignores the pragma silently.
  BULWARK_ASSIGN_OR_RETURN(std::int64_t foreign_keys, QueryInt64("PRAGMA foreign_keys"));
  if (foreign_keys != 1) {
    return Status::FailedPrecondition("SQLite was built without foreign key support");
  }
  if (options.query_only) {
    BULWARK_RETURN_IF_ERROR(
        ExecScript("PRAGMA query_only = ON", "cannot make the connection read-only"));
  }

  BULWARK_ASSIGN_OR_RETURN(begin_deferred_, PrepareOwned(db, "BEGIN DEFERRED"));
  BULWARK_ASSIGN_OR_RETURN(begin_immediate_, PrepareOwned(db, "BEGIN IMMEDIATE"));
  BULWARK_ASSIGN_OR_RETURN(commit_, PrepareOwned(db, "COMMIT"));
  BULWARK_ASSIGN_OR_RETURN(rollback_, PrepareOwned(db, "ROLLBACK"));
  return Status::Ok();
}

Result<ScopedStatement> Connection::Prepare(std::string_view sql) {
  Recent& recent =
      recent_[(reinterpret_cast<std::uintptr_t>(sql.data()) >> 3) % recent_.size()];
  if (recent.data == sql.data() && *recent.key == sql) return ScopedStatement(*recent.statement);
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    BULWARK_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db_.get(), sql));
    it = cache_.emplace(std::string(sql), std::move(statement)).first;
  }
  recent = Recent{sql.data(), &it->first, &it->second};
  return ScopedStatement(it->second);
}

Status Connection::ExecScript(std::string_view script, std::string_view context) {
  sqlite3* db = db_.get();
  while (!script.empty()) {
    if (script.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return Status::Internal("SQL script too long");
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v2(db, script.data(), static_cast<int>(script.size()), &raw, &tail);
    StatementHandle statement(raw);
    if (rc != SQLITE_OK) return StatusFromSqlite(rc, db, context);
    script.remove_prefix(static_cast<std::size_t>(tail - script.data()));
    if (statement == nullptr) continue;  // whitespace or a comment
    int step = SQLITE_ROW;
    while (step == SQLITE_ROW) step = sqlite3_step(statement.get());
    if (step != SQLITE_DONE) return StatusFromSqlite(step, db, context);
  }
  return Status::Ok();
}

Result<std::int64_t> Connection::QueryInt64(std::string_view sql) {
  BULWARK_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db_.get(), sql));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return Status::Internal("query returned no row");
  const std::int64_t value = statement.ColumnInt64(0);
  statement.Reset();
  return value;
}

Result<std::string> Connection::QueryText(std::string_view sql) {
  BULWARK_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db_.get(), sql));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return Status::Internal("query returned no row");
  std::string value(statement.ColumnText(0));
  statement.Reset();
  return value;
}

Status Connection::RunCached(Statement& statement) {
  Status status = statement.Run();
  statement.Reset();
  return status;
}

Status Connection::BeginDeferred() { return RunCached(*begin_deferred_); }
Status Connection::BeginImmediate() { return RunCached(*begin_immediate_); }
Status Connection::Commit() { return RunCached(*commit_); }

void Connection::Rollback() noexcept {
  // After some errors (SQLITE_FULL, SQLITE_IOERR, ...) SQLite has already rolled back.
  if (!InTransaction()) return;
  // A failed ROLLBACK (it can only fail for lack of memory) leaves the transaction open; SQLite
  // rolls it back when the connection closes, and the next BEGIN reports the problem.
  rollback_->StepNoThrow();
  rollback_->Reset();
}

bool Connection::InTransaction() const noexcept { return sqlite3_get_autocommit(db_.get()) == 0; }

std::int64_t Connection::ChangedRows() const noexcept { return sqlite3_changes64(db_.get()); }

}  // namespace bulwark::internal::sqlite
