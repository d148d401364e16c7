// SPDX-License-Identifier: Apache-2.0
// Identity providers, links and pending links: JSON both ways in FusionAuth's shape.
#include <catch2/catch.hpp>

#include <variant>

#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/testing/status_matchers.h"
#include "model_test_support.h"

namespace bulwark {
namespace {

void CheckProvider(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<IdentityProvider>(
      j, where, [](const nlohmann::json& x) { return IdentityProviderFromJson(x); },
      [](const IdentityProvider& p) { return ToJson(p); });
}

void CheckLink(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<IdentityProviderLink>(
      j, where, [](const nlohmann::json& x) { return IdentityProviderLinkFromJson(x); },
      [](const IdentityProviderLink& l) { return ToJson(l); });
}

void CheckPendingLink(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<PendingIdPLink>(
      j, where, [](const nlohmann::json& x) { return PendingIdPLinkFromJson(x); },
      [](const PendingIdPLink& l) { return ToJson(l); });
}

TEST_CASE("FusionAuth's documented identity providers and links round-trip", "[model]") {
  if (!test::HaveFusionAuthExamples()) {
    WARN("../shared/reference/fusionauth-json is absent: FusionAuth example round trips skipped");
    return;
  }
  int checked = 0;
  auto each = [&](const char* file, const char* single, const char* plural, auto check) {
    checked += test::ForEachDocumented(file, single, plural, check);
  };
  for (const char* f :
       {"identity-providers/external-jwt-request.json",
        "identity-providers/external-jwt-response.json",
        "identity-providers/openid-connect-request.json",
        "identity-providers/openid-connect-response.json", "identity-providers/samlv2-request.json",
        "identity-providers/samlv2-request-with-issuer.json",
        "identity-providers/samlv2-response.json",
        "identity-providers/samlv2-idp-initiated-request.json",
        "identity-providers/samlv2-idp-initiated-response.json"}) {
    each(f, "identityProvider", "identityProviders", CheckProvider);
  }
  for (const char* f :
       {"identity-providers/links/request.json", "identity-providers/links/response.json",
        "identity-providers/links/responses.json"}) {
    each(f, "identityProviderLink", "identityProviderLinks", CheckLink);
  }
  each("identity-providers/links/pending-response.json", "pendingIdPLink", nullptr,
       CheckPendingLink);
  CHECK(checked == 14);  // every documented body above was found and checked
}

TEST_CASE("application overrides are kept under any spelling of the application id",
          "[model][fuzz-finding]") {
  // A fuzzing finding (tests/fuzz/regressions/router/idp-uppercase-application-id-8e9738f2):
  // the overrides were looked up by the id's lower-case spelling, which an upper-case key
  // does not have, and the lookup read past the object.
  const nlohmann::json body = {
      {"name", "Upper"},
      {"type", "OpenIDConnect"},
      {"oauth2", {{"client_id", "c"}, {"client_secret", "s"}}},
      {"applicationConfiguration",
       {{"8174F72F-5ECD-4EAE-8DE8-7FEF597B3473",
         {{"enabled", true}, {"buttonText", "Upper"}, {"oauth2", {{"client_id", "upper"}}}}},
        // Another spelling of the same id: the first in member order (upper case sorts
        // first) is the one kept, its overrides with it.
        {"8174f72f-5ecd-4eae-8de8-7fef597b3473",
         {{"enabled", false}, {"buttonText", "lower"}}},
        {"0000000A-0000-0000-0000-000000000001", {{"enabled", true}, {"buttonText", "A"}}}}}};
  Result<IdentityProvider> provider = IdentityProviderFromJson(body);
  REQUIRE_OK(provider);
  const ApplicationId app =
      REQUIRE_VALUE(ApplicationId::Parse("8174f72f-5ecd-4eae-8de8-7fef597b3473"));
  const ApplicationId other =
      REQUIRE_VALUE(ApplicationId::Parse("0000000a-0000-0000-0000-000000000001"));
  REQUIRE(provider->application_configuration.size() == 2);
  const auto& kept = provider->application_configuration.at(app);
  CHECK(kept.enabled);
  CHECK(kept.overrides.at("buttonText") == "Upper");
  CHECK(kept.overrides.at("oauth2").at("client_id") == "upper");
  CHECK(provider->application_configuration.at(other).overrides.at("buttonText") == "A");
}

TEST_CASE("the project's identity provider fixtures round-trip, one per shape", "[model]") {
  nlohmann::json doc = test::LoadFixture("model/identity_providers.json");
  REQUIRE(doc.contains("identityProviders"));
  for (const nlohmann::json& p : doc["identityProviders"]) CheckProvider(p, p.value("type", "?"));
  CheckLink(doc["identityProviderLink"], "identityProviderLink");
  CheckPendingLink(doc["pendingIdPLink"], "pendingIdPLink");

  IdentityProvider jwt = REQUIRE_VALUE(IdentityProviderFromJson(doc["identityProviders"][0]));
  CHECK(jwt.type == IdentityProviderType::kExternalJwt);
  CHECK(jwt.linking_strategy == LinkingStrategy::kCreatePendingLink);
  const auto& jwt_config = std::get<ExternalJwtConfiguration>(jwt.config);
  CHECK(jwt_config.claim_map.at("plan") == "UserData");
  CHECK(jwt_config.oauth2.unique_id_claim == "oid");
  const ApplicationId app =
      REQUIRE_VALUE(ApplicationId::Parse("8174f72f-5ecd-4eae-8de8-7fef597b3473"));
  CHECK_FALSE(jwt.application_configuration.at(app).create_registration);
  const TenantId tenant = REQUIRE_VALUE(TenantId::Parse("5f0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e6f"));
  CHECK(jwt.tenant_configuration.at(tenant).limit_user_link_count_maximum_links == 3);

  IdentityProvider oidc = REQUIRE_VALUE(IdentityProviderFromJson(doc["identityProviders"][1]));
  const auto& oidc_config = std::get<OpenIdConnectConfiguration>(oidc.config);
  CHECK(oidc_config.oauth2.client_authentication_method ==
        ClientAuthenticationMethod::kClientSecretPost);
  CHECK(oidc.tenant_id == tenant);
  CHECK(oidc.application_configuration.at(app).overrides["oauth2"]["client_id"] ==
        "nucleus-client");

  IdentityProvider saml = REQUIRE_VALUE(IdentityProviderFromJson(doc["identityProviders"][2]));
  const auto& saml_config = std::get<SamlV2IdpConfiguration>(saml.config);
  CHECK(saml_config.assertion_destination.policy == DestinationAssertionPolicy::kAllowAlternates);
  CHECK(saml_config.xml_signature_c14n_method == CanonicalizationMethod::kInclusiveWithComments);
  CHECK_FALSE(saml_config.login_hint_configuration.enabled);

  IdentityProvider initiated = REQUIRE_VALUE(IdentityProviderFromJson(doc["identityProviders"][3]));
  CHECK(std::get<SamlV2IdpInitiatedConfiguration>(initiated.config)
            .assertion_decryption_configuration.enabled);

  IdentityProvider google = REQUIRE_VALUE(IdentityProviderFromJson(doc["identityProviders"][4]));
  CHECK(google.type == IdentityProviderType::kGoogle);
  const auto& other = std::get<OtherIdentityProviderConfiguration>(google.config);
  CHECK(other.members["loginMethod"] == "UsePopup");
  CHECK_FALSE(other.members.contains("name"));  // common members are not duplicated

  PendingIdPLink pending = REQUIRE_VALUE(PendingIdPLinkFromJson(doc["pendingIdPLink"]));
  REQUIRE(pending.user.has_value());
  CHECK(pending.user->email == "gilfoyle@hooli.example");
}

// The Store keeps providers, links and pending links as their JSON: every member must come
// back equal, whatever the type.
IdentityProvider FullProvider(IdentityProviderType type, IdentityProviderConfiguration config) {
  IdentityProvider p;
  p.id = REQUIRE_VALUE(IdentityProviderId::Parse("0a5b7c2e-1111-4c3d-9e8f-000000000001"));
  p.name = std::string("Full ") + std::string(ToString(type));
  p.type = type;
  p.enabled = true;
  p.debug = true;
  p.data = {{"region", "eu"}, {"tier", 2}};
  p.source = "import";
  p.linking_strategy = LinkingStrategy::kLinkByUsernameForExistingUser;
  const ApplicationId app =
      REQUIRE_VALUE(ApplicationId::Parse("8174f72f-5ecd-4eae-8de8-7fef597b3473"));
  p.application_configuration[app] = IdentityProviderApplicationConfiguration{
      .enabled = true,
      .create_registration = false,
      .data = {{"k", "v"}},
      .overrides = {{"buttonText", "Go"}, {"oauth2", {{"client_id", "c"}}}}};
  const TenantId tenant = REQUIRE_VALUE(TenantId::Parse("5f0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e6f"));
  p.tenant_configuration[tenant] =
      IdentityProviderTenantConfiguration{.limit_user_link_count_enabled = true,
                                          .limit_user_link_count_maximum_links = 3,
                                          .data = {{"x", true}}};
  p.reconcile_lambda_id = REQUIRE_VALUE(LambdaId::Parse("7a0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e70"));
  p.tenant_id = tenant;
  p.domains = {"piedpiper.example", "hooli.example"};
  p.insert_instant = FromEpochMillis(1'700'000'000'123);
  p.last_update_instant = FromEpochMillis(1'700'000'000'456);
  p.config = std::move(config);
  return p;
}

TEST_CASE("identity providers, links and pending links keep every member through JSON", "[model]") {
  const KeyId k1 = REQUIRE_VALUE(KeyId::Parse("1b0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e01"));
  const KeyId k2 = REQUIRE_VALUE(KeyId::Parse("1b0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e02"));

  ExternalJwtConfiguration jwt;
  jwt.header_key_parameter = "kid";
  jwt.default_key_id = k1;
  jwt.verification_key_ids = {k1, k2};
  jwt.unique_identity_claim = "oid";
  jwt.claim_map = {{"plan", "UserData"}, {"first", "firstName"}};
  jwt.oauth2.authorization_endpoint = "https://idp.example/authorize";
  jwt.oauth2.token_endpoint = "https://idp.example/token";
  jwt.oauth2.unique_id_claim = "oid";
  jwt.oauth2.email_claim = "mail";
  jwt.oauth2.email_verified_claim = "mail_verified";
  jwt.oauth2.username_claim = "upn";

  OpenIdConnectConfiguration oidc;
  oidc.oauth2.authorization_endpoint = "https://op.example/authorize";
  oidc.oauth2.token_endpoint = "https://op.example/token";
  oidc.oauth2.userinfo_endpoint = "https://op.example/userinfo";
  oidc.oauth2.issuer = "https://op.example";
  oidc.oauth2.client_id = "client";
  oidc.oauth2.client_secret = "secret";
  oidc.oauth2.client_authentication_method = ClientAuthenticationMethod::kClientSecretPost;
  oidc.oauth2.scope = "openid email";
  oidc.oauth2.unique_id_claim = "uid";
  oidc.button_text = "Log in";
  oidc.button_image_url = "https://op.example/button.png";
  oidc.post_request = true;

  SamlV2IdpConfiguration saml;
  saml.idp_endpoint = "https://saml.example/sso";
  saml.issuer = "https://sp.example";
  saml.key_id = k1;
  saml.verification_key_ids = {k2};
  saml.name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
  saml.use_name_id_for_email = true;
  saml.email_claim = "email";
  saml.unique_id_claim = "uid";
  saml.username_claim = "uname";
  saml.post_request = true;
  saml.sign_request = true;
  saml.request_signing_key_id = k2;
  saml.xml_signature_c14n_method = CanonicalizationMethod::kInclusiveWithComments;
  saml.assertion_destination.policy = DestinationAssertionPolicy::kAllowAlternates;
  saml.assertion_destination.alternates = {"https://alt.example/acs"};
  saml.assertion_decryption_configuration = {.enabled = true,
                                             .key_transport_decryption_key_id = k1};
  saml.idp_initiated_configuration = {.enabled = true, .issuer = "https://saml.example"};
  saml.login_hint_configuration = {.enabled = false, .parameter_name = "hint"};
  saml.button_text = "SSO";
  saml.button_image_url = "https://saml.example/b.png";

  SamlV2IdpInitiatedConfiguration initiated;
  initiated.issuer = "https://idp-initiated.example";
  initiated.key_id = k1;
  initiated.verification_key_ids = {k1, k2};
  initiated.use_name_id_for_email = true;
  initiated.email_claim = "e";
  initiated.unique_id_claim = "u";
  initiated.username_claim = "n";
  initiated.assertion_decryption_configuration = {.enabled = true,
                                                  .key_transport_decryption_key_id = k2};

  OtherIdentityProviderConfiguration google;
  google.members = {{"client_id", "g"}, {"loginMethod", "UsePopup"}, {"scope", "profile"}};

  const IdentityProvider providers[] = {
      FullProvider(IdentityProviderType::kExternalJwt, jwt),
      FullProvider(IdentityProviderType::kOpenIdConnect, oidc),
      FullProvider(IdentityProviderType::kSamlV2, saml),
      FullProvider(IdentityProviderType::kSamlV2IdpInitiated, initiated),
      FullProvider(IdentityProviderType::kGoogle, google),
  };
  for (const IdentityProvider& p : providers) {
    INFO(ToJson(p).dump());
    Result<IdentityProvider> back = IdentityProviderFromJson(ToJson(p));
    REQUIRE_OK(back);
    CHECK(*back == p);
  }
  // A global provider: no tenantId comes back as none.
  IdentityProvider global = providers[0];
  global.tenant_id.reset();
  global.domains.clear();
  CHECK(REQUIRE_VALUE(IdentityProviderFromJson(ToJson(global))) == global);

  IdentityProviderLink link;
  link.identity_provider_id = providers[0].id;
  link.identity_provider_user_id = "idp-user-1";
  link.user_id = REQUIRE_VALUE(UserId::Parse("2c0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e01"));
  link.display_name = "Richard";
  link.identity_provider_name = providers[0].name;
  link.identity_provider_type = IdentityProviderType::kExternalJwt;
  link.tenant_id = providers[0].tenant_id;
  link.token = "token-value";
  link.data = {{"a", 1}};
  link.insert_instant = FromEpochMillis(1'700'000'000'001);
  link.last_login_instant = FromEpochMillis(1'700'000'000'002);
  CHECK(REQUIRE_VALUE(IdentityProviderLinkFromJson(ToJson(link))) == link);

  PendingIdPLink pending;
  pending.display_name = "Richard";
  pending.email = "richard@piedpiper.example";
  pending.identity_provider_id = providers[0].id;
  pending.identity_provider_name = providers[0].name;
  pending.identity_provider_type = IdentityProviderType::kExternalJwt;
  pending.identity_provider_user_id = "idp-user-1";
  pending.username = "richard";
  pending.identity_provider_links = {link};
  CHECK(REQUIRE_VALUE(PendingIdPLinkFromJson(ToJson(pending))) == pending);
}

TEST_CASE("identity provider defaults are FusionAuth's", "[model]") {
  IdentityProvider p;
  CHECK(p.linking_strategy == LinkingStrategy::kLinkByEmail);
  CHECK_FALSE(p.enabled);
  IdentityProviderApplicationConfiguration app;
  CHECK_FALSE(app.enabled);
  CHECK(app.create_registration);
  IdentityProviderTenantConfiguration tenant;
  CHECK_FALSE(tenant.limit_user_link_count_enabled);
  CHECK(tenant.limit_user_link_count_maximum_links == 42);
  IdentityProviderOAuth2Configuration oauth2;
  CHECK(oauth2.unique_id_claim == "sub");
  CHECK(oauth2.email_claim == "email");
  CHECK(oauth2.email_verified_claim == "email_verified");
  CHECK(oauth2.username_claim == "preferred_username");
  CHECK(oauth2.client_authentication_method == ClientAuthenticationMethod::kClientSecretBasic);
  SamlV2IdpConfiguration saml;
  CHECK(saml.name_id_format == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
  CHECK(saml.login_hint_configuration.enabled);
  CHECK(saml.login_hint_configuration.parameter_name == "login_hint");
  CHECK(saml.assertion_destination.policy == DestinationAssertionPolicy::kEnabled);
  // A provider read without type-specific members takes the type's defaults.
  IdentityProvider read =
      REQUIRE_VALUE(IdentityProviderFromJson(nlohmann::json{{"type", "OpenIDConnect"}}));
  CHECK(std::get<OpenIdConnectConfiguration>(read.config).oauth2.email_claim == "email");
}

TEST_CASE("identity provider errors", "[model]") {
  CHECK(IdentityProviderFromJson(nlohmann::json{{"name", "x"}})
            .status()
            .errors()
            .HasField("blank", "identityProvider.type"));
  CHECK(IdentityProviderFromJson(nlohmann::json{{"type", "MySpace"}})
            .status()
            .errors()
            .HasField("invalid", "identityProvider.type"));
  CHECK(IdentityProviderFromJson(
            nlohmann::json{{"type", "ExternalJWT"}, {"linkingStrategy", "LinkByVibes"}})
            .status()
            .errors()
            .HasField("invalid", "identityProvider.linkingStrategy"));
  CHECK(IdentityProviderFromJson(nlohmann::json{{"type", "ExternalJWT"}, {"claimMap", {{"a", 1}}}})
            .status()
            .errors()
            .HasField("couldNotConvert", "identityProvider.claimMap"));
  CHECK(IdentityProviderFromJson(nlohmann::json{{"type", "ExternalJWT"},
                                                {"applicationConfiguration", {{"not-an-id", {}}}}})
            .status()
            .errors()
            .HasField("couldNotConvert", "identityProvider.applicationConfiguration"));

  IdentityProvider jwt;
  Errors e = Validate(jwt);
  CHECK(e.HasField("blank", "identityProvider.name"));
  CHECK(e.HasField("blank", "identityProvider.headerKeyParameter"));
  jwt.type = IdentityProviderType::kSamlV2;  // config still ExternalJWT
  CHECK(Validate(jwt).HasField("invalid", "identityProvider.config"));

  IdentityProvider oidc;
  oidc.name = "o";
  oidc.type = IdentityProviderType::kOpenIdConnect;
  oidc.config = OpenIdConnectConfiguration{};
  Errors oe = Validate(oidc);
  CHECK(oe.HasField("blank", "identityProvider.oauth2.client_id"));
  CHECK(oe.HasField("blank", "identityProvider.oauth2.client_secret"));
  CHECK(oe.HasField("blank", "identityProvider.buttonText"));

  IdentityProvider saml;
  saml.name = "s";
  saml.type = IdentityProviderType::kSamlV2;
  saml.config = SamlV2IdpConfiguration{};
  Errors se = Validate(saml);
  CHECK(se.HasField("blank", "identityProvider.idpEndpoint"));
  CHECK(se.HasField("blank", "identityProvider.emailClaim"));

  IdentityProviderLink link;
  Errors le = Validate(link);
  CHECK(le.HasField("blank", "identityProviderLink.identityProviderId"));
  CHECK(le.HasField("blank", "identityProviderLink.identityProviderUserId"));
  CHECK(le.HasField("blank", "identityProviderLink.userId"));
}

TEST_CASE("identity provider enums round-trip", "[model]") {
  for (IdentityProviderType t :
       {IdentityProviderType::kApple, IdentityProviderType::kEpicGames,
        IdentityProviderType::kExternalJwt, IdentityProviderType::kFacebook,
        IdentityProviderType::kGoogle, IdentityProviderType::kHypr, IdentityProviderType::kLinkedIn,
        IdentityProviderType::kNintendo, IdentityProviderType::kOpenIdConnect,
        IdentityProviderType::kSamlV2, IdentityProviderType::kSamlV2IdpInitiated,
        IdentityProviderType::kSonyPsn, IdentityProviderType::kSteam, IdentityProviderType::kTwitch,
        IdentityProviderType::kTwitter, IdentityProviderType::kXbox}) {
    CHECK(REQUIRE_VALUE(ParseIdentityProviderType(ToString(t))) == t);
  }
  for (LinkingStrategy s :
       {LinkingStrategy::kCreatePendingLink, LinkingStrategy::kDisabled,
        LinkingStrategy::kLinkAnonymously, LinkingStrategy::kLinkByEmail,
        LinkingStrategy::kLinkByEmailForExistingUser, LinkingStrategy::kLinkByUsername,
        LinkingStrategy::kLinkByUsernameForExistingUser, LinkingStrategy::kUnsupported}) {
    CHECK(REQUIRE_VALUE(ParseLinkingStrategy(ToString(s))) == s);
  }
  CHECK(ToString(IdentityProviderType::kSamlV2IdpInitiated) == "SAMLv2IdPInitiated");
  CHECK(ToString(IdentityProviderType::kExternalJwt) == "ExternalJWT");
  CHECK_FALSE(ParseIdentityProviderType("externaljwt").ok());
}

}  // namespace
}  // namespace bulwark
