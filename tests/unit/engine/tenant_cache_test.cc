// SPDX-License-Identifier: Apache-2.0
// The Engine's tenant cache: one decode per tenant, seen at once after a write through the
// Engine, within TenantCache::kMaxAge after a write through another Engine on the store.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/engine.h"
#include "engine/tenant_cache.h"
#include "engine_fixture.h"

namespace bulwark {
namespace {

using internal::TenantCache;
using std::chrono::milliseconds;

const TenantId kId = TenantId::Parse("30663132-6464-6665-3032-326466613934").value();
const Instant kT0{milliseconds(1'700'000'000'000)};

Tenant Named(std::string name) {
  Tenant t;
  t.id = kId;
  t.name = std::move(name);
  return t;
}

TEST_CASE("the tenant cache loads a tenant once per kMaxAge", "[engine][tenant-cache]") {
  TenantCache cache;
  int loads = 0;
  auto load = [&]() -> Result<Tenant> { return Named("load " + std::to_string(++loads)); };
  CHECK(cache.Get(kId, kT0, load)->name == "load 1");
  CHECK(cache.Get(kId, kT0 + TenantCache::kMaxAge - milliseconds(1), load)->name == "load 1");
  CHECK(loads == 1);
  CHECK(cache.Get(kId, kT0 + TenantCache::kMaxAge, load)->name == "load 2");
  // A clock that went back does not keep a stale entry alive.
  CHECK(cache.Get(kId, kT0, load)->name == "load 3");
  cache.Clear();
  CHECK(cache.Get(kId, kT0, load)->name == "load 4");
  CHECK(loads == 4);
}

TEST_CASE("the tenant cache keeps no errors", "[engine][tenant-cache]") {
  TenantCache cache;
  int loads = 0;
  auto missing = [&]() -> Result<Tenant> {
    ++loads;
    return Status::NotFound("no such tenant");
  };
  CHECK(cache.Get(kId, kT0, missing).status().code() == StatusCode::kNotFound);
  CHECK(cache.Get(kId, kT0, missing).status().code() == StatusCode::kNotFound);
  CHECK(loads == 2);
}

TEST_CASE("a load that races a Clear is not kept", "[engine][tenant-cache]") {
  TenantCache cache;
  // The write lands (and clears) while the read is between the store and the cache.
  auto stale = [&]() -> Result<Tenant> {
    cache.Clear();
    return Named("before the write");
  };
  CHECK(cache.Get(kId, kT0, stale)->name == "before the write");
  auto fresh = []() -> Result<Tenant> { return Named("after the write"); };
  CHECK(cache.Get(kId, kT0, fresh)->name == "after the write");
}

TEST_CASE("the tenant cache serves concurrent readers and clears", "[engine][tenant-cache]") {
  TenantCache cache;
  std::atomic<int> version{0};
  std::atomic<bool> wrong{false};
  auto load = [&]() -> Result<Tenant> { return Named("v" + std::to_string(version.load())); };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        Result<Tenant> got = cache.Get(kId, kT0, load);
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
  CHECK(cache.Get(kId, kT0, load)->name == "v499");
}

TEST_CASE("an Engine sees its own tenant writes at once, another Engine's within kMaxAge",
          "[engine][tenant-cache]") {
  test::EngineFixture f;
  auto other = Engine::Open(f.Options()).value();  // the same store and clock
  const TenantId id = f.default_tenant();
  REQUIRE(f.engine->tenants().Retrieve(id)->issuer == "acme.com");
  REQUIRE(other->tenants().Retrieve(id)->issuer == "acme.com");

  Tenant changed = f.engine->tenants().Retrieve(id).value();
  changed.issuer = "piedpiper.example";
  REQUIRE(f.engine->tenants().Update(changed).ok());
  CHECK(f.engine->tenants().Retrieve(id)->issuer == "piedpiper.example");
  CHECK(other->tenants().Retrieve(id)->issuer == "acme.com");  // cached, younger than kMaxAge
  f.clock->Advance(TenantCache::kMaxAge);
  CHECK(other->tenants().Retrieve(id)->issuer == "piedpiper.example");

  // Created and deleted tenants too.
  Tenant hooli;
  hooli.name = "Hooli";
  const TenantId hooli_id = f.engine->tenants().Create(hooli).value().id;
  CHECK(f.engine->tenants().Retrieve(hooli_id).ok());
  REQUIRE(f.engine->tenants().Delete(hooli_id).ok());
  CHECK(f.engine->tenants().Retrieve(hooli_id).status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace bulwark
