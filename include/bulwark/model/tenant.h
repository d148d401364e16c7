// SPDX-License-Identifier: Apache-2.0
//
// Tenant: an isolated set of applications and users with its own issuer and policies.
// FusionAuth's Tenant object (§6.2 of the API reference); on the wire `{"tenant": {...}}`.
// Every configuration carries FusionAuth's default. Sub-objects whose behaviour bulwark does
// not implement yet (email, events, captcha, SCIM, ...) are kept as JSON so that they
// round-trip unchanged.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_TENANT_H_
#define BULWARK_MODEL_TENANT_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/enums.h"
#include "bulwark/model/jwt_configuration.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

// passwordEncryptionConfiguration: how new passwords are hashed.
struct PasswordEncryptionConfiguration {
  std::string encryption_scheme = "salted-pbkdf2-hmac-sha256";
  int encryption_scheme_factor = 24000;
  bool modify_encryption_scheme_on_login = false;

  friend bool operator==(const PasswordEncryptionConfiguration&,
                         const PasswordEncryptionConfiguration&) = default;
};

// BreachMatchMode: High | Medium | Low.
enum class BreachMatchMode { kHigh, kMedium, kLow };
BULWARK_EXPORT std::string_view ToString(BreachMatchMode v);
BULWARK_EXPORT Result<BreachMatchMode> ParseBreachMatchMode(std::string_view s);

// BreachAction (breachDetection.onLogin): Off | RecordOnly | NotifyUser | RequireChange.
enum class BreachAction { kOff, kRecordOnly, kNotifyUser, kRequireChange };
BULWARK_EXPORT std::string_view ToString(BreachAction v);
BULWARK_EXPORT Result<BreachAction> ParseBreachAction(std::string_view s);

struct PasswordBreachDetection {
  bool enabled = false;
  BreachMatchMode match_mode = BreachMatchMode::kHigh;
  BreachAction on_login = BreachAction::kOff;
  std::optional<EmailTemplateId> notify_user_email_template_id;

  friend bool operator==(const PasswordBreachDetection&, const PasswordBreachDetection&) = default;
};

// passwordValidationRules: what a new password must satisfy.
struct PasswordValidationRules {
  int min_length = 8;
  int max_length = 256;
  bool require_mixed_case = false;
  bool require_non_alpha = false;
  bool require_number = false;
  bool validate_on_login = false;
  bool disallow_user_login_id = false;
  struct RememberPreviousPasswords {
    bool enabled = false;
    int count = 1;
    friend bool operator==(const RememberPreviousPasswords&,
                           const RememberPreviousPasswords&) = default;
  } remember_previous_passwords;
  PasswordBreachDetection breach_detection;

  friend bool operator==(const PasswordValidationRules&, const PasswordValidationRules&) = default;
};

// ExpiryUnit (failedAuthenticationConfiguration.actionDurationUnit).
enum class ExpiryUnit { kMinutes, kHours, kDays, kWeeks, kMonths, kYears };
BULWARK_EXPORT std::string_view ToString(ExpiryUnit v);
BULWARK_EXPORT Result<ExpiryUnit> ParseExpiryUnit(std::string_view s);

// failedAuthenticationConfiguration: lock-out after repeated failed logins.
struct FailedAuthenticationConfiguration {
  int too_many_attempts = 5;
  int reset_count_in_seconds = 60;
  int action_duration = 3;
  ExpiryUnit action_duration_unit = ExpiryUnit::kMinutes;
  std::optional<UserActionId> user_action_id;
  bool email_user = false;
  struct ActionCancelPolicy {
    bool on_password_reset = false;
    friend bool operator==(const ActionCancelPolicy&, const ActionCancelPolicy&) = default;
  } action_cancel_policy;

  friend bool operator==(const FailedAuthenticationConfiguration&,
                         const FailedAuthenticationConfiguration&) = default;
};

// SecureGeneratorType: randomBytes | randomDigits | randomAlpha | randomAlphaNumeric.
enum class SecureGeneratorType { kRandomBytes, kRandomDigits, kRandomAlpha, kRandomAlphaNumeric };
BULWARK_EXPORT std::string_view ToString(SecureGeneratorType v);
BULWARK_EXPORT Result<SecureGeneratorType> ParseSecureGeneratorType(std::string_view s);

struct SecureGeneratorConfiguration {
  int length = 32;
  SecureGeneratorType type = SecureGeneratorType::kRandomBytes;

  friend bool operator==(const SecureGeneratorConfiguration&,
                         const SecureGeneratorConfiguration&) = default;
};

// externalIdentifierConfiguration: lifetimes (seconds) and generators of one-time ids/codes.
struct ExternalIdentifierConfiguration {
  int authorization_grant_id_time_to_live_in_seconds = 30;
  int change_password_id_time_to_live_in_seconds = 600;
  int completion_token_time_to_live_in_seconds = 180;  // default unverified
  int device_code_time_to_live_in_seconds = 300;
  int email_verification_id_time_to_live_in_seconds = 86400;
  int external_authentication_id_time_to_live_in_seconds = 300;
  int identity_provider_connection_test_time_to_live_in_seconds = 1800;
  int login_intent_time_to_live_in_seconds = 1800;
  int one_time_password_time_to_live_in_seconds = 60;
  int passwordless_login_time_to_live_in_seconds = 180;
  int pending_account_link_time_to_live_in_seconds = 3600;
  int phone_verification_id_time_to_live_in_seconds = 86400;
  int registration_verification_id_time_to_live_in_seconds = 86400;
  int remember_oauth_scope_consent_choice_time_to_live_in_seconds = 2592000;
  int samlv2_authn_request_id_time_to_live_in_seconds = 300;
  int setup_password_id_time_to_live_in_seconds = 86400;
  int trust_token_time_to_live_in_seconds = 180;
  int two_factor_id_time_to_live_in_seconds = 300;
  int two_factor_one_time_code_id_time_to_live_in_seconds = 60;
  int two_factor_trust_id_time_to_live_in_seconds = 2592000;
  int webauthn_authentication_challenge_time_to_live_in_seconds = 180;
  int webauthn_registration_challenge_time_to_live_in_seconds = 180;

