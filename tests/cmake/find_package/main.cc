// SPDX-License-Identifier: Apache-2.0
// A consumer of the installed package: links bulwark::bulwark and bulwark::testing, opens an
// engine on an in-memory store and creates a user with a registration.
#include <cstdio>
#include <memory>

#include <bulwark/engine.h>
#include <bulwark/store/sqlite_store.h>
#include <bulwark/testing/manual_clock.h>
#include <bulwark/version.h>

int main() {
  auto store = bulwark::OpenSqliteStore({.path = ":memory:"});
  if (!store.ok()) return 1;
  auto clock = std::make_shared<bulwark::testing::ManualClock>();
  auto engine = bulwark::Engine::Open({.store = std::move(*store), .clock = clock});
  if (!engine.ok()) return 2;

  bulwark::Application app;
  app.name = "Consumer";
  bulwark::ApplicationRole role;
  role.name = "member";
  role.is_default = true;
  app.roles = {role};
  auto created = (*engine)->applications().Create(app);
  if (!created.ok()) return 3;

  bulwark::User user;
  user.email = "consumer@example.com";
  user.password = "consumer password";
  bulwark::Registration registration;
  registration.application_id = created->id;
  auto made = (*engine)->registrations().Register(user, registration);
  if (!made.ok() || made->registration.roles.size() != 1) return 4;
  if (made->user.insert_instant != clock->Now()) return 5;

  std::printf("bulwark %s consumer: created user %s\n", BULWARK_VERSION_STRING,
              made->user.id.ToString().c_str());
  return 0;
}
