// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "bulwark/model/application.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"
#include "model/jwt_configuration_json.h"

namespace bulwark::internal {

template <class IO>
void Map(IO& io, Mapped<IO, ApplicationRole>& v) {
  io("id", v.id);
  io("name", v.name);
  io("description", v.description);
  io("isDefault", v.is_default);
  io("isSuperRole", v.is_super_role);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
}

// ---- oauthConfiguration ----

template <class IO>
void Map(IO& io, Mapped<IO, ProvidedScope>& v) {
  io("enabled", v.enabled);
  io("required", v.required);
}

template <class IO>
void Map(IO& io, Mapped<IO, ApplicationOAuthConfiguration>& v) {
  io("clientSecret", v.client_secret);
  io("clientAuthenticationPolicy", v.client_authentication_policy);
  io("requireClientAuthentication", v.require_client_authentication);
  io("proofKeyForCodeExchangePolicy", v.proof_key_for_code_exchange_policy);
  io("authorizedRedirectURLs", v.authorized_redirect_urls, kKeepEmpty);
  io("authorizedOriginURLs", v.authorized_origin_urls, kKeepEmpty);
  io("authorizedURLValidationPolicy", v.authorized_url_validation_policy);
  io("authorizedResourceUris", v.authorized_resource_uris);
  io("enabledGrants", v.enabled_grants, kKeepEmpty);
  io("generateRefreshTokens", v.generate_refresh_tokens);
  io("requireRegistration", v.require_registration);
  io("logoutURL", v.logout_url);
  io("logoutBehavior", v.logout_behavior);
  io("deviceVerificationURL", v.device_verification_url);
  io("debug", v.debug);
  io("relationship", v.relationship);
  io("consentMode", v.consent_mode);
  io("scopeHandlingPolicy", v.scope_handling_policy);
  io("unknownScopePolicy", v.unknown_scope_policy);
  io.Nested("providedScopePolicy", v.provided_scope_policy, [](IO& c, auto& p) {
    c.Nested("address", p.address);
    c.Nested("email", p.email);
    c.Nested("phone", p.phone);
    c.Nested("profile", p.profile);
  });
}

// ---- registrationConfiguration ----

namespace {
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
}  // namespace

template <class IO>
void Map(IO& io, Mapped<IO, ApplicationRegistrationConfiguration>& v) {
  io("enabled", v.enabled);
  io("type", v.type);
  io("formId", v.form_id);
  io("loginIdType", v.login_id_type);
  io("confirmPassword", v.confirm_password);
  io("completeRegistration", v.complete_registration);
  for (const RequirableMember& m : kRequirableMembers) {
    io.Nested(m.name, v.*m.member, [](IO& c, auto& f) {
      c("enabled", f.enabled);
      c("required", f.required);
    });
  }
}

// ---- samlv2Configuration ----

template <class IO>
void Map(IO& io, Mapped<IO, SamlV2SingleLogout>& v) {
  io("enabled", v.enabled);
  io("url", v.url);
  io("keyId", v.key_id);
  io("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
}

template <class IO>
void Map(IO& io, Mapped<IO, SamlV2Logout>& v) {
  io("behavior", v.behavior);
  io("requireSignedRequests", v.require_signed_requests);
  io("defaultVerificationKeyId", v.default_verification_key_id);
  io("verificationKeyIds", v.verification_key_ids);
  io("keyId", v.key_id);
  io("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
  io.Nested("singleLogout", v.single_logout);
}

template <class IO>
void Map(IO& io, Mapped<IO, SamlV2AssertionEncryptionConfiguration>& v) {
  io("enabled", v.enabled);
  io("encryptionAlgorithm", v.encryption_algorithm);
  io("keyLocation", v.key_location);
  io("keyTransportAlgorithm", v.key_transport_algorithm);
  io("digestAlgorithm", v.digest_algorithm);
  io("maskGenerationFunction", v.mask_generation_function);
  io("keyTransportEncryptionKeyId", v.key_transport_encryption_key_id);
}

template <class IO>
void Map(IO& io, Mapped<IO, ApplicationSamlV2Configuration>& v) {
  io("enabled", v.enabled);
  io("issuer", v.issuer);
  io("audience", v.audience);
  io("authorizedRedirectURLs", v.authorized_redirect_urls);
  io("callbackURL", v.callback_url);
  io("logoutURL", v.logout_url);
  io("debug", v.debug);
  io("requireSignedRequests", v.require_signed_requests);
  io("defaultVerificationKeyId", v.default_verification_key_id);
  io("verificationKeyIds", v.verification_key_ids);
  io("keyId", v.key_id);
  io("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
  io("xmlSignatureLocation", v.xml_signature_location);
  io.Nested("initiatedLogin", v.initiated_login, [](IO& c, auto& i) {
    c("enabled", i.enabled);
    c("nameIdFormat", i.name_id_format);
  });
  io.Nested("loginHintConfiguration", v.login_hint_configuration, [](IO& c, auto& l) {
    c("enabled", l.enabled);
    c("parameterName", l.parameter_name);
  });
  io.Nested("logout", v.logout);
  io.Nested("assertionEncryptionConfiguration", v.assertion_encryption_configuration);
}

// ---- multiFactorConfiguration, lambdaConfiguration, passwordlessConfiguration ----

template <class IO>
void Map(IO& io, Mapped<IO, ApplicationMultiFactorConfiguration>& v) {
  io("loginPolicy", v.login_policy);
  io("trustPolicy", v.trust_policy);
  // {"templateId": ...} objects, written only when the id is set.
  if (IO::kReading || v.email_template_id) {
    io.Nested("email", v, [](IO& c, auto& m) { c("templateId", m.email_template_id); });
  }
  if (IO::kReading || v.sms_template_id) {
    io.Nested("sms", v, [](IO& c, auto& m) { c("templateId", m.sms_template_id); });
  }
  if (IO::kReading || v.voice_template_id) {
    io.Nested("voice", v, [](IO& c, auto& m) { c("templateId", m.voice_template_id); });
  }
}

template <class IO>
void Map(IO& io, Mapped<IO, ApplicationLambdaConfiguration>& v) {
  io("accessTokenPopulateId", v.access_token_populate_id);
  io("idTokenPopulateId", v.id_token_populate_id);
  io("samlv2PopulateId", v.samlv2_populate_id);
  io("userinfoPopulateId", v.userinfo_populate_id);
  io("selfServiceRegistrationValidationId", v.self_service_registration_validation_id);
}

// ---- application ----

namespace {
// Kept as JSON, by wire name.
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
}  // namespace

template <class IO>
void Map(IO& io, Mapped<IO, Application>& v) {
  io("id", v.id);
  io("tenantId", v.tenant_id);
  io("name", v.name);
  io("active", v.active);
  io("state", v.state);
  io.List("roles", v.roles);
  io.Data("data", v.data);
  io("verifyRegistration", v.verify_registration);
  io("verificationEmailTemplateId", v.verification_email_template_id);
  io("verificationStrategy", v.verification_strategy);
  io("themeId", v.theme_id);
  io("baseURL", v.base_url);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
  io.Nested("oauthConfiguration", v.oauth_configuration, [&](IO& c, auto& o) {
    c.ReadOnly("clientId", v.id);  // the application id
    Map(c, o);
  });
  io.Nested("jwtConfiguration", v.jwt_configuration);
  io.Nested("loginConfiguration", v.login_configuration, [](IO& c, auto& l) {
    c("allowTokenRefresh", l.allow_token_refresh);
    c("generateRefreshTokens", l.generate_refresh_tokens);
    c("requireAuthentication", l.require_authentication);
  });
  io.Nested("registrationConfiguration", v.registration_configuration);
  io.Nested("samlv2Configuration", v.samlv2_configuration);
  io.Nested("multiFactorConfiguration", v.multi_factor_configuration);
  io.Nested("lambdaConfiguration", v.lambda_configuration);
  io.Nested("passwordlessConfiguration", v.passwordless_configuration, [](IO& c, auto& p) {
    c("enabled", p.enabled);
    c("emailLoginStrategy", p.email_login_strategy);
    c("phoneLoginStrategy", p.phone_login_strategy);
  });
  io.Nested("authenticationTokenConfiguration", v,
            [](IO& c, auto& a) { c("enabled", a.authentication_token_configuration_enabled); });
  // Absent: the tenant's lifetime applies.
  if (IO::kReading || v.two_factor_trust_id_time_to_live_in_seconds) {
    io.Nested("externalIdentifierConfiguration", v, [](IO& c, auto& a) {
      c("twoFactorTrustIdTimeToLiveInSeconds", a.two_factor_trust_id_time_to_live_in_seconds);
    });
  }
  for (const JsonField& f : kJsonFields) io.Any(f.name, v.*f.member);
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const ApplicationRole& role) { return internal::WriteMapped(role); }

Result<ApplicationRole> ApplicationRoleFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<ApplicationRole>(json, path);
}

nlohmann::json ToJson(const Application& application) { return internal::WriteMapped(application); }

Result<Application> ApplicationFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<Application>(json, path);
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