  SecureGeneratorConfiguration change_password_id_generator{32, SecureGeneratorType::kRandomBytes};
  SecureGeneratorConfiguration device_user_code_id_generator{
      6, SecureGeneratorType::kRandomAlphaNumeric};
  SecureGeneratorConfiguration email_verification_id_generator{32,
                                                               SecureGeneratorType::kRandomBytes};
  SecureGeneratorConfiguration email_verification_one_time_code_generator{
      6, SecureGeneratorType::kRandomAlphaNumeric};
  SecureGeneratorConfiguration passwordless_login_generator{32, SecureGeneratorType::kRandomBytes};
  SecureGeneratorConfiguration phone_verification_id_generator{32,
                                                               SecureGeneratorType::kRandomBytes};
  SecureGeneratorConfiguration phone_verification_one_time_code_generator{
      6, SecureGeneratorType::kRandomAlphaNumeric};
  SecureGeneratorConfiguration registration_verification_id_generator{
      32, SecureGeneratorType::kRandomBytes};
  SecureGeneratorConfiguration registration_verification_one_time_code_generator{
      6, SecureGeneratorType::kRandomAlphaNumeric};
  SecureGeneratorConfiguration setup_password_id_generator{32, SecureGeneratorType::kRandomBytes};
  SecureGeneratorConfiguration two_factor_one_time_code_id_generator{
      6, SecureGeneratorType::kRandomDigits};

  friend bool operator==(const ExternalIdentifierConfiguration&,
                         const ExternalIdentifierConfiguration&) = default;
};

struct TenantLoginConfiguration {
  // Whether the Login API needs an API key when no applicationId is given.
  bool require_authentication = true;
  friend bool operator==(const TenantLoginConfiguration&,
                         const TenantLoginConfiguration&) = default;
};

struct TenantOAuthConfiguration {
  std::optional<LambdaId> client_credentials_access_token_populate_lambda_id;
  friend bool operator==(const TenantOAuthConfiguration&,
                         const TenantOAuthConfiguration&) = default;
};

struct MinimumPasswordAge {
  bool enabled = false;
  int seconds = 30;
  friend bool operator==(const MinimumPasswordAge&, const MinimumPasswordAge&) = default;
};

struct MaximumPasswordAge {
  bool enabled = false;
  int days = 180;
  friend bool operator==(const MaximumPasswordAge&, const MaximumPasswordAge&) = default;
};

struct Tenant {
  TenantId id;
  std::string name;  // required, unique
  std::string issuer = "acme.com";
  ObjectState state = ObjectState::kActive;
  bool configured = false;
  nlohmann::json data = nlohmann::json::object();
  std::optional<ThemeId> theme_id;
  std::string logout_url;  // logoutURL
  std::string base_url;    // baseURL
  int http_session_max_inactive_interval = 3600;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;

  JwtConfiguration jwt_configuration{.enabled = true};
  TenantLoginConfiguration login_configuration;
  TenantOAuthConfiguration oauth_configuration;
  PasswordEncryptionConfiguration password_encryption_configuration;
  PasswordValidationRules password_validation_rules;
  FailedAuthenticationConfiguration failed_authentication_configuration;
  ExternalIdentifierConfiguration external_identifier_configuration;
  MinimumPasswordAge minimum_password_age;
  MaximumPasswordAge maximum_password_age;

  // Kept as JSON until their behaviour arrives; they round-trip unchanged.
  nlohmann::json access_control_configuration;
  nlohmann::json captcha_configuration;
  nlohmann::json connector_policies;  // array
  nlohmann::json email_configuration;
  nlohmann::json event_configuration;
  nlohmann::json family_configuration;
  nlohmann::json form_configuration;
  nlohmann::json lambda_configuration;
  nlohmann::json multi_factor_configuration;
  nlohmann::json phone_configuration;
  nlohmann::json rate_limit_configuration;
  nlohmann::json registration_configuration;
  nlohmann::json scim_server_configuration;
  nlohmann::json sso_configuration;
  nlohmann::json user_delete_policy;
  nlohmann::json username_configuration;
  nlohmann::json webauthn_configuration;
  nlohmann::json webhook_ids;  // array of webhook ids

  friend bool operator==(const Tenant&, const Tenant&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const Tenant& tenant);
// Reads a tenant; `path` prefixes field errors. Unknown members are ignored.
BULWARK_EXPORT Result<Tenant> TenantFromJson(const nlohmann::json& json,
                                             std::string_view path = "tenant");
// The tenant's own rules: [blank]tenant.name, [blank]tenant.issuer, [invalid] for values out
// of range (negative lifetimes, minLength > maxLength, a grace period ≥ 86400, ...).
BULWARK_EXPORT Errors Validate(const Tenant& tenant);

}  // namespace bulwark

#endif  // BULWARK_MODEL_TENANT_H_
