// SPDX-License-Identifier: Apache-2.0
//
// The SQLite Store: read repositories over the connection pool, and Apply over the writer.
#include "bulwark/store/sqlite_store.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/case_folding.h"
#include "store/sqlite/artefacts.h"
#include "store/sqlite/batch_writer.h"
#include "store/sqlite/codec.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/statement.h"
#include "store/sqlite/transaction.h"

namespace bulwark {
namespace internal::sqlite {
namespace {

constexpr std::string_view kGetTenant = "SELECT doc FROM tenants WHERE id = ?1";
constexpr std::string_view kListTenants = "SELECT doc FROM tenants ORDER BY name";
constexpr std::string_view kDefaultTenant =
    "SELECT tenant_id FROM default_tenant WHERE singleton = 1";
constexpr std::string_view kGetApplication = "SELECT doc FROM applications WHERE id = ?1";
constexpr std::string_view kListApplications =
    "SELECT doc FROM applications WHERE tenant_id = ?1 ORDER BY name, id";
constexpr std::string_view kGetUser = "SELECT doc, last_login_instant FROM users WHERE id = ?1";
// ?2 is the address case-folded, ?3 lower-cased in ASCII. A user displaced by the version-5
// migration (schema.cc) whose pre-v5 key is ?3 comes first; then the user holding the folded
// key. The `<> ''` terms let SQLite use the partial indexes.
constexpr std::string_view kFindDisplacedUserByEmail =
    "SELECT doc, last_login_instant FROM users WHERE tenant_id = ?1 AND email_displaced = ?2 "
    "AND email_legacy_lower = ?3 AND email_displaced <> '' LIMIT 1";
constexpr std::string_view kFindUserByEmail =
    "SELECT doc, last_login_instant FROM users WHERE tenant_id = ?1 AND email_lower = ?2 "
    "AND email_lower <> ''";
constexpr std::string_view kFindDisplacedUserByUsername =
    "SELECT doc, last_login_instant FROM users WHERE tenant_id = ?1 AND username_displaced = ?2 "
    "AND username_legacy_lower = ?3 AND username_displaced <> '' LIMIT 1";
constexpr std::string_view kFindUserByUsername =
    "SELECT doc, last_login_instant FROM users WHERE tenant_id = ?1 AND username_lower = ?2 "
    "AND username_lower <> ''";
constexpr std::string_view kCountUsers = "SELECT count(*) FROM users WHERE tenant_id = ?1";
constexpr std::string_view kCountAllUsers = "SELECT count(*) FROM users";
// One row per (registration, role), or one row with a NULL role for a registration without
// roles: a single statement, hence a single snapshot.
constexpr std::string_view kGetRegistration =
    "SELECT r.id, r.doc, r.last_login_instant, ar.name FROM registrations AS r "
    "LEFT JOIN registration_roles AS rr ON rr.registration_id = r.id "
    "LEFT JOIN application_roles AS ar ON ar.id = rr.role_id "
    "WHERE r.user_id = ?1 AND r.application_id = ?2 ORDER BY rr.position";
constexpr std::string_view kListRegistrations =
    "SELECT r.id, r.doc, r.last_login_instant, ar.name FROM registrations AS r "
    "LEFT JOIN registration_roles AS rr ON rr.registration_id = r.id "
    "LEFT JOIN application_roles AS ar ON ar.id = rr.role_id "
    "WHERE r.user_id = ?1 ORDER BY r.insert_instant, r.rowid, rr.position";

constexpr std::string_view kGetKey = "SELECT doc FROM keys WHERE id = ?1";
constexpr std::string_view kFindKeyByKid = "SELECT doc FROM keys WHERE kid = ?1 AND kid <> ''";
constexpr std::string_view kListKeys = "SELECT doc FROM keys ORDER BY name";
constexpr std::string_view kGetRefreshToken = "SELECT doc FROM refresh_tokens WHERE id = ?1";
constexpr std::string_view kFindRefreshToken = "SELECT doc FROM refresh_tokens WHERE token = ?1";
constexpr std::string_view kFindRotatedRefreshToken =
    "SELECT doc, rotated_at, successor FROM refresh_tokens WHERE previous_token = ?1";
constexpr std::string_view kListRefreshTokens =
    "SELECT doc FROM refresh_tokens WHERE user_id = ?1 ORDER BY insert_instant, rowid";
// In (create_instant, rowid) order, sorted by the caller: an ORDER BY here would set up a
// sorter on every login, where nearly every user has no action at all.
constexpr std::string_view kListUserActionsInForce =
    "SELECT doc, create_instant, rowid FROM user_actions "
    "WHERE user_id = ?1 AND (expiry IS NULL OR expiry > ?2)";
constexpr std::string_view kListLoginRecords =
    "SELECT application_id, instant, ip_address FROM login_records WHERE user_id = ?1 "
    "ORDER BY instant DESC, rowid DESC LIMIT ?2";
constexpr std::string_view kCountLoginFailures =
    "SELECT count(*) FROM login_failures WHERE user_id = ?1 AND instant >= ?2";

constexpr std::string_view kGetIdentityProvider =
    "SELECT doc FROM identity_providers WHERE id = ?1";
constexpr std::string_view kListIdentityProviders =
    "SELECT doc FROM identity_providers ORDER BY name";
// ?2 is the tenant's scope and ?3 the global scope (16 zero bytes; ?2 = ?3 without a
// tenant): the tenant's own provider sorts first.
constexpr std::string_view kFindIdentityProviderByDomain =
    "SELECT p.doc FROM identity_provider_domains AS d "
    "JOIN identity_providers AS p ON p.id = d.identity_provider_id "
    "WHERE d.domain_lower = ?1 AND (d.scope = ?2 OR d.scope = ?3) "
    "ORDER BY d.scope = ?3 LIMIT 1";
constexpr std::string_view kFindIdentityProviderLink =
    "SELECT doc FROM identity_provider_links WHERE identity_provider_id = ?1 AND tenant_id = ?2 "
    "AND identity_provider_user_id = ?3";
constexpr std::string_view kListUserLinks =
    "SELECT doc FROM identity_provider_links WHERE user_id = ?1 "
    "ORDER BY insert_instant, rowid";
constexpr std::string_view kListUserLinksToProvider =
    "SELECT doc FROM identity_provider_links WHERE user_id = ?1 AND identity_provider_id = ?2 "
    "ORDER BY insert_instant, rowid";
constexpr std::string_view kFindPendingIdPLink =
    "SELECT tenant_id, application_id, insert_instant, expiry, doc FROM pending_idp_links "
    "WHERE id_digest = ?1 AND expiry > ?2";

constexpr std::string_view kGetApiKey = "SELECT doc FROM api_keys WHERE id = ?1";
constexpr std::string_view kFindApiKeyByDigest = "SELECT doc FROM api_keys WHERE key_digest = ?1";
constexpr std::string_view kListApiKeys = "SELECT doc FROM api_keys ORDER BY insert_instant, id";
constexpr std::string_view kCountApiKeys = "SELECT count(*) FROM api_keys";
constexpr std::string_view kConfigurationGeneration =
    "SELECT value FROM configuration_generation WHERE singleton = 1";

// The document in column 0 of the single row of `sql`, decoded; kNotFound without a row.
template <typename Decode, typename... Args>
auto ReadOne(ConnectionPool& pool, std::string_view not_found, Decode decode, std::string_view sql,
             const Args&... args) -> decltype(decode(std::string_view())) {
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool.AcquireReader());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::NotFound(not_found);
  return decode(statement->ColumnText(0));
}

// The single row of `sql` decoded by `decode_row(statement)`; kNotFound without a row.
template <typename DecodeRow, typename... Args>
auto ReadOneRow(ConnectionPool& pool, std::string_view not_found, DecodeRow decode_row,
                std::string_view sql, const Args&... args)
    -> decltype(decode_row(std::declval<const Statement&>())) {
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool.AcquireReader());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::NotFound(not_found);
  return decode_row(*statement);
}

// The user of the row that `displaced_sql` finds (a row the version-5 migration displaced,
// whose pre-v5 key is `legacy`), else of the row holding `key` (`sql`), read in one lease:
// Whether any user keeps a key displaced by the version-5 migration (the partial indexes
// answer without a scan).
constexpr std::string_view kAnyDisplacedUserKey =
    "SELECT 1 FROM users WHERE email_displaced <> '' UNION ALL "
    "SELECT 1 FROM users WHERE username_displaced <> '' LIMIT 1";

// FindByEmail and FindByUsername. kNotFound when neither has a row. Only the version-5
// migration ever displaces a key; writes keep or clear one, never make one. So once no user
// keeps a displaced key none ever will again on this file, `displaced_gone` remembers that,
// and the lookup skips the displaced query from then on.
Result<User> FindUser(ConnectionPool& pool, std::atomic<bool>& displaced_gone,
                      std::string_view not_found, std::string_view displaced_sql,
                      std::string_view sql, TenantId tenant_id, std::string_view key,
                      std::string_view legacy) {
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool.AcquireReader());
  if (!displaced_gone.load(std::memory_order_acquire)) {
    {
      BULWARK_ASSIGN_OR_RETURN(ScopedStatement any,
                               lease.connection().Prepare(kAnyDisplacedUserKey));
      BULWARK_ASSIGN_OR_RETURN(bool row, any->Step());
      if (!row) displaced_gone.store(true, std::memory_order_release);
    }
    if (!displaced_gone.load(std::memory_order_relaxed)) {
      BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                               lease.connection().Prepare(displaced_sql));
      BULWARK_RETURN_IF_ERROR(Bind(*statement, tenant_id, key, legacy));
      BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
      if (row) return DecodeUserRow(*statement, 0);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, tenant_id, key));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::NotFound(not_found);
  return DecodeUserRow(*statement, 0);
}

