// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "bulwark/model/tenant.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/durations.h"
#include "model/enum_traits.h"
#include "model/jwt_configuration_json.h"

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

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

void ReadExternalIdentifiers(ObjectReader& r, ExternalIdentifierConfiguration& v) {
  for (const TtlField& f : kTtlFields) r.Int(f.name, v.*f.member);
  for (const GeneratorField& f : kGeneratorFields) {
    r.Nested(f.name, v.*f.member, [](ObjectReader& g, SecureGeneratorConfiguration& c) {
      g.Int("length", c.length);
      g.Enum("type", c.type, &ParseSecureGeneratorType);
    });
  }
}

void WriteExternalIdentifiers(ObjectWriter& w, const ExternalIdentifierConfiguration& v) {
  for (const TtlField& f : kTtlFields) w.Int(f.name, v.*f.member);
  for (const GeneratorField& f : kGeneratorFields) {
    w.Nested(f.name, v.*f.member, [](ObjectWriter& g, const SecureGeneratorConfiguration& c) {
      g.Int("length", c.length);
      g.Enum("type", c.type);
    });
  }
}

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

void Read(ObjectReader& r, Tenant& v) {
  r.Id("id", v.id);
  r.String("name", v.name);
  r.String("issuer", v.issuer);
  r.Enum("state", v.state, &ParseObjectState);
  r.Bool("configured", v.configured);
  r.Object("data", v.data);
  r.OptionalId("themeId", v.theme_id);
  r.String("logoutURL", v.logout_url);
  r.String("baseURL", v.base_url);
  r.Int("httpSessionMaxInactiveInterval", v.http_session_max_inactive_interval);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
  r.Nested("jwtConfiguration", v.jwt_configuration, internal::ReadJwtConfiguration);
  r.Nested("loginConfiguration", v.login_configuration,
           [](ObjectReader& c, TenantLoginConfiguration& l) {
             c.Bool("requireAuthentication", l.require_authentication);
           });
  r.Nested("oauthConfiguration", v.oauth_configuration,
           [](ObjectReader& c, TenantOAuthConfiguration& o) {
             c.OptionalId("clientCredentialsAccessTokenPopulateLambdaId",
                          o.client_credentials_access_token_populate_lambda_id);
           });
  r.Nested("passwordEncryptionConfiguration", v.password_encryption_configuration,
           [](ObjectReader& c, PasswordEncryptionConfiguration& p) {
             c.String("encryptionScheme", p.encryption_scheme);
             c.Int("encryptionSchemeFactor", p.encryption_scheme_factor);
             c.Bool("modifyEncryptionSchemeOnLogin", p.modify_encryption_scheme_on_login);
           });
  r.Nested("passwordValidationRules", v.password_validation_rules,
           [](ObjectReader& c, PasswordValidationRules& p) {
             c.Int("minLength", p.min_length);
             c.Int("maxLength", p.max_length);
             c.Bool("requireMixedCase", p.require_mixed_case);
             c.Bool("requireNonAlpha", p.require_non_alpha);
             c.Bool("requireNumber", p.require_number);
             c.Bool("validateOnLogin", p.validate_on_login);
             c.Bool("disallowUserLoginId", p.disallow_user_login_id);
             c.Nested("rememberPreviousPasswords", p.remember_previous_passwords,
                      [](ObjectReader& rp, PasswordValidationRules::RememberPreviousPasswords& q) {
                        rp.Bool("enabled", q.enabled);
                        rp.Int("count", q.count);
                      });
             c.Nested("breachDetection", p.breach_detection,
                      [](ObjectReader& b, PasswordBreachDetection& d) {
                        b.Bool("enabled", d.enabled);
                        b.Enum("matchMode", d.match_mode, &ParseBreachMatchMode);
                        b.Enum("onLogin", d.on_login, &ParseBreachAction);
                        b.OptionalId("notifyUserEmailTemplateId", d.notify_user_email_template_id);
                      });
           });
  r.Nested("failedAuthenticationConfiguration", v.failed_authentication_configuration,
           [](ObjectReader& c, FailedAuthenticationConfiguration& f) {
             c.Int("tooManyAttempts", f.too_many_attempts);
             c.Int("resetCountInSeconds", f.reset_count_in_seconds);
             c.Int("actionDuration", f.action_duration);
             c.Enum("actionDurationUnit", f.action_duration_unit, &ParseExpiryUnit);
             c.OptionalId("userActionId", f.user_action_id);
             c.Bool("emailUser", f.email_user);
             c.Nested(
                 "actionCancelPolicy", f.action_cancel_policy,
                 [](ObjectReader& a, FailedAuthenticationConfiguration::ActionCancelPolicy& p) {
                   a.Bool("onPasswordReset", p.on_password_reset);
                 });
           });
  r.Nested("externalIdentifierConfiguration", v.external_identifier_configuration,
           ReadExternalIdentifiers);
  r.Nested("minimumPasswordAge", v.minimum_password_age,
           [](ObjectReader& c, MinimumPasswordAge& m) {
             c.Bool("enabled", m.enabled);
             c.Int("seconds", m.seconds);
           });
  r.Nested("maximumPasswordAge", v.maximum_password_age,
           [](ObjectReader& c, MaximumPasswordAge& m) {
             c.Bool("enabled", m.enabled);
             c.Int("days", m.days);
           });
  for (const JsonField& f : kJsonFields) r.Any(f.name, v.*f.member);
}

