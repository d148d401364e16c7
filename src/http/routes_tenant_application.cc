// SPDX-License-Identifier: Apache-2.0
// /api/tenant and /api/application (+ /role).
#include <string>
#include <utility>
#include <vector>

#include "bulwark/model/application.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/key_references.h"
#include "core/ascii.h"
#include "http/api_support.h"
#include "http/ownership.h"

namespace bulwark::http::internal {
namespace {

// ---- tenants ---------------------------------------------------------------------------

HttpResponse TenantResponse(const Tenant& tenant) {
  return JsonResponse(200, {{"tenant", ToJson(tenant)}});
}

Result<Tenant> TenantFromBody(const nlohmann::json& body) {
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "tenant"));
  return TenantFromJson(*member);
}

HttpResponse CreateTenant(Call& call) {
  // A key locked to a tenant cannot make tenants.
  BULWARK_HTTP_CHECK(CheckMayChangeGlobal(call));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(Tenant tenant, TenantFromBody(body));
  if (!call.params.empty()) {
    BULWARK_HTTP_TRY(tenant.id, PathId<TenantId>(call.params[0], "tenantId"));
  }
  BULWARK_HTTP_TRY(Tenant created, call.engine.tenants().Create(std::move(tenant)));
  return TenantResponse(created);
}

HttpResponse RetrieveTenants(Call& call) {
  BULWARK_HTTP_TRY(std::vector<Tenant> tenants, call.engine.tenants().RetrieveAll());
  nlohmann::json list = nlohmann::json::array();
  for (const Tenant& tenant : tenants) {
    if (call.tenant_id.has_value() && tenant.id != *call.tenant_id) continue;
    list.push_back(ToJson(tenant));
  }
  return JsonResponse(200, {{"tenants", std::move(list)}});
}

Result<Tenant> ScopedTenant(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(TenantId id, PathId<TenantId>(call.params[0], "tenantId"));
  BULWARK_RETURN_IF_ERROR(CheckTenant(call, id));
  return call.engine.tenants().Retrieve(id);
}

HttpResponse RetrieveTenant(Call& call) {
  BULWARK_HTTP_TRY(Tenant tenant, ScopedTenant(call));
  return TenantResponse(tenant);
}

HttpResponse ReplaceTenant(Call& call, const Tenant& current, Tenant tenant) {
  tenant.id = current.id;
  BULWARK_HTTP_CHECK(CheckKeysBorrowed(call, KeysNamedBy(current), KeysNamedBy(tenant), "tenant"));
  BULWARK_HTTP_TRY(Tenant updated, call.engine.tenants().Update(std::move(tenant)));
  return TenantResponse(updated);
}

HttpResponse UpdateTenant(Call& call) {
  BULWARK_HTTP_TRY(Tenant current, ScopedTenant(call));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(Tenant tenant, TenantFromBody(body));
  return ReplaceTenant(call, current, std::move(tenant));
}

HttpResponse PatchTenant(Call& call) {
  BULWARK_HTTP_TRY(Tenant current, ScopedTenant(call));
  BULWARK_HTTP_TRY(nlohmann::json patched, ApplyPatch(call.request, {{"tenant", ToJson(current)}}));
  BULWARK_HTTP_TRY(Tenant tenant, TenantFromBody(patched));
  return ReplaceTenant(call, current, std::move(tenant));
}

HttpResponse DeleteTenant(Call& call) {
  BULWARK_HTTP_TRY(Tenant current, ScopedTenant(call));
  // A tenant-locked key may read and update its tenant, not delete it.
  BULWARK_HTTP_CHECK(CheckMayChangeGlobal(call));
  BULWARK_HTTP_CHECK(call.engine.tenants().Delete(current.id));
  return EmptyResponse(200);
}

// ---- applications ----------------------------------------------------------------------

HttpResponse ApplicationResponse(const Application& application) {
  return JsonResponse(200, {{"application", ToJson(application)}});
}

Result<Application> ApplicationFromBody(const nlohmann::json& body) {
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "application"));
  return ApplicationFromJson(*member);
}

Result<Application> ScopedApplication(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(ApplicationId id,
                           PathId<ApplicationId>(call.params[0], "applicationId"));
  BULWARK_ASSIGN_OR_RETURN(Application application, call.engine.applications().Retrieve(id));
  BULWARK_RETURN_IF_ERROR(CheckTenant(call, application.tenant_id));
  return application;
}

