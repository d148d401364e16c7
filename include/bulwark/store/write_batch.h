// SPDX-License-Identifier: Apache-2.0
//
// WriteBatch: a list of writes that a Store applies atomically (Store::Apply): either every
// operation takes effect or none does. It is a plain value (leveldb's WriteBatch idea) so that
// any Store implementation — SQLite now, PostgreSQL later — can apply it in one transaction
// without callers knowing which.
//
//   WriteBatch batch;
//   batch.Insert(user);
//   batch.Insert(user.id, registration);
//   Status s = store.Apply(batch);   // a duplicate email leaves nothing behind
//
// How a Store applies a batch — the contract: inside its transaction it calls
// Iterate(handler) with a WriteBatch::Handler (leveldb's WriteBatch::Handler), which has one
// virtual member per operation. Each member has a default that answers kUnimplemented ("this
// Store does not support <operation>"), so a Store overrides the operations it serves, and a
// new operation added to the library later changes no Store that does not use it: a batch
// holding it fails with kUnimplemented there and, the Store rolling back, writes nothing.
// Iterate stops at the first error and returns it. operations() and Operation are the
// library's own view of the batch; they grow with every new operation, so a Store must not
// std::visit them.
//
// A Store reports a broken rule as a typed violation (store_violation.h) and carries no
// caller-facing text: the Engine says what each violation means.
//
// Semantics every Store must honour:
//   Insert  fails with kAlreadyExists when the id exists (or a uniqueness rule is broken).
//   Update  replaces the whole object; kNotFound when it does not exist.
//   Delete  kNotFound when it does not exist. Deletes cascade:
//             tenant      -> its applications, users and their registrations;
//             application -> its roles and registrations;
//             user        -> its registrations, refresh tokens, actions and failed logins,
//                            and its identity-provider links;
//             application -> also its refresh tokens;
//             tenant      -> also its tenant-scoped identity providers, links and pending
//                            links;
//             identity provider -> its domains, links and pending links;
//             tenant      -> also its tenant-scoped API keys.
//   UpdateRefreshToken with `expected_token` set is a compare-and-swap: kAborted when the
//             stored token's `token` is no longer `expected_token` (another writer rotated
//             it first), so that concurrent rotations of one token have exactly one winner.
//   DeleteRefreshTokens removes every token matching the filter (possibly none); at least
//             one of user_id / application_id must be set (kInvalidArgument otherwise).
//   SetDefault kNotFound when the tenant does not exist.
//   InsertIdentityProviderLink with `max_links` set fails with kFailedPrecondition and the
//             violation kLinkCountExceeded when the user already has that many links to the
//             provider (checked inside the write, so concurrent links cannot slip past the
//             limit).
//   DeletePendingIdPLink kNotFound when no pending link has the digest, or it expired at
//             `now`: consuming a pending link succeeds once.
//   InsertApiKey stores `key_digest` (what the Engine makes of the key's value), never
//             ApiKey::key; UpdateApiKey replaces the document and keeps the stored digest.
// A Registration is stored under its user id and found by (user id, application id): Update
// and Delete of a registration address it that way. User.registrations is not stored by
// Insert/Update of a user (use the registration operations, or InsertUsers, which stores
// each user's registrations as InsertRegistration would), and User.password (plaintext) is
// never stored: the store keeps User.password_hash.
//
// Thread-compatible value type. A Handler is used by one thread at a time (the one calling
// Iterate).
#ifndef BULWARK_STORE_WRITE_BATCH_H_
#define BULWARK_STORE_WRITE_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/api_key.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/model/user_action_log.h"
#include "bulwark/status.h"

