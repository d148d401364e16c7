// SPDX-License-Identifier: Apache-2.0
// IdentityProviderService: create, retrieve, update, delete, validation and the Lookup API.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bulwark/http/wire_json.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;

bool HasField(const Status& status, const std::string& code) {
  for (const auto& [path, entries] : status.errors().field_errors) {
    for (const ErrorEntry& entry : entries) {
      if (entry.code == code) return true;
    }
  }
  return false;
}

IdentityProvider OidcProvider(const Application& app, std::string name) {
  IdentityProvider provider;
  provider.name = std::move(name);
  provider.type = IdentityProviderType::kOpenIdConnect;
  provider.enabled = true;
  OpenIdConnectConfiguration config;
  config.button_text = "Log in with Hooli";
  config.oauth2.client_id = "client";
  config.oauth2.client_secret = "secret";
  config.oauth2.authorization_endpoint = "https://hooli.test/authorize";
  config.oauth2.token_endpoint = "https://hooli.test/token";
  provider.config = config;
  provider.application_configuration[app.id] = {.enabled = true};
  return provider;
}

TEST_CASE("identity providers are created, retrieved, updated and deleted", "[engine][idp]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.domains = {"PiedPiper.com", "piedpiper.com", "hooli.test"};
  IdentityProvider created = f.CreateProvider(provider);
  CHECK_FALSE(created.id.IsNil());
  CHECK(created.insert_instant == f.clock->Now());
  // Domains are kept lower-cased, each once.
  CHECK(created.domains == std::vector<std::string>{"piedpiper.com", "hooli.test"});

  IdentityProvider stored = REQUIRE_VALUE(f.engine->identity_providers().Retrieve(created.id));
  CHECK(stored == created);

  f.clock->Advance(std::chrono::minutes(1));
  stored.name = "Renamed";
  stored.linking_strategy = LinkingStrategy::kLinkByUsername;
  IdentityProvider updated = REQUIRE_VALUE(f.engine->identity_providers().Update(stored));
  CHECK(updated.insert_instant == created.insert_instant);
  CHECK(updated.last_update_instant == f.clock->Now());
  CHECK(f.engine->identity_providers().Retrieve(created.id)->linking_strategy ==
        LinkingStrategy::kLinkByUsername);

  IdentityProvider oidc = f.CreateProvider(OidcProvider(f.app, "Hooli"));
  CHECK(f.engine->identity_providers().RetrieveAll()->size() == 2);
  auto only_oidc = REQUIRE_VALUE(
      f.engine->identity_providers().RetrieveAll(IdentityProviderType::kOpenIdConnect));
  REQUIRE(only_oidc.size() == 1);
  CHECK(only_oidc[0].id == oidc.id);

  REQUIRE_OK(f.engine->identity_providers().Delete(created.id));
  CHECK(f.engine->identity_providers().Retrieve(created.id).status().code() ==
        StatusCode::kNotFound);
  CHECK(f.engine->identity_providers().Delete(created.id).code() == StatusCode::kNotFound);
}