// Every document in column 0 of `sql`, decoded, in the statement's order.
template <typename T, typename Decode, typename... Args>
Result<std::vector<T>> ReadAll(ConnectionPool& pool, Decode decode, std::string_view sql,
                               const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool.AcquireReader());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  std::vector<T> out;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) break;
    BULWARK_ASSIGN_OR_RETURN(T value, decode(statement->ColumnText(0)));
    out.push_back(std::move(value));
  }
  return out;
}

// The count(*) of `sql`.
template <typename... Args>
Result<std::int64_t> ReadCount(ConnectionPool& pool, std::string_view sql, const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool.AcquireReader());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return Status::Internal("count(*) returned no row");
  return statement->ColumnInt64(0);
}

// Registrations from the rows of kGetRegistration / kListRegistrations, which arrive grouped
// by registration.
template <typename... Args>
Result<std::vector<Registration>> ReadRegistrations(ConnectionPool& pool, std::string_view sql,
                                                    const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool.AcquireReader());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  std::vector<Registration> out;
  Uuid current;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) break;
    BULWARK_ASSIGN_OR_RETURN(Uuid id, statement->ColumnUuid(0));
    if (out.empty() || id != current) {
      BULWARK_ASSIGN_OR_RETURN(Registration registration, DecodeRegistrationRow(*statement, 1));
      out.push_back(std::move(registration));
      current = id;
    }
    if (!statement->IsNull(3)) out.back().roles.emplace_back(statement->ColumnText(3));
  }
  return out;
}

