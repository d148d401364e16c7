// SPDX-License-Identifier: Apache-2.0
// JSON for the core model types: tenants, applications and roles, users, registrations.
#include <nlohmann/json.hpp>

#include "bulwark/model/application.h"
#include "bulwark/model/enums.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/tenant.h"
#include "bulwark/model/user.h"
#include "core/enum_table.h"
#include "json/json_io.h"

namespace bulwark {
namespace {

using internal::EnumEntry;
using internal::ObjectReader;
using internal::ObjectWriter;

constexpr EnumEntry<ObjectState> kObjectStates[] = {
    {ObjectState::kActive, "Active"},
    {ObjectState::kInactive, "Inactive"},
    {ObjectState::kPendingDelete, "PendingDelete"},
};
constexpr EnumEntry<UsernameStatus> kUsernameStatuses[] = {
    {UsernameStatus::kActive, "ACTIVE"},
    {UsernameStatus::kPending, "PENDING"},
    {UsernameStatus::kRejected, "REJECTED"},
};
constexpr EnumEntry<ChangePasswordReason> kChangePasswordReasons[] = {
    {ChangePasswordReason::kAdministrative, "Administrative"},
    {ChangePasswordReason::kBreached, "Breached"},
    {ChangePasswordReason::kExpired, "Expired"},
    {ChangePasswordReason::kValidation, "Validation"},
};
constexpr EnumEntry<BreachedPasswordStatus> kBreachedPasswordStatuses[] = {
    {BreachedPasswordStatus::kNone, "None"},
    {BreachedPasswordStatus::kExactMatch, "ExactMatch"},
    {BreachedPasswordStatus::kSubAddressMatch, "SubAddressMatch"},
    {BreachedPasswordStatus::kPasswordOnly, "PasswordOnly"},
    {BreachedPasswordStatus::kCommonPassword, "CommonPassword"},
};

}  // namespace

std::string_view ToString(ObjectState v) { return internal::EnumToString(kObjectStates, v); }
Result<ObjectState> ParseObjectState(std::string_view s) {
  return internal::EnumFromString(kObjectStates, s, "ObjectState");
}
std::string_view ToString(UsernameStatus v) { return internal::EnumToString(kUsernameStatuses, v); }
Result<UsernameStatus> ParseUsernameStatus(std::string_view s) {
  return internal::EnumFromString(kUsernameStatuses, s, "ContentStatus");
}
std::string_view ToString(ChangePasswordReason v) { return internal::EnumToString(kChangePasswordReasons, v); }
Result<ChangePasswordReason> ParseChangePasswordReason(std::string_view s) {
  return internal::EnumFromString(kChangePasswordReasons, s, "ChangePasswordReason");
}
std::string_view ToString(BreachedPasswordStatus v) {
  return internal::EnumToString(kBreachedPasswordStatuses, v);
}
Result<BreachedPasswordStatus> ParseBreachedPasswordStatus(std::string_view s) {
  return internal::EnumFromString(kBreachedPasswordStatuses, s, "BreachedPasswordStatus");
}

// ---------------------------------------------------------------------------------------
// Registration

namespace {

void Read(ObjectReader& r, Registration& v) {
  r.Id("id", v.id);
  r.Id("applicationId", v.application_id);
  r.Strings("roles", v.roles);
  r.String("username", v.username);
  r.Enum("usernameStatus", v.username_status, &ParseUsernameStatus);
  r.Object("data", v.data);
  r.Strings("preferredLanguages", v.preferred_languages);
  r.String("timezone", v.timezone);
  r.Bool("verified", v.verified);
  r.Instant("verifiedInstant", v.verified_instant);
  r.String("authenticationToken", v.authentication_token);
  r.Object("tokens", v.tokens);
  r.String("cleanSpeakId", v.clean_speak_id);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
  r.Instant("lastLoginInstant", v.last_login_instant);
}

void Write(ObjectWriter& w, const Registration& v) {
  w.Id("id", v.id);
  w.Id("applicationId", v.application_id);
  w.Any("roles", nlohmann::json(v.roles));  // always present, possibly []
  w.String("username", v.username);
  w.Enum("usernameStatus", v.username_status);
  w.Any("data", v.data);
  w.Strings("preferredLanguages", v.preferred_languages);
  w.String("timezone", v.timezone);
  w.Bool("verified", v.verified);
  w.Instant("verifiedInstant", v.verified_instant);
  w.String("authenticationToken", v.authentication_token);
  w.Object("tokens", v.tokens);
  w.String("cleanSpeakId", v.clean_speak_id);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
  w.Instant("lastLoginInstant", v.last_login_instant);
}

}  // namespace

nlohmann::json ToJson(const Registration& registration) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, registration);
  return out;
}

