// SPDX-License-Identifier: Apache-2.0
//
// Private: owning handles for SQLite's C objects. The deleters are stateless, noexcept functor
// types, so a handle stays one pointer wide and the call inlines (STYLE §2.7).
//
// Thread-compatible: a handle is as thread-safe as the object it owns; bulwark guards every
// connection with its own mutex.
#ifndef BULWARK_STORE_SQLITE_SQLITE_HANDLES_H_
#define BULWARK_STORE_SQLITE_SQLITE_HANDLES_H_

#include <sqlite3.h>

#include <cassert>
#include <memory>

namespace bulwark::internal::sqlite {

struct ConnectionDeleter {
  void operator()(sqlite3* db) const noexcept {
    // close_v2 never fails with SQLITE_BUSY: a connection with statements still alive
    // becomes a zombie and closes when the last one is finalised, so destruction order
    // cannot leak or crash.
    [[maybe_unused]] const int rc = sqlite3_close_v2(db);
    assert(rc == SQLITE_OK && "sqlite3_close_v2 failed");
  }
};

struct StatementDeleter {
  void operator()(sqlite3_stmt* stmt) const noexcept {
    // The return value repeats the last step's error, which was already reported.
    sqlite3_finalize(stmt);
  }
};

using ConnectionHandle = std::unique_ptr<sqlite3, ConnectionDeleter>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_SQLITE_HANDLES_H_
