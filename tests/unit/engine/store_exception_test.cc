// SPDX-License-Identifier: Apache-2.0
// A host's Store that throws: the Engine's one guard (StoreExceptionGuard over
// store/forwarding_store.h) turns every escaping exception, from a read, a write or the
// configuration generation, into kInternal "storage failure" and an error log line; nothing
// crosses the API, and the Engine works again once the Store does.
#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "bulwark/engine.h"
#include "bulwark/logger.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/forwarding_store.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark {
namespace {

// Throws from every read and/or write while told to; otherwise forwards.
struct ThrowWhenTold {
  std::atomic<bool> reads{false};
  std::atomic<bool> writes{false};
  std::atomic<bool> non_standard{false};  // throw an int, not a std::exception
  template <typename F>
  auto Read(F&& call) -> decltype(call()) {
    if (reads) Throw();
    return call();
  }
  template <typename F>
  auto Write(F&& call) -> decltype(call()) {
    if (writes) Throw();
    return call();
  }
  void Throw() const {
    if (non_standard) throw 42;
    throw std::runtime_error("disk on fire");
  }
};
using ThrowingStore = internal::ForwardingStore<ThrowWhenTold>;

class Lines final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) noexcept override {
    std::lock_guard<std::mutex> lock(mu_);
    if (level == LogLevel::kError) errors_.emplace_back(message);
  }
  std::vector<std::string> errors() {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> errors_;
};

struct ThrowingWorld {
  std::shared_ptr<Store> sqlite = REQUIRE_VALUE(OpenSqliteStore({.path = ":memory:"}));
  std::shared_ptr<ThrowingStore> store = std::make_shared<ThrowingStore>(*sqlite);
  std::shared_ptr<Lines> log = std::make_shared<Lines>();
  std::unique_ptr<Engine> engine;
  ThrowingWorld() {
    EngineOptions options;
    options.store = store;
    options.logger = log;
    engine = REQUIRE_VALUE(Engine::Open(options));
  }
  ThrowWhenTold& faults() { return store->policy(); }
};

TEST_CASE("an exception from a host's Store becomes kInternal, never a crash",
          "[engine][store-exceptions]") {
  ThrowingWorld w;
  const TenantId tenant = w.engine->default_tenant_id();
  User user = test::EngineFixture::NewUser("dinesh@piedpiper.example");
  const User created = REQUIRE_VALUE(w.engine->users().Create(user));

  SECTION("from reads") {
    w.faults().reads = true;
    CHECK_STATUS(w.engine->users().Retrieve(created.id), testing::HasCode(StatusCode::kInternal));
    CHECK_STATUS(w.engine->tenants().Retrieve(tenant), testing::HasCode(StatusCode::kInternal));
    LoginRequest login;
    login.login_id = "dinesh@piedpiper.example";
    login.password = "correct horse battery";
    const Result<LoginResponse> refused = w.engine->login().Login(login);
    CHECK_STATUS(refused, testing::HasCode(StatusCode::kInternal));
    CHECK(refused.status().message() == "storage failure");
    w.faults().non_standard = true;
    CHECK_STATUS(w.engine->users().Retrieve(created.id), testing::HasCode(StatusCode::kInternal));
    const std::vector<std::string> errors = w.log->errors();
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front() == "the Store implementation threw an exception");
    CHECK(errors.back() == "the Store implementation threw");
    for (const std::string& line : errors) CHECK(line.find("disk on fire") == std::string::npos);
  }

  SECTION("from writes: nothing is written") {
    w.faults().writes = true;
    User other = test::EngineFixture::NewUser("gilfoyle@piedpiper.example");
    CHECK_STATUS(w.engine->users().Create(other), testing::HasCode(StatusCode::kInternal));
    w.faults().writes = false;
    CHECK_STATUS(w.engine->users().RetrieveByEmail(tenant, "gilfoyle@piedpiper.example"),
                 testing::HasCode(StatusCode::kNotFound));
  }

  // Once the Store works again, so does the Engine.
  w.faults().reads = false;
  w.faults().writes = false;
  CHECK(REQUIRE_VALUE(w.engine->users().Retrieve(created.id)).email ==
        "dinesh@piedpiper.example");
}

}  // namespace
}  // namespace bulwark