namespace bulwark {

class BULWARK_EXPORT WriteBatch {
 public:
  struct InsertTenant {
    Tenant tenant;
  };
  struct UpdateTenant {
    Tenant tenant;
  };
  struct DeleteTenant {
    TenantId id;
  };
  // Records which tenant is the default one (the tenant must exist, or be inserted earlier in
  // the same batch).
  struct SetDefaultTenant {
    TenantId id;
  };
  struct InsertApplication {
    Application application;
  };
  struct UpdateApplication {
    Application application;
  };
  struct DeleteApplication {
    ApplicationId id;
  };
  struct InsertUser {
    User user;
  };
  struct UpdateUser {
    User user;
  };
  struct DeleteUser {
    UserId id;
  };
  struct InsertRegistration {
    UserId user_id;
    Registration registration;
  };
  // Users with their registrations (User::registrations), as the Import API writes them:
  // one operation for any number of users, so that a batch of a million users holds each
  // once. It means, in order, InsertUser of each user (without its registrations), then
  // InsertRegistration of each of its registrations; progress counts those operations.
  // A Store need not implement it: the Handler's default makes exactly those calls.
  struct InsertUsers {
    std::vector<User> users;
  };
  struct UpdateRegistration {
    UserId user_id;
    Registration registration;
  };
  struct DeleteRegistration {
    UserId user_id;
    ApplicationId application_id;
  };

  struct InsertKey {
    Key key;
  };
  struct UpdateKey {
    Key key;
  };
  struct DeleteKey {
    KeyId id;
  };
  struct InsertRefreshToken {
    RefreshToken token;
  };
  struct UpdateRefreshToken {
    RefreshToken token;
    std::optional<std::string> expected_token = std::nullopt;
    // A rotation: the value being replaced and when (RefreshTokenRepository::
    // FindByPreviousToken finds the token by it afterwards). Absent: kept as they were.
    std::optional<std::string> previous_token = std::nullopt;
    std::optional<Instant> rotated_at = std::nullopt;
    // Opaque to the store: what the previous value's holder needs to learn the new value
    // (the Engine seals it under a key derived from the previous value).
    std::optional<std::string> successor = std::nullopt;
  };
  struct DeleteRefreshToken {
    RefreshTokenId id;
  };
  struct DeleteRefreshTokens {
    std::optional<UserId> user_id = std::nullopt;
    std::optional<ApplicationId> application_id = std::nullopt;
  };
  struct InsertUserAction {
    UserActionLog action;
  };
  // Removes the action; kNotFound when it does not exist.
  struct DeleteUserAction {
    UserActionLogId id;
  };
  // Records a failed login and forgets the user's failures before `window_start`. With
  // `lock` set, the rule is applied inside the write, so that concurrent failures cannot slip
  // past it: when the failures since window_start reach lock->threshold, they are forgotten,
  // lock->action is inserted and, with lock->revoke_refresh_tokens, the user's refresh tokens
  // are deleted.
  struct LockRule {
    std::int64_t threshold = 0;
    UserActionLog action;
    bool revoke_refresh_tokens = false;
  };
  struct RecordLoginFailure {
    UserId user_id;
    Instant instant;
    Instant window_start = Instant{};
    std::optional<LockRule> lock = std::nullopt;
  };
  // Records a failed login for a login id that names no user (a digest of it, never the id
  // itself), forgetting that id's failures before `window_start`: the unknown-user path of a
  // login does the same work as a wrong password. kNotFound when the tenant does not exist.
  struct RecordUnknownLoginFailure {
    TenantId tenant_id;
    std::string login_id_digest;
    Instant instant;
    Instant window_start = Instant{};
  };
  // Forgets the user's failed logins (after a successful login or a lockout).
  struct ClearLoginFailures {
    UserId user_id;
  };
  // Sets lastLoginInstant on the user and, when application_id is set, on the user's
  // registration for it (if any), leaving every other field as it is stored: a login never
  // overwrites a concurrent update. kNotFound when the user does not exist.
  // It also adds a LoginRecord (with `ip_address`).
  struct RecordLogin {
    UserId user_id;
    std::optional<ApplicationId> application_id;
    Instant instant;
    std::string ip_address = std::string();
  };
  // Replaces the user's password hash only while the stored hash is still `expected_hash`
  // (a rehash on login must not undo a concurrent password change); otherwise it changes
  // nothing and is not an error. kNotFound when the user does not exist.
  struct ReplacePasswordHash {
    UserId user_id;
    std::string expected_hash;
    PasswordHash replacement;
  };
  // A precondition: kAborted unless the user's stored password hash is still `expected_hash`
  // (a login checked against a password that has changed since must not open a session).
  struct RequirePasswordHash {
    UserId user_id;
    std::string expected_hash;
  };
  // Sets the tenant's jwtConfiguration.accessTokenKeyId to `key_id` unless it names a key
  // already, leaving every other field as stored. kNotFound when the tenant does not exist.
  struct SetAccessTokenKeyIfUnset {
    TenantId tenant_id;
    KeyId key_id;
  };

