// SPDX-License-Identifier: Apache-2.0
//
// The SQLite store's keys, refresh tokens, user actions and failed logins (schema version 2):
// round trips, the uniqueness and parent rules of store.h, compare-and-swap rotation,
// filtered revocation and cascades.
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "unit/store/old_schema_support.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::BackendName;
using store_test::Insert;
using store_test::MakeApplication;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::NewId;
using store_test::TempDbPath;
using store_test::TestDb;

Key MakeHmacKey(std::string name, std::string kid) {
  Key key;
  key.id = NewId<KeyId>();
  key.name = std::move(name);
  key.kid = std::move(kid);
  key.algorithm = KeyAlgorithm::kHs256;
  key.type = KeyType::kHmac;
  key.secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==";
  key.insert_instant = At(1);
  return key;
}

RefreshToken MakeToken(const User& user, const Application* app, std::string stored,
                       std::int64_t at) {
  RefreshToken token;
  token.id = NewId<RefreshTokenId>();
  token.token = std::move(stored);
  token.user_id = user.id;
  token.tenant_id = user.tenant_id;
  if (app != nullptr) token.application_id = app->id;
  token.insert_instant = At(at);
  token.start_instant = At(at);
  token.meta_data.device.name = "laptop";
  return token;
}

Status Apply(Store& store, WriteBatch batch) { return store.Apply(batch); }

struct World {
  Tenant tenant = MakeTenant("t");
  Application app = MakeApplication(tenant, "app");
  Application other_app = MakeApplication(tenant, "other");
  User ada = MakeUser(tenant, "ada@example.com");
  User bob = MakeUser(tenant, "bob@example.com");

  void Populate(Store& store) {
    STORE_REQUIRE_OK(Insert(store, tenant));
    STORE_REQUIRE_OK(Insert(store, app));
    STORE_REQUIRE_OK(Insert(store, other_app));
    STORE_REQUIRE_OK(Insert(store, ada));
    STORE_REQUIRE_OK(Insert(store, bob));
  }
};

TEST_CASE("keys are stored with their secrets, found by id and kid, listed by name", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  Key b = MakeHmacKey("b key", "kid-b");
  Key a = MakeHmacKey("a key", "kid-a");
  a.private_key = "-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----\n";
  STORE_REQUIRE_OK(Apply(*store, [&] {
    WriteBatch batch;
    batch.Insert(b);
    batch.Insert(a);
    return batch;
  }()));
  Result<Key> got = store->keys().Get(a.id);
  REQUIRE_OK(got);
  CHECK(*got == a);  // private material included
  Result<Key> by_kid = store->keys().FindByKid("kid-b");
  REQUIRE_OK(by_kid);
  CHECK(by_kid->id == b.id);
  CHECK(store->keys().FindByKid("nope").status().code() == StatusCode::kNotFound);
  CHECK(store->keys().FindByKid("").status().code() == StatusCode::kNotFound);
  Result<std::vector<Key>> all = store->keys().List();
  REQUIRE_OK(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "a key");
  CHECK((*all)[1].name == "b key");

  SECTION("names and kids are unique; an empty kid never collides") {
    Key same_name = MakeHmacKey("a key", "kid-c");
    Status s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(same_name);
      return batch;
    }());
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "key.name"));
    Key same_kid = MakeHmacKey("c key", "kid-a");
    s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(same_kid);
      return batch;
    }());
    CHECK(s.errors().HasField("duplicate", "key.kid"));
    Key no_kid_1 = MakeHmacKey("d key", "");
    Key no_kid_2 = MakeHmacKey("e key", "");
    STORE_CHECK_OK(Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(no_kid_1);
      batch.Insert(no_kid_2);
      return batch;
    }()));
  }
  SECTION("update and delete") {
    a.name = "renamed";
    STORE_REQUIRE_OK(Apply(*store, [&] {
      WriteBatch batch;
      batch.Update(a);
      return batch;
    }()));
    CHECK(store->keys().Get(a.id)->name == "renamed");
    STORE_REQUIRE_OK(Apply(*store, [&] {
      WriteBatch batch;
      batch.Delete(a.id);
      return batch;
    }()));
    CHECK(store->keys().Get(a.id).status().code() == StatusCode::kNotFound);
    Status again = Apply(*store, [&] {
      WriteBatch batch;
      batch.Delete(a.id);
      return batch;
    }());
    CHECK(again.code() == StatusCode::kNotFound);
  }
}

