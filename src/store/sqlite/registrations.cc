// SPDX-License-Identifier: Apache-2.0
//
// Registrations: the SQL of the registrations and registration_roles tables and the write
// operations on them.
#include "store/sqlite/batch_writer.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kRegistrationOf =
    "SELECT id FROM registrations WHERE user_id = ?1 AND application_id = ?2";
constexpr std::string_view kRegistrationIdTaken = "SELECT 1 FROM registrations WHERE id = ?1";
constexpr std::string_view kInsertRegistration =
    "INSERT INTO registrations (id, user_id, application_id, insert_instant, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateRegistration =
    "UPDATE registrations SET id = ?2, insert_instant = ?3, doc = ?4, last_login_instant = NULL "
    "WHERE id = ?1";
constexpr std::string_view kDeleteRegistration = "DELETE FROM registrations WHERE id = ?1";
constexpr std::string_view kDeleteRegistrationRoles =
    "DELETE FROM registration_roles WHERE registration_id = ?1";
constexpr std::string_view kInsertRegistrationRole =
    "INSERT INTO registration_roles (registration_id, role_id, position) VALUES (?1, ?2, ?3)";
constexpr std::string_view kRegistrationDoc =
    "SELECT id, doc, last_login_instant FROM registrations WHERE user_id = ?1 AND "
    "application_id = ?2";
constexpr std::string_view kRegistrationRoleNames =
    "SELECT ar.name FROM registration_roles AS rr "
    "JOIN application_roles AS ar ON ar.id = rr.role_id "
    "WHERE rr.registration_id = ?1 ORDER BY rr.position";
constexpr std::string_view kSetRegistrationLastLogin =
    "UPDATE registrations SET last_login_instant = ?3 WHERE user_id = ?1 AND application_id = ?2";
}  // namespace

Status BatchWriter::SetRegistrationLastLogin(UserId user_id, ApplicationId application_id,
                                             std::int64_t instant) {
  return Write(ForeignKeyMeaning::kNone, kSetRegistrationLastLogin, user_id, application_id,
               instant);
}

Status BatchWriter::CheckRegistrationParents(UserId user_id, const Registration& registration) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> user_tenant, UserTenant(user_id));
  if (!user_tenant.has_value()) {
    return Broken(StoreViolation::kUnknownUser, StoredKind::kRegistration);
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> application_tenant,
                           ApplicationTenant(registration.application_id));
  if (application_tenant != user_tenant) {
    return Broken(StoreViolation::kUnknownApplication, StoredKind::kRegistration);
  }
  return Status::Ok();
}

Result<std::vector<RoleId>> BatchWriter::ResolveRoles(ApplicationId application_id,
                                                      const std::vector<std::string>& names) {
  std::vector<RoleId> ids;
  ids.reserve(names.size());
  for (const std::string& name : names) {
    BULWARK_ASSIGN_OR_RETURN(std::optional<RoleId> id,
                             RoleNamed(application_id, std::string_view(name)));
    if (!id.has_value()) {
      return Broken(StoreViolation::kUnknownRole, StoredKind::kRegistration);
    }
    // A registration's roles are a set: a repeated name is kept once, where it first appears.
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  return ids;
}

Status BatchWriter::WriteRegistrationRoles(RegistrationId id, const std::vector<RoleId>& roles) {
  std::int64_t position = 0;
  for (const RoleId& role : roles) {
    BULWARK_RETURN_IF_ERROR(
        Write(ForeignKeyMeaning::kRegistrationRole, kInsertRegistrationRole, id, role, position++));
  }
  return Status::Ok();
}

Result<bool> BatchWriter::TryInsertRegistration(UserId user_id, const Registration& registration) {
  // The UNIQUE indexes refuse a taken id or a second registration for the application.
  // The parents are asked first, from what this batch has seen where it can (no constraint
  // sees an application of another tenant); an unknown role, or anything else amiss, goes
  // to the checked path, which reports it in the order the checks always did.
  if (registration.id.IsNil()) return false;
  std::optional<TenantId> user_tenant;
  if (last_inserted_user_.has_value() && last_inserted_user_->first == user_id) {
    user_tenant = last_inserted_user_->second;
  } else {
    BULWARK_ASSIGN_OR_RETURN(user_tenant, UserTenant(user_id));
    if (!user_tenant.has_value()) return false;
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> application_tenant,
                           ApplicationTenant(registration.application_id));
  if (application_tenant != user_tenant) return false;
  Result<std::vector<RoleId>> roles = ResolveRoles(registration.application_id, registration.roles);
  if (!roles.ok()) return false;
  Result<std::string> doc = EncodeRegistration(registration);
  if (!doc.ok()) return false;
  BULWARK_ASSIGN_OR_RETURN(
      bool written,
      TryWrite(kInsertRegistration, registration.id, user_id, registration.application_id,
               Millis(registration.insert_instant), NoCopyText{*doc}));
  if (!written) return false;
  BULWARK_RETURN_IF_ERROR(WriteRegistrationRoles(registration.id, *roles));
  return true;
}

Status BatchWriter::OnInsertRegistration(const WriteBatch::InsertRegistration& op) {
  return InsertRegistrationRow(op.user_id, op.registration);
}

Status BatchWriter::InsertRegistrationRow(UserId user_id, const Registration& registration) {
  BULWARK_ASSIGN_OR_RETURN(bool inserted, TryInsertRegistration(user_id, registration));
  if (inserted) return Status::Ok();
  return InsertRegistrationChecked(user_id, registration);
}

Status BatchWriter::InsertRegistrationChecked(UserId user_id, const Registration& registration) {
  BULWARK_RETURN_IF_ERROR(RequireId(registration.id, StoredKind::kRegistration));
  BULWARK_RETURN_IF_ERROR(CheckRegistrationParents(user_id, registration));
  BULWARK_ASSIGN_OR_RETURN(bool registered,
                           HasRow(kRegistrationOf, user_id, registration.application_id));
  if (registered) {
    return Broken(StoreViolation::kDuplicateRegistration, StoredKind::kRegistration);
  }
  BULWARK_ASSIGN_OR_RETURN(bool id_taken, HasRow(kRegistrationIdTaken, registration.id));
  if (id_taken) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kRegistration);
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<RoleId> roles,
                           ResolveRoles(registration.application_id, registration.roles));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeRegistration(registration));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kRegistrationParent, kInsertRegistration,
                                registration.id, user_id, registration.application_id,
                                Millis(registration.insert_instant), NoCopyText{doc}));
  return WriteRegistrationRoles(registration.id, roles);
}

