// SPDX-License-Identifier: Apache-2.0
//
// Shared by the store tests: temporary database files, deterministic ids and small model
// builders, and a backend switch so that each scenario runs on ":memory:" and on a file.
#ifndef BULWARK_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_
#define BULWARK_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_

#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "bulwark/ids.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"
#include "bulwark/status.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/store/store.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"

// REQUIRE/CHECK that a Status (or a Result's status) is OK, printing it when it is not.
#define STORE_REQUIRE_OK(expr)                      \
  do {                                              \
    const ::bulwark::Status store_status_ = (expr); \
    INFO(store_status_.ToString());                 \
    REQUIRE_OK(store_status_);                      \
  } while (0)
#define STORE_CHECK_OK(expr)                        \
  do {                                              \
    const ::bulwark::Status store_status_ = (expr); \
    INFO(store_status_.ToString());                 \
    CHECK_OK(store_status_);                        \
  } while (0)

namespace bulwark::store_test {

// A host's Store as one written before the optional members existed: it implements the pure
// virtual members only (by forwarding to `base`), so it inherits Store::artefacts() and
// Store::ConfigurationGeneration(), which answer kUnimplemented.
class MinimalHostStore final : public Store {
 public:
  explicit MinimalHostStore(std::shared_ptr<Store> base) : base_(std::move(base)) {}
  std::string_view Name() const override { return "host"; }
  int SchemaVersion() const override { return base_->SchemaVersion(); }
  TenantRepository& tenants() override { return base_->tenants(); }
  ApplicationRepository& applications() override { return base_->applications(); }
  UserRepository& users() override { return base_->users(); }
  RegistrationRepository& registrations() override { return base_->registrations(); }
  KeyRepository& keys() override { return base_->keys(); }
  RefreshTokenRepository& refresh_tokens() override { return base_->refresh_tokens(); }
  UserActionRepository& user_actions() override { return base_->user_actions(); }
  IdentityProviderRepository& identity_providers() override {
    return base_->identity_providers();
  }
  IdentityProviderLinkRepository& identity_provider_links() override {
    return base_->identity_provider_links();
  }
  ApiKeyRepository& api_keys() override { return base_->api_keys(); }
  Status Apply(const WriteBatch& batch) override { return base_->Apply(batch); }

 private:
  std::shared_ptr<Store> base_;
};

// A host's Store written the way store.h asks: its Apply iterates the batch with a
// WriteBatch::Handler that overrides only the tenant operations, collecting them, and hands
// them to `base` in one batch only when the whole batch was accepted. Any other operation
// answers the Handler's default (kUnimplemented) and nothing is written. Reads forward to
// `base`. It knows nothing of the operation variant, so operations added to WriteBatch leave
// it compiling.
class TenantsOnlyHostStore final : public Store {
 public:
  explicit TenantsOnlyHostStore(std::shared_ptr<Store> base) : base_(std::move(base)) {}
  std::string_view Name() const override { return "tenants-only host"; }
  int SchemaVersion() const override { return base_->SchemaVersion(); }
  TenantRepository& tenants() override { return base_->tenants(); }
  ApplicationRepository& applications() override { return base_->applications(); }
  UserRepository& users() override { return base_->users(); }
  RegistrationRepository& registrations() override { return base_->registrations(); }
  KeyRepository& keys() override { return base_->keys(); }
  RefreshTokenRepository& refresh_tokens() override { return base_->refresh_tokens(); }
  UserActionRepository& user_actions() override { return base_->user_actions(); }
  IdentityProviderRepository& identity_providers() override {
    return base_->identity_providers();
  }
  IdentityProviderLinkRepository& identity_provider_links() override {
    return base_->identity_provider_links();
  }
  ApiKeyRepository& api_keys() override { return base_->api_keys(); }

  Status Apply(const WriteBatch& batch) override {
    Collector collector;
    Status iterated = batch.Iterate(collector);
    if (!iterated.ok()) return iterated;
    return base_->Apply(collector.accepted);
  }

