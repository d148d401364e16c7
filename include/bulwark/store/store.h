// SPDX-License-Identifier: Apache-2.0
//
// Store: where bulwark keeps every persistent object. It hands out narrow read repositories
// (repositories.h) and applies writes atomically (Apply + WriteBatch). No SQL text and no
// driver type crosses this interface, so SQLite (the embedded default, sqlite_store.h) and a
// later PostgreSQL implementation serve the same callers.
//
// Rules every implementation enforces, whatever the caller checked before:
//   - tenant names are unique                          -> [duplicate]tenant.name
//   - ids are unique per kind (application and role ids across all tenants)
//                                                      -> [duplicate]<kind>.id
//                                                         (tenant, application, role, user,
//                                                         registration, identityProvider,
//                                                         apiKey)
//   - ids are not nil                                  -> [missing]<kind>.id
//   - email unique per tenant, case-insensitive (Unicode simple case folding, not NFKC); an
//     empty email is absent and never collides         -> [duplicate]user.email
//   - username unique per tenant, likewise             -> [duplicate]user.username
//   - an application's and a user's tenant exists, and never changes on Update
//                                                      -> [invalid]application.tenantId,
//                                                         [invalid]user.tenantId
//   - one registration per (user, application)         -> [duplicate]registration
//   - role names unique per application (exact match)  -> [duplicate]role.name
//   - a registration's user exists                     -> [invalid]registration.userId
//   - a registration's application exists, in the user's tenant
//                                                      -> [invalid]registration.applicationId
//   - a registration's roles name roles of its application -> [invalid]registration.roles
//   - the default tenant (SetDefaultTenant) cannot be deleted -> kFailedPrecondition
//   - key names are unique                             -> [duplicate]key.name
//   - key kids are unique (an empty kid never collides) -> [duplicate]key.kid
//   - a refresh token's user exists                    -> [invalid]refreshToken.userId
//   - a refresh token's application exists, unless nil -> [invalid]refreshToken.applicationId
//   - stored refresh-token values are unique           -> [duplicate]refreshToken.token
//   - an action's and a failed login's user exists     -> [invalid]action.actioneeUserId
//   - identity provider names are unique (exact match)  -> [duplicate]identityProvider.name
//   - a tenant-scoped provider's tenant exists, and a provider's tenant and type never
//     change on Update                                 -> [invalid]identityProvider.tenantId,
//                                                         [invalid]identityProvider.type
//   - a domain (case-insensitive as emails are; stored case-folded, each once) is managed
//     by at most one provider per tenant context: a global provider's domain is no other
//     provider's; a tenant-scoped provider's domain is neither a global provider's nor
//     another provider's of the same tenant      -> [duplicate]identityProvider.domains
//   - a link's tenant is set                           -> [blank]identityProviderLink.tenantId
//   - a link's user exists, in the link's tenant       -> [invalid]identityProviderLink.userId
//   - a link's provider exists and, when tenant-scoped, is scoped to the link's tenant
//                                                      -> [invalid]identityProviderLink.
//                                                         identityProviderId
//   - one link per (provider, tenant, provider user id) -> [duplicate]identityProviderLink
//     (kAlreadyExists)
//   - a pending link's tenant and provider exist       -> [invalid]pendingIdPLink.
//                                                         identityProviderId
//   - pending-link digests are unique                  -> [duplicate]pendingIdPLink.id
//   - an API key's digest is not blank, and is unique  -> [blank]apiKey.key,
//                                                         [duplicate]apiKey.key
//   - an API key's tenant, when set, exists, and never changes on Update
//                                                      -> [invalid]apiKey.tenantId
// Registrations refer to roles by identity, not by text: when UpdateApplication renames a
// role (same role id, new name) every registration carrying it carries the new name, and
// when it drops a role, registrations stop carrying it — in the same atomic write. A
// registration's roles are a set: a repeated name is kept once, at its first position, and
// the order given is otherwise kept.
// Violations are kAlreadyExists (duplicates; both user.email and user.username are listed
// when both are taken) or kInvalidArgument, with those field errors; the batch then changes
// nothing.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not throw, and must not call back into the Engine. They may block on
// I/O.
#ifndef BULWARK_STORE_STORE_H_
#define BULWARK_STORE_STORE_H_

#include <cstdint>
#include <string_view>

#include "bulwark/export.h"
#include "bulwark/result.h"
#include "bulwark/status.h"
#include "bulwark/store/artefact_store.h"
#include "bulwark/store/repositories.h"
#include "bulwark/store/write_batch.h"

namespace bulwark {

class BULWARK_EXPORT Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store();

  // A stable name for the implementation ("sqlite"), for logs and diagnostics.
  virtual std::string_view Name() const = 0;
  // The schema version this implementation writes.
  virtual int SchemaVersion() const = 0;

  // The repositories live as long as the Store.
  virtual TenantRepository& tenants() = 0;
  virtual ApplicationRepository& applications() = 0;
  virtual UserRepository& users() = 0;
  virtual RegistrationRepository& registrations() = 0;
  virtual KeyRepository& keys() = 0;
  virtual RefreshTokenRepository& refresh_tokens() = 0;
  virtual UserActionRepository& user_actions() = 0;
  virtual IdentityProviderRepository& identity_providers() = 0;
  virtual IdentityProviderLinkRepository& identity_provider_links() = 0;
  virtual ApiKeyRepository& api_keys() = 0;

  // Short-lived artefacts (artefact_store.h), which OAuth 2.0 and SAML need. Not pure: this
  // default refuses every call with kUnimplemented, so a Store that predates artefacts, or a
  // host's Store that serves no such module, needs no change. It lives as long as the Store.
  virtual ArtefactStore& artefacts();

  // A number that changes whenever a tenant, the default tenant, an application (or its
  // roles), an identity provider or a key is written, by any Store on the same data, another
  // process's included; writes of users, tokens and login records leave it alone. Engines
  // read it before using their decoded copies of that configuration and drop the copies when
  // it moved. Not pure: the default answers kUnimplemented, and an Engine then keeps copies
  // for a second (seeing its own writes at once).
  virtual Result<std::uint64_t> ConfigurationGeneration();

  // Applies every operation of `batch` in order, atomically: on any error nothing is written.
  // Each operation sees the effects of the earlier ones. An empty batch is OK.
  // Returns the first failing operation's Status: the rule codes above, kNotFound (see
  // write_batch.h), kInvalidArgument for text that is not valid UTF-8, kUnavailable when the
  // storage is busy beyond its timeout or cannot be reached.
  virtual Status Apply(const WriteBatch& batch) = 0;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_STORE_H_
