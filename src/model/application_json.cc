// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "bulwark/model/application.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"
#include "model/jwt_configuration_json.h"

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

// ---- roles ----

void Read(ObjectReader& r, ApplicationRole& v) {
  r.Id("id", v.id);
  r.String("name", v.name);
  r.String("description", v.description);
  r.Bool("isDefault", v.is_default);
  r.Bool("isSuperRole", v.is_super_role);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
}

void Write(ObjectWriter& w, const ApplicationRole& v) {
  w.Id("id", v.id);
  w.String("name", v.name);
  w.String("description", v.description);
  w.Bool("isDefault", v.is_default);
  w.Bool("isSuperRole", v.is_super_role);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
}

// ---- oauthConfiguration ----

void ReadScope(ObjectReader& r, ProvidedScope& s) {
  r.Bool("enabled", s.enabled);
  r.Bool("required", s.required);
}
void WriteScope(ObjectWriter& w, const ProvidedScope& s) {
  w.Bool("enabled", s.enabled);
  w.Bool("required", s.required);
}

void ReadOAuth(ObjectReader& r, ApplicationOAuthConfiguration& v) {
  r.String("clientSecret", v.client_secret);
  r.Enum("clientAuthenticationPolicy", v.client_authentication_policy,
         &ParseClientAuthenticationPolicy);
  r.Bool("requireClientAuthentication", v.require_client_authentication);
  r.Enum("proofKeyForCodeExchangePolicy", v.proof_key_for_code_exchange_policy, &ParsePkcePolicy);
  r.Strings("authorizedRedirectURLs", v.authorized_redirect_urls);
  r.Strings("authorizedOriginURLs", v.authorized_origin_urls);
  r.Enum("authorizedURLValidationPolicy", v.authorized_url_validation_policy,
         &ParseUrlValidationPolicy);
  r.Strings("authorizedResourceUris", v.authorized_resource_uris);
  r.Enums("enabledGrants", v.enabled_grants, &ParseGrantType);
  r.Bool("generateRefreshTokens", v.generate_refresh_tokens);
  r.Bool("requireRegistration", v.require_registration);
  r.String("logoutURL", v.logout_url);
  r.Enum("logoutBehavior", v.logout_behavior, &ParseLogoutBehavior);
  r.String("deviceVerificationURL", v.device_verification_url);
  r.Bool("debug", v.debug);
  r.Enum("relationship", v.relationship, &ParseOAuthRelationship);
  r.Enum("consentMode", v.consent_mode, &ParseConsentMode);
  r.Enum("scopeHandlingPolicy", v.scope_handling_policy, &ParseScopeHandlingPolicy);
  r.Enum("unknownScopePolicy", v.unknown_scope_policy, &ParseUnknownScopePolicy);
  r.Nested("providedScopePolicy", v.provided_scope_policy,
           [](ObjectReader& c, ApplicationOAuthConfiguration::ProvidedScopePolicy& p) {
             c.Nested("address", p.address, ReadScope);
             c.Nested("email", p.email, ReadScope);
             c.Nested("phone", p.phone, ReadScope);
             c.Nested("profile", p.profile, ReadScope);
           });
}

