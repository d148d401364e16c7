// SPDX-License-Identifier: Apache-2.0
//
// Schema version 7: a login writes the last-login columns of the user and the registration,
// never their documents; every read sees the column when it is set, a write of the whole
// document takes over again, and files at version 6 migrate with their documents' values.
// Also the memo of decoded documents (decoded_memo.h), which a login leans on: it can never
// hand back a value for a document that has changed, whichever process changed it.
#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/decoded_memo.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "unit/store/old_schema_support.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::Insert;
using store_test::MakeApplication;
using store_test::MakeRegistration;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::QueryInt;
using store_test::Raw;
using store_test::TempDbPath;
using store_test::TestDb;

struct World {
  Tenant tenant = MakeTenant("t");
  Application app = MakeApplication(tenant, "app", {"admin", "user"});
  User ada = MakeUser(tenant, "ada@example.com", "ada");
  Registration registration = MakeRegistration(app, {"user", "admin"});

  World() {
    ada.last_login_instant = At(10);
    registration.last_login_instant = At(11);
  }
  void Populate(Store& store) const {
    STORE_REQUIRE_OK(Insert(store, tenant));
    STORE_REQUIRE_OK(Insert(store, app));
    STORE_REQUIRE_OK(Insert(store, ada));
    STORE_REQUIRE_OK(Insert(store, ada.id, registration));
  }
};

void RecordLogin(Store& store, UserId user, std::optional<ApplicationId> app, Instant at) {
  WriteBatch login;
  login.RecordLoginOf(user, app, at);
  STORE_REQUIRE_OK(store.Apply(login));
}

TEST_CASE("a login's last-login instants are columns that every read sees", "[store][login]") {
  TestDb db(Backend::kFile);
  auto store = db.Open();
  World w;
  w.Populate(*store);
  CHECK(store->users().Get(w.ada.id)->last_login_instant == At(10));
  CHECK(store->registrations().Get(w.ada.id, w.app.id)->last_login_instant == At(11));

  const std::string doc_before = REQUIRE_VALUE(Raw(db.path())->QueryText("SELECT doc FROM users"));
  RecordLogin(*store, w.ada.id, w.app.id, At(500));
  // The document is not rewritten; the column holds the login.
  CHECK(REQUIRE_VALUE(Raw(db.path())->QueryText("SELECT doc FROM users")) == doc_before);
  CHECK(QueryInt(db.path(), "SELECT last_login_instant FROM users") == ToEpochMillis(At(500)));

  // Every way of reading the user and the registration sees it.
  CHECK(store->users().Get(w.ada.id)->last_login_instant == At(500));
  CHECK(store->users().FindByEmail(w.tenant.id, "ADA@example.com")->last_login_instant == At(500));
  CHECK(store->users().FindByUsername(w.tenant.id, "ada")->last_login_instant == At(500));
  const Registration read = REQUIRE_VALUE(store->registrations().Get(w.ada.id, w.app.id));
  CHECK(read.last_login_instant == At(500));
  CHECK(read.roles == std::vector<std::string>{"user", "admin"});  // in their order
  const std::vector<Registration> all = REQUIRE_VALUE(store->registrations().ListByUser(w.ada.id));
  REQUIRE(all.size() == 1);
  CHECK(all[0].last_login_instant == At(500));
  CHECK(all[0].roles == std::vector<std::string>{"user", "admin"});

  // Another connection to the file, as another process would have, sees it too.
  auto other = db.Open();
  CHECK(other->users().Get(w.ada.id)->last_login_instant == At(500));
}

