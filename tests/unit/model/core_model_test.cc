// SPDX-License-Identifier: Apache-2.0
// Tenants, applications, users and registrations: JSON both ways in FusionAuth's shape.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "bulwark/model/application.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "bulwark/testing/status_matchers.h"
#include "model_test_support.h"

namespace bulwark {
namespace {

using test::FirstDifference;

// Parses `wrapped[key]` with `parse`, writes it with `write`, and checks that the documented
// members all survive and that parse(write(x)) == x.
void CheckTenant(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<Tenant>(
      j, where, [](const nlohmann::json& x) { return TenantFromJson(x); },
      [](const Tenant& t) { return ToJson(t); });
}

void CheckApplication(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<Application>(
      j, where, [](const nlohmann::json& x) { return ApplicationFromJson(x); },
      [](const Application& a) { return ToJson(a); });
}

// Users on the wire: the plaintext password and two-factor secrets are write-only.
void CheckUser(const nlohmann::json& j, const std::string& where) {
  std::set<std::string> skip = {"password"};
  for (int i = 0; i < 8; ++i) skip.insert("twoFactor.methods[" + std::to_string(i) + "].secret");
  test::CheckRoundTrip<User>(
      j, where, [](const nlohmann::json& x) { return UserFromJson(x); },
      [](const User& u) { return ToJson(u); }, skip,
      [](User& u) {
        u.password.clear();
        for (UserTwoFactorMethod& m : u.two_factor.methods) m.secret.clear();
      });
}

void CheckRegistration(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<Registration>(
      j, where, [](const nlohmann::json& x) { return RegistrationFromJson(x); },
      [](const Registration& r) { return ToJson(r); });
}

TEST_CASE("FusionAuth's documented tenants, applications, users and registrations round-trip",
          "[model]") {
  if (!test::HaveFusionAuthExamples()) {
    WARN("../shared/reference/fusionauth-json is absent: FusionAuth example round trips skipped");
    return;
  }
  int checked = 0;
  auto each = [&](const char* file, const char* single, const char* plural, auto check) {
    checked += test::ForEachDocumented(file, single, plural, check);
  };
  for (const char* f :
       {"tenants/request.json", "tenants/response.json", "tenants/search-response.json"}) {
    each(f, "tenant", "tenants", CheckTenant);
  }
  for (const char* f : {"applications/post-request.json", "applications/put-request.json",
                        "applications/response.json", "applications/responses.json",
                        "applications/search-response.json"}) {
    each(f, "application", "applications", CheckApplication);
  }
  for (const char* f :
       {"users/create-request.json", "users/create-response.json", "users/response.json",
        "users/update-request.json", "users/users-response.json",
        "users/users-search-response.json", "users/login-response.json",
        "users/login-migrated-response.json", "login/login-response-short.json",
        "login/two-factor/login-response.json", "user-registrations/combined-request.json",
        "user-registrations/combined-response.json",
        "user-registrations/combined-response-create.json"}) {
    each(f, "user", "users", CheckUser);
  }
  for (const char* f :
       {"user-registrations/combined-request.json", "user-registrations/combined-response.json",
        "user-registrations/create-request.json", "user-registrations/response-create.json",
        "user-registrations/response.json",
        "user-registrations/response-with-authentication-token.json",
        "user-registrations/update-request.json"}) {
    each(f, "registration", nullptr, CheckRegistration);
  }
  // Roles on their own (the Role API).
  std::optional<nlohmann::json> role =
      test::LoadFusionAuthExample("applications/role-response.json");
  REQUIRE(role.has_value());
  test::CheckRoundTrip<ApplicationRole>(
      (*role)["role"], "role-response",
      [](const nlohmann::json& x) { return ApplicationRoleFromJson(x); },
      [](const ApplicationRole& r) { return ToJson(r); });
  CHECK(checked >= 28);
}

TEST_CASE("the project's own fixtures round-trip", "[model]") {
  nlohmann::json tenant = test::LoadFixture("model/tenant.json");
  REQUIRE(tenant.contains("tenant"));
  CheckTenant(tenant["tenant"], "tenant.json");
  Tenant t = REQUIRE_VALUE(TenantFromJson(tenant["tenant"]));
  CHECK(t.jwt_configuration.refresh_token_expiration_policy ==
        RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime);
  CHECK(t.jwt_configuration.refresh_token_one_time_use_configuration.grace_period_in_seconds == 30);
  CHECK(t.jwt_configuration.access_token_verification_key_ids.size() == 1);
  CHECK_FALSE(t.login_configuration.require_authentication);
  CHECK(t.password_validation_rules.breach_detection.on_login == BreachAction::kRequireChange);
  CHECK(t.failed_authentication_configuration.action_duration_unit == ExpiryUnit::kHours);
  CHECK(t.external_identifier_configuration.two_factor_one_time_code_id_generator.length == 8);
  // Members the fixture leaves out keep FusionAuth's defaults.
  CHECK(t.external_identifier_configuration.change_password_id_time_to_live_in_seconds == 600);
  CHECK(t.email_configuration["port"] == 2525);

  nlohmann::json app = test::LoadFixture("model/application.json");
  REQUIRE(app.contains("application"));
  CheckApplication(app["application"], "application.json");
  Application a = REQUIRE_VALUE(ApplicationFromJson(app["application"]));
  CHECK(a.oauth_configuration.enabled_grants ==
        std::vector<GrantType>{GrantType::kAuthorizationCode, GrantType::kRefreshToken,
                               GrantType::kDeviceCode});
  CHECK(a.oauth_configuration.provided_scope_policy.email.required);
  CHECK(a.oauth_configuration.provided_scope_policy.phone.enabled);  // default
  CHECK(a.samlv2_configuration.assertion_encryption_configuration.mask_generation_function ==
        MaskGenerationFunction::kMgf1Sha256);
  CHECK(a.two_factor_trust_id_time_to_live_in_seconds == 600);
  CHECK(a.registration_configuration.first_name.required);
  CHECK(ToJson(a)["oauthConfiguration"]["clientId"] == a.id.ToString());

  nlohmann::json user = test::LoadFixture("model/user.json");
  REQUIRE(user.contains("user"));
  CheckUser(user["user"], "user.json");
  User u = REQUIRE_VALUE(UserFromJson(user["user"]));
  REQUIRE(u.registrations.size() == 1);
  CHECK(u.registrations[0].roles == std::vector<std::string>{"admin", "user"});
  CHECK(u.password_change_reason == ChangePasswordReason::kExpired);
  CHECK(u.expiry == FromEpochMillis(1900000000000));
  CHECK(u.data["nested"]["list"][2] == 3);
}

TEST_CASE("defaults are FusionAuth's", "[model]") {
  Tenant t;
  CHECK(t.issuer == "acme.com");
  CHECK(t.jwt_configuration.enabled);
  CHECK(t.jwt_configuration.time_to_live_in_seconds == 3600);
  CHECK(t.jwt_configuration.refresh_token_time_to_live_in_minutes == 43200);
  CHECK(t.jwt_configuration.refresh_token_expiration_policy ==
        RefreshTokenExpirationPolicy::kFixed);
  CHECK(t.jwt_configuration.refresh_token_usage_policy == RefreshTokenUsagePolicy::kReusable);
  CHECK(t.jwt_configuration.refresh_token_revocation_policy.on_login_prevented);
  CHECK(t.jwt_configuration.refresh_token_revocation_policy.on_password_changed);
  CHECK_FALSE(t.jwt_configuration.refresh_token_revocation_policy.on_one_time_token_reuse);
  CHECK(t.password_encryption_configuration.encryption_scheme == "salted-pbkdf2-hmac-sha256");
  CHECK(t.password_encryption_configuration.encryption_scheme_factor == 24000);
  CHECK(t.password_validation_rules.min_length == 8);
  CHECK(t.password_validation_rules.max_length == 256);
  CHECK(t.failed_authentication_configuration.too_many_attempts == 5);
  CHECK(t.failed_authentication_configuration.reset_count_in_seconds == 60);
  CHECK(t.failed_authentication_configuration.action_duration == 3);
  CHECK(t.external_identifier_configuration.pending_account_link_time_to_live_in_seconds == 3600);
  CHECK(t.external_identifier_configuration.authorization_grant_id_time_to_live_in_seconds == 30);
  CHECK(t.external_identifier_configuration.samlv2_authn_request_id_time_to_live_in_seconds == 300);
  CHECK(t.external_identifier_configuration.two_factor_one_time_code_id_generator.type ==
        SecureGeneratorType::kRandomDigits);
  CHECK(t.login_configuration.require_authentication);
  CHECK(t.maximum_password_age.days == 180);
  CHECK(t.minimum_password_age.seconds == 30);
  CHECK(t.http_session_max_inactive_interval == 3600);

  Application a;
  CHECK(a.active);
  CHECK_FALSE(a.jwt_configuration.enabled);
  CHECK(a.oauth_configuration.client_authentication_policy ==
        ClientAuthenticationPolicy::kRequired);
  CHECK(a.oauth_configuration.proof_key_for_code_exchange_policy == PkcePolicy::kNotRequired);
  CHECK(a.oauth_configuration.authorized_url_validation_policy == UrlValidationPolicy::kExactMatch);
  CHECK(a.oauth_configuration.unknown_scope_policy == UnknownScopePolicy::kReject);
  CHECK(a.oauth_configuration.consent_mode == ConsentMode::kAlwaysPrompt);
  CHECK(a.oauth_configuration.relationship == OAuthRelationship::kFirstParty);
  CHECK(a.login_configuration.require_authentication);
  CHECK_FALSE(a.login_configuration.generate_refresh_tokens);
  CHECK(a.samlv2_configuration.xml_signature_location == XmlSignatureLocation::kAssertion);
  CHECK(a.samlv2_configuration.login_hint_configuration.parameter_name == "login_hint");
  CHECK(a.samlv2_configuration.initiated_login.name_id_format ==
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");

  // An empty object parses to the defaults.
  CHECK(REQUIRE_VALUE(TenantFromJson(nlohmann::json::object())) == Tenant{});
  CHECK(REQUIRE_VALUE(ApplicationFromJson(nlohmann::json::object())) == Application{});
  CHECK(REQUIRE_VALUE(UserFromJson(nlohmann::json::object())) == User{});
}

TEST_CASE("wrong types and unknown enum values are field errors", "[model]") {
  Result<User> u = UserFromJson(nlohmann::json{{"email", 42},
                                               {"active", "yes"},
                                               {"id", "not-a-uuid"},
                                               {"registrations", {{{"roles", "admin"}}}}});
  REQUIRE_FALSE(u.ok());
  const Errors& e = u.status().errors();
  CHECK(e.HasField("couldNotConvert", "user.email"));
  CHECK(e.HasField("couldNotConvert", "user.active"));
  CHECK(e.HasField("couldNotConvert", "user.id"));
  CHECK(e.HasField("couldNotConvert", "user.registrations.roles"));

  Result<Tenant> t = TenantFromJson(nlohmann::json{
      {"state", "Sleeping"}, {"jwtConfiguration", {{"refreshTokenUsagePolicy", "Sometimes"}}}});
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().errors().HasField("invalid", "tenant.state"));
  CHECK(t.status().errors().HasField("invalid", "tenant.jwtConfiguration.refreshTokenUsagePolicy"));

  Result<Application> a = ApplicationFromJson(nlohmann::json{
      {"oauthConfiguration", {{"enabledGrants", {"authorization_code", "telepathy"}}}}});
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().errors().HasField("invalid", "application.oauthConfiguration.enabledGrants"));

