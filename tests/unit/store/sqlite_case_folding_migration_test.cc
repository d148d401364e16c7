// SPDX-License-Identifier: Apache-2.0
//
// Schema version 5 folds the email, username and domain keys of a version-4 file (which
// lower-cased them in ASCII only). Users that were distinct then and fold alike now all stay:
// the oldest holds the folded key, the others are displaced but still found by the lookups
// that found them before, and no new user can take their address.
//
// A version-4 writer is gone, so its rows are written here as it wrote them: the document,
// and the keys lower-cased in ASCII, spelled out by hand.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/status_matchers.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "unit/store/old_schema_support.h"
#include "unit/store/store_test_support.h"

namespace bulwark::internal::sqlite {
namespace {

using store_test::At;
using store_test::Insert;
using store_test::InsertOldUser;
using store_test::MakeProvider;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::QueryInt;
using store_test::Raw;
using store_test::TempDbPath;

constexpr int kVersion4 = 4;

User UserAt(const Tenant& tenant, std::string email, std::string username, std::int64_t at) {
  User user = MakeUser(tenant, std::move(email), std::move(username));
  user.insert_instant = At(at);
  user.last_update_instant = At(at);
  return user;
}

UserId ByEmail(Store& store, const Tenant& tenant, std::string_view email) {
  Result<User> found = store.users().FindByEmail(tenant.id, email);
  if (!found.ok()) {
    INFO(found.status().ToString());
    CHECK(found.status().code() == StatusCode::kNotFound);
    return UserId();
  }
  return found->id;
}

UserId ByUsername(Store& store, const Tenant& tenant, std::string_view username) {
  Result<User> found = store.users().FindByUsername(tenant.id, username);
  if (!found.ok()) {
    INFO(found.status().ToString());
    CHECK(found.status().code() == StatusCode::kNotFound);
    return UserId();
  }
  return found->id;
}

Status Update(Store& store, const User& user) {
  WriteBatch batch;
  batch.Update(user);
  return store.Apply(batch);
}

Status Delete(Store& store, UserId id) {
  WriteBatch batch;
  batch.Delete(id);
  return store.Apply(batch);
}

TEST_CASE("a version-4 file folds its keys on open and keeps every user, colliding ones too",
          "[store][migration][casefold]") {
  TempDbPath file;
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  // ÜNI (newer) and üni (older): distinct under ASCII lower case, one address when folded.
  // The newer one is written first, so that age and not row order decides.
  const User upper = UserAt(tenant, "\u00DCNI@example.com", "", 20);
  const User lower = UserAt(tenant, "\u00FCni@example.com", "", 10);
  // Three spellings of ÄÖ, the middle-aged one first.
  const User ao_upper = UserAt(tenant, "\u00C4\u00D6@example.com", "", 32);
  const User ao_mixed = UserAt(tenant, "\u00E4\u00D6@example.com", "", 31);
  const User ao_lower = UserAt(tenant, "\u00E4\u00F6@example.com", "", 33);
  // The Kelvin sign (212A) folds to ASCII k: the older Kelvin-sign row takes the key that the
  // newer ASCII row holds.
  const User kelvin_sign = UserAt(tenant, "\u212Aelvin@example.com", "", 40);
  const User kelvin_ascii = UserAt(tenant, "Kelvin@example.com", "", 41);
  // Usernames: Jürgen (older) and JÜRGEN.
  const User jurgen = UserAt(tenant, "", "J\u00FCrgen", 50);
  const User jurgen_upper = UserAt(tenant, "", "J\u00DCRGEN", 51);
  // Alone: ÉCOLE, keyed "École" by version 4, becomes findable as "école".
  const User ecole = UserAt(tenant, "\u00C9COLE@example.com", "", 60);
  // The same address in another tenant collides with nobody.
  const User elsewhere = UserAt(other, "\u00DCNI@example.com", "", 70);

  const IdentityProvider books = MakeProvider("books", {"books.example"}, tenant.id);
  const IdentityProvider buecher = MakeProvider("buecher", {"buecher.example"}, tenant.id);
  const IdentityProvider cafe = MakeProvider("cafe", {"cafe.example"}, tenant.id);
  {
    Result<std::unique_ptr<Store>> v4 =
        OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, kVersion4));
    REQUIRE_OK(v4);
    STORE_REQUIRE_OK(Insert(**v4, tenant));
    STORE_REQUIRE_OK(Insert(**v4, other));
    STORE_REQUIRE_OK(Insert(**v4, books));
    STORE_REQUIRE_OK(Insert(**v4, buecher));
    STORE_REQUIRE_OK(Insert(**v4, cafe));
  }
  InsertOldUser(file.path(), upper, "\u00DCni@example.com", "");
  InsertOldUser(file.path(), lower, "\u00FCni@example.com", "");
  InsertOldUser(file.path(), ao_mixed, "\u00E4\u00D6@example.com", "");
  InsertOldUser(file.path(), ao_upper, "\u00C4\u00D6@example.com", "");
  InsertOldUser(file.path(), ao_lower, "\u00E4\u00F6@example.com", "");
  InsertOldUser(file.path(), kelvin_ascii, "kelvin@example.com", "");
  InsertOldUser(file.path(), kelvin_sign, "\u212Aelvin@example.com", "");
  InsertOldUser(file.path(), jurgen_upper, "", "j\u00DCrgen");
  InsertOldUser(file.path(), jurgen, "", "j\u00FCrgen");
  InsertOldUser(file.path(), ecole, "\u00C9cole@example.com", "");
  InsertOldUser(file.path(), elsewhere, "\u00DCni@example.com", "");
  // Version 4 kept domains lower-cased in ASCII ("BÜCHER.example" as "bÜcher.example"; only
  // through the Store: the engine allowed ASCII host names only). "books" manages bücher and
  // "buecher" bÜcher, legal then, one domain now; "cafe" manages cafÉ alone.
  {
    std::unique_ptr<Connection> raw = Raw(file.path());
    STORE_REQUIRE_OK(
        raw->ExecScript("UPDATE identity_provider_domains SET domain_lower = 'b\u00FCcher.example' "
                        "WHERE domain_lower = 'books.example'; "
                        "UPDATE identity_provider_domains SET domain_lower = 'b\u00DCcher.example' "
                        "WHERE domain_lower = 'buecher.example'; "
                        "UPDATE identity_provider_domains SET domain_lower = 'caf\u00C9.example' "
                        "WHERE domain_lower = 'cafe.example';"));
  }
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == kVersion4);

  Result<std::unique_ptr<Store>> opened = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_OK(opened);
  Store& store = **opened;
  // Every later step runs too (version 6 adds the artefacts table).
  const int latest = static_cast<int>(DefaultMigrations().size());
  CHECK(store.SchemaVersion() == latest);
  CHECK(QueryInt(file.path(), "PRAGMA user_version") == latest);

  SECTION("nobody is lost and each keeps the document it had") {
    CHECK(*store.users().CountByTenant(tenant.id) == 10);
    for (const User* user : {&upper, &lower, &ao_upper, &ao_mixed, &ao_lower, &kelvin_sign,
                             &kelvin_ascii, &jurgen, &jurgen_upper, &ecole}) {
      INFO(user->email << user->username);
      Result<User> got = store.users().Get(user->id);
      STORE_REQUIRE_OK(got.status());
      CHECK(*got == store_test::Stored(*user));
    }
    // Displaced: ÜNI, two of the ÄÖ, the ASCII Kelvin and JÜRGEN.
    CHECK(QueryInt(file.path(), "SELECT count(*) FROM users WHERE email_displaced <> ''") == 4);
    CHECK(QueryInt(file.path(), "SELECT count(*) FROM users WHERE username_displaced <> ''") == 1);
  }
  SECTION("the oldest of each group takes the address in every spelling but the others' own") {
    CHECK(ByEmail(store, tenant, "\u00FCni@example.com") == lower.id);
    CHECK(ByEmail(store, tenant, "\u00FCNI@EXAMPLE.COM") == lower.id);
    CHECK(ByEmail(store, tenant, "\u00C4\u00F6@example.com") == ao_mixed.id);
    CHECK(ByEmail(store, tenant, "\u00E4\u00D6@EXAMPLE.com") == ao_mixed.id);
    CHECK(ByEmail(store, tenant, "\u212Aelvin@example.com") == kelvin_sign.id);
    CHECK(ByUsername(store, tenant, "j\u00FCrgen") == jurgen.id);
  }
  SECTION("a displaced user is still found by what found it before (ASCII case aside)") {
    CHECK(ByEmail(store, tenant, "\u00DCNI@example.com") == upper.id);
    CHECK(ByEmail(store, tenant, "\u00DCni@Example.com") == upper.id);
    CHECK(ByEmail(store, tenant, "\u00C4\u00D6@example.com") == ao_upper.id);
    CHECK(ByEmail(store, tenant, "\u00E4\u00F6@EXAMPLE.COM") == ao_lower.id);
    CHECK(ByEmail(store, tenant, "KELVIN@example.com") == kelvin_ascii.id);
    CHECK(ByEmail(store, tenant, "kelvin@example.com") == kelvin_ascii.id);
    CHECK(ByUsername(store, tenant, "J\u00DCRGEN") == jurgen_upper.id);
    CHECK(ByUsername(store, tenant, "j\u00DCrgen") == jurgen_upper.id);
  }
  SECTION("a lone non-ASCII key is folded and so found in any case") {
    CHECK(ByEmail(store, tenant, "\u00E9cole@example.com") == ecole.id);
    CHECK(ByEmail(store, tenant, "\u00C9COLE@example.com") == ecole.id);
    CHECK(ByEmail(store, other, "\u00FCni@example.com") == elsewhere.id);
  }
  SECTION("no new user can take a collided address, in any spelling") {
    for (std::string_view email :
         {"\u00FCni@example.com", "\u00DCNI@example.com", "\u00DCnI@example.com",
          "\u00C4\u00D6@example.com", "kelvin@example.com"}) {
      INFO(email);
      CHECK(Insert(store, MakeUser(tenant, std::string(email)))
                .errors()
                .HasField("duplicate", "user.email"));
    }
    CHECK(Insert(store, MakeUser(tenant, "", "J\u00DCRGEN"))
              .errors()
              .HasField("duplicate", "user.username"));
  }
  SECTION("a displaced user can be updated while it keeps its address") {
    User renamed = upper;
    renamed.first_name = "Uni";
    STORE_REQUIRE_OK(Update(store, renamed));
    CHECK(store.users().Get(upper.id)->first_name == "Uni");
    CHECK(ByEmail(store, tenant, "\u00DCNI@example.com") == upper.id);
    CHECK(ByEmail(store, tenant, "\u00FCni@example.com") == lower.id);
    // Changing only ASCII case keeps it too.
    renamed.email = "\u00DCni@example.com";
    STORE_REQUIRE_OK(Update(store, renamed));
    CHECK(ByEmail(store, tenant, "\u00DCNI@example.com") == upper.id);
  }
  SECTION("a displaced user cannot move to another spelling of the address") {
    User moved = upper;
    moved.email = "\u00FCni@example.com";  // the older user's own spelling
    CHECK(Update(store, moved).errors().HasField("duplicate", "user.email"));
    moved.email = "\u00FCNI@example.com";
    CHECK(Update(store, moved).errors().HasField("duplicate", "user.email"));
    CHECK(ByEmail(store, tenant, "\u00FCni@example.com") == lower.id);
  }
  SECTION("a displaced user who takes a new address becomes an ordinary user") {
    User moved = upper;
    moved.email = "\u00DCNI2@example.com";
    STORE_REQUIRE_OK(Update(store, moved));
    CHECK(ByEmail(store, tenant, "\u00FCni2@example.com") == upper.id);
    CHECK(ByEmail(store, tenant, "\u00DCNI@example.com") == lower.id);
    CHECK(QueryInt(file.path(), "SELECT count(*) FROM users WHERE email_displaced <> ''") == 3);
  }
  SECTION("once the holder is gone the address stays reserved, and the next update claims it") {
    STORE_REQUIRE_OK(Delete(store, lower.id));
    CHECK(Insert(store, MakeUser(tenant, "\u00FCni@example.com"))
              .errors()
              .HasField("duplicate", "user.email"));
    CHECK(ByEmail(store, tenant, "\u00DCNI@example.com") == upper.id);
    STORE_REQUIRE_OK(Update(store, upper));
    CHECK(ByEmail(store, tenant, "\u00FCni@example.com") == upper.id);
    CHECK(ByEmail(store, tenant, "\u00DCNI@example.com") == upper.id);
  }
  SECTION("domains are folded unless the folded domain is already managed in the scope") {
    Result<IdentityProvider> found =
        store.identity_providers().FindByDomain("B\u00DCCHER.example", tenant.id);
    STORE_REQUIRE_OK(found.status());
    CHECK(found->id == books.id);
    found = store.identity_providers().FindByDomain("CAF\u00C9.example", tenant.id);
    STORE_REQUIRE_OK(found.status());
    CHECK(found->id == cafe.id);
    CHECK(QueryInt(file.path(),
                   "SELECT count(*) FROM identity_provider_domains "
                   "WHERE domain_lower = 'caf\u00E9.example'") == 1);
    // The one that lost is left as it was, and its provider is intact.
    CHECK(QueryInt(file.path(),
                   "SELECT count(*) FROM identity_provider_domains "
                   "WHERE domain_lower = 'b\u00DCcher.example'") == 1);
    CHECK(store.identity_providers().Get(buecher.id)->name == "buecher");
  }
}