void Write(ObjectWriter& w, const Tenant& v) {
  w.Id("id", v.id);
  w.String("name", v.name);
  w.String("issuer", v.issuer);
  w.Enum("state", v.state);
  w.Bool("configured", v.configured);
  w.Any("data", v.data);
  w.OptionalId("themeId", v.theme_id);
  w.String("logoutURL", v.logout_url);
  w.String("baseURL", v.base_url);
  w.Int("httpSessionMaxInactiveInterval", v.http_session_max_inactive_interval);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
  w.Nested("jwtConfiguration", v.jwt_configuration, internal::WriteJwtConfiguration);
  w.Nested("loginConfiguration", v.login_configuration,
           [](ObjectWriter& c, const TenantLoginConfiguration& l) {
             c.Bool("requireAuthentication", l.require_authentication);
           });
  w.Nested("oauthConfiguration", v.oauth_configuration,
           [](ObjectWriter& c, const TenantOAuthConfiguration& o) {
             c.OptionalId("clientCredentialsAccessTokenPopulateLambdaId",
                          o.client_credentials_access_token_populate_lambda_id);
           });
  w.Nested("passwordEncryptionConfiguration", v.password_encryption_configuration,
           [](ObjectWriter& c, const PasswordEncryptionConfiguration& p) {
             c.String("encryptionScheme", p.encryption_scheme);
             c.Int("encryptionSchemeFactor", p.encryption_scheme_factor);
             c.Bool("modifyEncryptionSchemeOnLogin", p.modify_encryption_scheme_on_login);
           });
  w.Nested("passwordValidationRules", v.password_validation_rules,
           [](ObjectWriter& c, const PasswordValidationRules& p) {
             c.Int("minLength", p.min_length);
             c.Int("maxLength", p.max_length);
             c.Bool("requireMixedCase", p.require_mixed_case);
             c.Bool("requireNonAlpha", p.require_non_alpha);
             c.Bool("requireNumber", p.require_number);
             c.Bool("validateOnLogin", p.validate_on_login);
             c.Bool("disallowUserLoginId", p.disallow_user_login_id);
             c.Nested(
                 "rememberPreviousPasswords", p.remember_previous_passwords,
                 [](ObjectWriter& rp, const PasswordValidationRules::RememberPreviousPasswords& q) {
                   rp.Bool("enabled", q.enabled);
                   rp.Int("count", q.count);
                 });
             c.Nested("breachDetection", p.breach_detection,
                      [](ObjectWriter& b, const PasswordBreachDetection& d) {
                        b.Bool("enabled", d.enabled);
                        b.Enum("matchMode", d.match_mode);
                        b.Enum("onLogin", d.on_login);
                        b.OptionalId("notifyUserEmailTemplateId", d.notify_user_email_template_id);
                      });
           });
  w.Nested("failedAuthenticationConfiguration", v.failed_authentication_configuration,
           [](ObjectWriter& c, const FailedAuthenticationConfiguration& f) {
             c.Int("tooManyAttempts", f.too_many_attempts);
             c.Int("resetCountInSeconds", f.reset_count_in_seconds);
             c.Int("actionDuration", f.action_duration);
             c.Enum("actionDurationUnit", f.action_duration_unit);
             c.OptionalId("userActionId", f.user_action_id);
             c.Bool("emailUser", f.email_user);
             c.Nested("actionCancelPolicy", f.action_cancel_policy,
                      [](ObjectWriter& a,
                         const FailedAuthenticationConfiguration::ActionCancelPolicy& p) {
                        a.Bool("onPasswordReset", p.on_password_reset);
                      });
           });
  w.Nested("externalIdentifierConfiguration", v.external_identifier_configuration,
           WriteExternalIdentifiers);
  w.Nested("minimumPasswordAge", v.minimum_password_age,
           [](ObjectWriter& c, const MinimumPasswordAge& m) {
             c.Bool("enabled", m.enabled);
             c.Int("seconds", m.seconds);
           });
  w.Nested("maximumPasswordAge", v.maximum_password_age,
           [](ObjectWriter& c, const MaximumPasswordAge& m) {
             c.Bool("enabled", m.enabled);
             c.Int("days", m.days);
           });
  for (const JsonField& f : kJsonFields) w.Any(f.name, v.*f.member);
}

}  // namespace

nlohmann::json ToJson(const Tenant& tenant) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, tenant);
  return out;
}

Result<Tenant> TenantFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<Tenant>(json, path, [](ObjectReader& r, Tenant& v) { Read(r, v); });
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
  for (const TtlField& f : kTtlFields) {
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
  for (const GeneratorField& f : kGeneratorFields) {
    if ((tenant.external_identifier_configuration.*f.member).length < 1) {
      errors.AddField("invalid",
                      std::string("tenant.externalIdentifierConfiguration.") + f.name + ".length",
                      "The generated length must be positive.");
    }
  }
  return errors;
}

}  // namespace bulwark