  // Numbers out of range for their field.
  Result<Tenant> big =
      TenantFromJson(nlohmann::json{{"passwordValidationRules", {{"minLength", 1e300}}}});
  CHECK(big.status().errors().HasField("couldNotConvert",
                                       "tenant.passwordValidationRules.minLength"));
  Result<Tenant> huge = TenantFromJson(nlohmann::json{{"insertInstant", 18446744073709551615ULL}});
  CHECK(huge.status().errors().HasField("couldNotConvert", "tenant.insertInstant"));
  // A path prefix chosen by the caller.
  Result<Registration> r =
      RegistrationFromJson(nlohmann::json{{"applicationId", 7}}, "user.registrations");
  CHECK(r.status().errors().HasField("couldNotConvert", "user.registrations.applicationId"));
}

TEST_CASE("hostile input never crashes", "[model]") {
  std::vector<nlohmann::json> inputs = {
      nullptr,
      42,
      "string",
      nlohmann::json::array({1, 2, 3}),
      nlohmann::json{{"data", "not an object"}},
      nlohmann::json{{"registrations", nlohmann::json::object()}},
      nlohmann::json{{"registrations", {nullptr, 1}}},
      nlohmann::json{{"jwtConfiguration", nlohmann::json::array()}},
      nlohmann::json{{"roles", {{{"name", nlohmann::json::array()}}}}},
      nlohmann::json{{"email", std::string("\xff\xfe\x80", 3)}},
  };
  nlohmann::json deep = nlohmann::json::object();
  nlohmann::json* cursor = &deep;
  for (int i = 0; i < 500; ++i) cursor = &((*cursor)["data"] = nlohmann::json::object());
  inputs.push_back(deep);
  for (const nlohmann::json& in : inputs) {
    INFO(in.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).substr(0, 80));
    Result<User> u = UserFromJson(in);
    Result<Tenant> t = TenantFromJson(in);
    Result<Application> a = ApplicationFromJson(in);
    if (!in.is_object()) {
      CHECK_FALSE(u.ok());
      CHECK(u.status().errors().HasField("couldNotConvert", "user"));
      CHECK_FALSE(t.ok());
      CHECK_FALSE(a.ok());
    }
  }
}

