// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/batch_writer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "bulwark/store/store_violation.h"
#include "core/case_folding.h"
#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

// --- tenants
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

// --- applications and roles
constexpr std::string_view kApplicationTenant = "SELECT tenant_id FROM applications WHERE id = ?1";
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

// --- users
constexpr std::string_view kUserTenant = "SELECT tenant_id FROM users WHERE id = ?1";
// A folded key ?2 is taken by another user of tenant ?1 when it is that user's key or the key
// that user was displaced from by the version-5 migration (schema.cc).
constexpr std::string_view kEmailTaken =
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND email_lower = ?2 AND email_lower <> '' "
    "AND id <> ?3 UNION ALL "
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND email_displaced = ?2 AND email_displaced <> '' "
    "AND id <> ?3";
constexpr std::string_view kUsernameTaken =
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND username_lower = ?2 AND username_lower <> '' "
    "AND id <> ?3 UNION ALL "
    "SELECT 1 FROM users WHERE tenant_id = ?1 AND username_displaced = ?2 "
    "AND username_displaced <> '' AND id <> ?3";
constexpr std::string_view kUserDisplacedKeys =
    "SELECT email_displaced, email_legacy_lower, username_displaced, username_legacy_lower "
    "FROM users WHERE id = ?1";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, tenant_id, email_lower, username_lower, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET email_lower = ?2, username_lower = ?3, doc = ?4, email_displaced = ?5, "
    "email_legacy_lower = ?6, username_displaced = ?7, username_legacy_lower = ?8 WHERE id = ?1";
constexpr std::string_view kDeleteUser = "DELETE FROM users WHERE id = ?1";

// --- registrations
constexpr std::string_view kRegistrationOf =
    "SELECT id FROM registrations WHERE user_id = ?1 AND application_id = ?2";
constexpr std::string_view kRegistrationIdTaken = "SELECT 1 FROM registrations WHERE id = ?1";
constexpr std::string_view kRoleByName =
    "SELECT id FROM application_roles WHERE application_id = ?1 AND name = ?2";
constexpr std::string_view kInsertRegistration =
    "INSERT INTO registrations (id, user_id, application_id, insert_instant, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateRegistration =
    "UPDATE registrations SET id = ?2, insert_instant = ?3, doc = ?4 WHERE id = ?1";
constexpr std::string_view kDeleteRegistration = "DELETE FROM registrations WHERE id = ?1";
constexpr std::string_view kDeleteRegistrationRoles =
    "DELETE FROM registration_roles WHERE registration_id = ?1";
constexpr std::string_view kInsertRegistrationRole =
    "INSERT INTO registration_roles (registration_id, role_id, position) VALUES (?1, ?2, ?3)";

// --- keys
constexpr std::string_view kKeyExists = "SELECT 1 FROM keys WHERE id = ?1";
constexpr std::string_view kKeyNameTaken = "SELECT 1 FROM keys WHERE name = ?1 AND id <> ?2";
constexpr std::string_view kKeyKidTaken =
    "SELECT 1 FROM keys WHERE kid = ?1 AND kid <> '' AND id <> ?2";
constexpr std::string_view kInsertKey =
    "INSERT INTO keys (id, name, kid, doc) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kUpdateKey =
    "UPDATE keys SET name = ?2, kid = ?3, doc = ?4 WHERE id = ?1";
constexpr std::string_view kDeleteKey = "DELETE FROM keys WHERE id = ?1";

