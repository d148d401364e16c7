// SPDX-License-Identifier: Apache-2.0
//
// Private: the WriteBatch::Handler that applies a batch's operations to an open write
// transaction (SqliteStore::Apply calls WriteBatch::Iterate with it), enforcing the rules of
// store.h and reporting each broken one as its typed violation (store_violation.h); what the
// caller is told is the Engine's business.
//
// Each rule is checked by reading inside the transaction before writing, so that the error
// names the rule (and several violations can be reported at once); the schema's UNIQUE and
// FOREIGN KEY constraints are the backstop, and a backstop failure is mapped to the same
// violation by MapConstraintViolation. Inserts of users and registrations (what an import
// writes by the hundred thousand) go the other way round: they write at once and let the
// constraints refuse the row; only a refused row (or one whose rules the schema cannot
// check) takes the checked path, which then names the same violations the checks always did.
//
// The SQL of one table lives in one file, with the operations that write it: tenants.cc,
// applications.cc (and roles), users.cc, registrations.cc, keys.cc, refresh_tokens.cc,
// login_records.cc (user actions, failed logins, login records), identity_providers.cc (and
// domains, links, pending links), api_keys.cc. A file needing another table asks that
// table's file through a private member (TenantExists, UserTenant, ...). batch_writer.cc
// holds what they share.
//
// Single-threaded: must only be used by one thread at a time, under the writer lock.
#ifndef BULWARK_STORE_SQLITE_BATCH_WRITER_H_
#define BULWARK_STORE_SQLITE_BATCH_WRITER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/clock.h"
#include "bulwark/result.h"
#include "bulwark/status.h"
#include "bulwark/store/fault_injector.h"
#include "bulwark/store/store_violation.h"
#include "bulwark/store/write_batch.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/statement.h"