TEST_CASE("users: the password never reaches the wire; the hash only reaches storage", "[model]") {
  User u;
  u.email = "a@example.com";
  u.password = "plaintext secret";
  u.password_hash = PasswordHash{"salted-pbkdf2-hmac-sha256", 24000, "c2FsdA==", "aGFzaA=="};
  nlohmann::json wire = ToJson(u);
  CHECK_FALSE(wire.contains("password"));
  CHECK_FALSE(wire.contains("salt"));
  CHECK(wire["encryptionScheme"] ==
        "salted-pbkdf2-hmac-sha256");  // not secret: FusionAuth shows it
  CHECK(wire.dump().find("plaintext") == std::string::npos);
  CHECK(wire.dump().find("aGFzaA==") == std::string::npos);

  nlohmann::json stored = ToJson(u, {.include_hash = true});
  CHECK(stored["password"] == "aGFzaA==");
  CHECK(stored["salt"] == "c2FsdA==");
  CHECK(stored["factor"] == 24000);
  CHECK(stored.dump().find("plaintext") == std::string::npos);
  User back = REQUIRE_VALUE(UserFromJson(stored, "user", {.include_hash = true}));
  CHECK(back.password_hash == u.password_hash);
  CHECK(back.password.empty());

  // On the request side, `password` is the plaintext and the scheme may be chosen.
  User request =
      UserFromJson(nlohmann::json{
                       {"password", "hunter22"}, {"encryptionScheme", "salted-md5"}, {"factor", 5}})
          .value();
  CHECK(request.password == "hunter22");
  CHECK(request.password_hash.encryption_scheme == "salted-md5");
  CHECK(request.password_hash.factor == 5);
  CHECK(request.password_hash.hash.empty());

  // Two-factor secrets reach storage, never the wire.
  UserTwoFactorMethod totp;
  totp.id = "ABCD";
  totp.method = "authenticator";
  totp.secret = "JBSWY3DPEHPK3PXP";
  u.two_factor.methods = {totp};
  CHECK(ToJson(u).dump().find("JBSWY3DPEHPK3PXP") == std::string::npos);
  CHECK(UserFromJson(ToJson(u, {.include_hash = true}), "user", {.include_hash = true})
            ->two_factor.methods[0]
            .secret == "JBSWY3DPEHPK3PXP");
}