TEST_CASE("a write of the whole document takes the last login back from the column",
          "[store][login]") {
  TestDb db(Backend::kMemory);
  auto store = db.Open();
  World w;
  w.Populate(*store);
  RecordLogin(*store, w.ada.id, w.app.id, At(500));

  SECTION("an update that keeps the instant it read keeps the login") {
    User user = REQUIRE_VALUE(store->users().Get(w.ada.id));
    user.first_name = "Augusta";
    WriteBatch update;
    update.Update(user);
    STORE_REQUIRE_OK(store->Apply(update));
    const User after = REQUIRE_VALUE(store->users().Get(w.ada.id));
    CHECK(after.first_name == "Augusta");
    CHECK(after.last_login_instant == At(500));
    // A later login still wins over the document.
    RecordLogin(*store, w.ada.id, std::nullopt, At(600));
    CHECK(store->users().Get(w.ada.id)->last_login_instant == At(600));
  }
  SECTION("an update that sets another instant is what is read back") {
    User user = REQUIRE_VALUE(store->users().Get(w.ada.id));
    user.last_login_instant = At(42);
    Registration registration = REQUIRE_VALUE(store->registrations().Get(w.ada.id, w.app.id));
    registration.last_login_instant = At(43);
    WriteBatch update;
    update.Update(user);
    update.Update(w.ada.id, registration);
    STORE_REQUIRE_OK(store->Apply(update));
    CHECK(store->users().Get(w.ada.id)->last_login_instant == At(42));
    CHECK(store->registrations().Get(w.ada.id, w.app.id)->last_login_instant == At(43));
  }
  SECTION("a patch keeps the login it read") {
    WriteBatch patch;
    patch.Add(WriteBatch::PatchUser{.user_id = w.ada.id, .members = {{"firstName", "Augusta"}}});
    STORE_REQUIRE_OK(store->Apply(patch));
    const User after = REQUIRE_VALUE(store->users().Get(w.ada.id));
    CHECK(after.first_name == "Augusta");
    CHECK(after.last_login_instant == At(500));
  }
  SECTION("a login refused by its precondition leaves the columns alone") {
    WriteBatch stale;
    stale.RequireHash(w.ada.id, "not-the-hash");
    stale.RecordLoginOf(w.ada.id, w.app.id, At(700));
    CHECK(store->Apply(stale).code() == StatusCode::kAborted);
    CHECK(store->users().Get(w.ada.id)->last_login_instant == At(500));
    CHECK(store->registrations().Get(w.ada.id, w.app.id)->last_login_instant == At(500));
  }
}

TEST_CASE("a version-6 file migrates to version 7 and keeps its documents' last logins",
          "[store][migration][login]") {
  TempDbPath file;
  World w;
  {
    Result<std::unique_ptr<Store>> v6 = internal::sqlite::OpenSqliteStore(
        {.path = file.path()}, internal::sqlite::DefaultMigrations().subspan(0, 6));
    REQUIRE_OK(v6);
    CHECK((*v6)->SchemaVersion() == 6);
    w.Populate(**v6);
  }
  Result<std::unique_ptr<Store>> v7 = internal::sqlite::OpenSqliteStore(
      {.path = file.path()}, internal::sqlite::DefaultMigrations().subspan(0, 7));
  REQUIRE_OK(v7);
  Store& store = **v7;
  CHECK(store.SchemaVersion() == 7);
  CHECK(QueryInt(file.path(), "SELECT count(*) FROM users WHERE last_login_instant IS NULL") == 1);
  CHECK(QueryInt(file.path(),
                 "SELECT count(*) FROM sqlite_master WHERE name = "
                 "'registration_roles_position'") == 1);
  CHECK(store.users().Get(w.ada.id)->last_login_instant == At(10));
  const Registration registration = REQUIRE_VALUE(store.registrations().Get(w.ada.id, w.app.id));
  CHECK(registration.last_login_instant == At(11));
  CHECK(registration.roles == std::vector<std::string>{"user", "admin"});
  RecordLogin(store, w.ada.id, w.app.id, At(800));
  CHECK(store.users().Get(w.ada.id)->last_login_instant == At(800));
  CHECK(store.registrations().Get(w.ada.id, w.app.id)->last_login_instant == At(800));
}

TEST_CASE("a changed document is read as changed, whoever changed it", "[store][memo]") {
  TestDb db(Backend::kFile);
  auto reader = db.Open();
  auto writer = db.Open();  // another Store on the file, as another process
  World w;
  w.Populate(*writer);
  CHECK(reader->users().Get(w.ada.id)->first_name == "Ada");  // now remembered
  User user = REQUIRE_VALUE(writer->users().Get(w.ada.id));
  user.first_name = "Augusta";
  WriteBatch update;
  update.Update(user);
  STORE_REQUIRE_OK(writer->Apply(update));
  CHECK(reader->users().Get(w.ada.id)->first_name == "Augusta");
  // And back: a document that reverts to earlier text decodes to the earlier value.
  user.first_name = "Ada";
  WriteBatch revert;
  revert.Update(user);
  STORE_REQUIRE_OK(writer->Apply(revert));
  CHECK(reader->users().Get(w.ada.id)->first_name == "Ada");
}