// --- refresh tokens
constexpr std::string_view kUserExists = "SELECT 1 FROM users WHERE id = ?1";
constexpr std::string_view kApplicationExists = "SELECT 1 FROM applications WHERE id = ?1";
constexpr std::string_view kRefreshTokenExists = "SELECT 1 FROM refresh_tokens WHERE id = ?1";
constexpr std::string_view kRefreshTokenValue = "SELECT token FROM refresh_tokens WHERE id = ?1";
constexpr std::string_view kRefreshTokenTaken =
    "SELECT 1 FROM refresh_tokens WHERE token = ?1 AND id <> ?2";
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (id, token, user_id, application_id, insert_instant, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kUpdateRefreshToken =
    "UPDATE refresh_tokens SET token = ?2, insert_instant = ?3, doc = ?4, "
    "previous_token = coalesce(?5, previous_token), rotated_at = coalesce(?6, rotated_at), "
    "successor = coalesce(?7, successor) WHERE id = ?1";
constexpr std::string_view kDeleteRefreshToken = "DELETE FROM refresh_tokens WHERE id = ?1";
constexpr std::string_view kDeleteRefreshTokensOfUser =
    "DELETE FROM refresh_tokens WHERE user_id = ?1";
constexpr std::string_view kDeleteRefreshTokensOfApplication =
    "DELETE FROM refresh_tokens WHERE application_id = ?1";
constexpr std::string_view kDeleteRefreshTokensOfUserAndApplication =
    "DELETE FROM refresh_tokens WHERE user_id = ?1 AND application_id = ?2";

// --- user actions and failed logins
constexpr std::string_view kUserActionExists = "SELECT 1 FROM user_actions WHERE id = ?1";
constexpr std::string_view kInsertUserAction =
    "INSERT INTO user_actions (id, user_id, create_instant, expiry, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kDeleteUserAction = "DELETE FROM user_actions WHERE id = ?1";
constexpr std::string_view kInsertLoginFailure =
    "INSERT INTO login_failures (user_id, instant) VALUES (?1, ?2)";
constexpr std::string_view kClearLoginFailures = "DELETE FROM login_failures WHERE user_id = ?1";
constexpr std::string_view kPruneLoginFailures =
    "DELETE FROM login_failures WHERE user_id = ?1 AND instant < ?2";
constexpr std::string_view kCountLoginFailuresSince =
    "SELECT count(*) FROM login_failures WHERE user_id = ?1 AND instant >= ?2";
constexpr std::string_view kTenantDoc = "SELECT doc FROM tenants WHERE id = ?1";
constexpr std::string_view kPruneUnknownLoginFailures =
    "DELETE FROM unknown_login_failures WHERE tenant_id = ?1 AND login_id_digest = ?2 "
    "AND instant < ?3";
constexpr std::string_view kInsertUnknownLoginFailure =
    "INSERT INTO unknown_login_failures (tenant_id, login_id_digest, instant) VALUES (?1, ?2, ?3)";
constexpr std::string_view kCountUnknownLoginFailures =
    "SELECT count(*) FROM unknown_login_failures WHERE tenant_id = ?1 AND login_id_digest = ?2 "
    "AND instant >= ?3";
constexpr std::string_view kUserDoc = "SELECT doc FROM users WHERE id = ?1";
constexpr std::string_view kInsertLoginRecord =
    "INSERT INTO login_records (user_id, application_id, instant, ip_address) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kRegistrationDoc =
    "SELECT id, doc FROM registrations WHERE user_id = ?1 AND application_id = ?2";
// Column updates of a login: the stored documents are edited in place, never decoded.
constexpr std::string_view kSetUserLastLogin =
    "UPDATE users SET doc = json_set(doc, '$.lastLoginInstant', ?2) WHERE id = ?1 RETURNING 1";
constexpr std::string_view kSetRegistrationLastLogin =
    "UPDATE registrations SET doc = json_set(doc, '$.lastLoginInstant', ?3) "
    "WHERE user_id = ?1 AND application_id = ?2";
// The stored hash ('' when there is none), and its compare-and-set by a merge patch of the
// members the document's encoder writes for it (null removes a member it would omit).
constexpr std::string_view kUserPasswordHash =
    "SELECT COALESCE(json_extract(doc, '$.password'), '') FROM users WHERE id = ?1";
constexpr std::string_view kReplaceUserPasswordHash =
    "UPDATE users SET doc = json_patch(doc, ?3) "
    "WHERE id = ?1 AND COALESCE(json_extract(doc, '$.password'), '') = ?2 RETURNING 1";

// --- identity providers, links and pending links
// A global provider's domains are scoped to 16 zero bytes (the nil TenantId).
constexpr std::string_view kProviderRow =
    "SELECT tenant_id, type FROM identity_providers WHERE id = ?1";
constexpr std::string_view kProviderNameTaken =
    "SELECT 1 FROM identity_providers WHERE name = ?1 AND id <> ?2";
// ?3 is the provider's scope: a global provider's domain may be no other provider's; a
// tenant-scoped provider's may be neither a global provider's nor another of its tenant's.
constexpr std::string_view kDomainTaken =
    "SELECT 1 FROM identity_provider_domains WHERE domain_lower = ?1 "
    "AND identity_provider_id <> ?2 AND (?3 = ?4 OR scope = ?3 OR scope = ?4) LIMIT 1";
constexpr std::string_view kInsertProvider =
    "INSERT INTO identity_providers (id, name, type, tenant_id, doc) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateProvider =
    "UPDATE identity_providers SET name = ?2, doc = ?3 WHERE id = ?1";
constexpr std::string_view kDeleteProvider = "DELETE FROM identity_providers WHERE id = ?1";
constexpr std::string_view kDeleteProviderDomains =
    "DELETE FROM identity_provider_domains WHERE identity_provider_id = ?1";
constexpr std::string_view kInsertProviderDomain =
    "INSERT INTO identity_provider_domains (identity_provider_id, scope, domain_lower) "
    "VALUES (?1, ?2, ?3)";
constexpr std::string_view kLinkRow =
    "SELECT rowid, doc FROM identity_provider_links WHERE identity_provider_id = ?1 "
    "AND tenant_id = ?2 AND identity_provider_user_id = ?3";
constexpr std::string_view kCountUserLinks =
    "SELECT count(*) FROM identity_provider_links WHERE user_id = ?1 "
    "AND identity_provider_id = ?2";
constexpr std::string_view kInsertLink =
    "INSERT INTO identity_provider_links (identity_provider_id, tenant_id, "
    "identity_provider_user_id, user_id, insert_instant, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kSetLinkDoc =
    "UPDATE identity_provider_links SET doc = ?2 WHERE rowid = ?1";
constexpr std::string_view kDeleteLink = "DELETE FROM identity_provider_links WHERE rowid = ?1";
constexpr std::string_view kPruneExpiredPendingLinks =
    "DELETE FROM pending_idp_links WHERE expiry <= ?1";
constexpr std::string_view kPendingLinkExpiry =
    "SELECT expiry FROM pending_idp_links WHERE id_digest = ?1";
constexpr std::string_view kInsertPendingLink =
    "INSERT INTO pending_idp_links (id_digest, tenant_id, identity_provider_id, application_id, "
    "insert_instant, expiry, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kDeletePendingLink =
    "DELETE FROM pending_idp_links WHERE id_digest = ?1";

// --- API keys
constexpr std::string_view kApiKeyRow = "SELECT tenant_id FROM api_keys WHERE id = ?1";
constexpr std::string_view kApiKeyDigestTaken = "SELECT 1 FROM api_keys WHERE key_digest = ?1";
constexpr std::string_view kInsertApiKey =
    "INSERT INTO api_keys (id, key_digest, tenant_id, insert_instant, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateApiKey =
    "UPDATE api_keys SET insert_instant = ?2, doc = ?3 WHERE id = ?1";
constexpr std::string_view kDeleteApiKey = "DELETE FROM api_keys WHERE id = ?1";

Status Broken(StoreViolation violation, StoredKind kind, std::string detail = std::string()) {
  return ViolationStatus(Violation{violation, kind, std::move(detail)});
}

template <typename IdT>
Status RequireId(const IdT& id, StoredKind kind) {
  if (!id.IsNil()) return Status::Ok();
  return Broken(StoreViolation::kMissingId, kind);
}

template <typename IdT>
Status NotFound(std::string_view kind, const IdT& id) {
  return Status::NotFound(std::string(kind) + " " + id.ToString() + " does not exist");
}

std::optional<std::int64_t> Millis(const std::optional<Instant>& instant) {
  if (!instant.has_value()) return std::nullopt;
  return ToEpochMillis(*instant);
}

// The UNIQUE constraints of the schema and the violation each one means.
struct UniqueRule {
  std::string_view columns;  // as SQLite names them in its message
  StoreViolation violation;
  StoredKind kind;
};
constexpr UniqueRule kUniqueRules[] = {
    {"tenants.id", StoreViolation::kDuplicateId, StoredKind::kTenant},
    {"tenants.name", StoreViolation::kDuplicateTenantName, StoredKind::kTenant},
    {"applications.id", StoreViolation::kDuplicateId, StoredKind::kApplication},
    {"application_roles.id", StoreViolation::kDuplicateId, StoredKind::kRole},
    {"application_roles.application_id, application_roles.name", StoreViolation::kDuplicateRoleName,
     StoredKind::kRole},
    {"users.id", StoreViolation::kDuplicateId, StoredKind::kUser},
    {"users.tenant_id, users.email_lower", StoreViolation::kDuplicateEmail, StoredKind::kUser},
    {"users.tenant_id, users.username_lower", StoreViolation::kDuplicateUsername,
     StoredKind::kUser},
    {"registrations.id", StoreViolation::kDuplicateId, StoredKind::kRegistration},
    {"registrations.user_id, registrations.application_id", StoreViolation::kDuplicateRegistration,
     StoredKind::kRegistration},
    {"keys.id", StoreViolation::kDuplicateId, StoredKind::kKey},
    {"keys.name", StoreViolation::kDuplicateKeyName, StoredKind::kKey},
    {"keys.kid", StoreViolation::kDuplicateKid, StoredKind::kKey},
    {"refresh_tokens.id", StoreViolation::kDuplicateId, StoredKind::kRefreshToken},
    {"refresh_tokens.token", StoreViolation::kDuplicateRefreshToken, StoredKind::kRefreshToken},
    {"user_actions.id", StoreViolation::kDuplicateId, StoredKind::kUserAction},
    {"identity_providers.id", StoreViolation::kDuplicateId, StoredKind::kIdentityProvider},
    {"identity_providers.name", StoreViolation::kDuplicateProviderName,
     StoredKind::kIdentityProvider},
    {"identity_provider_domains.scope, identity_provider_domains.domain_lower",
     StoreViolation::kDuplicateDomain, StoredKind::kIdentityProvider},
    {"identity_provider_links.identity_provider_id, identity_provider_links.tenant_id, "
     "identity_provider_links.identity_provider_user_id",
     StoreViolation::kDuplicateLink, StoredKind::kIdentityProviderLink},
    {"pending_idp_links.id_digest", StoreViolation::kDuplicateId, StoredKind::kPendingIdPLink},
    {"api_keys.id", StoreViolation::kDuplicateId, StoredKind::kApiKey},
    {"api_keys.key_digest", StoreViolation::kDuplicateApiKey, StoredKind::kApiKey},
};

}  // namespace

