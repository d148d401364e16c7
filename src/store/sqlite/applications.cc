// SPDX-License-Identifier: Apache-2.0
//
// Applications and their roles: the SQL of the applications and application_roles tables
// and the write operations on them.
#include "store/sqlite/batch_writer.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kApplicationTenant = "SELECT tenant_id FROM applications WHERE id = ?1";
constexpr std::string_view kApplicationExists = "SELECT 1 FROM applications WHERE id = ?1";
constexpr std::string_view kInsertApplication =
    "INSERT INTO applications (id, tenant_id, name, doc) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kUpdateApplication =
    "UPDATE applications SET name = ?2, doc = ?3 WHERE id = ?1";
constexpr std::string_view kDeleteApplication = "DELETE FROM applications WHERE id = ?1";
constexpr std::string_view kRoleApplication =
    "SELECT application_id FROM application_roles WHERE id = ?1";
constexpr std::string_view kRolesOfApplication =
    "SELECT id, name FROM application_roles WHERE application_id = ?1";
constexpr std::string_view kInsertRole =
    "INSERT INTO application_roles (id, application_id, name) VALUES (?1, ?2, ?3)";
constexpr std::string_view kRenameRole = "UPDATE application_roles SET name = ?2 WHERE id = ?1";
constexpr std::string_view kDeleteRole = "DELETE FROM application_roles WHERE id = ?1";
constexpr std::string_view kRoleByName =
    "SELECT id FROM application_roles WHERE application_id = ?1 AND name = ?2";
}  // namespace

Result<std::optional<TenantId>> BatchWriter::ApplicationTenant(ApplicationId id) {
  // An application never moves to another tenant; only a delete in this batch forgets it.
  const auto seen = application_tenants_seen_.find(id);
  if (seen != application_tenants_seen_.end()) return std::optional<TenantId>(seen->second);
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant,
                           QueryId<TenantId>(kApplicationTenant, id));
  if (tenant.has_value()) application_tenants_seen_.emplace(id, *tenant);
  return tenant;
}

Result<bool> BatchWriter::ApplicationExists(ApplicationId id) {
  if (application_tenants_seen_.contains(id)) return true;
  return HasRow(kApplicationExists, id);
}

Result<std::optional<RoleId>> BatchWriter::RoleNamed(ApplicationId application_id,
                                                     std::string_view name) {
  return QueryId<RoleId>(kRoleByName, application_id, name);
}

Status BatchWriter::CheckRoles(const Application& application) {
  std::set<RoleId> ids;
  std::set<std::string_view> names;
  for (const ApplicationRole& role : application.roles) {
    BULWARK_RETURN_IF_ERROR(RequireId(role.id, StoredKind::kRole));
    if (!ids.insert(role.id).second) {
      return Broken(StoreViolation::kRepeatedId, StoredKind::kRole);
    }
    if (!names.insert(role.name).second) {
      return Broken(StoreViolation::kDuplicateRoleName, StoredKind::kRole);
    }
    BULWARK_ASSIGN_OR_RETURN(std::optional<ApplicationId> owner,
                             QueryId<ApplicationId>(kRoleApplication, role.id));
    if (owner.has_value() && *owner != application.id) {
      return Broken(StoreViolation::kDuplicateId, StoredKind::kRole);
    }
  }
  return Status::Ok();
}

Status BatchWriter::WriteRoles(const Application& application, bool is_new) {
  std::map<RoleId, std::string> stored;
  if (!is_new) {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kRolesOfApplication));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, application.id));
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
      if (!row) break;
      BULWARK_ASSIGN_OR_RETURN(Uuid id, statement->ColumnUuid(0));
      stored.emplace(RoleId(id), std::string(statement->ColumnText(1)));
    }
  }
  // Dropped roles first, so that their names are free; ON DELETE CASCADE takes them off every
  // registration.
  for (const auto& [id, name] : stored) {
    const bool kept =
        std::any_of(application.roles.begin(), application.roles.end(),
                    // An init-capture: clang 14 cannot capture a structured
                    // binding (the fuzz build).
                    [&stored_id = id](const ApplicationRole& r) { return r.id == stored_id; });
    if (!kept) BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kDeleteRole, id));
  }
  // Renames in two passes (to NULL, then to the new name) so that names can be swapped
  // without tripping the UNIQUE index half-way. Registrations refer to the role id, so they
  // carry the new name from here on.
  std::vector<const ApplicationRole*> renamed;
  for (const ApplicationRole& role : application.roles) {
    auto it = stored.find(role.id);
    if (it != stored.end() && it->second != role.name) renamed.push_back(&role);
  }
  for (const ApplicationRole* role : renamed) {
    BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kRenameRole, role->id, nullptr));
  }
  for (const ApplicationRole* role : renamed) {
    BULWARK_RETURN_IF_ERROR(
        Write(ForeignKeyMeaning::kNone, kRenameRole, role->id, std::string_view(role->name)));
  }
  for (const ApplicationRole& role : application.roles) {
    if (stored.contains(role.id)) continue;
    BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kInsertRole, role.id, application.id,
                                  std::string_view(role.name)));
  }
  return Status::Ok();
}

Status BatchWriter::OnInsertApplication(const WriteBatch::InsertApplication& op) {
  const Application& application = op.application;
  BULWARK_RETURN_IF_ERROR(RequireId(application.id, StoredKind::kApplication));
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> existing, ApplicationTenant(application.id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kApplication);
  }
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, TenantExists(application.tenant_id));
  if (!tenant_exists) {
    return Broken(StoreViolation::kUnknownTenant, StoredKind::kApplication);
  }
  BULWARK_RETURN_IF_ERROR(CheckRoles(application));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeApplication(application));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kApplicationTenant, kInsertApplication,
                                application.id, application.tenant_id,
                                std::string_view(application.name), NoCopyText{doc}));
  return WriteRoles(application, /*is_new=*/true);
}

Status BatchWriter::OnUpdateApplication(const WriteBatch::UpdateApplication& op) {
  const Application& application = op.application;
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant, ApplicationTenant(application.id));
  if (!tenant.has_value()) return NotFound("application", application.id);
  if (*tenant != application.tenant_id) {
    return Broken(StoreViolation::kTenantChanged, StoredKind::kApplication);
  }
  BULWARK_RETURN_IF_ERROR(CheckRoles(application));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeApplication(application));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kUpdateApplication, application.id,
                                std::string_view(application.name), NoCopyText{doc}));
  return WriteRoles(application, /*is_new=*/false);
}

Status BatchWriter::OnDeleteApplication(const WriteBatch::DeleteApplication& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant, ApplicationTenant(op.id));
  if (!tenant.has_value()) return NotFound("application", op.id);
  // ON DELETE CASCADE removes its roles and registrations.
  application_tenants_seen_.erase(op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteApplication, op.id);
}

}  // namespace bulwark::internal::sqlite
