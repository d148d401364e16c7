// SPDX-License-Identifier: Apache-2.0
//
// The SQLite store's API keys (schema version 4): round trips without the secret value, the
// digest lookup, what the row holds, the id, digest and tenant rules, updates that keep the
// digest, deletes, tenant cascades, counts (of API keys and of every tenant's users),
// atomicity under injected faults, and the v3 -> v4 migration.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "unit/store/old_schema_support.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::BackendName;
using store_test::Insert;
using store_test::IsInjected;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::NewId;
using store_test::QueryInt;
using store_test::Raw;
using store_test::OpenFaulty;
using store_test::TempDbPath;
using store_test::TestDb;

// A key with every member set; global unless `tenant_id` is given. Its value is `value`, and
// the digest handed to the store "digest:<value>" (the store treats digests as opaque text).
ApiKey MakeApiKey(std::string value, std::optional<TenantId> tenant_id = std::nullopt,
                  std::int64_t inserted_at = 10) {
  ApiKey key;
  key.id = NewId<ApiKeyId>();
  key.key = std::move(value);
  key.name = "ci key";
  key.key_manager = true;
  key.retrievable = false;
  key.endpoint_permissions = {{"/api/user", {"GET", "POST"}}, {"/api/application", {"GET"}}};
  key.tenant_id = tenant_id;
  key.meta_data_attributes = {{"description", "the CI pipeline"}};
  key.ip_access_control_list_id = NewId<IpAccessControlListId>();
  key.expiration_instant = At(100'000);
  key.insert_instant = At(inserted_at);
  key.last_update_instant = At(inserted_at);
  return key;
}

std::string DigestOf(const ApiKey& key) { return "digest:" + key.key; }

// The key as the store returns it: without its value.
ApiKey Stored(ApiKey key) {
  key.key.clear();
  return key;
}

Status InsertKey(Store& store, const ApiKey& key) {
  WriteBatch batch;
  batch.Insert(key, DigestOf(key));
  return store.Apply(batch);
}

Status UpdateKey(Store& store, const ApiKey& key) {
  WriteBatch batch;
  batch.Update(key);
  return store.Apply(batch);
}

Status DeleteKey(Store& store, ApiKeyId id) {
  WriteBatch batch;
  batch.Delete(id);
  return store.Apply(batch);
}

void CheckField(const Status& s, StatusCode code, const char* kind, const char* path) {
  INFO(s.ToString());
  CHECK(s.code() == code);
  CHECK(s.errors().HasField(kind, path));
}

std::vector<ApiKeyId> Ids(const std::vector<ApiKey>& keys) {
  std::vector<ApiKeyId> ids;
  for (const ApiKey& key : keys) ids.push_back(key.id);
  return ids;
}

std::string QueryText(const std::string& path, const std::string& sql) {
  Result<std::string> text = Raw(path)->QueryText(sql);
  REQUIRE_OK(text);
  return *text;
}

TEST_CASE("API keys round-trip without their value and list by insertInstant, then id",
          "[store][apikey]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));

  const ApiKey late = MakeApiKey("late-key-value-0123456789", std::nullopt, 30);
  const ApiKey scoped = MakeApiKey("scoped-key-value-0123456789", tenant.id, 20);
  ApiKey bare;  // only what the store needs
  bare.id = NewId<ApiKeyId>();
  bare.key = "bare-key-value-0123456789";
  const ApiKey same_instant = MakeApiKey("same-instant-value-0123456789", std::nullopt, 20);
  for (const ApiKey* key : std::vector<const ApiKey*>{&late, &scoped, &bare, &same_instant}) {
    STORE_REQUIRE_OK(InsertKey(*store, *key));
  }

  ApiKeyRepository& keys = store->api_keys();
  CHECK(*keys.Get(late.id) == Stored(late));
  CHECK(keys.Get(late.id)->key.empty());
  CHECK(*keys.Get(scoped.id) == Stored(scoped));
  CHECK(*keys.Get(bare.id) == Stored(bare));
  CHECK(keys.Get(NewId<ApiKeyId>()).status().code() == StatusCode::kNotFound);

  // A key without insertInstant sorts first; equal instants sort by id (ids from NextUuid
  // grow with each call, so `scoped` comes before `same_instant`).
  CHECK(Ids(*keys.List()) == std::vector<ApiKeyId>{bare.id, scoped.id, same_instant.id, late.id});
  const std::vector<ApiKey> listed_keys = REQUIRE_VALUE(keys.List());
  for (const ApiKey& listed : listed_keys) CHECK(listed.key.empty());
  CHECK(*keys.Count() == 4);
}

TEST_CASE("API keys are found by the exact digest only", "[store][apikey]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const ApiKey key = MakeApiKey("find-me-0123456789");
  const ApiKey other = MakeApiKey("someone-else-0123456789");
  STORE_REQUIRE_OK(InsertKey(*store, key));
  STORE_REQUIRE_OK(InsertKey(*store, other));

  ApiKeyRepository& keys = store->api_keys();
  CHECK(*keys.FindByKeyDigest(DigestOf(key)) == Stored(key));
  CHECK(keys.FindByKeyDigest(DigestOf(other))->id == other.id);
  // Not by the value itself, another letter case, a prefix or nothing.
  CHECK(keys.FindByKeyDigest(key.key).status().code() == StatusCode::kNotFound);
  CHECK(keys.FindByKeyDigest("DIGEST:find-me-0123456789").status().code() == StatusCode::kNotFound);
  CHECK(keys.FindByKeyDigest("digest:find-me").status().code() == StatusCode::kNotFound);
  CHECK(keys.FindByKeyDigest("").status().code() == StatusCode::kNotFound);
}

TEST_CASE("the stored row holds the digest and a document without the key's value",
          "[store][apikey]") {
  TestDb db(Backend::kFile);
  const Tenant tenant = MakeTenant("t");
  const ApiKey key = MakeApiKey("the-secret-value-never-stored", tenant.id);
  {
    auto store = db.Open();
    STORE_REQUIRE_OK(Insert(*store, tenant));
    WriteBatch batch;
    batch.Insert(key, "opaque-digest");
    STORE_REQUIRE_OK(store->Apply(batch));
    // An update carrying a value stores none either.
    ApiKey renamed = key;
    renamed.name = "renamed";
    STORE_REQUIRE_OK(UpdateKey(*store, renamed));
  }
  const std::string doc = QueryText(db.path(), "SELECT doc FROM api_keys");
  INFO(doc);
  CHECK(doc.find("the-secret-value") == std::string::npos);
  const nlohmann::json json = nlohmann::json::parse(doc);
  CHECK_FALSE(json.contains("key"));
  CHECK(json.at("name") == "renamed");
  CHECK(json.at("tenantId") == tenant.id.ToString());
  CHECK(QueryText(db.path(), "SELECT key_digest FROM api_keys") == "opaque-digest");
  CHECK(QueryInt(db.path(), "SELECT insert_instant FROM api_keys") == ToEpochMillis(At(10)));
  // Nowhere in the files either (the store is closed: the WAL, if any, is checkpointed).
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(db.path() + suffix, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("the-secret-value") == std::string::npos);
  }
}

