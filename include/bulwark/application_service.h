// SPDX-License-Identifier: Apache-2.0
//
// ApplicationService: applications and their roles (FusionAuth's Application API,
// /api/application and /api/application/{id}/role). Obtain it from Engine::applications().
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_APPLICATION_SERVICE_H_
#define BULWARK_APPLICATION_SERVICE_H_

#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/application.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// Which applications RetrieveAll returns: FusionAuth's GET /api/application returns the
// active ones, `?inactive=true` the inactive ones.
enum class ApplicationFilter { kActive, kInactive };

class BULWARK_EXPORT ApplicationService {
 public:
  ApplicationService(const ApplicationService&) = delete;
  ApplicationService& operator=(const ApplicationService&) = delete;

  // Creates an application, with the roles it lists. A nil id gets a random one; a nil
  // tenant id means the default tenant; a blank OAuth client secret gets a random one. Errors:
  // [blank]application.name, [invalid]application.tenantId (no such tenant),
  // [duplicate]application.id (ids are unique across tenants), [duplicate]role.name.
  Result<Application> Create(Application application);
  Result<Application> Retrieve(ApplicationId id);
  Result<std::vector<Application>> RetrieveAll(
      TenantId tenant_id, ApplicationFilter filter = ApplicationFilter::kActive);
  // Replaces the application (FusionAuth's PUT). The tenant, the roles and the active state
  // are kept (roles change through the role methods below, the state through
  // Deactivate/Reactivate); a blank client secret keeps the current one. kNotFound when it
  // does not exist.
  Result<Application> Update(Application application);
  // FusionAuth's soft delete: the application becomes inactive (active=false, state
  // Inactive); its users keep their registrations.
  Result<Application> Deactivate(ApplicationId id);
  Result<Application> Reactivate(ApplicationId id);
  // Hard delete: removes the application and every registration for it.
  Status Delete(ApplicationId id);

  // Adds a role. A nil role id gets a random one. Errors: [blank]role.name,
  // [duplicate]role.name, kNotFound for the application.
  Result<ApplicationRole> CreateRole(ApplicationId application_id, ApplicationRole role);
  // Replaces the role whose id is `role.id`. kNotFound when it does not exist.
  Result<ApplicationRole> UpdateRole(ApplicationId application_id, ApplicationRole role);
  // Removes the role; registrations stop carrying it.
  Status DeleteRole(ApplicationId application_id, RoleId role_id);

 private:
  friend class Engine;
  explicit ApplicationService(internal::EngineContext& context) : ctx_(context) {}

  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_APPLICATION_SERVICE_H_
