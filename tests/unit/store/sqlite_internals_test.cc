// SPDX-License-Identifier: Apache-2.0
//
// The private SQLite layer: statements, the statement cache, transactions, error mapping,
// the connection pool and the constraint -> field-error table.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/batch_writer.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/error.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/statement.h"
#include "store/sqlite/transaction.h"
#include "unit/store/store_test_support.h"

namespace bulwark::internal::sqlite {
namespace {

using store_test::TempDbPath;

std::unique_ptr<Connection> OpenConnection(const std::string& path,
                                           ConnectionOptions options = {}) {
  Result<std::unique_ptr<Connection>> connection = Connection::Open(path, options);
  REQUIRE_OK(connection);
  return REQUIRE_VALUE(std::move(connection));
}

std::int64_t CountRows(Connection& connection) {
  Result<std::int64_t> n = connection.QueryInt64("SELECT count(*) FROM t");
  REQUIRE_OK(n);
  return *n;
}

bool AnyStatementBusy(Connection& connection) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(connection.handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(connection.handle(), s)) {
    if (sqlite3_stmt_busy(s) != 0) return true;
  }
  return false;
}

TEST_CASE("statements bind, step and read columns", "[store][sqlite]") {
  auto connection = OpenConnection(":memory:");
  STORE_REQUIRE_OK(connection->ExecScript("CREATE TABLE t (id BLOB, name TEXT, n INTEGER)"));

  const Uuid id = store_test::NextUuid();
  const std::string doc = "a document bound without a copy";
  {
    Result<ScopedStatement> insert = connection->Prepare("INSERT INTO t VALUES (?1, ?2, ?3)");
    REQUIRE_OK(insert);
    STORE_REQUIRE_OK(Bind(**insert, TenantId(id), NoCopyText{doc}, std::int64_t{42}));
    STORE_REQUIRE_OK((*insert)->Run());
  }
  Result<ScopedStatement> select = connection->Prepare("SELECT id, name, n, NULL FROM t");
  REQUIRE_OK(select);
  Result<bool> row = (*select)->Step();
  REQUIRE_OK(row);
  REQUIRE(*row);
  Result<Uuid> read_id = (*select)->ColumnUuid(0);
  REQUIRE_OK(read_id);
  CHECK(*read_id == id);
  CHECK((*select)->ColumnText(1) == doc);
  CHECK((*select)->ColumnInt64(2) == 42);
  CHECK((*select)->IsNull(3));
  CHECK((*select)->ColumnUuid(1).status().code() == StatusCode::kDataLoss);
  row = (*select)->Step();
  REQUIRE_OK(row);
  CHECK_FALSE(*row);
}

TEST_CASE("the statement cache hands out one reset statement per SQL text", "[store][sqlite]") {
  auto connection = OpenConnection(":memory:");
  STORE_REQUIRE_OK(
      connection->ExecScript("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2);"));
  constexpr std::string_view kSql = "SELECT n FROM t ORDER BY n";
  Statement* first = nullptr;
  {
    Result<ScopedStatement> statement = connection->Prepare(kSql);
    REQUIRE_OK(statement);
    first = &**statement;
    REQUIRE(REQUIRE_VALUE((*statement)->Step()));
    CHECK(AnyStatementBusy(*connection));
    // Half-read: the scope's end must reset it, or the read would stay open.
  }
  CHECK_FALSE(AnyStatementBusy(*connection));
  Result<ScopedStatement> again = connection->Prepare(kSql);
  REQUIRE_OK(again);
  CHECK(&**again == first);
  REQUIRE(REQUIRE_VALUE((*again)->Step()));
  CHECK((*again)->ColumnInt64(0) == 1);  // starts from the first row again
}

TEST_CASE("preparing bad SQL is an internal error, never a crash", "[store][sqlite]") {
  auto connection = OpenConnection(":memory:");
  CHECK(connection->Prepare("SELEKT 1").status().code() == StatusCode::kInternal);
  CHECK(connection->Prepare("SELECT 1; SELECT 2").status().code() == StatusCode::kInternal);
  CHECK(connection->Prepare("   ").status().code() == StatusCode::kInternal);
  CHECK(connection->Prepare("SELECT 1; -- trailing comment").ok());
  CHECK(connection->ExecScript("CREATE TABLE t (n); CREATE TABLE t (n);").code() ==
        StatusCode::kInternal);
}

TEST_CASE("connections enforce foreign keys", "[store][sqlite]") {
  auto connection = OpenConnection(":memory:");
  STORE_REQUIRE_OK(
      connection->ExecScript("CREATE TABLE p (id INTEGER PRIMARY KEY);"
                             "CREATE TABLE c (p INTEGER REFERENCES p (id));"));
  Result<ScopedStatement> insert = connection->Prepare("INSERT INTO c VALUES (7)");
  REQUIRE_OK(insert);
  Status status = (*insert)->Run();
  CHECK_FALSE(status.ok());
  CHECK((*insert)->last_error() == SQLITE_CONSTRAINT_FOREIGNKEY);
  CHECK((*insert)->last_error_message() == "FOREIGN KEY constraint failed");
}

TEST_CASE("a transaction rolls back unless committed", "[store][sqlite]") {
  auto connection = OpenConnection(":memory:");
  STORE_REQUIRE_OK(connection->ExecScript("CREATE TABLE t (n INTEGER)"));

  SECTION("destroyed without commit: nothing stays") {
    {
      Result<Transaction> txn = Transaction::Begin(*connection, TransactionKind::kImmediate);
      REQUIRE_OK(txn);
      STORE_REQUIRE_OK(connection->ExecScript("INSERT INTO t VALUES (1)"));
      CHECK(connection->InTransaction());
    }
    CHECK_FALSE(connection->InTransaction());
    CHECK(CountRows(*connection) == 0);
  }
  SECTION("committed: the rows stay, and a second commit is refused") {
    Result<Transaction> txn = Transaction::Begin(*connection, TransactionKind::kDeferred);
    REQUIRE_OK(txn);
    STORE_REQUIRE_OK(connection->ExecScript("INSERT INTO t VALUES (1)"));
    STORE_REQUIRE_OK(txn->Commit());
    CHECK(txn->Commit().code() == StatusCode::kInternal);
    CHECK(CountRows(*connection) == 1);
  }
  SECTION("nested transactions are refused") {
    Result<Transaction> outer = Transaction::Begin(*connection, TransactionKind::kImmediate);
    REQUIRE_OK(outer);
    CHECK(Transaction::Begin(*connection, TransactionKind::kImmediate).status().code() ==
          StatusCode::kInternal);
  }
  SECTION("a moved-from transaction does not roll back twice") {
    Result<Transaction> txn = Transaction::Begin(*connection, TransactionKind::kImmediate);
    REQUIRE_OK(txn);
    STORE_REQUIRE_OK(connection->ExecScript("INSERT INTO t VALUES (1)"));
    Transaction moved(REQUIRE_VALUE(std::move(txn)));
    STORE_REQUIRE_OK(moved.Commit());
    CHECK(CountRows(*connection) == 1);
  }
}

TEST_CASE("a write lock held beyond the busy timeout is kUnavailable", "[store][sqlite]") {
  TempDbPath file;
  auto holder = OpenConnection(file.path());
  STORE_REQUIRE_OK(holder->ExecScript("PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER);"));
  auto waiter = OpenConnection(file.path(), {.busy_timeout = std::chrono::milliseconds(0)});

  Result<Transaction> held = Transaction::Begin(*holder, TransactionKind::kImmediate);
  REQUIRE_OK(held);
  Result<Transaction> blocked = Transaction::Begin(*waiter, TransactionKind::kImmediate);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.status().code() == StatusCode::kUnavailable);
  CHECK_FALSE(waiter->InTransaction());
  STORE_REQUIRE_OK(held->Commit());
  Result<Transaction> free = Transaction::Begin(*waiter, TransactionKind::kImmediate);
  CHECK_OK(free);
}