TEST_CASE("API key ids and digests are unique; a tenant-scoped key needs its tenant",
          "[store][apikey]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  const ApiKey key = MakeApiKey("original-value-0123456789", tenant.id);
  STORE_REQUIRE_OK(InsertKey(*store, key));

  ApiKey nil = MakeApiKey("nil-id-value-0123456789");
  nil.id = ApiKeyId();
  CheckField(InsertKey(*store, nil), StatusCode::kInvalidArgument, "missing", "apiKey.id");

  ApiKey same_id = MakeApiKey("another-value-0123456789");
  same_id.id = key.id;
  CheckField(InsertKey(*store, same_id), StatusCode::kAlreadyExists, "duplicate", "apiKey.id");

  const ApiKey same_value = MakeApiKey("original-value-0123456789");
  CheckField(InsertKey(*store, same_value), StatusCode::kAlreadyExists, "duplicate", "apiKey.key");

  WriteBatch blank;
  blank.Insert(MakeApiKey("blank-digest-0123456789"), "");
  CheckField(store->Apply(blank), StatusCode::kInvalidArgument, "blank", "apiKey.key");

  CheckField(InsertKey(*store, MakeApiKey("orphan-value-0123456789", NewId<TenantId>())),
             StatusCode::kInvalidArgument, "invalid", "apiKey.tenantId");

  // Two keys with one digest in a batch: the batch fails and writes nothing.
  WriteBatch twice;
  const ApiKey first = MakeApiKey("twice-0123456789");
  twice.Insert(first, "digest:twice");
  twice.Insert(MakeApiKey("twice-0123456789"), "digest:twice");
  CheckField(store->Apply(twice), StatusCode::kAlreadyExists, "duplicate", "apiKey.key");
  CHECK(store->api_keys().Get(first.id).status().code() == StatusCode::kNotFound);

  CHECK(Ids(*store->api_keys().List()) == std::vector<ApiKeyId>{key.id});
  CHECK(*store->api_keys().Count() == 1);
}

