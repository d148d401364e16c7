// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/schema.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/case_folding.h"
#include "store/sqlite/statement.h"
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
// Users: email and username are indexed lower-cased (ASCII; case-folded from version 5 on);
// '' means absent, and the partial indexes let any number of users go without one.
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

// Version 5: email, username and managed-domain keys under Unicode simple case folding
// (core/case_folding.h) instead of ASCII lower case, so that "ÜNI@example.com" and
// "üni@example.com" are one address, as "UNI@" and "uni@" always were. email_lower,
// username_lower and domain_lower keep their names and now hold the folded text.
//
// Existing keys are folded in place by FoldIdentityKeys. Two users of a tenant whose keys were
// distinct under the ASCII rule may fold alike ("Üni@..." and "üni@..."): both were legal, and
// the migration neither fails nor drops one. The older (insertInstant, then rowid) keeps the
// folded key; each other one is "displaced":
//   - its email_lower ('' there) no longer takes part in the unique index;
//   - email_displaced holds the folded key it would have had, so that no new user can take
//     that address (a write of a user whose folded email equals any row's email_lower or
//     email_displaced is a kDuplicateEmail violation);
//   - email_legacy_lower holds its pre-v5 key (the address lower-cased in ASCII), so that the
//     lookups that found it before still find it: FindByEmail prefers a displaced row whose
//     legacy key equals the address lower-cased in ASCII, then the row holding the folded key.
// A displaced user keeps this state through updates that keep its address (equal under the
// ASCII rule) and becomes an ordinary row on the first such update after the folded key has
// become free; changing its address to anything else follows the ordinary rules. Usernames
// work the same way with the username_* columns.
//
// Managed domains were host names of ASCII letters, digits and hyphens, already lower-cased,
// which folding does not change; a non-ASCII domain written through the Store directly is
// folded too, unless the folded domain is already managed in its scope, in which case its row
// is left as it was (the provider still lists it; it matches only its old spelling).
constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE users ADD COLUMN email_displaced TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_legacy_lower TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN username_displaced TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN username_legacy_lower TEXT NOT NULL DEFAULT '';
CREATE INDEX users_email_displaced ON users (tenant_id, email_displaced, email_legacy_lower)
  WHERE email_displaced <> '';
CREATE INDEX users_username_displaced
  ON users (tenant_id, username_displaced, username_legacy_lower) WHERE username_displaced <> '';
)sql";

// Version 6. Short-lived artefacts (bulwark/store/artefact_store.h): one row per (tenant,
// kind, key), kept after consumption (consumed_at) until it expires, for replay detection.
// Deleting the tenant or the user deletes their artefacts.
//
// The configuration generation (Store::ConfigurationGeneration): triggers bump it in the
// transaction of every row written to the tables Engines keep decoded copies of (tenants, the
// default tenant, applications and their roles, identity providers and their domains, keys),
// whoever writes them, so that every Engine on the file, in any process, notices on its next
// read. Users, tokens and login records do not bump it: logins must not flush the caches.
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE configuration_generation (
  singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
  value     INTEGER NOT NULL
);
INSERT INTO configuration_generation (singleton, value) VALUES (1, 1);
CREATE TRIGGER tenants_gi AFTER INSERT ON tenants
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER tenants_gu AFTER UPDATE ON tenants
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER tenants_gd AFTER DELETE ON tenants
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER default_tenant_gi AFTER INSERT ON default_tenant
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER default_tenant_gu AFTER UPDATE ON default_tenant
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER default_tenant_gd AFTER DELETE ON default_tenant
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER applications_gi AFTER INSERT ON applications
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER applications_gu AFTER UPDATE ON applications
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER applications_gd AFTER DELETE ON applications
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER application_roles_gi AFTER INSERT ON application_roles
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER application_roles_gu AFTER UPDATE ON application_roles
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER application_roles_gd AFTER DELETE ON application_roles
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER identity_providers_gi AFTER INSERT ON identity_providers
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER identity_providers_gu AFTER UPDATE ON identity_providers
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER identity_providers_gd AFTER DELETE ON identity_providers
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER identity_provider_domains_gi AFTER INSERT ON identity_provider_domains
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER identity_provider_domains_gd AFTER DELETE ON identity_provider_domains
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER keys_gi AFTER INSERT ON keys
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER keys_gu AFTER UPDATE ON keys
  BEGIN UPDATE configuration_generation SET value = value + 1; END;
CREATE TRIGGER keys_gd AFTER DELETE ON keys
  BEGIN UPDATE configuration_generation SET value = value + 1; END;