namespace bulwark::internal::sqlite {

// What a FOREIGN KEY failure of a write statement means, which SQLite does not say.
enum class ForeignKeyMeaning {
  kNone,                        // the statement cannot break a foreign key
  kApplicationTenant,           // kUnknownTenant (application)
  kUserTenant,                  // kUnknownTenant (user)
  kRegistrationParent,          // kUnknownParent (registration)
  kRegistrationRole,            // kUnknownRole (registration)
  kDefaultTenant,               // kFailedPrecondition: the default tenant cannot be deleted
  kDefaultTenantMissing,        // kNotFound: SetDefault of a tenant that does not exist
  kRefreshTokenParent,          // kUnknownParent (refreshToken)
  kUserActionUser,              // kUnknownUser (userAction)
  kIdentityProviderTenant,      // kUnknownTenant (identityProvider)
  kIdentityProviderLinkParent,  // kUnknownParent (identityProviderLink)
  kPendingIdPLinkParent,        // kUnknownParent (pendingIdPLink)
  kApiKeyTenant,                // kUnknownTenant (apiKey)
};

// The Status for a SQLITE_CONSTRAINT failure: `extended_code` and `message` as SQLite reported
// them ("UNIQUE constraint failed: users.tenant_id, users.email_lower"), as the violation
// (store_violation.h) the constraint stands for. Unknown constraints are kInternal.
Status MapConstraintViolation(int extended_code, std::string_view message,
                              ForeignKeyMeaning foreign_key);
// `status`, the outcome of running `statement`, with a constraint failure mapped as above.
Status WriteOutcome(const Statement& statement, Status status, ForeignKeyMeaning foreign_key);
// True when the last step of `statement` failed on a constraint (SQLITE_CONSTRAINT_*).
bool FailedOnConstraint(const Statement& statement) noexcept;

// Applies `members` onto `doc` (PatchUser, PatchRegistration): each member set, or removed
// when null.
Status ApplyMembers(nlohmann::json& doc, const nlohmann::json& members);

// The Status of one violation.
inline Status Broken(StoreViolation violation, StoredKind kind,
                     std::string detail = std::string()) {
  return ViolationStatus(Violation{violation, kind, std::move(detail)});
}

// kMissingId for a nil id.
template <typename IdT>
Status RequireId(const IdT& id, StoredKind kind) {
  if (!id.IsNil()) return Status::Ok();
  return Broken(StoreViolation::kMissingId, kind);
}

// kNotFound "<kind> <id> does not exist".
template <typename IdT>
Status NotFound(std::string_view kind, const IdT& id) {
  return Status::NotFound(std::string(kind) + " " + id.ToString() + " does not exist");
}

inline std::optional<std::int64_t> Millis(const std::optional<Instant>& instant) {
  if (!instant.has_value()) return std::nullopt;
  return ToEpochMillis(*instant);
}

class BatchWriter final : public WriteBatch::Handler {
 public:
  // `injector` may be null. REQUIRES: `connection` is inside a write transaction.
  BatchWriter(Connection& connection, StoreFaultInjector* injector) noexcept
      : connection_(connection), injector_(injector) {}
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Each member applies one operation. On error the transaction must be rolled back: earlier
  // statements of this operation may have run.
  Status OnInsertTenant(const WriteBatch::InsertTenant& op) override;
  Status OnUpdateTenant(const WriteBatch::UpdateTenant& op) override;
  Status OnDeleteTenant(const WriteBatch::DeleteTenant& op) override;
  Status OnSetDefaultTenant(const WriteBatch::SetDefaultTenant& op) override;
  Status OnInsertApplication(const WriteBatch::InsertApplication& op) override;
  Status OnUpdateApplication(const WriteBatch::UpdateApplication& op) override;
  Status OnDeleteApplication(const WriteBatch::DeleteApplication& op) override;
  Status OnInsertUser(const WriteBatch::InsertUser& op) override;
  Status OnUpdateUser(const WriteBatch::UpdateUser& op) override;
  Status OnDeleteUser(const WriteBatch::DeleteUser& op) override;
  Status OnInsertRegistration(const WriteBatch::InsertRegistration& op) override;
  // Each user as OnInsertUser, then each of its registrations as OnInsertRegistration, with
  // no copy of either (users.cc).
  Status OnInsertUsers(std::span<const User> users) override;
  Status OnUpdateRegistration(const WriteBatch::UpdateRegistration& op) override;
  Status OnDeleteRegistration(const WriteBatch::DeleteRegistration& op) override;
  Status OnInsertKey(const WriteBatch::InsertKey& op) override;
  Status OnUpdateKey(const WriteBatch::UpdateKey& op) override;
  Status OnDeleteKey(const WriteBatch::DeleteKey& op) override;
  Status OnInsertRefreshToken(const WriteBatch::InsertRefreshToken& op) override;
  Status OnUpdateRefreshToken(const WriteBatch::UpdateRefreshToken& op) override;
  Status OnDeleteRefreshToken(const WriteBatch::DeleteRefreshToken& op) override;
  Status OnDeleteRefreshTokens(const WriteBatch::DeleteRefreshTokens& op) override;
  Status OnInsertUserAction(const WriteBatch::InsertUserAction& op) override;
  Status OnDeleteUserAction(const WriteBatch::DeleteUserAction& op) override;
  Status OnRecordLoginFailure(const WriteBatch::RecordLoginFailure& op) override;
  Status OnClearLoginFailures(const WriteBatch::ClearLoginFailures& op) override;
  Status OnRecordLogin(const WriteBatch::RecordLogin& op) override;
  Status OnReplacePasswordHash(const WriteBatch::ReplacePasswordHash& op) override;
  Status OnRequirePasswordHash(const WriteBatch::RequirePasswordHash& op) override;
  Status OnSetAccessTokenKeyIfUnset(const WriteBatch::SetAccessTokenKeyIfUnset& op) override;
  Status OnRecordUnknownLoginFailure(const WriteBatch::RecordUnknownLoginFailure& op) override;
  Status OnPatchUser(const WriteBatch::PatchUser& op) override;
  Status OnPatchRegistration(const WriteBatch::PatchRegistration& op) override;
  Status OnInsertIdentityProvider(const WriteBatch::InsertIdentityProvider& op) override;
  Status OnUpdateIdentityProvider(const WriteBatch::UpdateIdentityProvider& op) override;
  Status OnDeleteIdentityProvider(const WriteBatch::DeleteIdentityProvider& op) override;
  Status OnInsertIdentityProviderLink(const WriteBatch::InsertIdentityProviderLink& op) override;
  Status OnRecordIdentityProviderLogin(const WriteBatch::RecordIdentityProviderLogin& op) override;
  Status OnDeleteIdentityProviderLink(const WriteBatch::DeleteIdentityProviderLink& op) override;
  Status OnInsertPendingIdPLink(const WriteBatch::InsertPendingIdPLink& op) override;
  Status OnDeletePendingIdPLink(const WriteBatch::DeletePendingIdPLink& op) override;
  Status OnInsertApiKey(const WriteBatch::InsertApiKey& op) override;
  Status OnUpdateApiKey(const WriteBatch::UpdateApiKey& op) override;
  Status OnDeleteApiKey(const WriteBatch::DeleteApiKey& op) override;

