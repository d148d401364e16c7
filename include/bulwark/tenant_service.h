// SPDX-License-Identifier: Apache-2.0
//
// TenantService: create, retrieve, update and delete tenants (FusionAuth's Tenant API,
// /api/tenant). Obtain it from Engine::tenants().
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_TENANT_SERVICE_H_
#define BULWARK_TENANT_SERVICE_H_

#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/tenant.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

class BULWARK_EXPORT TenantService {
 public:
  TenantService(const TenantService&) = delete;
  TenantService& operator=(const TenantService&) = delete;

  // Creates a tenant. A nil `tenant.id` gets a random id. insertInstant and lastUpdateInstant
  // come from the Clock. Errors: [blank]tenant.name and other validation errors,
  // [duplicate]tenant.name, [duplicate]tenant.id.
  Result<Tenant> Create(Tenant tenant);
  Result<Tenant> Retrieve(TenantId id);
  // Every tenant, ordered by name.
  Result<std::vector<Tenant>> RetrieveAll();
  // Replaces the tenant whose id is `tenant.id` (FusionAuth's PUT). insertInstant is kept.
  // kNotFound when it does not exist.
  Result<Tenant> Update(Tenant tenant);
  // Deletes the tenant with its applications, users and registrations. The default tenant
  // cannot be deleted (kFailedPrecondition).
  Status Delete(TenantId id);

 private:
  friend class Engine;
  explicit TenantService(internal::EngineContext& context) : ctx_(context) {}

  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_TENANT_SERVICE_H_