Status MapConstraintViolation(int extended_code, std::string_view message,
                              ForeignKeyMeaning foreign_key) {
  if (extended_code == SQLITE_CONSTRAINT_UNIQUE || extended_code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    constexpr std::string_view kPrefix = "UNIQUE constraint failed: ";
    if (message.substr(0, kPrefix.size()) == kPrefix) {
      const std::string_view columns = message.substr(kPrefix.size());
      for (const UniqueRule& rule : kUniqueRules) {
        if (columns == rule.columns) return Broken(rule.violation, rule.kind);
      }
    }
  } else if (extended_code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    switch (foreign_key) {
      case ForeignKeyMeaning::kNone:
        break;
      case ForeignKeyMeaning::kApplicationTenant:
        return Broken(StoreViolation::kUnknownTenant, StoredKind::kApplication);
      case ForeignKeyMeaning::kUserTenant:
        return Broken(StoreViolation::kUnknownTenant, StoredKind::kUser);
      case ForeignKeyMeaning::kRegistrationParent:
        return Broken(StoreViolation::kUnknownParent, StoredKind::kRegistration);
      case ForeignKeyMeaning::kRegistrationRole:
        return Broken(StoreViolation::kUnknownRole, StoredKind::kRegistration);
      case ForeignKeyMeaning::kDefaultTenant:
        return Status::FailedPrecondition("the default tenant cannot be deleted");
      case ForeignKeyMeaning::kDefaultTenantMissing:
        return Status::NotFound("the default tenant does not exist");
      case ForeignKeyMeaning::kRefreshTokenParent:
        return Broken(StoreViolation::kUnknownParent, StoredKind::kRefreshToken);
      case ForeignKeyMeaning::kUserActionUser:
        return Broken(StoreViolation::kUnknownUser, StoredKind::kUserAction);
      case ForeignKeyMeaning::kIdentityProviderTenant:
        return Broken(StoreViolation::kUnknownTenant, StoredKind::kIdentityProvider);
      case ForeignKeyMeaning::kIdentityProviderLinkParent:
        return Broken(StoreViolation::kUnknownParent, StoredKind::kIdentityProviderLink);
      case ForeignKeyMeaning::kPendingIdPLinkParent:
        return Broken(StoreViolation::kUnknownParent, StoredKind::kPendingIdPLink);
      case ForeignKeyMeaning::kApiKeyTenant:
        return Broken(StoreViolation::kUnknownTenant, StoredKind::kApiKey);
    }
  }
  return Status::Internal("unexpected constraint failure: " + std::string(message));
}

template <typename... Args>
Status BatchWriter::Write(ForeignKeyMeaning foreign_key, std::string_view sql,
                          const Args&... args) {
  if (injector_ != nullptr) BULWARK_RETURN_IF_ERROR(injector_->BeforeWriteStatement());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  Status status = statement->Run();
  if (!status.ok() && (statement->last_error() & 0xff) == SQLITE_CONSTRAINT) {
    return MapConstraintViolation(statement->last_error(), statement->last_error_message(),
                                  foreign_key);
  }
  return status;
}

template <typename... Args>
Result<bool> BatchWriter::UpdateRow(std::string_view sql, const Args&... args) {
  if (injector_ != nullptr) BULWARK_RETURN_IF_ERROR(injector_->BeforeWriteStatement());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  return statement->Step();  // RETURNING: the first step makes every change
}

template <typename... Args>
Result<bool> BatchWriter::HasRow(std::string_view sql, const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  return statement->Step();
}

template <typename IdT, typename... Args>
Result<std::optional<IdT>> BatchWriter::QueryId(std::string_view sql, const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return std::optional<IdT>();
  BULWARK_ASSIGN_OR_RETURN(Uuid uuid, statement->ColumnUuid(0));
  return std::optional<IdT>(IdT(uuid));
}

// --- tenants -----------------------------------------------------------------------------

Status BatchWriter::CheckTenantName(const Tenant& tenant) {
  BULWARK_ASSIGN_OR_RETURN(bool taken,
                           HasRow(kTenantNameTaken, std::string_view(tenant.name), tenant.id));
  if (taken) return Broken(StoreViolation::kDuplicateTenantName, StoredKind::kTenant);
  return Status::Ok();
}

Status BatchWriter::OnInsertTenant(const WriteBatch::InsertTenant& op) {
  const Tenant& tenant = op.tenant;
  BULWARK_RETURN_IF_ERROR(RequireId(tenant.id, StoredKind::kTenant));
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kTenantExists, tenant.id));
  if (exists) return Broken(StoreViolation::kDuplicateId, StoredKind::kTenant);
  BULWARK_RETURN_IF_ERROR(CheckTenantName(tenant));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeTenant(tenant));
  return Write(ForeignKeyMeaning::kNone, kInsertTenant, tenant.id, std::string_view(tenant.name),
               NoCopyText{doc});
}

Status BatchWriter::OnUpdateTenant(const WriteBatch::UpdateTenant& op) {
  const Tenant& tenant = op.tenant;
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kTenantExists, tenant.id));
  if (!exists) return NotFound("tenant", tenant.id);
  BULWARK_RETURN_IF_ERROR(CheckTenantName(tenant));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeTenant(tenant));
  return Write(ForeignKeyMeaning::kNone, kUpdateTenant, tenant.id, std::string_view(tenant.name),
               NoCopyText{doc});
}

Status BatchWriter::OnDeleteTenant(const WriteBatch::DeleteTenant& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kTenantExists, op.id));
  if (!exists) return NotFound("tenant", op.id);
  BULWARK_ASSIGN_OR_RETURN(bool is_default, HasRow(kIsDefaultTenant, op.id));
  if (is_default) return Status::FailedPrecondition("the default tenant cannot be deleted");
  // ON DELETE CASCADE removes its applications (with their roles), its users and every
  // registration of either; its scoped identity providers (with their domains), and every
  // identity-provider link and pending link in the tenant; its scoped API keys.
  return Write(ForeignKeyMeaning::kDefaultTenant, kDeleteTenant, op.id);
}