HttpResponse CreateApplication(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(Application application, ApplicationFromBody(body));
  if (!call.params.empty()) {
    BULWARK_HTTP_TRY(application.id, PathId<ApplicationId>(call.params[0], "applicationId"));
  }
  // The tenant: the call's, else the one the body names, else the only tenant.
  if (call.tenant_id.has_value()) {
    application.tenant_id = *call.tenant_id;
  } else if (application.tenant_id.IsNil()) {
    BULWARK_HTTP_TRY(application.tenant_id, RequireTenant(call));
  }
  BULWARK_HTTP_CHECK(CheckKeysBorrowed(call, {}, KeysNamedBy(application), "application"));
  BULWARK_HTTP_TRY(Application created, call.engine.applications().Create(std::move(application)));
  return ApplicationResponse(created);
}

HttpResponse RetrieveApplications(Call& call) {
  BULWARK_HTTP_TRY(std::optional<bool> inactive, QueryBool(call.request, "inactive"));
  const ApplicationFilter filter =
      inactive.value_or(false) ? ApplicationFilter::kInactive : ApplicationFilter::kActive;
  std::vector<TenantId> tenants;
  if (call.tenant_id.has_value()) {
    tenants.push_back(*call.tenant_id);
  } else {
    BULWARK_HTTP_TRY(std::vector<Tenant> all, call.engine.tenants().RetrieveAll());
    for (const Tenant& tenant : all) tenants.push_back(tenant.id);
  }
  nlohmann::json list = nlohmann::json::array();
  for (TenantId tenant : tenants) {
    BULWARK_HTTP_TRY(std::vector<Application> applications,
                     call.engine.applications().RetrieveAll(tenant, filter));
    for (const Application& application : applications) list.push_back(ToJson(application));
  }
  return JsonResponse(200, {{"applications", std::move(list)}});
}

HttpResponse RetrieveApplication(Call& call) {
  BULWARK_HTTP_TRY(Application application, ScopedApplication(call));
  return ApplicationResponse(application);
}

Result<Application> Replace(Call& call, const Application& current, Application application) {
  application.id = current.id;
  application.tenant_id = current.tenant_id;
  BULWARK_RETURN_IF_ERROR(
      CheckKeysBorrowed(call, KeysNamedBy(current), KeysNamedBy(application), "application"));
  BULWARK_ASSIGN_OR_RETURN(std::optional<bool> reactivate, QueryBool(call.request, "reactivate"));
  if (reactivate.value_or(false)) {
    BULWARK_RETURN_IF_ERROR(call.engine.applications().Reactivate(current.id).status());
  }
  return call.engine.applications().Update(std::move(application));
}

HttpResponse UpdateApplication(Call& call) {
  BULWARK_HTTP_TRY(Application current, ScopedApplication(call));
  BULWARK_HTTP_TRY(std::optional<bool> reactivate, QueryBool(call.request, "reactivate"));
  if (reactivate.value_or(false) &&
      bulwark::internal::IsBlank(call.request.body)) {
    BULWARK_HTTP_TRY(Application reactivated, call.engine.applications().Reactivate(current.id));
    return ApplicationResponse(reactivated);
  }
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(Application application, ApplicationFromBody(body));
  BULWARK_HTTP_TRY(Application updated, Replace(call, current, std::move(application)));
  return ApplicationResponse(updated);
}

HttpResponse PatchApplication(Call& call) {
  BULWARK_HTTP_TRY(Application current, ScopedApplication(call));
  BULWARK_HTTP_TRY(nlohmann::json patched,
                   ApplyPatch(call.request, {{"application", ToJson(current)}}));
  BULWARK_HTTP_TRY(Application application, ApplicationFromBody(patched));
  BULWARK_HTTP_TRY(Application updated, Replace(call, current, std::move(application)));
  return ApplicationResponse(updated);
}

HttpResponse DeleteApplication(Call& call) {
  BULWARK_HTTP_TRY(Application current, ScopedApplication(call));
  BULWARK_HTTP_TRY(std::optional<bool> hard, QueryBool(call.request, "hardDelete"));
  if (hard.value_or(false)) {
    BULWARK_HTTP_CHECK(call.engine.applications().Delete(current.id));
  } else {
    BULWARK_HTTP_CHECK(call.engine.applications().Deactivate(current.id).status());
  }
  return EmptyResponse(200);
}

// ---- roles -----------------------------------------------------------------------------

Result<ApplicationRole> RoleFromBody(const nlohmann::json& body) {
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "role"));
  return ApplicationRoleFromJson(*member);
}

HttpResponse RoleResponse(const ApplicationRole& role) {
  return JsonResponse(200, {{"role", ToJson(role)}});
}

const ApplicationRole* FindRole(const Application& application, RoleId id) {
  for (const ApplicationRole& role : application.roles) {
    if (role.id == id) return &role;
  }
  return nullptr;
}