void WriteOAuth(ObjectWriter& w, const ApplicationOAuthConfiguration& v) {
  w.String("clientSecret", v.client_secret);
  w.Enum("clientAuthenticationPolicy", v.client_authentication_policy);
  w.Bool("requireClientAuthentication", v.require_client_authentication);
  w.Enum("proofKeyForCodeExchangePolicy", v.proof_key_for_code_exchange_policy);
  w.Any("authorizedRedirectURLs", nlohmann::json(v.authorized_redirect_urls));
  w.Any("authorizedOriginURLs", nlohmann::json(v.authorized_origin_urls));
  w.Enum("authorizedURLValidationPolicy", v.authorized_url_validation_policy);
  w.Strings("authorizedResourceUris", v.authorized_resource_uris);
  nlohmann::json grants = nlohmann::json::array();
  for (GrantType g : v.enabled_grants) grants.push_back(std::string(ToString(g)));
  w.Any("enabledGrants", grants);
  w.Bool("generateRefreshTokens", v.generate_refresh_tokens);
  w.Bool("requireRegistration", v.require_registration);
  w.String("logoutURL", v.logout_url);
  w.Enum("logoutBehavior", v.logout_behavior);
  w.String("deviceVerificationURL", v.device_verification_url);
  w.Bool("debug", v.debug);
  w.Enum("relationship", v.relationship);
  w.Enum("consentMode", v.consent_mode);
  w.Enum("scopeHandlingPolicy", v.scope_handling_policy);
  w.Enum("unknownScopePolicy", v.unknown_scope_policy);
  w.Nested("providedScopePolicy", v.provided_scope_policy,
           [](ObjectWriter& c, const ApplicationOAuthConfiguration::ProvidedScopePolicy& p) {
             c.Nested("address", p.address, WriteScope);
             c.Nested("email", p.email, WriteScope);
             c.Nested("phone", p.phone, WriteScope);
             c.Nested("profile", p.profile, WriteScope);
           });
}

// ---- registrationConfiguration ----

struct RequirableMember {
  const char* name;
  RequirableField ApplicationRegistrationConfiguration::*member;
};
constexpr RequirableMember kRequirableMembers[] = {
    {"birthDate", &ApplicationRegistrationConfiguration::birth_date},
    {"firstName", &ApplicationRegistrationConfiguration::first_name},
    {"fullName", &ApplicationRegistrationConfiguration::full_name},
    {"lastName", &ApplicationRegistrationConfiguration::last_name},
    {"middleName", &ApplicationRegistrationConfiguration::middle_name},
    {"mobilePhone", &ApplicationRegistrationConfiguration::mobile_phone},
    {"preferredLanguages", &ApplicationRegistrationConfiguration::preferred_languages},
};

void ReadRegistrationConfiguration(ObjectReader& r, ApplicationRegistrationConfiguration& v) {
  r.Bool("enabled", v.enabled);
  r.Enum("type", v.type, &ParseRegistrationType);
  r.OptionalId("formId", v.form_id);
  r.Enum("loginIdType", v.login_id_type, &ParseRegistrationLoginIdType);
  r.Bool("confirmPassword", v.confirm_password);
  r.Bool("completeRegistration", v.complete_registration);
  for (const RequirableMember& m : kRequirableMembers) {
    r.Nested(m.name, v.*m.member, [](ObjectReader& c, RequirableField& f) {
      c.Bool("enabled", f.enabled);
      c.Bool("required", f.required);
    });
  }
}

void WriteRegistrationConfiguration(ObjectWriter& w,
                                    const ApplicationRegistrationConfiguration& v) {
  w.Bool("enabled", v.enabled);
  w.Enum("type", v.type);
  w.OptionalId("formId", v.form_id);
  w.Enum("loginIdType", v.login_id_type);
  w.Bool("confirmPassword", v.confirm_password);
  w.Bool("completeRegistration", v.complete_registration);
  for (const RequirableMember& m : kRequirableMembers) {
    w.Nested(m.name, v.*m.member, [](ObjectWriter& c, const RequirableField& f) {
      c.Bool("enabled", f.enabled);
      c.Bool("required", f.required);
    });
  }
}

// ---- samlv2Configuration ----

void ReadSingleLogout(ObjectReader& r, SamlV2SingleLogout& v) {
  r.Bool("enabled", v.enabled);
  r.String("url", v.url);
  r.OptionalId("keyId", v.key_id);
  r.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method, &ParseCanonicalizationMethod);
}
void WriteSingleLogout(ObjectWriter& w, const SamlV2SingleLogout& v) {
  w.Bool("enabled", v.enabled);
  w.String("url", v.url);
  w.OptionalId("keyId", v.key_id);
  w.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
}