TEST_CASE("identity provider validation names each problem", "[engine][idp]") {
  FederationFixture f;

  SECTION("required members per type") {
    IdentityProvider provider;
    provider.type = IdentityProviderType::kExternalJwt;
    provider.config = ExternalJwtConfiguration{};
    Status s = f.engine->identity_providers().Create(provider).status();
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(HasField(s, "[blank]identityProvider.name"));
    CHECK(HasField(s, "[blank]identityProvider.headerKeyParameter"));
  }
  SECTION("verification keys must exist") {
    IdentityProvider provider = f.ExternalJwtProvider();
    std::get<ExternalJwtConfiguration>(provider.config)
        .verification_key_ids.push_back(REQUIRE_VALUE(KeyId::Generate(*f.random)));
    CHECK(HasField(f.engine->identity_providers().Create(provider).status(),
                   "[invalid]identityProvider.verificationKeyIds"));
  }
  SECTION("defaultKeyId is mirrored as the first verification key") {
    IdentityProvider provider = f.ExternalJwtProvider();
    auto& config = std::get<ExternalJwtConfiguration>(provider.config);
    config.verification_key_ids.clear();
    config.default_key_id = f.issuer_key.id;
    IdentityProvider created = f.CreateProvider(provider);
    const auto& stored = std::get<ExternalJwtConfiguration>(created.config);
    CHECK(stored.verification_key_ids == std::vector<KeyId>{f.issuer_key.id});
    CHECK(stored.default_key_id == f.issuer_key.id);
  }
  SECTION("a reconcile id must name a registered callback") {
    IdentityProvider provider = f.ExternalJwtProvider();
    provider.reconcile_lambda_id = REQUIRE_VALUE(LambdaId::Generate(*f.random));
    CHECK(HasField(f.engine->identity_providers().Create(provider).status(),
                   "[invalid]identityProvider.lambdaConfiguration.reconcileId"));
    f.reconcile_lambdas[*provider.reconcile_lambda_id] =
        [](User&, Registration*, const nlohmann::json&) { return Status::Ok(); };
    f.Reopen();
    CHECK_OK(f.engine->identity_providers().Create(provider));
  }
  SECTION("application and tenant configurations name existing objects") {
    IdentityProvider provider = f.ExternalJwtProvider();
    provider.application_configuration[REQUIRE_VALUE(ApplicationId::Generate(*f.random))] = {};
    CHECK(HasField(f.engine->identity_providers().Create(provider).status(),
                   "[invalid]identityProvider.applicationConfiguration"));
    provider = f.ExternalJwtProvider();
    provider.tenant_configuration[REQUIRE_VALUE(TenantId::Generate(*f.random))] = {};
    CHECK(HasField(f.engine->identity_providers().Create(provider).status(),
                   "[invalid]identityProvider.tenantConfiguration"));
  }
  SECTION("domains must be host names") {
    IdentityProvider provider = f.ExternalJwtProvider();
    provider.domains = {"richard@piedpiper.com"};
    CHECK(HasField(f.engine->identity_providers().Create(provider).status(),
                   "[invalid]identityProvider.domains"));
  }
  SECTION("names are unique") {
    f.CreateProvider(f.ExternalJwtProvider());
    CHECK(HasField(f.engine->identity_providers().Create(f.ExternalJwtProvider()).status(),
                   "[duplicate]identityProvider.name"));
  }
  SECTION("an OpenID Connect provider needs a token endpoint or an issuer") {
    IdentityProvider provider = OidcProvider(f.app, "Hooli");
    std::get<OpenIdConnectConfiguration>(provider.config).oauth2.token_endpoint.clear();
    CHECK(HasField(f.engine->identity_providers().Create(provider).status(),
                   "[blank]identityProvider.oauth2.token_endpoint"));
    std::get<OpenIdConnectConfiguration>(provider.config).oauth2.issuer = "https://hooli.test";
    CHECK_OK(f.engine->identity_providers().Create(provider));
  }
  SECTION("type and tenant cannot change") {
    IdentityProvider created = f.CreateProvider(f.ExternalJwtProvider());
    IdentityProvider changed = OidcProvider(f.app, created.name);
    changed.id = created.id;
    CHECK(HasField(f.engine->identity_providers().Update(changed).status(),
                   "[invalid]identityProvider.type"));
    created.tenant_id = f.default_tenant();
    CHECK(HasField(f.engine->identity_providers().Update(created).status(),
                   "[invalid]identityProvider.tenantId"));
  }
  SECTION("a key an identity provider verifies with cannot be deleted") {
    f.CreateProvider(f.ExternalJwtProvider());
    Status s = f.engine->keys().Delete(f.issuer_key.id);
    CHECK(HasField(s, "[inUse]keyId"));
  }
  // Nothing invalid was stored.
  const std::vector<IdentityProvider> stored =
      REQUIRE_VALUE(f.engine->identity_providers().RetrieveAll());
  for (const IdentityProvider& p : stored) CHECK_FALSE(p.name.empty());
}

