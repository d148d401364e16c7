// SPDX-License-Identifier: Apache-2.0
// Private: what every service shares — the plug-ins from EngineOptions and small helpers
// that call them safely (host interfaces are documented as non-throwing; a catch-all here
// is defence in depth).
#ifndef BULWARK_ENGINE_CONTEXT_H_
#define BULWARK_ENGINE_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "bulwark/clock.h"
#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/password_hasher.h"
#include "bulwark/event_sink.h"
#include "bulwark/http_client.h"
#include "bulwark/ids.h"
#include "bulwark/lambdas.h"
#include "bulwark/logger.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/tenant.h"
#include "bulwark/random.h"
#include "bulwark/result.h"
#include "bulwark/store/store.h"
#include "engine/decoded_cache.h"
#include "engine/signing_keys.h"
#include "engine/store_errors.h"
#include "store/forwarding_store.h"

namespace bulwark::internal {

// How the Engine calls the host's Store (store/forwarding_store.h): an exception escaping it
// becomes kInternal "storage failure" and one error log line, so none crosses the API.
class StoreExceptionGuard {
 public:
  explicit StoreExceptionGuard(std::shared_ptr<Logger> logger) : logger_(std::move(logger)) {}
  template <typename F>
  auto Read(F&& call) -> decltype(call()) {
    return Guard(call);
  }
  template <typename F>
  auto Write(F&& call) -> decltype(call()) {
    return Guard(call);
  }

 private:
  template <typename F>
  auto Guard(F& call) -> decltype(call()) {
    try {
      return call();
    } catch (const std::exception&) {
      logger_->Log(LogLevel::kError, "the Store implementation threw an exception");
    } catch (...) {
      logger_->Log(LogLevel::kError, "the Store implementation threw");
    }
    return Status::Internal("storage failure");
  }
  std::shared_ptr<Logger> logger_;
};

struct EngineContext {
  // The host's Store (EngineOptions::store), and the view of it every service uses: the same
  // calls through StoreExceptionGuard. Declared in this order so the view goes first.
  std::shared_ptr<Store> host_store;
  std::unique_ptr<ForwardingStore<StoreExceptionGuard>> store;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<Random> random;
  std::shared_ptr<EventSink> event_sink;
  std::shared_ptr<Logger> logger;
  TenantId default_tenant_id;  // set once by Engine::Open, then read-only
  // The built-in password schemes plus EngineOptions::password_hashers, registered by
  // Engine::Open before any service runs.
  PasswordHasherRegistry password_hashers;
  // Parsed Key Master keys for signing and verifying tokens.
  SigningKeys signing_keys;
  // Decoded configuration (decoded_cache.h); read it with LoadTenant(), LoadApplication()
  // and LoadIdentityProvider(), which keep it current.
  DecodedCache<TenantId, Tenant> tenant_cache;
  DecodedCache<ApplicationId, Application> application_cache;
  DecodedCache<IdentityProviderId, IdentityProvider> provider_cache;
  // The store's configuration generation when last read (0: never read).
  std::atomic<std::uint64_t> seen_generation{0};
  // Hashes of a dummy password per (scheme, factor), so that a login with an unknown login
  // id costs one verification, as a wrong password does.
  struct DummyHashes {
    std::mutex mu;
    std::map<std::pair<std::string, int>, PasswordHash> by_scheme;
  } dummy_hashes;
  // EngineOptions::jwt_populate_lambdas, read-only after Open.
  std::map<LambdaId, JwtPopulateFn> jwt_populate_lambdas;
  // EngineOptions::reconcile_lambdas, read-only after Open.
  std::map<LambdaId, ReconcileFn> reconcile_lambdas;
  // EngineOptions::userinfo_populate_lambdas, read-only after Open.
  std::map<LambdaId, UserinfoPopulateFn> userinfo_populate_lambdas;
  // EngineOptions::http_client; may be null.
  std::shared_ptr<HttpClient> http_client;
  // What OpenID Connect providers published: discovery documents by issuer, JWKS by URI,
  // each with when it was fetched (kept for kOidcCacheMaxAge; an unknown kid fetches the
  // JWKS again at once; updating or deleting a provider forgets everything).
  struct OidcEndpoints {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string userinfo_endpoint;
    std::string jwks_uri;
  };
  struct CachedJwks {
    std::shared_ptr<const VerificationKeySet> keys;
    Instant fetched_at{};
  };
  struct CachedEndpoints {
    OidcEndpoints endpoints;
    Instant fetched_at{};
  };
  struct OidcCache {
    std::mutex mu;
    std::map<std::string, CachedEndpoints, std::less<>> discovery;
    std::map<std::string, CachedJwks, std::less<>> jwks;
    void Clear() {
      std::lock_guard<std::mutex> lock(mu);
      discovery.clear();
      jwks.clear();
    }
  } oidc_cache;