TEST_CASE("query-only connections refuse writes", "[store][sqlite]") {
  TempDbPath file;
  auto writer = OpenConnection(file.path());
  STORE_REQUIRE_OK(writer->ExecScript("CREATE TABLE t (n INTEGER)"));
  auto reader = OpenConnection(file.path(), {.query_only = true});
  Status status = reader->ExecScript("INSERT INTO t VALUES (1)");
  CHECK_FALSE(status.ok());
  CHECK(CountRows(*reader) == 0);
}

TEST_CASE("SQLite result codes map to bulwark codes", "[store][sqlite]") {
  CHECK(StatusCodeForSqlite(SQLITE_BUSY) == StatusCode::kUnavailable);
  CHECK(StatusCodeForSqlite(SQLITE_BUSY_SNAPSHOT) == StatusCode::kUnavailable);
  CHECK(StatusCodeForSqlite(SQLITE_LOCKED) == StatusCode::kUnavailable);
  CHECK(StatusCodeForSqlite(SQLITE_IOERR_FSYNC) == StatusCode::kUnavailable);
  CHECK(StatusCodeForSqlite(SQLITE_FULL) == StatusCode::kUnavailable);
  CHECK(StatusCodeForSqlite(SQLITE_CANTOPEN) == StatusCode::kUnavailable);
  CHECK(StatusCodeForSqlite(SQLITE_CORRUPT) == StatusCode::kDataLoss);
  CHECK(StatusCodeForSqlite(SQLITE_NOTADB) == StatusCode::kDataLoss);
  CHECK(StatusCodeForSqlite(SQLITE_NOMEM) == StatusCode::kResourceExhausted);
  CHECK(StatusCodeForSqlite(SQLITE_MISUSE) == StatusCode::kInternal);
  CHECK(StatusCodeForSqlite(SQLITE_CONSTRAINT_UNIQUE) == StatusCode::kInternal);

  Status status = StatusFromSqlite(SQLITE_BUSY, nullptr, "cannot begin");
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message().find("cannot begin: database is locked") == 0);
}