class SqliteTenants final : public TenantRepository {
 public:
  explicit SqliteTenants(ConnectionPool& pool) : pool_(pool) {}

  Result<Tenant> Get(TenantId id) override {
    return ReadOne(pool_, "tenant not found", DecodeTenant, kGetTenant, id);
  }
  Result<std::vector<Tenant>> List() override {
    return ReadAll<Tenant>(pool_, DecodeTenant, kListTenants);
  }
  Result<TenantId> DefaultTenantId() override {
    BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_.AcquireReader());
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, lease.connection().Prepare(kDefaultTenant));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return Status::NotFound("no default tenant has been set");
    BULWARK_ASSIGN_OR_RETURN(Uuid id, statement->ColumnUuid(0));
    return TenantId(id);
  }

 private:
  ConnectionPool& pool_;
};

class SqliteApplications final : public ApplicationRepository {
 public:
  explicit SqliteApplications(ConnectionPool& pool) : pool_(pool) {}

  Result<Application> Get(ApplicationId id) override {
    return ReadOne(pool_, "application not found", DecodeApplication, kGetApplication, id);
  }
  Result<std::vector<Application>> ListByTenant(TenantId tenant_id) override {
    return ReadAll<Application>(pool_, DecodeApplication, kListApplications, tenant_id);
  }