Status BatchWriter::OnSetDefaultTenant(const WriteBatch::SetDefaultTenant& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kTenantExists, op.id));
  if (!exists) return NotFound("tenant", op.id);
  return Write(ForeignKeyMeaning::kDefaultTenantMissing, kSetDefaultTenant, op.id);
}

// --- applications --------------------------------------------------------------------------

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
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> existing,
                           QueryId<TenantId>(kApplicationTenant, application.id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kApplication);
  }
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, HasRow(kTenantExists, application.tenant_id));
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
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant,
                           QueryId<TenantId>(kApplicationTenant, application.id));
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
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant,
                           QueryId<TenantId>(kApplicationTenant, op.id));
  if (!tenant.has_value()) return NotFound("application", op.id);
  // ON DELETE CASCADE removes its roles and registrations.
  return Write(ForeignKeyMeaning::kNone, kDeleteApplication, op.id);
}

// --- users ---------------------------------------------------------------------------------

Result<BatchWriter::UserKey> BatchWriter::CheckUserKey(
    const User& user, std::string_view value, std::string_view taken_sql,
    const std::optional<std::pair<std::string, std::string>>& stored_displaced) {
  UserKey key;
  key.folded = CaseFold(value);
  if (key.folded.empty()) return key;
  BULWARK_ASSIGN_OR_RETURN(
      bool in_use, HasRow(taken_sql, user.tenant_id, std::string_view(key.folded), user.id));
  if (!in_use) return key;
  // A user displaced by the version-5 migration keeps its state while its address stays what
  // it was (equal under the pre-v5 ASCII rule) and the folded key is still held elsewhere.
  if (stored_displaced.has_value() && AsciiLower(value) == stored_displaced->second) {
    key.displaced = stored_displaced->first;
    key.legacy_lower = stored_displaced->second;
    key.folded.clear();
    return key;
  }
  key.taken = true;
  return key;
}

Result<BatchWriter::UserKeys> BatchWriter::CheckUserKeys(const User& user, bool is_new) {
  using Displaced = std::optional<std::pair<std::string, std::string>>;
  Displaced email_displaced;
  Displaced username_displaced;
  if (!is_new) {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kUserDisplacedKeys));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, user.id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (row) {
      if (!statement->ColumnText(0).empty()) {
        email_displaced.emplace(statement->ColumnText(0), statement->ColumnText(1));
      }
      if (!statement->ColumnText(2).empty()) {
        username_displaced.emplace(statement->ColumnText(2), statement->ColumnText(3));
      }
    }
  }
  // Both rules are checked so that the caller hears of both at once.
  std::vector<Violation> taken;
  UserKeys keys;
  BULWARK_ASSIGN_OR_RETURN(keys.email,
                           CheckUserKey(user, user.email, kEmailTaken, email_displaced));
  if (keys.email.taken) taken.push_back({StoreViolation::kDuplicateEmail, StoredKind::kUser});
  BULWARK_ASSIGN_OR_RETURN(keys.username,
                           CheckUserKey(user, user.username, kUsernameTaken, username_displaced));
  if (keys.username.taken) {
    taken.push_back({StoreViolation::kDuplicateUsername, StoredKind::kUser});
  }
  if (taken.empty()) return keys;
  return ViolationStatus(taken);
}

Status BatchWriter::WriteUser(const User& user, const UserKeys& keys, bool is_new) {
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeUser(user));
  const std::string_view email = keys.email.folded;
  const std::string_view username = keys.username.folded;
  if (is_new) {
    return Write(ForeignKeyMeaning::kUserTenant, kInsertUser, user.id, user.tenant_id, email,
                 username, NoCopyText{doc});
  }
  return Write(ForeignKeyMeaning::kNone, kUpdateUser, user.id, email, username, NoCopyText{doc},
               std::string_view(keys.email.displaced), std::string_view(keys.email.legacy_lower),
               std::string_view(keys.username.displaced),
               std::string_view(keys.username.legacy_lower));
}

Status BatchWriter::OnInsertUser(const WriteBatch::InsertUser& op) {
  const User& user = op.user;
  BULWARK_RETURN_IF_ERROR(RequireId(user.id, StoredKind::kUser));
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> existing,
                           QueryId<TenantId>(kUserTenant, user.id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kUser);
  }
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, HasRow(kTenantExists, user.tenant_id));
  if (!tenant_exists) {
    return Broken(StoreViolation::kUnknownTenant, StoredKind::kUser);
  }
  BULWARK_ASSIGN_OR_RETURN(UserKeys keys, CheckUserKeys(user, /*is_new=*/true));
  return WriteUser(user, keys, /*is_new=*/true);
}

Status BatchWriter::OnUpdateUser(const WriteBatch::UpdateUser& op) {
  const User& user = op.user;
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant, QueryId<TenantId>(kUserTenant, user.id));
  if (!tenant.has_value()) return NotFound("user", user.id);
  if (*tenant != user.tenant_id) {
    return Broken(StoreViolation::kTenantChanged, StoredKind::kUser);
  }
  BULWARK_ASSIGN_OR_RETURN(UserKeys keys, CheckUserKeys(user, /*is_new=*/false));
  return WriteUser(user, keys, /*is_new=*/false);
}

Status BatchWriter::OnDeleteUser(const WriteBatch::DeleteUser& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> tenant, QueryId<TenantId>(kUserTenant, op.id));
  if (!tenant.has_value()) return NotFound("user", op.id);
  // ON DELETE CASCADE removes the user's registrations and identity-provider links.
  return Write(ForeignKeyMeaning::kNone, kDeleteUser, op.id);
}

// --- registrations -------------------------------------------------------------------------

Status BatchWriter::CheckRegistrationParents(UserId user_id, const Registration& registration) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> user_tenant,
                           QueryId<TenantId>(kUserTenant, user_id));
  if (!user_tenant.has_value()) {
    return Broken(StoreViolation::kUnknownUser, StoredKind::kRegistration);
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> application_tenant,
                           QueryId<TenantId>(kApplicationTenant, registration.application_id));
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
                             QueryId<RoleId>(kRoleByName, application_id, std::string_view(name)));
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