TEST_CASE("updating an API key replaces its document and keeps its digest and tenant",
          "[store][apikey]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant acme = MakeTenant("acme");
  const Tenant globex = MakeTenant("globex");
  STORE_REQUIRE_OK(Insert(*store, acme));
  STORE_REQUIRE_OK(Insert(*store, globex));
  const ApiKey key = MakeApiKey("kept-value-0123456789", acme.id);
  const ApiKey global = MakeApiKey("global-value-0123456789");
  STORE_REQUIRE_OK(InsertKey(*store, key));
  STORE_REQUIRE_OK(InsertKey(*store, global));

  ApiKey updated = key;
  updated.key = "an-attempt-at-a-new-value-0123456789";
  updated.name = "renamed";
  updated.key_manager = false;
  updated.endpoint_permissions = {{"/api/jwt/refresh", {"POST"}}};
  updated.meta_data_attributes.clear();
  updated.ip_access_control_list_id.reset();
  updated.expiration_instant.reset();
  updated.last_update_instant = At(50);
  STORE_REQUIRE_OK(UpdateKey(*store, updated));

  ApiKeyRepository& keys = store->api_keys();
  CHECK(*keys.Get(key.id) == Stored(updated));
  CHECK(*keys.FindByKeyDigest(DigestOf(key)) == Stored(updated));
  CHECK(keys.FindByKeyDigest(DigestOf(updated)).status().code() == StatusCode::kNotFound);

  ApiKey moved = updated;
  moved.tenant_id = globex.id;
  CheckField(UpdateKey(*store, moved), StatusCode::kInvalidArgument, "invalid", "apiKey.tenantId");
  moved.tenant_id.reset();  // scoped -> global
  CheckField(UpdateKey(*store, moved), StatusCode::kInvalidArgument, "invalid", "apiKey.tenantId");
  ApiKey scoped = global;
  scoped.tenant_id = acme.id;  // global -> scoped
  CheckField(UpdateKey(*store, scoped), StatusCode::kInvalidArgument, "invalid", "apiKey.tenantId");
  CHECK(*keys.Get(key.id) == Stored(updated));
  CHECK(*keys.Get(global.id) == Stored(global));

  CHECK(UpdateKey(*store, MakeApiKey("ghost-0123456789")).code() == StatusCode::kNotFound);
}

TEST_CASE("an API key is deleted once, and its digest is free again", "[store][apikey]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const ApiKey key = MakeApiKey("delete-me-0123456789");
  const ApiKey other = MakeApiKey("keep-me-0123456789");
  STORE_REQUIRE_OK(InsertKey(*store, key));
  STORE_REQUIRE_OK(InsertKey(*store, other));

  STORE_REQUIRE_OK(DeleteKey(*store, key.id));
  CHECK(store->api_keys().Get(key.id).status().code() == StatusCode::kNotFound);
  CHECK(store->api_keys().FindByKeyDigest(DigestOf(key)).status().code() == StatusCode::kNotFound);
  CHECK(DeleteKey(*store, key.id).code() == StatusCode::kNotFound);
  CHECK(DeleteKey(*store, NewId<ApiKeyId>()).code() == StatusCode::kNotFound);
  CHECK_OK(store->api_keys().Get(other.id));
  CHECK(*store->api_keys().Count() == 1);

  STORE_CHECK_OK(InsertKey(*store, MakeApiKey("delete-me-0123456789")));
}