 private:
  ConnectionPool& pool_;
};

class SqliteUsers final : public UserRepository {
 public:
  explicit SqliteUsers(ConnectionPool& pool) : pool_(pool) {}

  Result<User> Get(UserId id) override {
    return ReadOneRow(
        pool_, "user not found",
        [](const Statement& statement) { return DecodeUserRow(statement, 0); }, kGetUser, id);
  }
  Result<User> FindByEmail(TenantId tenant_id, std::string_view email) override {
    const std::string key = CaseFold(email);
    const std::string legacy = AsciiLower(email);
    return FindUser(pool_, displaced_gone_, "no user with this email in the tenant",
                    kFindDisplacedUserByEmail, kFindUserByEmail, tenant_id, std::string_view(key),
                    std::string_view(legacy));
  }
  Result<User> FindByUsername(TenantId tenant_id, std::string_view username) override {
    const std::string key = CaseFold(username);
    const std::string legacy = AsciiLower(username);
    return FindUser(pool_, displaced_gone_, "no user with this username in the tenant",
                    kFindDisplacedUserByUsername, kFindUserByUsername, tenant_id,
                    std::string_view(key), std::string_view(legacy));
  }
  Result<std::int64_t> CountByTenant(TenantId tenant_id) override {
    return ReadCount(pool_, kCountUsers, tenant_id);
  }
  Result<std::int64_t> Count() override { return ReadCount(pool_, kCountAllUsers); }

 private:
  ConnectionPool& pool_;
  // No user keeps a displaced key, and so none ever will (FindUser).
  std::atomic<bool> displaced_gone_{false};
};

class SqliteRegistrations final : public RegistrationRepository {
 public:
  explicit SqliteRegistrations(ConnectionPool& pool) : pool_(pool) {}

  Result<Registration> Get(UserId user_id, ApplicationId application_id) override {
    BULWARK_ASSIGN_OR_RETURN(std::vector<Registration> found,
                             ReadRegistrations(pool_, kGetRegistration, user_id, application_id));
    if (found.empty()) return Status::NotFound("registration not found");
    return std::move(found.front());
  }
  Result<std::vector<Registration>> ListByUser(UserId user_id) override {
    return ReadRegistrations(pool_, kListRegistrations, user_id);
  }

 private:
  ConnectionPool& pool_;
};

class SqliteKeys final : public KeyRepository {
 public:
  explicit SqliteKeys(ConnectionPool& pool) : pool_(pool) {}

  Result<Key> Get(KeyId id) override {
    return ReadOne(pool_, "key not found", DecodeKey, kGetKey, id);
  }
  Result<Key> FindByKid(std::string_view kid) override {
    return ReadOne(pool_, "no key with this kid", DecodeKey, kFindKeyByKid, kid);
  }
  Result<std::vector<Key>> List() override { return ReadAll<Key>(pool_, DecodeKey, kListKeys); }