Status BatchWriter::OnInsertRegistration(const WriteBatch::InsertRegistration& op) {
  const Registration& registration = op.registration;
  BULWARK_RETURN_IF_ERROR(RequireId(registration.id, StoredKind::kRegistration));
  BULWARK_RETURN_IF_ERROR(CheckRegistrationParents(op.user_id, registration));
  BULWARK_ASSIGN_OR_RETURN(bool registered,
                           HasRow(kRegistrationOf, op.user_id, registration.application_id));
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
                                registration.id, op.user_id, registration.application_id,
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

// --- keys ----------------------------------------------------------------------------------

Status BatchWriter::CheckKeyKeys(const Key& key) {
  BULWARK_ASSIGN_OR_RETURN(bool name_taken,
                           HasRow(kKeyNameTaken, std::string_view(key.name), key.id));
  if (name_taken) return Broken(StoreViolation::kDuplicateKeyName, StoredKind::kKey);
  BULWARK_ASSIGN_OR_RETURN(bool kid_taken, HasRow(kKeyKidTaken, std::string_view(key.kid), key.id));
  if (kid_taken) return Broken(StoreViolation::kDuplicateKid, StoredKind::kKey);
  return Status::Ok();
}

Status BatchWriter::OnInsertKey(const WriteBatch::InsertKey& op) {
  const Key& key = op.key;
  BULWARK_RETURN_IF_ERROR(RequireId(key.id, StoredKind::kKey));
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kKeyExists, key.id));
  if (exists) return Broken(StoreViolation::kDuplicateId, StoredKind::kKey);
  BULWARK_RETURN_IF_ERROR(CheckKeyKeys(key));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeKey(key));
  return Write(ForeignKeyMeaning::kNone, kInsertKey, key.id, std::string_view(key.name),
               std::string_view(key.kid), NoCopyText{doc});
}

Status BatchWriter::OnUpdateKey(const WriteBatch::UpdateKey& op) {
  const Key& key = op.key;
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kKeyExists, key.id));
  if (!exists) return NotFound("key", key.id);
  BULWARK_RETURN_IF_ERROR(CheckKeyKeys(key));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeKey(key));
  return Write(ForeignKeyMeaning::kNone, kUpdateKey, key.id, std::string_view(key.name),
               std::string_view(key.kid), NoCopyText{doc});
}

Status BatchWriter::OnDeleteKey(const WriteBatch::DeleteKey& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kKeyExists, op.id));
  if (!exists) return NotFound("key", op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteKey, op.id);
}

// --- refresh tokens ------------------------------------------------------------------------

Status BatchWriter::RequireUser(UserId user_id, StoredKind kind) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kUserExists, user_id));
  if (!exists) return Broken(StoreViolation::kUnknownUser, kind);
  return Status::Ok();
}

Status BatchWriter::CheckRefreshTokenParents(const RefreshToken& token) {
  BULWARK_RETURN_IF_ERROR(RequireUser(token.user_id, StoredKind::kRefreshToken));
  if (!token.application_id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kApplicationExists, token.application_id));
    if (!exists) {
      return Broken(StoreViolation::kUnknownApplication, StoredKind::kRefreshToken);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(bool taken,
                           HasRow(kRefreshTokenTaken, std::string_view(token.token), token.id));
  if (taken) {
    return Broken(StoreViolation::kDuplicateRefreshToken, StoredKind::kRefreshToken);
  }
  return Status::Ok();
}

namespace {
std::optional<ApplicationId> NullableApplication(ApplicationId id) {
  if (id.IsNil()) return std::nullopt;
  return id;
}
}  // namespace

Status BatchWriter::OnInsertRefreshToken(const WriteBatch::InsertRefreshToken& op) {
  const RefreshToken& token = op.token;
  BULWARK_RETURN_IF_ERROR(RequireId(token.id, StoredKind::kRefreshToken));
  if (token.token.empty()) {
    return Broken(StoreViolation::kBlankValue, StoredKind::kRefreshToken);
  }
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kRefreshTokenExists, token.id));
  if (exists) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kRefreshToken);
  }
  BULWARK_RETURN_IF_ERROR(CheckRefreshTokenParents(token));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeRefreshToken(token));
  return Write(ForeignKeyMeaning::kRefreshTokenParent, kInsertRefreshToken, token.id,
               std::string_view(token.token), token.user_id,
               NullableApplication(token.application_id), Millis(token.insert_instant),
               NoCopyText{doc});
}

Status BatchWriter::OnUpdateRefreshToken(const WriteBatch::UpdateRefreshToken& op) {
  const RefreshToken& token = op.token;
  if (token.token.empty()) {
    return Broken(StoreViolation::kBlankValue, StoredKind::kRefreshToken);
  }
  std::string current;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kRefreshTokenValue));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, token.id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return NotFound("refresh token", token.id);
    current = std::string(statement->ColumnText(0));
  }
  if (op.expected_token.has_value() && *op.expected_token != current) {
    return Status::Aborted("the refresh token was changed by another writer");
  }
  // The owner never changes: only the value, the instants and the documents' other fields.
  BULWARK_ASSIGN_OR_RETURN(RefreshToken stored, [&]() -> Result<RefreshToken> {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             connection_.Prepare("SELECT doc FROM refresh_tokens WHERE id = ?1"));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, token.id));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return NotFound("refresh token", token.id);
    return DecodeRefreshToken(statement->ColumnText(0));
  }());
  if (stored.user_id != token.user_id || stored.application_id != token.application_id ||
      stored.tenant_id != token.tenant_id) {
    return Broken(StoreViolation::kTenantChanged, StoredKind::kRefreshToken);
  }
  BULWARK_ASSIGN_OR_RETURN(bool taken,
                           HasRow(kRefreshTokenTaken, std::string_view(token.token), token.id));
  if (taken) {
    return Broken(StoreViolation::kDuplicateRefreshToken, StoredKind::kRefreshToken);
  }
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeRefreshToken(token));
  std::optional<std::string_view> previous;
  if (op.previous_token.has_value()) previous = *op.previous_token;
  std::optional<std::string_view> successor;
  if (op.successor.has_value()) successor = *op.successor;
  return Write(ForeignKeyMeaning::kNone, kUpdateRefreshToken, token.id,
               std::string_view(token.token), Millis(token.insert_instant), NoCopyText{doc},
               previous, Millis(op.rotated_at), successor);
}

Status BatchWriter::OnDeleteRefreshToken(const WriteBatch::DeleteRefreshToken& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kRefreshTokenExists, op.id));
  if (!exists) return NotFound("refresh token", op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteRefreshToken, op.id);
}

Status BatchWriter::OnDeleteRefreshTokens(const WriteBatch::DeleteRefreshTokens& op) {
  if (op.user_id.has_value() && op.application_id.has_value()) {
    return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfUserAndApplication, *op.user_id,
                 *op.application_id);
  }
  if (op.user_id.has_value()) {
    return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfUser, *op.user_id);
  }
  if (op.application_id.has_value()) {
    return Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfApplication, *op.application_id);
  }
  return Status::InvalidArgument("revoking refresh tokens needs a user id or an application id");
}

// --- user actions and failed logins --------------------------------------------------------

Status BatchWriter::OnInsertUserAction(const WriteBatch::InsertUserAction& op) {
  const UserActionLog& action = op.action;
  BULWARK_RETURN_IF_ERROR(RequireId(action.id, StoredKind::kUserAction));
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kUserActionExists, action.id));
  if (exists) return Broken(StoreViolation::kDuplicateId, StoredKind::kUserAction);
  BULWARK_RETURN_IF_ERROR(RequireUser(action.actionee_user_id, StoredKind::kUserAction));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeUserAction(action));
  return Write(ForeignKeyMeaning::kUserActionUser, kInsertUserAction, action.id,
               action.actionee_user_id, Millis(action.create_instant), Millis(action.expiry),
               NoCopyText{doc});
}