CREATE TABLE artefacts (
  tenant_id   BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  key         TEXT NOT NULL,
  user_id     BLOB REFERENCES users (id) ON DELETE CASCADE,
  grant_id    TEXT NOT NULL DEFAULT '',
  expires_at  INTEGER NOT NULL,
  consumed_at INTEGER,
  payload     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, kind, key)
) WITHOUT ROWID;
CREATE INDEX artefacts_grant ON artefacts (tenant_id, grant_id) WHERE grant_id <> '';
CREATE INDEX artefacts_user ON artefacts (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX artefacts_expiry ON artefacts (expires_at);
)sql";

bool HasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// One user row whose key folds to `folded` within its tenant.
struct KeyHolder {
  std::int64_t rowid = 0;
  std::string old_key;
  // insertInstant in milliseconds; rows without one sort after those with one.
  std::int64_t age = std::numeric_limits<std::int64_t>::max();
};

// The statements of one key column (email or username).
struct KeyColumn {
  std::string_view select_all;     // rowid, tenant_id, key
  std::string_view holder_of;      // rowid of the row holding ?2 in tenant ?1
  std::string_view set_displaced;  // ?1 rowid, ?2 folded key, ?3 legacy key
  std::string_view set_key;        // ?1 rowid, ?2 folded key
};

constexpr KeyColumn kEmailColumn = {
    "SELECT rowid, tenant_id, email_lower FROM users WHERE email_lower <> ''",
    "SELECT rowid FROM users WHERE tenant_id = ?1 AND email_lower = ?2 AND email_lower <> ''",
    "UPDATE users SET email_lower = '', email_displaced = ?2, email_legacy_lower = ?3 "
    "WHERE rowid = ?1",
    "UPDATE users SET email_lower = ?2 WHERE rowid = ?1"};
constexpr KeyColumn kUsernameColumn = {
    "SELECT rowid, tenant_id, username_lower FROM users WHERE username_lower <> ''",
    "SELECT rowid FROM users WHERE tenant_id = ?1 AND username_lower = ?2 "
    "AND username_lower <> ''",
    "UPDATE users SET username_lower = '', username_displaced = ?2, "
    "username_legacy_lower = ?3 WHERE rowid = ?1",
    "UPDATE users SET username_lower = ?2 WHERE rowid = ?1"};

constexpr std::string_view kUserInsertInstant =
    "SELECT CASE WHEN json_valid(doc) THEN json_extract(doc, '$.insertInstant') END "
    "FROM users WHERE rowid = ?1";

Result<std::int64_t> ReadAge(Connection& connection, std::int64_t rowid) {
  BULWARK_ASSIGN_OR_RETURN(ScopedStatement statement, connection.Prepare(kUserInsertInstant));
  BULWARK_RETURN_IF_ERROR(Bind(*statement, rowid));
  BULWARK_ASSIGN_OR_RETURN(bool row, statement->Step());
  if (!row || statement->IsNull(0)) return std::numeric_limits<std::int64_t>::max();
  return statement->ColumnInt64(0);
}

// Folds one key column of users (see kSchemaV5). Only keys with a non-ASCII byte can change
// (the others were lower-cased already, which is their fold); a key that does change may meet
// at most one unchanged key, the row holding its fold already.
Status FoldUserKeys(Connection& connection, const KeyColumn& column) {
  using Group = std::vector<KeyHolder>;
  std::map<std::pair<Uuid, std::string>, Group> groups;  // (tenant, folded key)
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement rows, connection.Prepare(column.select_all));
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(bool row, rows->Step());
      if (!row) break;
      const std::string_view key = rows->ColumnText(2);
      if (!HasNonAscii(key)) continue;
      BULWARK_ASSIGN_OR_RETURN(Uuid tenant, rows->ColumnUuid(1));
      groups[{tenant, CaseFold(key)}].push_back(
          {.rowid = rows->ColumnInt64(0), .old_key = std::string(key)});
    }
  }
  std::vector<std::pair<std::int64_t, const std::string*>> keys;  // rowid, folded key
  std::vector<std::tuple<std::int64_t, const std::string*, const std::string*>> displaced;
  for (auto& [where, group] : groups) {
    const std::string& folded = where.second;
    {
      // The row that already holds the folded key, unless it is one of the group.
      BULWARK_ASSIGN_OR_RETURN(ScopedStatement holder, connection.Prepare(column.holder_of));
      BULWARK_RETURN_IF_ERROR(Bind(*holder, TenantId(where.first), std::string_view(folded)));
      BULWARK_ASSIGN_OR_RETURN(bool row, holder->Step());
      if (row) {
        const std::int64_t rowid = holder->ColumnInt64(0);
        if (std::none_of(group.begin(), group.end(),
                         [&](const KeyHolder& h) { return h.rowid == rowid; })) {
          group.push_back({.rowid = rowid, .old_key = folded});
        }
      }
    }
    if (group.size() > 1) {
      for (KeyHolder& h : group) {
        BULWARK_ASSIGN_OR_RETURN(h.age, ReadAge(connection, h.rowid));
      }
      std::sort(group.begin(), group.end(), [](const KeyHolder& a, const KeyHolder& b) {
        return std::tie(a.age, a.rowid) < std::tie(b.age, b.rowid);
      });
    }
    if (group.front().old_key != folded) keys.emplace_back(group.front().rowid, &folded);
    for (std::size_t i = 1; i < group.size(); ++i) {
      displaced.emplace_back(group[i].rowid, &folded, &group[i].old_key);
    }
  }
  // Displaced rows first: until they leave the unique index, one of them may still hold the
  // key that its group's oldest row is about to take.
  for (const auto& [rowid, folded, legacy] : displaced) {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement update, connection.Prepare(column.set_displaced));
    BULWARK_RETURN_IF_ERROR(
        Bind(*update, rowid, std::string_view(*folded), std::string_view(*legacy)));
    BULWARK_RETURN_IF_ERROR(update->Run());
  }
  for (const auto& [rowid, folded] : keys) {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement update, connection.Prepare(column.set_key));
    BULWARK_RETURN_IF_ERROR(Bind(*update, rowid, std::string_view(*folded)));
    BULWARK_RETURN_IF_ERROR(update->Run());
  }
  return Status::Ok();
}

