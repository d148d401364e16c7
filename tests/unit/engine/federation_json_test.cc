// SPDX-License-Identifier: Apache-2.0
// Federation JSON: the identity-provider login request as FusionAuth's clients send it, and
// the Lookup and pending-link responses beside FusionAuth's documented bodies (when
// ../shared/reference exists; the project's own fixtures otherwise).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bulwark/http/wire_json.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"
#include "unit/model/model_test_support.h"

namespace bulwark {
namespace {

using test::FederationFixture;

TEST_CASE("IdentityProviderLoginRequestFromJson reads FusionAuth's request body",
          "[engine][idp][json]") {
  const nlohmann::json fixture = test::LoadFixture("federation/login_requests.json");
  REQUIRE(fixture.is_object());

  Result<IdentityProviderLoginRequest> jwt =
      IdentityProviderLoginRequestFromJson(fixture["externalJwt"]);
  REQUIRE_OK(jwt);
  CHECK(jwt->application_id.ToString() == "10000000-0000-0002-0000-000000000001");
  CHECK(jwt->identity_provider_id.ToString() == "7a9ed2eb-13e7-424a-b416-c9392c7192a1");
  CHECK(jwt->encoded_jwt == "header.payload.signature");
  CHECK(jwt->ip_address == "192.168.1.42");
  CHECK(jwt->no_link);
  CHECK(jwt->no_jwt);
  CHECK(jwt->device.name == "Richard's phone");
  CHECK(jwt->device.type == "MOBILE");

  Result<IdentityProviderLoginRequest> oidc =
      IdentityProviderLoginRequestFromJson(fixture["openIdConnect"]);
  REQUIRE_OK(oidc);
  CHECK(oidc->data.at("code") == "1179659262-VUvqmPjPcGC9BxwHdVxMGs0ka5Gmz91G0svPp2Z");
  CHECK(oidc->data.at("redirect_uri") == "https://login.piedpiper.com/oauth2/callback");
  CHECK_FALSE(oidc->no_link);

  CHECK(IdentityProviderLoginRequestFromJson(nlohmann::json::array())
            .status()
            .errors()
            .HasField("couldNotConvert", ""));
  CHECK(IdentityProviderLoginRequestFromJson({{"applicationId", "not-a-uuid"}}).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(IdentityProviderLoginRequestFromJson({{"data", "token"}})
            .status()
            .errors()
            .HasField("couldNotConvert", "data"));

  // FusionAuth's documented requests read the same way.
  for (const char* name : {"identity-providers/login/externaljwt-request.json",
                           "identity-providers/login/openid-connect-request.json"}) {
    std::optional<nlohmann::json> documented = test::LoadFusionAuthExample(name);
    if (!documented.has_value()) {
      WARN("FusionAuth's examples are absent; skipped " << name);
      continue;
    }
    INFO(name);
    Result<IdentityProviderLoginRequest> read = IdentityProviderLoginRequestFromJson(*documented);
    REQUIRE_OK(read);
    CHECK(read->application_id.ToString() == (*documented)["applicationId"]);
    CHECK(read->identity_provider_id.ToString() == (*documented)["identityProviderId"]);
    CHECK(read->ip_address == (*documented)["ipAddress"]);
    CHECK((read->encoded_jwt.empty() && read->data.empty()) == false);
  }
}

TEST_CASE("Lookup answers FusionAuth's body", "[engine][idp][json]") {
  FederationFixture f;
  // The documented example's values, made in bulwark.
  const nlohmann::json documented =
      test::LoadFusionAuthExample("identity-providers/lookup/response.json")
          .value_or(test::LoadFixture("federation/lookup_response.json"));
  const nlohmann::json& body = documented["identityProvider"];
  Application app;
  app.id = REQUIRE_VALUE(ApplicationId::Parse(body["applicationIds"][0].get<std::string>()));
  app.name = "Documented";
  app = REQUIRE_VALUE(f.engine->applications().Create(app));
  IdentityProvider provider;
  provider.id = REQUIRE_VALUE(IdentityProviderId::Parse(body["id"].get<std::string>()));
  provider.name = body["name"];
  provider.type = IdentityProviderType::kOpenIdConnect;
  provider.enabled = true;
  provider.domains = {"acme.com"};
  OpenIdConnectConfiguration config;
  config.button_text = "Acme";
  config.oauth2.client_id = "client";
  config.oauth2.client_secret = "secret";
  config.oauth2.authorization_endpoint = body["oauth2"]["authorization_endpoint"];
  config.oauth2.token_endpoint = body["oauth2"]["token_endpoint"];
  provider.config = config;
  provider.application_configuration[app.id] = {.enabled = true};
  f.CreateProvider(provider);

  const nlohmann::json written =
      ToJson(REQUIRE_VALUE(f.engine->identity_providers().Lookup("jenny@acme.com")));
  CHECK(test::FirstDifference(documented, written) == "");
  // Never the client secret.
  CHECK(written.dump().find("secret") == std::string::npos);
}

TEST_CASE("the pending-link response has FusionAuth's shape", "[engine][links][json]") {
  const nlohmann::json documented =
      test::LoadFusionAuthExample("identity-providers/links/pending-response.json")
          .value_or(test::LoadFixture("federation/pending_response.json"));
  PendingIdPLinkResponse response;
  const nlohmann::json& limit =
      documented["identityProviderTenantConfiguration"]["limitUserLinkCount"];
  response.identity_provider_tenant_configuration.limit_user_link_count_enabled = limit["enabled"];
  response.identity_provider_tenant_configuration.limit_user_link_count_maximum_links =
      limit["maximumLinks"];
  response.link_count = documented["linkCount"].get<std::int64_t>();
  const nlohmann::json& pending = documented["pendingIdPLink"];
  response.pending_idp_link.display_name = pending["displayName"];
  response.pending_idp_link.email = pending["email"];
  response.pending_idp_link.identity_provider_id =
      REQUIRE_VALUE(IdentityProviderId::Parse(pending["identityProviderId"].get<std::string>()));
  response.pending_idp_link.identity_provider_name = pending["identityProviderName"];
  response.pending_idp_link.identity_provider_type =
      REQUIRE_VALUE(ParseIdentityProviderType(pending["identityProviderType"].get<std::string>()));
  response.pending_idp_link.identity_provider_user_id = pending["identityProviderUserId"];
  response.pending_idp_link.username = pending["username"];
  CHECK(test::FirstDifference(documented, ToJson(response)) == "");
}

}  // namespace
}  // namespace bulwark