Status BatchWriter::OnDeleteUserAction(const WriteBatch::DeleteUserAction& op) {
  BULWARK_ASSIGN_OR_RETURN(bool exists, HasRow(kUserActionExists, op.id));
  if (!exists) return NotFound("user action", op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteUserAction, op.id);
}

Status BatchWriter::OnRecordLoginFailure(const WriteBatch::RecordLoginFailure& op) {
  BULWARK_RETURN_IF_ERROR(RequireUser(op.user_id, StoredKind::kUserAction));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kPruneLoginFailures, op.user_id,
                                ToEpochMillis(op.window_start)));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kUserActionUser, kInsertLoginFailure, op.user_id,
                                ToEpochMillis(op.instant)));
  if (!op.lock.has_value()) return Status::Ok();
  std::int64_t failures = 0;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             connection_.Prepare(kCountLoginFailuresSince));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, op.user_id, ToEpochMillis(op.window_start)));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (row) failures = statement->ColumnInt64(0);
  }
  if (failures < op.lock->threshold) return Status::Ok();
  BULWARK_RETURN_IF_ERROR(OnClearLoginFailures(WriteBatch::ClearLoginFailures{op.user_id}));
  WriteBatch::InsertUserAction insert{op.lock->action};
  insert.action.actionee_user_id = op.user_id;
  BULWARK_RETURN_IF_ERROR(OnInsertUserAction(insert));
  if (op.lock->revoke_refresh_tokens) {
    BULWARK_RETURN_IF_ERROR(
        Write(ForeignKeyMeaning::kNone, kDeleteRefreshTokensOfUser, op.user_id));
  }
  return Status::Ok();
}

Status BatchWriter::OnClearLoginFailures(const WriteBatch::ClearLoginFailures& op) {
  return Write(ForeignKeyMeaning::kNone, kClearLoginFailures, op.user_id);
}

// --- partial user updates ------------------------------------------------------------------

Result<User> BatchWriter::ReadUser(UserId user_id) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kUserDoc));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, user_id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return NotFound("user", user_id);
  return DecodeUser(statement->ColumnText(0));
}

Status BatchWriter::OnRecordLogin(const WriteBatch::RecordLogin& op) {
  const std::int64_t instant = ToEpochMillis(op.instant);
  BULWARK_ASSIGN_OR_RETURN(bool user, UpdateRow(kSetUserLastLogin, op.user_id, instant));
  if (!user) return NotFound("user", op.user_id);
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kInsertLoginRecord, op.user_id,
                                op.application_id, instant, std::string_view(op.ip_address)));
  if (!op.application_id.has_value()) return Status::Ok();
  return Write(ForeignKeyMeaning::kNone, kSetRegistrationLastLogin, op.user_id, *op.application_id,
               instant);
}

Result<std::string> BatchWriter::StoredPasswordHash(UserId user_id) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kUserPasswordHash));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, user_id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return NotFound("user", user_id);
  return std::string(statement->ColumnText(0));
}

Status BatchWriter::OnReplacePasswordHash(const WriteBatch::ReplacePasswordHash& op) {
  const PasswordHash& next = op.replacement;
  auto member = [](const std::string& value) {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  };
  nlohmann::json patch = {{"password", member(next.hash)},
                          {"salt", member(next.salt)},
                          {"encryptionScheme", member(next.encryption_scheme)}};
  patch["factor"] =
      next.encryption_scheme.empty() ? nlohmann::json(nullptr) : nlohmann::json(next.factor);
  const std::string text = patch.dump();
  BULWARK_ASSIGN_OR_RETURN(bool replaced,
                           UpdateRow(kReplaceUserPasswordHash, op.user_id,
                                     std::string_view(op.expected_hash), NoCopyText{text}));
  if (replaced) return Status::Ok();
  // Unchanged: the hash moved on meanwhile (nothing to do), or there is no such user.
  return StoredPasswordHash(op.user_id).status();
}

Status BatchWriter::OnRequirePasswordHash(const WriteBatch::RequirePasswordHash& op) {
  BULWARK_ASSIGN_OR_RETURN(std::string stored, StoredPasswordHash(op.user_id));
  if (stored != op.expected_hash) return Status::Aborted("the user's password changed meanwhile");
  return Status::Ok();
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

Status BatchWriter::OnRecordUnknownLoginFailure(const WriteBatch::RecordUnknownLoginFailure& op) {
  BULWARK_ASSIGN_OR_RETURN(bool tenant, HasRow(kTenantExists, op.tenant_id));
  if (!tenant) return NotFound("tenant", op.tenant_id);
  const std::string_view digest(op.login_id_digest);
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kPruneUnknownLoginFailures, op.tenant_id,
                                digest, ToEpochMillis(op.window_start)));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kInsertUnknownLoginFailure, op.tenant_id,
                                digest, ToEpochMillis(op.instant)));
  // The same read a known user's failure makes (its count decides a lockout).
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                           connection_.Prepare(kCountUnknownLoginFailures));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, op.tenant_id, digest, ToEpochMillis(op.window_start)));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  (void)row;
  return Status::Ok();
}

// --- patches ---------------------------------------------------------------------------------

namespace {

constexpr std::string_view kRegistrationRoleNames =
    "SELECT ar.name FROM registration_roles AS rr "
    "JOIN application_roles AS ar ON ar.id = rr.role_id "
    "WHERE rr.registration_id = ?1 ORDER BY rr.position";

// Applies `members` onto `doc`: each member set, or removed when null. (WriteBatch::Iterate
// has refused the members that cannot be patched.)
Status ApplyMembers(nlohmann::json& doc, const nlohmann::json& members) {
  if (!members.is_object()) {
    return Status::InvalidArgument("a patch must be a JSON object of members");
  }
  for (const auto& [key, value] : members.items()) {
    if (value.is_null()) {
      doc.erase(key);
    } else {
      doc[key] = value;
    }
  }
  return Status::Ok();
}

}  // namespace

