// SPDX-License-Identifier: Apache-2.0
//
// The read side of a Store: one narrow repository per aggregate. Writes go through
// Store::Apply(WriteBatch) so that multi-object changes are atomic.
//
// Every method returns kNotFound for a missing object, kUnavailable when the storage cannot
// be reached (busy beyond its timeout, I/O error) and kDataLoss when stored data cannot be
// read back. Returned objects are copies.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not throw, and must not call back into the Engine. They may block on
// I/O.
#ifndef BULWARK_STORE_REPOSITORIES_H_
#define BULWARK_STORE_REPOSITORIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/api_key.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/key.h"
#include "bulwark/model/login_record.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/model/user_action_log.h"
#include "bulwark/result.h"

namespace bulwark {

class BULWARK_EXPORT TenantRepository {
 public:
  TenantRepository() = default;
  TenantRepository(const TenantRepository&) = delete;
  TenantRepository& operator=(const TenantRepository&) = delete;
  virtual ~TenantRepository();

  virtual Result<Tenant> Get(TenantId id) = 0;
  // Every tenant, ordered by name.
  virtual Result<std::vector<Tenant>> List() = 0;
  // The default tenant's id (set by WriteBatch::SetDefaultTenant); kNotFound before one is set.
  virtual Result<TenantId> DefaultTenantId() = 0;
};

class BULWARK_EXPORT ApplicationRepository {
 public:
  ApplicationRepository() = default;
  ApplicationRepository(const ApplicationRepository&) = delete;
  ApplicationRepository& operator=(const ApplicationRepository&) = delete;
  virtual ~ApplicationRepository();

  // Roles are included.
  virtual Result<Application> Get(ApplicationId id) = 0;
  // The tenant's applications (active and inactive), ordered by name.
  virtual Result<std::vector<Application>> ListByTenant(TenantId tenant_id) = 0;
};

class BULWARK_EXPORT UserRepository {
 public:
  UserRepository() = default;
  UserRepository(const UserRepository&) = delete;
  UserRepository& operator=(const UserRepository&) = delete;
  virtual ~UserRepository();

  // The user with its stored password hash; `registrations` is left empty (see
  // RegistrationRepository::ListByUser).
  virtual Result<User> Get(UserId id) = 0;
  // Email match is case-insensitive (Unicode simple case folding; store.h), in the tenant.
  virtual Result<User> FindByEmail(TenantId tenant_id, std::string_view email) = 0;
  // Username match is case-insensitive, as email match is, within the tenant.
  virtual Result<User> FindByUsername(TenantId tenant_id, std::string_view username) = 0;
  virtual Result<std::int64_t> CountByTenant(TenantId tenant_id) = 0;
  // How many users there are, in every tenant.
  virtual Result<std::int64_t> Count() = 0;
};

class BULWARK_EXPORT RegistrationRepository {
 public:
  RegistrationRepository() = default;
  RegistrationRepository(const RegistrationRepository&) = delete;
  RegistrationRepository& operator=(const RegistrationRepository&) = delete;
  virtual ~RegistrationRepository();

  virtual Result<Registration> Get(UserId user_id, ApplicationId application_id) = 0;
  // The user's registrations, ordered by insertInstant.
  virtual Result<std::vector<Registration>> ListByUser(UserId user_id) = 0;
};

class BULWARK_EXPORT KeyRepository {
 public:
  KeyRepository() = default;
  KeyRepository(const KeyRepository&) = delete;
  KeyRepository& operator=(const KeyRepository&) = delete;
  virtual ~KeyRepository();

  // The key with its private material (privateKey, secret): callers decide what to expose.
  virtual Result<Key> Get(KeyId id) = 0;
  // The key whose `kid` is `kid` (kids are unique).
  virtual Result<Key> FindByKid(std::string_view kid) = 0;
  // Every key, ordered by name.
  virtual Result<std::vector<Key>> List() = 0;
};

// A token found by the value it had before its last rotation.
struct RotatedRefreshToken {
  RefreshToken token;  // as it is now
  Instant rotated_at{};
  std::string successor;  // as given to WriteBatch::Rotate
};

// Refresh tokens are stored as given: the Engine stores a digest of the token value in
// RefreshToken::token, never the value itself, and looks tokens up by that digest.
class BULWARK_EXPORT RefreshTokenRepository {
 public:
  RefreshTokenRepository() = default;
  RefreshTokenRepository(const RefreshTokenRepository&) = delete;
  RefreshTokenRepository& operator=(const RefreshTokenRepository&) = delete;
  virtual ~RefreshTokenRepository();

