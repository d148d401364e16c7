// SPDX-License-Identifier: Apache-2.0
// Shared by the model tests: one object of each mapped type with every member set to a value
// other than its default, so that a member the JSON mapping forgets (in either direction)
// shows up as an inequality after a round trip.
#ifndef BULWARK_TESTS_UNIT_MODEL_POPULATED_MODEL_H_
#define BULWARK_TESTS_UNIT_MODEL_POPULATED_MODEL_H_

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/model/api_key.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/model/user_action_log.h"

namespace bulwark::test {

// A distinct, valid id per `n`.
template <typename I>
I NthId(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
  return *I::Parse(text);
}

inline Instant NthInstant(int n) { return FromEpochMillis(1700000000000 + n * 1000); }

inline JwtConfiguration PopulatedJwtConfiguration(int seed) {
  JwtConfiguration j;
  j.enabled = true;
  j.time_to_live_in_seconds = 900 + seed;
  j.refresh_token_time_to_live_in_minutes = 600 + seed;
  j.refresh_token_expiration_policy =
      RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime;
  j.refresh_token_sliding_window_configuration.maximum_time_to_live_in_minutes = 1200 + seed;
  j.refresh_token_usage_policy = RefreshTokenUsagePolicy::kOneTimeUse;
  j.refresh_token_one_time_use_configuration.grace_period_in_seconds = 30 + seed;
  j.refresh_token_revocation_policy = {.on_login_prevented = false,
                                       .on_multi_factor_enable = true,
                                       .on_one_time_token_reuse = true,
                                       .on_password_changed = false};
  j.access_token_key_id = NthId<KeyId>(seed + 1);
  j.id_token_key_id = NthId<KeyId>(seed + 2);
  j.access_token_verification_key_ids = {NthId<KeyId>(seed + 3), NthId<KeyId>(seed + 4)};
  j.id_token_verification_key_ids = {NthId<KeyId>(seed + 5)};
  return j;
}

inline ApplicationRole PopulatedRole(int n) {
  ApplicationRole r;
  r.id = NthId<RoleId>(100 + n);
  r.name = "role-" + std::to_string(n);
  r.description = "the role " + std::to_string(n);
  r.is_default = true;
  r.is_super_role = true;
  r.insert_instant = NthInstant(n);
  r.last_update_instant = NthInstant(n + 1);
  return r;
}

inline Application PopulatedApplication() {
  Application a;
  a.id = NthId<ApplicationId>(1);
  a.tenant_id = NthId<TenantId>(2);
  a.name = "Pied Piper";
  a.active = false;
  a.state = ObjectState::kPendingDelete;
  a.roles = {PopulatedRole(1), PopulatedRole(2)};
  a.data = {{"color", "green"}, {"n", 3}};
  a.verify_registration = true;
  a.verification_email_template_id = NthId<EmailTemplateId>(3);
  a.verification_strategy = VerificationStrategy::kFormField;
  a.theme_id = NthId<ThemeId>(4);
  a.base_url = "https://app.example.com";
  a.insert_instant = NthInstant(5);
  a.last_update_instant = NthInstant(6);

  ApplicationOAuthConfiguration& o = a.oauth_configuration;
  o.client_secret = "s3cr3t";
  o.client_authentication_policy = ClientAuthenticationPolicy::kNotRequiredWhenUsingPkce;
  o.require_client_authentication = false;
  o.proof_key_for_code_exchange_policy = PkcePolicy::kNotRequiredWhenUsingClientAuthentication;
  o.authorized_redirect_urls = {"https://app.example.com/cb", "https://app.example.com/cb2"};
  o.authorized_origin_urls = {"https://app.example.com"};
  o.authorized_url_validation_policy = UrlValidationPolicy::kAllowWildcards;
  o.authorized_resource_uris = {"https://api.example.com"};
  o.enabled_grants = {GrantType::kAuthorizationCode, GrantType::kImplicit,
                      GrantType::kPassword,          GrantType::kClientCredentials,
                      GrantType::kRefreshToken,      GrantType::kDeviceCode};
  o.generate_refresh_tokens = false;
  o.require_registration = true;
  o.logout_url = "https://app.example.com/logout";
  o.logout_behavior = LogoutBehavior::kRedirectOnly;
  o.device_verification_url = "https://app.example.com/device";
  o.debug = true;
  o.relationship = OAuthRelationship::kThirdParty;
  o.consent_mode = ConsentMode::kRememberDecision;
  o.scope_handling_policy = ScopeHandlingPolicy::kCompatibility;
  o.unknown_scope_policy = UnknownScopePolicy::kRemove;
  o.provided_scope_policy.address = {.enabled = false, .required = true};
  o.provided_scope_policy.email = {.enabled = false, .required = false};
  o.provided_scope_policy.phone = {.enabled = true, .required = true};
  o.provided_scope_policy.profile = {.enabled = false, .required = true};

  a.jwt_configuration = PopulatedJwtConfiguration(10);
  a.login_configuration = {.allow_token_refresh = true,
                           .generate_refresh_tokens = true,
                           .require_authentication = false};

  ApplicationRegistrationConfiguration& r = a.registration_configuration;
  r.enabled = true;
  r.type = RegistrationType::kAdvanced;
  r.form_id = NthId<FormId>(20);
  r.login_id_type = RegistrationLoginIdType::kPhoneNumber;
  r.confirm_password = true;
  r.complete_registration = true;
  r.birth_date = {true, true};
  r.first_name = {true, false};
  r.full_name = {true, true};
  r.last_name = {true, false};
  r.middle_name = {true, true};
  r.mobile_phone = {true, false};
  r.preferred_languages = {true, true};

  ApplicationSamlV2Configuration& s = a.samlv2_configuration;
  s.enabled = true;
  s.issuer = "https://sp.example.com";
  s.audience = "https://sp.example.com/audience";
  s.authorized_redirect_urls = {"https://sp.example.com/acs"};
  s.callback_url = "https://sp.example.com/callback";
  s.logout_url = "https://sp.example.com/logout";
  s.debug = true;
  s.require_signed_requests = true;
  s.default_verification_key_id = NthId<KeyId>(30);
  s.verification_key_ids = {NthId<KeyId>(31), NthId<KeyId>(32)};
  s.key_id = NthId<KeyId>(33);
  s.xml_signature_c14n_method = CanonicalizationMethod::kInclusive;
  s.xml_signature_location = XmlSignatureLocation::kResponse;
  s.initiated_login = {.enabled = true, .name_id_format = "urn:format:email"};
  s.login_hint_configuration = {.enabled = false, .parameter_name = "hint"};
  s.logout.behavior = SamlLogoutBehavior::kOnlyOriginator;
  s.logout.require_signed_requests = true;
  s.logout.default_verification_key_id = NthId<KeyId>(34);
  s.logout.verification_key_ids = {NthId<KeyId>(35)};
  s.logout.key_id = NthId<KeyId>(36);
  s.logout.xml_signature_c14n_method = CanonicalizationMethod::kExclusive;
  s.logout.single_logout = {
      .enabled = true,
      .url = "https://sp.example.com/slo",
      .key_id = NthId<KeyId>(37),
      .xml_signature_c14n_method = CanonicalizationMethod::kInclusiveWithComments};
  s.assertion_encryption_configuration = {
      .enabled = true,
      .encryption_algorithm = XmlEncryptionAlgorithm::kTripleDes,
      .key_location = XmlKeyLocation::kSibling,
      .key_transport_algorithm = KeyTransportAlgorithm::kRsaOaepMgf1p,
      .digest_algorithm = DigestAlgorithm::kSha512,
      .mask_generation_function = MaskGenerationFunction::kMgf1Sha384,
      .key_transport_encryption_key_id = NthId<KeyId>(38)};

  a.multi_factor_configuration = {.login_policy = MultiFactorLoginPolicy::kChallengeOnHighRisk,
                                  .trust_policy = MultiFactorTrustPolicy::kNone,
                                  .email_template_id = NthId<EmailTemplateId>(40),
                                  .sms_template_id = NthId<MessageTemplateId>(41),
                                  .voice_template_id = NthId<MessageTemplateId>(42)};
  a.lambda_configuration = {.access_token_populate_id = NthId<LambdaId>(50),
                            .id_token_populate_id = NthId<LambdaId>(51),
                            .samlv2_populate_id = NthId<LambdaId>(52),
                            .userinfo_populate_id = NthId<LambdaId>(53),
                            .self_service_registration_validation_id = NthId<LambdaId>(54)};
  a.passwordless_configuration = {.enabled = true,
                                  .email_login_strategy = "ClickableLink",
                                  .phone_login_strategy = "FormField"};
  a.authentication_token_configuration_enabled = true;
  a.two_factor_trust_id_time_to_live_in_seconds = 1234;
  a.access_control_configuration = {{"uiIPAccessControlListId", "x"}};
  a.clean_speak_configuration = {{"enabled", true}};
  a.email_configuration = {{"emailVerificationEmailTemplateId", "y"}};
  a.form_configuration = {{"adminRegistrationFormId", "z"}};
  a.registration_delete_policy = {{"unverified", {{"enabled", true}}}};
  a.scopes = nlohmann::json::array({{{"name", "read"}}});
  a.universal_configuration = {{"universal", false}};
  a.webauthn_configuration = {{"enabled", true}};
  return a;
}

inline Tenant PopulatedTenant() {
  Tenant t;
  t.id = NthId<TenantId>(1);
  t.name = "Default";
  t.issuer = "https://issuer.example.com";
  t.state = ObjectState::kInactive;
  t.configured = true;
  t.data = {{"k", "v"}};
  t.theme_id = NthId<ThemeId>(2);
  t.logout_url = "https://example.com/logout";
  t.base_url = "https://example.com";
  t.http_session_max_inactive_interval = 7200;
  t.insert_instant = NthInstant(1);
  t.last_update_instant = NthInstant(2);
  t.jwt_configuration = PopulatedJwtConfiguration(20);
  t.login_configuration.require_authentication = false;
  t.oauth_configuration.client_credentials_access_token_populate_lambda_id = NthId<LambdaId>(3);
  t.password_encryption_configuration = {.encryption_scheme = "bcrypt",
                                         .encryption_scheme_factor = 12,
                                         .modify_encryption_scheme_on_login = true};
  PasswordValidationRules& p = t.password_validation_rules;
  p.min_length = 10;
  p.max_length = 100;
  p.require_mixed_case = true;
  p.require_non_alpha = true;
  p.require_number = true;
  p.validate_on_login = true;
  p.disallow_user_login_id = true;
  p.remember_previous_passwords = {.enabled = true, .count = 4};
  p.breach_detection = {.enabled = true,
                        .match_mode = BreachMatchMode::kLow,
                        .on_login = BreachAction::kNotifyUser,
                        .notify_user_email_template_id = NthId<EmailTemplateId>(4)};
  FailedAuthenticationConfiguration& f = t.failed_authentication_configuration;
  f.too_many_attempts = 7;
  f.reset_count_in_seconds = 120;
  f.action_duration = 2;
  f.action_duration_unit = ExpiryUnit::kWeeks;
  f.user_action_id = NthId<UserActionId>(5);
  f.email_user = true;
  f.action_cancel_policy.on_password_reset = true;
  ExternalIdentifierConfiguration& e = t.external_identifier_configuration;
  int n = 1;
  for (int* ttl : {&e.authorization_grant_id_time_to_live_in_seconds,
                   &e.change_password_id_time_to_live_in_seconds,
                   &e.completion_token_time_to_live_in_seconds,
                   &e.device_code_time_to_live_in_seconds,
                   &e.email_verification_id_time_to_live_in_seconds,
                   &e.external_authentication_id_time_to_live_in_seconds,
                   &e.identity_provider_connection_test_time_to_live_in_seconds,
                   &e.login_intent_time_to_live_in_seconds,
                   &e.one_time_password_time_to_live_in_seconds,
                   &e.passwordless_login_time_to_live_in_seconds,
                   &e.pending_account_link_time_to_live_in_seconds,
                   &e.phone_verification_id_time_to_live_in_seconds,
                   &e.registration_verification_id_time_to_live_in_seconds,
                   &e.remember_oauth_scope_consent_choice_time_to_live_in_seconds,
                   &e.samlv2_authn_request_id_time_to_live_in_seconds,
                   &e.setup_password_id_time_to_live_in_seconds,
                   &e.trust_token_time_to_live_in_seconds,
                   &e.two_factor_id_time_to_live_in_seconds,
                   &e.two_factor_one_time_code_id_time_to_live_in_seconds,
                   &e.two_factor_trust_id_time_to_live_in_seconds,
                   &e.webauthn_authentication_challenge_time_to_live_in_seconds,
                   &e.webauthn_registration_challenge_time_to_live_in_seconds}) {
    *ttl = 100 + n++;
  }
  for (SecureGeneratorConfiguration* g :
       {&e.change_password_id_generator, &e.device_user_code_id_generator,
        &e.email_verification_id_generator, &e.email_verification_one_time_code_generator,
        &e.passwordless_login_generator, &e.phone_verification_id_generator,
        &e.phone_verification_one_time_code_generator, &e.registration_verification_id_generator,
        &e.registration_verification_one_time_code_generator, &e.setup_password_id_generator,
        &e.two_factor_one_time_code_id_generator}) {
    *g = {.length = 10 + n++, .type = SecureGeneratorType::kRandomAlpha};
  }
  t.minimum_password_age = {.enabled = true, .seconds = 60};
  t.maximum_password_age = {.enabled = true, .days = 90};
  t.access_control_configuration = {{"a", 1}};
  t.captcha_configuration = {{"enabled", false}};
  t.connector_policies = nlohmann::json::array({{{"connectorId", "c"}}});
  t.email_configuration = {{"port", 2525}};
  t.event_configuration = {{"events", nlohmann::json::object()}};
  t.family_configuration = {{"enabled", true}};
  t.form_configuration = {{"f", 1}};
  t.lambda_configuration = {{"l", 1}};
  t.multi_factor_configuration = {{"loginPolicy", "Enabled"}};
  t.phone_configuration = {{"p", 1}};
  t.rate_limit_configuration = {{"r", 1}};
  t.registration_configuration = {{"blockedDomains", nlohmann::json::array({"x.com"})}};
  t.scim_server_configuration = {{"enabled", false}};
  t.sso_configuration = {{"deviceTrustTimeToLiveInSeconds", 1}};
  t.user_delete_policy = {{"unverified", {{"enabled", false}}}};
  t.username_configuration = {{"unique", {{"enabled", true}}}};
  t.webauthn_configuration = {{"enabled", false}};
  t.webhook_ids = nlohmann::json::array({"00000000-0000-4000-8000-000000000099"});
  return t;
}

inline Registration PopulatedRegistration(int n) {
  Registration r;
  r.id = NthId<RegistrationId>(200 + n);
  r.application_id = NthId<ApplicationId>(300 + n);
  r.roles = {"admin", "user"};
  r.username = "reg-user-" + std::to_string(n);
  r.username_status = UsernameStatus::kPending;
  r.data = {{"favourite", n}};
  r.preferred_languages = {"fr", "en"};
  r.timezone = "Europe/Paris";
  r.verified = true;
  r.verified_instant = NthInstant(n + 10);
  r.authentication_token = "token-" + std::to_string(n);
  r.tokens = {{"Facebook", "fb-token"}};
  r.clean_speak_id = "cs-" + std::to_string(n);
  r.insert_instant = NthInstant(n + 11);
  r.last_update_instant = NthInstant(n + 12);
  r.last_login_instant = NthInstant(n + 13);
  return r;
}

inline User PopulatedUser() {
  User u;
  u.id = NthId<UserId>(1);
  u.tenant_id = NthId<TenantId>(2);
  u.email = "richard@example.com";
  u.username = "richard";
  u.phone_number = "+14155550100";
  u.mobile_phone = "+14155550101";
  u.password = "";  // a request's plaintext: never written, so never read back
  u.password_hash = {.encryption_scheme = "salted-pbkdf2-hmac-sha256",
                     .factor = 24000,
                     .salt = "c2FsdA==",
                     .hash = "aGFzaA=="};
  u.password_change_required = true;
  u.password_change_reason = ChangePasswordReason::kBreached;
  u.password_last_update_instant = NthInstant(1);
  u.verified = true;
  u.verified_instant = NthInstant(2);
  u.active = false;
  u.expiry = NthInstant(3);
  u.data = {{"nested", {{"list", {1, 2, 3}}}}};
  u.first_name = "Richard";
  u.middle_name = "M";
  u.last_name = "Hendricks";
  u.full_name = "Richard Hendricks";
  u.birth_date = "1990-02-28";
  u.image_url = "https://example.com/r.png";
  u.timezone = "America/Los_Angeles";
  u.preferred_languages = {"en", "de"};
  u.parent_email = "parent@example.com";
  u.registrations = {PopulatedRegistration(1), PopulatedRegistration(2)};
  u.memberships = {GroupMember{.id = "m-1",
                               .group_id = NthId<GroupId>(4),
                               .user_id = NthId<UserId>(1),
                               .data = {{"g", 1}},
                               .insert_instant = NthInstant(4)}};
  u.two_factor.methods = {UserTwoFactorMethod{.id = "2FA1",
                                              .method = "authenticator",
                                              .authenticator_algorithm = "HmacSHA1",
                                              .authenticator_code_length = 8,
                                              .authenticator_time_step = 60,
                                              .email = "",
                                              .mobile_phone = "",
                                              .secret = "",
                                              .last_used = NthInstant(5)},
                          UserTwoFactorMethod{.id = "2FA2",
                                              .method = "sms",
                                              .authenticator_algorithm = "",
                                              .authenticator_code_length = 6,
                                              .authenticator_time_step = 30,
                                              .email = "two@example.com",
                                              .mobile_phone = "+14155550102",
                                              .secret = "",
                                              .last_used = std::nullopt}};
  u.two_factor.recovery_codes = {"code-1", "code-2"};
  u.breached_password_status = BreachedPasswordStatus::kSubAddressMatch;
  u.breached_password_last_checked_instant = NthInstant(6);
  u.unique_username = "richard#1";
  u.username_status = UsernameStatus::kRejected;
  u.clean_speak_id = "cs-user";
  u.connector_id = "connector-1";
  u.identities = {UserIdentity{.type = "email",
                               .value = "richard@example.com",
                               .display_value = "Richard@Example.com",
                               .primary = true,
                               .verified = true,
                               .verified_instant = NthInstant(7),
                               .verified_reason = "Trusted",
                               .moderation_status = "ACTIVE",
                               .insert_instant = NthInstant(8),
                               .last_login_instant = NthInstant(9),
                               .last_update_instant = NthInstant(10)}};
  u.legacy_identifier = "legacy-7";
  u.insert_instant = NthInstant(11);
  u.last_update_instant = NthInstant(12);
  u.last_login_instant = NthInstant(13);
  return u;
}

inline Key PopulatedKey() {
  Key k;
  k.id = NthId<KeyId>(1);
  k.name = "signing key";
  k.algorithm = KeyAlgorithm::kEs384;
  k.type = KeyType::kEc;
  k.kid = "kid-1";
  k.length = 384;
  k.certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  k.certificate_information = CertificateInformation{.issuer = "CN=issuer",
                                                     .md5_fingerprint = "md5",
                                                     .serial_number = "0102",
                                                     .sha1_fingerprint = "sha1",
                                                     .sha1_thumbprint = "sha1t",
                                                     .sha256_fingerprint = "sha256",
                                                     .sha256_thumbprint = "sha256t",
                                                     .subject = "CN=subject",
                                                     .valid_from = NthInstant(1),
                                                     .valid_to = NthInstant(2)};
  k.public_key = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
  k.private_key = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";
  k.secret = "hmac-secret";
  k.has_private_key = true;
  k.issuer = "https://issuer.example.com";
  k.expiration_instant = NthInstant(3);
  k.insert_instant = NthInstant(4);
  k.last_update_instant = NthInstant(5);
  return k;
}

inline RefreshToken PopulatedRefreshToken() {
  RefreshToken t;
  t.id = NthId<RefreshTokenId>(1);
  t.token = "refresh-token-value";
  t.application_id = NthId<ApplicationId>(2);
  t.user_id = NthId<UserId>(3);
  t.tenant_id = NthId<TenantId>(4);
  t.insert_instant = NthInstant(1);
  t.start_instant = NthInstant(2);
  t.meta_data.device = {.description = "phone",
                        .last_accessed_address = "192.0.2.1",
                        .last_accessed_instant = NthInstant(3),
                        .name = "Richard's phone",
                        .type = "MOBILE"};
  t.meta_data.scopes = {"openid", "offline_access"};
  t.meta_data.data = {{"m", 1}};
  t.data = {{"d", 2}};
  return t;
}

inline ApiKey PopulatedApiKey() {
  ApiKey k;
  k.id = NthId<ApiKeyId>(1);
  k.key = "api-key-value";
  k.name = "CI";
  k.key_manager = true;
  k.retrievable = false;
  k.endpoint_permissions = {{"/api/user", {"GET", "POST"}}, {"/api/jwt/refresh", {"POST"}}};
  k.tenant_id = NthId<TenantId>(2);
  k.meta_data_attributes = {{"description", "for CI"}, {"owner", "ops"}};
  k.ip_access_control_list_id = NthId<IpAccessControlListId>(3);
  k.expiration_instant = NthInstant(1);
  k.insert_instant = NthInstant(2);
  k.last_update_instant = NthInstant(3);
  return k;
}

inline IdentityProviderLink PopulatedLink(int n) {
  IdentityProviderLink l;
  l.identity_provider_id = NthId<IdentityProviderId>(400 + n);
  l.identity_provider_user_id = "external-" + std::to_string(n);
  l.user_id = NthId<UserId>(500 + n);
  l.display_name = "link " + std::to_string(n);
  l.identity_provider_name = "Provider " + std::to_string(n);
  l.identity_provider_type = IdentityProviderType::kOpenIdConnect;
  l.tenant_id = NthId<TenantId>(600 + n);
  l.token = "provider-token";
  l.data = {{"n", n}};
  l.insert_instant = NthInstant(n);
  l.last_login_instant = NthInstant(n + 1);
  return l;
}

inline PendingIdPLink PopulatedPendingLink() {
  PendingIdPLink p;
  p.display_name = "Richard";
  p.email = "richard@example.com";
  p.identity_provider_id = NthId<IdentityProviderId>(1);
  p.identity_provider_name = "Acme OIDC";
  p.identity_provider_type = IdentityProviderType::kSamlV2;
  p.identity_provider_user_id = "external-user";
  p.username = "richard";
  p.identity_provider_links = {PopulatedLink(1), PopulatedLink(2)};
  p.user = PopulatedUser();
  p.user->password_hash.hash.clear();  // the public JSON leaves the hash and salt out
  p.user->password_hash.salt.clear();
  return p;
}

inline UserActionLog PopulatedUserActionLog() {
  UserActionLog a;
  a.id = NthId<UserActionLogId>(1);
  a.actionee_user_id = NthId<UserId>(2);
  a.actioner_user_id = NthId<UserId>(3);
  a.user_action_id = NthId<UserActionId>(4);
  a.application_ids = {NthId<ApplicationId>(5), NthId<ApplicationId>(6)};
  a.comment = "locked";
  a.name = "Failed authentication";
  a.reason = "too many attempts";
  a.reason_code = "FA";
  a.option = "opt";
  a.create_instant = NthInstant(1);
  a.expiry = NthInstant(2);
  a.prevent_login = false;
  return a;
}

// Members every provider has, set away from their defaults.
inline IdentityProvider PopulatedProviderBase(IdentityProviderType type) {
  IdentityProvider p;
  p.id = NthId<IdentityProviderId>(1);
  p.name = "Provider";
  p.type = type;
  p.enabled = true;
  p.debug = true;
  p.data = {{"d", 1}};
  p.source = "kickstart";
  p.linking_strategy = LinkingStrategy::kCreatePendingLink;
  IdentityProviderApplicationConfiguration app;
  app.enabled = true;
  app.create_registration = false;
  app.data = {{"a", 1}};
  app.overrides = {{"buttonText", "Log in here"}};
  p.application_configuration.emplace(NthId<ApplicationId>(2), app);
  p.application_configuration.emplace(NthId<ApplicationId>(3),
                                      IdentityProviderApplicationConfiguration{});
  p.tenant_configuration.emplace(NthId<TenantId>(4), IdentityProviderTenantConfiguration{
                                                         .limit_user_link_count_enabled = true,
                                                         .limit_user_link_count_maximum_links = 7,
                                                         .data = {{"t", 1}}});
  p.reconcile_lambda_id = NthId<LambdaId>(5);
  p.tenant_id = NthId<TenantId>(6);
  p.domains = {"example.com", "example.org"};
  p.insert_instant = NthInstant(1);
  p.last_update_instant = NthInstant(2);
  return p;
}

inline IdentityProviderOAuth2Configuration PopulatedOAuth2() {
  return IdentityProviderOAuth2Configuration{
      .authorization_endpoint = "https://idp.example.com/authorize",
      .token_endpoint = "https://idp.example.com/token",
      .userinfo_endpoint = "https://idp.example.com/userinfo",
      .issuer = "https://idp.example.com",
      .client_id = "client",
      .client_secret = "secret",
      .client_authentication_method = ClientAuthenticationMethod::kClientSecretPost,
      .scope = "openid email",
      .unique_id_claim = "uid",
      .email_claim = "mail",
      .email_verified_claim = "mail_verified",
      .username_claim = "login"};
}

inline IdentityProvider PopulatedOpenIdConnectProvider() {
  IdentityProvider p = PopulatedProviderBase(IdentityProviderType::kOpenIdConnect);
  p.config = OpenIdConnectConfiguration{.oauth2 = PopulatedOAuth2(),
                                        .button_text = "Log in with Acme",
                                        .button_image_url = "https://example.com/b.png",
                                        .post_request = true};
  return p;
}

// ExternalJWT providers have no OAuth client: only the endpoints and claims of oauth2 are
// on the wire.
inline IdentityProvider PopulatedExternalJwtProvider() {
  IdentityProvider p = PopulatedProviderBase(IdentityProviderType::kExternalJwt);
  IdentityProviderOAuth2Configuration oauth2 = PopulatedOAuth2();
  oauth2.userinfo_endpoint.clear();
  oauth2.issuer.clear();
  oauth2.client_id.clear();
  oauth2.client_secret.clear();
  oauth2.client_authentication_method = ClientAuthenticationMethod::kClientSecretBasic;
  oauth2.scope.clear();
  p.config = ExternalJwtConfiguration{
      .header_key_parameter = "kid",
      .default_key_id = NthId<KeyId>(7),
      .verification_key_ids = {NthId<KeyId>(8), NthId<KeyId>(9)},
      .unique_identity_claim = "sub",
      .claim_map = {{"first_name", "firstName"}, {"roles", "RegistrationRoles"}},
      .oauth2 = oauth2};
  return p;
}

inline IdentityProvider PopulatedSamlV2Provider() {
  IdentityProvider p = PopulatedProviderBase(IdentityProviderType::kSamlV2);
  SamlV2IdpConfiguration c;
  c.idp_endpoint = "https://idp.example.com/saml";
  c.issuer = "https://sp.example.com";
  c.key_id = NthId<KeyId>(10);
  c.verification_key_ids = {NthId<KeyId>(11)};
  c.name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
  c.use_name_id_for_email = true;
  c.email_claim = "email";
  c.unique_id_claim = "uid";
  c.username_claim = "login";
  c.post_request = true;
  c.sign_request = true;
  c.request_signing_key_id = NthId<KeyId>(12);
  c.xml_signature_c14n_method = CanonicalizationMethod::kInclusiveWithComments;
  c.assertion_destination = {.policy = DestinationAssertionPolicy::kAllowAlternates,
                             .alternates = {"https://alt.example.com/acs"}};
  c.assertion_decryption_configuration = {.enabled = true,
                                          .key_transport_decryption_key_id = NthId<KeyId>(13)};
  c.idp_initiated_configuration = {.enabled = true, .issuer = "https://idp.example.com"};
  c.login_hint_configuration = {.enabled = false, .parameter_name = "hint"};
  c.button_text = "Log in with SAML";
  c.button_image_url = "https://example.com/saml.png";
  p.config = c;
  return p;
}

inline IdentityProvider PopulatedSamlV2IdpInitiatedProvider() {
  IdentityProvider p = PopulatedProviderBase(IdentityProviderType::kSamlV2IdpInitiated);
  p.config = SamlV2IdpInitiatedConfiguration{
      .issuer = "https://idp.example.com",
      .key_id = NthId<KeyId>(14),
      .verification_key_ids = {NthId<KeyId>(15)},
      .use_name_id_for_email = true,
      .email_claim = "email",
      .unique_id_claim = "uid",
      .username_claim = "login",
      .assertion_decryption_configuration = {.enabled = true,
                                             .key_transport_decryption_key_id = NthId<KeyId>(16)}};
  return p;
}

// A type bulwark does not model: its own members pass through as JSON.
inline IdentityProvider PopulatedGoogleProvider() {
  IdentityProvider p = PopulatedProviderBase(IdentityProviderType::kGoogle);
  p.config = OtherIdentityProviderConfiguration{.members = {{"client_id", "google-client"},
                                                            {"client_secret", "google-secret"},
                                                            {"scope", "openid email"},
                                                            {"loginMethod", "UsePopup"},
                                                            {"properties", {{"api", "x"}}}}};
  return p;
}

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_MODEL_POPULATED_MODEL_H_