HttpResponse CreateRole(Call& call) {
  BULWARK_HTTP_TRY(Application application, ScopedApplication(call));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(ApplicationRole role, RoleFromBody(body));
  if (call.params.size() > 1) {
    BULWARK_HTTP_TRY(role.id, PathId<RoleId>(call.params[1], "roleId"));
  }
  BULWARK_HTTP_TRY(ApplicationRole created,
                   call.engine.applications().CreateRole(application.id, std::move(role)));
  return RoleResponse(created);
}

HttpResponse UpdateRole(Call& call) {
  BULWARK_HTTP_TRY(Application application, ScopedApplication(call));
  BULWARK_HTTP_TRY(RoleId id, PathId<RoleId>(call.params[1], "roleId"));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(ApplicationRole role, RoleFromBody(body));
  role.id = id;
  BULWARK_HTTP_TRY(ApplicationRole updated,
                   call.engine.applications().UpdateRole(application.id, std::move(role)));
  return RoleResponse(updated);
}

HttpResponse PatchRole(Call& call) {
  BULWARK_HTTP_TRY(Application application, ScopedApplication(call));
  BULWARK_HTTP_TRY(RoleId id, PathId<RoleId>(call.params[1], "roleId"));
  const ApplicationRole* current = FindRole(application, id);
  if (current == nullptr) return EmptyResponse(404);
  BULWARK_HTTP_TRY(nlohmann::json patched, ApplyPatch(call.request, {{"role", ToJson(*current)}}));
  BULWARK_HTTP_TRY(ApplicationRole role, RoleFromBody(patched));
  role.id = id;
  BULWARK_HTTP_TRY(ApplicationRole updated,
                   call.engine.applications().UpdateRole(application.id, std::move(role)));
  return RoleResponse(updated);
}

HttpResponse DeleteRole(Call& call) {
  BULWARK_HTTP_TRY(Application application, ScopedApplication(call));
  RoleId id;
  if (call.params.size() > 1) {
    BULWARK_HTTP_TRY(id, PathId<RoleId>(call.params[1], "roleId"));
  } else {
    // DELETE /api/application/{id}/role?name=...
    std::optional<std::string_view> name = FindQuery(call.request.query, "name");
    const ApplicationRole* found = nullptr;
    for (const ApplicationRole& role : application.roles) {
      if (name.has_value() && role.name == *name) found = &role;
    }
    if (found == nullptr) return EmptyResponse(404);
    id = found->id;
  }
  BULWARK_HTTP_CHECK(call.engine.applications().DeleteRole(application.id, id));
  return EmptyResponse(200);
}

}  // namespace

void AddTenantAndApplicationRoutes(std::vector<Route>& routes) {
  constexpr std::string_view kTenant = "/api/tenant";
  constexpr std::string_view kApplication = "/api/application";
  routes.insert(
      routes.end(),
      {
          {"POST", "/api/tenant", kTenant, Access::kApiKey, CreateTenant},
          {"POST", "/api/tenant/*", kTenant, Access::kApiKey, CreateTenant},
          {"GET", "/api/tenant", kTenant, Access::kApiKey, RetrieveTenants},
          {"GET", "/api/tenant/*", kTenant, Access::kApiKey, RetrieveTenant},
          {"PUT", "/api/tenant/*", kTenant, Access::kApiKey, UpdateTenant},
          {"PATCH", "/api/tenant/*", kTenant, Access::kApiKey, PatchTenant},
          {"DELETE", "/api/tenant/*", kTenant, Access::kApiKey, DeleteTenant},
          {"POST", "/api/application", kApplication, Access::kApiKey, CreateApplication},
          {"POST", "/api/application/*", kApplication, Access::kApiKey, CreateApplication},
          {"GET", "/api/application", kApplication, Access::kApiKey, RetrieveApplications},
          {"GET", "/api/application/*", kApplication, Access::kApiKey, RetrieveApplication},
          {"PUT", "/api/application/*", kApplication, Access::kApiKey, UpdateApplication},
          {"PATCH", "/api/application/*", kApplication, Access::kApiKey, PatchApplication},
          {"DELETE", "/api/application/*", kApplication, Access::kApiKey, DeleteApplication},
          {"POST", "/api/application/*/role", kApplication, Access::kApiKey, CreateRole},
          {"POST", "/api/application/*/role/*", kApplication, Access::kApiKey, CreateRole},
          {"PUT", "/api/application/*/role/*", kApplication, Access::kApiKey, UpdateRole},
          {"PATCH", "/api/application/*/role/*", kApplication, Access::kApiKey, PatchRole},
          {"DELETE", "/api/application/*/role", kApplication, Access::kApiKey, DeleteRole},
          {"DELETE", "/api/application/*/role/*", kApplication, Access::kApiKey, DeleteRole},
      });
}

}  // namespace bulwark::http::internal