Status BatchWriter::OnUpdateRegistration(const WriteBatch::UpdateRegistration& op) {
  const Registration& registration = op.registration;
  BULWARK_RETURN_IF_ERROR(RequireId(registration.id, StoredKind::kRegistration));
  BULWARK_ASSIGN_OR_RETURN(
      std::optional<RegistrationId> stored,
      QueryId<RegistrationId>(kRegistrationOf, op.user_id, registration.application_id));
  if (!stored.has_value()) {
    return Status::NotFound("the user has no registration for application " +
                            registration.application_id.ToString());
  }
  if (*stored != registration.id) {
    BULWARK_ASSIGN_OR_RETURN(bool id_taken, HasRow(kRegistrationIdTaken, registration.id));
    if (id_taken) {
      return Broken(StoreViolation::kDuplicateId, StoredKind::kRegistration);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<RoleId> roles,
                           ResolveRoles(registration.application_id, registration.roles));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeRegistration(registration));
  // The role links go first: they refer to the registration's id, which may change.
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kDeleteRegistrationRoles, *stored));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kUpdateRegistration, *stored,
                                registration.id, Millis(registration.insert_instant),
                                NoCopyText{doc}));
  return WriteRegistrationRoles(registration.id, roles);
}

Status BatchWriter::OnDeleteRegistration(const WriteBatch::DeleteRegistration& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<RegistrationId> stored,
                           QueryId<RegistrationId>(kRegistrationOf, op.user_id, op.application_id));
  if (!stored.has_value()) {
    return Status::NotFound("the user has no registration for application " +
                            op.application_id.ToString());
  }
  // ON DELETE CASCADE removes its role links.
  return Write(ForeignKeyMeaning::kNone, kDeleteRegistration, *stored);
}

Status BatchWriter::OnPatchRegistration(const WriteBatch::PatchRegistration& op) {
  Registration stored;
  RegistrationId id;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kRegistrationDoc));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, op.user_id, op.application_id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) {
      return Status::NotFound("the user has no registration for application " +
                              op.application_id.ToString());
    }
    BULWARK_ASSIGN_OR_RETURN(Uuid uuid, statement->ColumnUuid(0));
    id = RegistrationId(uuid);
    BULWARK_ASSIGN_OR_RETURN(stored, DecodeRegistrationRow(*statement, 1));
  }
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             connection_.Prepare(kRegistrationRoleNames));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, id));
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
      if (!row) break;
      stored.roles.emplace_back(statement->ColumnText(0));
    }
  }
  nlohmann::json doc = ToJson(stored);
  BULWARK_RETURN_IF_ERROR(ApplyMembers(doc, op.members));
  Result<Registration> patched = RegistrationFromJson(doc, "registration");
  if (!patched.ok()) return patched.status();
  return OnUpdateRegistration(WriteBatch::UpdateRegistration{op.user_id, *std::move(patched)});
}

}  // namespace bulwark::internal::sqlite