TEST_CASE("refresh tokens round-trip and are found by stored value and by user", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  World w;
  w.Populate(*store);
  RefreshToken t2 = MakeToken(w.ada, &w.app, "digest-2", 20);
  RefreshToken t1 = MakeToken(w.ada, nullptr, "digest-1", 10);  // no application
  RefreshToken t3 = MakeToken(w.bob, &w.app, "digest-3", 5);
  STORE_REQUIRE_OK(Apply(*store, [&] {
    WriteBatch batch;
    batch.Insert(t2);
    batch.Insert(t1);
    batch.Insert(t3);
    return batch;
  }()));
  CHECK(*store->refresh_tokens().Get(t1.id) == t1);
  CHECK(*store->refresh_tokens().FindByToken("digest-2") == t2);
  CHECK(store->refresh_tokens().FindByToken("digest-9").status().code() == StatusCode::kNotFound);
  Result<std::vector<RefreshToken>> of_ada = store->refresh_tokens().ListByUser(w.ada.id);
  REQUIRE_OK(of_ada);
  REQUIRE(of_ada->size() == 2);
  CHECK((*of_ada)[0].id == t1.id);  // by insertInstant
  CHECK((*of_ada)[1].id == t2.id);

  SECTION("parents must exist and values are unique") {
    User ghost = MakeUser(w.tenant, "ghost@example.com");
    Status s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(MakeToken(ghost, nullptr, "digest-g", 1));
      return batch;
    }());
    CHECK(s.errors().HasField("invalid", "refreshToken.userId"));
    Application ghost_app = MakeApplication(w.tenant, "ghost");
    s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(MakeToken(w.ada, &ghost_app, "digest-g", 1));
      return batch;
    }());
    CHECK(s.errors().HasField("invalid", "refreshToken.applicationId"));
    s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(MakeToken(w.bob, nullptr, "digest-1", 1));
      return batch;
    }());
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "refreshToken.token"));
    s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Insert(MakeToken(w.bob, nullptr, "", 1));
      return batch;
    }());
    CHECK(s.errors().HasField("blank", "refreshToken.token"));
  }

  SECTION("rotation is a compare-and-swap on the stored value") {
    RefreshToken rotated = t2;
    rotated.token = "digest-2b";
    STORE_REQUIRE_OK(Apply(*store, [&] {
      WriteBatch batch;
      batch.Update(rotated, std::string("digest-2"));
      return batch;
    }()));
    CHECK(store->refresh_tokens().FindByToken("digest-2b")->id == t2.id);
    CHECK(store->refresh_tokens().FindByPreviousToken("digest-2").status().code() ==
          StatusCode::kNotFound);  // a plain update remembers nothing
    RefreshToken again = rotated;
    again.token = "digest-2r";
    WriteBatch rotate;
    rotate.Rotate(again, "digest-2b", At(500));
    STORE_REQUIRE_OK(store->Apply(rotate));
    Result<RotatedRefreshToken> old = store->refresh_tokens().FindByPreviousToken("digest-2b");
    REQUIRE_OK(old);
    CHECK(old->token.token == "digest-2r");
    CHECK(old->rotated_at == At(500));
    WriteBatch stale;
    stale.Rotate(again, "digest-2b", At(600));  // the old value is no longer current
    CHECK(store->Apply(stale).code() == StatusCode::kAborted);
    rotated = again;
    CHECK(store->refresh_tokens().FindByToken("digest-2").status().code() == StatusCode::kNotFound);
    // A second rotation from the old value loses.
    RefreshToken late = t2;
    late.token = "digest-2c";
    Status s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Update(late, std::string("digest-2"));
      return batch;
    }());
    CHECK(s.code() == StatusCode::kAborted);
    CHECK(store->refresh_tokens().Get(t2.id)->token == "digest-2r");
    // The owner cannot change.
    RefreshToken moved = rotated;
    moved.user_id = w.bob.id;
    s = Apply(*store, [&] {
      WriteBatch batch;
      batch.Update(moved);
      return batch;
    }());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    // Nor its application, nor its tenant.
    RefreshToken other_app = rotated;
    other_app.application_id = NewId<ApplicationId>();
    RefreshToken other_tenant = rotated;
    other_tenant.tenant_id = NewId<TenantId>();
    for (const RefreshToken* changed : {&other_app, &other_tenant}) {
      WriteBatch batch;
      batch.Update(*changed);
      CHECK_THAT(store->Apply(batch), testing::HasFieldError("invalid", "refreshToken.tenantId"));
    }
    // A new value another token holds is refused; keeping its own value is no collision.
    RefreshToken taken = rotated;
    taken.token = store->refresh_tokens().Get(t1.id)->token;
    WriteBatch duplicate;
    duplicate.Update(taken);
    CHECK(store->Apply(duplicate).code() == StatusCode::kAlreadyExists);
    WriteBatch same;
    same.Update(rotated);
    STORE_CHECK_OK(store->Apply(same));
  }

  SECTION("revocation by id, user, application and both") {
    WriteBatch by_app;
    by_app.DeleteRefreshTokensOf(w.ada.id, w.app.id);
    STORE_REQUIRE_OK(store->Apply(by_app));
    CHECK(store->refresh_tokens().ListByUser(w.ada.id)->size() == 1);
    CHECK(store->refresh_tokens().ListByUser(w.bob.id)->size() == 1);
    WriteBatch app_wide;
    app_wide.DeleteRefreshTokensOf(std::nullopt, w.app.id);
    STORE_REQUIRE_OK(store->Apply(app_wide));
    CHECK(store->refresh_tokens().ListByUser(w.bob.id)->empty());
    WriteBatch user_wide;
    user_wide.DeleteRefreshTokensOf(w.ada.id, std::nullopt);
    STORE_REQUIRE_OK(store->Apply(user_wide));
    CHECK(store->refresh_tokens().ListByUser(w.ada.id)->empty());
    WriteBatch unfiltered;
    unfiltered.DeleteRefreshTokensOf(std::nullopt, std::nullopt);
    CHECK(store->Apply(unfiltered).code() == StatusCode::kInvalidArgument);
    WriteBatch missing;
    missing.Delete(t1.id);
    CHECK(store->Apply(missing).code() == StatusCode::kNotFound);
  }

  SECTION("deleting a user or an application removes its tokens") {
    WriteBatch batch;
    batch.Delete(w.app.id);
    STORE_REQUIRE_OK(store->Apply(batch));
    CHECK(store->refresh_tokens().Get(t2.id).status().code() == StatusCode::kNotFound);
    CHECK_OK(store->refresh_tokens().Get(t1.id));
    WriteBatch user;
    user.Delete(w.ada.id);
    STORE_REQUIRE_OK(store->Apply(user));
    CHECK(store->refresh_tokens().Get(t1.id).status().code() == StatusCode::kNotFound);
  }
}