void ReadLogout(ObjectReader& r, SamlV2Logout& v) {
  r.Enum("behavior", v.behavior, &ParseSamlLogoutBehavior);
  r.Bool("requireSignedRequests", v.require_signed_requests);
  r.OptionalId("defaultVerificationKeyId", v.default_verification_key_id);
  r.Ids("verificationKeyIds", v.verification_key_ids);
  r.OptionalId("keyId", v.key_id);
  r.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method, &ParseCanonicalizationMethod);
  r.Nested("singleLogout", v.single_logout, ReadSingleLogout);
}
void WriteLogout(ObjectWriter& w, const SamlV2Logout& v) {
  w.Enum("behavior", v.behavior);
  w.Bool("requireSignedRequests", v.require_signed_requests);
  w.OptionalId("defaultVerificationKeyId", v.default_verification_key_id);
  w.Ids("verificationKeyIds", v.verification_key_ids);
  w.OptionalId("keyId", v.key_id);
  w.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
  w.Nested("singleLogout", v.single_logout, WriteSingleLogout);
}

void ReadEncryption(ObjectReader& r, SamlV2AssertionEncryptionConfiguration& v) {
  r.Bool("enabled", v.enabled);
  r.Enum("encryptionAlgorithm", v.encryption_algorithm, &ParseXmlEncryptionAlgorithm);
  r.Enum("keyLocation", v.key_location, &ParseXmlKeyLocation);
  r.Enum("keyTransportAlgorithm", v.key_transport_algorithm, &ParseKeyTransportAlgorithm);
  r.Enum("digestAlgorithm", v.digest_algorithm, &ParseDigestAlgorithm);
  r.Enum("maskGenerationFunction", v.mask_generation_function, &ParseMaskGenerationFunction);
  r.OptionalId("keyTransportEncryptionKeyId", v.key_transport_encryption_key_id);
}
void WriteEncryption(ObjectWriter& w, const SamlV2AssertionEncryptionConfiguration& v) {
  w.Bool("enabled", v.enabled);
  w.Enum("encryptionAlgorithm", v.encryption_algorithm);
  w.Enum("keyLocation", v.key_location);
  w.Enum("keyTransportAlgorithm", v.key_transport_algorithm);
  w.Enum("digestAlgorithm", v.digest_algorithm);
  w.Enum("maskGenerationFunction", v.mask_generation_function);
  w.OptionalId("keyTransportEncryptionKeyId", v.key_transport_encryption_key_id);
}

void ReadSaml(ObjectReader& r, ApplicationSamlV2Configuration& v) {
  r.Bool("enabled", v.enabled);
  r.String("issuer", v.issuer);
  r.String("audience", v.audience);
  r.Strings("authorizedRedirectURLs", v.authorized_redirect_urls);
  r.String("callbackURL", v.callback_url);
  r.String("logoutURL", v.logout_url);
  r.Bool("debug", v.debug);
  r.Bool("requireSignedRequests", v.require_signed_requests);
  r.OptionalId("defaultVerificationKeyId", v.default_verification_key_id);
  r.Ids("verificationKeyIds", v.verification_key_ids);
  r.OptionalId("keyId", v.key_id);
  r.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method, &ParseCanonicalizationMethod);
  r.Enum("xmlSignatureLocation", v.xml_signature_location, &ParseXmlSignatureLocation);
  r.Nested("initiatedLogin", v.initiated_login,
           [](ObjectReader& c, ApplicationSamlV2Configuration::InitiatedLogin& i) {
             c.Bool("enabled", i.enabled);
             c.String("nameIdFormat", i.name_id_format);
           });
  r.Nested("loginHintConfiguration", v.login_hint_configuration,
           [](ObjectReader& c, ApplicationSamlV2Configuration::LoginHintConfiguration& l) {
             c.Bool("enabled", l.enabled);
             c.String("parameterName", l.parameter_name);
           });
  r.Nested("logout", v.logout, ReadLogout);
  r.Nested("assertionEncryptionConfiguration", v.assertion_encryption_configuration,
           ReadEncryption);
}

