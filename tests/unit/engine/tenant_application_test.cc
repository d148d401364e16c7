// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "bulwark/testing/status_matchers.h"
#include "engine_fixture.h"

namespace bulwark {
namespace {

using test::EngineFixture;

std::vector<std::string> RoleNames(const Application& app) {
  std::vector<std::string> names;
  for (const ApplicationRole& r : app.roles) names.push_back(r.name);
  return names;
}

TEST_CASE("tenants: create, retrieve, update, delete", "[engine][tenant]") {
  EngineFixture f;
  Tenant t;
  t.name = "Hooli";
  t.issuer = "hooli.example";
  Result<Tenant> created = f.engine->tenants().Create(t);
  REQUIRE_OK(created);
  CHECK_FALSE(created->id.IsNil());
  CHECK(created->insert_instant == f.clock->Now());
  CHECK(created->last_update_instant == f.clock->Now());
  CHECK(*f.engine->tenants().Retrieve(created->id) == *created);

  f.clock->Advance(std::chrono::seconds(10));
  Tenant changed = *created;
  changed.issuer = "login.hooli.example";
  changed.insert_instant = Instant{};  // ignored: the stored one is kept
  Result<Tenant> updated = f.engine->tenants().Update(changed);
  REQUIRE_OK(updated);
  CHECK(updated->issuer == "login.hooli.example");
  CHECK(updated->insert_instant == created->insert_instant);
  CHECK(updated->last_update_instant == f.clock->Now());
  CHECK(f.engine->tenants().Retrieve(created->id)->issuer == "login.hooli.example");

  REQUIRE_OK(f.engine->tenants().Delete(created->id));
  CHECK(f.engine->tenants().Retrieve(created->id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->tenants().Delete(created->id).code() == StatusCode::kNotFound);
}

TEST_CASE("tenants: validation and uniqueness", "[engine][tenant]") {
  EngineFixture f;
  Tenant blank;
  Result<Tenant> r = f.engine->tenants().Create(blank);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().errors().HasField("blank", "tenant.name"));

  Tenant a;
  a.name = "Hooli";
  REQUIRE_OK(f.engine->tenants().Create(a));
  Result<Tenant> dup = f.engine->tenants().Create(a);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().code() == StatusCode::kAlreadyExists);
  CHECK(dup.status().errors().HasField("duplicate", "tenant.name"));

  Tenant missing;
  missing.id = REQUIRE_VALUE(TenantId::Parse("5a0f2f2e-0000-4000-8000-000000000001"));
  missing.name = "Nobody";
  CHECK(f.engine->tenants().Update(missing).status().code() == StatusCode::kNotFound);
}

TEST_CASE("applications: create in the default tenant with roles", "[engine][application]") {
  EngineFixture f;
  Application app = f.MakeApp();
  CHECK(app.tenant_id == f.default_tenant());
  CHECK(app.active);
  CHECK(app.state == ObjectState::kActive);
  CHECK(app.insert_instant == f.clock->Now());
  REQUIRE(app.roles.size() == 3);
  for (const ApplicationRole& role : app.roles) {
    CHECK_FALSE(role.id.IsNil());
    CHECK(role.insert_instant == f.clock->Now());
  }
  // A client secret is generated: 32 random bytes, Base64.
  CHECK(app.oauth_configuration.client_secret.size() == 44);
  CHECK(f.MakeApp("Another").oauth_configuration.client_secret !=
        app.oauth_configuration.client_secret);
  Result<Application> back = f.engine->applications().Retrieve(app.id);
  REQUIRE_OK(back);
  CHECK(back->oauth_configuration.client_secret == app.oauth_configuration.client_secret);
  CHECK(back->name == "Pied Piper");
  auto names = RoleNames(*back);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"admin", "user", "viewer"});
}

TEST_CASE("applications: errors", "[engine][application]") {
  EngineFixture f;
  Application blank;
  CHECK(f.engine->applications().Create(blank).status().errors().HasField("blank",
                                                                          "application.name"));

  Application orphan;
  orphan.name = "Orphan";
  orphan.tenant_id = REQUIRE_VALUE(TenantId::Parse("5a0f2f2e-0000-4000-8000-000000000002"));
  Result<Application> r = f.engine->applications().Create(orphan);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().errors().HasField("invalid", "application.tenantId"));

  Application twice;
  twice.name = "Twice";
  ApplicationRole role;
  role.name = "admin";
  twice.roles = {role, role};
  Result<Application> dup_roles = f.engine->applications().Create(twice);
  REQUIRE_FALSE(dup_roles.ok());
  CHECK(dup_roles.status().errors().HasField("duplicate", "role.name"));

  // Application ids are unique across tenants.
  Application first = f.MakeApp("First");
  Tenant other;
  other.name = "Other";
  other = REQUIRE_VALUE(f.engine->tenants().Create(other));
  Application clash;
  clash.id = first.id;
  clash.tenant_id = other.id;
  clash.name = "Clash";
  Result<Application> c = f.engine->applications().Create(clash);
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == StatusCode::kAlreadyExists);
  CHECK(c.status().errors().HasField("duplicate", "application.id"));
}