 private:
  ConnectionPool& pool_;
};

class SqliteRefreshTokens final : public RefreshTokenRepository {
 public:
  explicit SqliteRefreshTokens(ConnectionPool& pool) : pool_(pool) {}

  Result<RefreshToken> Get(RefreshTokenId id) override {
    return ReadOne(pool_, "refresh token not found", DecodeRefreshToken, kGetRefreshToken, id);
  }
  Result<RefreshToken> FindByToken(std::string_view stored_token) override {
    return ReadOne(pool_, "refresh token not found", DecodeRefreshToken, kFindRefreshToken,
                   stored_token);
  }
  Result<RotatedRefreshToken> FindByPreviousToken(std::string_view stored_token) override {
    BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_.AcquireReader());
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             lease.connection().Prepare(kFindRotatedRefreshToken));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, stored_token));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return Status::NotFound("refresh token not found");
    RotatedRefreshToken found;
    BULWARK_ASSIGN_OR_RETURN(found.token, DecodeRefreshToken(statement->ColumnText(0)));
    found.rotated_at = FromEpochMillis(statement->ColumnInt64(1));
    if (!statement->IsNull(2)) found.successor = std::string(statement->ColumnText(2));
    return found;
  }
  Result<std::vector<RefreshToken>> ListByUser(UserId user_id) override {
    return ReadAll<RefreshToken>(pool_, DecodeRefreshToken, kListRefreshTokens, user_id);
  }

 private:
  ConnectionPool& pool_;
};

class SqliteUserActions final : public UserActionRepository {
 public:
  explicit SqliteUserActions(ConnectionPool& pool) : pool_(pool) {}

  Result<std::vector<UserActionLog>> ListInForce(UserId user_id, Instant now) override {
    BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_.AcquireReader());
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             lease.connection().Prepare(kListUserActionsInForce));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, user_id, ToEpochMillis(now)));
    struct Row {
      std::optional<std::int64_t> create_instant;  // NULL sorts first, as in SQL
      std::int64_t rowid = 0;
      UserActionLog action;
    };
    std::vector<Row> rows;
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
      if (!row) break;
      BULWARK_ASSIGN_OR_RETURN(UserActionLog action, DecodeUserAction(statement->ColumnText(0)));
      rows.push_back(
          {statement->IsNull(1) ? std::nullopt : std::optional(statement->ColumnInt64(1)),
           statement->ColumnInt64(2), std::move(action)});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return std::tie(a.create_instant, a.rowid) < std::tie(b.create_instant, b.rowid);
    });
    std::vector<UserActionLog> out;
    out.reserve(rows.size());
    for (Row& row : rows) out.push_back(std::move(row.action));
    return out;
  }
  Result<std::vector<LoginRecord>> ListLoginRecords(UserId user_id, std::size_t limit) override {
    BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_.AcquireReader());
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             lease.connection().Prepare(kListLoginRecords));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, user_id, static_cast<std::int64_t>(limit)));
    std::vector<LoginRecord> out;
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
      if (!row) break;
      LoginRecord record;
      record.user_id = user_id;
      if (!statement->IsNull(0)) {
        BULWARK_ASSIGN_OR_RETURN(Uuid app, statement->ColumnUuid(0));
        record.application_id = ApplicationId(app);
      }
      record.instant = FromEpochMillis(statement->ColumnInt64(1));
      record.ip_address = std::string(statement->ColumnText(2));
      out.push_back(std::move(record));
    }
    return out;
  }
  Result<std::int64_t> CountLoginFailuresSince(UserId user_id, Instant since) override {
    return ReadCount(pool_, kCountLoginFailures, user_id, ToEpochMillis(since));
  }

 private:
  ConnectionPool& pool_;
};

class SqliteIdentityProviders final : public IdentityProviderRepository {
 public:
  explicit SqliteIdentityProviders(ConnectionPool& pool) : pool_(pool) {}