TEST_CASE("backstop constraint failures map to the documented field errors", "[store][sqlite]") {
  struct Case {
    const char* message;
    const char* path;
  };
  const Case cases[] = {
      {"UNIQUE constraint failed: tenants.id", "tenant.id"},
      {"UNIQUE constraint failed: tenants.name", "tenant.name"},
      {"UNIQUE constraint failed: applications.id", "application.id"},
      {"UNIQUE constraint failed: application_roles.id", "role.id"},
      {"UNIQUE constraint failed: application_roles.application_id, application_roles.name",
       "role.name"},
      {"UNIQUE constraint failed: users.id", "user.id"},
      {"UNIQUE constraint failed: users.tenant_id, users.email_lower", "user.email"},
      {"UNIQUE constraint failed: users.tenant_id, users.username_lower", "user.username"},
      {"UNIQUE constraint failed: registrations.id", "registration.id"},
      {"UNIQUE constraint failed: registrations.user_id, registrations.application_id",
       "registration"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    Status status =
        MapConstraintViolation(SQLITE_CONSTRAINT_UNIQUE, c.message, ForeignKeyMeaning::kNone);
    CHECK(status.code() == StatusCode::kAlreadyExists);
    CHECK(status.errors().HasField("duplicate", c.path));
  }
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_PRIMARYKEY, "UNIQUE constraint failed: users.id",
                               ForeignKeyMeaning::kNone)
            .errors()
            .HasField("duplicate", "user.id"));

  const std::string fk = "FOREIGN KEY constraint failed";
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_FOREIGNKEY, fk, ForeignKeyMeaning::kUserTenant)
            .errors()
            .HasField("invalid", "user.tenantId"));
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_FOREIGNKEY, fk,
                               ForeignKeyMeaning::kApplicationTenant)
            .errors()
            .HasField("invalid", "application.tenantId"));
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_FOREIGNKEY, fk,
                               ForeignKeyMeaning::kRegistrationParent)
            .errors()
            .HasField("invalid", "registration.applicationId"));
  CHECK(
      MapConstraintViolation(SQLITE_CONSTRAINT_FOREIGNKEY, fk, ForeignKeyMeaning::kRegistrationRole)
          .errors()
          .HasField("invalid", "registration.roles"));
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_FOREIGNKEY, fk, ForeignKeyMeaning::kDefaultTenant)
            .code() == StatusCode::kFailedPrecondition);
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_FOREIGNKEY, fk, ForeignKeyMeaning::kNone).code() ==
        StatusCode::kInternal);
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: other.x",
                               ForeignKeyMeaning::kNone)
            .code() == StatusCode::kInternal);
  CHECK(MapConstraintViolation(SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: length(id)",
                               ForeignKeyMeaning::kNone)
            .code() == StatusCode::kInternal);
}

