// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/schema.h"

#include <string>

#include "store/sqlite/transaction.h"

namespace bulwark::internal::sqlite {
namespace {

// Version 1. Every object is a JSON document (`doc`, written by the model's ToJson) plus the
// key columns that constraints and lookups need, so that model types can grow without a
// migration. Ids are the UUID's 16 bytes.
//
// Roles: the application document holds its roles; application_roles indexes them (role ids
// unique everywhere, names unique per application) and gives them an identity that
// registrations refer to, so that renaming a role renames it in every registration and
// dropping it removes it (ON DELETE CASCADE) in the same statement that changes the role.
// A role's name is NULL only transiently, inside a rename (UNIQUE ignores NULLs, which lets a
// batch swap two names).
//
// Registrations: the document holds everything but the roles, which come from
// registration_roles joined to application_roles, in the order they were given.
//
// Users: email and username are indexed lower-cased (ASCII); '' means absent, and the partial
// indexes let any number of users go without one.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE tenants (
  id   BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  name TEXT NOT NULL,
  doc  TEXT NOT NULL
);
CREATE UNIQUE INDEX tenants_name ON tenants (name);

CREATE TABLE default_tenant (
  singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
  tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT
);

CREATE TABLE applications (
  id        BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  doc       TEXT NOT NULL
);
CREATE INDEX applications_tenant ON applications (tenant_id, name);

CREATE TABLE application_roles (
  id             BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  application_id BLOB NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  name           TEXT
);
CREATE UNIQUE INDEX application_roles_name ON application_roles (application_id, name);

CREATE TABLE users (
  id             BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  tenant_id      BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email_lower    TEXT NOT NULL,
  username_lower TEXT NOT NULL,
  doc            TEXT NOT NULL
);
CREATE INDEX users_tenant ON users (tenant_id);
CREATE UNIQUE INDEX users_email ON users (tenant_id, email_lower) WHERE email_lower <> '';
CREATE UNIQUE INDEX users_username ON users (tenant_id, username_lower)
  WHERE username_lower <> '';

CREATE TABLE registrations (
  id             BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id BLOB NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  insert_instant INTEGER,
  doc            TEXT NOT NULL
);
CREATE UNIQUE INDEX registrations_user_application ON registrations (user_id, application_id);
CREATE INDEX registrations_application ON registrations (application_id);

CREATE TABLE registration_roles (
  registration_id BLOB NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
  role_id         BLOB NOT NULL REFERENCES application_roles (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  PRIMARY KEY (registration_id, role_id)
) WITHOUT ROWID;
CREATE INDEX registration_roles_role ON registration_roles (role_id);
)sql";

// Version 2: Key Master keys, refresh tokens, user actions and failed logins.
//
// Refresh tokens: `token` holds what the Engine stores (a digest of the token value), unique.
// A nil application id is stored as NULL (a token not bound to an application).
// previous_token / rotated_at: the value a one-time-use token had before its last rotation
// and when that happened, so that a late reuse can be recognised (grace period, reuse
// policy).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE keys (
  id   BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  name TEXT NOT NULL,
  kid  TEXT NOT NULL,
  doc  TEXT NOT NULL
);
CREATE UNIQUE INDEX keys_name ON keys (name);
CREATE UNIQUE INDEX keys_kid ON keys (kid) WHERE kid <> '';

CREATE TABLE refresh_tokens (
  id             BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  token          TEXT NOT NULL,
  user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id BLOB REFERENCES applications (id) ON DELETE CASCADE,
  insert_instant INTEGER,
  previous_token TEXT,
  rotated_at     INTEGER,
  successor      TEXT,
  doc            TEXT NOT NULL
);
CREATE UNIQUE INDEX refresh_tokens_token ON refresh_tokens (token);
CREATE INDEX refresh_tokens_previous ON refresh_tokens (previous_token)
  WHERE previous_token IS NOT NULL;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, application_id);
CREATE INDEX refresh_tokens_application ON refresh_tokens (application_id);

CREATE TABLE user_actions (
  id             BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  create_instant INTEGER,
  expiry         INTEGER,
  doc            TEXT NOT NULL
);
CREATE INDEX user_actions_user ON user_actions (user_id, expiry);

