// SPDX-License-Identifier: Apache-2.0
//
// Application: something users log in to, with roles. Its id is also its OAuth client_id and
// is unique across all tenants. FusionAuth's Application object (§6.1 of the API reference);
// on the wire `{"application": {...}}`.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_APPLICATION_H_
#define BULWARK_MODEL_APPLICATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/enums.h"
#include "bulwark/model/jwt_configuration.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

// ApplicationRole: {id, name, description, isDefault, isSuperRole, insertInstant,
// lastUpdateInstant}. Role names are unique within an application.
struct ApplicationRole {
  RoleId id;
  std::string name;  // required
  std::string description;
  bool is_default = false;
  bool is_super_role = false;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  friend bool operator==(const ApplicationRole&, const ApplicationRole&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const ApplicationRole& role);
BULWARK_EXPORT Result<ApplicationRole> ApplicationRoleFromJson(const nlohmann::json& json,
                                                               std::string_view path = "role");

// ---- oauthConfiguration -----------------------------------------------------------------

// ClientAuthenticationPolicy: Required | NotRequired | NotRequiredWhenUsingPKCE.
enum class ClientAuthenticationPolicy { kRequired, kNotRequired, kNotRequiredWhenUsingPkce };
BULWARK_EXPORT std::string_view ToString(ClientAuthenticationPolicy v);
BULWARK_EXPORT Result<ClientAuthenticationPolicy> ParseClientAuthenticationPolicy(
    std::string_view s);

// ProofKeyForCodeExchangePolicy: Required | NotRequired | NotRequiredWhenUsingClientAuthentication.
enum class PkcePolicy { kRequired, kNotRequired, kNotRequiredWhenUsingClientAuthentication };
BULWARK_EXPORT std::string_view ToString(PkcePolicy v);
BULWARK_EXPORT Result<PkcePolicy> ParsePkcePolicy(std::string_view s);

// OAuth2AuthorizedURLValidationPolicy: ExactMatch | AllowWildcards.
enum class UrlValidationPolicy { kExactMatch, kAllowWildcards };
BULWARK_EXPORT std::string_view ToString(UrlValidationPolicy v);
BULWARK_EXPORT Result<UrlValidationPolicy> ParseUrlValidationPolicy(std::string_view s);

// GrantType: authorization_code | implicit | password | client_credentials | refresh_token |
// urn:ietf:params:oauth:grant-type:device_code.
enum class GrantType {
  kAuthorizationCode,
  kImplicit,
  kPassword,
  kClientCredentials,
  kRefreshToken,
  kDeviceCode
};
BULWARK_EXPORT std::string_view ToString(GrantType v);
BULWARK_EXPORT Result<GrantType> ParseGrantType(std::string_view s);

// LogoutBehavior: RedirectOnly | AllApplications.
enum class LogoutBehavior { kRedirectOnly, kAllApplications };
BULWARK_EXPORT std::string_view ToString(LogoutBehavior v);
BULWARK_EXPORT Result<LogoutBehavior> ParseLogoutBehavior(std::string_view s);

// OAuthApplicationRelationship: FirstParty | ThirdParty.
enum class OAuthRelationship { kFirstParty, kThirdParty };
BULWARK_EXPORT std::string_view ToString(OAuthRelationship v);
BULWARK_EXPORT Result<OAuthRelationship> ParseOAuthRelationship(std::string_view s);

// OAuthScopeConsentMode: AlwaysPrompt | RememberDecision | NeverPrompt.
enum class ConsentMode { kAlwaysPrompt, kRememberDecision, kNeverPrompt };
BULWARK_EXPORT std::string_view ToString(ConsentMode v);
BULWARK_EXPORT Result<ConsentMode> ParseConsentMode(std::string_view s);

// OAuthScopeHandlingPolicy: Strict | Compatibility.
enum class ScopeHandlingPolicy { kStrict, kCompatibility };
BULWARK_EXPORT std::string_view ToString(ScopeHandlingPolicy v);
BULWARK_EXPORT Result<ScopeHandlingPolicy> ParseScopeHandlingPolicy(std::string_view s);

// UnknownScopePolicy: Reject | Allow | Remove.
enum class UnknownScopePolicy { kReject, kAllow, kRemove };
BULWARK_EXPORT std::string_view ToString(UnknownScopePolicy v);
BULWARK_EXPORT Result<UnknownScopePolicy> ParseUnknownScopePolicy(std::string_view s);

struct ProvidedScope {
  bool enabled = true;
  bool required = false;
  friend bool operator==(const ProvidedScope&, const ProvidedScope&) = default;
};

struct ApplicationOAuthConfiguration {
  // clientId is the application id on the wire (read-only); it is not stored separately.
  std::string client_secret;  // generated when blank on create
  ClientAuthenticationPolicy client_authentication_policy = ClientAuthenticationPolicy::kRequired;
  bool require_client_authentication = true;  // deprecated mirror of the policy
  PkcePolicy proof_key_for_code_exchange_policy = PkcePolicy::kNotRequired;
  std::vector<std::string> authorized_redirect_urls;  // authorizedRedirectURLs
  std::vector<std::string> authorized_origin_urls;    // authorizedOriginURLs
  UrlValidationPolicy authorized_url_validation_policy = UrlValidationPolicy::kExactMatch;
  std::vector<std::string> authorized_resource_uris;
  std::vector<GrantType> enabled_grants;
  bool generate_refresh_tokens = true;
  bool require_registration = false;
  std::string logout_url;  // logoutURL
  LogoutBehavior logout_behavior = LogoutBehavior::kAllApplications;
  std::string device_verification_url;  // deviceVerificationURL
  bool debug = false;
  OAuthRelationship relationship = OAuthRelationship::kFirstParty;
  ConsentMode consent_mode = ConsentMode::kAlwaysPrompt;
  ScopeHandlingPolicy scope_handling_policy = ScopeHandlingPolicy::kStrict;
  UnknownScopePolicy unknown_scope_policy = UnknownScopePolicy::kReject;
  struct ProvidedScopePolicy {
    ProvidedScope address, email, phone, profile;
    friend bool operator==(const ProvidedScopePolicy&, const ProvidedScopePolicy&) = default;
  } provided_scope_policy;

