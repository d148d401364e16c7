// SPDX-License-Identifier: Apache-2.0
//
// Private: OpenSqliteStore with an explicit migration list, so that tests can create an
// "older" file and prove that it migrates, or a "newer" one and prove that it is refused.
// Production code calls bulwark::OpenSqliteStore, which passes DefaultMigrations().
#ifndef BULWARK_STORE_SQLITE_SQLITE_STORE_INTERNAL_H_
#define BULWARK_STORE_SQLITE_SQLITE_STORE_INTERNAL_H_

#include <memory>
#include <span>

#include "bulwark/result.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/store/store.h"
#include "store/sqlite/schema.h"

namespace bulwark::internal::sqlite {

// As bulwark::OpenSqliteStore, migrating to the last of `migrations`, whose version is then
// the Store's SchemaVersion(). The store's own queries need the tables and columns of
// DefaultMigrations(), so a test list starts with those steps; a store opened at an older
// version serves only the queries whose tables that version has (user writes and look-ups by
// email or username need version 5).
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options,
                                               std::span<const Migration> migrations);

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_SQLITE_STORE_INTERNAL_H_