TEST_CASE("the schema's UNIQUE indexes produce the messages the backstop expects",
          "[store][sqlite]") {
  // Bypasses the store's checks to trip each index for real.
  auto connection = OpenConnection(":memory:");
  STORE_REQUIRE_OK(Migrate(*connection, DefaultMigrations()));
  const TenantId tenant = store_test::NewId<TenantId>();
  const UserId user1 = store_test::NewId<UserId>();
  const UserId user2 = store_test::NewId<UserId>();
  auto run = [&](std::string_view sql, auto... args) -> Status {
    Result<ScopedStatement> statement = connection->Prepare(sql);
    if (!statement.ok()) return statement.status();
    BULWARK_RETURN_IF_ERROR(Bind(**statement, args...));
    Status status = (*statement)->Run();
    if (status.ok()) return status;
    return MapConstraintViolation((*statement)->last_error(), (*statement)->last_error_message(),
                                  ForeignKeyMeaning::kUserTenant);
  };
  constexpr std::string_view kTenant = "INSERT INTO tenants (id, name, doc) VALUES (?1, ?2, '{}')";
  constexpr std::string_view kUser =
      "INSERT INTO users (id, tenant_id, email_lower, username_lower, doc) "
      "VALUES (?1, ?2, ?3, ?4, '{}')";
  STORE_REQUIRE_OK(run(kTenant, tenant, std::string_view("t")));
  CHECK(run(kTenant, store_test::NewId<TenantId>(), std::string_view("t"))
            .errors()
            .HasField("duplicate", "tenant.name"));
  STORE_REQUIRE_OK(run(kUser, user1, tenant, std::string_view("a@x"), std::string_view("")));
  // Empty usernames do not collide.
  STORE_REQUIRE_OK(run(kUser, user2, tenant, std::string_view("b@x"), std::string_view("")));
  CHECK(run(kUser, store_test::NewId<UserId>(), tenant, std::string_view("a@x"),
            std::string_view("c"))
            .errors()
            .HasField("duplicate", "user.email"));
  CHECK(run(kUser, user1, tenant, std::string_view("z@x"), std::string_view(""))
            .errors()
            .HasField("duplicate", "user.id"));
  CHECK(run(kUser, store_test::NewId<UserId>(), store_test::NewId<TenantId>(),
            std::string_view("q@x"), std::string_view(""))
            .errors()
            .HasField("invalid", "user.tenantId"));
}

TEST_CASE("the read pool reuses connections and never exceeds its size", "[store][sqlite]") {
  TempDbPath file;
  Result<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Open(
      {.path = file.path(), .busy_timeout = std::chrono::seconds(1), .max_readers = 2},
      DefaultMigrations());
  REQUIRE_OK(pool);
  REQUIRE_FALSE((*pool)->in_memory());
  Connection* first = nullptr;
  {
    Result<ConnectionPool::ReadLease> a = (*pool)->AcquireReader();
    Result<ConnectionPool::ReadLease> b = (*pool)->AcquireReader();
    REQUIRE_OK(a);
    REQUIRE_OK(b);
    CHECK(&a->connection() != &b->connection());
    first = &a->connection();
    // Readers are query-only.
    CHECK_FALSE(a->connection().ExecScript("DELETE FROM tenants").ok());
  }
  Result<ConnectionPool::ReadLease> c = (*pool)->AcquireReader();
  REQUIRE_OK(c);
  Result<ConnectionPool::ReadLease> d = (*pool)->AcquireReader();
  REQUIRE_OK(d);
  CHECK((&c->connection() == first || &d->connection() == first));
  // The writer is separate and writable.
  ConnectionPool::WriteLease writer = (*pool)->LockWriter();
  CHECK(&writer.connection() != &c->connection());
  CHECK(&writer.connection() != &d->connection());
}

TEST_CASE("an in-memory pool reads through its single connection", "[store][sqlite]") {
  Result<std::unique_ptr<ConnectionPool>> pool =
      ConnectionPool::Open({.path = ":memory:", .max_readers = 4}, DefaultMigrations());
  REQUIRE_OK(pool);
  CHECK((*pool)->in_memory());
  Connection* reader = nullptr;
  {
    Result<ConnectionPool::ReadLease> lease = (*pool)->AcquireReader();
    REQUIRE_OK(lease);
    reader = &lease->connection();
  }
  CHECK(&(*pool)->LockWriter().connection() == reader);
}

TEST_CASE("pool options are validated", "[store][sqlite]") {
  CHECK(ConnectionPool::Open({.path = "", .max_readers = 1}, DefaultMigrations()).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(ConnectionPool::Open({.path = ":memory:", .max_readers = 0}, DefaultMigrations())
            .status()
            .code() == StatusCode::kInvalidArgument);
  CHECK(ConnectionPool::Open(
            {.path = ":memory:", .busy_timeout = std::chrono::milliseconds(-1), .max_readers = 1},
            DefaultMigrations())
            .status()
            .code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::internal::sqlite