Result<Registration> RegistrationFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<Registration>(json, path, [](ObjectReader& r, Registration& v) { Read(r, v); });
}

// ---------------------------------------------------------------------------------------
// User

namespace {

void ReadTwoFactorMethod(ObjectReader& r, UserTwoFactorMethod& v) {
  r.String("id", v.id);
  r.String("method", v.method);
  r.Nested("authenticator", v, [](ObjectReader& a, UserTwoFactorMethod& m) {
    a.String("algorithm", m.authenticator_algorithm);
    a.Int("codeLength", m.authenticator_code_length);
    a.Int("timeStep", m.authenticator_time_step);
  });
  r.String("email", v.email);
  r.String("mobilePhone", v.mobile_phone);
  r.String("secret", v.secret);
  r.Instant("lastUsed", v.last_used);
}

void WriteTwoFactorMethod(ObjectWriter& w, const UserTwoFactorMethod& v) {
  w.String("id", v.id);
  w.String("method", v.method);
  if (!v.authenticator_algorithm.empty()) {
    w.Nested("authenticator", v, [](ObjectWriter& a, const UserTwoFactorMethod& m) {
      a.String("algorithm", m.authenticator_algorithm);
      a.Int("codeLength", m.authenticator_code_length);
      a.Int("timeStep", m.authenticator_time_step);
    });
  }
  w.String("email", v.email);
  w.String("mobilePhone", v.mobile_phone);
  w.Instant("lastUsed", v.last_used);
}

void ReadMember(ObjectReader& r, GroupMember& v) {
  r.String("id", v.id);
  r.Id("groupId", v.group_id);
  r.Id("userId", v.user_id);
  r.Object("data", v.data);
  r.Instant("insertInstant", v.insert_instant);
}

void WriteMember(ObjectWriter& w, const GroupMember& v) {
  w.String("id", v.id);
  w.Id("groupId", v.group_id);
  w.Id("userId", v.user_id);
  w.Object("data", v.data);
  w.Instant("insertInstant", v.insert_instant);
}

void ReadIdentity(ObjectReader& r, UserIdentity& v) {
  r.Nested("type", v, [](ObjectReader& t, UserIdentity& i) { t.String("name", i.type); });
  r.String("value", v.value);
  r.String("displayValue", v.display_value);
  r.Bool("primary", v.primary);
  r.Bool("verified", v.verified);
  r.Instant("verifiedInstant", v.verified_instant);
  r.String("verifiedReason", v.verified_reason);
  r.String("moderationStatus", v.moderation_status);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastLoginInstant", v.last_login_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
}

void WriteIdentity(ObjectWriter& w, const UserIdentity& v) {
  if (!v.type.empty()) {
    w.Nested("type", v, [](ObjectWriter& t, const UserIdentity& i) { t.String("name", i.type); });
  }
  w.String("value", v.value);
  w.String("displayValue", v.display_value);
  w.Bool("primary", v.primary);
  w.Bool("verified", v.verified);
  w.Instant("verifiedInstant", v.verified_instant);
  w.String("verifiedReason", v.verified_reason);
  w.String("moderationStatus", v.moderation_status);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastLoginInstant", v.last_login_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
}

void Read(ObjectReader& r, User& v, const UserJsonOptions& options) {
  r.Id("id", v.id);
  r.Id("tenantId", v.tenant_id);
  r.String("email", v.email);
  r.String("username", v.username);
  r.String("phoneNumber", v.phone_number);
  r.String("mobilePhone", v.mobile_phone);
  if (options.include_hash) {
    r.String("password", v.password_hash.hash);
    r.String("encryptionScheme", v.password_hash.encryption_scheme);
    r.Int("factor", v.password_hash.factor);
    r.String("salt", v.password_hash.salt);
  } else {
    r.String("password", v.password);
  }
  r.Bool("passwordChangeRequired", v.password_change_required);
  r.OptionalEnum("passwordChangeReason", v.password_change_reason, &ParseChangePasswordReason);
  r.Instant("passwordLastUpdateInstant", v.password_last_update_instant);
  r.Bool("verified", v.verified);
  r.Instant("verifiedInstant", v.verified_instant);
  r.Bool("active", v.active);
  r.Instant("expiry", v.expiry);
  r.Object("data", v.data);
  r.String("firstName", v.first_name);
  r.String("middleName", v.middle_name);
  r.String("lastName", v.last_name);
  r.String("fullName", v.full_name);
  r.String("birthDate", v.birth_date);
  r.String("imageUrl", v.image_url);
  r.String("timezone", v.timezone);
  r.Strings("preferredLanguages", v.preferred_languages);
  r.String("parentEmail", v.parent_email);
  r.NestedList("registrations", v.registrations, [](ObjectReader& c, Registration& e) { Read(c, e); });
  r.NestedList("memberships", v.memberships, ReadMember);
  r.Nested("twoFactor", v.two_factor, [](ObjectReader& c, UserTwoFactor& t) {
    c.NestedList("methods", t.methods, ReadTwoFactorMethod);
    c.Strings("recoveryCodes", t.recovery_codes);
  });
  r.OptionalEnum("breachedPasswordStatus", v.breached_password_status, &ParseBreachedPasswordStatus);
  r.Instant("breachedPasswordLastCheckedInstant", v.breached_password_last_checked_instant);
  r.String("uniqueUsername", v.unique_username);
  r.OptionalEnum("usernameStatus", v.username_status, &ParseUsernameStatus);
  r.String("cleanSpeakId", v.clean_speak_id);
  r.String("connectorId", v.connector_id);
  r.NestedList("identities", v.identities, ReadIdentity);
  r.String("legacyIdentifier", v.legacy_identifier);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
  r.Instant("lastLoginInstant", v.last_login_instant);
}

void Write(ObjectWriter& w, const User& v, const UserJsonOptions& options) {
  w.Id("id", v.id);
  w.Id("tenantId", v.tenant_id);
  w.String("email", v.email);
  w.String("username", v.username);
  w.String("phoneNumber", v.phone_number);
  w.String("mobilePhone", v.mobile_phone);
  if (options.include_hash) {
    w.String("password", v.password_hash.hash);
    w.String("encryptionScheme", v.password_hash.encryption_scheme);
    if (!v.password_hash.empty()) w.Int("factor", v.password_hash.factor);
    w.String("salt", v.password_hash.salt);
  }
  w.Bool("passwordChangeRequired", v.password_change_required);
  w.OptionalEnum("passwordChangeReason", v.password_change_reason);
  w.Instant("passwordLastUpdateInstant", v.password_last_update_instant);
  w.Bool("verified", v.verified);
  w.Instant("verifiedInstant", v.verified_instant);
  w.Bool("active", v.active);
  w.Instant("expiry", v.expiry);
  w.Any("data", v.data);
  w.String("firstName", v.first_name);
  w.String("middleName", v.middle_name);
  w.String("lastName", v.last_name);
  w.String("fullName", v.full_name);
  w.String("birthDate", v.birth_date);
  w.String("imageUrl", v.image_url);
  w.String("timezone", v.timezone);
  w.Strings("preferredLanguages", v.preferred_languages);
  w.String("parentEmail", v.parent_email);
  w.NestedList("registrations", v.registrations, [](ObjectWriter& c, const Registration& e) { Write(c, e); });
  w.NestedList("memberships", v.memberships, WriteMember);
  if (!v.two_factor.methods.empty() || !v.two_factor.recovery_codes.empty()) {
    w.Nested("twoFactor", v.two_factor, [](ObjectWriter& c, const UserTwoFactor& t) {
      c.NestedList("methods", t.methods, WriteTwoFactorMethod);
      c.Strings("recoveryCodes", t.recovery_codes);
    });
  }
  w.OptionalEnum("breachedPasswordStatus", v.breached_password_status);
  w.Instant("breachedPasswordLastCheckedInstant", v.breached_password_last_checked_instant);
  w.String("uniqueUsername", v.unique_username);
  w.OptionalEnum("usernameStatus", v.username_status);
  w.String("cleanSpeakId", v.clean_speak_id);
  w.String("connectorId", v.connector_id);
  w.NestedList("identities", v.identities, WriteIdentity);
  w.String("legacyIdentifier", v.legacy_identifier);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
  w.Instant("lastLoginInstant", v.last_login_instant);
}

}  // namespace

