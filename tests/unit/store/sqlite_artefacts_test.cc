// SPDX-License-Identifier: Apache-2.0
//
// The SQLite ArtefactStore (schema version 6): put, get and consume-once, replay detection,
// expiry at the caller's `now`, revocation by grant and by user, tenant isolation, the
// address and reference rules, cascades, concurrent consumers (threads, and two stores on one
// file as two processes would be), and the default that a Store without artefacts inherits.
#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/engine.h"
#include "bulwark/store/artefact_store.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/manual_clock.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::BackendName;
using store_test::Insert;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::TestDb;

Artefact MakeCode(const Tenant& tenant, std::string key, std::optional<UserId> user = {},
                  std::string grant = "grant-1", std::int64_t expires_at = 600'000) {
  Artefact a;
  a.tenant_id = tenant.id;
  a.kind = "oauth2.code";
  a.key = std::move(key);
  a.user_id = user;
  a.grant_id = std::move(grant);
  a.expires_at = At(expires_at);
  a.payload = R"({"redirect_uri":"https://app.example/cb","scope":"openid"})";
  return a;
}

// A store with tenants A and B, and a user in each.
struct World {
  explicit World(Backend backend) : db(backend), store(db.Open()) {
    STORE_REQUIRE_OK(Insert(*store, a));
    STORE_REQUIRE_OK(Insert(*store, b));
    STORE_REQUIRE_OK(Insert(*store, alice));
    STORE_REQUIRE_OK(Insert(*store, bob));
  }
  ArtefactStore& artefacts() { return store->artefacts(); }

  TestDb db;
  std::unique_ptr<Store> store;
  Tenant a = MakeTenant("artefacts A");
  Tenant b = MakeTenant("artefacts B");
  User alice = MakeUser(a, "alice@example.com");
  User bob = MakeUser(b, "bob@example.com");
};

TEST_CASE("an artefact is put, read, and consumed exactly once", "[store][artefacts]") {
  for (Backend backend : {Backend::kMemory, Backend::kFile}) {
    INFO(BackendName(backend));
    World w(backend);
    const Artefact code = MakeCode(w.a, "digest-1", w.alice.id);
    STORE_REQUIRE_OK(w.artefacts().Put(code, At(0)));

    Result<Artefact> read = w.artefacts().Get(w.a.id, "oauth2.code", "digest-1", At(1));
    STORE_REQUIRE_OK(read.status());
    CHECK(*read == code);

    Result<ConsumedArtefact> first = w.artefacts().Consume(w.a.id, "oauth2.code", "digest-1", At(2));
    STORE_REQUIRE_OK(first.status());
    CHECK_FALSE(first->replayed);
    CHECK(first->artefact == code);

    // Consumed: Get no longer sees it, and consuming again is a replay that still names the
    // grant, so that the caller can revoke what it issued.
    CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "digest-1", At(3)).status().code() ==
          StatusCode::kNotFound);
    Result<ConsumedArtefact> again = w.artefacts().Consume(w.a.id, "oauth2.code", "digest-1", At(4));
    STORE_REQUIRE_OK(again.status());
    CHECK(again->replayed);
    CHECK(again->artefact.grant_id == "grant-1");

    // A live address cannot be put again, consumed or not.
    Status taken = w.artefacts().Put(MakeCode(w.a, "digest-1"), At(5));
    CHECK(taken.code() == StatusCode::kAlreadyExists);
    CHECK(taken.errors().HasField("duplicate", "artefact.key"));

    // Kind is part of the address: the same key under another kind is another artefact.
    Artefact request = MakeCode(w.a, "digest-1");
    request.kind = "saml.request_id";
    request.user_id.reset();
    STORE_CHECK_OK(w.artefacts().Put(request, At(5)));
    CHECK(w.artefacts().Get(w.a.id, "saml.request_id", "digest-1", At(6))->user_id == std::nullopt);
  }
}