  Instant Now() const noexcept { return clock->Now(); }

  template <typename IdT>
  Result<IdT> NewId() {
    try {
      return IdT::Generate(*random);
    } catch (...) {
      return Status::Internal("the Random implementation threw");
    }
  }

  // Applies `batch`; a violation the store reports comes back as FusionAuth's error
  // (store_errors.h). A batch that writes configuration clears the decoded copies, whatever
  // the outcome (for a store without a configuration generation; with one, the next read
  // would notice anyway).
  Status Apply(const WriteBatch& batch) {
    Status applied = StoreErrors(store->Apply(batch));
    if (WritesConfiguration(batch)) ClearDecoded();
    return applied;
  }

  // Reads the store's configuration generation and, when it moved since the last read,
  // forgets every decoded copy: tenants, applications, identity providers and parsed keys
  // (what OpenID Connect providers published is keyed by their URLs and kept by its own
  // age). True when the store has a generation (copies are then current until it moves);
  // false when it has none (kUnimplemented). A store failure is returned: nothing is served
  // from copies that cannot be checked.
  Result<bool> SyncConfiguration() {
    Result<std::uint64_t> generation = store->ConfigurationGeneration();
    if (!generation.ok()) {
      if (generation.status().code() == StatusCode::kUnimplemented) return false;
      return generation.status();
    }
    // Racing readers may swap older and newer values; each swap that changes the value
    // clears, so a copy older than the newest generation read never survives a sync.
    if (seen_generation.exchange(*generation) != *generation) {
      ClearDecoded();
      signing_keys.ForgetAll();
    }
    return true;
  }

  // The stored tenant `id` (kNotFound when there is none), through tenant_cache.
  Result<Tenant> LoadTenant(TenantId id) {
    BULWARK_ASSIGN_OR_RETURN(bool by_generation, SyncConfiguration());
    return tenant_cache.Get(id, by_generation, Now(), [&] { return store->tenants().Get(id); });
  }
  // The stored application `id` (kNotFound when there is none; inactive ones too).
  Result<Application> LoadApplication(ApplicationId id) {
    BULWARK_ASSIGN_OR_RETURN(bool by_generation, SyncConfiguration());
    return application_cache.Get(id, by_generation, Now(),
                                 [&] { return store->applications().Get(id); });
  }
  // The stored identity provider `id` (kNotFound when there is none).
  Result<IdentityProvider> LoadIdentityProvider(IdentityProviderId id) {
    BULWARK_ASSIGN_OR_RETURN(bool by_generation, SyncConfiguration());
    return provider_cache.Get(id, by_generation, Now(),
                              [&] { return store->identity_providers().Get(id); });
  }

  void ClearDecoded() {
    tenant_cache.Clear();
    application_cache.Clear();
    provider_cache.Clear();
  }

  static bool WritesConfiguration(const WriteBatch& batch) {
    for (const WriteBatch::Operation& op : batch.operations()) {
      if (std::holds_alternative<WriteBatch::InsertTenant>(op) ||
          std::holds_alternative<WriteBatch::UpdateTenant>(op) ||
          std::holds_alternative<WriteBatch::DeleteTenant>(op) ||
          std::holds_alternative<WriteBatch::SetDefaultTenant>(op) ||
          std::holds_alternative<WriteBatch::SetAccessTokenKeyIfUnset>(op) ||
          std::holds_alternative<WriteBatch::InsertApplication>(op) ||
          std::holds_alternative<WriteBatch::UpdateApplication>(op) ||
          std::holds_alternative<WriteBatch::DeleteApplication>(op) ||
          std::holds_alternative<WriteBatch::InsertIdentityProvider>(op) ||
          std::holds_alternative<WriteBatch::UpdateIdentityProvider>(op) ||
          std::holds_alternative<WriteBatch::DeleteIdentityProvider>(op)) {
        return true;
      }
    }
    return false;
  }

  void Log(LogLevel level, std::string_view message) noexcept { logger->Log(level, message); }

  struct EventIds {
    std::optional<TenantId> tenant_id = std::nullopt;
    std::optional<UserId> user_id = std::nullopt;
    std::optional<ApplicationId> application_id = std::nullopt;
    std::optional<RegistrationId> registration_id = std::nullopt;
    std::string_view ip_address = {};
    std::string_view authentication_type = {};
  };
  // Reports an event after a committed change. Never fails the operation: an event id that
  // cannot be drawn is left nil.
  void Emit(EventType type, const EventIds& ids) noexcept;
};

// A store lookup whose kNotFound is an answer, not an error: nullopt.
template <typename T>
Result<std::optional<T>> IfFound(Result<T> found) {
  if (found.ok()) return std::optional<T>(*std::move(found));
  if (found.status().code() == StatusCode::kNotFound) return std::optional<T>();
  return found.status();
}

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_CONTEXT_H_