nlohmann::json ToJson(const User& user, const UserJsonOptions& options) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, user, options);
  return out;
}

Result<User> UserFromJson(const nlohmann::json& json, std::string_view path, const UserJsonOptions& options) {
  return internal::ReadObject<User>(json, path, [&](ObjectReader& r, User& v) { Read(r, v, options); });
}

// ---------------------------------------------------------------------------------------
// Application and roles

namespace {

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

void Read(ObjectReader& r, Application& v) {
  r.Id("id", v.id);
  r.Id("tenantId", v.tenant_id);
  r.String("name", v.name);
  r.Bool("active", v.active);
  r.Enum("state", v.state, &ParseObjectState);
  r.NestedList("roles", v.roles, [](ObjectReader& c, ApplicationRole& e) { Read(c, e); });
  r.Object("data", v.data);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
}

void Write(ObjectWriter& w, const Application& v) {
  w.Id("id", v.id);
  w.Id("tenantId", v.tenant_id);
  w.String("name", v.name);
  w.Bool("active", v.active);
  w.Enum("state", v.state);
  w.NestedList("roles", v.roles, [](ObjectWriter& c, const ApplicationRole& e) { Write(c, e); });
  w.Any("data", v.data);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
}

}  // namespace

nlohmann::json ToJson(const ApplicationRole& role) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, role);
  return out;
}

