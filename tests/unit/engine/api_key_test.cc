// SPDX-License-Identifier: Apache-2.0
// ApiKeyService: generated and supplied values, validation, Authenticate (unknown, blank,
// expired), the value shown only once, tenant-locked keys and their cascade, the update
// rules, delete, and many threads creating and authenticating at once.
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using test::EngineFixture;

void CheckField(const Status& s, StatusCode code, const char* kind, const char* path) {
  INFO(s.ToString());
  CHECK(s.code() == code);
  CHECK(s.errors().HasField(kind, path));
}

bool IsBase64Url(const std::string& text) {
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

ApiKey Named(std::string name) {
  ApiKey request;
  request.name = std::move(name);
  return request;
}

ApiKey WithValue(std::string value) {
  ApiKey request;
  request.key = std::move(value);
  return request;
}

// A Logger that keeps every message.
class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view message) noexcept override {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.emplace_back(message);
  }
  std::vector<std::string> messages() {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> messages_;
};

TEST_CASE("api keys: a generated value is 32 random bytes in base64url, different each time",
          "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();
  const ApiKey first = REQUIRE_VALUE(keys.Create(Named("first")));
  f.clock->Advance(milliseconds(1));
  const ApiKey second = REQUIRE_VALUE(keys.Create(Named("second")));

  CHECK_FALSE(first.id.IsNil());
  CHECK(first.id != second.id);
  CHECK(first.key.size() == 43);  // 32 bytes, unpadded
  CHECK(IsBase64Url(first.key));
  CHECK(second.key.size() == 43);
  CHECK(IsBase64Url(second.key));
  CHECK(first.key != second.key);
  CHECK(first.name == "first");
  CHECK(first.insert_instant == f.clock->Now() - milliseconds(1));
  CHECK(first.last_update_instant == first.insert_instant);
  CHECK(second.insert_instant == f.clock->Now());
  // NOTE(compat): never retrievable, whatever the request said.
  CHECK_FALSE(first.retrievable);

  CHECK(keys.Authenticate(first.key)->id == first.id);
  CHECK(keys.Authenticate(second.key)->id == second.id);
  CHECK(*f.store->api_keys().Count() == 2);
}

