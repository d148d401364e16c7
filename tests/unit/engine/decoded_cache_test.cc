// SPDX-License-Identifier: Apache-2.0
// The Engine's decoded configuration (engine/decoded_cache.h): one decode per object, kept
// current by the store's configuration generation, so that two Engines on one SQLite file
// (two stores, as two processes would have) see each other's writes on the next request;
// and the fallback for a Store without a generation (copies kept for kMaxAge).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/engine.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"
#include "engine/decoded_cache.h"
#include "engine_fixture.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using internal::DecodedCache;
using std::chrono::milliseconds;
using TenantCache = DecodedCache<TenantId, Tenant>;

const TenantId kId = TenantId::Parse("30663132-6464-6665-3032-326466613934").value();
const Instant kT0{milliseconds(1'700'000'000'000)};

Tenant Named(std::string name) {
  Tenant t;
  t.id = kId;
  t.name = std::move(name);
  return t;
}

TEST_CASE("without a generation, a decoded copy is kept for kMaxAge", "[engine][decoded-cache]") {
  TenantCache cache;
  int loads = 0;
  auto load = [&]() -> Result<Tenant> { return Named("load " + std::to_string(++loads)); };
  CHECK(cache.Get(kId, false, kT0, load)->name == "load 1");
  CHECK(cache.Get(kId, false, kT0 + TenantCache::kMaxAge - milliseconds(1), load)->name ==
        "load 1");
  CHECK(loads == 1);
  CHECK(cache.Get(kId, false, kT0 + TenantCache::kMaxAge, load)->name == "load 2");
  // A clock that went back does not keep a stale entry alive.
  CHECK(cache.Get(kId, false, kT0, load)->name == "load 3");
  cache.Clear();
  CHECK(cache.Get(kId, false, kT0, load)->name == "load 4");
  CHECK(loads == 4);
}

TEST_CASE("with a generation, a decoded copy is kept until the next Clear, whatever the clock",
          "[engine][decoded-cache]") {
  TenantCache cache;
  int loads = 0;
  auto load = [&]() -> Result<Tenant> { return Named("load " + std::to_string(++loads)); };
  CHECK(cache.Get(kId, true, kT0, load)->name == "load 1");
  CHECK(cache.Get(kId, true, kT0 + std::chrono::hours(24), load)->name == "load 1");
  cache.Clear();
  CHECK(cache.Get(kId, true, kT0, load)->name == "load 2");
  CHECK(loads == 2);
}

TEST_CASE("the decoded cache keeps no errors", "[engine][decoded-cache]") {
  TenantCache cache;
  int loads = 0;
  auto missing = [&]() -> Result<Tenant> {
    ++loads;
    return Status::NotFound("no such tenant");
  };
  CHECK(cache.Get(kId, true, kT0, missing).status().code() == StatusCode::kNotFound);
  CHECK(cache.Get(kId, true, kT0, missing).status().code() == StatusCode::kNotFound);
  CHECK(loads == 2);
}

TEST_CASE("a load that races a Clear is not kept", "[engine][decoded-cache]") {
  TenantCache cache;
  // The write lands (and clears) while the read is between the store and the cache.
  auto stale = [&]() -> Result<Tenant> {
    cache.Clear();
    return Named("before the write");
  };
  CHECK(cache.Get(kId, true, kT0, stale)->name == "before the write");
  auto fresh = []() -> Result<Tenant> { return Named("after the write"); };
  CHECK(cache.Get(kId, true, kT0, fresh)->name == "after the write");
}

TEST_CASE("the decoded cache serves concurrent readers and clears", "[engine][decoded-cache]") {
  TenantCache cache;
  std::atomic<int> version{0};
  std::atomic<bool> wrong{false};
  auto load = [&]() -> Result<Tenant> { return Named("v" + std::to_string(version.load())); };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        Result<Tenant> got = cache.Get(kId, true, kT0, load);
        if (!got.ok() || got->name.rfind('v', 0) != 0) wrong = true;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 500; ++i) {
      version.store(i);
      cache.Clear();
    }
  });
  for (std::thread& t : threads) t.join();
  CHECK_FALSE(wrong);
  // After the last Clear, the last version is what a read sees.
  CHECK(cache.Get(kId, true, kT0, load)->name == "v499");
}