 private:
  // Runs `sql` with `args` bound, which must return no row.
  template <typename... Args>
  Status Write(ForeignKeyMeaning foreign_key, std::string_view sql, const Args&... args);
  // Like Write, but a constraint that refuses the row is `false` rather than an error (the
  // statement's changes are undone; the transaction goes on).
  template <typename... Args>
  Result<bool> TryWrite(std::string_view sql, const Args&... args);
  // Runs the UPDATE ... RETURNING `sql` with `args` bound: true when it changed a row.
  template <typename... Args>
  Result<bool> UpdateRow(std::string_view sql, const Args&... args);
  // Runs the UPDATE `sql` (no RETURNING) with `args` bound: true when it changed a row.
  template <typename... Args>
  Result<bool> ChangeRow(std::string_view sql, const Args&... args);
  // True when `sql` with `args` bound returns a row.
  template <typename... Args>
  Result<bool> HasRow(std::string_view sql, const Args&... args);
  // The first column of the first row, an id, or nullopt without a row.
  template <typename IdT, typename... Args>
  Result<std::optional<IdT>> QueryId(std::string_view sql, const Args&... args);

  // Asked by the other tables' files (each defined in its table's file).
  Result<bool> TenantExists(TenantId id);                                // tenants.cc
  Result<std::optional<TenantId>> ApplicationTenant(ApplicationId id);   // applications.cc
  Result<bool> ApplicationExists(ApplicationId id);                      // applications.cc
  Result<std::optional<RoleId>> RoleNamed(ApplicationId application_id,  // applications.cc
                                          std::string_view name);
  Result<std::optional<TenantId>> UserTenant(UserId id);  // users.cc
  // kUnknownUser (of `kind`) unless the user exists.
  Status RequireUser(UserId user_id, StoredKind kind);  // users.cc
  // Sets the user's last_login_instant column (schema.cc, version 7): false when there is no
  // such user.
  Result<bool> SetUserLastLogin(UserId user_id, std::int64_t instant);  // users.cc
  // Sets the registration's last_login_instant column, when there is one.
  Status SetRegistrationLastLogin(UserId user_id, ApplicationId application_id,
                                  std::int64_t instant);  // registrations.cc
  Status DeleteRefreshTokensOfUser(UserId user_id);       // refresh_tokens.cc

  // The insert of a user without reading first: true when the row is written; false when a
  // constraint refused it or a rule needs the checked path (InsertUserChecked), which then
  // reports what is wrong. Errors are failures of the storage.
  Result<bool> TryInsertUser(const User& user);
  Status InsertUserChecked(const User& user);
  // True when some user keeps a key displaced by the version-5 migration (schema.cc), which
  // no UNIQUE index covers: inserts then take the checked path. Asked once per batch: no
  // write creates such a key, so the answer can only go from true to false meanwhile.
  Result<bool> HasDisplacedUserKeys();
  // The same for a registration (InsertRegistrationChecked).
  Result<bool> TryInsertRegistration(UserId user_id, const Registration& registration);
  Status InsertRegistrationChecked(UserId user_id, const Registration& registration);
  // Both: the insert of one new user's row, or of one registration's.
  Status InsertUserRow(const User& user);
  Status InsertRegistrationRow(UserId user_id, const Registration& registration);

  Status CheckTenantName(const Tenant& tenant);
  Status CheckRoles(const Application& application);
  Status WriteRoles(const Application& application, bool is_new);
  // One user key column (email or username) as it is to be written: `folded` for an ordinary
  // row; '' there and `displaced`/`legacy_lower` set for a row that the version-5 migration
  // displaced and that keeps its address (schema.cc).
  struct UserKey {
    std::string folded;
    std::string displaced;
    std::string legacy_lower;
    // Another user's: the write is a duplicate.
    bool taken = false;
  };
  struct UserKeys {
    UserKey email;
    UserKey username;
  };
  // The key of `value` (the user's email or username), checked with `taken_sql` (kEmailTaken
  // or kUsernameTaken). `stored_displaced` is the stored (displaced, legacy_lower) pair of the
  // row being updated, nullopt when it is not displaced.
  Result<UserKey> CheckUserKey(
      const User& user, std::string_view value, std::string_view taken_sql,
      const std::optional<std::pair<std::string, std::string>>& stored_displaced);
  // The keys to write for `user`, or kAlreadyExists naming every taken one.
  Result<UserKeys> CheckUserKeys(const User& user, bool is_new);
  Status WriteUser(const User& user, const UserKeys& keys, bool is_new);
  // The role ids of `names` in `application_id`, in order, duplicates dropped.
  Result<std::vector<RoleId>> ResolveRoles(ApplicationId application_id,
                                           const std::vector<std::string>& names);
  Status CheckRegistrationParents(UserId user_id, const Registration& registration);
  Status WriteRegistrationRoles(RegistrationId id, const std::vector<RoleId>& roles);
  Status CheckKeyKeys(const Key& key);
  Status CheckRefreshTokenParents(const RefreshToken& token);
  // The stored user, read inside the transaction; kNotFound when missing.
  Result<User> ReadUser(UserId user_id);
  // The user's stored password hash ('' without one); kNotFound without the user.
  Result<std::string> StoredPasswordHash(UserId user_id);