Status BatchWriter::OnPatchUser(const WriteBatch::PatchUser& op) {
  BULWARK_ASSIGN_OR_RETURN(User stored, ReadUser(op.user_id));
  nlohmann::json doc = ToJson(stored, UserJsonOptions{.include_hash = true});
  BULWARK_RETURN_IF_ERROR(ApplyMembers(doc, op.members));
  Result<User> patched = UserFromJson(doc, "user", UserJsonOptions{.include_hash = true});
  if (!patched.ok()) return patched.status();
  BULWARK_ASSIGN_OR_RETURN(UserKeys keys, CheckUserKeys(*patched, /*is_new=*/false));
  return WriteUser(*patched, keys, /*is_new=*/false);
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
    BULWARK_ASSIGN_OR_RETURN(stored, DecodeRegistration(statement->ColumnText(1)));
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

// --- identity providers --------------------------------------------------------------------

namespace {

// The domains as stored: case-folded (Unicode simple folding), each once, where it first
// appears.
std::vector<std::string> StoredDomains(const std::vector<std::string>& domains) {
  std::vector<std::string> out;
  out.reserve(domains.size());
  for (const std::string& domain : domains) {
    std::string lower = CaseFold(domain);
    if (std::find(out.begin(), out.end(), lower) == out.end()) out.push_back(std::move(lower));
  }
  return out;
}

// The scope of a provider's domains: its tenant, or the nil id (16 zero bytes) when global.
TenantId DomainScope(const IdentityProvider& provider) {
  return provider.tenant_id.value_or(TenantId());
}

}  // namespace

Result<std::optional<BatchWriter::ProviderRow>> BatchWriter::ReadProvider(IdentityProviderId id) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kProviderRow));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return std::optional<ProviderRow>();
  ProviderRow found;
  if (!statement->IsNull(0)) {
    BULWARK_ASSIGN_OR_RETURN(Uuid tenant, statement->ColumnUuid(0));
    found.tenant_id = TenantId(tenant);
  }
  found.type = std::string(statement->ColumnText(1));
  return std::optional<ProviderRow>(std::move(found));
}

Status BatchWriter::CheckProviderKeys(const IdentityProvider& provider,
                                      const std::vector<std::string>& domains) {
  BULWARK_ASSIGN_OR_RETURN(
      bool name_taken, HasRow(kProviderNameTaken, std::string_view(provider.name), provider.id));
  if (name_taken) {
    return Broken(StoreViolation::kDuplicateProviderName, StoredKind::kIdentityProvider);
  }
  const TenantId scope = DomainScope(provider);
  for (const std::string& domain : domains) {
    BULWARK_ASSIGN_OR_RETURN(
        bool taken, HasRow(kDomainTaken, std::string_view(domain), provider.id, scope, TenantId()));
    if (taken) {
      return Broken(StoreViolation::kDuplicateDomain, StoredKind::kIdentityProvider, domain);
    }
  }
  return Status::Ok();
}

Status BatchWriter::WriteProviderDomains(const IdentityProvider& provider,
                                         const std::vector<std::string>& domains, bool is_new) {
  if (!is_new) {
    BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kDeleteProviderDomains, provider.id));
  }
  const TenantId scope = DomainScope(provider);
  for (const std::string& domain : domains) {
    BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kInsertProviderDomain, provider.id,
                                  scope, std::string_view(domain)));
  }
  return Status::Ok();
}

Status BatchWriter::OnInsertIdentityProvider(const WriteBatch::InsertIdentityProvider& op) {
  BULWARK_RETURN_IF_ERROR(RequireId(op.provider.id, StoredKind::kIdentityProvider));
  BULWARK_ASSIGN_OR_RETURN(std::optional<ProviderRow> existing, ReadProvider(op.provider.id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kIdentityProvider);
  }
  if (op.provider.tenant_id.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, HasRow(kTenantExists, *op.provider.tenant_id));
    if (!tenant_exists) {
      return Broken(StoreViolation::kUnknownTenant, StoredKind::kIdentityProvider);
    }
  }
  IdentityProvider provider = op.provider;
  provider.domains = StoredDomains(provider.domains);
  BULWARK_RETURN_IF_ERROR(CheckProviderKeys(provider, provider.domains));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeIdentityProvider(provider));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kIdentityProviderTenant, kInsertProvider,
                                provider.id, std::string_view(provider.name),
                                ToString(provider.type), provider.tenant_id, NoCopyText{doc}));
  return WriteProviderDomains(provider, provider.domains, /*is_new=*/true);
}

Status BatchWriter::OnUpdateIdentityProvider(const WriteBatch::UpdateIdentityProvider& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<ProviderRow> stored, ReadProvider(op.provider.id));
  if (!stored.has_value()) return NotFound("identity provider", op.provider.id);
  if (stored->tenant_id != op.provider.tenant_id) {
    return Broken(StoreViolation::kTenantChanged, StoredKind::kIdentityProvider);
  }
  if (stored->type != ToString(op.provider.type)) {
    return Broken(StoreViolation::kTypeChanged, StoredKind::kIdentityProvider);
  }
  IdentityProvider provider = op.provider;
  provider.domains = StoredDomains(provider.domains);
  BULWARK_RETURN_IF_ERROR(CheckProviderKeys(provider, provider.domains));
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeIdentityProvider(provider));
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kUpdateProvider, provider.id,
                                std::string_view(provider.name), NoCopyText{doc}));
  return WriteProviderDomains(provider, provider.domains, /*is_new=*/false);
}

Status BatchWriter::OnDeleteIdentityProvider(const WriteBatch::DeleteIdentityProvider& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<ProviderRow> stored, ReadProvider(op.id));
  if (!stored.has_value()) return NotFound("identity provider", op.id);
  // ON DELETE CASCADE removes its domains, links and pending links.
  return Write(ForeignKeyMeaning::kNone, kDeleteProvider, op.id);
}

// --- identity provider links ---------------------------------------------------------------

Result<bool> BatchWriter::ProviderServesTenant(IdentityProviderId provider_id, TenantId tenant_id) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<ProviderRow> provider, ReadProvider(provider_id));
  if (!provider.has_value()) return false;
  return !provider->tenant_id.has_value() || *provider->tenant_id == tenant_id;
}

Result<std::optional<std::pair<std::int64_t, std::string>>> BatchWriter::ReadLink(
    IdentityProviderId provider_id, TenantId tenant_id,
    std::string_view identity_provider_user_id) {
  using Found = std::optional<std::pair<std::int64_t, std::string>>;
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kLinkRow));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, provider_id, tenant_id, identity_provider_user_id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Found();
  return Found(std::in_place, statement->ColumnInt64(0), std::string(statement->ColumnText(1)));
}

Status BatchWriter::OnInsertIdentityProviderLink(const WriteBatch::InsertIdentityProviderLink& op) {
  const IdentityProviderLink& link = op.link;
  if (!link.tenant_id.has_value()) {
    return Broken(StoreViolation::kBlankTenant, StoredKind::kIdentityProviderLink);
  }
  const TenantId tenant_id = *link.tenant_id;
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> user_tenant,
                           QueryId<TenantId>(kUserTenant, link.user_id));
  if (user_tenant != tenant_id) {
    return Broken(StoreViolation::kUnknownUser, StoredKind::kIdentityProviderLink);
  }
  BULWARK_ASSIGN_OR_RETURN(bool serves, ProviderServesTenant(link.identity_provider_id, tenant_id));
  if (!serves) {
    return Broken(StoreViolation::kUnknownIdentityProvider, StoredKind::kIdentityProviderLink);
  }
  const std::string_view idp_user_id(link.identity_provider_user_id);
  BULWARK_ASSIGN_OR_RETURN(auto existing,
                           ReadLink(link.identity_provider_id, tenant_id, idp_user_id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateLink, StoredKind::kIdentityProviderLink);
  }
  if (op.max_links.has_value()) {
    // Counted under the write lock: concurrent links cannot both see room for one more.
    std::int64_t links = 0;
    {
      BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kCountUserLinks));
      BULWARK_RETURN_IF_ERROR(Bind(*statement, link.user_id, link.identity_provider_id));
      BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
      if (row) links = statement->ColumnInt64(0);
    }
    if (links >= *op.max_links) {
      return ViolationStatus(
          Violation{StoreViolation::kLinkCountExceeded, StoredKind::kIdentityProviderLink},
          "the user already has " + std::to_string(links) + " links to identity provider " +
              link.identity_provider_id.ToString());
    }
  }
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeIdentityProviderLink(link));
  return Write(ForeignKeyMeaning::kIdentityProviderLinkParent, kInsertLink,
               link.identity_provider_id, tenant_id, idp_user_id, link.user_id,
               Millis(link.insert_instant), NoCopyText{doc});
}

