// SPDX-License-Identifier: Apache-2.0
//
// Schema versions: older files migrate step by step on open; newer files, files that are not
// SQLite databases and other programs' databases are refused.
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "unit/store/old_schema_support.h"
#include "unit/store/store_test_support.h"

namespace bulwark::internal::sqlite {
namespace {

using store_test::Insert;
using store_test::InsertOldUser;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::QueryInt;
using store_test::Raw;
using store_test::TempDbPath;

// Version 2 records how many users existed when it ran: proof that it ran on the old data.
Status RecordUserCount(Connection& connection) {
  return connection.ExecScript("INSERT INTO audit (users) SELECT count(*) FROM users");
}

// A future schema: the real steps, then two test steps, the second depending on the first.
std::vector<Migration> FutureMigrations() {
  std::vector<Migration> migrations(DefaultMigrations().begin(), DefaultMigrations().end());
  const int base = static_cast<int>(migrations.size());
  migrations.push_back({.version = base + 1,
                        .description = "test: audit table",
                        .sql = "CREATE TABLE audit (users INTEGER NOT NULL);",
                        .apply = RecordUserCount});
  migrations.push_back({.version = base + 2,
                        .description = "test: audit notes",
                        .sql = "ALTER TABLE audit ADD COLUMN note TEXT; "
                               "UPDATE audit SET note = 'migrated';"});
  return migrations;
}

TEST_CASE("an older file migrates step by step on open and keeps its data", "[store][migration]") {
  TempDbPath file;
  const Tenant tenant = MakeTenant("t");
  const User user = MakeUser(tenant, "ada@example.com");
  const int current = static_cast<int>(DefaultMigrations().size());
  {
    Result<std::unique_ptr<Store>> old = bulwark::OpenSqliteStore({.path = file.path()});
    REQUIRE_OK(old);
    CHECK((*old)->SchemaVersion() == current);
    STORE_REQUIRE_OK(Insert(**old, tenant));
    STORE_REQUIRE_OK(Insert(**old, user));
  }
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == current);
  CHECK(QueryInt(file.path(), "PRAGMA application_id") == kApplicationId);

  const std::vector<Migration> future = FutureMigrations();
  Result<std::unique_ptr<Store>> upgraded = OpenSqliteStore({.path = file.path()}, future);
  REQUIRE_OK(upgraded);
  CHECK((*upgraded)->SchemaVersion() == current + 2);
  CHECK_OK((*upgraded)->users().Get(user.id));
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == current + 2);
  CHECK(QueryInt(file.path(), "SELECT users FROM audit") == 1);
  CHECK(QueryInt(file.path(), "SELECT count(*) FROM audit WHERE note = 'migrated'") == 1);

  // Opening again runs nothing twice.
  upgraded->reset();
  REQUIRE_OK(OpenSqliteStore({.path = file.path()}, future));
  CHECK(QueryInt(file.path(), "SELECT count(*) FROM audit") == 1);
}

TEST_CASE("a version-2 file migrates to version 3, keeps its data and gains identity providers",
          "[store][migration]") {
  TempDbPath file;
  const Tenant tenant = MakeTenant("t");
  const Application app = store_test::MakeApplication(tenant, "app", {"admin"});
  const User user = MakeUser(tenant, "ada@example.com");
  const Registration registration = store_test::MakeRegistration(app, {"admin"});
  RefreshToken token;
  token.id = store_test::NewId<RefreshTokenId>();
  token.token = "digest";
  token.user_id = user.id;
  token.tenant_id = tenant.id;
  token.application_id = app.id;
  {
    Result<std::unique_ptr<Store>> v2 =
        OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, 2));
    REQUIRE_OK(v2);
    CHECK((*v2)->SchemaVersion() == 2);
    WriteBatch parents;
    parents.Insert(tenant);
    parents.Insert(app);
    STORE_REQUIRE_OK((*v2)->Apply(parents));
    // Today's user writes need version 5's key columns: the user row goes in as version 2
    // wrote it.
    InsertOldUser(file.path(), user, "ada@example.com");
    WriteBatch batch;
    batch.Insert(user.id, registration);
    batch.Insert(token);
    STORE_REQUIRE_OK((*v2)->Apply(batch));
  }
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == 2);
  CHECK(QueryInt(file.path(),
                 "SELECT count(*) FROM sqlite_master WHERE name = 'identity_providers'") == 0);

  Result<std::unique_ptr<Store>> v3 =
      OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, 3));
  REQUIRE_OK(v3);
  Store& store = **v3;
  CHECK(store.SchemaVersion() == 3);
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == 3);
  CHECK(*store.tenants().Get(tenant.id) == tenant);
  CHECK(*store.applications().Get(app.id) == app);
  // Users and registrations are read with the latest schema's columns (version 7's last
  // logins): they are checked below, once the file is at the latest version.
  CHECK(*store.users().Count() == 1);
  CHECK(store.refresh_tokens().FindByToken("digest")->id == token.id);

  const IdentityProvider provider = store_test::MakeProvider("idp", {"example.com"}, tenant.id);
  const IdentityProviderLink link = store_test::MakeLink(provider, user, "ada-at-idp");
  WriteBatch federation;
  federation.Insert(provider);
  federation.Insert(link, 1);
  STORE_REQUIRE_OK(store.Apply(federation));
  CHECK(store.identity_providers().FindByDomain("EXAMPLE.com", tenant.id)->id == provider.id);
  CHECK(*store.identity_provider_links().Find(provider.id, tenant.id, "ada-at-idp") == link);

  v3->reset();
  Result<std::unique_ptr<Store>> latest = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_OK(latest);
  CHECK(*(*latest)->users().Get(user.id) == store_test::Stored(user));
  CHECK(*(*latest)->registrations().Get(user.id, app.id) == registration);
}

