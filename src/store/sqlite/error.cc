// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/error.h"

#include <sqlite3.h>

#include <string>

namespace bulwark::internal::sqlite {

StatusCode StatusCodeForSqlite(int rc) noexcept {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_INTERRUPT:
      return StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kDataLoss;
    case SQLITE_NOMEM:
      return StatusCode::kResourceExhausted;
    default:
      return StatusCode::kInternal;
  }
}

Status StatusFromSqlite(int rc, sqlite3* db, std::string_view context) {
  std::string message(context);
  message.append(": ");
  // sqlite3_errmsg describes the most recent failure on `db`; for a failed open or a code
  // passed in without a connection, the generic text is all there is.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message.append(detail != nullptr ? detail : "unknown error");
  message.append(" (SQLite code ").append(std::to_string(rc)).append(")");
  return Status(StatusCodeForSqlite(rc), message);
}

}  // namespace bulwark::internal::sqlite
