// SPDX-License-Identifier: Apache-2.0
#include "bulwark/engine.h"

#include <utility>

#include "engine/context.h"

namespace bulwark {
namespace internal {

void EngineContext::Emit(EventType type, const EventIds& ids) noexcept {
  try {
    Event event;
    event.type = type;
    Result<EventId> id = EventId::Generate(*random);
    if (id.ok()) event.id = *id;
    event.create_instant = Now();
    event.tenant_id = ids.tenant_id;
    event.user_id = ids.user_id;
    event.application_id = ids.application_id;
    event.registration_id = ids.registration_id;
    event.ip_address = std::string(ids.ip_address);
    event.authentication_type = std::string(ids.authentication_type);
    event_sink->OnEvent(event);
  } catch (...) {
    Log(LogLevel::kError, "could not report an event");
  }
}

}  // namespace internal

namespace {

// A shared_ptr that does not own a never-destroyed default.
template <typename T>
std::shared_ptr<T> Unowned(T& object) {
  return std::shared_ptr<T>(std::shared_ptr<T>(), &object);
}

Result<TenantId> EnsureDefaultTenant(internal::EngineContext& ctx, const EngineOptions& options) {
  Result<TenantId> existing = ctx.store->tenants().DefaultTenantId();
  if (existing.ok()) return existing;
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();

  Tenant tenant;
  if (options.default_tenant_id.has_value()) {
    tenant.id = *options.default_tenant_id;
  } else {
    BULWARK_ASSIGN_OR_RETURN(tenant.id, ctx.NewId<TenantId>());
  }
  tenant.name = options.default_tenant_name;
  tenant.insert_instant = ctx.Now();
  tenant.last_update_instant = tenant.insert_instant;
  WriteBatch batch;
  batch.Insert(tenant);
  batch.SetDefault(tenant.id);
  Status s = ctx.Apply(batch);
  if (!s.ok()) {
    // Another process may have created it first; prefer what is stored.
    Result<TenantId> again = ctx.store->tenants().DefaultTenantId();
    if (again.ok()) return again;
    return s;
  }
  ctx.Log(LogLevel::kInfo, "created the default tenant");
  return tenant.id;
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  if (options.store == nullptr) {
    return Status::InvalidArgument("EngineOptions.store is required (see OpenSqliteStore)");
  }
  if (options.default_tenant_name.empty()) {
    return Status::InvalidArgument("EngineOptions.default_tenant_name must not be empty");
  }
  auto ctx = std::make_unique<internal::EngineContext>();
  ctx->clock = options.clock ? options.clock : Unowned(Clock::Default());
  ctx->random = options.random ? options.random : Unowned(Random::Default());
  ctx->event_sink = options.event_sink ? options.event_sink : Unowned(EventSink::Null());
  ctx->logger = options.logger ? options.logger : Unowned(Logger::Null());
  ctx->host_store = options.store;
  ctx->store = std::make_unique<internal::ForwardingStore<internal::StoreExceptionGuard>>(
      *ctx->host_store, ctx->logger);
  for (auto& hasher : options.password_hashers) {
    BULWARK_RETURN_IF_ERROR(ctx->password_hashers.Register(std::move(hasher)));
  }
  ctx->jwt_populate_lambdas = std::move(options.jwt_populate_lambdas);
  for (const auto& [id, fn] : options.reconcile_lambdas) {
    if (!fn)
      return Status::InvalidArgument("EngineOptions.reconcile_lambdas has an empty callback");
  }
  ctx->reconcile_lambdas = std::move(options.reconcile_lambdas);
  for (const auto& [id, fn] : options.userinfo_populate_lambdas) {
    if (!fn) {
      return Status::InvalidArgument(
          "EngineOptions.userinfo_populate_lambdas has an empty callback");
    }
  }
  ctx->userinfo_populate_lambdas = std::move(options.userinfo_populate_lambdas);
  ctx->http_client = std::move(options.http_client);
  BULWARK_ASSIGN_OR_RETURN(ctx->default_tenant_id, EnsureDefaultTenant(*ctx, options));
  return std::unique_ptr<Engine>(new Engine(std::move(ctx)));
}

Engine::Engine(std::unique_ptr<internal::EngineContext> context)
    : context_(std::move(context)),
      tenants_(new TenantService(*context_)),
      applications_(new ApplicationService(*context_)),
      users_(new UserService(*context_)),
      registrations_(new RegistrationService(*context_)),
      keys_(new KeyService(*context_)),
      login_(new LoginService(*context_)),
      tokens_(new TokenService(*context_)),
      identity_providers_(new IdentityProviderService(*context_)),
      identity_provider_links_(new IdentityProviderLinkService(*context_)),
      api_keys_(new ApiKeyService(*context_)) {}

Engine::~Engine() = default;

internal::EngineContext& internal::ContextOf(Engine& engine) { return *engine.context_; }

TenantId Engine::default_tenant_id() const { return context_->default_tenant_id; }

Store& Engine::store() { return *context_->host_store; }

const Clock& Engine::clock() const { return *context_->clock; }

}  // namespace bulwark