TEST_CASE("a database newer than this bulwark is kDataLoss", "[store][migration]") {
  TempDbPath file;
  const int current = static_cast<int>(DefaultMigrations().size());
  const std::vector<Migration> future = FutureMigrations();
  REQUIRE_OK(OpenSqliteStore({.path = file.path()}, future));

  Result<std::unique_ptr<Store>> store = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kDataLoss);
  CHECK(store.status().message() == "database schema version " + std::to_string(current + 2) +
                                        " is newer than this bulwark supports (" +
                                        std::to_string(current) + ")");

  STORE_REQUIRE_OK(Raw(file.path())->ExecScript("PRAGMA user_version = 99"));
  store = bulwark::OpenSqliteStore({.path = file.path()});
  CHECK(store.status().code() == StatusCode::kDataLoss);
  CHECK(store.status().message().find("version 99 is newer") != std::string::npos);
}

TEST_CASE("a file that is not a SQLite database is kDataLoss", "[store][migration]") {
  TempDbPath file;
  {
    std::ofstream out(file.path(), std::ios::binary);
    for (int i = 0; i < 256; ++i) out << "this is not a database, just text. ";
  }
  Result<std::unique_ptr<Store>> store = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kDataLoss);
  INFO(store.status().ToString());
  // The file is left alone.
  std::ifstream in(file.path(), std::ios::binary);
  std::string head(9, '\0');
  in.read(head.data(), 9);
  CHECK(head == "this is n");
}

TEST_CASE("another program's SQLite database is refused and left untouched", "[store][migration]") {
  TempDbPath file;
  STORE_REQUIRE_OK(Raw(file.path())->ExecScript("CREATE TABLE theirs (x INTEGER)"));
  Result<std::unique_ptr<Store>> store = bulwark::OpenSqliteStore({.path = file.path()});
  CHECK(store.status().code() == StatusCode::kFailedPrecondition);
  CHECK(QueryInt(file.path(), "SELECT count(*) FROM sqlite_master WHERE name = 'tenants'") == 0);

  STORE_REQUIRE_OK(Raw(file.path())->ExecScript("PRAGMA application_id = 42"));
  store = bulwark::OpenSqliteStore({.path = file.path()});
  CHECK(store.status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("a failing migration step leaves the file at the version before it",
          "[store][migration]") {
  TempDbPath file;
  const int current = static_cast<int>(DefaultMigrations().size());
  REQUIRE_OK(bulwark::OpenSqliteStore({.path = file.path()}));

  std::vector<Migration> broken(DefaultMigrations().begin(), DefaultMigrations().end());
  broken.push_back({.version = current + 1,
                    .description = "test: half-done step",
                    .sql = "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;"});
  Result<std::unique_ptr<Store>> store = OpenSqliteStore({.path = file.path()}, broken);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message().find("schema migration to version " +
                                      std::to_string(current + 1)) != std::string::npos);
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == current);
  CHECK(QueryInt(file.path(), "SELECT count(*) FROM sqlite_master WHERE name = 'half'") == 0);
  CHECK_OK(bulwark::OpenSqliteStore({.path = file.path()}));
}

TEST_CASE("migration lists must be numbered 1, 2, 3, ...", "[store][migration]") {
  const Migration gap[] = {{.version = 2, .description = "gap", .sql = "SELECT 1;"}};
  CHECK(OpenSqliteStore({.path = ":memory:"}, gap).status().code() == StatusCode::kInternal);
}

TEST_CASE("a database in a directory that does not exist is kUnavailable", "[store][migration]") {
  TempDbPath file;
  Result<std::unique_ptr<Store>> store =
      bulwark::OpenSqliteStore({.path = file.path() + "/no/such/dir/bulwark.db"});
  CHECK(store.status().code() == StatusCode::kUnavailable);
}

TEST_CASE("store options are validated", "[store][migration]") {
  CHECK(bulwark::OpenSqliteStore({.path = ""}).status().code() == StatusCode::kInvalidArgument);
  CHECK(bulwark::OpenSqliteStore({.path = ":memory:", .max_read_connections = 0}).status().code() ==
        StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::internal::sqlite