TEST_CASE("a login's hash check reads the current hash, not a remembered one", "[store][memo]") {
  TestDb db(Backend::kFile);
  auto reader = db.Open();
  auto writer = db.Open();  // another Store on the file, as another process
  World w;
  w.Populate(*writer);
  const User before = REQUIRE_VALUE(reader->users().Get(w.ada.id));  // remembered now
  // The hash this login checked is still the user's: the session opens.
  WriteBatch ok;
  ok.RequireHash(w.ada.id, before.password_hash.hash);
  STORE_CHECK_OK(reader->Apply(ok));
  // Another process changes the password; the remembered document is stale by text.
  User changed = before;
  changed.password_hash.hash = "a-different-hash";
  WriteBatch update;
  update.Update(changed);
  STORE_REQUIRE_OK(writer->Apply(update));
  WriteBatch stale;
  stale.RequireHash(w.ada.id, before.password_hash.hash);
  CHECK(reader->Apply(stale).code() == StatusCode::kAborted);
  WriteBatch fresh;
  fresh.RequireHash(w.ada.id, "a-different-hash");
  STORE_CHECK_OK(reader->Apply(fresh));
}

TEST_CASE("the decoded-document memo answers only for the exact text", "[store][memo]") {
  // One slot: every text collides.
  internal::sqlite::DecodedMemo<std::string, 1, 1> memo;
  CHECK_FALSE(memo.Find("a").has_value());
  memo.Remember("a", "decoded a");
  CHECK(memo.Find("a") == std::optional<std::string>("decoded a"));
  CHECK_FALSE(memo.Find("b").has_value());
  CHECK_FALSE(memo.Find("a ").has_value());
  memo.Remember("b", "decoded b");
  CHECK_FALSE(memo.Find("a").has_value());
  CHECK(memo.Find("b") == std::optional<std::string>("decoded b"));
  // Peek reads the remembered value in place, and answers only for the exact text too.
  CHECK(memo.Peek("b", [](const std::string& v) { return v.size(); }) ==
        std::optional<std::size_t>(9));
  CHECK_FALSE(memo.Peek("a", [](const std::string& v) { return v.size(); }).has_value());
  // Texts longer than the limit are never kept.
  const std::string huge(internal::sqlite::DecodedMemo<std::string>::kMaxText + 1, 'x');
  internal::sqlite::DecodedMemo<std::string> big;
  big.Remember(huge, "value");
  CHECK_FALSE(big.Find(huge).has_value());
}

TEST_CASE("the decoded-document memo is safe for concurrent callers", "[store][memo][threads]") {
  internal::sqlite::DecodedMemo<std::string, 8, 2> memo;  // small: slots are fought over
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&memo, &wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string text = "doc-" + std::to_string((i * 7 + t) % 37);
        if (std::optional<std::string> found = memo.Find(text)) {
          if (*found != "value of " + text) ++wrong;
        } else {
          memo.Remember(text, "value of " + text);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong.load() == 0);
}

TEST_CASE("a prepared statement is found by its text, not by where the text lives",
          "[store][sqlite]") {
  std::unique_ptr<internal::sqlite::Connection> connection = Raw(":memory:");
  std::string sql = "SELECT 1";
  {
    Result<internal::sqlite::ScopedStatement> one = connection->Prepare(sql);
    REQUIRE_OK(one);
    REQUIRE(REQUIRE_VALUE((*one)->Step()));
    CHECK((*one)->ColumnInt64(0) == 1);
  }
  sql[7] = '2';  // the same buffer, other text
  {
    Result<internal::sqlite::ScopedStatement> two = connection->Prepare(sql);
    REQUIRE_OK(two);
    REQUIRE(REQUIRE_VALUE((*two)->Step()));
    CHECK((*two)->ColumnInt64(0) == 2);
  }
  sql[7] = '1';
  Result<internal::sqlite::ScopedStatement> again = connection->Prepare(sql);
  REQUIRE_OK(again);
  REQUIRE(REQUIRE_VALUE((*again)->Step()));
  CHECK((*again)->ColumnInt64(0) == 1);
}

}  // namespace
}  // namespace bulwark