TEST_CASE("a version-4 file without non-ASCII keys migrates without changing a key",
          "[store][migration][casefold]") {
  TempDbPath file;
  const Tenant tenant = MakeTenant("t");
  const User ada = UserAt(tenant, "Ada@Example.com", "Ada", 1);
  {
    Result<std::unique_ptr<Store>> v4 =
        OpenSqliteStore({.path = file.path()}, DefaultMigrations().subspan(0, kVersion4));
    REQUIRE_OK(v4);
    STORE_REQUIRE_OK(Insert(**v4, tenant));
  }
  InsertOldUser(file.path(), ada, "ada@example.com", "ada");
  Result<std::unique_ptr<Store>> opened = bulwark::OpenSqliteStore({.path = file.path()});
  REQUIRE_OK(opened);
  CHECK(QueryInt(file.path(),
                 "SELECT count(*) FROM users WHERE email_lower = 'ada@example.com' "
                 "AND username_lower = 'ada' AND email_displaced = '' "
                 "AND email_legacy_lower = ''") == 1);
  CHECK(ByEmail(**opened, tenant, "ADA@EXAMPLE.COM") == ada.id);
  CHECK(ByUsername(**opened, tenant, "ADA") == ada.id);
}

}  // namespace
}  // namespace bulwark::internal::sqlite
