// SPDX-License-Identifier: Apache-2.0
//
// IdentityProvider: an external source of identities that users log in through (FusionAuth's
// Identity Provider API, §2 of the API reference); on the wire `{"identityProvider": {...}}`.
// The common members live in IdentityProvider; the members of the provider's own type live in
// `config`, one struct per type: ExternalJWT, OpenIDConnect, SAMLv2 and SAMLv2IdPInitiated are
// typed; the other FusionAuth types (Google, Apple, ...) keep their members as JSON.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_IDENTITY_PROVIDER_H_
#define BULWARK_MODEL_IDENTITY_PROVIDER_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/enums.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

// IdentityProviderType (wire names as FusionAuth spells them).
enum class IdentityProviderType {
  kApple,
  kEpicGames,
  kExternalJwt,
  kFacebook,
  kGoogle,
  kHypr,
  kLinkedIn,
  kNintendo,
  kOpenIdConnect,
  kSamlV2,
  kSamlV2IdpInitiated,
  kSonyPsn,
  kSteam,
  kTwitch,
  kTwitter,
  kXbox,
};
BULWARK_EXPORT std::string_view ToString(IdentityProviderType v);
BULWARK_EXPORT Result<IdentityProviderType> ParseIdentityProviderType(std::string_view s);

// IdentityProviderLinkingStrategy.
enum class LinkingStrategy {
  kCreatePendingLink,
  kDisabled,
  kLinkAnonymously,
  kLinkByEmail,
  kLinkByEmailForExistingUser,
  kLinkByUsername,
  kLinkByUsernameForExistingUser,
  kUnsupported,
};
BULWARK_EXPORT std::string_view ToString(LinkingStrategy v);
BULWARK_EXPORT Result<LinkingStrategy> ParseLinkingStrategy(std::string_view s);

// IdentityProviderOauth2Configuration.clientAuthenticationMethod.
enum class ClientAuthenticationMethod { kClientSecretBasic, kClientSecretPost, kNone };
BULWARK_EXPORT std::string_view ToString(ClientAuthenticationMethod v);
BULWARK_EXPORT Result<ClientAuthenticationMethod> ParseClientAuthenticationMethod(
    std::string_view s);

// SAMLv2DestinationAssertionPolicy: Enabled | Disabled | AllowAlternates.
enum class DestinationAssertionPolicy { kEnabled, kDisabled, kAllowAlternates };
BULWARK_EXPORT std::string_view ToString(DestinationAssertionPolicy v);
BULWARK_EXPORT Result<DestinationAssertionPolicy> ParseDestinationAssertionPolicy(
    std::string_view s);

// The `oauth2` object of ExternalJWT and OpenIDConnect providers.
struct IdentityProviderOAuth2Configuration {
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;  // OpenIDConnect
  std::string issuer;             // OpenIDConnect: discovery when set
  std::string client_id;          // OpenIDConnect
  std::string client_secret;      // OpenIDConnect
  ClientAuthenticationMethod client_authentication_method =
      ClientAuthenticationMethod::kClientSecretBasic;
  std::string scope;
  std::string unique_id_claim = "sub";
  std::string email_claim = "email";
  std::string email_verified_claim = "email_verified";
  std::string username_claim = "preferred_username";

  friend bool operator==(const IdentityProviderOAuth2Configuration&,
                         const IdentityProviderOAuth2Configuration&) = default;
};

struct ExternalJwtConfiguration {
  std::string header_key_parameter;     // required: "kid", "x5t", ...
  std::optional<KeyId> default_key_id;  // deprecated 1.69: the first verification key
  std::vector<KeyId> verification_key_ids;
  std::string unique_identity_claim;  // deprecated
  // Incoming claim -> user field (firstName, ..., or UserData / RegistrationData).
  std::map<std::string, std::string> claim_map;
  IdentityProviderOAuth2Configuration oauth2;

  friend bool operator==(const ExternalJwtConfiguration&,
                         const ExternalJwtConfiguration&) = default;
};

struct OpenIdConnectConfiguration {
  IdentityProviderOAuth2Configuration oauth2;
  std::string button_text;  // required
  std::string button_image_url;
  bool post_request = false;

  friend bool operator==(const OpenIdConnectConfiguration&,
                         const OpenIdConnectConfiguration&) = default;
};

struct SamlV2AssertionDecryptionConfiguration {
  bool enabled = false;
  std::optional<KeyId> key_transport_decryption_key_id;
  friend bool operator==(const SamlV2AssertionDecryptionConfiguration&,
                         const SamlV2AssertionDecryptionConfiguration&) = default;
};