  virtual Result<RefreshToken> Get(RefreshTokenId id) = 0;
  // The token whose stored `token` equals `stored_token` exactly.
  virtual Result<RefreshToken> FindByToken(std::string_view stored_token) = 0;
  // The token whose value before its last rotation was `stored_token`, with the instant of
  // that rotation (see WriteBatch::UpdateRefreshToken).
  virtual Result<RotatedRefreshToken> FindByPreviousToken(std::string_view stored_token) = 0;
  // The user's tokens, ordered by insertInstant.
  virtual Result<std::vector<RefreshToken>> ListByUser(UserId user_id) = 0;
};

// Actions taken on users (lockouts and the like) and the failed-login record that leads to
// them.
class BULWARK_EXPORT UserActionRepository {
 public:
  UserActionRepository() = default;
  UserActionRepository(const UserActionRepository&) = delete;
  UserActionRepository& operator=(const UserActionRepository&) = delete;
  virtual ~UserActionRepository();

  // The user's actions that are in force at `now` (no expiry, or expiry after `now`), ordered
  // by createInstant.
  virtual Result<std::vector<UserActionLog>> ListInForce(UserId user_id, Instant now) = 0;
  // How many failed logins of the user were recorded at or after `since` (and not cleared).
  virtual Result<std::int64_t> CountLoginFailuresSince(UserId user_id, Instant since) = 0;
  // The user's most recent logins, newest first, at most `limit`.
  virtual Result<std::vector<LoginRecord>> ListLoginRecords(UserId user_id, std::size_t limit) = 0;
};

// Identity providers (FusionAuth's Identity Provider API). Returned providers carry their
// domains as stored (case-folded, each once).
class BULWARK_EXPORT IdentityProviderRepository {
 public:
  IdentityProviderRepository() = default;
  IdentityProviderRepository(const IdentityProviderRepository&) = delete;
  IdentityProviderRepository& operator=(const IdentityProviderRepository&) = delete;
  virtual ~IdentityProviderRepository();

  virtual Result<IdentityProvider> Get(IdentityProviderId id) = 0;
  // Every provider, ordered by name.
  virtual Result<std::vector<IdentityProvider>> List() = 0;
  // The provider that manages `domain` (compared case-insensitively, as emails are) in the
  // context of `tenant_id`: the provider scoped to that tenant when one claims the domain, else
  // the global provider that claims it. Without a tenant, only a global provider is found.
  // kNotFound when no provider manages the domain. Enabled or not: callers decide.
  virtual Result<IdentityProvider> FindByDomain(std::string_view domain,
                                                std::optional<TenantId> tenant_id) = 0;
};

// Links between users and their identities at identity providers (FusionAuth's Link API),
// and the pending links of the CreatePendingLink strategy.
class BULWARK_EXPORT IdentityProviderLinkRepository {
 public:
  IdentityProviderLinkRepository() = default;
  IdentityProviderLinkRepository(const IdentityProviderLinkRepository&) = delete;
  IdentityProviderLinkRepository& operator=(const IdentityProviderLinkRepository&) = delete;
  virtual ~IdentityProviderLinkRepository();

  // The link of the provider's user `identity_provider_user_id` (compared exactly) within the
  // tenant.
  virtual Result<IdentityProviderLink> Find(IdentityProviderId provider_id, TenantId tenant_id,
                                            std::string_view identity_provider_user_id) = 0;
  // The user's links, ordered by insertInstant; only those to `provider_id` when it is set.
  virtual Result<std::vector<IdentityProviderLink>> ListByUser(
      UserId user_id, std::optional<IdentityProviderId> provider_id) = 0;
  // The pending link stored under `id_digest`; kNotFound when there is none or it has
  // expired at `now` (expiry <= now).
  virtual Result<StoredPendingIdPLink> FindPending(std::string_view id_digest, Instant now) = 0;
};

// API keys (FusionAuth's API Key API). A key's secret value is never stored: the store keeps
// the digest given to WriteBatch::InsertApiKey, and every returned ApiKey has an empty `key`.
class BULWARK_EXPORT ApiKeyRepository {
 public:
  ApiKeyRepository() = default;
  ApiKeyRepository(const ApiKeyRepository&) = delete;
  ApiKeyRepository& operator=(const ApiKeyRepository&) = delete;
  virtual ~ApiKeyRepository();

  virtual Result<ApiKey> Get(ApiKeyId id) = 0;
  // The key whose stored digest equals `key_digest` exactly.
  virtual Result<ApiKey> FindByKeyDigest(std::string_view key_digest) = 0;
  // Every key, ordered by insertInstant, then id.
  virtual Result<std::vector<ApiKey>> List() = 0;
  // How many keys there are, global and tenant-scoped.
  virtual Result<std::int64_t> Count() = 0;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_REPOSITORIES_H_