  // Identity providers. The stored domains are the provider's, lower-cased, each once.
  struct InsertIdentityProvider {
    IdentityProvider provider;
  };
  struct UpdateIdentityProvider {
    IdentityProvider provider;
  };
  struct DeleteIdentityProvider {
    IdentityProviderId id;
  };
  // Links. `link.tenant_id` must be set (the user's tenant).
  struct InsertIdentityProviderLink {
    IdentityProviderLink link;
    std::optional<std::int64_t> max_links = std::nullopt;
  };
  // Sets the link's lastLoginInstant (and, when given, its token and displayName), leaving
  // everything else as stored. kNotFound when the link does not exist.
  struct RecordIdentityProviderLogin {
    IdentityProviderId provider_id;
    TenantId tenant_id;
    std::string identity_provider_user_id;
    Instant instant{};
    std::optional<std::string> token = std::nullopt;
    std::optional<std::string> display_name = std::nullopt;
  };
  // kNotFound when the link does not exist.
  struct DeleteIdentityProviderLink {
    IdentityProviderId provider_id;
    TenantId tenant_id;
    std::string identity_provider_user_id;
  };
  // Also forgets every pending link that has expired at pending.insert_instant.
  struct InsertPendingIdPLink {
    StoredPendingIdPLink pending;
  };
  struct DeletePendingIdPLink {
    std::string id_digest;
    Instant now{};
  };

  // Sets the members of the stored user's JSON document (FusionAuth's wire names) that
  // `members` names — a null value removes the member — and leaves every other field as
  // stored, so that a login that amends a user (claimMap, reconcile callbacks) never undoes
  // a concurrent update of other fields. The result must still read as a user, and the
  // email and username rules hold. Members that identify the user or hold credentials (id,
  // tenantId, password, salt, encryptionScheme, factor, passwordChangeRequired,
  // passwordLastUpdateInstant, twoFactor, registrations) cannot be patched: Iterate refuses
  // them with kImmutableMember before the Handler sees the operation, so no Store checks
  // them. kNotFound when the user does not exist.
  struct PatchUser {
    UserId user_id;
    nlohmann::json members = nlohmann::json::object();
  };
  // The same for the user's registration for `application_id` (roles included, as role
  // names of the application; id and applicationId cannot be patched, refused by Iterate as
  // for PatchUser). kNotFound when the registration does not exist.
  struct PatchRegistration {
    UserId user_id;
    ApplicationId application_id;
    nlohmann::json members = nlohmann::json::object();
  };

  // API keys. `key.key` (the secret value) is never stored: the store keeps `key_digest`,
  // which must not be blank and is unique, and finds the key by it
  // (ApiKeyRepository::FindByKeyDigest).
  struct InsertApiKey {
    ApiKey key = {};
    std::string key_digest = {};
  };
  // Replaces the stored document; the digest stays as it was inserted, whatever `key.key`
  // holds.
  struct UpdateApiKey {
    ApiKey key = {};
  };
  struct DeleteApiKey {
    ApiKeyId id = {};
  };

  // What a Store implements to apply a batch (Iterate). One member per operation; each
  // default answers kUnimplemented "this Store does not support <operation>", so a Store
  // overrides only what it serves, and operations added later break no Store. A member
  // returns OK when the operation took effect; any other Status stops Iterate.
  class BULWARK_EXPORT Handler {
   public:
    Handler() = default;
    Handler(const Handler&) = delete;
    Handler& operator=(const Handler&) = delete;
    virtual ~Handler();