Result<ApplicationRole> ApplicationRoleFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<ApplicationRole>(json, path, [](ObjectReader& r, ApplicationRole& v) { Read(r, v); });
}

nlohmann::json ToJson(const Application& application) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, application);
  return out;
}

Result<Application> ApplicationFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<Application>(json, path, [](ObjectReader& r, Application& v) { Read(r, v); });
}

// ---------------------------------------------------------------------------------------
// Tenant

namespace {

void Read(ObjectReader& r, Tenant& v) {
  r.Id("id", v.id);
  r.String("name", v.name);
  r.String("issuer", v.issuer);
  r.Enum("state", v.state, &ParseObjectState);
  r.Object("data", v.data);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
  r.Nested("passwordEncryptionConfiguration", v.password_encryption_configuration,
           [](ObjectReader& c, PasswordEncryptionConfiguration& p) {
             c.String("encryptionScheme", p.encryption_scheme);
             c.Int("encryptionSchemeFactor", p.encryption_scheme_factor);
             c.Bool("modifyEncryptionSchemeOnLogin", p.modify_encryption_scheme_on_login);
           });
  r.Nested("passwordValidationRules", v.password_validation_rules, [](ObjectReader& c, PasswordValidationRules& p) {
    c.Int("minLength", p.min_length);
    c.Int("maxLength", p.max_length);
    c.Bool("requireMixedCase", p.require_mixed_case);
    c.Bool("requireNonAlpha", p.require_non_alpha);
    c.Bool("requireNumber", p.require_number);
    c.Bool("validateOnLogin", p.validate_on_login);
    c.Bool("disallowUserLoginId", p.disallow_user_login_id);
    c.Nested("rememberPreviousPasswords", p, [](ObjectReader& rp, PasswordValidationRules& q) {
      rp.Bool("enabled", q.remember_previous_passwords_enabled);
      rp.Int("count", q.remember_previous_passwords_count);
    });
    c.Object("breachDetection", p.breach_detection);
  });
}

void Write(ObjectWriter& w, const Tenant& v) {
  w.Id("id", v.id);
  w.String("name", v.name);
  w.String("issuer", v.issuer);
  w.Enum("state", v.state);
  w.Any("data", v.data);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
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
             c.Nested("rememberPreviousPasswords", p, [](ObjectWriter& rp, const PasswordValidationRules& q) {
               rp.Bool("enabled", q.remember_previous_passwords_enabled);
               rp.Int("count", q.remember_previous_passwords_count);
             });
             c.Object("breachDetection", p.breach_detection);
           });
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

}  // namespace bulwark