// Two Engines, each on its own SqliteStore over one file: what two processes would have.
struct TwoEngines {
  test::TempDbPath file;
  test::EngineFixture first{file.str()};
  std::unique_ptr<Engine> second;

  TwoEngines() {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore({.path = file.str()});
    REQUIRE_OK(store);
    EngineOptions options = first.Options();
    options.store = std::move(*store);
    Result<std::unique_ptr<Engine>> opened = Engine::Open(options);
    REQUIRE_OK(opened);
    second = std::move(*opened);
  }
};

TEST_CASE("another Engine on the same file sees configuration changes on its next request",
          "[engine][decoded-cache]") {
  TwoEngines two;
  Engine& a = *two.first.engine;
  Engine& b = *two.second;
  const TenantId tenant_id = a.default_tenant_id();
  REQUIRE(b.default_tenant_id() == tenant_id);

  SECTION("tenants") {
    REQUIRE(b.tenants().Retrieve(tenant_id)->issuer == "acme.com");  // now decoded in b
    Tenant changed = REQUIRE_VALUE(a.tenants().Retrieve(tenant_id));
    changed.issuer = "piedpiper.example";
    REQUIRE_OK(a.tenants().Update(changed));
    // No clock advance: the generation, not the age, tells b.
    CHECK(b.tenants().Retrieve(tenant_id)->issuer == "piedpiper.example");

    Tenant hooli;
    hooli.name = "Hooli";
    const TenantId hooli_id = REQUIRE_VALUE(a.tenants().Create(hooli)).id;
    CHECK(b.tenants().Retrieve(hooli_id)->name == "Hooli");
    REQUIRE_OK(a.tenants().Delete(hooli_id));
    CHECK(b.tenants().Retrieve(hooli_id).status().code() == StatusCode::kNotFound);
  }

  SECTION("applications, and whether they still log anyone in") {
    Application app = two.first.MakeApp("Nucleus");
    User user = test::EngineFixture::NewUser("gavin@hooli.example");
    Registration registration;
    registration.application_id = app.id;
    user.registrations.push_back(registration);
    REQUIRE_OK(a.users().Create(user));
    LoginRequest login;
    login.login_id = "gavin@hooli.example";
    login.password = "correct horse battery";
    login.application_id = app.id;
    REQUIRE_OK(b.login().Login(login));
    REQUIRE(b.applications().Retrieve(app.id)->name == "Nucleus");

    Application renamed = app;
    renamed.name = "Nucleus 2";
    REQUIRE_OK(a.applications().Update(renamed));
    CHECK(b.applications().Retrieve(app.id)->name == "Nucleus 2");

    // A soft delete in a: b refuses the login at once, as it does for a missing application.
    REQUIRE_OK(a.applications().Delete(app.id));
    Result<LoginResponse> refused = b.login().Login(login);
    CHECK_FALSE(refused.ok());
    CHECK(refused.status().errors().HasField("invalid", "applicationId"));
  }

  SECTION("identity providers") {
    IdentityProvider provider;
    provider.id = REQUIRE_VALUE(IdentityProviderId::Generate(*two.first.random));
    provider.name = "Raviga";
    provider.type = IdentityProviderType::kExternalJwt;
    ExternalJwtConfiguration config;
    config.header_key_parameter = "kid";
    provider.config = config;
    WriteBatch insert;
    insert.Insert(provider);
    REQUIRE_OK(two.first.store->Apply(insert));  // written around both Engines
    REQUIRE(b.identity_providers().Retrieve(provider.id)->name == "Raviga");
    provider.name = "Raviga Capital";
    WriteBatch update;
    update.Update(provider);
    REQUIRE_OK(two.first.store->Apply(update));
    CHECK(b.identity_providers().Retrieve(provider.id)->name == "Raviga Capital");
    WriteBatch remove;
    remove.Delete(provider.id);
    REQUIRE_OK(two.first.store->Apply(remove));
    CHECK(b.identity_providers().Retrieve(provider.id).status().code() == StatusCode::kNotFound);
  }
}