Status BatchWriter::OnRecordIdentityProviderLogin(
    const WriteBatch::RecordIdentityProviderLogin& op) {
  BULWARK_ASSIGN_OR_RETURN(auto stored, ReadLink(op.provider_id, op.tenant_id,
                                                 std::string_view(op.identity_provider_user_id)));
  if (!stored.has_value()) return Status::NotFound("identity provider link not found");
  BULWARK_ASSIGN_OR_RETURN(IdentityProviderLink link, DecodeIdentityProviderLink(stored->second));
  link.last_login_instant = op.instant;
  if (op.token.has_value()) link.token = *op.token;
  if (op.display_name.has_value()) link.display_name = *op.display_name;
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeIdentityProviderLink(link));
  return Write(ForeignKeyMeaning::kNone, kSetLinkDoc, stored->first, NoCopyText{doc});
}

Status BatchWriter::OnDeleteIdentityProviderLink(const WriteBatch::DeleteIdentityProviderLink& op) {
  BULWARK_ASSIGN_OR_RETURN(auto stored, ReadLink(op.provider_id, op.tenant_id,
                                                 std::string_view(op.identity_provider_user_id)));
  if (!stored.has_value()) return Status::NotFound("identity provider link not found");
  return Write(ForeignKeyMeaning::kNone, kDeleteLink, stored->first);
}

// --- pending links -------------------------------------------------------------------------

Status BatchWriter::OnInsertPendingIdPLink(const WriteBatch::InsertPendingIdPLink& op) {
  const StoredPendingIdPLink& pending = op.pending;
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kPruneExpiredPendingLinks,
                                ToEpochMillis(pending.insert_instant)));
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, HasRow(kTenantExists, pending.tenant_id));
  BULWARK_ASSIGN_OR_RETURN(
      bool serves, ProviderServesTenant(pending.link.identity_provider_id, pending.tenant_id));
  if (!tenant_exists || !serves) {
    return Broken(StoreViolation::kUnknownIdentityProvider, StoredKind::kPendingIdPLink);
  }
  const std::string_view digest(pending.id_digest);
  BULWARK_ASSIGN_OR_RETURN(bool taken, HasRow(kPendingLinkExpiry, digest));
  if (taken) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kPendingIdPLink);
  }
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodePendingIdPLink(pending.link));
  return Write(ForeignKeyMeaning::kPendingIdPLinkParent, kInsertPendingLink, digest,
               pending.tenant_id, pending.link.identity_provider_id, pending.application_id,
               ToEpochMillis(pending.insert_instant), ToEpochMillis(pending.expiry),
               NoCopyText{doc});
}

Status BatchWriter::OnDeletePendingIdPLink(const WriteBatch::DeletePendingIdPLink& op) {
  const std::string_view digest(op.id_digest);
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kPendingLinkExpiry));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, digest));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    // An expired link is as good as gone: consuming it fails like consuming it twice.
    if (!row || statement->ColumnInt64(0) <= ToEpochMillis(op.now)) {
      return Status::NotFound("pending link not found");
    }
  }
  return Write(ForeignKeyMeaning::kNone, kDeletePendingLink, digest);
}

// --- API keys ------------------------------------------------------------------------------

Result<std::optional<BatchWriter::ApiKeyRow>> BatchWriter::ReadApiKey(ApiKeyId id) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(kApiKeyRow));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, id));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return std::optional<ApiKeyRow>();
  ApiKeyRow found;
  if (!statement->IsNull(0)) {
    BULWARK_ASSIGN_OR_RETURN(Uuid tenant, statement->ColumnUuid(0));
    found.tenant_id = TenantId(tenant);
  }
  return std::optional<ApiKeyRow>(found);
}

Status BatchWriter::OnInsertApiKey(const WriteBatch::InsertApiKey& op) {
  const ApiKey& key = op.key;
  BULWARK_RETURN_IF_ERROR(RequireId(key.id, StoredKind::kApiKey));
  const std::string_view digest(op.key_digest);
  if (digest.empty()) {
    return Broken(StoreViolation::kBlankValue, StoredKind::kApiKey);
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<ApiKeyRow> existing, ReadApiKey(key.id));
  if (existing.has_value()) {
    return Broken(StoreViolation::kDuplicateId, StoredKind::kApiKey);
  }
  if (key.tenant_id.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, HasRow(kTenantExists, *key.tenant_id));
    if (!tenant_exists) {
      return Broken(StoreViolation::kUnknownTenant, StoredKind::kApiKey);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(bool taken, HasRow(kApiKeyDigestTaken, digest));
  if (taken) return Broken(StoreViolation::kDuplicateApiKey, StoredKind::kApiKey);
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeApiKey(key));
  return Write(ForeignKeyMeaning::kApiKeyTenant, kInsertApiKey, key.id, digest, key.tenant_id,
               Millis(key.insert_instant), NoCopyText{doc});
}

Status BatchWriter::OnUpdateApiKey(const WriteBatch::UpdateApiKey& op) {
  const ApiKey& key = op.key;
  BULWARK_ASSIGN_OR_RETURN(std::optional<ApiKeyRow> stored, ReadApiKey(key.id));
  if (!stored.has_value()) return NotFound("API key", key.id);
  if (stored->tenant_id != key.tenant_id) {
    return Broken(StoreViolation::kTenantChanged, StoredKind::kApiKey);
  }
  BULWARK_ASSIGN_OR_RETURN(std::string doc, EncodeApiKey(key));
  return Write(ForeignKeyMeaning::kNone, kUpdateApiKey, key.id, Millis(key.insert_instant),
               NoCopyText{doc});
}

Status BatchWriter::OnDeleteApiKey(const WriteBatch::DeleteApiKey& op) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<ApiKeyRow> stored, ReadApiKey(op.id));
  if (!stored.has_value()) return NotFound("API key", op.id);
  return Write(ForeignKeyMeaning::kNone, kDeleteApiKey, op.id);
}

}  // namespace bulwark::internal::sqlite
