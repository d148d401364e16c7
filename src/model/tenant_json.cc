// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "bulwark/model/tenant.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/durations.h"
#include "model/enum_traits.h"
#include "model/jwt_configuration_json.h"

namespace bulwark::internal {
namespace {

// externalIdentifierConfiguration: one table drives reading, writing and validation.
struct TtlField {
  const char* name;
  int ExternalIdentifierConfiguration::*member;
};
constexpr TtlField kTtlFields[] = {
    {"authorizationGrantIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::authorization_grant_id_time_to_live_in_seconds},
    {"changePasswordIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::change_password_id_time_to_live_in_seconds},
    {"completionTokenTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::completion_token_time_to_live_in_seconds},
    {"deviceCodeTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::device_code_time_to_live_in_seconds},
    {"emailVerificationIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::email_verification_id_time_to_live_in_seconds},
    {"externalAuthenticationIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::external_authentication_id_time_to_live_in_seconds},
    {"identityProviderConnectionTestTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::identity_provider_connection_test_time_to_live_in_seconds},
    {"loginIntentTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::login_intent_time_to_live_in_seconds},
    {"oneTimePasswordTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::one_time_password_time_to_live_in_seconds},
    {"passwordlessLoginTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::passwordless_login_time_to_live_in_seconds},
    {"pendingAccountLinkTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::pending_account_link_time_to_live_in_seconds},
    {"phoneVerificationIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::phone_verification_id_time_to_live_in_seconds},
    {"registrationVerificationIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::registration_verification_id_time_to_live_in_seconds},
    {"rememberOAuthScopeConsentChoiceTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::remember_oauth_scope_consent_choice_time_to_live_in_seconds},
    {"samlv2AuthNRequestIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::samlv2_authn_request_id_time_to_live_in_seconds},
    {"setupPasswordIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::setup_password_id_time_to_live_in_seconds},
    {"trustTokenTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::trust_token_time_to_live_in_seconds},
    {"twoFactorIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::two_factor_id_time_to_live_in_seconds},
    {"twoFactorOneTimeCodeIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::two_factor_one_time_code_id_time_to_live_in_seconds},
    {"twoFactorTrustIdTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::two_factor_trust_id_time_to_live_in_seconds},
    {"webAuthnAuthenticationChallengeTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::webauthn_authentication_challenge_time_to_live_in_seconds},
    {"webAuthnRegistrationChallengeTimeToLiveInSeconds",
     &ExternalIdentifierConfiguration::webauthn_registration_challenge_time_to_live_in_seconds},
};

struct GeneratorField {
  const char* name;
  SecureGeneratorConfiguration ExternalIdentifierConfiguration::*member;
};
constexpr GeneratorField kGeneratorFields[] = {
    {"changePasswordIdGenerator", &ExternalIdentifierConfiguration::change_password_id_generator},
    {"deviceUserCodeIdGenerator", &ExternalIdentifierConfiguration::device_user_code_id_generator},
    {"emailVerificationIdGenerator",
     &ExternalIdentifierConfiguration::email_verification_id_generator},
    {"emailVerificationOneTimeCodeGenerator",
     &ExternalIdentifierConfiguration::email_verification_one_time_code_generator},
    {"passwordlessLoginGenerator", &ExternalIdentifierConfiguration::passwordless_login_generator},
    {"phoneVerificationIdGenerator",
     &ExternalIdentifierConfiguration::phone_verification_id_generator},
    {"phoneVerificationOneTimeCodeGenerator",
     &ExternalIdentifierConfiguration::phone_verification_one_time_code_generator},
    {"registrationVerificationIdGenerator",
     &ExternalIdentifierConfiguration::registration_verification_id_generator},
    {"registrationVerificationOneTimeCodeGenerator",
     &ExternalIdentifierConfiguration::registration_verification_one_time_code_generator},
    {"setupPasswordIdGenerator", &ExternalIdentifierConfiguration::setup_password_id_generator},
    {"twoFactorOneTimeCodeIdGenerator",
     &ExternalIdentifierConfiguration::two_factor_one_time_code_id_generator},
};

// The JSON-kept sub-objects, by wire name.
struct JsonField {
  const char* name;
  nlohmann::json Tenant::*member;
};
constexpr JsonField kJsonFields[] = {
    {"accessControlConfiguration", &Tenant::access_control_configuration},
    {"captchaConfiguration", &Tenant::captcha_configuration},
    {"connectorPolicies", &Tenant::connector_policies},
    {"emailConfiguration", &Tenant::email_configuration},
    {"eventConfiguration", &Tenant::event_configuration},
    {"familyConfiguration", &Tenant::family_configuration},
    {"formConfiguration", &Tenant::form_configuration},
    {"lambdaConfiguration", &Tenant::lambda_configuration},
    {"multiFactorConfiguration", &Tenant::multi_factor_configuration},
    {"phoneConfiguration", &Tenant::phone_configuration},
    {"rateLimitConfiguration", &Tenant::rate_limit_configuration},
    {"registrationConfiguration", &Tenant::registration_configuration},
    {"scimServerConfiguration", &Tenant::scim_server_configuration},
    {"ssoConfiguration", &Tenant::sso_configuration},
    {"userDeletePolicy", &Tenant::user_delete_policy},
    {"usernameConfiguration", &Tenant::username_configuration},
    {"webAuthnConfiguration", &Tenant::webauthn_configuration},
    {"webhookIds", &Tenant::webhook_ids},
};

}  // namespace

template <class IO>
void Map(IO& io, Mapped<IO, ExternalIdentifierConfiguration>& v) {
  for (const TtlField& f : kTtlFields) io(f.name, v.*f.member);
  for (const GeneratorField& f : kGeneratorFields) {
    io.Nested(f.name, v.*f.member, [](IO& g, auto& c) {
      g("length", c.length);
      g("type", c.type);
    });
  }
}

template <class IO>
void Map(IO& io, Mapped<IO, PasswordValidationRules>& v) {
  io("minLength", v.min_length);
  io("maxLength", v.max_length);
  io("requireMixedCase", v.require_mixed_case);
  io("requireNonAlpha", v.require_non_alpha);
  io("requireNumber", v.require_number);
  io("validateOnLogin", v.validate_on_login);
  io("disallowUserLoginId", v.disallow_user_login_id);
  io.Nested("rememberPreviousPasswords", v.remember_previous_passwords, [](IO& c, auto& p) {
    c("enabled", p.enabled);
    c("count", p.count);
  });
  io.Nested("breachDetection", v.breach_detection, [](IO& c, auto& d) {
    c("enabled", d.enabled);
    c("matchMode", d.match_mode);
    c("onLogin", d.on_login);
    c("notifyUserEmailTemplateId", d.notify_user_email_template_id);
  });
}

template <class IO>
void Map(IO& io, Mapped<IO, FailedAuthenticationConfiguration>& v) {
  io("tooManyAttempts", v.too_many_attempts);
  io("resetCountInSeconds", v.reset_count_in_seconds);
  io("actionDuration", v.action_duration);
  io("actionDurationUnit", v.action_duration_unit);
  io("userActionId", v.user_action_id);
  io("emailUser", v.email_user);
  io.Nested("actionCancelPolicy", v.action_cancel_policy,
            [](IO& c, auto& p) { c("onPasswordReset", p.on_password_reset); });
}

template <class IO>
void Map(IO& io, Mapped<IO, Tenant>& v) {
  io("id", v.id);
  io("name", v.name);
  io("issuer", v.issuer);
  io("state", v.state);
  io("configured", v.configured);
  io.Data("data", v.data);
  io("themeId", v.theme_id);
  io("logoutURL", v.logout_url);
  io("baseURL", v.base_url);
  io("httpSessionMaxInactiveInterval", v.http_session_max_inactive_interval);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
  io.Nested("jwtConfiguration", v.jwt_configuration);
  io.Nested("loginConfiguration", v.login_configuration,
            [](IO& c, auto& l) { c("requireAuthentication", l.require_authentication); });
  io.Nested("oauthConfiguration", v.oauth_configuration, [](IO& c, auto& o) {
    c("clientCredentialsAccessTokenPopulateLambdaId",
      o.client_credentials_access_token_populate_lambda_id);
  });
  io.Nested("passwordEncryptionConfiguration", v.password_encryption_configuration,
            [](IO& c, auto& p) {
              c("encryptionScheme", p.encryption_scheme);
              c("encryptionSchemeFactor", p.encryption_scheme_factor);
              c("modifyEncryptionSchemeOnLogin", p.modify_encryption_scheme_on_login);
            });
  io.Nested("passwordValidationRules", v.password_validation_rules);
  io.Nested("failedAuthenticationConfiguration", v.failed_authentication_configuration);
  io.Nested("externalIdentifierConfiguration", v.external_identifier_configuration);
  io.Nested("minimumPasswordAge", v.minimum_password_age, [](IO& c, auto& m) {
    c("enabled", m.enabled);
    c("seconds", m.seconds);
  });
  io.Nested("maximumPasswordAge", v.maximum_password_age, [](IO& c, auto& m) {
    c("enabled", m.enabled);
    c("days", m.days);
  });
  for (const JsonField& f : kJsonFields) io.Any(f.name, v.*f.member);
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const Tenant& tenant) { return internal::WriteMapped(tenant); }

Result<Tenant> TenantFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<Tenant>(json, path);
}

Errors Validate(const Tenant& tenant) {
  Errors errors;
  if (internal::IsBlank(tenant.name))
    errors.AddField("blank", "tenant.name", "You must specify the [tenant.name] property.");
  if (internal::IsBlank(tenant.issuer))
    errors.AddField("blank", "tenant.issuer", "You must specify the [tenant.issuer] property.");
  internal::ValidateJwtConfiguration(tenant.jwt_configuration, "tenant.jwtConfiguration", errors);
  const PasswordValidationRules& rules = tenant.password_validation_rules;
  if (rules.min_length < 1) {
    errors.AddField("invalid", "tenant.passwordValidationRules.minLength",
                    "The minimum length must be at least 1.");
  }
  if (rules.max_length < rules.min_length) {
    errors.AddField("invalid", "tenant.passwordValidationRules.maxLength",
                    "The maximum length must not be less than the minimum length.");
  }
  if (tenant.password_encryption_configuration.encryption_scheme_factor < 1) {
    errors.AddField("invalid", "tenant.passwordEncryptionConfiguration.encryptionSchemeFactor",
                    "The factor must be positive.");
  }
  if (internal::IsBlank(tenant.password_encryption_configuration.encryption_scheme)) {
    errors.AddField("blank", "tenant.passwordEncryptionConfiguration.encryptionScheme",
                    "You must specify the encryption scheme.");
  }
  const FailedAuthenticationConfiguration& failed = tenant.failed_authentication_configuration;
  if (failed.too_many_attempts < 1) {
    errors.AddField("invalid", "tenant.failedAuthenticationConfiguration.tooManyAttempts",
                    "Must be at least 1.");
  }
  if (failed.reset_count_in_seconds < 1) {
    errors.AddField("invalid", "tenant.failedAuthenticationConfiguration.resetCountInSeconds",
                    "Must be at least 1.");
  }
  if (failed.action_duration < 1) {
    errors.AddField("invalid", "tenant.failedAuthenticationConfiguration.actionDuration",
                    "Must be at least 1.");
  } else if (failed.action_duration > internal::MaxAmountOf(failed.action_duration_unit)) {
    errors.AddField("invalid", "tenant.failedAuthenticationConfiguration.actionDuration",
                    "Must be at most " +
                        std::to_string(internal::MaxAmountOf(failed.action_duration_unit)) + " " +
                        std::string(ToString(failed.action_duration_unit)) + ".");
  }
  for (const internal::TtlField& f : internal::kTtlFields) {
    if (tenant.external_identifier_configuration.*f.member < 1) {
      errors.AddField("invalid", std::string("tenant.externalIdentifierConfiguration.") + f.name,
                      "The lifetime must be positive.");
    }
  }
  if (tenant.external_identifier_configuration.authorization_grant_id_time_to_live_in_seconds >
      600) {
    errors.AddField(
        "invalid", "tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds",
        "The authorization code lifetime must not exceed 600 seconds.");
  }
  for (const internal::GeneratorField& f : internal::kGeneratorFields) {
    if ((tenant.external_identifier_configuration.*f.member).length < 1) {
      errors.AddField("invalid",
                      std::string("tenant.externalIdentifierConfiguration.") + f.name + ".length",
                      "The generated length must be positive.");
    }
  }
  return errors;
}

}  // namespace bulwark
