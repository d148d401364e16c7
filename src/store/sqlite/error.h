// SPDX-License-Identifier: Apache-2.0
//
// Private: SQLite result codes -> bulwark Status.
//
//   SQLITE_BUSY / SQLITE_LOCKED (after the busy timeout), I/O, full disk, cannot open
//                                        -> kUnavailable (retrying later may succeed)
//   SQLITE_CORRUPT / SQLITE_NOTADB       -> kDataLoss
//   SQLITE_NOMEM                         -> kResourceExhausted
//   SQLITE_CONSTRAINT and everything else -> kInternal (the store maps the constraints it
//                                           knows before this is reached)
//
// Functions taking a sqlite3* read sqlite3_errmsg, so callers must hold that connection's
// lock (STYLE §2.8). Messages carry SQLite's text, which names tables and columns but never
// bound values.
#ifndef BULWARK_STORE_SQLITE_ERROR_H_
#define BULWARK_STORE_SQLITE_ERROR_H_

#include <string_view>

#include "bulwark/status.h"

struct sqlite3;

namespace bulwark::internal::sqlite {

// The code a SQLite result code maps to (see above). REQUIRES: rc is an error code.
StatusCode StatusCodeForSqlite(int rc) noexcept;

// "<context>: <message> (SQLite code <rc>)" with the code above. `db` may be null, then
// only sqlite3_errstr(rc) is used. REQUIRES: rc is an error code.
Status StatusFromSqlite(int rc, sqlite3* db, std::string_view context);

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_ERROR_H_