    virtual Status OnInsertTenant(const InsertTenant& op);
    virtual Status OnUpdateTenant(const UpdateTenant& op);
    virtual Status OnDeleteTenant(const DeleteTenant& op);
    virtual Status OnSetDefaultTenant(const SetDefaultTenant& op);
    virtual Status OnInsertApplication(const InsertApplication& op);
    virtual Status OnUpdateApplication(const UpdateApplication& op);
    virtual Status OnDeleteApplication(const DeleteApplication& op);
    virtual Status OnInsertUser(const InsertUser& op);
    virtual Status OnUpdateUser(const UpdateUser& op);
    virtual Status OnDeleteUser(const DeleteUser& op);
    virtual Status OnInsertRegistration(const InsertRegistration& op);
    // Users of an InsertUsers, with their registrations: all of them, or, when the batch has
    // a progress observer, a run of them between two reports. The default calls
    // OnInsertUser with each user (a copy without its registrations), then
    // OnInsertRegistration with each of its registrations, and stops at the first error;
    // a Store overrides it to write many users faster than one by one.
    virtual Status OnInsertUsers(std::span<const User> users);
    virtual Status OnUpdateRegistration(const UpdateRegistration& op);
    virtual Status OnDeleteRegistration(const DeleteRegistration& op);
    virtual Status OnInsertKey(const InsertKey& op);
    virtual Status OnUpdateKey(const UpdateKey& op);
    virtual Status OnDeleteKey(const DeleteKey& op);
    virtual Status OnInsertRefreshToken(const InsertRefreshToken& op);
    virtual Status OnUpdateRefreshToken(const UpdateRefreshToken& op);
    virtual Status OnDeleteRefreshToken(const DeleteRefreshToken& op);
    virtual Status OnDeleteRefreshTokens(const DeleteRefreshTokens& op);
    virtual Status OnInsertUserAction(const InsertUserAction& op);
    virtual Status OnDeleteUserAction(const DeleteUserAction& op);
    virtual Status OnRecordLoginFailure(const RecordLoginFailure& op);
    virtual Status OnClearLoginFailures(const ClearLoginFailures& op);
    virtual Status OnRecordLogin(const RecordLogin& op);
    virtual Status OnReplacePasswordHash(const ReplacePasswordHash& op);
    virtual Status OnRequirePasswordHash(const RequirePasswordHash& op);
    virtual Status OnSetAccessTokenKeyIfUnset(const SetAccessTokenKeyIfUnset& op);
    virtual Status OnRecordUnknownLoginFailure(const RecordUnknownLoginFailure& op);
    virtual Status OnInsertIdentityProvider(const InsertIdentityProvider& op);
    virtual Status OnUpdateIdentityProvider(const UpdateIdentityProvider& op);
    virtual Status OnDeleteIdentityProvider(const DeleteIdentityProvider& op);
    virtual Status OnInsertIdentityProviderLink(const InsertIdentityProviderLink& op);
    virtual Status OnRecordIdentityProviderLogin(const RecordIdentityProviderLogin& op);
    virtual Status OnDeleteIdentityProviderLink(const DeleteIdentityProviderLink& op);
    virtual Status OnInsertPendingIdPLink(const InsertPendingIdPLink& op);
    virtual Status OnDeletePendingIdPLink(const DeletePendingIdPLink& op);
    virtual Status OnPatchUser(const PatchUser& op);
    virtual Status OnPatchRegistration(const PatchRegistration& op);
    virtual Status OnInsertApiKey(const InsertApiKey& op);
    virtual Status OnUpdateApiKey(const UpdateApiKey& op);
    virtual Status OnDeleteApiKey(const DeleteApiKey& op);

   protected:
    // kUnimplemented "this Store does not support <operation>".
    static Status Unsupported(std::string_view operation);
  };

  // Calls the member of `handler` for each operation, in order, and returns the first
  // Status that is not OK (OK for an empty batch). PatchUser and PatchRegistration naming a
  // member that cannot be patched fail here, before `handler` sees them. After each
  // operation it reports progress (SetProgress). Iterate writes nothing itself: a Store calls
  // it inside its transaction and rolls back when it fails.
  Status Iterate(Handler& handler) const;