TEST_CASE("api keys: the value is returned by Create only", "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();
  ApiKey request = Named("once");
  request.retrievable = true;
  const ApiKey created = REQUIRE_VALUE(keys.Create(request));
  REQUIRE_FALSE(created.key.empty());

  ApiKey expected = created;
  expected.key.clear();
  CHECK(*keys.Retrieve(created.id) == expected);
  const std::vector<ApiKey> all = REQUIRE_VALUE(keys.RetrieveAll());
  REQUIRE(all.size() == 1);
  CHECK(all[0] == expected);
  CHECK(*keys.Authenticate(created.key) == expected);
  ApiKey renamed = expected;
  renamed.name = "renamed";
  CHECK(keys.Update(renamed)->key.empty());
  CHECK(keys.Retrieve(REQUIRE_VALUE(ApiKeyId::Generate(*f.random))).status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("api keys: a supplied value and id are kept; the value is 16 to 1024 characters",
          "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();

  ApiKey request = WithValue("exactly-16-chars");
  request.id = REQUIRE_VALUE(ApiKeyId::Generate(*f.random));
  const ApiKey created = REQUIRE_VALUE(keys.Create(request));
  CHECK(created.id == request.id);
  CHECK(created.key == "exactly-16-chars");
  CHECK(keys.Authenticate("exactly-16-chars")->id == request.id);
  CHECK_OK(keys.Create(WithValue(std::string(1024, 'k'))));

  CheckField(keys.Create(WithValue("fifteen-chars!!")).status(), StatusCode::kInvalidArgument,
             "tooShort", "apiKey.key");
  CheckField(keys.Create(WithValue("x")).status(), StatusCode::kInvalidArgument, "tooShort",
             "apiKey.key");
  CheckField(keys.Create(WithValue(std::string(1025, 'k'))).status(), StatusCode::kInvalidArgument,
             "tooLong", "apiKey.key");

  // Taken values and ids.
  CheckField(keys.Create(WithValue("exactly-16-chars")).status(), StatusCode::kAlreadyExists,
             "duplicate", "apiKey.key");
  ApiKey same_id = Named("same id");
  same_id.id = request.id;
  CheckField(keys.Create(same_id).status(), StatusCode::kAlreadyExists, "duplicate", "apiKey.id");
  CHECK(*f.store->api_keys().Count() == 2);
}

TEST_CASE("api keys: validation names each problem and stores nothing", "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();

  SECTION("the tenant must exist") {
    ApiKey request = Named("orphan");
    request.tenant_id = REQUIRE_VALUE(TenantId::Generate(*f.random));
    CheckField(keys.Create(request).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.tenantId");
  }
  SECTION("endpoints are paths starting with /") {
    ApiKey request = Named("relative");
    request.endpoint_permissions = {{"api/user", {"GET"}}};
    CheckField(keys.Create(request).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.permissions.endpoints");
    request.endpoint_permissions = {{"", {"GET"}}};
    CheckField(keys.Create(request).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.permissions.endpoints");
  }
  SECTION("methods are GET, POST, PUT, PATCH or DELETE, in capitals") {
    const std::string method = GENERATE("get", "HEAD", "OPTIONS", "", "POST ");
    INFO("method: [" << method << "]");
    ApiKey request = Named("bad method");
    request.endpoint_permissions = {{"/api/user", {"GET", method}}};
    CheckField(keys.Create(request).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.permissions.endpoints");
  }
  SECTION("the expiration instant must be in the future") {
    ApiKey request = Named("expired");
    request.expiration_instant = f.clock->Now();
    CheckField(keys.Create(request).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.expirationInstant");
    request.expiration_instant = f.clock->Now() - minutes(1);
    CheckField(keys.Create(request).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.expirationInstant");
  }
  SECTION("every problem at once") {
    ApiKey request = WithValue("tiny-secret");
    request.tenant_id = REQUIRE_VALUE(TenantId::Generate(*f.random));
    request.endpoint_permissions = {{"/api/user", {"FETCH"}}};
    request.expiration_instant = f.clock->Now();
    const Status s = keys.Create(request).status();
    CheckField(s, StatusCode::kInvalidArgument, "tooShort", "apiKey.key");
    CHECK(s.errors().HasField("invalid", "apiKey.tenantId"));
    CHECK(s.errors().HasField("invalid", "apiKey.permissions.endpoints"));
    CHECK(s.errors().HasField("invalid", "apiKey.expirationInstant"));
    // The errors name the problems, never the value.
    CHECK(s.ToString().find("tiny-secret") == std::string::npos);
    for (const auto& [path, entries] : s.errors().field_errors) {
      for (const ErrorEntry& entry : entries) {
        CHECK(entry.message.find("tiny-secret") == std::string::npos);
      }
    }
  }
  CHECK(*f.store->api_keys().Count() == 0);

  // Every method, on endpoints that are paths, with an expiry ahead, is fine.
  ApiKey good = Named("good");
  good.endpoint_permissions = {{"/api/user", {"GET", "POST", "PUT", "PATCH", "DELETE"}},
                               {"/api/application", {}}};
  good.expiration_instant = f.clock->Now() + milliseconds(1);
  CHECK_OK(keys.Create(good));
}

TEST_CASE("api keys: Authenticate refuses unknown, blank, overlong and expired values",
          "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();
  ApiKey request = Named("expiring");
  request.expiration_instant = f.clock->Now() + minutes(10);
  const ApiKey expiring = REQUIRE_VALUE(keys.Create(request));
  const ApiKey forever = REQUIRE_VALUE(keys.Create(Named("forever")));

  CHECK(keys.Authenticate(expiring.key)->id == expiring.id);

  const std::string unknown = "an-unknown-key-value-0123456789";
  const Status s = keys.Authenticate(unknown).status();
  CHECK(s.code() == StatusCode::kUnauthenticated);
  CHECK(s.ToString().find(unknown) == std::string::npos);
  CHECK(keys.Authenticate("").status().code() == StatusCode::kUnauthenticated);
  CHECK(keys.Authenticate(std::string(1025, 'k')).status().code() == StatusCode::kUnauthenticated);
  // Exactly the value: not a prefix, not with another letter case or extra whitespace.
  CHECK(keys.Authenticate(forever.key.substr(0, 42)).status().code() ==
        StatusCode::kUnauthenticated);
  CHECK(keys.Authenticate(forever.key + " ").status().code() == StatusCode::kUnauthenticated);

  // Valid until a millisecond before its expiration instant, by the engine clock.
  f.clock->Advance(minutes(10) - milliseconds(1));
  CHECK_OK(keys.Authenticate(expiring.key));
  f.clock->Advance(milliseconds(1));
  const Status expired = keys.Authenticate(expiring.key).status();
  CHECK(expired.code() == StatusCode::kUnauthenticated);
  CHECK(expired.ToString().find(expiring.key) == std::string::npos);
  CHECK_OK(keys.Authenticate(forever.key));
  // Still stored: expiry refuses it, it does not delete it.
  CHECK_OK(keys.Retrieve(expiring.id));
}

TEST_CASE("api keys: the service never logs a key value", "[engine][apikey]") {
  EngineFixture f;
  auto logger = std::make_shared<RecordingLogger>();
  EngineOptions options = f.Options();
  options.logger = logger;
  std::unique_ptr<Engine> engine = REQUIRE_VALUE(Engine::Open(options));
  ApiKeyService& keys = engine->api_keys();

  ApiKey request = WithValue("a-value-to-keep-out-of-logs");
  request.expiration_instant = f.clock->Now() + minutes(1);
  const ApiKey created = REQUIRE_VALUE(keys.Create(request));
  (void)keys.Authenticate(created.key);
  (void)keys.Authenticate("an-unknown-value-to-keep-out-of-logs");
  (void)keys.Create(WithValue("a-value-to-keep-out-of-logs"));
  f.clock->Advance(minutes(1));
  (void)keys.Authenticate(created.key);
  for (const std::string& message : logger->messages()) {
    INFO(message);
    CHECK(message.find("to-keep-out-of-logs") == std::string::npos);
  }
}

TEST_CASE("api keys: a tenant-locked key keeps its tenant and goes with it", "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();
  Tenant acme;
  acme.name = "Acme";
  acme = REQUIRE_VALUE(f.engine->tenants().Create(acme));

  ApiKey request = Named("acme only");
  request.tenant_id = acme.id;
  const ApiKey locked = REQUIRE_VALUE(keys.Create(request));
  const ApiKey global = REQUIRE_VALUE(keys.Create(Named("global")));
  CHECK(locked.tenant_id == acme.id);
  CHECK(keys.Retrieve(locked.id)->tenant_id == acme.id);
  CHECK(keys.Authenticate(locked.key)->tenant_id == acme.id);
  CHECK_FALSE(keys.Authenticate(global.key)->tenant_id.has_value());

  REQUIRE_OK(f.engine->tenants().Delete(acme.id));
  CHECK(keys.Retrieve(locked.id).status().code() == StatusCode::kNotFound);
  CHECK(keys.Authenticate(locked.key).status().code() == StatusCode::kUnauthenticated);
  CHECK_OK(keys.Authenticate(global.key));
  CHECK(keys.RetrieveAll()->size() == 1);
}

TEST_CASE("api keys: Update replaces the editable members, never the value or the tenant",
          "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();
  Tenant acme;
  acme.name = "Acme";
  acme = REQUIRE_VALUE(f.engine->tenants().Create(acme));
  ApiKey request = Named("original");
  request.tenant_id = acme.id;
  request.endpoint_permissions = {{"/api/user", {"GET"}}};
  request.meta_data_attributes = {{"description", "before"}};
  const ApiKey created = REQUIRE_VALUE(keys.Create(request));
  const ApiKey other = REQUIRE_VALUE(keys.Create(Named("other")));
  f.clock->Advance(minutes(1));

  ApiKey change = REQUIRE_VALUE(keys.Retrieve(created.id));
  change.name = "renamed";
  change.key_manager = true;
  change.retrievable = true;
  change.endpoint_permissions = {{"/api/application", {"GET", "DELETE"}}};
  change.meta_data_attributes = {{"description", "after"}};
  change.ip_access_control_list_id = REQUIRE_VALUE(IpAccessControlListId::Generate(*f.random));
  change.expiration_instant = f.clock->Now() + minutes(5);
  change.insert_instant = f.clock->Now();  // ignored
  const ApiKey updated = REQUIRE_VALUE(keys.Update(change));
  CHECK(updated.key.empty());
  CHECK(updated.name == "renamed");
  CHECK(updated.key_manager);
  CHECK_FALSE(updated.retrievable);
  CHECK(updated.endpoint_permissions == change.endpoint_permissions);
  CHECK(updated.meta_data_attributes == change.meta_data_attributes);
  CHECK(updated.ip_access_control_list_id == change.ip_access_control_list_id);
  CHECK(updated.expiration_instant == change.expiration_instant);
  CHECK(updated.tenant_id == acme.id);
  CHECK(updated.insert_instant == created.insert_instant);
  CHECK(updated.last_update_instant == f.clock->Now());
  CHECK(*keys.Retrieve(created.id) == updated);
  // The value still authenticates.
  CHECK(*keys.Authenticate(created.key) == updated);

  SECTION("the key's own value may be sent back") {
    ApiKey same = updated;
    same.key = created.key;
    same.name = "same value";
    CHECK(keys.Update(same)->name == "same value");
  }
  SECTION("another value is refused, even another key's") {
    ApiKey changed = updated;
    changed.key = "a-brand-new-value-0123456789";
    CheckField(keys.Update(changed).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.key");
    changed.key = other.key;
    CheckField(keys.Update(changed).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.key");
    changed.key = std::string(1025, 'k');
    CheckField(keys.Update(changed).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.key");
    CHECK(keys.Authenticate("a-brand-new-value-0123456789").status().code() ==
          StatusCode::kUnauthenticated);
  }
  SECTION("the tenant cannot change") {
    ApiKey moved = updated;
    moved.tenant_id = f.default_tenant();
    CheckField(keys.Update(moved).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.tenantId");
    moved.tenant_id.reset();
    CheckField(keys.Update(moved).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.tenantId");
    ApiKey scoped = other;
    scoped.tenant_id = acme.id;
    CheckField(keys.Update(scoped).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.tenantId");
  }
  SECTION("Create's checks apply") {
    ApiKey bad = updated;
    bad.endpoint_permissions = {{"/api/user", {"TRACE"}}};
    bad.expiration_instant = f.clock->Now();
    const Status s = keys.Update(bad).status();
    CheckField(s, StatusCode::kInvalidArgument, "invalid", "apiKey.permissions.endpoints");
    CHECK(s.errors().HasField("invalid", "apiKey.expirationInstant"));
  }
  SECTION("an expired key can still be edited, but not given a past expiry") {
    f.clock->Advance(minutes(10));
    ApiKey edit = updated;
    edit.name = "edited after expiry";
    CHECK(keys.Update(edit)->name == "edited after expiry");
    edit.expiration_instant = f.clock->Now() - minutes(1);
    CheckField(keys.Update(edit).status(), StatusCode::kInvalidArgument, "invalid",
               "apiKey.expirationInstant");
    edit.expiration_instant.reset();  // never expires
    CHECK_OK(keys.Update(edit));
    CHECK_OK(keys.Authenticate(created.key));
  }
  SECTION("a key that does not exist is kNotFound") {
    ApiKey ghost = updated;
    ghost.id = REQUIRE_VALUE(ApiKeyId::Generate(*f.random));
    CHECK(keys.Update(ghost).status().code() == StatusCode::kNotFound);
  }
  // A refused update changed nothing.
  CHECK(keys.Retrieve(created.id)->tenant_id == acme.id);
  CHECK_OK(keys.Authenticate(created.key));
}

TEST_CASE("api keys: a key is deleted once, and then no longer authenticates", "[engine][apikey]") {
  EngineFixture f;
  ApiKeyService& keys = f.engine->api_keys();
  const ApiKey doomed = REQUIRE_VALUE(keys.Create(Named("doomed")));
  const ApiKey kept = REQUIRE_VALUE(keys.Create(Named("kept")));

  REQUIRE_OK(keys.Delete(doomed.id));
  CHECK(keys.Retrieve(doomed.id).status().code() == StatusCode::kNotFound);
  CHECK(keys.Authenticate(doomed.key).status().code() == StatusCode::kUnauthenticated);
  CHECK(keys.Delete(doomed.id).code() == StatusCode::kNotFound);
  CHECK(keys.Delete(REQUIRE_VALUE(ApiKeyId::Generate(*f.random))).code() == StatusCode::kNotFound);
  CHECK_OK(keys.Authenticate(kept.key));
  CHECK(keys.RetrieveAll()->size() == 1);
}

TEST_CASE("api keys: storage failures surface as kUnavailable, never as a refused key",
          "[engine][apikey][fault]") {
  std::shared_ptr<testing::FaultInjectingStore> store =
      REQUIRE_VALUE(testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"}));
  auto clock = std::make_shared<testing::ManualClock>();
  std::unique_ptr<Engine> engine = REQUIRE_VALUE(Engine::Open({.store = store, .clock = clock}));
  ApiKeyService& keys = engine->api_keys();
  const ApiKey key = REQUIRE_VALUE(keys.Create(Named("kept")));

  store->FailReads(true);
  CHECK(keys.Authenticate(key.key).status().code() == StatusCode::kUnavailable);
  CHECK(keys.Retrieve(key.id).status().code() == StatusCode::kUnavailable);
  CHECK(keys.RetrieveAll().status().code() == StatusCode::kUnavailable);
  store->ClearFaults();

  store->FailWriteStatement(1);
  CHECK(keys.Create(Named("lost")).status().code() == StatusCode::kUnavailable);
  store->FailCommit(true);
  CHECK(keys.Delete(key.id).code() == StatusCode::kUnavailable);
  ApiKey renamed = key;
  renamed.key.clear();
  renamed.name = "renamed";
  CHECK(keys.Update(renamed).status().code() == StatusCode::kUnavailable);
  store->ClearFaults();

  const std::vector<ApiKey> all = REQUIRE_VALUE(keys.RetrieveAll());
  REQUIRE(all.size() == 1);
  CHECK(all[0].name == "kept");
  CHECK_OK(keys.Authenticate(key.key));
}

TEST_CASE("api keys: many threads create and authenticate keys at once",
          "[engine][apikey][concurrency]") {
  test::TempDbPath path;
  EngineFixture f(path.str());
  ApiKeyService& keys = f.engine->api_keys();
  const ApiKey shared = REQUIRE_VALUE(keys.Create(Named("shared")));
  constexpr int kThreads = 6;
  constexpr int kPerThread = 10;
  std::vector<std::vector<ApiKey>> created(kThreads);
  std::vector<std::vector<Status>> failures(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < kPerThread; ++n) {
        Result<ApiKey> key = keys.Create(Named("t" + std::to_string(i) + "-" + std::to_string(n)));
        if (!key.ok()) {
          failures[i].push_back(key.status());
          continue;
        }
        created[i].push_back(*key);
        Result<ApiKey> own = keys.Authenticate(key->key);
        if (!own.ok()) failures[i].push_back(own.status());
        if (own.ok() && own->id != key->id) failures[i].push_back(Status::Internal("wrong key"));
        Result<ApiKey> other = keys.Authenticate(shared.key);
        if (!other.ok()) failures[i].push_back(other.status());
        if (keys.Authenticate(key->key + "x").ok()) {
          failures[i].push_back(Status::Internal("a wrong value authenticated"));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();

  std::set<std::string> values = {shared.key};
  std::set<ApiKeyId> ids = {shared.id};
  for (int i = 0; i < kThreads; ++i) {
    for (const Status& s : failures[i]) {
      INFO(s.ToString());
      CHECK_OK(s);
    }
    CHECK(created[i].size() == kPerThread);
    for (const ApiKey& key : created[i]) {
      values.insert(key.key);
      ids.insert(key.id);
    }
  }
  CHECK(values.size() == kThreads * kPerThread + 1);
  CHECK(ids.size() == kThreads * kPerThread + 1);
  CHECK(*f.store->api_keys().Count() == kThreads * kPerThread + 1);
  // Every key still authenticates afterwards.
  for (const std::vector<ApiKey>& batch : created) {
    for (const ApiKey& key : batch) CHECK(keys.Authenticate(key.key)->id == key.id);
  }
}

}  // namespace
}  // namespace bulwark
