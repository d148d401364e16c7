// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "bulwark/engine.h"
#include "bulwark/testing/status_matchers.h"
#include "engine_fixture.h"

namespace bulwark {
namespace {

using test::EngineFixture;
using test::TempDbPath;

TEST_CASE("Engine::Open requires a store", "[engine]") {
  Result<std::unique_ptr<Engine>> e = Engine::Open({});
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("the default tenant exists after the first open", "[engine]") {
  EngineFixture f;
  Result<Tenant> t = f.engine->tenants().Retrieve(f.default_tenant());
  REQUIRE_OK(t);
  CHECK(t->name == "Default");
  CHECK(t->issuer == "acme.com");
  CHECK(t->insert_instant == testing::ManualClock::kDefaultStart);
  Result<std::vector<Tenant>> all = f.engine->tenants().RetrieveAll();
  REQUIRE_OK(all);
  CHECK(all->size() == 1);
}

TEST_CASE("the default tenant id comes from the options and survives a reopen", "[engine]") {
  TempDbPath path;
  const TenantId wanted = REQUIRE_VALUE(TenantId::Parse("30663132-6464-6665-3032-326466613934"));
  {
    auto store = REQUIRE_VALUE(OpenSqliteStore({.path = path.str()}));
    auto engine =
        Engine::Open(
            {.store = std::move(store), .default_tenant_id = wanted, .default_tenant_name = "Main"})
            .value();
    CHECK(engine->default_tenant_id() == wanted);
  }
  auto store = REQUIRE_VALUE(OpenSqliteStore({.path = path.str()}));
  // A different requested id is ignored once the store has a default tenant.
  auto engine = Engine::Open({.store = std::move(store),
                              .default_tenant_id = REQUIRE_VALUE(
                                  TenantId::Parse("11111111-2222-4333-8444-555555555555"))})
                    .value();
  CHECK(engine->default_tenant_id() == wanted);
  CHECK(engine->tenants().RetrieveAll()->size() == 1);
  CHECK(engine->tenants().Retrieve(wanted)->name == "Main");
}

TEST_CASE("the default tenant cannot be deleted", "[engine][tenant]") {
  EngineFixture f;
  Status s = f.engine->tenants().Delete(f.default_tenant());
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK_OK(f.engine->tenants().Retrieve(f.default_tenant()));
}

}  // namespace
}  // namespace bulwark
