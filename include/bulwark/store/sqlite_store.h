// SPDX-License-Identifier: Apache-2.0
//
// The embedded default Store, on SQLite. A file (created if missing) or ":memory:".
//
//   auto store = bulwark::OpenSqliteStore({.path = "bulwark.db"});
//   if (!store.ok()) ...;
//
// Files use WAL journaling; an older schema migrates on open; a newer one is kDataLoss with a
// clear message. Every statement is prepared; a busy database is retried up to
// busy_timeout, then kUnavailable.
//
// Thread-safe: the returned Store is safe for concurrent use from multiple threads without
// external synchronisation (one writer connection behind a mutex; reads share a small pool
// of connections on files). Create it after fork(), never carry it across one.
#ifndef BULWARK_STORE_SQLITE_STORE_H_
#define BULWARK_STORE_SQLITE_STORE_H_

#include <chrono>
#include <memory>
#include <string>

#include "bulwark/export.h"
#include "bulwark/result.h"
#include "bulwark/store/fault_injector.h"
#include "bulwark/store/store.h"

namespace bulwark {

// Options for OpenSqliteStore. Thread-compatible value type.
struct SqliteStoreOptions {
  // A file path, or ":memory:" for a private in-memory database. Default: ":memory:".
  std::string path = ":memory:";
  // How long a statement waits for a lock held by another connection or process.
  std::chrono::milliseconds busy_timeout = std::chrono::seconds(5);
  // Read connections kept for a file database (ignored for ":memory:"). Must be at least 1.
  // Default: 4.
  int max_read_connections = 4;

  // TEST ONLY: consulted before each write statement and commit of Store::Apply, with the
  // write transaction open and the writer lock held (see fault_injector.h and
  // testing::FaultInjectingStore). Default: null (none).
  std::shared_ptr<StoreFaultInjector> fault_injector = nullptr;
};

/// Opens (creating if missing) the database at options.path, migrating an older schema.
/// Returns kInvalidArgument for bad options; kUnavailable when the file cannot be opened or
/// stays locked beyond busy_timeout; kDataLoss when it is not a SQLite database or its schema
/// version is newer than this bulwark supports; kFailedPrecondition when it is another
/// program's SQLite database or SQLite was built without thread support.
BULWARK_EXPORT Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options);

}  // namespace bulwark

#endif  // BULWARK_STORE_SQLITE_STORE_H_