  // The library's own view of an operation (see the top of this file): hosts use Iterate.
  using Operation =
      std::variant<InsertTenant, UpdateTenant, DeleteTenant, SetDefaultTenant, InsertApplication,
                   UpdateApplication, DeleteApplication, InsertUser, UpdateUser, DeleteUser,
                   InsertRegistration, UpdateRegistration, DeleteRegistration, InsertKey, UpdateKey,
                   DeleteKey, InsertRefreshToken, UpdateRefreshToken, DeleteRefreshToken,
                   DeleteRefreshTokens, InsertUserAction, DeleteUserAction, RecordLoginFailure,
                   ClearLoginFailures, RecordLogin, ReplacePasswordHash, RequirePasswordHash,
                   SetAccessTokenKeyIfUnset, RecordUnknownLoginFailure, InsertIdentityProvider,
                   UpdateIdentityProvider, DeleteIdentityProvider, InsertIdentityProviderLink,
                   RecordIdentityProviderLogin, DeleteIdentityProviderLink, InsertPendingIdPLink,
                   DeletePendingIdPLink, PatchUser, PatchRegistration, InsertApiKey, UpdateApiKey,
                   DeleteApiKey, InsertUsers>;

  void Insert(Tenant tenant) { ops_.emplace_back(InsertTenant{std::move(tenant)}); }
  void Update(Tenant tenant) { ops_.emplace_back(UpdateTenant{std::move(tenant)}); }
  void Delete(TenantId id) { ops_.emplace_back(DeleteTenant{id}); }
  void SetDefault(TenantId id) { ops_.emplace_back(SetDefaultTenant{id}); }
  void Insert(Application app) { ops_.emplace_back(InsertApplication{std::move(app)}); }
  void Update(Application app) { ops_.emplace_back(UpdateApplication{std::move(app)}); }
  void Delete(ApplicationId id) { ops_.emplace_back(DeleteApplication{id}); }
  void Insert(User user) { ops_.emplace_back(InsertUser{std::move(user)}); }
  void Update(User user) { ops_.emplace_back(UpdateUser{std::move(user)}); }
  void Delete(UserId id) { ops_.emplace_back(DeleteUser{id}); }
  void Insert(UserId user_id, Registration r) {
    ops_.emplace_back(InsertRegistration{user_id, std::move(r)});
  }
  // Each user, then each of its registrations (InsertUsers).
  void Insert(std::vector<User> users) { ops_.emplace_back(InsertUsers{std::move(users)}); }
  void Update(UserId user_id, Registration r) {
    ops_.emplace_back(UpdateRegistration{user_id, std::move(r)});
  }
  void Delete(UserId user_id, ApplicationId application_id) {
    ops_.emplace_back(DeleteRegistration{user_id, application_id});
  }

