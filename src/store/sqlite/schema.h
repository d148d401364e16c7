// SPDX-License-Identifier: Apache-2.0
//
// Private: bulwark's SQLite schema and its versioned migrations.
//
// The schema version is PRAGMA user_version; PRAGMA application_id marks the file as
// bulwark's (kApplicationId). Migration i takes the file from version i-1 to version i, in its
// own IMMEDIATE transaction, so two processes opening an old file at once migrate it once and
// a failed step leaves the file at the previous version. A file whose version is newer than
// the last migration is refused with kDataLoss.
//
// The list is a parameter so that tests can prove a multi-step upgrade of an older file;
// production code uses DefaultMigrations().
#ifndef BULWARK_STORE_SQLITE_SCHEMA_H_
#define BULWARK_STORE_SQLITE_SCHEMA_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "bulwark/result.h"
#include "bulwark/status.h"
#include "store/sqlite/connection.h"

namespace bulwark::internal::sqlite {

// PRAGMA application_id of every bulwark database: "BWRK".
inline constexpr std::int32_t kApplicationId = 0x4257524B;

// One schema step. Trivially destructible, so that migration tables can be constexpr.
struct Migration {
  // The schema version after this step: 1 for the first, then consecutive.
  int version = 0;
  // What the step does, for error messages ("create tenants, applications, ...").
  std::string_view description;
  // SQL run statement by statement (DDL, and DML that reshapes data).
  std::string_view sql;
  // Optional step run after `sql`, inside the same transaction, for changes SQL cannot
  // express. Null for none.
  Status (*apply)(Connection& connection) = nullptr;
};

// bulwark's migrations, oldest first. The view refers to static storage.
std::span<const Migration> DefaultMigrations() noexcept;

// Brings the database on `connection` to the last version of `migrations`.
// Returns kDataLoss when the file is not a SQLite database or its version is newer than the
// last migration; kFailedPrecondition when it is another program's database; kInternal when
// `migrations` is not numbered 1, 2, 3, ...; or the Status of a failing step, in which case
// the file stays at the version before that step.
Status Migrate(Connection& connection, std::span<const Migration> migrations);

// PRAGMA user_version.
Result<int> ReadSchemaVersion(Connection& connection);

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_SCHEMA_H_