  Result<IdentityProvider> Get(IdentityProviderId id) override {
    return ReadOne(pool_, "identity provider not found", DecodeIdentityProvider,
                   kGetIdentityProvider, id);
  }
  Result<std::vector<IdentityProvider>> List() override {
    return ReadAll<IdentityProvider>(pool_, DecodeIdentityProvider, kListIdentityProviders);
  }
  Result<IdentityProvider> FindByDomain(std::string_view domain,
                                        std::optional<TenantId> tenant_id) override {
    const std::string key = CaseFold(domain);
    return ReadOne(pool_, "no identity provider manages this domain", DecodeIdentityProvider,
                   kFindIdentityProviderByDomain, std::string_view(key),
                   tenant_id.value_or(TenantId()), TenantId());
  }

 private:
  ConnectionPool& pool_;
};

class SqliteIdentityProviderLinks final : public IdentityProviderLinkRepository {
 public:
  explicit SqliteIdentityProviderLinks(ConnectionPool& pool) : pool_(pool) {}

  Result<IdentityProviderLink> Find(IdentityProviderId provider_id, TenantId tenant_id,
                                    std::string_view identity_provider_user_id) override {
    return ReadOne(pool_, "identity provider link not found", DecodeIdentityProviderLink,
                   kFindIdentityProviderLink, provider_id, tenant_id, identity_provider_user_id);
  }
  Result<std::vector<IdentityProviderLink>> ListByUser(
      UserId user_id, std::optional<IdentityProviderId> provider_id) override {
    if (provider_id.has_value()) {
      return ReadAll<IdentityProviderLink>(pool_, DecodeIdentityProviderLink,
                                           kListUserLinksToProvider, user_id, *provider_id);
    }
    return ReadAll<IdentityProviderLink>(pool_, DecodeIdentityProviderLink, kListUserLinks,
                                         user_id);
  }
  Result<StoredPendingIdPLink> FindPending(std::string_view id_digest, Instant now) override {
    BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_.AcquireReader());
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             lease.connection().Prepare(kFindPendingIdPLink));
    BULWARK_RETURN_IF_ERROR(Bind(*statement, id_digest, ToEpochMillis(now)));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return Status::NotFound("pending link not found");
    StoredPendingIdPLink found;
    found.id_digest = std::string(id_digest);
    BULWARK_ASSIGN_OR_RETURN(Uuid tenant, statement->ColumnUuid(0));
    found.tenant_id = TenantId(tenant);
    if (!statement->IsNull(1)) {
      BULWARK_ASSIGN_OR_RETURN(Uuid application, statement->ColumnUuid(1));
      found.application_id = ApplicationId(application);
    }
    found.insert_instant = FromEpochMillis(statement->ColumnInt64(2));
    found.expiry = FromEpochMillis(statement->ColumnInt64(3));
    BULWARK_ASSIGN_OR_RETURN(found.link, DecodePendingIdPLink(statement->ColumnText(4)));
    return found;
  }

 private:
  ConnectionPool& pool_;
};

class SqliteApiKeys final : public ApiKeyRepository {
 public:
  explicit SqliteApiKeys(ConnectionPool& pool) : pool_(pool) {}

  Result<ApiKey> Get(ApiKeyId id) override {
    return ReadOne(pool_, "API key not found", DecodeApiKey, kGetApiKey, id);
  }
  Result<ApiKey> FindByKeyDigest(std::string_view key_digest) override {
    return ReadOne(pool_, "API key not found", DecodeApiKey, kFindApiKeyByDigest, key_digest);
  }
  Result<std::vector<ApiKey>> List() override {
    return ReadAll<ApiKey>(pool_, DecodeApiKey, kListApiKeys);
  }
  Result<std::int64_t> Count() override { return ReadCount(pool_, kCountApiKeys); }

 private:
  ConnectionPool& pool_;
};

// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation (see ConnectionPool for the locking).
class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<ConnectionPool> pool,
              std::shared_ptr<StoreFaultInjector> fault_injector, int schema_version)
      : pool_(std::move(pool)),
        fault_injector_(std::move(fault_injector)),
        schema_version_(schema_version),
        tenants_(*pool_),
        applications_(*pool_),
        users_(*pool_),
        registrations_(*pool_),
        keys_(*pool_),
        refresh_tokens_(*pool_),
        user_actions_(*pool_),
        identity_providers_(*pool_),
        identity_provider_links_(*pool_),
        api_keys_(*pool_),
        artefacts_(*pool_) {}

  std::string_view Name() const override { return "sqlite"; }
  int SchemaVersion() const override { return schema_version_; }
  TenantRepository& tenants() override { return tenants_; }
  ApplicationRepository& applications() override { return applications_; }
  UserRepository& users() override { return users_; }
  RegistrationRepository& registrations() override { return registrations_; }
  KeyRepository& keys() override { return keys_; }
  RefreshTokenRepository& refresh_tokens() override { return refresh_tokens_; }
  UserActionRepository& user_actions() override { return user_actions_; }
  IdentityProviderRepository& identity_providers() override { return identity_providers_; }
  IdentityProviderLinkRepository& identity_provider_links() override {
    return identity_provider_links_;
  }
  ApiKeyRepository& api_keys() override { return api_keys_; }
  ArtefactStore& artefacts() override { return artefacts_; }

  // Bumped by triggers (schema version 6), so it moves with every writer of the file.
  Result<std::uint64_t> ConfigurationGeneration() override {
    BULWARK_ASSIGN_OR_RETURN(ConnectionPool::ReadLease lease, pool_->AcquireReader());
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement,
                             lease.connection().Prepare(kConfigurationGeneration));
    BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
    if (!row) return Status::DataLoss("the configuration generation is missing");
    return static_cast<std::uint64_t>(statement->ColumnInt64(0));
  }

  Status Apply(const WriteBatch& batch) override {
    if (batch.empty()) return Status::Ok();
    ConnectionPool::WriteLease lease = pool_->LockWriter();
    Connection& connection = lease.connection();
    // IMMEDIATE: the write lock is taken (or the busy timeout spent) before anything is
    // checked, so the checks below see exactly what the writes will change.
    BULWARK_ASSIGN_OR_RETURN(Transaction transaction,
                             Transaction::Begin(connection, TransactionKind::kImmediate));
    BatchWriter writer(connection, fault_injector_.get());
    // Any failure returns through `transaction`'s destructor, which rolls back.
    BULWARK_RETURN_IF_ERROR(batch.Iterate(writer));
    if (fault_injector_ != nullptr) BULWARK_RETURN_IF_ERROR(fault_injector_->BeforeCommit());
    return transaction.Commit();
  }

 private:
  const std::unique_ptr<ConnectionPool> pool_;
  const std::shared_ptr<StoreFaultInjector> fault_injector_;
  const int schema_version_;
  SqliteTenants tenants_;
  SqliteApplications applications_;
  SqliteUsers users_;
  SqliteRegistrations registrations_;
  SqliteKeys keys_;
  SqliteRefreshTokens refresh_tokens_;
  SqliteUserActions user_actions_;
  SqliteIdentityProviders identity_providers_;
  SqliteIdentityProviderLinks identity_provider_links_;
  SqliteApiKeys api_keys_;
  SqliteArtefacts artefacts_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options,
                                               std::span<const Migration> migrations) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool,
                           ConnectionPool::Open({.path = options.path,
                                                 .busy_timeout = options.busy_timeout,
                                                 .max_readers = options.max_read_connections},
                                                migrations));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(
      std::move(pool), options.fault_injector, static_cast<int>(migrations.size())));
}

}  // namespace internal::sqlite

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options) {
  return internal::sqlite::OpenSqliteStore(options, internal::sqlite::DefaultMigrations());
}

}  // namespace bulwark