  friend bool operator==(const ApplicationOAuthConfiguration&,
                         const ApplicationOAuthConfiguration&) = default;
};

// ---- loginConfiguration, registrationConfiguration --------------------------------------

struct ApplicationLoginConfiguration {
  bool allow_token_refresh = false;      // refresh tokens usable at /api/jwt/refresh
  bool generate_refresh_tokens = false;  // the Login API issues refresh tokens
  bool require_authentication = true;    // the Login API needs an API key
  friend bool operator==(const ApplicationLoginConfiguration&,
                         const ApplicationLoginConfiguration&) = default;
};

// RegistrationType: basic | advanced.
enum class RegistrationType { kBasic, kAdvanced };
BULWARK_EXPORT std::string_view ToString(RegistrationType v);
BULWARK_EXPORT Result<RegistrationType> ParseRegistrationType(std::string_view s);

// LoginIdType (registrationConfiguration.loginIdType): email | phoneNumber | username.
enum class RegistrationLoginIdType { kEmail, kPhoneNumber, kUsername };
BULWARK_EXPORT std::string_view ToString(RegistrationLoginIdType v);
BULWARK_EXPORT Result<RegistrationLoginIdType> ParseRegistrationLoginIdType(std::string_view s);

struct RequirableField {
  bool enabled = false;
  bool required = false;
  friend bool operator==(const RequirableField&, const RequirableField&) = default;
};

struct ApplicationRegistrationConfiguration {
  bool enabled = false;
  RegistrationType type = RegistrationType::kBasic;
  std::optional<FormId> form_id;
  RegistrationLoginIdType login_id_type = RegistrationLoginIdType::kEmail;
  bool confirm_password = false;
  bool complete_registration = false;
  RequirableField birth_date, first_name, full_name, last_name, middle_name, mobile_phone,
      preferred_languages;
  friend bool operator==(const ApplicationRegistrationConfiguration&,
                         const ApplicationRegistrationConfiguration&) = default;
};

// ---- samlv2Configuration (bulwark as the SAML identity provider) -------------------------

// XMLSignatureLocation: Assertion | Response.
enum class XmlSignatureLocation { kAssertion, kResponse };
BULWARK_EXPORT std::string_view ToString(XmlSignatureLocation v);
BULWARK_EXPORT Result<XmlSignatureLocation> ParseXmlSignatureLocation(std::string_view s);

// SAMLLogoutBehavior: AllParticipants | OnlyOriginator.
enum class SamlLogoutBehavior { kAllParticipants, kOnlyOriginator };
BULWARK_EXPORT std::string_view ToString(SamlLogoutBehavior v);
BULWARK_EXPORT Result<SamlLogoutBehavior> ParseSamlLogoutBehavior(std::string_view s);

// XMLEncryptionAlgorithm: AES128 | AES192 | AES256 | AES128GCM | AES192GCM | AES256GCM | TripleDES.
enum class XmlEncryptionAlgorithm {
  kAes128,
  kAes192,
  kAes256,
  kAes128Gcm,
  kAes192Gcm,
  kAes256Gcm,
  kTripleDes
};
BULWARK_EXPORT std::string_view ToString(XmlEncryptionAlgorithm v);
BULWARK_EXPORT Result<XmlEncryptionAlgorithm> ParseXmlEncryptionAlgorithm(std::string_view s);

// XMLKeyLocation: Child | Sibling.
enum class XmlKeyLocation { kChild, kSibling };
BULWARK_EXPORT std::string_view ToString(XmlKeyLocation v);
BULWARK_EXPORT Result<XmlKeyLocation> ParseXmlKeyLocation(std::string_view s);

// KeyTransportAlgorithm: RSAv15 | RSA_OAEP | RSA_OAEP_MGF1P.
enum class KeyTransportAlgorithm { kRsaV15, kRsaOaep, kRsaOaepMgf1p };
BULWARK_EXPORT std::string_view ToString(KeyTransportAlgorithm v);
BULWARK_EXPORT Result<KeyTransportAlgorithm> ParseKeyTransportAlgorithm(std::string_view s);

// DigestAlgorithm: SHA1 | SHA256 | SHA384 | SHA512.
enum class DigestAlgorithm { kSha1, kSha256, kSha384, kSha512 };
BULWARK_EXPORT std::string_view ToString(DigestAlgorithm v);
BULWARK_EXPORT Result<DigestAlgorithm> ParseDigestAlgorithm(std::string_view s);

// MaskGenerationFunction: MGF1_SHA1 | MGF1_SHA224 | MGF1_SHA256 | MGF1_SHA384 | MGF1_SHA512.
enum class MaskGenerationFunction { kMgf1Sha1, kMgf1Sha224, kMgf1Sha256, kMgf1Sha384, kMgf1Sha512 };
BULWARK_EXPORT std::string_view ToString(MaskGenerationFunction v);
BULWARK_EXPORT Result<MaskGenerationFunction> ParseMaskGenerationFunction(std::string_view s);

inline constexpr std::string_view kNameIdFormatPersistent =
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

struct SamlV2SingleLogout {
  bool enabled = false;
  std::string url;
  std::optional<KeyId> key_id;
  CanonicalizationMethod xml_signature_c14n_method = CanonicalizationMethod::kExclusiveWithComments;
  friend bool operator==(const SamlV2SingleLogout&, const SamlV2SingleLogout&) = default;
};

struct SamlV2Logout {
  SamlLogoutBehavior behavior = SamlLogoutBehavior::kAllParticipants;
  bool require_signed_requests = false;
  std::optional<KeyId> default_verification_key_id;  // deprecated 1.69
  std::vector<KeyId> verification_key_ids;
  std::optional<KeyId> key_id;
  CanonicalizationMethod xml_signature_c14n_method = CanonicalizationMethod::kExclusiveWithComments;
  SamlV2SingleLogout single_logout;
  friend bool operator==(const SamlV2Logout&, const SamlV2Logout&) = default;
};

struct SamlV2AssertionEncryptionConfiguration {
  bool enabled = false;
  XmlEncryptionAlgorithm encryption_algorithm = XmlEncryptionAlgorithm::kAes256Gcm;
  XmlKeyLocation key_location = XmlKeyLocation::kChild;
  KeyTransportAlgorithm key_transport_algorithm = KeyTransportAlgorithm::kRsaOaep;
  DigestAlgorithm digest_algorithm = DigestAlgorithm::kSha256;
  MaskGenerationFunction mask_generation_function = MaskGenerationFunction::kMgf1Sha1;
  std::optional<KeyId> key_transport_encryption_key_id;
  friend bool operator==(const SamlV2AssertionEncryptionConfiguration&,
                         const SamlV2AssertionEncryptionConfiguration&) = default;
};

struct ApplicationSamlV2Configuration {
  bool enabled = false;
  std::string issuer;    // the service provider's entityId; required when enabled
  std::string audience;  // default: issuer
  std::vector<std::string> authorized_redirect_urls;  // ACS URLs; the first is the default
  std::string callback_url;                           // callbackURL (deprecated)
  std::string logout_url;                             // logoutURL
  bool debug = false;
  bool require_signed_requests = false;
  std::optional<KeyId> default_verification_key_id;  // deprecated 1.69
  std::vector<KeyId> verification_key_ids;
  std::optional<KeyId> key_id;  // signing key
  CanonicalizationMethod xml_signature_c14n_method = CanonicalizationMethod::kExclusiveWithComments;
  XmlSignatureLocation xml_signature_location = XmlSignatureLocation::kAssertion;
  struct InitiatedLogin {
    bool enabled = false;
    std::string name_id_format = std::string(kNameIdFormatPersistent);
    friend bool operator==(const InitiatedLogin&, const InitiatedLogin&) = default;
  } initiated_login;
  struct LoginHintConfiguration {
    bool enabled = true;
    std::string parameter_name = "login_hint";
    friend bool operator==(const LoginHintConfiguration&, const LoginHintConfiguration&) = default;
  } login_hint_configuration;
  SamlV2Logout logout;
  SamlV2AssertionEncryptionConfiguration assertion_encryption_configuration;
  friend bool operator==(const ApplicationSamlV2Configuration&,
                         const ApplicationSamlV2Configuration&) = default;
};

// ---- multiFactorConfiguration, lambdas and the rest ---------------------------------------

// MultiFactorLoginPolicy: Enabled | Disabled | Required (| ChallengeOnMediumRisk |
// ChallengeOnHighRisk).
enum class MultiFactorLoginPolicy {
  kEnabled,
  kDisabled,
  kRequired,
  kChallengeOnMediumRisk,
  kChallengeOnHighRisk
};
BULWARK_EXPORT std::string_view ToString(MultiFactorLoginPolicy v);
BULWARK_EXPORT Result<MultiFactorLoginPolicy> ParseMultiFactorLoginPolicy(std::string_view s);

// ApplicationMultiFactorTrustPolicy: Any | This | None.
enum class MultiFactorTrustPolicy { kAny, kThis, kNone };
BULWARK_EXPORT std::string_view ToString(MultiFactorTrustPolicy v);
BULWARK_EXPORT Result<MultiFactorTrustPolicy> ParseMultiFactorTrustPolicy(std::string_view s);

struct ApplicationMultiFactorConfiguration {
  std::optional<MultiFactorLoginPolicy> login_policy;  // absent: the tenant decides
  std::optional<MultiFactorTrustPolicy> trust_policy;
  std::optional<EmailTemplateId> email_template_id;    // email.templateId
  std::optional<MessageTemplateId> sms_template_id;    // sms.templateId
  std::optional<MessageTemplateId> voice_template_id;  // voice.templateId
  friend bool operator==(const ApplicationMultiFactorConfiguration&,
                         const ApplicationMultiFactorConfiguration&) = default;
};

struct ApplicationLambdaConfiguration {
  std::optional<LambdaId> access_token_populate_id;
  std::optional<LambdaId> id_token_populate_id;
  std::optional<LambdaId> samlv2_populate_id;
  std::optional<LambdaId> userinfo_populate_id;
  std::optional<LambdaId> self_service_registration_validation_id;
  friend bool operator==(const ApplicationLambdaConfiguration&,
                         const ApplicationLambdaConfiguration&) = default;
};

struct ApplicationPasswordlessConfiguration {
  bool enabled = false;
  std::string email_login_strategy;  // empty = absent
  std::string phone_login_strategy;
  friend bool operator==(const ApplicationPasswordlessConfiguration&,
                         const ApplicationPasswordlessConfiguration&) = default;
};

// VerificationStrategy: ClickableLink | FormField.
enum class VerificationStrategy { kClickableLink, kFormField };
BULWARK_EXPORT std::string_view ToString(VerificationStrategy v);
BULWARK_EXPORT Result<VerificationStrategy> ParseVerificationStrategy(std::string_view s);

struct Application {
  ApplicationId id;  // also the OAuth client_id
  TenantId tenant_id;
  std::string name;  // required
  bool active = true;
  ObjectState state = ObjectState::kActive;
  std::vector<ApplicationRole> roles;
  nlohmann::json data = nlohmann::json::object();
  bool verify_registration = false;
  std::optional<EmailTemplateId> verification_email_template_id;
  VerificationStrategy verification_strategy = VerificationStrategy::kClickableLink;
  std::optional<ThemeId> theme_id;
  std::string base_url;  // baseURL
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  ApplicationOAuthConfiguration oauth_configuration;
  JwtConfiguration jwt_configuration;  // used only when enabled
  ApplicationLoginConfiguration login_configuration;
  ApplicationRegistrationConfiguration registration_configuration;
  ApplicationSamlV2Configuration samlv2_configuration;
  ApplicationMultiFactorConfiguration multi_factor_configuration;
  ApplicationLambdaConfiguration lambda_configuration;
  ApplicationPasswordlessConfiguration passwordless_configuration;
  bool authentication_token_configuration_enabled =
      false;  // authenticationTokenConfiguration.enabled
  // externalIdentifierConfiguration.twoFactorTrustIdTimeToLiveInSeconds (absent: the tenant's)
  std::optional<int> two_factor_trust_id_time_to_live_in_seconds;

  // Kept as JSON until their behaviour arrives; they round-trip unchanged.
  nlohmann::json access_control_configuration;
  nlohmann::json clean_speak_configuration;
  nlohmann::json email_configuration;
  nlohmann::json form_configuration;
  nlohmann::json registration_delete_policy;
  nlohmann::json scopes;  // array of custom OAuth scopes
  nlohmann::json universal_configuration;
  nlohmann::json webauthn_configuration;

  friend bool operator==(const Application&, const Application&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const Application& application);
BULWARK_EXPORT Result<Application> ApplicationFromJson(const nlohmann::json& json,
                                                       std::string_view path = "application");
// The application's own rules: [blank]application.name, [blank]role.name, [duplicate]role.name,
// [invalid] for out-of-range values (negative lifetimes, a one-time-use grace period ≥ 86400,
// a sliding-window maximum below the refresh lifetime),
// [blank]application.samlv2Configuration.issuer when SAML is enabled.
BULWARK_EXPORT Errors Validate(const Application& application);

}  // namespace bulwark

#endif  // BULWARK_MODEL_APPLICATION_H_
