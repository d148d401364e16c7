// SPDX-License-Identifier: Apache-2.0
#include "bulwark/tenant_service.h"

#include <utility>

#include "engine/context.h"
#include "engine/validation.h"

namespace bulwark {
namespace {

// A tenant write may change which keys sign for the tenant.
Status ApplyTenantWrite(internal::EngineContext& ctx, const WriteBatch& batch) {
  Status applied = ctx.Apply(batch);
  ctx.signing_keys.ReferencesChanged();
  return applied;
}

}  // namespace

Result<Tenant> TenantService::Create(Tenant tenant) {
  BULWARK_RETURN_IF_ERROR(internal::ValidateTenant(tenant));
  if (tenant.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(tenant.id, ctx_.NewId<TenantId>());
  }
  tenant.insert_instant = ctx_.Now();
  tenant.last_update_instant = tenant.insert_instant;
  WriteBatch batch;
  batch.Insert(tenant);
  BULWARK_RETURN_IF_ERROR(ApplyTenantWrite(ctx_, batch));
  return tenant;
}

Result<Tenant> TenantService::Retrieve(TenantId id) {
  return ctx_.LoadTenant(id);
}

Result<std::vector<Tenant>> TenantService::RetrieveAll() { return ctx_.store->tenants().List(); }

Result<Tenant> TenantService::Update(Tenant tenant) {
  BULWARK_RETURN_IF_ERROR(internal::ValidateTenant(tenant));
  BULWARK_ASSIGN_OR_RETURN(Tenant current, Retrieve(tenant.id));
  tenant.insert_instant = current.insert_instant;
  tenant.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(tenant);
  BULWARK_RETURN_IF_ERROR(ApplyTenantWrite(ctx_, batch));
  return tenant;
}

Status TenantService::Delete(TenantId id) {
  if (id == ctx_.default_tenant_id) {
    return Status::FailedPrecondition("the default tenant cannot be deleted");
  }
  WriteBatch batch;
  batch.Delete(id);
  return ApplyTenantWrite(ctx_, batch);
}

}  // namespace bulwark
