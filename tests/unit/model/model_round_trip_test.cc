// SPDX-License-Identifier: Apache-2.0
// One mapping per type: a fully populated object of each mapped type survives
// object -> JSON -> object, and the few members that are written differently from how they
// are read (read-only, write-only, storage-only, omitted when empty) keep their wire shape.
#include <catch2/catch.hpp>

#include <string>

#include "bulwark/model/api_key.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/model/user_action_log.h"
#include "bulwark/testing/status_matchers.h"
#include "populated_model.h"

namespace bulwark {
namespace {

using nlohmann::json;

TEST_CASE("a fully populated object of each type round-trips through its JSON", "[model]") {
  SECTION("application and role") {
    const Application a = test::PopulatedApplication();
    CHECK(REQUIRE_VALUE(ApplicationFromJson(ToJson(a))) == a);
    const ApplicationRole r = test::PopulatedRole(3);
    CHECK(REQUIRE_VALUE(ApplicationRoleFromJson(ToJson(r))) == r);
  }
  SECTION("tenant") {
    const Tenant t = test::PopulatedTenant();
    CHECK(REQUIRE_VALUE(TenantFromJson(ToJson(t))) == t);
  }
  SECTION("user and registration, in storage's shape (with the hash and secrets)") {
    User u = test::PopulatedUser();
    u.two_factor.methods[0].secret = "JBSWY3DPEHPK3PXP";
    const UserJsonOptions storage{.include_hash = true};
    CHECK(REQUIRE_VALUE(UserFromJson(ToJson(u, storage), "user", storage)) == u);
    const Registration r = test::PopulatedRegistration(3);
    CHECK(REQUIRE_VALUE(RegistrationFromJson(ToJson(r))) == r);
  }
  SECTION("user in the API's shape: everything but the salt, hash and secrets") {
    User u = test::PopulatedUser();
    u.password_hash.hash.clear();
    u.password_hash.salt.clear();
    CHECK(REQUIRE_VALUE(UserFromJson(ToJson(u))) == u);
  }
  SECTION("key, with its secrets (storage's shape)") {
    const Key k = test::PopulatedKey();
    CHECK(REQUIRE_VALUE(KeyFromJson(ToJson(k, {.include_secrets = true}))) == k);
  }
  SECTION("refresh token and API key") {
    const RefreshToken t = test::PopulatedRefreshToken();
    CHECK(REQUIRE_VALUE(RefreshTokenFromJson(ToJson(t))) == t);
    const ApiKey k = test::PopulatedApiKey();
    CHECK(REQUIRE_VALUE(ApiKeyFromJson(ToJson(k))) == k);
  }
  SECTION("links, pending links and user actions") {
    const IdentityProviderLink l = test::PopulatedLink(3);
    CHECK(REQUIRE_VALUE(IdentityProviderLinkFromJson(ToJson(l))) == l);
    const PendingIdPLink p = test::PopulatedPendingLink();
    CHECK(REQUIRE_VALUE(PendingIdPLinkFromJson(ToJson(p))) == p);
    const UserActionLog a = test::PopulatedUserActionLog();
    CHECK(REQUIRE_VALUE(UserActionLogFromJson(ToJson(a))) == a);
  }
  SECTION("identity providers of every configuration shape") {
    for (const IdentityProvider& p :
         {test::PopulatedOpenIdConnectProvider(), test::PopulatedExternalJwtProvider(),
          test::PopulatedSamlV2Provider(), test::PopulatedSamlV2IdpInitiatedProvider(),
          test::PopulatedGoogleProvider()}) {
      INFO(ToString(p.type));
      CHECK(REQUIRE_VALUE(IdentityProviderFromJson(ToJson(p))) == p);
    }
  }
}

TEST_CASE("members written but not read, or read but not written, keep their wire shape",
          "[model]") {
  SECTION("oauthConfiguration.clientId is the application id, written and never read") {
    Application a = test::PopulatedApplication();
    json j = ToJson(a);
    CHECK(j["oauthConfiguration"]["clientId"] == "00000000-0000-4000-8000-000000000001");
    j["oauthConfiguration"]["clientId"] = "00000000-0000-4000-8000-000000000777";
    CHECK(REQUIRE_VALUE(ApplicationFromJson(j)).id == a.id);
  }
  SECTION("a user's plaintext password is read and never written") {
    User u = REQUIRE_VALUE(UserFromJson(json{{"password", "correct horse"}}));
    CHECK(u.password == "correct horse");
    CHECK_FALSE(ToJson(u).contains("password"));
    CHECK_FALSE(ToJson(u, {.include_hash = true}).contains("password"));
  }
  SECTION("the hash, salt and two-factor secrets reach storage only") {
    User u = test::PopulatedUser();
    u.two_factor.methods[0].secret = "JBSWY3DPEHPK3PXP";
    const json api = ToJson(u);
    CHECK_FALSE(api.contains("password"));
    CHECK_FALSE(api.contains("salt"));
    CHECK_FALSE(api["twoFactor"]["methods"][0].contains("secret"));
    CHECK(api["encryptionScheme"] == "salted-pbkdf2-hmac-sha256");
    CHECK(api["factor"] == 24000);
    const json stored = ToJson(u, {.include_hash = true});
    CHECK(stored["password"] == "aGFzaA==");
    CHECK(stored["salt"] == "c2FsdA==");
    CHECK(stored["twoFactor"]["methods"][0]["secret"] == "JBSWY3DPEHPK3PXP");
    // Without a scheme there is no factor to speak of.
    CHECK_FALSE(ToJson(User{}).contains("factor"));
  }
  SECTION("key secrets reach storage only; HMAC keys have no hasPrivateKey; length 0 is absent") {
    Key k = test::PopulatedKey();
    CHECK_FALSE(ToJson(k).contains("privateKey"));
    CHECK_FALSE(ToJson(k).contains("secret"));
    CHECK(ToJson(k, {.include_secrets = true})["secret"] == "hmac-secret");
    k.type = KeyType::kHmac;
    k.length = 0;
    CHECK_FALSE(ToJson(k).contains("hasPrivateKey"));
    CHECK_FALSE(ToJson(k).contains("length"));
  }
  SECTION("ExternalJWT providers write no OAuth client members, and read them") {
    IdentityProvider p = test::PopulatedExternalJwtProvider();
    std::get<ExternalJwtConfiguration>(p.config).oauth2.client_id = "client";
    const json j = ToJson(p);
    CHECK_FALSE(j["oauth2"].contains("client_id"));
    CHECK(j["oauth2"]["token_endpoint"] == "https://idp.example.com/token");
    json with_client = j;
    with_client["oauth2"]["client_id"] = "client";
    IdentityProvider read = REQUIRE_VALUE(IdentityProviderFromJson(with_client));
    CHECK(std::get<ExternalJwtConfiguration>(read.config).oauth2.client_id == "client");
  }
  SECTION("application overrides sit beside the entry's own members") {
    const json j = ToJson(test::PopulatedOpenIdConnectProvider());
    const json& entry = j["applicationConfiguration"]["00000000-0000-4000-8000-000000000002"];
    CHECK(entry == json{{"buttonText", "Log in here"},
                        {"createRegistration", false},
                        {"data", {{"a", 1}}},
                        {"enabled", true}});
    CHECK(j["applicationConfiguration"]["00000000-0000-4000-8000-000000000003"] ==
          json{{"createRegistration", true}, {"enabled", false}});
    CHECK(j["tenantConfiguration"]["00000000-0000-4000-8000-000000000004"] ==
          json{{"limitUserLinkCount", {{"enabled", true}, {"maximumLinks", 7}}},
               {"data", {{"t", 1}}}});
  }
}

TEST_CASE("empty values: which are written and which are left out", "[model]") {
  SECTION("top-level data is written even when empty; nested data is not") {
    CHECK(ToJson(Application{})["data"] == json::object());
    CHECK(ToJson(Tenant{})["data"] == json::object());
    CHECK(ToJson(User{})["data"] == json::object());
    CHECK(ToJson(Registration{})["data"] == json::object());
    CHECK(ToJson(IdentityProvider{})["data"] == json::object());
    CHECK_FALSE(ToJson(RefreshToken{}).contains("data"));
    CHECK_FALSE(ToJson(IdentityProviderLink{}).contains("data"));
    CHECK_FALSE(ToJson(Registration{}).contains("tokens"));
  }
  SECTION("lists FusionAuth always returns are written even when empty") {
    CHECK(ToJson(Registration{})["roles"] == json::array());
    CHECK(ToJson(IdentityProvider{})["domains"] == json::array());
    const json oauth = ToJson(Application{})["oauthConfiguration"];
    CHECK(oauth["authorizedRedirectURLs"] == json::array());
    CHECK(oauth["authorizedOriginURLs"] == json::array());
    CHECK(oauth["enabledGrants"] == json::array());
    CHECK_FALSE(oauth.contains("authorizedResourceUris"));
    CHECK_FALSE(ToJson(Application{})["samlv2Configuration"].contains("authorizedRedirectURLs"));
  }
  SECTION("nil ids, absent optionals and empty strings are left out") {
    const json a = ToJson(Application{});
    CHECK_FALSE(a.contains("id"));
    CHECK_FALSE(a.contains("themeId"));
    CHECK_FALSE(a.contains("baseURL"));
    CHECK_FALSE(a.contains("insertInstant"));
    CHECK_FALSE(a.contains("externalIdentifierConfiguration"));
    CHECK(a["multiFactorConfiguration"] == json::object());
    CHECK(a["state"] == "Active");
    const json u = ToJson(User{});
    CHECK_FALSE(u.contains("twoFactor"));
    CHECK_FALSE(u.contains("registrations"));
    CHECK_FALSE(u.contains("passwordChangeReason"));
    const json p = ToJson(IdentityProvider{});
    CHECK_FALSE(p.contains("applicationConfiguration"));
    CHECK_FALSE(p.contains("lambdaConfiguration"));
    CHECK_FALSE(p.contains("claimMap"));
    const json k = ToJson(ApiKey{});
    CHECK_FALSE(k.contains("permissions"));
    CHECK_FALSE(k.contains("metaData"));
  }
}

TEST_CASE("mapping errors keep FusionAuth's codes and paths", "[model]") {
  Result<Application> a = ApplicationFromJson(
      json{{"state", "Sleeping"},
           {"oauthConfiguration", {{"enabledGrants", {"authorization_code", "magic"}}}},
           {"roles", {{{"name", 7}}}},
           {"externalIdentifierConfiguration", {{"twoFactorTrustIdTimeToLiveInSeconds", "x"}}}});
  REQUIRE_FALSE(a.ok());
  const Errors& errors = a.status().errors();
  CHECK(errors.HasField("invalid", "application.state"));
  CHECK(errors.HasField("invalid", "application.oauthConfiguration.enabledGrants"));
  CHECK(errors.HasField("couldNotConvert", "application.roles.name"));
  CHECK(errors.HasField(
      "couldNotConvert",
      "application.externalIdentifierConfiguration.twoFactorTrustIdTimeToLiveInSeconds"));

  Result<IdentityProvider> p =
      IdentityProviderFromJson(json{{"name", "x"},
                                    {"tenantConfiguration",
                                     {{"00000000-0000-4000-8000-000000000004",
                                       {{"limitUserLinkCount", {{"maximumLinks", "many"}}}}}}}});
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().errors().HasField("blank", "identityProvider.type"));
  CHECK(p.status().errors().HasField("couldNotConvert", "identityProvider.tenantConfiguration"));

  Result<ApiKey> k = ApiKeyFromJson(json{{"permissions", {{"endpoints", {{"/api/user", "GET"}}}}},
                                         {"metaData", {{"attributes", {{"a", 1}}}}}});
  REQUIRE_FALSE(k.ok());
  CHECK(k.status().errors().HasField("couldNotConvert", "apiKey.permissions.endpoints"));
  CHECK(k.status().errors().HasField("couldNotConvert", "apiKey.metaData.attributes"));
}

}  // namespace
}  // namespace bulwark