TEST_CASE("user writes and logins leave the configuration generation alone",
          "[engine][decoded-cache]") {
  test::TempDbPath file;
  test::EngineFixture f(file.str());
  LoginRequest login;
  login.password = "correct horse battery";
  // The first login makes the tenant's signing key (a configuration write); later ones do not.
  REQUIRE_OK(f.engine->users().Create(test::EngineFixture::NewUser("laurie@raviga.example")));
  login.login_id = "laurie@raviga.example";
  const std::uint64_t cold = REQUIRE_VALUE(f.store->ConfigurationGeneration());
  REQUIRE_OK(f.engine->login().Login(login));
  const std::uint64_t before = REQUIRE_VALUE(f.store->ConfigurationGeneration());
  CHECK(before > cold);

  REQUIRE_OK(f.engine->users().Create(test::EngineFixture::NewUser("monica@raviga.example")));
  login.login_id = "monica@raviga.example";
  REQUIRE_OK(f.engine->login().Login(login));
  login.password = "wrong horse battery";
  CHECK(REQUIRE_VALUE(f.engine->login().Login(login)).outcome ==
        LoginOutcome::kInvalidCredentials);  // a failure record is a user write too
  CHECK(REQUIRE_VALUE(f.store->ConfigurationGeneration()) == before);

  Tenant tenant = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
  tenant.issuer = "raviga.example";
  REQUIRE_OK(f.engine->tenants().Update(tenant));
  CHECK(REQUIRE_VALUE(f.store->ConfigurationGeneration()) > before);
}

using NoGenerationStore = store_test::MinimalHostStore;

TEST_CASE("on a Store without a generation, an Engine sees its own writes at once and another "
          "Engine's within kMaxAge",
          "[engine][decoded-cache]") {
  test::EngineFixture f;
  EngineOptions options = f.Options();
  options.store = std::make_shared<NoGenerationStore>(f.store);
  auto other = REQUIRE_VALUE(Engine::Open(options));  // the same data and clock
  REQUIRE(options.store->ConfigurationGeneration().status().code() ==
          StatusCode::kUnimplemented);
  const TenantId id = f.default_tenant();
  REQUIRE(other->tenants().Retrieve(id)->issuer == "acme.com");

  Tenant changed = REQUIRE_VALUE(other->tenants().Retrieve(id));
  changed.issuer = "own.example";
  REQUIRE_OK(other->tenants().Update(changed));
  CHECK(other->tenants().Retrieve(id)->issuer == "own.example");  // its own write

  changed.issuer = "piedpiper.example";
  REQUIRE_OK(f.engine->tenants().Update(changed));
  CHECK(other->tenants().Retrieve(id)->issuer == "own.example");  // younger than kMaxAge
  f.clock->Advance(TenantCache::kMaxAge);
  CHECK(other->tenants().Retrieve(id)->issuer == "piedpiper.example");
}

TEST_CASE("a configuration generation that cannot be read fails the request",
          "[engine][decoded-cache]") {
  Result<std::unique_ptr<testing::FaultInjectingStore>> faulty =
      testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"});
  REQUIRE_OK(faulty);
  std::shared_ptr<testing::FaultInjectingStore> store = std::move(*faulty);
  test::EngineFixture f;
  EngineOptions options = f.Options();
  options.store = store;
  auto engine = REQUIRE_VALUE(Engine::Open(options));
  const TenantId id = engine->default_tenant_id();
  REQUIRE_OK(engine->tenants().Retrieve(id));  // decoded now
  store->FailReads(true);
  CHECK(engine->tenants().Retrieve(id).status().code() == StatusCode::kUnavailable);
  store->FailReads(false);
  CHECK_OK(engine->tenants().Retrieve(id));
}

}  // namespace
}  // namespace bulwark