void WriteSaml(ObjectWriter& w, const ApplicationSamlV2Configuration& v) {
  w.Bool("enabled", v.enabled);
  w.String("issuer", v.issuer);
  w.String("audience", v.audience);
  w.Strings("authorizedRedirectURLs", v.authorized_redirect_urls);
  w.String("callbackURL", v.callback_url);
  w.String("logoutURL", v.logout_url);
  w.Bool("debug", v.debug);
  w.Bool("requireSignedRequests", v.require_signed_requests);
  w.OptionalId("defaultVerificationKeyId", v.default_verification_key_id);
  w.Ids("verificationKeyIds", v.verification_key_ids);
  w.OptionalId("keyId", v.key_id);
  w.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
  w.Enum("xmlSignatureLocation", v.xml_signature_location);
  w.Nested("initiatedLogin", v.initiated_login,
           [](ObjectWriter& c, const ApplicationSamlV2Configuration::InitiatedLogin& i) {
             c.Bool("enabled", i.enabled);
             c.String("nameIdFormat", i.name_id_format);
           });
  w.Nested("loginHintConfiguration", v.login_hint_configuration,
           [](ObjectWriter& c, const ApplicationSamlV2Configuration::LoginHintConfiguration& l) {
             c.Bool("enabled", l.enabled);
             c.String("parameterName", l.parameter_name);
           });
  w.Nested("logout", v.logout, WriteLogout);
  w.Nested("assertionEncryptionConfiguration", v.assertion_encryption_configuration,
           WriteEncryption);
}

// ---- multiFactorConfiguration, lambdaConfiguration, passwordlessConfiguration ----

void ReadMultiFactor(ObjectReader& r, ApplicationMultiFactorConfiguration& v) {
  r.OptionalEnum("loginPolicy", v.login_policy, &ParseMultiFactorLoginPolicy);
  r.OptionalEnum("trustPolicy", v.trust_policy, &ParseMultiFactorTrustPolicy);
  r.Nested("email", v, [](ObjectReader& c, ApplicationMultiFactorConfiguration& m) {
    c.OptionalId("templateId", m.email_template_id);
  });
  r.Nested("sms", v, [](ObjectReader& c, ApplicationMultiFactorConfiguration& m) {
    c.OptionalId("templateId", m.sms_template_id);
  });
  r.Nested("voice", v, [](ObjectReader& c, ApplicationMultiFactorConfiguration& m) {
    c.OptionalId("templateId", m.voice_template_id);
  });
}

void WriteMultiFactor(ObjectWriter& w, const ApplicationMultiFactorConfiguration& v) {
  w.OptionalEnum("loginPolicy", v.login_policy);
  w.OptionalEnum("trustPolicy", v.trust_policy);
  if (v.email_template_id) {
    w.Nested("email", v, [](ObjectWriter& c, const auto& m) {
      c.OptionalId("templateId", m.email_template_id);
    });
  }
  if (v.sms_template_id) {
    w.Nested("sms", v,
             [](ObjectWriter& c, const auto& m) { c.OptionalId("templateId", m.sms_template_id); });
  }
  if (v.voice_template_id) {
    w.Nested("voice", v, [](ObjectWriter& c, const auto& m) {
      c.OptionalId("templateId", m.voice_template_id);
    });
  }
}

void ReadLambdas(ObjectReader& r, ApplicationLambdaConfiguration& v) {
  r.OptionalId("accessTokenPopulateId", v.access_token_populate_id);
  r.OptionalId("idTokenPopulateId", v.id_token_populate_id);
  r.OptionalId("samlv2PopulateId", v.samlv2_populate_id);
  r.OptionalId("userinfoPopulateId", v.userinfo_populate_id);
  r.OptionalId("selfServiceRegistrationValidationId", v.self_service_registration_validation_id);
}

void WriteLambdas(ObjectWriter& w, const ApplicationLambdaConfiguration& v) {
  w.OptionalId("accessTokenPopulateId", v.access_token_populate_id);
  w.OptionalId("idTokenPopulateId", v.id_token_populate_id);
  w.OptionalId("samlv2PopulateId", v.samlv2_populate_id);
  w.OptionalId("userinfoPopulateId", v.userinfo_populate_id);
  w.OptionalId("selfServiceRegistrationValidationId", v.self_service_registration_validation_id);
}