TEST_CASE("deleting a tenant removes its API keys and keeps the others", "[store][apikey]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant acme = MakeTenant("acme");
  const Tenant globex = MakeTenant("globex");
  STORE_REQUIRE_OK(Insert(*store, acme));
  STORE_REQUIRE_OK(Insert(*store, globex));
  const ApiKey acme_key = MakeApiKey("acme-value-0123456789", acme.id);
  const ApiKey acme_key_2 = MakeApiKey("acme-value-2-0123456789", acme.id);
  const ApiKey globex_key = MakeApiKey("globex-value-0123456789", globex.id);
  const ApiKey global = MakeApiKey("global-value-0123456789");
  for (const ApiKey* key : {&acme_key, &acme_key_2, &globex_key, &global}) {
    STORE_REQUIRE_OK(InsertKey(*store, *key));
  }

  WriteBatch batch;
  batch.Delete(acme.id);
  STORE_REQUIRE_OK(store->Apply(batch));
  ApiKeyRepository& keys = store->api_keys();
  CHECK(keys.Get(acme_key.id).status().code() == StatusCode::kNotFound);
  CHECK(keys.FindByKeyDigest(DigestOf(acme_key_2)).status().code() == StatusCode::kNotFound);
  CHECK(*keys.Get(globex_key.id) == Stored(globex_key));
  CHECK(*keys.Get(global.id) == Stored(global));
  CHECK(*keys.Count() == 2);
  // The deleted keys' values are free again.
  STORE_CHECK_OK(InsertKey(*store, MakeApiKey("acme-value-0123456789")));
}

TEST_CASE("counts: API keys of every scope, users of every tenant", "[store][apikey]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  CHECK(*store->api_keys().Count() == 0);
  CHECK(*store->users().Count() == 0);

  const Tenant acme = MakeTenant("acme");
  const Tenant globex = MakeTenant("globex");
  WriteBatch batch;
  batch.Insert(acme);
  batch.Insert(globex);
  batch.Insert(MakeUser(acme, "ada@acme.example"));
  batch.Insert(MakeUser(acme, "bob@acme.example"));
  const User hank = MakeUser(globex, "hank@globex.example");
  batch.Insert(hank);
  const ApiKey scoped = MakeApiKey("scoped-0123456789", globex.id);
  batch.Insert(scoped, DigestOf(scoped));
  const ApiKey global = MakeApiKey("global-0123456789");
  batch.Insert(global, DigestOf(global));
  STORE_REQUIRE_OK(store->Apply(batch));
  CHECK(*store->users().Count() == 3);
  CHECK(*store->users().CountByTenant(acme.id) == 2);
  CHECK(*store->api_keys().Count() == 2);

  WriteBatch remove;
  remove.Delete(hank.id);
  remove.Delete(global.id);
  STORE_REQUIRE_OK(store->Apply(remove));
  CHECK(*store->users().Count() == 2);
  CHECK(*store->api_keys().Count() == 1);
}

// --- faults ----------------------------------------------------------------------------------

TEST_CASE("API key reads and the user count fail while FailReads is set", "[store][fault]") {
  TestDb db(Backend::kMemory);
  auto store = OpenFaulty(db);
  const ApiKey key = MakeApiKey("faulty-0123456789");
  STORE_REQUIRE_OK(InsertKey(*store, key));

  store->FailReads(true);
  CHECK(IsInjected(store->api_keys().Get(key.id).status()));
  CHECK(IsInjected(store->api_keys().FindByKeyDigest(DigestOf(key)).status()));
  CHECK(IsInjected(store->api_keys().List().status()));
  CHECK(IsInjected(store->api_keys().Count().status()));
  CHECK(IsInjected(store->users().Count().status()));
  CHECK_OK(store->base().api_keys().Get(key.id));

  store->ClearFaults();
  CHECK(*store->api_keys().Get(key.id) == Stored(key));
  CHECK(*store->users().Count() == 0);
}

