// SPDX-License-Identifier: Apache-2.0
//
// Private: one SQLite connection with its prepared-statement cache.
//
//   BULWARK_ASSIGN_OR_RETURN(auto conn, Connection::Open("bulwark.db", {.busy_timeout = 5s}));
//   BULWARK_ASSIGN_OR_RETURN(ScopedStatement stmt, conn->Prepare("SELECT doc FROM users WHERE id =
//   ?1"));
//
// Every connection has extended result codes, foreign keys on, SQLITE_DBCONFIG_DEFENSIVE
// and an untrusted schema, and the busy timeout of its options. It is opened in SQLite's
// multi-thread mode (SQLITE_OPEN_NOMUTEX): bulwark serialises each connection itself.
// Nothing here touches process-global SQLite state (no sqlite3_config, no sqlite3_shutdown).
//
// Single-threaded: must only be used by one thread at a time; the owner's lock must be held
// for every call, including the ones that read sqlite3_errmsg.
#ifndef BULWARK_STORE_SQLITE_CONNECTION_H_
#define BULWARK_STORE_SQLITE_CONNECTION_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bulwark/result.h"
#include "bulwark/status.h"
#include "store/sqlite/sqlite_handles.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {

struct ConnectionOptions {
  // How long a statement waits for a lock held by another connection (sqlite3_busy_timeout).
  std::chrono::milliseconds busy_timeout = std::chrono::seconds(5);
  // Refuse every write (PRAGMA query_only): for the read pool.
  bool query_only = false;
};

class Connection {
 public:
  // Opens (creating if missing) the database at `path`, or a private in-memory database for
  // ":memory:". Returns kUnavailable when the file cannot be opened, kDataLoss when it is not
  // a SQLite database, kFailedPrecondition when SQLite was built without thread or foreign
  // key support.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const ConnectionOptions& options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // The cached statement for `sql`, prepared on first use, reset when the returned scope
  // ends. `sql` is the cache key: use the same constant text each time.
  Result<ScopedStatement> Prepare(std::string_view sql);

  // Runs every statement of `script` in order, stepping each to completion. The statements
  // are not cached: this is for schema migrations and one-off pragmas. `context` starts the
  // message of an error.
  Status ExecScript(std::string_view script, std::string_view context = "SQL script failed");

  // The first column of the first row of `sql` (e.g. PRAGMA user_version); kInternal when
  // the statement returns no row. Not cached.
  Result<std::int64_t> QueryInt64(std::string_view sql);
  Result<std::string> QueryText(std::string_view sql);

  // Transaction control, used by Transaction (transaction.h).
  Status BeginDeferred();
  Status BeginImmediate();
  Status Commit();
  // Rolls back the open transaction, if any. Never fails: the statement was prepared when the
  // connection opened, and an error leaves SQLite to roll back when the connection closes.
  void Rollback() noexcept;
  // True inside BEGIN ... COMMIT.
  bool InTransaction() const noexcept;

  // The raw handle, for tests and diagnostics. Valid as long as the Connection.
  sqlite3* handle() const noexcept { return db_.get(); }
  // The rows the last INSERT, UPDATE or DELETE on this connection changed (sqlite3_changes).
  std::int64_t ChangedRows() const noexcept;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>()(s);
    }
  };

  explicit Connection(ConnectionHandle db) noexcept : db_(std::move(db)) {}
  Status Configure(const ConnectionOptions& options);
  Status RunCached(Statement& statement);

  // Declared first so that it is destroyed last, after every statement is finalised.
  ConnectionHandle db_;
  // Node-based: a Statement's address is stable while the connection lives.
  std::unordered_map<std::string, Statement, StringHash, std::equal_to<>> cache_;
  // In front of cache_: the entry last found for a text at this address (the SQL constants
  // are static), direct-mapped by the address. A hit still compares the text, so a caller
  // passing different text at a reused address only misses.
  struct Recent {
    const char* data = nullptr;
    const std::string* key = nullptr;  // cache_'s key: node-based, stable
    Statement* statement = nullptr;
  };
  std::array<Recent, 64> recent_{};
  // Prepared at open, so that rolling back never needs to allocate.
  std::unique_ptr<Statement> begin_deferred_;
  std::unique_ptr<Statement> begin_immediate_;
  std::unique_ptr<Statement> commit_;
  std::unique_ptr<Statement> rollback_;
};

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_CONNECTION_H_
