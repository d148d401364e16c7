// SPDX-License-Identifier: Apache-2.0
//
// bulwark quickstart: open (or create) a SQLite file, then make sure it holds a tenant, an
// application with roles, and a user registered to the application. Prints what it made (or
// found, on a second run) as FusionAuth-shaped JSON. Nothing secret is printed: the password
// comes from BULWARK_QUICKSTART_PASSWORD (default "quickstart-password") and is stored only as
// a salted PBKDF2 hash.
//
//   bulwark_quickstart [path/to/file.db]

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/engine.h"
#include "bulwark/http/wire_json.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/version.h"

namespace {

constexpr const char* kTenantName = "Quickstart";
constexpr const char* kApplicationName = "Quickstart App";
constexpr const char* kEmail = "richard@piedpiper.example";

int Fail(const char* what, const bulwark::Status& status) {
  std::fprintf(stderr, "quickstart: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

void Print(const char* label, const nlohmann::json& json) {
  std::printf("%s:\n%s\n\n", label, json.dump(2).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "bulwark-quickstart.db";
  std::printf("bulwark %s quickstart — store: %s\n\n", BULWARK_VERSION_STRING, path.c_str());

  auto store = bulwark::OpenSqliteStore({.path = path});
  if (!store.ok()) return Fail("open store", store.status());
  auto opened = bulwark::Engine::Open({.store = std::move(*store)});
  if (!opened.ok()) return Fail("open engine", opened.status());
  bulwark::Engine& engine = **opened;

  // The tenant (found by name on a second run).
  bulwark::Tenant tenant;
  auto tenants = engine.tenants().RetrieveAll();
  if (!tenants.ok()) return Fail("list tenants", tenants.status());
  bool found = false;
  for (const bulwark::Tenant& t : *tenants) {
    if (t.name == kTenantName) {
      tenant = t;
      found = true;
    }
  }
  if (!found) {
    tenant.name = kTenantName;
    tenant.issuer = "quickstart.bulwark.example";
    auto created = engine.tenants().Create(tenant);
    if (!created.ok()) return Fail("create tenant", created.status());
    tenant = *created;
  }
  Print(found ? "tenant (existing)" : "tenant (created)", bulwark::ToJson(tenant));

  // The application with roles.
  bulwark::Application app;
  auto apps = engine.applications().RetrieveAll(tenant.id);
  if (!apps.ok()) return Fail("list applications", apps.status());
  found = false;
  for (const bulwark::Application& a : *apps) {
    if (a.name == kApplicationName) {
      app = a;
      found = true;
    }
  }
  if (!found) {
    app.name = kApplicationName;
    app.tenant_id = tenant.id;
    bulwark::ApplicationRole admin;
    admin.name = "admin";
    admin.description = "Can do everything";
    admin.is_super_role = true;
    bulwark::ApplicationRole user;
    user.name = "user";
    user.description = "Every registered user";
    user.is_default = true;
    app.roles = {admin, user};
    auto created = engine.applications().Create(app);
    if (!created.ok()) return Fail("create application", created.status());
    app = *created;
  }
  Print(found ? "application (existing)" : "application (created)", bulwark::ToJson(app));

  // The user with a registration (default roles).
  const char* env_password = std::getenv("BULWARK_QUICKSTART_PASSWORD");
  const std::string password = env_password != nullptr ? env_password : "quickstart-password";
  auto existing = engine.users().RetrieveByEmail(tenant.id, kEmail);
  bulwark::User user;
  if (existing.ok()) {
    user = *existing;
    Print("user (existing)", bulwark::ToJson(user));
  } else if (existing.status().code() != bulwark::StatusCode::kNotFound) {
    return Fail("find user", existing.status());
  } else {
    user.tenant_id = tenant.id;
    user.email = kEmail;
    user.username = "richard";
    user.first_name = "Richard";
    user.last_name = "Hendricks";
    user.password = password;
    bulwark::Registration registration;
    registration.application_id = app.id;
    auto made = engine.registrations().Register(std::move(user), std::move(registration));
    if (!made.ok()) return Fail("register user", made.status());
    user = made->user;
    Print("user (created, with registration)", bulwark::ToJson(user));
  }

  // Log in through the Login API and show the access token's claims (never the token).
  bulwark::LoginRequest login;
  login.login_id = kEmail;
  login.password = password;
  login.application_id = app.id;
  auto logged_in = engine.login().Login(login);
  if (!logged_in.ok()) return Fail("login", logged_in.status());
  std::printf("login: %d\n", bulwark::HttpStatusOf(logged_in->outcome));  // FusionAuth's code
  if (!logged_in->token.empty()) {
    auto claims = engine.tokens().Validate(logged_in->token);
    if (!claims.ok()) return Fail("validate the access token", claims.status());
    Print("access token claims", *claims);
  }

  std::printf("tenants: %zu, default tenant: %s\n", engine.tenants().RetrieveAll()->size(),
              engine.default_tenant_id().ToString().c_str());
  std::printf("user %s is registered to %zu application(s)\n", user.id.ToString().c_str(),
              user.registrations.size());
  return 0;
}