struct SamlV2IdpConfiguration {  // type SAMLv2: bulwark as the service provider
  std::string idp_endpoint;      // required
  std::string issuer;            // our entityId; default {baseURL}/samlv2/sp/{id}
  std::optional<KeyId> key_id;   // deprecated 1.69
  std::vector<KeyId> verification_key_ids;
  std::string name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
  bool use_name_id_for_email = false;
  std::string email_claim;
  std::string unique_id_claim;
  std::string username_claim;
  bool post_request = false;
  bool sign_request = false;
  std::optional<KeyId> request_signing_key_id;
  CanonicalizationMethod xml_signature_c14n_method = CanonicalizationMethod::kExclusiveWithComments;
  struct Destination {
    DestinationAssertionPolicy policy = DestinationAssertionPolicy::kEnabled;
    std::vector<std::string> alternates;
    friend bool operator==(const Destination&, const Destination&) = default;
  } assertion_destination;  // assertionConfiguration.destination
  SamlV2AssertionDecryptionConfiguration assertion_decryption_configuration;
  struct IdpInitiated {
    bool enabled = false;
    std::string issuer;
    friend bool operator==(const IdpInitiated&, const IdpInitiated&) = default;
  } idp_initiated_configuration;
  struct LoginHint {
    bool enabled = true;
    std::string parameter_name = "login_hint";
    friend bool operator==(const LoginHint&, const LoginHint&) = default;
  } login_hint_configuration;
  std::string button_text;  // required
  std::string button_image_url;

  friend bool operator==(const SamlV2IdpConfiguration&, const SamlV2IdpConfiguration&) = default;
};

struct SamlV2IdpInitiatedConfiguration {  // type SAMLv2IdPInitiated
  std::string issuer;                     // required: the IdP's entityId
  std::optional<KeyId> key_id;
  std::vector<KeyId> verification_key_ids;
  bool use_name_id_for_email = false;
  std::string email_claim;
  std::string unique_id_claim;
  std::string username_claim;
  SamlV2AssertionDecryptionConfiguration assertion_decryption_configuration;

  friend bool operator==(const SamlV2IdpInitiatedConfiguration&,
                         const SamlV2IdpInitiatedConfiguration&) = default;
};

// The types bulwark does not model yet: their own members, kept as JSON.
struct OtherIdentityProviderConfiguration {
  nlohmann::json members = nlohmann::json::object();
  friend bool operator==(const OtherIdentityProviderConfiguration&,
                         const OtherIdentityProviderConfiguration&) = default;
};

using IdentityProviderConfiguration =
    std::variant<ExternalJwtConfiguration, OpenIdConnectConfiguration, SamlV2IdpConfiguration,
                 SamlV2IdpInitiatedConfiguration, OtherIdentityProviderConfiguration>;

// applicationConfiguration[applicationId].
struct IdentityProviderApplicationConfiguration {
  bool enabled = false;
  bool create_registration = true;
  nlohmann::json data = nlohmann::json::object();
  // Type-specific overrides (OpenIDConnect, SAMLv2, social types), kept as given:
  // buttonText, buttonImageURL, oauth2 {client_id, client_secret, scope}, ...
  nlohmann::json overrides = nlohmann::json::object();

  friend bool operator==(const IdentityProviderApplicationConfiguration&,
                         const IdentityProviderApplicationConfiguration&) = default;
};

// tenantConfiguration[tenantId].
struct IdentityProviderTenantConfiguration {
  bool limit_user_link_count_enabled = false;    // limitUserLinkCount.enabled
  int limit_user_link_count_maximum_links = 42;  // limitUserLinkCount.maximumLinks
  nlohmann::json data = nlohmann::json::object();

  friend bool operator==(const IdentityProviderTenantConfiguration&,
                         const IdentityProviderTenantConfiguration&) = default;
};

struct IdentityProvider {
  IdentityProviderId id;
  std::string name;  // required, unique
  IdentityProviderType type = IdentityProviderType::kExternalJwt;
  bool enabled = false;
  bool debug = false;
  nlohmann::json data = nlohmann::json::object();
  std::string source;
  LinkingStrategy linking_strategy = LinkingStrategy::kLinkByEmail;
  std::map<ApplicationId, IdentityProviderApplicationConfiguration> application_configuration;
  std::map<TenantId, IdentityProviderTenantConfiguration> tenant_configuration;
  std::optional<LambdaId> reconcile_lambda_id;  // lambdaConfiguration.reconcileId
  std::optional<TenantId> tenant_id;            // set: a tenant-scoped provider
  std::vector<std::string> domains;             // managed email domains
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;
  // Must match `type`: ExternalJwtConfiguration for kExternalJwt, and so on; the other types
  // use OtherIdentityProviderConfiguration.
  IdentityProviderConfiguration config = ExternalJwtConfiguration{};

  friend bool operator==(const IdentityProvider&, const IdentityProvider&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const IdentityProvider& provider);
// Reads a provider; `type` selects the shape of `config`. A missing type is
// [blank]identityProvider.type.
BULWARK_EXPORT Result<IdentityProvider> IdentityProviderFromJson(
    const nlohmann::json& json, std::string_view path = "identityProvider");
// [blank]identityProvider.name; per type: [blank]identityProvider.headerKeyParameter (ExternalJWT),
// [blank]identityProvider.oauth2.client_id and .buttonText (OpenIDConnect),
// [blank]identityProvider.idpEndpoint and .buttonText (SAMLv2), [blank]identityProvider.issuer
// (SAMLv2IdPInitiated); [invalid]identityProvider.config when config does not match type.
BULWARK_EXPORT Errors Validate(const IdentityProvider& provider);

}  // namespace bulwark

#endif  // BULWARK_MODEL_IDENTITY_PROVIDER_H_
