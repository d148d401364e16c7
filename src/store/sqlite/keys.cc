// SPDX-License-Identifier: Apache-2.0
//
// Keys (Key Master): the SQL of the keys table and the write operations on it.
#include "store/sqlite/batch_writer.h"

#include <string>
#include <string_view>

#include "store/sqlite/codec.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {
namespace {

constexpr std::string_view kKeyExists = "SELECT 1 FROM keys WHERE id = ?1";
constexpr std::string_view kKeyNameTaken = "SELECT 1 FROM keys WHERE name = ?1 AND id <> ?2";
constexpr std::string_view kKeyKidTaken =
    "SELECT 1 FROM keys WHERE kid = ?1 AND kid <> '' AND id <> ?2";
constexpr std::string_view kInsertKey =
    "INSERT INTO keys (id, name, kid, doc) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kUpdateKey =
    "UPDATE keys SET name = ?2, kid = ?3, doc = ?4 WHERE id = ?1";
constexpr std::string_view kDeleteKey = "DELETE FROM keys WHERE id = ?1";
}  // namespace

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

}  // namespace bulwark::internal::sqlite
