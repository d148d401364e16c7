// SPDX-License-Identifier: Apache-2.0
//
// Requested scopes under an application's policies (oauth2/scopes.h): the scope syntax of
// RFC 6749 §3.3, FusionAuth's unknownScopePolicy and providedScopePolicy, and custom scopes.
#include "oauth2/scopes.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace bulwark::oauth2 {
namespace {

using Scopes = std::vector<std::string>;

Application App(UnknownScopePolicy policy = UnknownScopePolicy::kReject) {
  Application app;
  app.oauth_configuration.unknown_scope_policy = policy;
  app.scopes = nlohmann::json::array(
      {{{"id", "2f9a8b5c-1d3e-4f60-8a7b-9c0d1e2f3a4b"}, {"name", "read:orders"}},
       {{"name", "write:orders"}, {"required", true}, {"description", "Place orders"}},
       {{"description", "no name"}},
       "not an object"});
  return app;
}

Scopes Granted(std::string_view scope, const Application& app) {
  const ScopeResolution resolution = ResolveScopes(scope, app);
  INFO(scope);
  REQUIRE_FALSE(resolution.error.has_value());
  return resolution.scopes;
}

TEST_CASE("known scopes pass, in request order, once each", "[oauth2][scope]") {
  const Application app = App();
  CHECK(Granted("openid profile email", app) == Scopes{"openid", "profile", "email"});
  CHECK(Granted("offline_access address phone openid", app) ==
        Scopes{"offline_access", "address", "phone", "openid"});
  CHECK(Granted("read:orders openid read:orders", app) == Scopes{"read:orders", "openid"});
  CHECK(Granted("  openid   email ", app) == Scopes{"openid", "email"});
  CHECK(Granted("", app).empty());
  CHECK(JoinScopes(Granted("openid write:orders", app)) == "openid write:orders");
}

TEST_CASE("unknown scopes follow unknownScopePolicy", "[oauth2][scope]") {
  SECTION("Reject refuses the request") {
    const ScopeResolution r = ResolveScopes("openid admin:all", App(UnknownScopePolicy::kReject));
    REQUIRE(r.error.has_value());
    CHECK(r.error->error == "invalid_scope");
    CHECK(r.error->error_reason == "unknown_scope");
    CHECK(r.error->error_description.find("[admin:all]") != std::string::npos);
    CHECK(r.scopes.empty());
  }
  SECTION("Remove drops them") {
    CHECK(Granted("openid admin:all email", App(UnknownScopePolicy::kRemove)) ==
          Scopes{"openid", "email"});
  }
  SECTION("Allow keeps them") {
    CHECK(Granted("openid admin:all", App(UnknownScopePolicy::kAllow)) ==
          Scopes{"openid", "admin:all"});
  }
  SECTION("scope names are case-sensitive") {
    CHECK(ResolveScopes("OpenID", App()).error.has_value());
    CHECK(ResolveScopes("READ:orders", App()).error.has_value());
  }
  SECTION("the echo of a long unknown scope is cut short") {
    const ScopeResolution r = ResolveScopes(std::string(10000, 'x'), App());
    REQUIRE(r.error.has_value());
    CHECK(r.error->error_description.size() < 200);
  }
}

TEST_CASE("a disabled provided scope is unknown", "[oauth2][scope]") {
  Application app = App(UnknownScopePolicy::kReject);
  app.oauth_configuration.provided_scope_policy.email.enabled = false;
  CHECK(ResolveScopes("openid email", app).error.has_value());
  app.oauth_configuration.unknown_scope_policy = UnknownScopePolicy::kRemove;
  CHECK(Granted("openid email profile", app) == Scopes{"openid", "profile"});
}

TEST_CASE("a malformed scope is refused whatever the policy", "[oauth2][scope][security]") {
  for (const UnknownScopePolicy policy :
       {UnknownScopePolicy::kReject, UnknownScopePolicy::kRemove, UnknownScopePolicy::kAllow}) {
    INFO(ToString(policy));
    for (const std::string& bad :
         {std::string("openid \"quoted\""), std::string("a\\b"), std::string("openid\temail"),
          std::string("openid\nemail"), std::string("caf\xc3\xa9"), std::string("a\0b", 3)}) {
      const ScopeResolution r = ResolveScopes(bad, App(policy));
      REQUIRE(r.error.has_value());
      CHECK(r.error->error == "invalid_scope");
      CHECK(r.scopes.empty());
    }
  }
}

TEST_CASE("custom scopes and which scopes are required", "[oauth2][scope]") {
  Application app = App();
  CHECK(CustomScopesOf(app) ==
        std::vector<CustomScope>{
            {.name = "read:orders"},
            {.name = "write:orders", .required = true, .consent_message = "Place orders"}});
  CHECK(IsRequiredScope("write:orders", app));
  CHECK_FALSE(IsRequiredScope("read:orders", app));
  CHECK_FALSE(IsRequiredScope("openid", app));
  CHECK_FALSE(IsRequiredScope("offline_access", app));
  CHECK_FALSE(IsRequiredScope("email", app));
  app.oauth_configuration.provided_scope_policy.email.required = true;
  CHECK(IsRequiredScope("email", app));
  app.oauth_configuration.provided_scope_policy.email.enabled = false;
  CHECK_FALSE(IsRequiredScope("email", app));
  app.scopes = nlohmann::json();  // none
  CHECK(CustomScopesOf(app).empty());
  CHECK(ResolveScopes("read:orders", app).error.has_value());
}

}  // namespace
}  // namespace bulwark::oauth2
