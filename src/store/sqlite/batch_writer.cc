// SPDX-License-Identifier: Apache-2.0
//
// What the per-table files (tenants.cc, applications.cc, users.cc, registrations.cc, keys.cc,
// refresh_tokens.cc, login_records.cc, identity_providers.cc, api_keys.cc) share: the meaning
// of the schema's constraints as violations, and the members of a patch.
#include "store/sqlite/batch_writer.h"

#include <sqlite3.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bulwark::internal::sqlite {
namespace {

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

Status WriteOutcome(const Statement& statement, Status status, ForeignKeyMeaning foreign_key) {
  if (!status.ok() && (statement.last_error() & 0xff) == SQLITE_CONSTRAINT) {
    return MapConstraintViolation(statement.last_error(), statement.last_error_message(),
                                  foreign_key);
  }
  return status;
}

bool FailedOnConstraint(const Statement& statement) noexcept {
  return (statement.last_error() & 0xff) == SQLITE_CONSTRAINT;
}

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

}  // namespace bulwark::internal::sqlite