CREATE TABLE login_failures (
  user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  instant INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (user_id, instant);

CREATE TABLE unknown_login_failures (
  tenant_id       BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  login_id_digest TEXT NOT NULL,
  instant         INTEGER NOT NULL
);
CREATE INDEX unknown_login_failures_id ON unknown_login_failures (tenant_id, login_id_digest,
                                                                  instant);

CREATE TABLE login_records (
  user_id        BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id BLOB,
  instant        INTEGER NOT NULL,
  ip_address     TEXT NOT NULL
);
CREATE INDEX login_records_user ON login_records (user_id, instant);
)sql";

// Version 3: identity providers, their managed domains, links and pending links.
//
// Providers: `doc` is the provider with its domains lower-cased (ASCII), each once, in the
// order given; tenant_id is NULL for a global provider. type never changes (store.h).
//
// Domains: one row per managed domain, scoped to the provider's tenant or, for a global
// provider, to 16 zero bytes. The primary key makes a domain unique within a scope; the
// cross-scope part of the rule (a global provider's domain is no tenant's provider's, and the
// reverse) is checked by the writer, which reads by domain_lower.
//
// Links: unique per (provider, tenant, provider user id), found by user in insertion order.
//
// Pending links: keyed by the digest of the pendingIdPLinkId (the id itself is never
// stored). The document holds the PendingIdPLink without identityProviderLinks and user.
// application_id is the application the login came through (no foreign key: the pending
// link only remembers it, and expires anyway).
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE identity_providers (
  id        BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  name      TEXT NOT NULL,
  type      TEXT NOT NULL,
  tenant_id BLOB REFERENCES tenants (id) ON DELETE CASCADE,
  doc       TEXT NOT NULL
);
CREATE UNIQUE INDEX identity_providers_name ON identity_providers (name);
CREATE INDEX identity_providers_tenant ON identity_providers (tenant_id);

CREATE TABLE identity_provider_domains (
  identity_provider_id BLOB NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  scope                BLOB NOT NULL CHECK (length(scope) = 16),
  domain_lower         TEXT NOT NULL,
  PRIMARY KEY (scope, domain_lower)
) WITHOUT ROWID;
CREATE INDEX identity_provider_domains_provider
  ON identity_provider_domains (identity_provider_id);
CREATE INDEX identity_provider_domains_domain ON identity_provider_domains (domain_lower);

CREATE TABLE identity_provider_links (
  identity_provider_id      BLOB NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  tenant_id                 BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  identity_provider_user_id TEXT NOT NULL,
  user_id                   BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  insert_instant            INTEGER,
  doc                       TEXT NOT NULL,
  UNIQUE (identity_provider_id, tenant_id, identity_provider_user_id)
);
CREATE INDEX identity_provider_links_user
  ON identity_provider_links (user_id, identity_provider_id, insert_instant);
CREATE INDEX identity_provider_links_tenant ON identity_provider_links (tenant_id);

CREATE TABLE pending_idp_links (
  id_digest            TEXT NOT NULL PRIMARY KEY,
  tenant_id            BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  identity_provider_id BLOB NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  application_id       BLOB,
  insert_instant       INTEGER NOT NULL,
  expiry               INTEGER NOT NULL,
  doc                  TEXT NOT NULL
);
CREATE INDEX pending_idp_links_expiry ON pending_idp_links (expiry);
CREATE INDEX pending_idp_links_tenant ON pending_idp_links (tenant_id);
CREATE INDEX pending_idp_links_provider ON pending_idp_links (identity_provider_id);
)sql";

// Version 4: API keys.
//
// The key's value is never stored: key_digest holds what the Engine makes of it (a SHA-256
// digest), unique, and `doc` is the ApiKey without `key`. tenant_id is NULL for a key that
// serves every tenant; a tenant-scoped key goes with its tenant.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE api_keys (
  id             BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
  key_digest     TEXT NOT NULL CHECK (key_digest <> ''),
  tenant_id      BLOB REFERENCES tenants (id) ON DELETE CASCADE,
  insert_instant INTEGER,
  doc            TEXT NOT NULL
);
CREATE UNIQUE INDEX api_keys_key_digest ON api_keys (key_digest);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
)sql";

constexpr Migration kMigrations[] = {
    {.version = 1,
     .description = "create tenants, applications, roles, users and registrations",
     .sql = kSchemaV1},
    {.version = 2,
     .description = "create keys, refresh tokens, user actions, failed logins and login records",
     .sql = kSchemaV2},
    {.version = 3,
     .description = "create identity providers, their domains, links and pending links",
     .sql = kSchemaV3},
    {.version = 4, .description = "create API keys", .sql = kSchemaV4},
};

