// SPDX-License-Identifier: Apache-2.0
//
// Tenants and the default tenant: the SQL of the tenants and default_tenant tables and
// the write operations on them.
#include "store/sqlite/batch_writer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kTenantExists = "SELECT 1 FROM tenants WHERE id = ?1";
constexpr std::string_view kTenantNameTaken = "SELECT 1 FROM tenants WHERE name = ?1 AND id <> ?2";
constexpr std::string_view kInsertTenant =
    "INSERT INTO tenants (id, name, doc) VALUES (?1, ?2, ?3)";
constexpr std::string_view kUpdateTenant = "UPDATE tenants SET name = ?2, doc = ?3 WHERE id = ?1";
constexpr std::string_view kDeleteTenant = "DELETE FROM tenants WHERE id = ?1";
constexpr std::string_view kIsDefaultTenant = "SELECT 1 FROM default_tenant WHERE tenant_id = ?1";
constexpr std::string_view kSetDefaultTenant =
    "INSERT INTO default_tenant (singleton, tenant_id) VALUES (1, ?1) "
    "ON CONFLICT (singleton) DO UPDATE SET tenant_id = excluded.tenant_id";
constexpr std::string_view kTenantDoc = "SELECT doc FROM tenants WHERE id = ?1";
}  // namespace

Result<bool> BatchWriter::TenantExists(TenantId id) {
  if (tenants_seen_.contains(id)) return true;
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kTenantExists, id));
  if (exists) tenants_seen_.insert(id);
  return exists;
}

Status BatchWriter::CheckTenantName(const Tenant& tenant) {
  BULWARK_ASSIGN_OR_RETURN(bool taken,
                           HasRow(kTenantNameTaken, std::string_view(tenant.name), tenant.id));
  if (taken) return Broken(StoreViolation::kDuplicateTenantName, StoredKind::kTenant);
  return Status::Ok();
}

Status BatchWriter::OnInsertTenant(const WriteBatch::InsertTenant& op) {
  const Tenant& tenant = op.tenant;
  BULWARK_RETURN_IF_ERROR(RequireId(tenant.id, StoredKind::kTenant));
  BULWARK_ASSIGN_OR_RETURN(bool exists, TenantExists(tenant.id));
  if (exists) return Broken(StoreViolation::kDuplicateId, StoredKind::kTenant);
  BULWARK_RETURN_IF_ERROR(CheckTenantName(tenant));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeTenant(tenant));
  return Write(ForeignKeyMeaning::kNone, kInsertTenant, tenant.id, std::string_view(tenant.name),
               NoCopyText{doc});
}

Status BatchWriter::OnUpdateTenant(const WriteBatch::UpdateTenant& op) {
  const Tenant& tenant = op.tenant;
  BULWARK_ASSIGN_OR_RETURN(bool exists, TenantExists(tenant.id));
  if (!exists) return NotFound("tenant", tenant.id);
  BULWARK_RETURN_IF_ERROR(CheckTenantName(tenant));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeTenant(tenant));
  return Write(ForeignKeyMeaning::kNone, kUpdateTenant, tenant.id, std::string_view(tenant.name),
               NoCopyText{doc});
}

Status BatchWriter::OnDeleteTenant(const WriteBatch::DeleteTenant& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, TenantExists(op.id));
  if (!exists) return NotFound("tenant", op.id);
  BULWARK_ASSIGN_OR_RETURN(bool is_default, HasRow(kIsDefaultTenant, op.id));
  if (is_default) return Status::FailedPrecondition("the default tenant cannot be deleted");
  // ON DELETE CASCADE removes its applications (with their roles), its users and every
  // registration of either; its scoped identity providers (with their domains), and every
  // identity-provider link and pending link in the tenant; its scoped API keys.
  // The cascade takes the tenant's applications with it.
  tenants_seen_.erase(op.id);
  application_tenants_seen_.clear();
  last_inserted_user_.reset();
  return Write(ForeignKeyMeaning::kDefaultTenant, kDeleteTenant, op.id);
}

Status BatchWriter::OnSetDefaultTenant(const WriteBatch::SetDefaultTenant& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, TenantExists(op.id));
  if (!exists) return NotFound("tenant", op.id);
  return Write(ForeignKeyMeaning::kDefaultTenantMissing, kSetDefaultTenant, op.id);
}

Status BatchWriter::OnSetAccessTokenKeyIfUnset(const WriteBatch::SetAccessTokenKeyIfUnset& op) {
  std::string doc;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kTenantDoc));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, op.tenant_id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return NotFound("tenant", op.tenant_id);
    doc = std::string(statement->ColumnText(0));
  }
  BULWARK_ASSIGN_OR_RETURN(Tenant tenant, DecodeTenant(doc));
  if (tenant.jwt_configuration.access_token_key_id.has_value()) return Status::Ok();
  tenant.jwt_configuration.access_token_key_id = op.key_id;
  BULWARK_ASSIGN_OR_RETURN(std::string updated, EncodeTenant(tenant));
  return Write(ForeignKeyMeaning::kNone, kUpdateTenant, op.tenant_id, std::string_view(tenant.name),
               NoCopyText{updated});
}

}  // namespace bulwark::internal::sqlite
