// SPDX-License-Identifier: Apache-2.0
// The public ToString/Parse functions of the model's enums: thin wrappers over the
// EnumTraits tables in enum_traits.h.
#include "model/enum_traits.h"

namespace bulwark {

using internal::EnumName;
using internal::ParseEnum;

// bulwark/model/enums.h
std::string_view ToString(ObjectState v) { return EnumName(v); }
Result<ObjectState> ParseObjectState(std::string_view s) { return ParseEnum<ObjectState>(s); }
std::string_view ToString(UsernameStatus v) { return EnumName(v); }
Result<UsernameStatus> ParseUsernameStatus(std::string_view s) {
  return ParseEnum<UsernameStatus>(s);
}
std::string_view ToString(CanonicalizationMethod v) { return EnumName(v); }
Result<CanonicalizationMethod> ParseCanonicalizationMethod(std::string_view s) {
  return ParseEnum<CanonicalizationMethod>(s);
}

// bulwark/model/application.h
std::string_view ToString(ClientAuthenticationPolicy v) { return EnumName(v); }
Result<ClientAuthenticationPolicy> ParseClientAuthenticationPolicy(std::string_view s) {
  return ParseEnum<ClientAuthenticationPolicy>(s);
}
std::string_view ToString(PkcePolicy v) { return EnumName(v); }
Result<PkcePolicy> ParsePkcePolicy(std::string_view s) { return ParseEnum<PkcePolicy>(s); }
std::string_view ToString(UrlValidationPolicy v) { return EnumName(v); }
Result<UrlValidationPolicy> ParseUrlValidationPolicy(std::string_view s) {
  return ParseEnum<UrlValidationPolicy>(s);
}
std::string_view ToString(GrantType v) { return EnumName(v); }
Result<GrantType> ParseGrantType(std::string_view s) { return ParseEnum<GrantType>(s); }
std::string_view ToString(LogoutBehavior v) { return EnumName(v); }
Result<LogoutBehavior> ParseLogoutBehavior(std::string_view s) {
  return ParseEnum<LogoutBehavior>(s);
}
std::string_view ToString(OAuthRelationship v) { return EnumName(v); }
Result<OAuthRelationship> ParseOAuthRelationship(std::string_view s) {
  return ParseEnum<OAuthRelationship>(s);
}
std::string_view ToString(ConsentMode v) { return EnumName(v); }
Result<ConsentMode> ParseConsentMode(std::string_view s) { return ParseEnum<ConsentMode>(s); }
std::string_view ToString(ScopeHandlingPolicy v) { return EnumName(v); }
Result<ScopeHandlingPolicy> ParseScopeHandlingPolicy(std::string_view s) {
  return ParseEnum<ScopeHandlingPolicy>(s);
}
std::string_view ToString(UnknownScopePolicy v) { return EnumName(v); }
Result<UnknownScopePolicy> ParseUnknownScopePolicy(std::string_view s) {
  return ParseEnum<UnknownScopePolicy>(s);
}
std::string_view ToString(RegistrationType v) { return EnumName(v); }
Result<RegistrationType> ParseRegistrationType(std::string_view s) {
  return ParseEnum<RegistrationType>(s);
}
std::string_view ToString(RegistrationLoginIdType v) { return EnumName(v); }
Result<RegistrationLoginIdType> ParseRegistrationLoginIdType(std::string_view s) {
  return ParseEnum<RegistrationLoginIdType>(s);
}
std::string_view ToString(XmlSignatureLocation v) { return EnumName(v); }
Result<XmlSignatureLocation> ParseXmlSignatureLocation(std::string_view s) {
  return ParseEnum<XmlSignatureLocation>(s);
}
std::string_view ToString(SamlLogoutBehavior v) { return EnumName(v); }
Result<SamlLogoutBehavior> ParseSamlLogoutBehavior(std::string_view s) {
  return ParseEnum<SamlLogoutBehavior>(s);
}
std::string_view ToString(XmlEncryptionAlgorithm v) { return EnumName(v); }
Result<XmlEncryptionAlgorithm> ParseXmlEncryptionAlgorithm(std::string_view s) {
  return ParseEnum<XmlEncryptionAlgorithm>(s);
}
std::string_view ToString(XmlKeyLocation v) { return EnumName(v); }
Result<XmlKeyLocation> ParseXmlKeyLocation(std::string_view s) {
  return ParseEnum<XmlKeyLocation>(s);
}
std::string_view ToString(KeyTransportAlgorithm v) { return EnumName(v); }
Result<KeyTransportAlgorithm> ParseKeyTransportAlgorithm(std::string_view s) {
  return ParseEnum<KeyTransportAlgorithm>(s);
}
std::string_view ToString(DigestAlgorithm v) { return EnumName(v); }
Result<DigestAlgorithm> ParseDigestAlgorithm(std::string_view s) {
  return ParseEnum<DigestAlgorithm>(s);
}
std::string_view ToString(MaskGenerationFunction v) { return EnumName(v); }
Result<MaskGenerationFunction> ParseMaskGenerationFunction(std::string_view s) {
  return ParseEnum<MaskGenerationFunction>(s);
}
std::string_view ToString(MultiFactorLoginPolicy v) { return EnumName(v); }
Result<MultiFactorLoginPolicy> ParseMultiFactorLoginPolicy(std::string_view s) {
  return ParseEnum<MultiFactorLoginPolicy>(s);
}
std::string_view ToString(MultiFactorTrustPolicy v) { return EnumName(v); }
Result<MultiFactorTrustPolicy> ParseMultiFactorTrustPolicy(std::string_view s) {
  return ParseEnum<MultiFactorTrustPolicy>(s);
}
std::string_view ToString(VerificationStrategy v) { return EnumName(v); }
Result<VerificationStrategy> ParseVerificationStrategy(std::string_view s) {
  return ParseEnum<VerificationStrategy>(s);
}

// bulwark/model/jwt_configuration.h
std::string_view ToString(RefreshTokenExpirationPolicy v) { return EnumName(v); }
Result<RefreshTokenExpirationPolicy> ParseRefreshTokenExpirationPolicy(std::string_view s) {
  return ParseEnum<RefreshTokenExpirationPolicy>(s);
}
std::string_view ToString(RefreshTokenUsagePolicy v) { return EnumName(v); }
Result<RefreshTokenUsagePolicy> ParseRefreshTokenUsagePolicy(std::string_view s) {
  return ParseEnum<RefreshTokenUsagePolicy>(s);
}

// bulwark/model/tenant.h
std::string_view ToString(BreachMatchMode v) { return EnumName(v); }
Result<BreachMatchMode> ParseBreachMatchMode(std::string_view s) {
  return ParseEnum<BreachMatchMode>(s);
}
std::string_view ToString(BreachAction v) { return EnumName(v); }
Result<BreachAction> ParseBreachAction(std::string_view s) { return ParseEnum<BreachAction>(s); }
std::string_view ToString(ExpiryUnit v) { return EnumName(v); }
Result<ExpiryUnit> ParseExpiryUnit(std::string_view s) { return ParseEnum<ExpiryUnit>(s); }
std::string_view ToString(SecureGeneratorType v) { return EnumName(v); }
Result<SecureGeneratorType> ParseSecureGeneratorType(std::string_view s) {
  return ParseEnum<SecureGeneratorType>(s);
}

// bulwark/model/user.h
std::string_view ToString(ChangePasswordReason v) { return EnumName(v); }
Result<ChangePasswordReason> ParseChangePasswordReason(std::string_view s) {
  return ParseEnum<ChangePasswordReason>(s);
}
std::string_view ToString(BreachedPasswordStatus v) { return EnumName(v); }
Result<BreachedPasswordStatus> ParseBreachedPasswordStatus(std::string_view s) {
  return ParseEnum<BreachedPasswordStatus>(s);
}

// bulwark/model/key.h
std::string_view ToString(KeyAlgorithm v) { return EnumName(v); }
Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view s) { return ParseEnum<KeyAlgorithm>(s); }
std::string_view ToString(KeyType v) { return EnumName(v); }
Result<KeyType> ParseKeyType(std::string_view s) { return ParseEnum<KeyType>(s); }

// bulwark/model/identity_provider.h
std::string_view ToString(IdentityProviderType v) { return EnumName(v); }
Result<IdentityProviderType> ParseIdentityProviderType(std::string_view s) {
  return ParseEnum<IdentityProviderType>(s);
}
std::string_view ToString(LinkingStrategy v) { return EnumName(v); }
Result<LinkingStrategy> ParseLinkingStrategy(std::string_view s) {
  return ParseEnum<LinkingStrategy>(s);
}
std::string_view ToString(ClientAuthenticationMethod v) { return EnumName(v); }
Result<ClientAuthenticationMethod> ParseClientAuthenticationMethod(std::string_view s) {
  return ParseEnum<ClientAuthenticationMethod>(s);
}
std::string_view ToString(DestinationAssertionPolicy v) { return EnumName(v); }
Result<DestinationAssertionPolicy> ParseDestinationAssertionPolicy(std::string_view s) {
  return ParseEnum<DestinationAssertionPolicy>(s);
}

}  // namespace bulwark