 private:
  struct Collector final : WriteBatch::Handler {
    WriteBatch accepted;
    Status OnInsertTenant(const WriteBatch::InsertTenant& op) override { return Take(op); }
    Status OnUpdateTenant(const WriteBatch::UpdateTenant& op) override { return Take(op); }
    Status OnDeleteTenant(const WriteBatch::DeleteTenant& op) override { return Take(op); }
    template <typename Op>
    Status Take(const Op& op) {
      accepted.Add(op);
      return Status::Ok();
    }
  };
  std::shared_ptr<Store> base_;
};

// A unique path under the system temp directory; removes the database and its WAL, shared
// memory and journal files when destroyed.
class TempDbPath {
 public:
  TempDbPath() {
    static std::atomic<std::uint64_t> counter{0};
    std::random_device device;
    const std::string name = "bulwark-store-test-" + std::to_string(device()) + "-" +
                             std::to_string(counter.fetch_add(1)) + ".db";
    path_ = (std::filesystem::temp_directory_path() / name).string();
  }
  TempDbPath(const TempDbPath&) = delete;
  TempDbPath& operator=(const TempDbPath&) = delete;
  ~TempDbPath() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

enum class Backend { kMemory, kFile };

inline const char* BackendName(Backend backend) {
  return backend == Backend::kMemory ? ":memory:" : "file";
}

// One database for one test: ":memory:" or a temporary file. Open() may be called again
// (after the previous store is gone) to reopen the same file.
class TestDb {
 public:
  explicit TestDb(Backend backend) : backend_(backend) {}

  SqliteStoreOptions Options() const {
    SqliteStoreOptions options;
    options.path = backend_ == Backend::kMemory ? std::string(":memory:") : file_.path();
    return options;
  }
  std::unique_ptr<Store> Open() const {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(Options());
    REQUIRE_OK(store);
    return REQUIRE_VALUE(std::move(store));
  }
  const std::string& path() const { return file_.path(); }
  Backend backend() const { return backend_; }