TEST_CASE("SAML v2 providers are stored and validated now, used by the SAML service later",
          "[engine][idp]") {
  FederationFixture f(":memory:", KeyAlgorithm::kRs256);
  IdentityProvider saml;
  saml.name = "Okta";
  saml.type = IdentityProviderType::kSamlV2;
  saml.config = SamlV2IdpConfiguration{};
  Status blank = f.engine->identity_providers().Create(saml).status();
  CHECK(HasField(blank, "[blank]identityProvider.idpEndpoint"));
  CHECK(HasField(blank, "[blank]identityProvider.buttonText"));
  CHECK(HasField(blank, "[blank]identityProvider.emailClaim"));

  SamlV2IdpConfiguration config;
  config.idp_endpoint = "https://okta.test/sso";
  config.button_text = "Log in with Okta";
  config.use_name_id_for_email = true;
  config.key_id = f.issuer_key.id;
  saml.config = config;
  saml.enabled = true;
  saml.domains = {"okta.test"};
  saml.application_configuration[f.app.id] = {.enabled = true};
  const IdentityProvider created = f.CreateProvider(saml);
  const IdentityProvider stored =
      REQUIRE_VALUE(f.engine->identity_providers().Retrieve(created.id));
  const auto& stored_config = std::get<SamlV2IdpConfiguration>(stored.config);
  CHECK(stored_config.verification_key_ids == std::vector<KeyId>{f.issuer_key.id});
  CHECK(stored_config.idp_endpoint == "https://okta.test/sso");
  nlohmann::json lookup =
      ToJson(REQUIRE_VALUE(f.engine->identity_providers().Lookup("dinesh@okta.test")));
  CHECK(lookup["identityProvider"]["idpEndpoint"] == "https://okta.test/sso");
  CHECK(lookup["identityProvider"]["type"] == "SAMLv2");

  IdentityProviderLoginRequest request;
  request.application_id = f.app.id;
  request.identity_provider_id = created.id;
  request.data["samlResponse"] = "PHNhbWxwOlJlc3BvbnNlLz4=";
  CHECK(f.engine->identity_providers().Login(request).status().errors().HasField(
      "invalid", "identityProviderId"));

  IdentityProvider initiated;
  initiated.name = "Okta, IdP-initiated";
  initiated.type = IdentityProviderType::kSamlV2IdpInitiated;
  initiated.config = SamlV2IdpInitiatedConfiguration{};
  CHECK(HasField(f.engine->identity_providers().Create(initiated).status(),
                 "[blank]identityProvider.issuer"));
  SamlV2IdpInitiatedConfiguration initiated_config;
  initiated_config.issuer = "https://okta.test";
  initiated_config.verification_key_ids = {REQUIRE_VALUE(KeyId::Generate(*f.random))};
  initiated.config = initiated_config;
  CHECK(HasField(f.engine->identity_providers().Create(initiated).status(),
                 "[invalid]identityProvider.verificationKeyIds"));
  initiated_config.verification_key_ids = {f.issuer_key.id};
  initiated.config = initiated_config;
  CHECK_OK(f.engine->identity_providers().Create(initiated));
}

TEST_CASE("a domain is managed by at most one provider per tenant context", "[engine][idp]") {
  FederationFixture f;
  IdentityProvider global = f.ExternalJwtProvider(LinkingStrategy::kLinkByEmail, "Global");
  global.domains = {"piedpiper.com"};
  f.CreateProvider(global);

  IdentityProvider second = OidcProvider(f.app, "Second");
  second.domains = {"PIEDPIPER.COM"};
  CHECK(HasField(f.engine->identity_providers().Create(second).status(),
                 "[duplicate]identityProvider.domains"));
  // A tenant-scoped provider cannot claim a global provider's domain either.
  second.tenant_id = f.default_tenant();
  CHECK(HasField(f.engine->identity_providers().Create(second).status(),
                 "[duplicate]identityProvider.domains"));
  // Another domain is fine.
  second.domains = {"hooli.test"};
  CHECK_OK(f.engine->identity_providers().Create(second));
}