TEST_CASE("concurrent rotations of one refresh token: exactly one wins", "[store][concurrency]") {
  TestDb db(Backend::kFile);
  auto store = db.Open();
  World w;
  w.Populate(*store);
  RefreshToken token = MakeToken(w.ada, &w.app, "digest-0", 1);
  WriteBatch insert;
  insert.Insert(token);
  STORE_REQUIRE_OK(store->Apply(insert));

  constexpr int kThreads = 6;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      RefreshToken next = token;
      next.token = "digest-next-" + std::to_string(i);
      WriteBatch batch;
      batch.Update(next, std::string("digest-0"));
      results[i] = store->Apply(batch);
    });
  }
  for (std::thread& t : threads) t.join();
  int won = 0;
  for (const Status& s : results) {
    if (s.ok()) {
      ++won;
    } else {
      CHECK(s.code() == StatusCode::kAborted);
    }
  }
  CHECK(won == 1);
}

TEST_CASE("user actions in force come in creation order, ties in insertion order", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  World w;
  w.Populate(*store);

  auto action = [&](std::optional<int> created) {
    UserActionLog a;
    a.id = NewId<UserActionLogId>();
    a.actionee_user_id = w.ada.id;
    a.name = "Manual lock";
    if (created.has_value()) a.create_instant = At(*created);
    return a;
  };
  const UserActionLog third = action(300);
  const UserActionLog first = action(100);
  const UserActionLog second_a = action(200);
  const UserActionLog second_b = action(200);
  const UserActionLog undated = action(std::nullopt);  // NULL sorts before any instant
  WriteBatch batch;
  for (const UserActionLog& a : {third, first, second_a, second_b, undated}) batch.Insert(a);
  STORE_REQUIRE_OK(store->Apply(batch));

  Result<std::vector<UserActionLog>> listed = store->user_actions().ListInForce(w.ada.id, At(0));
  REQUIRE_OK(listed);
  REQUIRE(listed->size() == 5);
  CHECK((*listed)[0].id == undated.id);
  CHECK((*listed)[1].id == first.id);
  CHECK((*listed)[2].id == second_a.id);
  CHECK((*listed)[3].id == second_b.id);
  CHECK((*listed)[4].id == third.id);
}

