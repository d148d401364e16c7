// SPDX-License-Identifier: Apache-2.0
//
// API keys: the SQL of the api_keys table and the write operations on it.
#include "store/sqlite/batch_writer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kApiKeyRow = "SELECT tenant_id FROM api_keys WHERE id = ?1";
constexpr std::string_view kApiKeyDigestTaken = "SELECT 1 FROM api_keys WHERE key_digest = ?1";
constexpr std::string_view kInsertApiKey =
    "INSERT INTO api_keys (id, key_digest, tenant_id, insert_instant, doc) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kUpdateApiKey =
    "UPDATE api_keys SET insert_instant = ?2, doc = ?3 WHERE id = ?1";
constexpr std::string_view kDeleteApiKey = "DELETE FROM api_keys WHERE id = ?1";
}  // namespace

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
    BULWARK_ASSIGN_OR_RETURN(bool tenant_exists, TenantExists(*key.tenant_id));
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
