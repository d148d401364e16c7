// SPDX-License-Identifier: Apache-2.0
// Private: the SQLite ArtefactStore (table `artefacts`, schema version 6). Every statement on
// the table is in artefacts.cc.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation. Put, Consume and the removals run in IMMEDIATE transactions on the writer
// connection, so that of concurrent consumers (threads or processes) exactly one wins; Get
// reads a snapshot on a reader.
#ifndef BULWARK_STORE_SQLITE_ARTEFACTS_H_
#define BULWARK_STORE_SQLITE_ARTEFACTS_H_

#include "bulwark/store/artefact_store.h"
#include "store/sqlite/connection_pool.h"

namespace bulwark::internal::sqlite {

class SqliteArtefacts final : public ArtefactStore {
 public:
  explicit SqliteArtefacts(ConnectionPool& pool) : pool_(pool) {}

  Status Put(const Artefact& artefact, Instant now) override;
  Result<Artefact> Get(TenantId tenant_id, std::string_view kind, std::string_view key,
                       Instant now) override;
  Result<ConsumedArtefact> Consume(TenantId tenant_id, std::string_view kind,
                                   std::string_view key, Instant now) override;
  Result<std::int64_t> RevokeByGrant(TenantId tenant_id, std::string_view grant_id) override;
  Result<std::int64_t> RevokeByUser(TenantId tenant_id, UserId user_id) override;
  Result<std::int64_t> DeleteExpired(Instant now) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_ARTEFACTS_H_