  // The key columns of a stored identity provider.
  struct ProviderRow {
    std::optional<TenantId> tenant_id;  // nullopt: a global provider
    std::string type;
  };
  // nullopt when the provider does not exist.
  Result<std::optional<ProviderRow>> ReadProvider(IdentityProviderId id);
  // The name and domain rules of store.h for `provider`, whose stored domains are `domains`.
  Status CheckProviderKeys(const IdentityProvider& provider,
                           const std::vector<std::string>& domains);
  // Replaces the provider's rows in identity_provider_domains.
  Status WriteProviderDomains(const IdentityProvider& provider,
                              const std::vector<std::string>& domains, bool is_new);
  // True when the provider exists and is global or scoped to `tenant_id`.
  Result<bool> ProviderServesTenant(IdentityProviderId provider_id, TenantId tenant_id);
  // The rowid and document of a link; nullopt when there is none.
  Result<std::optional<std::pair<std::int64_t, std::string>>> ReadLink(
      IdentityProviderId provider_id, TenantId tenant_id,
      std::string_view identity_provider_user_id);

  // The key columns of a stored API key.
  struct ApiKeyRow {
    std::optional<TenantId> tenant_id;  // nullopt: the key serves every tenant
  };
  // nullopt when the key does not exist.
  Result<std::optional<ApiKeyRow>> ReadApiKey(ApiKeyId id);

  Connection& connection_;
  StoreFaultInjector* injector_;
  // What this batch has already seen to exist: a tenant, an application and its tenant. An
  // import asks about the same tenant and application for every user; one batch runs in one
  // transaction, so only its own deletes (which forget them) can change the answers.
  std::set<TenantId> tenants_seen_;
  std::map<ApplicationId, TenantId> application_tenants_seen_;
  // The user this batch inserted last, and its tenant: an import inserts a user, then its
  // registrations. Forgotten when a user or tenant is deleted.
  std::optional<std::pair<UserId, TenantId>> last_inserted_user_;
  // HasDisplacedUserKeys, once asked.
  std::optional<bool> displaced_user_keys_;
};

template <typename... Args>
Status BatchWriter::Write(ForeignKeyMeaning foreign_key, std::string_view sql,
                          const Args&... args) {
  if (injector_ != nullptr) BULWARK_RETURN_IF_ERROR(injector_->BeforeWriteStatement());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  Status status = statement->Run();
  return WriteOutcome(*statement, std::move(status), foreign_key);
}

template <typename... Args>
Result<bool> BatchWriter::TryWrite(std::string_view sql, const Args&... args) {
  if (injector_ != nullptr) BULWARK_RETURN_IF_ERROR(injector_->BeforeWriteStatement());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  Status status = statement->Run();
  if (status.ok()) return true;
  if (FailedOnConstraint(*statement)) return false;
  return status;
}

template <typename... Args>
Result<bool> BatchWriter::UpdateRow(std::string_view sql, const Args&... args) {
  if (injector_ != nullptr) BULWARK_RETURN_IF_ERROR(injector_->BeforeWriteStatement());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  return statement->Step();  // RETURNING: the first step makes every change
}

template <typename... Args>
Result<bool> BatchWriter::ChangeRow(std::string_view sql, const Args&... args) {
  if (injector_ != nullptr) BULWARK_RETURN_IF_ERROR(injector_->BeforeWriteStatement());
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  BULWARK_RETURN_IF_ERROR(statement->Run());
  return connection_.ChangedRows() > 0;
}

template <typename... Args>
Result<bool> BatchWriter::HasRow(std::string_view sql, const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  return statement->Step();
}

template <typename IdT, typename... Args>
Result<std::optional<IdT>> BatchWriter::QueryId(std::string_view sql, const Args&... args) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection_.Prepare(sql));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, args...));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row) return std::optional<IdT>();
  BULWARK_ASSIGN_OR_RETURN(Uuid uuid, statement->ColumnUuid(0));
  return std::optional<IdT>(IdT(uuid));
}

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_BATCH_WRITER_H_
