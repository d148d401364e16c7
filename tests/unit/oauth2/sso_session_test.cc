// SPDX-License-Identifier: Apache-2.0
//
// SSO sessions (oauth2/sso_session.h) on the SQLite store's artefacts: found by their cookie
// in their tenant only, until they expire or end; a new value for every login; the cookie's
// attributes.
#include "oauth2/sso_session.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "bulwark/testing/status_matchers.h"
#include "unit/store/store_test_support.h"

namespace bulwark::oauth2 {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::TestDb;

constexpr std::chrono::seconds kLifetime{3600};

struct Fixture {
  TestDb db{Backend::kMemory};
  std::unique_ptr<Store> store = db.Open();
  Tenant tenant = MakeTenant("t");
  Tenant other = MakeTenant("other");
  User ada = MakeUser(tenant, "ada@example.com");
  User bob = MakeUser(tenant, "bob@example.com");
  Instant now = At(0);

  Fixture() {
    WriteBatch setup;
    setup.Insert(tenant);
    setup.Insert(other);
    setup.Insert(ada);
    setup.Insert(bob);
    REQUIRE_OK(store->Apply(setup));
  }

  StartedSsoSession Start(const User& user) {
    return REQUIRE_VALUE(StartSsoSession(store->artefacts(), Random::Default(), tenant.id, user.id,
                                         now - std::chrono::seconds(1),
                                         AuthenticationType::kPassword, now, kLifetime));
  }

  std::optional<SsoSession> Find(TenantId tenant_id, std::string_view cookie, Instant at) {
    return REQUIRE_VALUE(FindSsoSession(store->artefacts(), tenant_id, cookie, at));
  }
};

TEST_CASE("a session is found by its cookie, in its tenant, until it expires",
          "[oauth2][session]") {
  Fixture f;
  const StartedSsoSession started = f.Start(f.ada);
  CHECK(started.cookie_value.size() == 43);
  CHECK(Uuid::Parse(started.session.session_id).ok());  // a UUID, as FusionAuth's sid
  CHECK(started.session.session_id != started.cookie_value);
  CHECK(started.session.expires_at == f.now + kLifetime);

  const std::optional<SsoSession> found =
      f.Find(f.tenant.id, started.cookie_value, f.now + kLifetime - std::chrono::milliseconds(1));
  REQUIRE(found.has_value());
  CHECK(*found == started.session);
  CHECK(found->user_id == f.ada.id);
  CHECK(found->auth_time == f.now - std::chrono::seconds(1));

  CHECK_FALSE(f.Find(f.tenant.id, started.cookie_value, f.now + kLifetime).has_value());
  CHECK_FALSE(f.Find(f.other.id, started.cookie_value, f.now).has_value());
}

TEST_CASE("a cookie that is not a session's finds nothing", "[oauth2][session][security]") {
  Fixture f;
  const StartedSsoSession started = f.Start(f.ada);
  std::string altered = started.cookie_value;
  altered[5] = altered[5] == 'A' ? 'B' : 'A';
  for (const std::string& cookie : {altered, std::string(), started.session.session_id,
                                    started.cookie_value + "A", started.cookie_value.substr(1)}) {
    INFO(cookie);
    CHECK_FALSE(f.Find(f.tenant.id, cookie, f.now).has_value());
  }
  // The store keeps the digest, not the value.
  CHECK(f.store->artefacts()
            .Get(f.tenant.id, kSsoSessionKind, started.cookie_value, f.now)
            .status()
            .code() == StatusCode::kNotFound);
}

TEST_CASE("every login gets a new session, and ending one leaves the others", "[oauth2][session]") {
  Fixture f;
  const StartedSsoSession first = f.Start(f.ada);
  const StartedSsoSession second = f.Start(f.ada);
  const StartedSsoSession bobs = f.Start(f.bob);
  CHECK(first.cookie_value != second.cookie_value);
  CHECK(first.session.session_id != second.session.session_id);

  REQUIRE_OK(EndSsoSession(f.store->artefacts(), f.tenant.id, first.session.session_id));
  CHECK_FALSE(f.Find(f.tenant.id, first.cookie_value, f.now).has_value());
  CHECK(f.Find(f.tenant.id, second.cookie_value, f.now).has_value());
  CHECK(f.Find(f.tenant.id, bobs.cookie_value, f.now).has_value());
  // Ending it again, or another tenant's id, or nothing, is fine and changes nothing.
  REQUIRE_OK(EndSsoSession(f.store->artefacts(), f.tenant.id, first.session.session_id));
  REQUIRE_OK(EndSsoSession(f.store->artefacts(), f.other.id, second.session.session_id));
  REQUIRE_OK(EndSsoSession(f.store->artefacts(), f.tenant.id, ""));
  CHECK(f.Find(f.tenant.id, second.cookie_value, f.now).has_value());
}

TEST_CASE("deleting the user ends the user's sessions", "[oauth2][session]") {
  Fixture f;
  const StartedSsoSession started = f.Start(f.ada);
  WriteBatch remove;
  remove.Delete(f.ada.id);
  REQUIRE_OK(f.store->Apply(remove));
  CHECK_FALSE(f.Find(f.tenant.id, started.cookie_value, f.now).has_value());
}

TEST_CASE("the session cookie's attributes", "[oauth2][session][security]") {
  CHECK(SsoCookie("v4lue", true, std::chrono::seconds(3600)) ==
        "bulwark.sso=v4lue; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure");
  CHECK(SsoCookie("v4lue", false, std::chrono::seconds(60)) ==
        "bulwark.sso=v4lue; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  CHECK(SsoCookie("", true, std::chrono::seconds(3600)) ==
        "bulwark.sso=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

}  // namespace
}  // namespace bulwark::oauth2
