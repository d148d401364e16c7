// SPDX-License-Identifier: Apache-2.0
//
// Engine: bulwark's entry point. It opens everything from EngineOptions and hands out narrow
// services — tenants(), applications(), users(), registrations(), keys(), login(), tokens(),
// identity_providers(), identity_provider_links(), api_keys() — each documented in its own
// header. The Engine wires; the services do the work.
//
//   auto store = bulwark::OpenSqliteStore({.path = "bulwark.db"});
//   if (!store.ok()) return;
//   auto engine = bulwark::Engine::Open({.store = std::move(*store)});
//   if (!engine.ok()) return;
//   bulwark::Result<bulwark::User> user = (*engine)->users().Create(...);
//
// On the first open of an empty store the Engine creates the default tenant (FusionAuth's
// "Default" tenant), which always exists and cannot be deleted.
//
// Caching: an Engine keeps parsed keys and decoded tenants in memory. A write through the
// Engine is seen by its next read. Writes that bypass it — another Engine or process on the
// same store — are seen within one second for tenants; a Key Master key changed that way is
// seen once this Engine changes that key itself, or is reopened.
//
// Process-wide side effects: none so far beyond OpenSSL's own lazy initialisation (which
// loads its configuration file on first use). Create an Engine after a pre-forking server
// forks; never carry one across fork().
//
// Thread-safe: the Engine and every service it hands out are safe for concurrent use from
// multiple threads without external synchronisation. Services live as long as the Engine.
#ifndef BULWARK_ENGINE_H_
#define BULWARK_ENGINE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/api_key_service.h"
#include "bulwark/application_service.h"
#include "bulwark/clock.h"
#include "bulwark/crypto/password_hasher.h"
#include "bulwark/event_sink.h"
#include "bulwark/export.h"
#include "bulwark/http_client.h"
#include "bulwark/identity_provider_link_service.h"
#include "bulwark/identity_provider_service.h"
#include "bulwark/ids.h"
#include "bulwark/key_service.h"
#include "bulwark/lambdas.h"
#include "bulwark/logger.h"
#include "bulwark/login_service.h"
#include "bulwark/random.h"
#include "bulwark/registration_service.h"
#include "bulwark/result.h"
#include "bulwark/store/store.h"
#include "bulwark/tenant_service.h"
#include "bulwark/token_service.h"
#include "bulwark/user_service.h"

namespace bulwark {

class Engine;

namespace internal {
struct EngineContext;
// What the protocol modules above the engine (oauth2/, saml/) build on: the Engine's shared
// context, with the login pipeline's plug-ins and caches. Private to the library.
EngineContext& ContextOf(Engine& engine);
}  // namespace internal

// Every member has a default, so designated initialisers may name only what they change.
// Plug-ins are shared: the Engine keeps its reference for its whole lifetime. Null means the
// default, except for `store`, which is required.
struct EngineOptions {
  // Required. OpenSqliteStore() gives the embedded default.
  std::shared_ptr<Store> store = nullptr;
  // Default: Clock::Default() (the system clock).
  std::shared_ptr<Clock> clock = nullptr;
  // Default: Random::Default() (OpenSSL RAND_bytes).
  std::shared_ptr<Random> random = nullptr;
  // Default: EventSink::Null().
  std::shared_ptr<EventSink> event_sink = nullptr;
  // Default: Logger::Null().
  std::shared_ptr<Logger> logger = nullptr;
  // The id of the default tenant created on the first open of an empty store (FusionAuth's
  // Kickstart `defaultTenantId`). Default: a random id. Ignored when the store already has a
  // default tenant.
  std::optional<TenantId> default_tenant_id = std::nullopt;
  // The name of that tenant. Default: "Default".
  std::string default_tenant_name = "Default";
  // JWT populate callbacks (FusionAuth's lambdas), selected by an application's
  // lambdaConfiguration.accessTokenPopulateId (access tokens) or idTokenPopulateId (OpenID
  // Connect id tokens). See lambdas.h.
  std::map<LambdaId, JwtPopulateFn> jwt_populate_lambdas = {};
  // Reconcile callbacks (FusionAuth's reconcile lambdas), selected by an identity provider's
  // lambdaConfiguration.reconcileId. See lambdas.h.
  std::map<LambdaId, ReconcileFn> reconcile_lambdas = {};
  // UserInfo populate callbacks, selected by an application's
  // lambdaConfiguration.userinfoPopulateId. See lambdas.h.
  std::map<LambdaId, UserinfoPopulateFn> userinfo_populate_lambdas = {};
  // The outbound transport for OpenID Connect providers (discovery, token exchange,
  // userinfo, JWKS). Default: none — an OpenIDConnect login then fails with
  // kFailedPrecondition.
  // Tests use bulwark::testing::FakeHttpClient.
  std::shared_ptr<HttpClient> http_client = nullptr;
  // Password schemes beyond the built-ins (bulwark/crypto/password_hasher.h), e.g. one from
  // NewFirebaseScryptHasher() or a host's own PasswordHasher. Each becomes usable as a
  // tenant's or a user's `encryptionScheme`. Engine::Open fails with kInvalidArgument for a
  // null entry or a blank scheme, and kAlreadyExists for a scheme that is already taken (the
  // built-ins cannot be replaced). Default: none.
  std::vector<std::shared_ptr<const PasswordHasher>> password_hashers = {};
};

class BULWARK_EXPORT Engine {
 public:
  // Validates the options, opens the services and, on an empty store, creates the default
  // tenant. kInvalidArgument when `store` is null; the errors of
  // PasswordHasherRegistry::Register for `password_hashers`; store errors pass through.
  static Result<std::unique_ptr<Engine>> Open(EngineOptions options);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  TenantService& tenants() { return *tenants_; }
  ApplicationService& applications() { return *applications_; }
  UserService& users() { return *users_; }
  RegistrationService& registrations() { return *registrations_; }
  KeyService& keys() { return *keys_; }
  LoginService& login() { return *login_; }
  TokenService& tokens() { return *tokens_; }
  IdentityProviderService& identity_providers() { return *identity_providers_; }
  IdentityProviderLinkService& identity_provider_links() { return *identity_provider_links_; }
  ApiKeyService& api_keys() { return *api_keys_; }

  // The default tenant, which always exists.
  TenantId default_tenant_id() const;
  // The store the Engine writes (EngineOptions::store), for what sits beside the services:
  // Kickstart's emptiness check, a host's own maintenance. Writing to it directly bypasses
  // the services' validation and events.
  Store& store();
  // The clock the Engine reads (EngineOptions::clock).
  const Clock& clock() const;

 private:
  friend internal::EngineContext& internal::ContextOf(Engine& engine);
  explicit Engine(std::unique_ptr<internal::EngineContext> context);

  std::unique_ptr<internal::EngineContext> context_;
  std::unique_ptr<TenantService> tenants_;
  std::unique_ptr<ApplicationService> applications_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<RegistrationService> registrations_;
  std::unique_ptr<KeyService> keys_;
  std::unique_ptr<LoginService> login_;
  std::unique_ptr<TokenService> tokens_;
  std::unique_ptr<IdentityProviderService> identity_providers_;
  std::unique_ptr<IdentityProviderLinkService> identity_provider_links_;
  std::unique_ptr<ApiKeyService> api_keys_;
};

}  // namespace bulwark

#endif  // BULWARK_ENGINE_H_
