// SPDX-License-Identifier: Apache-2.0
#include "bulwark/application_service.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "crypto/base64.h"
#include "engine/context.h"
#include "engine/validation.h"

namespace bulwark {
namespace {

// FusionAuth generates a client secret when none is given: 32 random bytes, Base64.
Result<std::string> NewClientSecret(internal::EngineContext& ctx) {
  std::array<std::uint8_t, 32> bytes{};
  Status s = [&] {
    try {
      return ctx.random->Fill(std::as_writable_bytes(std::span(bytes)));
    } catch (...) {
      return Status::Internal("the Random implementation threw");
    }
  }();
  if (!s.ok()) return s;
  return internal::Base64Encode(bytes);
}

// An application write may change which keys sign for it (its jwtConfiguration) and
// whether it issues anything at all (active).
Status ApplyApplicationWrite(internal::EngineContext& ctx, const WriteBatch& batch) {
  Status applied = ctx.Apply(batch);
  ctx.signing_keys.ReferencesChanged();
  return applied;
}

ApplicationRole* FindRole(Application& app, RoleId id) {
  auto it = std::find_if(app.roles.begin(), app.roles.end(),
                         [&](const ApplicationRole& r) { return r.id == id; });
  return it == app.roles.end() ? nullptr : &*it;
}

}  // namespace

Result<Application> ApplicationService::Create(Application application) {
  if (application.tenant_id.IsNil()) application.tenant_id = ctx_.default_tenant_id;
  BULWARK_RETURN_IF_ERROR(internal::ValidateApplication(application));
  Result<Tenant> tenant = ctx_.LoadTenant(application.tenant_id);
  if (!tenant.ok()) {
    if (tenant.status().code() != StatusCode::kNotFound) return tenant.status();
    return Status::FieldError("invalid", "application.tenantId", "The tenant does not exist.");
  }
  if (application.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(application.id, ctx_.NewId<ApplicationId>());
  }
  if (application.oauth_configuration.client_secret.empty()) {
    BULWARK_ASSIGN_OR_RETURN(application.oauth_configuration.client_secret, NewClientSecret(ctx_));
  }
  // FusionAuth's default grants for a new application. The model cannot tell an absent list
  // from an empty one, so an application created with none gets them too; an update can
  // clear them.
  if (application.oauth_configuration.enabled_grants.empty()) {
    application.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode,
                                                      GrantType::kRefreshToken};
  }
  const Instant now = ctx_.Now();
  application.active = true;
  application.state = ObjectState::kActive;
  application.insert_instant = now;
  application.last_update_instant = now;
  for (ApplicationRole& role : application.roles) {
    if (role.id.IsNil()) {
      BULWARK_ASSIGN_OR_RETURN(role.id, ctx_.NewId<RoleId>());
    }
    role.insert_instant = now;
    role.last_update_instant = now;
  }
  WriteBatch batch;
  batch.Insert(application);
  BULWARK_RETURN_IF_ERROR(ApplyApplicationWrite(ctx_, batch));
  return application;
}

Result<Application> ApplicationService::Retrieve(ApplicationId id) {
  return ctx_.LoadApplication(id);
}

Result<std::vector<Application>> ApplicationService::RetrieveAll(TenantId tenant_id,
                                                                 ApplicationFilter filter) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<Application> all,
                           ctx_.store->applications().ListByTenant(tenant_id));
  const bool want_active = filter == ApplicationFilter::kActive;
  std::erase_if(all, [&](const Application& a) { return a.active != want_active; });
  return all;
}

Result<Application> ApplicationService::Update(Application application) {
  BULWARK_ASSIGN_OR_RETURN(Application current, Retrieve(application.id));
  application.tenant_id = current.tenant_id;
  application.roles = std::move(current.roles);
  application.active = current.active;
  application.state = current.state;
  if (application.oauth_configuration.client_secret.empty()) {
    application.oauth_configuration.client_secret = current.oauth_configuration.client_secret;
  }
  BULWARK_RETURN_IF_ERROR(internal::ValidateApplication(application));
  application.insert_instant = current.insert_instant;
  application.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(application);
  BULWARK_RETURN_IF_ERROR(ApplyApplicationWrite(ctx_, batch));
  return application;
}

namespace {

Result<Application> SetActive(internal::EngineContext& ctx, Result<Application> app, bool active) {
  if (!app.ok()) return app;
  app->active = active;
  app->state = active ? ObjectState::kActive : ObjectState::kInactive;
  app->last_update_instant = ctx.Now();
  WriteBatch batch;
  batch.Update(*app);
  BULWARK_RETURN_IF_ERROR(ApplyApplicationWrite(ctx, batch));
  return app;
}

}  // namespace

Result<Application> ApplicationService::Deactivate(ApplicationId id) {
  return SetActive(ctx_, Retrieve(id), false);
}

Result<Application> ApplicationService::Reactivate(ApplicationId id) {
  return SetActive(ctx_, Retrieve(id), true);
}

Status ApplicationService::Delete(ApplicationId id) {
  WriteBatch batch;
  batch.Delete(id);
  return ApplyApplicationWrite(ctx_, batch);
}

Result<ApplicationRole> ApplicationService::CreateRole(ApplicationId application_id,
                                                       ApplicationRole role) {
  BULWARK_RETURN_IF_ERROR(internal::ValidateRole(role));
  BULWARK_ASSIGN_OR_RETURN(Application app, Retrieve(application_id));
  if (role.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(role.id, ctx_.NewId<RoleId>());
  }
  const Instant now = ctx_.Now();
  role.insert_instant = now;
  role.last_update_instant = now;
  app.roles.push_back(role);
  app.last_update_instant = now;
  WriteBatch batch;
  batch.Update(app);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return role;
}

Result<ApplicationRole> ApplicationService::UpdateRole(ApplicationId application_id,
                                                       ApplicationRole role) {
  BULWARK_RETURN_IF_ERROR(internal::ValidateRole(role));
  BULWARK_ASSIGN_OR_RETURN(Application app, Retrieve(application_id));
  ApplicationRole* current = FindRole(app, role.id);
  if (current == nullptr) return Status::NotFound("no such role in the application");
  const Instant now = ctx_.Now();
  role.insert_instant = current->insert_instant;
  role.last_update_instant = now;
  *current = role;
  app.last_update_instant = now;
  WriteBatch batch;
  batch.Update(app);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return role;
}

Status ApplicationService::DeleteRole(ApplicationId application_id, RoleId role_id) {
  BULWARK_ASSIGN_OR_RETURN(Application app, Retrieve(application_id));
  if (FindRole(app, role_id) == nullptr) return Status::NotFound("no such role in the application");
  std::erase_if(app.roles, [&](const ApplicationRole& r) { return r.id == role_id; });
  app.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(app);
  return ctx_.Apply(batch);
}

}  // namespace bulwark
