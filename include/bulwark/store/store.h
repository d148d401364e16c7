// SPDX-License-Identifier: Apache-2.0
//
// Store: where bulwark keeps every persistent object. It hands out narrow read repositories
// (repositories.h) and applies writes atomically (Apply + WriteBatch). No SQL text and no
// driver type crosses this interface, so SQLite (the embedded default, sqlite_store.h) and a
// later PostgreSQL implementation serve the same callers.
//
// Rules every implementation enforces, whatever the caller checked before, each reported as
// the typed violation (store_violation.h) named after the arrow, with the StoredKind it
// concerns. A Store reports violations and stores data; it holds no business rule and no
// caller-facing text: the Engine maps each violation to FusionAuth's error code and message.
//   - tenant names are unique                          -> kDuplicateTenantName
//   - ids are unique per kind (application and role ids across all tenants)
//                                                      -> kDuplicateId (tenant, application,
//                                                         role, user, registration, key,
//                                                         refreshToken, userAction,
//                                                         identityProvider, pendingIdPLink,
//                                                         apiKey); an application listing a
//                                                         role id twice: kRepeatedId
//   - ids are not nil                                  -> kMissingId
//   - email unique per tenant, case-insensitive (Unicode simple case folding, not NFKC); an
//     empty email is absent and never collides         -> kDuplicateEmail
//   - username unique per tenant, likewise             -> kDuplicateUsername
//   - an application's and a user's tenant exists, and never changes on Update
//                                                      -> kUnknownTenant, kTenantChanged
//   - one registration per (user, application)         -> kDuplicateRegistration
//   - role names unique per application (exact match)  -> kDuplicateRoleName
//   - a registration's user exists                     -> kUnknownUser (registration)
//   - a registration's application exists, in the user's tenant
//                                                      -> kUnknownApplication (registration)
//   - a registration's roles name roles of its application -> kUnknownRole
//   - the default tenant (SetDefaultTenant) cannot be deleted -> kFailedPrecondition
//   - key names are unique                             -> kDuplicateKeyName
//   - key kids are unique (an empty kid never collides) -> kDuplicateKid
//   - a refresh token has a value, unique among the stored ones
//                                                      -> kBlankValue, kDuplicateRefreshToken
//   - a refresh token's user exists                    -> kUnknownUser (refreshToken)
//   - a refresh token's application exists, unless nil -> kUnknownApplication (refreshToken)
//   - a refresh token's user, application and tenant never change -> kOwnerChanged
//   - an action's and a failed login's user exists     -> kUnknownUser (userAction)
//   - identity provider names are unique (exact match)  -> kDuplicateProviderName
//   - a tenant-scoped provider's tenant exists, and a provider's tenant and type never
//     change on Update                                 -> kUnknownTenant, kTenantChanged,
//                                                         kTypeChanged (identityProvider)
//   - a domain (case-insensitive as emails are; stored case-folded, each once) is managed
//     by at most one provider per tenant context: a global provider's domain is no other
//     provider's; a tenant-scoped provider's domain is neither a global provider's nor
//     another provider's of the same tenant      -> kDuplicateDomain (detail: the domain)
//   - a link's tenant is set                           -> kBlankTenant (identityProviderLink)
//   - a link's user exists, in the link's tenant       -> kUnknownUser (identityProviderLink)
//   - a link's provider exists and, when tenant-scoped, is scoped to the link's tenant
//                                                      -> kUnknownIdentityProvider
//   - one link per (provider, tenant, provider user id) -> kDuplicateLink (kAlreadyExists)
//   - a pending link's tenant and provider exist       -> kUnknownIdentityProvider
//                                                         (pendingIdPLink)
//   - pending-link digests are unique                  -> kDuplicateId (pendingIdPLink)
//   - an API key's digest is not blank, and is unique  -> kBlankValue, kDuplicateApiKey
//   - an API key's tenant, when set, exists, and never changes on Update
//                                                      -> kUnknownTenant, kTenantChanged
//   - a constraint of the storage itself (a FOREIGN KEY) that cannot say which parent is
//     missing                                          -> kUnknownParent
// Registrations refer to roles by identity, not by text: when UpdateApplication renames a
// role (same role id, new name) every registration carrying it carries the new name, and
// when it drops a role, registrations stop carrying it — in the same atomic write. A
// registration's roles are a set: a repeated name is kept once, at its first position, and
// the order given is otherwise kept.
// A violation's Status (ViolationStatus) is kAlreadyExists for the duplicates (both
// kDuplicateEmail and kDuplicateUsername are reported when both are taken),
// kFailedPrecondition for kLinkCountExceeded and kInvalidArgument for the others; the batch
// then changes nothing.
//
// Applying a batch: Apply calls WriteBatch::Iterate with a WriteBatch::Handler
// (write_batch.h); operations a Store does not override answer kUnimplemented, so a
// host's Store keeps compiling, and keeps working for what it serves, when operations are
// added.
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
#include "bulwark/store/store_violation.h"
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
  // Each operation sees the effects of the earlier ones. An empty batch is OK. Implement it
  // as batch.Iterate(handler) inside one transaction (write_batch.h).
  // Returns the first failing operation's Status: the violations above, kNotFound (see
  // write_batch.h), kUnimplemented for an operation the Store does not support,
  // kInvalidArgument for text that is not valid UTF-8, kUnavailable when the storage is busy
  // beyond its timeout or cannot be reached.
  virtual Status Apply(const WriteBatch& batch) = 0;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_STORE_H_
