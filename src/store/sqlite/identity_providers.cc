// SPDX-License-Identifier: Apache-2.0
//
// Identity providers, their links and pending links: the SQL of the identity_providers,
// identity_provider_domains, identity_provider_links and pending_idp_links tables and the
// write operations on them.
#include "store/sqlite/batch_writer.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/case_folding.h"
#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

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
    BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, TenantExists(*op.provider.tenant_id));
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
  BULWARK_ASSIGN_OR_RETURN(std::optional<TenantId> user_tenant, UserTenant(link.user_id));
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

Status BatchWriter::OnInsertPendingIdPLink(const WriteBatch::InsertPendingIdPLink& op) {
  const StoredPendingIdPLink& pending = op.pending;
  BULWARK_RETURN_IF_ERROR(Write(ForeignKeyMeaning::kNone, kPruneExpiredPendingLinks,
                                ToEpochMillis(pending.insert_instant)));
  BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, TenantExists(pending.tenant_id));
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

}  // namespace bulwark::internal::sqlite