TEST_CASE("a fault at any write statement of an API key batch leaves nothing", "[store][fault]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = OpenFaulty(db);
  const Tenant tenant = MakeTenant("t");
  const ApiKey kept = MakeApiKey("kept-0123456789", tenant.id);
  const ApiKey doomed = MakeApiKey("doomed-0123456789");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  STORE_REQUIRE_OK(InsertKey(*store, kept));
  STORE_REQUIRE_OK(InsertKey(*store, doomed));

  const ApiKey fresh = MakeApiKey("fresh-0123456789", tenant.id);
  ApiKey renamed = kept;
  renamed.name = "renamed";
  WriteBatch batch;
  batch.Insert(fresh, DigestOf(fresh));
  batch.Update(renamed);
  batch.Delete(doomed.id);

  auto nothing_written = [&] {
    CHECK(store->api_keys().Get(fresh.id).status().code() == StatusCode::kNotFound);
    CHECK(*store->api_keys().Get(kept.id) == Stored(kept));
    CHECK_OK(store->api_keys().Get(doomed.id));
  };
  {
    TestDb scratch_db(Backend::kMemory);
    auto scratch = OpenFaulty(scratch_db);
    STORE_REQUIRE_OK(Insert(*scratch, tenant));
    STORE_REQUIRE_OK(InsertKey(*scratch, kept));
    STORE_REQUIRE_OK(InsertKey(*scratch, doomed));
    const std::int64_t before = scratch->write_statements();
    STORE_REQUIRE_OK(scratch->Apply(batch));
    REQUIRE(scratch->write_statements() - before == 3);
  }
  for (std::int64_t n = 1; n <= 3; ++n) {
    INFO("failing write statement " << n);
    store->FailWriteStatement(n);
    CHECK(IsInjected(store->Apply(batch)));
    nothing_written();
  }
  store->FailCommit(true);
  CHECK(IsInjected(store->Apply(batch)));
  nothing_written();

  store->ClearFaults();
  STORE_REQUIRE_OK(store->Apply(batch));
  CHECK(*store->api_keys().FindByKeyDigest(DigestOf(fresh)) == Stored(fresh));
  CHECK(store->api_keys().Get(kept.id)->name == "renamed");
  CHECK(store->api_keys().Get(doomed.id).status().code() == StatusCode::kNotFound);
}

}  // namespace

namespace internal::sqlite {
namespace {

TEST_CASE("a version-3 file migrates to version 4, keeps its data and gains API keys",
          "[store][migration]") {
  TempDbPath file;
  const Tenant tenant = MakeTenant("t");
  const User user = MakeUser(tenant, "ada@example.com");
  const IdentityProvider provider = store_test::MakeProvider("idp", {"example.com"}, tenant.id);
  {
    Result<std::unique_ptr<Store>> v3 =
        OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, 3));
    REQUIRE_OK(v3);
    CHECK((*v3)->SchemaVersion() == 3);
    WriteBatch batch;
    batch.Insert(tenant);
    batch.Insert(provider);
    STORE_REQUIRE_OK((*v3)->Apply(batch));
  }
  store_test::InsertOldUser(file.path(), user, "ada@example.com");
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == 3);
  CHECK(QueryInt(file.path(), "SELECT count(*) FROM sqlite_master WHERE name = 'api_keys'") == 0);

  Result<std::unique_ptr<Store>> v4 =
      OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, 4));
  REQUIRE_OK(v4);
  Store& store = **v4;
  CHECK(store.SchemaVersion() == 4);
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == 4);
  CHECK(*store.tenants().Get(tenant.id) == tenant);
  CHECK(store.identity_providers().FindByDomain("example.com", tenant.id)->id == provider.id);
  CHECK(*store.users().Count() == 1);
  CHECK(*store.api_keys().Count() == 0);

  const ApiKey key = MakeApiKey("migrated-0123456789", tenant.id);
  STORE_REQUIRE_OK(InsertKey(store, key));
  CHECK(*store.api_keys().FindByKeyDigest(DigestOf(key)) == Stored(key));

  // Users are read with the latest schema's columns (version 7's last login).
  v4->reset();
  Result<std::unique_ptr<Store>> latest = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_OK(latest);
  CHECK(*(*latest)->users().Get(user.id) == store_test::Stored(user));
}

}  // namespace
}  // namespace internal::sqlite
}  // namespace bulwark