Status NewerSchema(int found, int supported) {
  return Status::DataLoss("database schema version " + std::to_string(found) +
                          " is newer than this bulwark supports (" + std::to_string(supported) +
                          ")");
}

Status CheckMigrationList(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::Internal("schema migrations must be numbered 1, 2, 3, ... in order");
    }
  }
  return Status::Ok();
}

// Refuses a database that some other program owns, so that bulwark never adds its tables to
// it. `version` is the file's user_version.
Status CheckOwnership(Connection& connection, int version) {
  BULWARK_ASSIGN_OR_RETURN(std::int64_t application_id,
                           connection.QueryInt64("PRAGMA application_id"));
  if (application_id == kApplicationId) return Status::Ok();
  if (application_id != 0 || version != 0) {
    return Status::FailedPrecondition("the database belongs to another program (application_id " +
                                      std::to_string(application_id) + ", user_version " +
                                      std::to_string(version) + ")");
  }
  BULWARK_ASSIGN_OR_RETURN(std::int64_t objects,
                           connection.QueryInt64("SELECT count(*) FROM sqlite_master"));
  if (objects != 0) {
    return Status::FailedPrecondition(
        "the database is not empty and is not a bulwark database (no application_id)");
  }
  return Status::Ok();
}

Status WithContext(const Status& status, const Migration& migration) {
  return Status(status.code(),
                "schema migration to version " + std::to_string(migration.version) + " (" +
                    std::string(migration.description) + ") failed: " + status.message(),
                status.errors());
}

// Runs `migration` in its own transaction, unless another connection got there first.
Status RunStep(Connection& connection, const Migration& migration, int latest) {
  BULWARK_ASSIGN_OR_RETURN(Transaction txn,
                           Transaction::Begin(connection, TransactionKind::kImmediate));
  // Re-read under the write lock: another process may have migrated meanwhile.
  BULWARK_ASSIGN_OR_RETURN(int current, ReadSchemaVersion(connection));
  if (current > latest) return NewerSchema(current, latest);
  if (current >= migration.version) return txn.Commit();
  if (current != migration.version - 1) return Status::Internal("schema migration out of order");
  if (current == 0) {
    BULWARK_RETURN_IF_ERROR(CheckOwnership(connection, current));
    BULWARK_RETURN_IF_ERROR(
        connection.ExecScript("PRAGMA application_id = " + std::to_string(kApplicationId)));
  }
  BULWARK_RETURN_IF_ERROR(connection.ExecScript(migration.sql));
  if (migration.apply != nullptr) BULWARK_RETURN_IF_ERROR(migration.apply(connection));
  BULWARK_RETURN_IF_ERROR(
      connection.ExecScript("PRAGMA user_version = " + std::to_string(migration.version)));
  return txn.Commit();
}

}  // namespace

std::span<const Migration> DefaultMigrations() noexcept { return kMigrations; }

Result<int> ReadSchemaVersion(Connection& connection) {
  BULWARK_ASSIGN_OR_RETURN(std::int64_t version, connection.QueryInt64("PRAGMA user_version"));
  return static_cast<int>(version);
}

Status Migrate(Connection& connection, std::span<const Migration> migrations) {
  BULWARK_RETURN_IF_ERROR(CheckMigrationList(migrations));
  const int latest = static_cast<int>(migrations.size());
  int version = 0;
  {
    // One snapshot for the version and ownership reads, so that a concurrent first migration
    // by another process cannot be seen half-way. This is the first read of the file: one
    // that is not a database fails here with kDataLoss.
    BULWARK_ASSIGN_OR_RETURN(Transaction snapshot,
                             Transaction::Begin(connection, TransactionKind::kDeferred));
    BULWARK_ASSIGN_OR_RETURN(version, ReadSchemaVersion(connection));
    BULWARK_RETURN_IF_ERROR(CheckOwnership(connection, version));
    BULWARK_RETURN_IF_ERROR(snapshot.Commit());
  }
  if (version > latest) return NewerSchema(version, latest);
  for (const Migration& migration : migrations) {
    if (migration.version <= version) continue;
    Status status = RunStep(connection, migration, latest);
    if (!status.ok()) {
      return status.code() == StatusCode::kDataLoss ? status : WithContext(status, migration);
    }
  }
  return Status::Ok();
}

}  // namespace bulwark::internal::sqlite