TEST_CASE("Lookup finds the enabled provider by domain or email, case-insensitively",
          "[engine][idp]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.domains = {"piedpiper.com"};
  auto& config = std::get<ExternalJwtConfiguration>(provider.config);
  config.oauth2.authorization_endpoint = "https://idp.piedpiper.test/authorize";
  config.oauth2.token_endpoint = "https://idp.piedpiper.test/token";
  Application other = f.MakeApp("Hooli");
  provider.application_configuration[other.id] = {.enabled = false};
  IdentityProvider created = f.CreateProvider(provider);

  for (const char* query : {"piedpiper.com", "PiedPiper.COM", "richard@PIEDPIPER.com"}) {
    INFO(query);
    Result<IdentityProviderLookup> found = f.engine->identity_providers().Lookup(query);
    REQUIRE_OK(found);
    CHECK(found->id == created.id);
    CHECK(found->application_ids == std::vector<ApplicationId>{f.app.id});
    nlohmann::json json = ToJson(*found);
    CHECK(json["identityProvider"]["name"] == "Pied Piper IdP");
    CHECK(json["identityProvider"]["type"] == "ExternalJWT");
    CHECK(json["identityProvider"]["oauth2"]["token_endpoint"] ==
          "https://idp.piedpiper.test/token");
    CHECK(json["identityProvider"]["applicationIds"] ==
          nlohmann::json::array({f.app.id.ToString()}));
  }
  CHECK(f.engine->identity_providers().Lookup("hooli.test").status().code() ==
        StatusCode::kNotFound);
  CHECK(f.engine->identity_providers().Lookup("richard@").status().code() == StatusCode::kNotFound);

  // A disabled provider manages nothing.
  created.enabled = false;
  REQUIRE_OK(f.engine->identity_providers().Update(created));
  CHECK(f.engine->identity_providers().Lookup("piedpiper.com").status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("Lookup prefers the tenant's own provider over a global one", "[engine][idp]") {
  FederationFixture f;
  Tenant other;
  other.name = "Other";
  other = REQUIRE_VALUE(f.engine->tenants().Create(other));
  IdentityProvider global = f.ExternalJwtProvider(LinkingStrategy::kLinkByEmail, "Global");
  global.domains = {"global.test"};
  IdentityProvider created_global = f.CreateProvider(global);
  Application other_app;
  other_app.name = "Other app";
  other_app.tenant_id = other.id;
  other_app = REQUIRE_VALUE(f.engine->applications().Create(other_app));
  IdentityProvider scoped = f.ExternalJwtProvider(LinkingStrategy::kLinkByEmail, "Scoped");
  scoped.tenant_id = other.id;
  scoped.application_configuration.clear();
  scoped.application_configuration[other_app.id] = {.enabled = true};
  scoped.domains = {"scoped.test"};
  IdentityProvider created_scoped = f.CreateProvider(scoped);

  CHECK(f.engine->identity_providers().Lookup("a@global.test", other.id)->id == created_global.id);
  CHECK(f.engine->identity_providers().Lookup("a@scoped.test", other.id)->id == created_scoped.id);
  auto json = ToJson(REQUIRE_VALUE(f.engine->identity_providers().Lookup("scoped.test", other.id)));
  CHECK(json["identityProvider"]["tenantId"] == other.id.ToString());
  // Without the tenant, only global providers are found.
  CHECK(f.engine->identity_providers().Lookup("scoped.test").status().code() ==
        StatusCode::kNotFound);
  CHECK(f.engine->identity_providers().Lookup("scoped.test", f.default_tenant()).status().code() ==
        StatusCode::kNotFound);
}

}  // namespace
}  // namespace bulwark
