// SPDX-License-Identifier: Apache-2.0
// The engine's hot paths beside the cryptography that should dominate them:
//   Login/<scheme>      a full Login API call (lookup, verify, lockout bookkeeping, HS256
//                       access token, store write) over RawHash/<scheme>, the scheme's own
//                       hash computation with the same salt and factor;
//   RawPbkdf2Sha256     OpenSSL's PKCS5_PBKDF2_HMAC at FusionAuth's default factor, the floor
//                       for the default scheme;
//   Refresh/<alg>       a refresh (lookup by digest, policy checks, store write, new access
//                       token) over the raw signature in jwt_benchmark.cc;
//   Validate/<alg>      TokenService::Validate of an access token the engine issued (kid
//                       lookup, signature, claims, the key's binding to the token's tenant)
//                       over RawVerify/<alg> in jwt_benchmark.cc;
//   Tenant/Retrieve     TenantService::Retrieve, what every request does to read its tenant
//                       (the Engine's cache: a copy), over Tenant/StoreGet, the store's own
//                       read (SQLite and the JSON decode) that each request did before;
//   Import/<n>          FusionAuth's Import API for n pre-hashed users with a registration
//                       each, reported as users per second, over RawSqliteImport/<n>, the
//                       same rows written by hand (prepared INSERTs of a user and a
//                       registration, one transaction) into a copy of the same store: the
//                       SQLite floor under an import on this machine;
//   LoginAt/<n>         Login/salted-hmac-sha256 on a SQLite *file* holding n users (1,000
//                       and 1,000,000): how the fixed cost of a login grows with the store.
//                       The users are imported before timing (about a minute and a GB of
//                       temporary disk for the million); bench-smoke skips the million.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <unistd.h>  // getpid: a temporary file name of its own

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/engine.h"
#include "bulwark/store/sqlite_store.h"

#include "benchmark_support.h"

namespace {

using namespace bulwark;  // NOLINT: a benchmark file

using bulwark::bench::Die;
using bulwark::bench::Must;

constexpr const char* kPassword = "correct horse battery staple";

struct World {
  std::unique_ptr<Engine> engine;
  Application app;
  User user;

  World(const std::string& scheme, int factor, KeyAlgorithm algorithm, bool refresh,
        const std::string& path = ":memory:") {
    std::shared_ptr<Store> store = Must(OpenSqliteStore({.path = path}), "store");
    engine = Must(Engine::Open({.store = store}), "engine");
    Key request;
    request.name = "bench key";
    request.algorithm = algorithm;
    if (algorithm == KeyAlgorithm::kRs256) request.length = 2048;
    Key key = Must(engine->keys().Generate(request), "key");
    Tenant tenant = Must(engine->tenants().Retrieve(engine->default_tenant_id()), "tenant");
    tenant.jwt_configuration.access_token_key_id = key.id;
    Must(engine->tenants().Update(tenant), "tenant update");
    Application a;
    a.name = "bench";
    a.login_configuration.generate_refresh_tokens = refresh;
    a.login_configuration.allow_token_refresh = refresh;
    app = Must(engine->applications().Create(a), "application");
    User u;
    u.email = "bench@example.com";
    u.password = kPassword;
    u.password_hash.encryption_scheme = scheme;
    u.password_hash.factor = factor;
    Registration r;
    r.application_id = app.id;
    user = Must(engine->registrations().Register(u, r), "register").user;
  }