TEST_CASE("an expired artefact is never returned or consumed, and its address is free again",
          "[store][artefacts]") {
  World w(Backend::kFile);
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "short", {}, "g", 1000), At(0)));
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "short", At(999)).ok());
  // At the expiry instant it has expired.
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "short", At(1000)).status().code() ==
        StatusCode::kNotFound);
  CHECK(w.artefacts().Consume(w.a.id, "oauth2.code", "short", At(1000)).status().code() ==
        StatusCode::kNotFound);
  CHECK(w.artefacts().Consume(w.a.id, "oauth2.code", "short", At(5000)).status().code() ==
        StatusCode::kNotFound);

  // A consumed one that expired no longer counts as a replay either.
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "used", {}, "g", 1000), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Consume(w.a.id, "oauth2.code", "used", At(10)).status());
  CHECK(w.artefacts().Consume(w.a.id, "oauth2.code", "used", At(1000)).status().code() ==
        StatusCode::kNotFound);

  // An expired address may be put again (replacing the old row, consumed state and all).
  Artefact fresh = MakeCode(w.a, "used", {}, "g2", 9000);
  STORE_REQUIRE_OK(w.artefacts().Put(fresh, At(2000)));
  Result<ConsumedArtefact> consumed = w.artefacts().Consume(w.a.id, "oauth2.code", "used", At(2001));
  STORE_REQUIRE_OK(consumed.status());
  CHECK_FALSE(consumed->replayed);
  CHECK(consumed->artefact.grant_id == "g2");

  // An expiry at or before `now` is refused rather than stored dead.
  Status dead = w.artefacts().Put(MakeCode(w.a, "dead", {}, "g", 100), At(100));
  CHECK(dead.code() == StatusCode::kInvalidArgument);
  CHECK(dead.errors().HasField("invalid", "artefact.expiresAt"));

  // DeleteExpired reclaims exactly the expired rows.
  Result<std::int64_t> removed = w.artefacts().DeleteExpired(At(2000));
  STORE_REQUIRE_OK(removed.status());
  CHECK(*removed == 1);  // "short"; "used" was replaced by a live one
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "used", At(2002)).status().code() ==
        StatusCode::kNotFound);  // consumed
  CHECK(*w.artefacts().DeleteExpired(At(9000)) == 1);
  CHECK(*w.artefacts().DeleteExpired(At(9000)) == 0);
}

TEST_CASE("artefacts are revoked by grant and by user, within their tenant",
          "[store][artefacts]") {
  World w(Backend::kMemory);
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "a1", w.alice.id, "grant-x"), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "a2", w.alice.id, "grant-y"), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "a3", {}, "grant-x"), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.b, "b1", w.bob.id, "grant-x"), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "a4", {}, ""), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Consume(w.a.id, "oauth2.code", "a3", At(1)).status());

  // Tenant A's grant-x: a1 and a3 (consumed or not), never B's grant of the same name.
  Result<std::int64_t> by_grant = w.artefacts().RevokeByGrant(w.a.id, "grant-x");
  STORE_REQUIRE_OK(by_grant.status());
  CHECK(*by_grant == 2);
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "a1", At(2)).status().code() ==
        StatusCode::kNotFound);
  CHECK(w.artefacts().Consume(w.a.id, "oauth2.code", "a3", At(2)).status().code() ==
        StatusCode::kNotFound);  // revoked: not even a replay any more
  CHECK(w.artefacts().Get(w.b.id, "oauth2.code", "b1", At(2)).ok());
  // A blank grant id names no grant.
  CHECK(*w.artefacts().RevokeByGrant(w.a.id, "") == 0);
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "a4", At(2)).ok());

  // Bob belongs to B: revoking him "in A" removes nothing.
  CHECK(*w.artefacts().RevokeByUser(w.a.id, w.bob.id) == 0);
  CHECK(*w.artefacts().RevokeByUser(w.a.id, w.alice.id) == 1);  // a2
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "a2", At(2)).status().code() ==
        StatusCode::kNotFound);
  CHECK(w.artefacts().Get(w.b.id, "oauth2.code", "b1", At(2)).ok());
}