TEST_CASE("enum tables round-trip and refuse unknown values", "[model]") {
  auto check_all = [](auto parse, auto values) {
    for (auto v : values) {
      INFO(std::string(ToString(v)));
      CHECK_FALSE(ToString(v).empty());
      CHECK(REQUIRE_VALUE(parse(ToString(v))) == v);
    }
    CHECK_FALSE(parse("").ok());
    CHECK_FALSE(parse("definitely-not-a-value").ok());
  };
  check_all(&ParseObjectState,
            std::vector{ObjectState::kActive, ObjectState::kInactive, ObjectState::kPendingDelete});
  check_all(&ParseUsernameStatus, std::vector{UsernameStatus::kActive, UsernameStatus::kPending,
                                              UsernameStatus::kRejected});
  check_all(&ParseChangePasswordReason,
            std::vector{ChangePasswordReason::kAdministrative, ChangePasswordReason::kBreached,
                        ChangePasswordReason::kExpired, ChangePasswordReason::kValidation});
  check_all(&ParseGrantType, std::vector{GrantType::kAuthorizationCode, GrantType::kImplicit,
                                         GrantType::kPassword, GrantType::kClientCredentials,
                                         GrantType::kRefreshToken, GrantType::kDeviceCode});
  check_all(&ParseCanonicalizationMethod,
            std::vector{CanonicalizationMethod::kExclusive,
                        CanonicalizationMethod::kExclusiveWithComments,
                        CanonicalizationMethod::kInclusive,
                        CanonicalizationMethod::kInclusiveWithComments});
  check_all(&ParseRefreshTokenExpirationPolicy,
            std::vector{RefreshTokenExpirationPolicy::kFixed,
                        RefreshTokenExpirationPolicy::kSlidingWindow,
                        RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime});
  check_all(&ParseXmlEncryptionAlgorithm,
            std::vector{XmlEncryptionAlgorithm::kAes128, XmlEncryptionAlgorithm::kAes192,
                        XmlEncryptionAlgorithm::kAes256, XmlEncryptionAlgorithm::kAes128Gcm,
                        XmlEncryptionAlgorithm::kAes192Gcm, XmlEncryptionAlgorithm::kAes256Gcm,
                        XmlEncryptionAlgorithm::kTripleDes});
  check_all(
      &ParseMultiFactorLoginPolicy,
      std::vector{MultiFactorLoginPolicy::kEnabled, MultiFactorLoginPolicy::kDisabled,
                  MultiFactorLoginPolicy::kRequired, MultiFactorLoginPolicy::kChallengeOnMediumRisk,
                  MultiFactorLoginPolicy::kChallengeOnHighRisk});
  check_all(&ParseExpiryUnit,
            std::vector{ExpiryUnit::kMinutes, ExpiryUnit::kHours, ExpiryUnit::kDays,
                        ExpiryUnit::kWeeks, ExpiryUnit::kMonths, ExpiryUnit::kYears});
  CHECK(ToString(GrantType::kDeviceCode) == "urn:ietf:params:oauth:grant-type:device_code");
  CHECK(ToString(ClientAuthenticationPolicy::kNotRequiredWhenUsingPkce) ==
        "NotRequiredWhenUsingPKCE");
  CHECK_FALSE(ParseObjectState("active").ok());  // wire names are case-sensitive
}

