// SPDX-License-Identifier: Apache-2.0
//
// Emails, usernames and managed domains are one identity under Unicode simple case folding
// (core/case_folding.h), not under NFKC: "ÜNI@" and "üni@" are one address, fullwidth and
// look-alike letters are not. Every scenario runs on ":memory:" and on a file. The expected
// matches are written from CaseFolding.txt by hand.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "bulwark/store/sqlite_store.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::Insert;
using store_test::MakeProvider;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::TestDb;

// The id of the user found by `email`, or a nil id when none is.
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

TEST_CASE("an email that differs from a stored one only in non-ASCII case is a duplicate",
          "[store][casefold]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  const Tenant other = MakeTenant("other");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  STORE_REQUIRE_OK(Insert(*store, other));
  const User uni = MakeUser(tenant, "\u00DCNI@example.com");  // ÜNI
  STORE_REQUIRE_OK(Insert(*store, uni));

  SECTION("the small-letter spelling is [duplicate]user.email") {
    const User again = MakeUser(tenant, "\u00FCni@example.com");  // üni
    Status s = Insert(*store, again);
    CHECK(s.code() == StatusCode::kAlreadyExists);
    CHECK(s.errors().HasField("duplicate", "user.email"));
    CHECK(store->users().Get(again.id).status().code() == StatusCode::kNotFound);
  }
  SECTION("so is a mixed spelling, and Greek sigma in any of its three forms") {
    CHECK(Insert(*store, MakeUser(tenant, "\u00FCNi@EXAMPLE.com"))
              .errors()
              .HasField("duplicate", "user.email"));
    // ΟΔΥΣΣΕΥΣ and οδυσσευς (final sigma) fold alike.
    STORE_REQUIRE_OK(
        Insert(*store, MakeUser(tenant, "\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3@x.gr")));
    CHECK(Insert(*store, MakeUser(tenant, "\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C2@x.gr"))
              .errors()
              .HasField("duplicate", "user.email"));
  }
  SECTION("another tenant may use it") {
    STORE_CHECK_OK(Insert(*store, MakeUser(other, "\u00FCni@example.com")));
  }
  SECTION("the user's own update may change the case") {
    User renamed = uni;
    renamed.email = "\u00FCni@example.com";
    WriteBatch update;
    update.Update(renamed);
    STORE_CHECK_OK(store->Apply(update));
  }
  SECTION("a batch holding both spellings writes neither") {
    const User first = MakeUser(tenant, "\u00C9COLE@example.com");   // ÉCOLE
    const User second = MakeUser(tenant, "\u00E9cole@example.com");  // école
    WriteBatch batch;
    batch.Insert(first);
    batch.Insert(second);
    Status s = store->Apply(batch);
    CHECK(s.errors().HasField("duplicate", "user.email"));
    CHECK(store->users().Get(first.id).status().code() == StatusCode::kNotFound);
    CHECK(store->users().Get(second.id).status().code() == StatusCode::kNotFound);
  }
}

TEST_CASE("a user is found by email and username in any Unicode case", "[store][casefold]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  const User uni = MakeUser(tenant, "\u00DCNI@example.com", "J\u00DCRGEN");  // ÜNI, JÜRGEN
  STORE_REQUIRE_OK(Insert(*store, uni));
  for (std::string_view email : {"\u00DCNI@example.com", "\u00FCni@example.com",
                                 "\u00FCNI@EXAMPLE.COM", "\u00DCni@Example.Com"}) {
    INFO(email);
    CHECK(ByEmail(*store, tenant, email) == uni.id);
  }
  for (std::string_view username : {"J\u00DCRGEN", "j\u00FCrgen", "J\u00FCrgen"}) {
    INFO(username);
    CHECK(ByUsername(*store, tenant, username) == uni.id);
  }
  CHECK(Insert(*store, MakeUser(tenant, "", "j\u00FCrgen"))
            .errors()
            .HasField("duplicate", "user.username"));
  // Deseret (an astral-plane script): 10400 folds to 10428.
  const User deseret = MakeUser(tenant, "\U00010400@example.com");
  STORE_REQUIRE_OK(Insert(*store, deseret));
  CHECK(ByEmail(*store, tenant, "\U00010428@example.com") == deseret.id);
}