  LoginRequest Request() const {
    LoginRequest request;
    request.login_id = "bench@example.com";
    request.password = kPassword;
    request.application_id = app.id;
    return request;
  }
};

struct Scheme {
  const char* name;
  int factor;
};
// Each scheme at FusionAuth's default factor (bcrypt at 10, argon2id and scrypt at bulwark's
// defaults).
constexpr Scheme kSchemes[] = {
    {"salted-pbkdf2-hmac-sha256", 24000},
    {"salted-pbkdf2-hmac-sha256-512", 24000},
    {"salted-pbkdf2-hmac-sha512-512", 24000},
    {"bcrypt", 10},
    {"salted-sha256", 20000},
    {"salted-md5", 20000},
    {"salted-hmac-sha256", 1},
    {"phpass-md5", 2048},
    {"phpass-sha512", 2048},
    {"argon2id", 2},
    {"scrypt", 17},
};

void BM_Login(benchmark::State& state, Scheme scheme) {
  World world(scheme.name, scheme.factor, KeyAlgorithm::kHs256, /*refresh=*/false);
  const LoginRequest request = world.Request();
  for (auto _ : state) {
    Result<LoginResponse> r = world.engine->login().Login(request);
    if (!r.ok() || r->outcome != LoginOutcome::kSuccess) Die("login failed");
    benchmark::DoNotOptimize(r->token);
  }
}

void BM_RawHash(benchmark::State& state, Scheme scheme) {
  PasswordHasherRegistry registry;
  std::shared_ptr<const PasswordHasher> hasher = registry.Find(scheme.name);
  if (hasher == nullptr) Die(std::string("no hasher ") + scheme.name);
  const std::string salt = Must(hasher->GenerateSalt(Random::Default()), "salt");
  for (auto _ : state) {
    Result<std::string> h = hasher->Encrypt(kPassword, salt, scheme.factor);
    if (!h.ok()) Die("hash failed");
    benchmark::DoNotOptimize(*h);
  }
}

void BM_RawPbkdf2Sha256(benchmark::State& state) {
  unsigned char salt[32] = {1, 2, 3};
  unsigned char out[32];
  for (auto _ : state) {
    PKCS5_PBKDF2_HMAC(kPassword, static_cast<int>(std::char_traits<char>::length(kPassword)), salt,
                      sizeof salt, 24000, EVP_sha256(), sizeof out, out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_RawPbkdf2Sha256)->Unit(benchmark::kMillisecond);

void BM_Refresh(benchmark::State& state, KeyAlgorithm algorithm) {
  World world("salted-sha256", 1, algorithm, /*refresh=*/true);
  const LoginResponse login = Must(world.engine->login().Login(world.Request()), "login");
  RefreshRequest request;
  request.refresh_token = login.refresh_token;
  for (auto _ : state) {
    Result<RefreshResponse> r = world.engine->tokens().Refresh(request);
    if (!r.ok()) Die("refresh failed: " + r.status().ToString());
    benchmark::DoNotOptimize(r->token);
  }
}

void BM_Validate(benchmark::State& state, KeyAlgorithm algorithm) {
  World world("salted-sha256", 1, algorithm, /*refresh=*/false);
  const LoginResponse login = Must(world.engine->login().Login(world.Request()), "login");
  if (!world.engine->tokens().Validate(login.token).ok()) Die("validate failed");  // warm
  for (auto _ : state) {
    Result<nlohmann::json> claims = world.engine->tokens().Validate(login.token);
    if (!claims.ok()) Die("validate failed: " + claims.status().ToString());
    benchmark::DoNotOptimize(claims);
  }
}

// The i-th user an import benchmark imports: `hash` as its credential (pre-hashed, so that
// import cost, not hashing, is measured), a registration for `application`.
User ImportedUser(std::size_t i, const PasswordHash& hash, ApplicationId application) {
  User u;
  u.email = "user" + std::to_string(i) + "@example.com";
  u.password = hash.hash;
  u.password_hash.encryption_scheme = hash.encryption_scheme;
  u.password_hash.factor = hash.factor;
  u.password_hash.salt = hash.salt;
  u.first_name = "Imported";
  Registration r;
  r.application_id = application;
  u.registrations = {r};
  return u;
}

void BM_Import(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  // One pre-hashed credential shared by every user: import cost, not hashing, is measured.
  PasswordHasherRegistry registry;
  const PasswordHash hash =
      Must(registry.Hash(kPassword, "salted-pbkdf2-hmac-sha256", 1000, Random::Default()), "hash");
  for (auto _ : state) {
    state.PauseTiming();
    World world("salted-sha256", 1, KeyAlgorithm::kHs256, /*refresh=*/false);
    ImportRequest request;
    request.users.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      request.users.push_back(ImportedUser(i, hash, world.app.id));
    }
    state.ResumeTiming();
    Status s = world.engine->users().Import(std::move(request));
    if (!s.ok()) Die("import failed: " + s.ToString());
    state.PauseTiming();
    world.engine.reset();
    state.ResumeTiming();
  }
  state.counters["users/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Import)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

// SQLite itself, for BM_Import: `sql` run on `db`, or the benchmark dies.
void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    Die(std::string("sqlite: ") + sql + ": " + message);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
      SQLITE_OK) {
    Die(std::string("sqlite: ") + sql + ": " + sqlite3_errmsg(db));
  }
  return statement;
}

void Step(sqlite3* db, sqlite3_stmt* statement) {
  if (sqlite3_step(statement) != SQLITE_DONE) Die(std::string("sqlite: ") + sqlite3_errmsg(db));
  sqlite3_reset(statement);
}

// What BM_Import writes, written by hand: a store file made by bulwark with one imported user
// gives the schema (every table, index and trigger, at the current version), the tenant and
// application rows, and the documents bulwark stores for a user and a registration; each
// iteration copies it into a fresh :memory: database (the SQLite backup API), deletes the
// user, and times the INSERTs of n users and their registrations (random ids, distinct
// emails, those documents) with the store's own column lists, in one transaction, with
// foreign keys on as the store has them.
void BM_RawSqliteImport(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("bulwark-bench-raw-import-" + std::to_string(::getpid()) + ".db");
  {
    World world("salted-sha256", 1, KeyAlgorithm::kHs256, /*refresh=*/false, path.string());
    PasswordHasherRegistry registry;
    const PasswordHash hash = Must(
        registry.Hash(kPassword, "salted-pbkdf2-hmac-sha256", 1000, Random::Default()), "hash");
    ImportRequest request;
    request.users.push_back(ImportedUser(0, hash, world.app.id));
    Status s = world.engine->users().Import(std::move(request));
    if (!s.ok()) Die("import failed: " + s.ToString());
  }
  sqlite3* file = nullptr;
  if (sqlite3_open_v2(path.string().c_str(), &file, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    Die("sqlite: cannot open the store file");
  }
  std::string user_doc;
  std::string registration_doc;
  std::string tenant_id;
  std::string application_id;
  {
    sqlite3_stmt* read = Prepare(file,
                                 "SELECT u.doc, u.tenant_id, r.doc, r.application_id FROM users u "
                                 "JOIN registrations r ON r.user_id = u.id");
    if (sqlite3_step(read) != SQLITE_ROW) Die("sqlite: no imported user");
    const auto text = [&](int column) {
      return std::string(static_cast<const char*>(sqlite3_column_blob(read, column)),
                         static_cast<std::size_t>(sqlite3_column_bytes(read, column)));
    };
    user_doc = text(0);
    tenant_id = text(1);
    registration_doc = text(2);
    application_id = text(3);
    sqlite3_finalize(read);
  }
  std::vector<std::string> user_ids(n);
  std::vector<std::string> registration_ids(n);
  std::vector<std::string> emails(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::string* id : {&user_ids[i], &registration_ids[i]}) {
      const Uuid uuid = Must(Uuid::Generate(Random::Default()), "uuid");
      id->assign(reinterpret_cast<const char*>(uuid.bytes().data()), uuid.bytes().size());
    }
    emails[i] = "user" + std::to_string(i) + "@example.com";
  }
  const std::int64_t instant = 1'700'000'000'000;
  for (auto _ : state) {
    state.PauseTiming();
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) Die("sqlite: cannot open :memory:");
    sqlite3_backup* copy = sqlite3_backup_init(db, "main", file, "main");
    if (copy == nullptr || sqlite3_backup_step(copy, -1) != SQLITE_DONE) Die("sqlite: backup");
    sqlite3_backup_finish(copy);
    Exec(db, "PRAGMA foreign_keys = ON");
    Exec(db, "DELETE FROM users");
    sqlite3_stmt* insert_user =
        Prepare(db,
                "INSERT INTO users (id, tenant_id, email_lower, username_lower, doc) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
    sqlite3_stmt* insert_registration =
        Prepare(db,
                "INSERT INTO registrations (id, user_id, application_id, insert_instant, doc) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
    state.ResumeTiming();
    Exec(db, "BEGIN IMMEDIATE");
    for (std::size_t i = 0; i < n; ++i) {
      sqlite3_bind_blob(insert_user, 1, user_ids[i].data(), 16, SQLITE_STATIC);
      sqlite3_bind_blob(insert_user, 2, tenant_id.data(), 16, SQLITE_STATIC);
      sqlite3_bind_text(insert_user, 3, emails[i].data(), static_cast<int>(emails[i].size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert_user, 4, "", 0, SQLITE_STATIC);
      sqlite3_bind_text(insert_user, 5, user_doc.data(), static_cast<int>(user_doc.size()),
                        SQLITE_STATIC);
      Step(db, insert_user);
      sqlite3_bind_blob(insert_registration, 1, registration_ids[i].data(), 16, SQLITE_STATIC);
      sqlite3_bind_blob(insert_registration, 2, user_ids[i].data(), 16, SQLITE_STATIC);
      sqlite3_bind_blob(insert_registration, 3, application_id.data(), 16, SQLITE_STATIC);
      sqlite3_bind_int64(insert_registration, 4, instant);
      sqlite3_bind_text(insert_registration, 5, registration_doc.data(),
                        static_cast<int>(registration_doc.size()), SQLITE_STATIC);
      Step(db, insert_registration);
    }
    Exec(db, "COMMIT");
    state.PauseTiming();
    sqlite3_finalize(insert_user);
    sqlite3_finalize(insert_registration);
    sqlite3_close(db);
    state.ResumeTiming();
  }
  sqlite3_close(file);
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix, ignored);
  }
  state.counters["users/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawSqliteImport)
    ->Name("RawSqliteImport")
    ->Arg(1000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// A login's fixed cost on a store file that holds `n` users: the lookups by email, the
// registration join and the write are indexed, so a million users should cost about what a
// thousand do.
void BM_LoginAt(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("bulwark-bench-login-" + std::to_string(n) + "-" + std::to_string(::getpid()) + ".db");
  {
    World world("salted-hmac-sha256", 1, KeyAlgorithm::kHs256, /*refresh=*/false, path.string());
    PasswordHasherRegistry registry;
    const PasswordHash hash =
        Must(registry.Hash(kPassword, "salted-hmac-sha256", 1, Random::Default()), "hash");
    constexpr std::size_t kChunk = 50000;
    for (std::size_t first = 0; first < n; first += kChunk) {
      ImportRequest request;
      for (std::size_t i = first; i < std::min(n, first + kChunk); ++i) {
        User u;
        u.email = "user" + std::to_string(i) + "@example.com";
        u.password = hash.hash;
        u.password_hash = hash;
        u.password_hash.hash.clear();
        u.first_name = "Imported";
        Registration r;
        r.application_id = world.app.id;
        u.registrations = {r};
        request.users.push_back(std::move(u));
      }
      Status s = world.engine->users().Import(std::move(request));
      if (!s.ok()) Die("import failed: " + s.ToString());
    }
    LoginRequest request;
    request.login_id = "user" + std::to_string(n / 2) + "@example.com";
    request.password = kPassword;
    request.application_id = world.app.id;
    // Warm the caches and the page cache as a running server's would be.
    if (Must(world.engine->login().Login(request), "login").outcome != LoginOutcome::kSuccess) {
      Die("login at scale failed");
    }
    for (auto _ : state) {
      Result<LoginResponse> r = world.engine->login().Login(request);
      if (!r.ok() || r->outcome != LoginOutcome::kSuccess) Die("login failed");
      benchmark::DoNotOptimize(r->token);
    }
  }
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix, ignored);
  }
}
// A fixed iteration count: Google Benchmark then calls the function once, so the users are
// imported once (with a time target it calls it again with more iterations, and would import
// the million again).
BENCHMARK(BM_LoginAt)
    ->Name("LoginAt")
    ->Arg(1000)
    ->Arg(1000000)
    ->Iterations(2000)
    ->Unit(benchmark::kMicrosecond);

void TenantRead(benchmark::State& state, bool through_engine) {
  std::shared_ptr<Store> store = Must(OpenSqliteStore({.path = ":memory:"}), "store");
  std::unique_ptr<Engine> engine = Must(Engine::Open({.store = store}), "engine");
  const TenantId id = engine->default_tenant_id();
  for (auto _ : state) {
    Result<Tenant> tenant =
        through_engine ? engine->tenants().Retrieve(id) : store->tenants().Get(id);
    if (!tenant.ok()) Die("tenant read: " + tenant.status().ToString());
    benchmark::DoNotOptimize(tenant);
  }
}

void BM_TenantRetrieve(benchmark::State& state) { TenantRead(state, true); }
BENCHMARK(BM_TenantRetrieve)->Name("Tenant/Retrieve")->Unit(benchmark::kMicrosecond);

void BM_TenantStoreGet(benchmark::State& state) { TenantRead(state, false); }
BENCHMARK(BM_TenantStoreGet)->Name("Tenant/StoreGet")->Unit(benchmark::kMicrosecond);

struct Registrar {
  Registrar() {
    for (const Scheme& scheme : kSchemes) {
      benchmark::RegisterBenchmark((std::string("Login/") + scheme.name).c_str(), BM_Login, scheme)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark((std::string("RawHash/") + scheme.name).c_str(), BM_RawHash,
                                   scheme)
          ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark("Refresh/HS256", BM_Refresh, KeyAlgorithm::kHs256)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("Refresh/RS256", BM_Refresh, KeyAlgorithm::kRs256)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("Validate/ES256", BM_Validate, KeyAlgorithm::kEs256)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("Validate/RS256", BM_Validate, KeyAlgorithm::kRs256)
        ->Unit(benchmark::kMicrosecond);
  }
} registrar;

}  // namespace