TEST_CASE("applications: deactivate, reactivate, list by state, hard delete",
          "[engine][application]") {
  EngineFixture f;
  Application a = f.MakeApp("A");
  Application b = f.MakeApp("B");
  Result<Application> off = f.engine->applications().Deactivate(a.id);
  REQUIRE_OK(off);
  CHECK_FALSE(off->active);
  CHECK(off->state == ObjectState::kInactive);

  auto active = REQUIRE_VALUE(f.engine->applications().RetrieveAll(f.default_tenant()));
  REQUIRE(active.size() == 1);
  CHECK(active[0].id == b.id);
  auto inactive = f.engine->applications()
                      .RetrieveAll(f.default_tenant(), ApplicationFilter::kInactive)
                      .value();
  REQUIRE(inactive.size() == 1);
  CHECK(inactive[0].id == a.id);

  REQUIRE_OK(f.engine->applications().Reactivate(a.id));
  CHECK(f.engine->applications().Retrieve(a.id)->active);
  CHECK(f.engine->applications().RetrieveAll(f.default_tenant())->size() == 2);

  REQUIRE_OK(f.engine->applications().Delete(a.id));
  CHECK(f.engine->applications().Retrieve(a.id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->applications().Delete(a.id).code() == StatusCode::kNotFound);
}

TEST_CASE("applications: update keeps tenant, roles and insertInstant", "[engine][application]") {
  EngineFixture f;
  Application app = f.MakeApp();
  f.clock->Advance(std::chrono::minutes(1));
  Application change = app;
  change.name = "Pied Piper 2";
  change.roles.clear();
  change.tenant_id = TenantId{};
  change.oauth_configuration.client_secret.clear();
  change.login_configuration.generate_refresh_tokens = true;
  Result<Application> updated = f.engine->applications().Update(change);
  REQUIRE_OK(updated);
  CHECK(updated->oauth_configuration.client_secret == app.oauth_configuration.client_secret);
  CHECK(f.engine->applications().Retrieve(app.id)->login_configuration.generate_refresh_tokens);
  CHECK(updated->name == "Pied Piper 2");
  CHECK(updated->roles.size() == 3);
  CHECK(updated->tenant_id == app.tenant_id);
  CHECK(updated->insert_instant == app.insert_instant);
  CHECK(updated->last_update_instant == f.clock->Now());
}

TEST_CASE("roles: create, update, delete; registrations follow", "[engine][application]") {
  EngineFixture f;
  Application app = f.MakeApp();
  ApplicationRole editor;
  editor.name = "editor";
  Result<ApplicationRole> created = f.engine->applications().CreateRole(app.id, editor);
  REQUIRE_OK(created);
  CHECK_FALSE(created->id.IsNil());
  CHECK(f.engine->applications()
            .CreateRole(app.id, editor)
            .status()
            .errors()
            .HasField("duplicate", "role.name"));
  ApplicationRole blank;
  CHECK(f.engine->applications()
            .CreateRole(app.id, blank)
            .status()
            .errors()
            .HasField("blank", "role.name"));

  User user =
      REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("gilfoyle@example.com")));
  Registration reg;
  reg.application_id = app.id;
  reg.roles = {"editor", "admin"};
  REQUIRE_OK(f.engine->registrations().Create(user.id, reg));

  // Rename: the registration carries the new name.
  ApplicationRole renamed = *created;
  renamed.name = "writer";
  REQUIRE_OK(f.engine->applications().UpdateRole(app.id, renamed));
  auto roles = f.engine->registrations().Retrieve(user.id, app.id)->roles;
  std::sort(roles.begin(), roles.end());
  CHECK(roles == std::vector<std::string>{"admin", "writer"});

  // Delete: the registration stops carrying it.
  REQUIRE_OK(f.engine->applications().DeleteRole(app.id, created->id));
  CHECK(f.engine->registrations().Retrieve(user.id, app.id)->roles ==
        std::vector<std::string>{"admin"});
  CHECK(f.engine->applications().DeleteRole(app.id, created->id).code() == StatusCode::kNotFound);
  CHECK(f.engine->applications().UpdateRole(app.id, renamed).status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("engine: deleting a tenant removes its applications, users and registrations",
          "[engine][tenant]") {
  EngineFixture f;
  Tenant t;
  t.name = "Doomed";
  t = REQUIRE_VALUE(f.engine->tenants().Create(t));
  Application app;
  app.name = "Doomed app";
  app.tenant_id = t.id;
  ApplicationRole role;
  role.name = "member";
  role.is_default = true;
  app.roles = {role};
  app = REQUIRE_VALUE(f.engine->applications().Create(app));
  User u = EngineFixture::NewUser("dinesh@example.com");
  u.tenant_id = t.id;
  Registration reg;
  reg.application_id = app.id;
  UserRegistration ur = REQUIRE_VALUE(f.engine->registrations().Register(u, reg));
  CHECK(ur.registration.roles == std::vector<std::string>{"member"});

  // Emails are unique per tenant only: the default tenant may hold the same one.
  User same = REQUIRE_VALUE(f.engine->users().Create(EngineFixture::NewUser("dinesh@example.com")));

  REQUIRE_OK(f.engine->tenants().Delete(t.id));
  CHECK(f.engine->applications().Retrieve(app.id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->users().Retrieve(ur.user.id).status().code() == StatusCode::kNotFound);
  CHECK(f.engine->registrations().Retrieve(ur.user.id, app.id).status().code() ==
        StatusCode::kNotFound);
  CHECK_OK(f.engine->users().Retrieve(same.id));
}

}  // namespace
}  // namespace bulwark