TEST_CASE("fullwidth, look-alike and decomposed spellings stay distinct accounts",
          "[store][casefold]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  const User ascii = MakeUser(tenant, "uni@example.com");
  const User fullwidth = MakeUser(tenant, "\uFF55\uFF4E\uFF49@example.com");  // ｕｎｉ
  const User umlaut = MakeUser(tenant, "\u00FCni@example.com");               // üni
  const User decomposed = MakeUser(tenant, "u\u0308ni@example.com");          // u + ◌̈
  const User latin = MakeUser(tenant, "admin@example.com");
  const User cyrillic = MakeUser(tenant, "\u0430dmin@example.com");  // Cyrillic а
  const User sharp = MakeUser(tenant, "stra\u00DFe@example.com");    // ß
  const User ss = MakeUser(tenant, "strasse@example.com");
  const User dotted = MakeUser(tenant, "\u0130nci@example.com");  // Turkish İ
  const User plain_i = MakeUser(tenant, "inci@example.com");
  for (const User* user : {&ascii, &fullwidth, &umlaut, &decomposed, &latin, &cyrillic, &sharp, &ss,
                           &dotted, &plain_i}) {
    INFO(user->email);
    STORE_REQUIRE_OK(Insert(*store, *user));
  }
  CHECK(ByEmail(*store, tenant, "UNI@example.com") == ascii.id);
  CHECK(ByEmail(*store, tenant, "\uFF35\uFF2E\uFF29@example.com") == fullwidth.id);  // ＵＮＩ
  CHECK(ByEmail(*store, tenant, "\u00DCNI@example.com") == umlaut.id);
  CHECK(ByEmail(*store, tenant, "U\u0308NI@example.com") == decomposed.id);
  CHECK(ByEmail(*store, tenant, "ADMIN@example.com") == latin.id);
  CHECK(ByEmail(*store, tenant, "\u0410DMIN@example.com") == cyrillic.id);  // Cyrillic А
  // Capital sharp s (1E9E) folds to ß (status S), never to "ss".
  CHECK(ByEmail(*store, tenant, "STRA\u1E9EE@example.com") == sharp.id);
  CHECK(ByEmail(*store, tenant, "STRASSE@example.com") == ss.id);
  // İ has no simple folding: it is neither "i" nor "I", and matches only itself.
  CHECK(ByEmail(*store, tenant, "INCI@example.com") == plain_i.id);
  CHECK(ByEmail(*store, tenant, "\u0130NCI@example.com") == dotted.id);
  // The fullwidth capitals fold onto the fullwidth small letters, so they are one address.
  CHECK(Insert(*store, MakeUser(tenant, "\uFF35\uFF2E\uFF29@example.com"))
            .errors()
            .HasField("duplicate", "user.email"));
  // A look-up with bytes that are not UTF-8 finds nobody (and does not fail otherwise).
  CHECK(ByEmail(*store, tenant, "\xC3ni@example.com") == UserId());
  CHECK(ByEmail(*store, tenant, "\xC3\x9Cni@example.com") == umlaut.id);
}

TEST_CASE("managed domains are one domain in any Unicode case", "[store][casefold]") {
  TestDb db(GENERATE(Backend::kMemory, Backend::kFile));
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  const IdentityProvider books =
      MakeProvider("books", {"B\u00DCCHER.example", "b\u00FCcher.example"}, tenant.id);
  STORE_REQUIRE_OK(Insert(*store, books));
  // Stored folded, each once.
  CHECK(store->identity_providers().Get(books.id)->domains ==
        std::vector<std::string>{"b\u00FCcher.example"});
  for (std::string_view domain :
       {"b\u00FCcher.example", "B\u00DCCHER.EXAMPLE", "B\u00FCcher.Example"}) {
    INFO(domain);
    Result<IdentityProvider> found = store->identity_providers().FindByDomain(domain, tenant.id);
    STORE_REQUIRE_OK(found.status());
    CHECK(found->id == books.id);
  }
  CHECK(store->identity_providers().FindByDomain("bucher.example", tenant.id).status().code() ==
        StatusCode::kNotFound);
  Status s = Insert(*store, MakeProvider("more books", {"B\u00DCcher.example"}, tenant.id));
  CHECK(s.errors().HasField("duplicate", "identityProvider.domains"));
}

}  // namespace
}  // namespace bulwark