TEST_CASE("validation: FusionAuth-style field errors", "[model]") {
  Tenant t;
  t.name = " ";
  t.jwt_configuration.refresh_token_one_time_use_configuration.grace_period_in_seconds = 86400;
  t.password_validation_rules.min_length = 10;
  t.password_validation_rules.max_length = 9;
  t.external_identifier_configuration.authorization_grant_id_time_to_live_in_seconds = 601;
  Errors te = Validate(t);
  CHECK(te.HasField("blank", "tenant.name"));
  CHECK(te.HasField(
      "invalid",
      "tenant.jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds"));
  CHECK(te.HasField("invalid", "tenant.passwordValidationRules.maxLength"));
  CHECK(te.HasField(
      "invalid", "tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds"));
  Tenant ok;
  ok.name = "Fine";
  CHECK(Validate(ok).empty());

  Application a;
  a.roles = {ApplicationRole{}, ApplicationRole{}};
  a.roles[1].name = "x";
  a.roles.push_back(a.roles[1]);
  a.samlv2_configuration.enabled = true;
  a.jwt_configuration.enabled = true;
  a.jwt_configuration.refresh_token_expiration_policy =
      RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime;
  a.jwt_configuration.refresh_token_sliding_window_configuration.maximum_time_to_live_in_minutes =
      10;
  Errors ae = Validate(a);
  CHECK(ae.HasField("blank", "application.name"));
  CHECK(ae.HasField("blank", "role.name"));
  CHECK(ae.HasField("duplicate", "role.name"));
  CHECK(ae.HasField("blank", "application.samlv2Configuration.issuer"));
  CHECK(ae.HasField("invalid",
                    "application.jwtConfiguration.refreshTokenSlidingWindowConfiguration."
                    "maximumTimeToLiveInMinutes"));

  User u;
  Errors ue = Validate(u);
  CHECK(ue.HasField("blank", "user.email"));
  CHECK(ue.HasField("blank", "user.username"));
  for (const char* bad : {"plain", "@example.com", "a@", "a@b", "a@@b.com", "a b@example.com",
                          "a@example..com", "a@.example.com"}) {
    INFO(bad);
    u.email = bad;
    CHECK(Validate(u).HasField("notEmail", "user.email"));
  }
  u.email = "richard+tag@sub.example.co.uk";
  CHECK(Validate(u).empty());
  for (const char* bad : {"1985-2-28", "1985-02-29", "1985-13-01", "85-02-28", "1985/02/28"}) {
    INFO(bad);
    u.birth_date = bad;
    CHECK(Validate(u).HasField("invalid", "user.birthDate"));
  }
  u.birth_date = "2000-02-29";
  CHECK(Validate(u).empty());
}

}  // namespace
}  // namespace bulwark
