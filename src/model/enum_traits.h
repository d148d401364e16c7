// SPDX-License-Identifier: Apache-2.0
// Private: the model's enums with FusionAuth's wire names and type names, one EnumTraits
// specialisation each (core/enum_table.h). The JSON archives and the public ToString/Parse
// functions (enum_names.cc) all read these tables; nothing else spells a wire name.
#ifndef BULWARK_MODEL_ENUM_TRAITS_H_
#define BULWARK_MODEL_ENUM_TRAITS_H_

#include <string_view>

#include "bulwark/model/application.h"
#include "bulwark/model/enums.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/jwt_configuration.h"
#include "bulwark/model/key.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "core/enum_table.h"

namespace bulwark::internal {

// ---- bulwark/model/enums.h ----

template <>
struct EnumTraits<ObjectState> {
  static constexpr std::string_view kTypeName = "ObjectState";
  static constexpr EnumEntry<ObjectState> kTable[] = {
      {ObjectState::kActive, "Active"},
      {ObjectState::kInactive, "Inactive"},
      {ObjectState::kPendingDelete, "PendingDelete"},
  };
};
template <>
struct EnumTraits<UsernameStatus> {
  static constexpr std::string_view kTypeName = "ContentStatus";
  static constexpr EnumEntry<UsernameStatus> kTable[] = {
      {UsernameStatus::kActive, "ACTIVE"},
      {UsernameStatus::kPending, "PENDING"},
      {UsernameStatus::kRejected, "REJECTED"},
  };
};
template <>
struct EnumTraits<CanonicalizationMethod> {
  static constexpr std::string_view kTypeName = "CanonicalizationMethod";
  static constexpr EnumEntry<CanonicalizationMethod> kTable[] = {
      {CanonicalizationMethod::kExclusive, "exclusive"},
      {CanonicalizationMethod::kExclusiveWithComments, "exclusive_with_comments"},
      {CanonicalizationMethod::kInclusive, "inclusive"},
      {CanonicalizationMethod::kInclusiveWithComments, "inclusive_with_comments"},
  };
};

// ---- bulwark/model/application.h ----

template <>
struct EnumTraits<ClientAuthenticationPolicy> {
  static constexpr std::string_view kTypeName = "ClientAuthenticationPolicy";
  static constexpr EnumEntry<ClientAuthenticationPolicy> kTable[] = {
      {ClientAuthenticationPolicy::kRequired, "Required"},
      {ClientAuthenticationPolicy::kNotRequired, "NotRequired"},
      {ClientAuthenticationPolicy::kNotRequiredWhenUsingPkce, "NotRequiredWhenUsingPKCE"},
  };
};
template <>
struct EnumTraits<PkcePolicy> {
  static constexpr std::string_view kTypeName = "ProofKeyForCodeExchangePolicy";
  static constexpr EnumEntry<PkcePolicy> kTable[] = {
      {PkcePolicy::kRequired, "Required"},
      {PkcePolicy::kNotRequired, "NotRequired"},
      {PkcePolicy::kNotRequiredWhenUsingClientAuthentication,
       "NotRequiredWhenUsingClientAuthentication"},
  };
};
template <>
struct EnumTraits<UrlValidationPolicy> {
  static constexpr std::string_view kTypeName = "Oauth2AuthorizedURLValidationPolicy";
  static constexpr EnumEntry<UrlValidationPolicy> kTable[] = {
      {UrlValidationPolicy::kExactMatch, "ExactMatch"},
      {UrlValidationPolicy::kAllowWildcards, "AllowWildcards"},
  };
};
template <>
struct EnumTraits<GrantType> {
  static constexpr std::string_view kTypeName = "GrantType";
  static constexpr EnumEntry<GrantType> kTable[] = {
      {GrantType::kAuthorizationCode, "authorization_code"},
      {GrantType::kImplicit, "implicit"},
      {GrantType::kPassword, "password"},
      {GrantType::kClientCredentials, "client_credentials"},
      {GrantType::kRefreshToken, "refresh_token"},
      {GrantType::kDeviceCode, "urn:ietf:params:oauth:grant-type:device_code"},
  };
};
template <>
struct EnumTraits<LogoutBehavior> {
  static constexpr std::string_view kTypeName = "LogoutBehavior";
  static constexpr EnumEntry<LogoutBehavior> kTable[] = {
      {LogoutBehavior::kRedirectOnly, "RedirectOnly"},
      {LogoutBehavior::kAllApplications, "AllApplications"},
  };
};
template <>
struct EnumTraits<OAuthRelationship> {
  static constexpr std::string_view kTypeName = "OAuthApplicationRelationship";
  static constexpr EnumEntry<OAuthRelationship> kTable[] = {
      {OAuthRelationship::kFirstParty, "FirstParty"},
      {OAuthRelationship::kThirdParty, "ThirdParty"},
  };
};
template <>
struct EnumTraits<ConsentMode> {
  static constexpr std::string_view kTypeName = "OAuthScopeConsentMode";
  static constexpr EnumEntry<ConsentMode> kTable[] = {
      {ConsentMode::kAlwaysPrompt, "AlwaysPrompt"},
      {ConsentMode::kRememberDecision, "RememberDecision"},
      {ConsentMode::kNeverPrompt, "NeverPrompt"},
  };
};
template <>
struct EnumTraits<ScopeHandlingPolicy> {
  static constexpr std::string_view kTypeName = "OAuthScopeHandlingPolicy";
  static constexpr EnumEntry<ScopeHandlingPolicy> kTable[] = {
      {ScopeHandlingPolicy::kStrict, "Strict"},
      {ScopeHandlingPolicy::kCompatibility, "Compatibility"},
  };
};
template <>
struct EnumTraits<UnknownScopePolicy> {
  static constexpr std::string_view kTypeName = "UnknownScopePolicy";
  static constexpr EnumEntry<UnknownScopePolicy> kTable[] = {
      {UnknownScopePolicy::kReject, "Reject"},
      {UnknownScopePolicy::kAllow, "Allow"},
      {UnknownScopePolicy::kRemove, "Remove"},
  };
};
template <>
struct EnumTraits<RegistrationType> {
  static constexpr std::string_view kTypeName = "RegistrationType";
  static constexpr EnumEntry<RegistrationType> kTable[] = {
      {RegistrationType::kBasic, "basic"},
      {RegistrationType::kAdvanced, "advanced"},
  };
};
template <>
struct EnumTraits<RegistrationLoginIdType> {
  static constexpr std::string_view kTypeName = "LoginIdType";
  static constexpr EnumEntry<RegistrationLoginIdType> kTable[] = {
      {RegistrationLoginIdType::kEmail, "email"},
      {RegistrationLoginIdType::kPhoneNumber, "phoneNumber"},
      {RegistrationLoginIdType::kUsername, "username"},
  };
};
template <>
struct EnumTraits<XmlSignatureLocation> {
  static constexpr std::string_view kTypeName = "XMLSignatureLocation";
  static constexpr EnumEntry<XmlSignatureLocation> kTable[] = {
      {XmlSignatureLocation::kAssertion, "Assertion"},
      {XmlSignatureLocation::kResponse, "Response"},
  };
};
template <>
struct EnumTraits<SamlLogoutBehavior> {
  static constexpr std::string_view kTypeName = "SAMLLogoutBehavior";
  static constexpr EnumEntry<SamlLogoutBehavior> kTable[] = {
      {SamlLogoutBehavior::kAllParticipants, "AllParticipants"},
      {SamlLogoutBehavior::kOnlyOriginator, "OnlyOriginator"},
  };
};
template <>
struct EnumTraits<XmlEncryptionAlgorithm> {
  static constexpr std::string_view kTypeName = "XMLEncryptionAlgorithm";
  static constexpr EnumEntry<XmlEncryptionAlgorithm> kTable[] = {
      {XmlEncryptionAlgorithm::kAes128, "AES128"},
      {XmlEncryptionAlgorithm::kAes192, "AES192"},
      {XmlEncryptionAlgorithm::kAes256, "AES256"},
      {XmlEncryptionAlgorithm::kAes128Gcm, "AES128GCM"},
      {XmlEncryptionAlgorithm::kAes192Gcm, "AES192GCM"},
      {XmlEncryptionAlgorithm::kAes256Gcm, "AES256GCM"},
      {XmlEncryptionAlgorithm::kTripleDes, "TripleDES"},
  };
};
template <>
struct EnumTraits<XmlKeyLocation> {
  static constexpr std::string_view kTypeName = "XMLKeyLocation";
  static constexpr EnumEntry<XmlKeyLocation> kTable[] = {
      {XmlKeyLocation::kChild, "Child"},
      {XmlKeyLocation::kSibling, "Sibling"},
  };
};
template <>
struct EnumTraits<KeyTransportAlgorithm> {
  static constexpr std::string_view kTypeName = "KeyTransportAlgorithm";
  static constexpr EnumEntry<KeyTransportAlgorithm> kTable[] = {
      {KeyTransportAlgorithm::kRsaV15, "RSAv15"},
      {KeyTransportAlgorithm::kRsaOaep, "RSA_OAEP"},
      {KeyTransportAlgorithm::kRsaOaepMgf1p, "RSA_OAEP_MGF1P"},
  };
};
template <>
struct EnumTraits<DigestAlgorithm> {
  static constexpr std::string_view kTypeName = "DigestAlgorithm";
  static constexpr EnumEntry<DigestAlgorithm> kTable[] = {
      {DigestAlgorithm::kSha1, "SHA1"},
      {DigestAlgorithm::kSha256, "SHA256"},
      {DigestAlgorithm::kSha384, "SHA384"},
      {DigestAlgorithm::kSha512, "SHA512"},
  };
};
template <>
struct EnumTraits<MaskGenerationFunction> {
  static constexpr std::string_view kTypeName = "MaskGenerationFunction";
  static constexpr EnumEntry<MaskGenerationFunction> kTable[] = {
      {MaskGenerationFunction::kMgf1Sha1, "MGF1_SHA1"},
      {MaskGenerationFunction::kMgf1Sha224, "MGF1_SHA224"},
      {MaskGenerationFunction::kMgf1Sha256, "MGF1_SHA256"},
      {MaskGenerationFunction::kMgf1Sha384, "MGF1_SHA384"},
      {MaskGenerationFunction::kMgf1Sha512, "MGF1_SHA512"},
  };
};
template <>
struct EnumTraits<MultiFactorLoginPolicy> {
  static constexpr std::string_view kTypeName = "MultiFactorLoginPolicy";
  static constexpr EnumEntry<MultiFactorLoginPolicy> kTable[] = {
      {MultiFactorLoginPolicy::kEnabled, "Enabled"},
      {MultiFactorLoginPolicy::kDisabled, "Disabled"},
      {MultiFactorLoginPolicy::kRequired, "Required"},
      {MultiFactorLoginPolicy::kChallengeOnMediumRisk, "ChallengeOnMediumRisk"},
      {MultiFactorLoginPolicy::kChallengeOnHighRisk, "ChallengeOnHighRisk"},
  };
};
template <>
struct EnumTraits<MultiFactorTrustPolicy> {
  static constexpr std::string_view kTypeName = "ApplicationMultiFactorTrustPolicy";
  static constexpr EnumEntry<MultiFactorTrustPolicy> kTable[] = {
      {MultiFactorTrustPolicy::kAny, "Any"},
      {MultiFactorTrustPolicy::kThis, "This"},
      {MultiFactorTrustPolicy::kNone, "None"},
  };
};
template <>
struct EnumTraits<VerificationStrategy> {
  static constexpr std::string_view kTypeName = "VerificationStrategy";
  static constexpr EnumEntry<VerificationStrategy> kTable[] = {
      {VerificationStrategy::kClickableLink, "ClickableLink"},
      {VerificationStrategy::kFormField, "FormField"},
  };
};

// ---- bulwark/model/jwt_configuration.h ----

template <>
struct EnumTraits<RefreshTokenExpirationPolicy> {
  static constexpr std::string_view kTypeName = "RefreshTokenExpirationPolicy";
  static constexpr EnumEntry<RefreshTokenExpirationPolicy> kTable[] = {
      {RefreshTokenExpirationPolicy::kFixed, "Fixed"},
      {RefreshTokenExpirationPolicy::kSlidingWindow, "SlidingWindow"},
      {RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime,
       "SlidingWindowWithMaximumLifetime"},
  };
};
template <>
struct EnumTraits<RefreshTokenUsagePolicy> {
  static constexpr std::string_view kTypeName = "RefreshTokenUsagePolicy";
  static constexpr EnumEntry<RefreshTokenUsagePolicy> kTable[] = {
      {RefreshTokenUsagePolicy::kReusable, "Reusable"},
      {RefreshTokenUsagePolicy::kOneTimeUse, "OneTimeUse"},
  };
};

// ---- bulwark/model/tenant.h ----

template <>
struct EnumTraits<BreachMatchMode> {
  static constexpr std::string_view kTypeName = "BreachMatchMode";
  static constexpr EnumEntry<BreachMatchMode> kTable[] = {
      {BreachMatchMode::kHigh, "High"},
      {BreachMatchMode::kMedium, "Medium"},
      {BreachMatchMode::kLow, "Low"},
  };
};
template <>
struct EnumTraits<BreachAction> {
  static constexpr std::string_view kTypeName = "BreachAction";
  static constexpr EnumEntry<BreachAction> kTable[] = {
      {BreachAction::kOff, "Off"},
      {BreachAction::kRecordOnly, "RecordOnly"},
      {BreachAction::kNotifyUser, "NotifyUser"},
      {BreachAction::kRequireChange, "RequireChange"},
  };
};
template <>
struct EnumTraits<ExpiryUnit> {
  static constexpr std::string_view kTypeName = "ExpiryUnit";
  static constexpr EnumEntry<ExpiryUnit> kTable[] = {
      {ExpiryUnit::kMinutes, "MINUTES"}, {ExpiryUnit::kHours, "HOURS"},
      {ExpiryUnit::kDays, "DAYS"},       {ExpiryUnit::kWeeks, "WEEKS"},
      {ExpiryUnit::kMonths, "MONTHS"},   {ExpiryUnit::kYears, "YEARS"},
  };
};
template <>
struct EnumTraits<SecureGeneratorType> {
  static constexpr std::string_view kTypeName = "SecureGeneratorType";
  static constexpr EnumEntry<SecureGeneratorType> kTable[] = {
      {SecureGeneratorType::kRandomBytes, "randomBytes"},
      {SecureGeneratorType::kRandomDigits, "randomDigits"},
      {SecureGeneratorType::kRandomAlpha, "randomAlpha"},
      {SecureGeneratorType::kRandomAlphaNumeric, "randomAlphaNumeric"},
  };
};

// ---- bulwark/model/user.h ----

template <>
struct EnumTraits<ChangePasswordReason> {
  static constexpr std::string_view kTypeName = "ChangePasswordReason";
  static constexpr EnumEntry<ChangePasswordReason> kTable[] = {
      {ChangePasswordReason::kAdministrative, "Administrative"},
      {ChangePasswordReason::kBreached, "Breached"},
      {ChangePasswordReason::kExpired, "Expired"},
      {ChangePasswordReason::kValidation, "Validation"},
  };
};
template <>
struct EnumTraits<BreachedPasswordStatus> {
  static constexpr std::string_view kTypeName = "BreachedPasswordStatus";
  static constexpr EnumEntry<BreachedPasswordStatus> kTable[] = {
      {BreachedPasswordStatus::kNone, "None"},
      {BreachedPasswordStatus::kExactMatch, "ExactMatch"},
      {BreachedPasswordStatus::kSubAddressMatch, "SubAddressMatch"},
      {BreachedPasswordStatus::kPasswordOnly, "PasswordOnly"},
      {BreachedPasswordStatus::kCommonPassword, "CommonPassword"},
  };
};

// ---- bulwark/model/key.h ----

template <>
struct EnumTraits<KeyAlgorithm> {
  static constexpr std::string_view kTypeName = "KeyAlgorithm";
  static constexpr EnumEntry<KeyAlgorithm> kTable[] = {
      {KeyAlgorithm::kEs256, "ES256"},     {KeyAlgorithm::kEs384, "ES384"},
      {KeyAlgorithm::kEs512, "ES512"},     {KeyAlgorithm::kHs256, "HS256"},
      {KeyAlgorithm::kHs384, "HS384"},     {KeyAlgorithm::kHs512, "HS512"},
      {KeyAlgorithm::kPs256, "PS256"},     {KeyAlgorithm::kPs384, "PS384"},
      {KeyAlgorithm::kPs512, "PS512"},     {KeyAlgorithm::kRs256, "RS256"},
      {KeyAlgorithm::kRs384, "RS384"},     {KeyAlgorithm::kRs512, "RS512"},
      {KeyAlgorithm::kEd25519, "Ed25519"},
  };
};
template <>
struct EnumTraits<KeyType> {
  static constexpr std::string_view kTypeName = "KeyType";
  static constexpr EnumEntry<KeyType> kTable[] = {
      {KeyType::kEc, "EC"},
      {KeyType::kRsa, "RSA"},
      {KeyType::kHmac, "HMAC"},
      {KeyType::kOkp, "OKP"},
  };
};

// ---- bulwark/model/identity_provider.h ----

template <>
struct EnumTraits<IdentityProviderType> {
  static constexpr std::string_view kTypeName = "IdentityProviderType";
  static constexpr EnumEntry<IdentityProviderType> kTable[] = {
      {IdentityProviderType::kApple, "Apple"},
      {IdentityProviderType::kEpicGames, "EpicGames"},
      {IdentityProviderType::kExternalJwt, "ExternalJWT"},
      {IdentityProviderType::kFacebook, "Facebook"},
      {IdentityProviderType::kGoogle, "Google"},
      {IdentityProviderType::kHypr, "HYPR"},
      {IdentityProviderType::kLinkedIn, "LinkedIn"},
      {IdentityProviderType::kNintendo, "Nintendo"},
      {IdentityProviderType::kOpenIdConnect, "OpenIDConnect"},
      {IdentityProviderType::kSamlV2, "SAMLv2"},
      {IdentityProviderType::kSamlV2IdpInitiated, "SAMLv2IdPInitiated"},
      {IdentityProviderType::kSonyPsn, "SonyPSN"},
      {IdentityProviderType::kSteam, "Steam"},
      {IdentityProviderType::kTwitch, "Twitch"},
      {IdentityProviderType::kTwitter, "Twitter"},
      {IdentityProviderType::kXbox, "Xbox"},
  };
};
template <>
struct EnumTraits<LinkingStrategy> {
  static constexpr std::string_view kTypeName = "IdentityProviderLinkingStrategy";
  static constexpr EnumEntry<LinkingStrategy> kTable[] = {
      {LinkingStrategy::kCreatePendingLink, "CreatePendingLink"},
      {LinkingStrategy::kDisabled, "Disabled"},
      {LinkingStrategy::kLinkAnonymously, "LinkAnonymously"},
      {LinkingStrategy::kLinkByEmail, "LinkByEmail"},
      {LinkingStrategy::kLinkByEmailForExistingUser, "LinkByEmailForExistingUser"},
      {LinkingStrategy::kLinkByUsername, "LinkByUsername"},
      {LinkingStrategy::kLinkByUsernameForExistingUser, "LinkByUsernameForExistingUser"},
      {LinkingStrategy::kUnsupported, "Unsupported"},
  };
};
template <>
struct EnumTraits<ClientAuthenticationMethod> {
  static constexpr std::string_view kTypeName = "ClientAuthenticationMethod";
  static constexpr EnumEntry<ClientAuthenticationMethod> kTable[] = {
      {ClientAuthenticationMethod::kClientSecretBasic, "client_secret_basic"},
      {ClientAuthenticationMethod::kClientSecretPost, "client_secret_post"},
      {ClientAuthenticationMethod::kNone, "none"},
  };
};
template <>
struct EnumTraits<DestinationAssertionPolicy> {
  static constexpr std::string_view kTypeName = "SAMLv2DestinationAssertionPolicy";
  static constexpr EnumEntry<DestinationAssertionPolicy> kTable[] = {
      {DestinationAssertionPolicy::kEnabled, "Enabled"},
      {DestinationAssertionPolicy::kDisabled, "Disabled"},
      {DestinationAssertionPolicy::kAllowAlternates, "AllowAlternates"},
  };
};

}  // namespace bulwark::internal

#endif  // BULWARK_MODEL_ENUM_TRAITS_H_