struct JsonField {
  const char* name;
  nlohmann::json Application::*member;
};
constexpr JsonField kJsonFields[] = {
    {"accessControlConfiguration", &Application::access_control_configuration},
    {"cleanSpeakConfiguration", &Application::clean_speak_configuration},
    {"emailConfiguration", &Application::email_configuration},
    {"formConfiguration", &Application::form_configuration},
    {"registrationDeletePolicy", &Application::registration_delete_policy},
    {"scopes", &Application::scopes},
    {"universalConfiguration", &Application::universal_configuration},
    {"webAuthnConfiguration", &Application::webauthn_configuration},
};

void Read(ObjectReader& r, Application& v) {
  r.Id("id", v.id);
  r.Id("tenantId", v.tenant_id);
  r.String("name", v.name);
  r.Bool("active", v.active);
  r.Enum("state", v.state, &ParseObjectState);
  r.NestedList("roles", v.roles, [](ObjectReader& c, ApplicationRole& e) { Read(c, e); });
  r.Object("data", v.data);
  r.Bool("verifyRegistration", v.verify_registration);
  r.OptionalId("verificationEmailTemplateId", v.verification_email_template_id);
  r.Enum("verificationStrategy", v.verification_strategy, &ParseVerificationStrategy);
  r.OptionalId("themeId", v.theme_id);
  r.String("baseURL", v.base_url);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
  r.Nested("oauthConfiguration", v.oauth_configuration, ReadOAuth);
  r.Nested("jwtConfiguration", v.jwt_configuration, internal::ReadJwtConfiguration);
  r.Nested("loginConfiguration", v.login_configuration,
           [](ObjectReader& c, ApplicationLoginConfiguration& l) {
             c.Bool("allowTokenRefresh", l.allow_token_refresh);
             c.Bool("generateRefreshTokens", l.generate_refresh_tokens);
             c.Bool("requireAuthentication", l.require_authentication);
           });
  r.Nested("registrationConfiguration", v.registration_configuration,
           ReadRegistrationConfiguration);
  r.Nested("samlv2Configuration", v.samlv2_configuration, ReadSaml);
  r.Nested("multiFactorConfiguration", v.multi_factor_configuration, ReadMultiFactor);
  r.Nested("lambdaConfiguration", v.lambda_configuration, ReadLambdas);
  r.Nested("passwordlessConfiguration", v.passwordless_configuration,
           [](ObjectReader& c, ApplicationPasswordlessConfiguration& p) {
             c.Bool("enabled", p.enabled);
             c.String("emailLoginStrategy", p.email_login_strategy);
             c.String("phoneLoginStrategy", p.phone_login_strategy);
           });
  r.Nested("authenticationTokenConfiguration", v, [](ObjectReader& c, Application& a) {
    c.Bool("enabled", a.authentication_token_configuration_enabled);
  });
  r.Nested("externalIdentifierConfiguration", v, [](ObjectReader& c, Application& a) {
    if (c.Find("twoFactorTrustIdTimeToLiveInSeconds") == nullptr) return;
    int ttl = 0;
    const std::size_t before = c.ErrorCount();
    c.Int("twoFactorTrustIdTimeToLiveInSeconds", ttl);
    if (c.ErrorCount() == before) a.two_factor_trust_id_time_to_live_in_seconds = ttl;
  });
  for (const JsonField& f : kJsonFields) r.Any(f.name, v.*f.member);
}