  void Insert(Key key) { ops_.emplace_back(InsertKey{std::move(key)}); }
  void Update(Key key) { ops_.emplace_back(UpdateKey{std::move(key)}); }
  void Delete(KeyId id) { ops_.emplace_back(DeleteKey{id}); }
  void Insert(RefreshToken token) { ops_.emplace_back(InsertRefreshToken{std::move(token)}); }
  void Update(RefreshToken token, std::optional<std::string> expected_token = std::nullopt) {
    ops_.emplace_back(UpdateRefreshToken{std::move(token), std::move(expected_token)});
  }
  // Replaces the token's value `old_token` by `token.token` (compare-and-swap on old_token),
  // remembering the old value and `when` for FindByPreviousToken.
  void Rotate(RefreshToken token, std::string old_token, Instant when,
              std::string successor = std::string()) {
    std::string previous = old_token;
    ops_.emplace_back(UpdateRefreshToken{std::move(token), std::move(old_token),
                                         std::move(previous), when, std::move(successor)});
  }
  void Delete(RefreshTokenId id) { ops_.emplace_back(DeleteRefreshToken{id}); }
  void DeleteRefreshTokensOf(std::optional<UserId> user_id,
                             std::optional<ApplicationId> application_id) {
    ops_.emplace_back(DeleteRefreshTokens{user_id, application_id});
  }
  void Insert(UserActionLog action) { ops_.emplace_back(InsertUserAction{std::move(action)}); }
  void Delete(UserActionLogId id) { ops_.emplace_back(DeleteUserAction{id}); }
  void RecordFailedLogin(UserId user_id, Instant instant, Instant window_start = Instant{},
                         std::optional<LockRule> lock = std::nullopt) {
    ops_.emplace_back(RecordLoginFailure{user_id, instant, window_start, std::move(lock)});
  }
  void RecordFailedUnknownLogin(TenantId tenant_id, std::string login_id_digest, Instant instant,
                                Instant window_start) {
    ops_.emplace_back(
        RecordUnknownLoginFailure{tenant_id, std::move(login_id_digest), instant, window_start});
  }
  void RequireHash(UserId user_id, std::string expected_hash) {
    ops_.emplace_back(RequirePasswordHash{user_id, std::move(expected_hash)});
  }
  void SetAccessTokenKey(TenantId tenant_id, KeyId key_id) {
    ops_.emplace_back(SetAccessTokenKeyIfUnset{tenant_id, key_id});
  }
  void ClearFailedLogins(UserId user_id) { ops_.emplace_back(ClearLoginFailures{user_id}); }
  void RecordLoginOf(UserId user_id, std::optional<ApplicationId> application_id, Instant instant,
                     std::string ip_address = std::string()) {
    ops_.emplace_back(RecordLogin{user_id, application_id, instant, std::move(ip_address)});
  }
  void ReplaceHash(UserId user_id, std::string expected_hash, PasswordHash replacement) {
    ops_.emplace_back(
        ReplacePasswordHash{user_id, std::move(expected_hash), std::move(replacement)});
  }

  void Insert(IdentityProvider provider) {
    ops_.emplace_back(InsertIdentityProvider{std::move(provider)});
  }
  void Update(IdentityProvider provider) {
    ops_.emplace_back(UpdateIdentityProvider{std::move(provider)});
  }
  void Delete(IdentityProviderId id) { ops_.emplace_back(DeleteIdentityProvider{id}); }
  void Insert(IdentityProviderLink link, std::optional<std::int64_t> max_links = std::nullopt) {
    ops_.emplace_back(InsertIdentityProviderLink{std::move(link), max_links});
  }
  void Insert(StoredPendingIdPLink pending) {
    ops_.emplace_back(InsertPendingIdPLink{std::move(pending)});
  }
  void Insert(ApiKey key, std::string key_digest) {
    ops_.emplace_back(InsertApiKey{std::move(key), std::move(key_digest)});
  }
  void Update(ApiKey key) { ops_.emplace_back(UpdateApiKey{std::move(key)}); }
  void Delete(ApiKeyId id) { ops_.emplace_back(DeleteApiKey{id}); }
  // Any of the operation structs above, e.g. batch.Add(WriteBatch::DeletePendingIdPLink{...}).
  template <typename Op>
  void Add(Op op) {
    ops_.emplace_back(std::move(op));
  }

  // An optional observer Iterate calls while a Store applies the batch: `applied` operations
  // of `total` so far, at least every `every` operations and once at the end (an InsertUsers
  // counts one operation per user and one per registration). It must not call back into the
  // Store.
  using ProgressFn = std::function<void(std::size_t applied, std::size_t total)>;
  void SetProgress(ProgressFn progress, std::size_t every = 1000) {
    progress_ = std::move(progress);
    progress_every_ = every == 0 ? 1 : every;
  }
  const ProgressFn& progress() const { return progress_; }
  std::size_t progress_every() const { return progress_every_; }

  // The operations in the order they were added, for the library's own inspection (a Store
  // applies them through Iterate). The reference lives as long as the batch and is
  // invalidated by the next mutation.
  const std::vector<Operation>& operations() const { return ops_; }
  std::size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  void Clear() { ops_.clear(); }

 private:
  std::vector<Operation> ops_;
  ProgressFn progress_;
  std::size_t progress_every_ = 1000;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_WRITE_BATCH_H_
