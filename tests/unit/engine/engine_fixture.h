// SPDX-License-Identifier: Apache-2.0
// An Engine on a private SQLite store (":memory:" or a temp file) with a ManualClock,
// DeterministicRandom and a RecordingEventSink, for the engine tests.
#ifndef BULWARK_TESTS_UNIT_ENGINE_ENGINE_FIXTURE_H_
#define BULWARK_TESTS_UNIT_ENGINE_ENGINE_FIXTURE_H_

#include <atomic>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include "bulwark/engine.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/manual_clock.h"
#include "bulwark/testing/recording_event_sink.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark::test {

// A unique path under the system temp directory, removed (with WAL files) on destruction.
class TempDbPath {
 public:
  TempDbPath() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("bulwark-engine-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             ".db");
    Remove();
  }
  ~TempDbPath() { Remove(); }
  std::string str() const { return path_.string(); }

 private:
  void Remove() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_.string() + suffix, ec);
    }
  }
  std::filesystem::path path_;
};

struct EngineFixture {
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  std::shared_ptr<testing::DeterministicRandom> random =
      std::make_shared<testing::DeterministicRandom>(1);
  std::shared_ptr<testing::RecordingEventSink> events =
      std::make_shared<testing::RecordingEventSink>();
  std::shared_ptr<Store> store;
  std::unique_ptr<Engine> engine;

  // path = ":memory:" or a file path.
  explicit EngineFixture(const std::string& path = ":memory:") {
    Result<std::unique_ptr<Store>> opened = OpenSqliteStore({.path = path});
    if (!opened.ok()) throw std::runtime_error("store: " + opened.status().ToString());
    store = std::move(*opened);
    Result<std::unique_ptr<Engine>> e = Engine::Open(Options());
    if (!e.ok()) throw std::runtime_error("engine: " + e.status().ToString());
    engine = std::move(*e);
    // Fast hashing for tests that create many users; the default factor is checked separately.
    Tenant t = REQUIRE_VALUE(engine->tenants().Retrieve(engine->default_tenant_id()));
    t.password_encryption_configuration.encryption_scheme_factor = 1000;
    if (!engine->tenants().Update(t).ok()) throw std::runtime_error("tenant update failed");
  }

  EngineOptions Options() const {
    return EngineOptions{.store = store, .clock = clock, .random = random, .event_sink = events};
  }

  TenantId default_tenant() const { return engine->default_tenant_id(); }

  Application MakeApp(std::string name = "Pied Piper") {
    Application app;
    app.name = std::move(name);
    ApplicationRole admin;
    admin.name = "admin";
    admin.is_super_role = true;
    ApplicationRole user;
    user.name = "user";
    user.is_default = true;
    ApplicationRole viewer;
    viewer.name = "viewer";
    viewer.is_default = true;
    app.roles = {admin, user, viewer};
    return REQUIRE_VALUE(engine->applications().Create(app));
  }

  static User NewUser(std::string email, std::string password = "correct horse battery") {
    User u;
    u.email = std::move(email);
    u.password = std::move(password);
    u.first_name = "Richard";
    return u;
  }
};

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_ENGINE_ENGINE_FIXTURE_H_