void Write(ObjectWriter& w, const Application& v) {
  w.Id("id", v.id);
  w.Id("tenantId", v.tenant_id);
  w.String("name", v.name);
  w.Bool("active", v.active);
  w.Enum("state", v.state);
  w.NestedList("roles", v.roles, [](ObjectWriter& c, const ApplicationRole& e) { Write(c, e); });
  w.Any("data", v.data);
  w.Bool("verifyRegistration", v.verify_registration);
  w.OptionalId("verificationEmailTemplateId", v.verification_email_template_id);
  w.Enum("verificationStrategy", v.verification_strategy);
  w.OptionalId("themeId", v.theme_id);
  w.String("baseURL", v.base_url);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
  w.Nested("oauthConfiguration", v.oauth_configuration,
           [&](ObjectWriter& c, const ApplicationOAuthConfiguration& o) {
             c.Id("clientId", v.id);  // read-only: the application id
             WriteOAuth(c, o);
           });
  w.Nested("jwtConfiguration", v.jwt_configuration, internal::WriteJwtConfiguration);
  w.Nested("loginConfiguration", v.login_configuration,
           [](ObjectWriter& c, const ApplicationLoginConfiguration& l) {
             c.Bool("allowTokenRefresh", l.allow_token_refresh);
             c.Bool("generateRefreshTokens", l.generate_refresh_tokens);
             c.Bool("requireAuthentication", l.require_authentication);
           });
  w.Nested("registrationConfiguration", v.registration_configuration,
           WriteRegistrationConfiguration);
  w.Nested("samlv2Configuration", v.samlv2_configuration, WriteSaml);
  w.Nested("multiFactorConfiguration", v.multi_factor_configuration, WriteMultiFactor);
  w.Nested("lambdaConfiguration", v.lambda_configuration, WriteLambdas);
  w.Nested("passwordlessConfiguration", v.passwordless_configuration,
           [](ObjectWriter& c, const ApplicationPasswordlessConfiguration& p) {
             c.Bool("enabled", p.enabled);
             c.String("emailLoginStrategy", p.email_login_strategy);
             c.String("phoneLoginStrategy", p.phone_login_strategy);
           });
  w.Nested("authenticationTokenConfiguration", v, [](ObjectWriter& c, const Application& a) {
    c.Bool("enabled", a.authentication_token_configuration_enabled);
  });
  if (v.two_factor_trust_id_time_to_live_in_seconds) {
    w.Nested("externalIdentifierConfiguration", v, [](ObjectWriter& c, const Application& a) {
      c.Int("twoFactorTrustIdTimeToLiveInSeconds", *a.two_factor_trust_id_time_to_live_in_seconds);
    });
  }
  for (const JsonField& f : kJsonFields) w.Any(f.name, v.*f.member);
}

}  // namespace

nlohmann::json ToJson(const ApplicationRole& role) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, role);
  return out;
}

Result<ApplicationRole> ApplicationRoleFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<ApplicationRole>(
      json, path, [](ObjectReader& r, ApplicationRole& v) { Read(r, v); });
}

nlohmann::json ToJson(const Application& application) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, application);
  return out;
}

Result<Application> ApplicationFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<Application>(json, path,
                                           [](ObjectReader& r, Application& v) { Read(r, v); });
}

Errors Validate(const Application& application) {
  Errors errors;
  if (internal::IsBlank(application.name)) {
    errors.AddField("blank", "application.name",
                    "You must specify the [application.name] property.");
  }
  for (std::size_t i = 0; i < application.roles.size(); ++i) {
    const ApplicationRole& role = application.roles[i];
    if (internal::IsBlank(role.name)) {
      errors.AddField("blank", "role.name", "You must specify the [role.name] property.");
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (application.roles[j].name == role.name) {
        errors.AddField("duplicate", "role.name",
                        "A role with the name [" + role.name + "] already exists.");
      }
    }
  }
  if (application.jwt_configuration.enabled) {
    internal::ValidateJwtConfiguration(application.jwt_configuration,
                                       "application.jwtConfiguration", errors);
  }
  const ApplicationSamlV2Configuration& saml = application.samlv2_configuration;
  if (saml.enabled) {
    if (internal::IsBlank(saml.issuer)) {
      errors.AddField("blank", "application.samlv2Configuration.issuer",
                      "You must specify the [application.samlv2Configuration.issuer] property.");
    }
    if (saml.authorized_redirect_urls.empty() && internal::IsBlank(saml.callback_url)) {
      errors.AddField("blank", "application.samlv2Configuration.authorizedRedirectURLs",
                      "You must specify at least one authorized redirect URL.");
    }
  }
  if (application.two_factor_trust_id_time_to_live_in_seconds &&
      *application.two_factor_trust_id_time_to_live_in_seconds < 1) {
    errors.AddField(
        "invalid",
        "application.externalIdentifierConfiguration.twoFactorTrustIdTimeToLiveInSeconds",
        "The lifetime must be positive.");
  }
  return errors;
}

}  // namespace bulwark