 private:
  Backend backend_;
  TempDbPath file_;
};

// Distinct ids, unique across kinds (one counter), so that a swapped id never finds a row.
inline Uuid NextUuid() {
  static std::atomic<std::uint64_t> counter{1};
  std::uint64_t n = counter.fetch_add(1);
  std::array<std::uint8_t, 16> bytes{};
  bytes[0] = 0xB5;  // never nil
  for (std::size_t i = 15; i >= 8; --i) {
    bytes[i] = static_cast<std::uint8_t>(n & 0xFF);
    n >>= 8;
  }
  return Uuid(bytes);
}

template <typename IdT>
IdT NewId() {
  return IdT(NextUuid());
}

inline Instant At(std::int64_t millis) { return FromEpochMillis(1'700'000'000'000 + millis); }

inline Tenant MakeTenant(std::string name) {
  Tenant tenant;
  tenant.id = NewId<TenantId>();
  tenant.name = std::move(name);
  tenant.insert_instant = At(0);
  tenant.last_update_instant = At(0);
  return tenant;
}

inline ApplicationRole MakeRole(std::string name, bool is_default = false) {
  ApplicationRole role;
  role.id = NewId<RoleId>();
  role.name = std::move(name);
  role.is_default = is_default;
  return role;
}

inline Application MakeApplication(const Tenant& tenant, std::string name,
                                   std::vector<std::string> role_names = {}) {
  Application application;
  application.id = NewId<ApplicationId>();
  application.tenant_id = tenant.id;
  application.name = std::move(name);
  for (std::string& role : role_names) application.roles.push_back(MakeRole(std::move(role)));
  application.insert_instant = At(1);
  application.last_update_instant = At(1);
  return application;
}

inline User MakeUser(const Tenant& tenant, std::string email, std::string username = "") {
  User user;
  user.id = NewId<UserId>();
  user.tenant_id = tenant.id;
  user.email = std::move(email);
  user.username = std::move(username);
  user.first_name = "Ada";
  user.password_hash = PasswordHash{.encryption_scheme = "salted-pbkdf2-hmac-sha256",
                                    .factor = 24000,
                                    .salt = "c2FsdHNhbHRzYWx0",
                                    .hash = "aGFzaGhhc2hoYXNoaGFzaA=="};
  user.insert_instant = At(2);
  user.last_update_instant = At(2);
  return user;
}

inline Registration MakeRegistration(const Application& application,
                                     std::vector<std::string> roles = {},
                                     std::int64_t inserted_at = 3) {
  Registration registration;
  registration.id = NewId<RegistrationId>();
  registration.application_id = application.id;
  registration.roles = std::move(roles);
  registration.insert_instant = At(inserted_at);
  registration.last_update_instant = At(inserted_at);
  return registration;
}

inline Status Insert(Store& store, const Tenant& tenant) {
  WriteBatch batch;
  batch.Insert(tenant);
  return store.Apply(batch);
}
inline Status Insert(Store& store, const Application& application) {
  WriteBatch batch;
  batch.Insert(application);
  return store.Apply(batch);
}
inline Status Insert(Store& store, const User& user) {
  WriteBatch batch;
  batch.Insert(user);
  return store.Apply(batch);
}
inline Status Insert(Store& store, UserId user_id, const Registration& registration) {
  WriteBatch batch;
  batch.Insert(user_id, registration);
  return store.Apply(batch);
}

// An ExternalJWT provider, global unless `tenant_id` is given.
inline IdentityProvider MakeProvider(std::string name, std::vector<std::string> domains = {},
                                     std::optional<TenantId> tenant_id = std::nullopt) {
  IdentityProvider provider;
  provider.id = NewId<IdentityProviderId>();
  provider.name = std::move(name);
  provider.type = IdentityProviderType::kExternalJwt;
  provider.enabled = true;
  provider.linking_strategy = LinkingStrategy::kCreatePendingLink;
  provider.tenant_id = tenant_id;
  provider.domains = std::move(domains);
  provider.insert_instant = At(4);
  provider.last_update_instant = At(4);
  ExternalJwtConfiguration config;
  config.header_key_parameter = "kid";
  config.claim_map = {{"plan", "UserData"}};
  provider.config = std::move(config);
  return provider;
}

// A link of `user` (in the user's tenant) to `provider`.
inline IdentityProviderLink MakeLink(const IdentityProvider& provider, const User& user,
                                     std::string identity_provider_user_id,
                                     std::int64_t inserted_at = 5) {
  IdentityProviderLink link;
  link.identity_provider_id = provider.id;
  link.identity_provider_user_id = std::move(identity_provider_user_id);
  link.user_id = user.id;
  link.tenant_id = user.tenant_id;
  link.display_name = "ada at the provider";
  link.token = "provider-token";
  link.data = {{"seen", 1}};
  link.insert_instant = At(inserted_at);
  return link;
}

// A pending link stored under `digest`, from `inserted_at` until `expires_at`.
inline StoredPendingIdPLink MakePending(std::string digest, const Tenant& tenant,
                                        const IdentityProvider& provider, std::int64_t inserted_at,
                                        std::int64_t expires_at) {
  StoredPendingIdPLink pending;
  pending.id_digest = std::move(digest);
  pending.tenant_id = tenant.id;
  pending.insert_instant = At(inserted_at);
  pending.expiry = At(expires_at);
  pending.link.identity_provider_id = provider.id;
  pending.link.identity_provider_name = provider.name;
  pending.link.identity_provider_type = provider.type;
  pending.link.identity_provider_user_id = "pending-user";
  pending.link.display_name = "Pending Person";
  pending.link.email = "pending@example.com";
  pending.link.username = "pending";
  return pending;
}

inline Status Insert(Store& store, const IdentityProvider& provider) {
  WriteBatch batch;
  batch.Insert(provider);
  return store.Apply(batch);
}
inline Status Insert(Store& store, const IdentityProviderLink& link,
                     std::optional<std::int64_t> max_links = std::nullopt) {
  WriteBatch batch;
  batch.Insert(link, max_links);
  return store.Apply(batch);
}
inline Status Insert(Store& store, const StoredPendingIdPLink& pending) {
  WriteBatch batch;
  batch.Insert(pending);
  return store.Apply(batch);
}

// The user as the store returns it: no plaintext password, no registrations.
inline User Stored(User user) {
  user.password.clear();
  user.registrations.clear();
  return user;
}

// A FaultInjectingStore over `db`'s SQLite database.
inline std::unique_ptr<testing::FaultInjectingStore> OpenFaulty(const TestDb& db) {
  Result<std::unique_ptr<testing::FaultInjectingStore>> store =
      testing::FaultInjectingStore::OpenSqlite(db.Options());
  REQUIRE_OK(store);
  return REQUIRE_VALUE(std::move(store));
}

// Whether `s` is the failure a FaultInjectingStore injects.
inline bool IsInjected(const Status& s) {
  return s.code() == StatusCode::kUnavailable && s.message() == "injected fault";
}

}  // namespace bulwark::store_test

#endif  // BULWARK_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_