TEST_CASE("one tenant never reaches another tenant's artefact", "[store][artefacts][security]") {
  World w(Backend::kFile);
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "shared-key", w.alice.id), At(0)));
  CHECK(w.artefacts().Get(w.b.id, "oauth2.code", "shared-key", At(1)).status().code() ==
        StatusCode::kNotFound);
  CHECK(w.artefacts().Consume(w.b.id, "oauth2.code", "shared-key", At(1)).status().code() ==
        StatusCode::kNotFound);
  // B may hold the same key for itself; A's stays A's and unconsumed.
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.b, "shared-key", w.bob.id), At(1)));
  Result<ConsumedArtefact> mine = w.artefacts().Consume(w.a.id, "oauth2.code", "shared-key", At(2));
  STORE_REQUIRE_OK(mine.status());
  CHECK_FALSE(mine->replayed);
  CHECK(mine->artefact.user_id == w.alice.id);
  // A user of B cannot be attached to an artefact of A.
  Status foreign = w.artefacts().Put(MakeCode(w.a, "other", w.bob.id), At(2));
  CHECK(foreign.code() == StatusCode::kInvalidArgument);
  CHECK(foreign.errors().HasField("invalid", "artefact.userId"));
}

TEST_CASE("an artefact's address and references are checked, and bad input changes nothing",
          "[store][artefacts]") {
  World w(Backend::kMemory);
  Artefact nil_tenant = MakeCode(w.a, "k");
  nil_tenant.tenant_id = TenantId();
  CHECK(w.artefacts().Put(nil_tenant, At(0)).errors().HasField("blank", "artefact.tenantId"));
  Artefact no_kind = MakeCode(w.a, "k");
  no_kind.kind.clear();
  CHECK(w.artefacts().Put(no_kind, At(0)).errors().HasField("blank", "artefact.kind"));
  CHECK(w.artefacts().Put(MakeCode(w.a, ""), At(0)).errors().HasField("blank", "artefact.key"));
  Artefact unknown_tenant = MakeCode(MakeTenant("never stored"), "k");
  CHECK(w.artefacts().Put(unknown_tenant, At(0)).errors().HasField("invalid", "artefact.tenantId"));
  Artefact unknown_user = MakeCode(w.a, "k", store_test::NewId<UserId>());
  CHECK(w.artefacts().Put(unknown_user, At(0)).errors().HasField("invalid", "artefact.userId"));
  Artefact bad_payload = MakeCode(w.a, "k");
  bad_payload.payload = std::string("\xC3\x28", 2);
  CHECK(w.artefacts().Put(bad_payload, At(0)).code() == StatusCode::kInvalidArgument);
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "", At(0)).status().errors().HasField("blank",
                                                                               "artefact.key"));
  // None of the refused puts left a row behind.
  CHECK(*w.artefacts().DeleteExpired(At(1'000'000'000)) == 0);
}

TEST_CASE("deleting a user or a tenant deletes their artefacts", "[store][artefacts]") {
  World w(Backend::kFile);
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "alice's", w.alice.id), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "tenant's", {}), At(0)));
  STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.b, "bob's", w.bob.id), At(0)));
  WriteBatch delete_alice;
  delete_alice.Delete(w.alice.id);
  STORE_REQUIRE_OK(w.store->Apply(delete_alice));
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "alice's", At(1)).status().code() ==
        StatusCode::kNotFound);
  CHECK(w.artefacts().Get(w.a.id, "oauth2.code", "tenant's", At(1)).ok());
  WriteBatch delete_b;
  delete_b.Delete(w.b.id);
  STORE_REQUIRE_OK(w.store->Apply(delete_b));
  CHECK(w.artefacts().Get(w.b.id, "oauth2.code", "bob's", At(1)).status().code() ==
        StatusCode::kNotFound);
  CHECK(*w.artefacts().DeleteExpired(At(1'000'000'000)) == 1);  // only A's tenant artefact
}

TEST_CASE("of concurrent consumers exactly one wins, across threads and across stores",
          "[store][artefacts][concurrency]") {
  constexpr int kThreads = 8;
  constexpr int kCodes = 20;
  World w(Backend::kFile);
  // A second store on the same file stands for a second process.
  std::unique_ptr<Store> other = w.db.Open();
  for (int i = 0; i < kCodes; ++i) {
    STORE_REQUIRE_OK(w.artefacts().Put(MakeCode(w.a, "code-" + std::to_string(i)), At(0)));
  }
  std::atomic<int> winners{0};
  std::atomic<int> replays{0};
  std::atomic<int> failures{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    ArtefactStore& artefacts = (t % 2 == 0 ? *w.store : *other).artefacts();
    threads.emplace_back([&, t, &artefacts = artefacts] {
      start.arrive_and_wait();
      for (int i = 0; i < kCodes; ++i) {
        // Half the threads walk the codes backwards, so that they meet in the middle.
        const int n = t % 4 < 2 ? i : kCodes - 1 - i;
        Result<ConsumedArtefact> got =
            artefacts.Consume(w.a.id, "oauth2.code", "code-" + std::to_string(n), At(1));
        if (!got.ok()) {
          failures.fetch_add(1);
        } else if (got->replayed) {
          replays.fetch_add(1);
        } else {
          winners.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failures.load() == 0);
  CHECK(winners.load() == kCodes);
  CHECK(replays.load() == kCodes * (kThreads - 1));
}

TEST_CASE("a version-5 file gains the artefacts table and keeps its data",
          "[store][artefacts][migration]") {
  store_test::TempDbPath file;
  const Tenant tenant = MakeTenant("from version 5");
  {
    Result<std::unique_ptr<Store>> v5 = internal::sqlite::OpenSqliteStore(
        {.path = file.path()}, internal::sqlite::DefaultMigrations().subspan(0, 5));
    STORE_REQUIRE_OK(v5.status());
    CHECK((*v5)->SchemaVersion() == 5);
    STORE_REQUIRE_OK(Insert(**v5, tenant));
  }
  Result<std::unique_ptr<Store>> latest = OpenSqliteStore({.path = file.path()});
  STORE_REQUIRE_OK(latest.status());
  CHECK((*latest)->SchemaVersion() ==
        static_cast<int>(internal::sqlite::DefaultMigrations().size()));
  CHECK((*latest)->tenants().Get(tenant.id)->name == "from version 5");
  STORE_REQUIRE_OK((*latest)->artefacts().Put(MakeCode(tenant, "after migration"), At(0)));
  CHECK((*latest)->artefacts().Consume(tenant.id, "oauth2.code", "after migration", At(1)).ok());
}

using HostStore = store_test::MinimalHostStore;

TEST_CASE("a Store without artefacts keeps working and refuses artefact calls",
          "[store][artefacts]") {
  TestDb db(Backend::kMemory);
  HostStore host(db.Open());
  const Tenant tenant = MakeTenant("host tenant");
  STORE_REQUIRE_OK(Insert(host, tenant));
  CHECK(host.tenants().Get(tenant.id)->name == "host tenant");
  ArtefactStore& none = host.artefacts();
  CHECK(none.Put(MakeCode(tenant, "k"), At(0)).code() == StatusCode::kUnimplemented);
  CHECK(none.Get(tenant.id, "oauth2.code", "k", At(0)).status().code() ==
        StatusCode::kUnimplemented);
  CHECK(none.Consume(tenant.id, "oauth2.code", "k", At(0)).status().code() ==
        StatusCode::kUnimplemented);
  CHECK(none.RevokeByGrant(tenant.id, "g").status().code() == StatusCode::kUnimplemented);
  CHECK(none.RevokeByUser(tenant.id, store_test::NewId<UserId>()).status().code() ==
        StatusCode::kUnimplemented);
  CHECK(none.DeleteExpired(At(0)).status().code() == StatusCode::kUnimplemented);
}

TEST_CASE("an Engine runs on a host Store that has no artefacts", "[store][artefacts][engine]") {
  TestDb db(Backend::kMemory);
  EngineOptions options;
  options.store = std::make_shared<HostStore>(db.Open());
  options.clock = std::make_shared<testing::ManualClock>();
  options.random = std::make_shared<testing::DeterministicRandom>(7);
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  STORE_REQUIRE_OK(engine.status());
  Engine& e = **engine;
  Tenant tenant = REQUIRE_VALUE(e.tenants().Retrieve(e.default_tenant_id()));
  tenant.password_encryption_configuration.encryption_scheme_factor = 1000;
  STORE_REQUIRE_OK(e.tenants().Update(tenant).status());
  User user;
  user.email = "host@example.com";
  user.password = "correct horse battery";
  STORE_REQUIRE_OK(e.users().Create(user).status());
  LoginRequest login;
  login.login_id = "host@example.com";
  login.password = "correct horse battery";
  Result<LoginResponse> response = e.login().Login(login);
  STORE_REQUIRE_OK(response.status());
  REQUIRE(response->user.has_value());
  CHECK(response->user->email == "host@example.com");
}

}  // namespace
}  // namespace bulwark