constexpr std::string_view kAllDomains =
    "SELECT identity_provider_id, scope, domain_lower FROM identity_provider_domains";
constexpr std::string_view kDomainInScope =
    "SELECT 1 FROM identity_provider_domains WHERE scope = ?1 AND domain_lower = ?2";
constexpr std::string_view kSetDomain =
    "UPDATE identity_provider_domains SET domain_lower = ?3 "
    "WHERE identity_provider_id = ?1 AND domain_lower = ?2";

Status FoldDomains(Connection& connection) {
  struct Row {
    Uuid provider;
    Uuid scope;
    std::string domain;
  };
  std::vector<Row> rows;
  {
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement all, connection.Prepare(kAllDomains));
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(bool row, all->Step());
      if (!row) break;
      const std::string_view domain = all->ColumnText(2);
      if (!HasNonAscii(domain)) continue;
      BULWARK_ASSIGN_OR_RETURN(Uuid provider, all->ColumnUuid(0));
      BULWARK_ASSIGN_OR_RETURN(Uuid scope, all->ColumnUuid(1));
      rows.push_back({provider, scope, std::string(domain)});
    }
  }
  for (const Row& row : rows) {
    const std::string folded = CaseFold(row.domain);
    if (folded == row.domain) continue;
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement taken, connection.Prepare(kDomainInScope));
    BULWARK_RETURN_IF_ERROR(Bind(*taken, TenantId(row.scope), std::string_view(folded)));
    BULWARK_ASSIGN_OR_RETURN(bool is_taken, taken->Step());
    if (is_taken) continue;
    BULWARK_ASSIGN_OR_RETURN(ScopedStatement update, connection.Prepare(kSetDomain));
    BULWARK_RETURN_IF_ERROR(Bind(*update, IdentityProviderId(row.provider),
                                 std::string_view(row.domain), std::string_view(folded)));
    BULWARK_RETURN_IF_ERROR(update->Run());
  }
  return Status::Ok();
}

Status FoldIdentityKeys(Connection& connection) {
  BULWARK_RETURN_IF_ERROR(FoldUserKeys(connection, kEmailColumn));
  BULWARK_RETURN_IF_ERROR(FoldUserKeys(connection, kUsernameColumn));
  return FoldDomains(connection);
}

// Version 7. The last login of a user and of a registration, as columns: a login writes an
// integer instead of rewriting the stored document. NULL means the document's lastLoginInstant
// holds; a login sets the column, which then wins on every read, and a write of the whole
// document (an update or a patch) sets it back to NULL, so the document holds again. The
// migration leaves every column NULL: the documents already hold the values.
//
// A registration's roles are read in their position order through an index, not sorted on
// every read.
constexpr std::string_view kSchemaV7 = R"sql(
ALTER TABLE users ADD COLUMN last_login_instant INTEGER;
ALTER TABLE registrations ADD COLUMN last_login_instant INTEGER;
CREATE INDEX registration_roles_position ON registration_roles (registration_id, position);
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
    {.version = 5,
     .description = "fold email, username and domain keys by Unicode simple case folding",
     .sql = kSchemaV5,
     .apply = FoldIdentityKeys},
    {.version = 6,
     .description = "create artefacts and the configuration generation",
     .sql = kSchemaV6},
    {.version = 7,
     .description = "keep the last login of users and registrations in columns; index the "
                    "order of a registration's roles",
     .sql = kSchemaV7},
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