TEST_CASE("user actions in force and failed-login counts", "[store]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  World w;
  w.Populate(*store);

  UserActionLog lock;
  lock.id = NewId<UserActionLogId>();
  lock.actionee_user_id = w.ada.id;
  lock.name = "Failed authentication";
  lock.create_instant = At(100);
  lock.expiry = At(1000);
  UserActionLog forever = lock;
  forever.id = NewId<UserActionLogId>();
  forever.create_instant = At(200);
  forever.expiry.reset();
  WriteBatch batch;
  batch.Insert(lock);
  batch.Insert(forever);
  batch.RecordFailedLogin(w.ada.id, At(10));
  batch.RecordFailedLogin(w.ada.id, At(20));
  batch.RecordFailedLogin(w.ada.id, At(30));
  batch.RecordFailedLogin(w.bob.id, At(30));
  STORE_REQUIRE_OK(store->Apply(batch));

  Result<std::vector<UserActionLog>> early = store->user_actions().ListInForce(w.ada.id, At(999));
  REQUIRE_OK(early);
  REQUIRE(early->size() == 2);
  CHECK((*early)[0] == lock);
  CHECK((*early)[1] == forever);
  Result<std::vector<UserActionLog>> late = store->user_actions().ListInForce(w.ada.id, At(1000));
  REQUIRE_OK(late);
  REQUIRE(late->size() == 1);  // expiry is exclusive
  CHECK((*late)[0].id == forever.id);
  CHECK(store->user_actions().ListInForce(w.bob.id, At(0))->empty());

  CHECK(*store->user_actions().CountLoginFailuresSince(w.ada.id, At(0)) == 3);
  CHECK(*store->user_actions().CountLoginFailuresSince(w.ada.id, At(20)) == 2);
  CHECK(*store->user_actions().CountLoginFailuresSince(w.ada.id, At(31)) == 0);
  WriteBatch clear;
  clear.ClearFailedLogins(w.ada.id);
  clear.Delete(forever.id);
  STORE_REQUIRE_OK(store->Apply(clear));
  CHECK(*store->user_actions().CountLoginFailuresSince(w.ada.id, At(0)) == 0);
  CHECK(*store->user_actions().CountLoginFailuresSince(w.bob.id, At(0)) == 1);
  CHECK(store->user_actions().ListInForce(w.ada.id, At(2000))->empty());

  User ghost = MakeUser(w.tenant, "ghost@example.com");
  WriteBatch orphan;
  orphan.RecordFailedLogin(ghost.id, At(1));
  CHECK(store->Apply(orphan).errors().HasField("invalid", "action.actioneeUserId"));
  UserActionLog orphan_action = lock;
  orphan_action.id = NewId<UserActionLogId>();
  orphan_action.actionee_user_id = ghost.id;
  WriteBatch orphan2;
  orphan2.Insert(orphan_action);
  CHECK(store->Apply(orphan2).errors().HasField("invalid", "action.actioneeUserId"));

  WriteBatch remove_user;
  remove_user.Delete(w.ada.id);
  STORE_REQUIRE_OK(store->Apply(remove_user));
  CHECK(store->user_actions().ListInForce(w.ada.id, At(0))->empty());
}

TEST_CASE("a recorded login and a conditional rehash touch only their fields", "[store]") {
  TestDb db(Backend::kMemory);
  auto store = db.Open();
  World w;
  w.Populate(*store);
  Registration reg = store_test::MakeRegistration(w.app, {});
  STORE_REQUIRE_OK(Insert(*store, w.ada.id, reg));
  // Someone else changed the user since the login read it.
  User changed = REQUIRE_VALUE(store->users().Get(w.ada.id));
  changed.first_name = "Ada";
  changed.password_hash.hash = "hash-1";
  WriteBatch update;
  update.Update(changed);
  STORE_REQUIRE_OK(store->Apply(update));

  WriteBatch login;
  login.RecordLoginOf(w.ada.id, w.app.id, At(77));
  PasswordHash stale_target;
  stale_target.encryption_scheme = "x";
  stale_target.hash = "h";
  login.ReplaceHash(w.ada.id, "stale-hash", stale_target);
  STORE_REQUIRE_OK(store->Apply(login));
  User after = REQUIRE_VALUE(store->users().Get(w.ada.id));
  CHECK(after.first_name == "Ada");
  CHECK(after.password_hash.hash == "hash-1");  // the expected hash did not match
  CHECK(after.last_login_instant == At(77));
  CHECK(store->registrations().Get(w.ada.id, w.app.id)->last_login_instant == At(77));

  WriteBatch rehash;
  PasswordHash next{
      .encryption_scheme = "salted-sha256", .factor = 3, .salt = "c2FsdA==", .hash = "hash-2"};
  rehash.ReplaceHash(w.ada.id, "hash-1", next);
  rehash.RecordLoginOf(w.bob.id, w.app.id, At(88));  // bob has no registration: user only
  STORE_REQUIRE_OK(store->Apply(rehash));
  CHECK(store->users().Get(w.ada.id)->password_hash == next);
  CHECK(store->users().Get(w.ada.id)->first_name == "Ada");  // the rest of the document stays
  CHECK(store->users().Get(w.bob.id)->last_login_instant == At(88));
  {
    // To a scheme without a separate salt: the old salt goes, nothing else changes.
    WriteBatch to_bcrypt;
    const PasswordHash unsalted{
        .encryption_scheme = "bcrypt", .factor = 10, .salt = "", .hash = "$2a$10$x"};
    to_bcrypt.ReplaceHash(w.ada.id, "hash-2", unsalted);
    STORE_REQUIRE_OK(store->Apply(to_bcrypt));
    CHECK(store->users().Get(w.ada.id)->password_hash == unsalted);
    WriteBatch back;
    back.ReplaceHash(w.ada.id, "$2a$10$x", next);
    STORE_REQUIRE_OK(store->Apply(back));
    CHECK(store->users().Get(w.ada.id)->password_hash == next);
    WriteBatch ghost_hash;
    ghost_hash.ReplaceHash(NewId<UserId>(), "hash-2", unsalted);
    CHECK(store->Apply(ghost_hash).code() == StatusCode::kNotFound);
    WriteBatch ghost_require;
    ghost_require.RequireHash(NewId<UserId>(), "");
    CHECK(store->Apply(ghost_require).code() == StatusCode::kNotFound);
  }
  // A login's precondition: the hash it checked is still the stored one.
  WriteBatch stale_login;
  stale_login.RequireHash(w.ada.id, "hash-1");
  stale_login.RecordLoginOf(w.ada.id, std::nullopt, At(99));
  CHECK(store->Apply(stale_login).code() == StatusCode::kAborted);
  CHECK(store->users().Get(w.ada.id)->last_login_instant == At(77));
  WriteBatch fresh_login;
  fresh_login.RequireHash(w.ada.id, "hash-2");
  STORE_CHECK_OK(store->Apply(fresh_login));
  // The tenant's access-token key is set once, and only it changes.
  Key key = MakeHmacKey("k", "kid-k");
  Key later = MakeHmacKey("l", "kid-l");
  WriteBatch keys;
  keys.Insert(key);
  keys.Insert(later);
  keys.SetAccessTokenKey(w.tenant.id, key.id);
  keys.SetAccessTokenKey(w.tenant.id, later.id);
  STORE_REQUIRE_OK(store->Apply(keys));
  Tenant tenant = REQUIRE_VALUE(store->tenants().Get(w.tenant.id));
  CHECK(tenant.jwt_configuration.access_token_key_id == key.id);
  CHECK(tenant.name == w.tenant.name);
  WriteBatch ghost;
  ghost.RecordLoginOf(NewId<UserId>(), std::nullopt, At(1));
  CHECK(store->Apply(ghost).code() == StatusCode::kNotFound);
}

}  // namespace

namespace internal::sqlite {
namespace {

TEST_CASE("a version-1 file migrates to version 2 and keeps its users", "[store][migration]") {
  TempDbPath file;
  const Tenant tenant = store_test::MakeTenant("t");
  const User user = store_test::MakeUser(tenant, "ada@example.com");
  {
    Result<std::unique_ptr<Store>> v1 =
        OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, 1));
    REQUIRE_OK(v1);
    CHECK((*v1)->SchemaVersion() == 1);
    STORE_REQUIRE_OK(Insert(**v1, tenant));
  }
  store_test::InsertOldUser(file.path(), user, "ada@example.com");
  Result<std::unique_ptr<Store>> v2 = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_OK(v2);
  CHECK_OK((*v2)->users().Get(user.id));
  RefreshToken token;
  token.id = store_test::NewId<RefreshTokenId>();
  token.token = "digest";
  token.user_id = user.id;
  token.tenant_id = tenant.id;
  WriteBatch batch;
  batch.Insert(token);
  STORE_CHECK_OK((*v2)->Apply(batch));
}

}  // namespace
}  // namespace internal::sqlite
}  // namespace bulwark
