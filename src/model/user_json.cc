// SPDX-License-Identifier: Apache-2.0
// JSON for users and registrations.
#include <nlohmann/json.hpp>

#include "bulwark/model/enums.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

}  // namespace

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
  return internal::ReadObject<Registration>(json, path,
                                            [](ObjectReader& r, Registration& v) { Read(r, v); });
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

void WriteTwoFactorMethod(ObjectWriter& w, const UserTwoFactorMethod& v, bool include_secret) {
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
  if (include_secret) w.String("secret", v.secret);
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
  // `type` is a string on the wire ("email"); older documents nest it as {"name": ...}.
  if (const nlohmann::json* type = r.Find("type"); type != nullptr && type->is_object()) {
    r.Nested("type", v, [](ObjectReader& t, UserIdentity& i) { t.String("name", i.type); });
  } else {
    r.String("type", v.type);
  }
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
  w.String("type", v.type);
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
    // A request may name the scheme (and factor) to hash its plaintext password with.
    r.String("password", v.password);
    r.String("encryptionScheme", v.password_hash.encryption_scheme);
    r.Int("factor", v.password_hash.factor);
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
  r.NestedList("registrations", v.registrations,
               [](ObjectReader& c, Registration& e) { Read(c, e); });
  r.NestedList("memberships", v.memberships, ReadMember);
  r.Nested("twoFactor", v.two_factor, [](ObjectReader& c, UserTwoFactor& t) {
    c.NestedList("methods", t.methods, ReadTwoFactorMethod);
    c.Strings("recoveryCodes", t.recovery_codes);
  });
  r.OptionalEnum("breachedPasswordStatus", v.breached_password_status,
                 &ParseBreachedPasswordStatus);
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
  // The scheme and factor are not secret (FusionAuth returns them to API-key callers); the
  // salt and hash reach storage only.
  w.String("encryptionScheme", v.password_hash.encryption_scheme);
  if (!v.password_hash.encryption_scheme.empty()) w.Int("factor", v.password_hash.factor);
  if (options.include_hash) {
    w.String("password", v.password_hash.hash);
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
  w.NestedList("registrations", v.registrations,
               [](ObjectWriter& c, const Registration& e) { Write(c, e); });
  w.NestedList("memberships", v.memberships, WriteMember);
  if (!v.two_factor.methods.empty() || !v.two_factor.recovery_codes.empty()) {
    w.Nested("twoFactor", v.two_factor, [&](ObjectWriter& c, const UserTwoFactor& t) {
      c.NestedList("methods", t.methods, [&](ObjectWriter& m, const UserTwoFactorMethod& e) {
        WriteTwoFactorMethod(m, e, options.include_hash);
      });
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

Result<User> UserFromJson(const nlohmann::json& json, std::string_view path,
                          const UserJsonOptions& options) {
  return internal::ReadObject<User>(json, path,
                                    [&](ObjectReader& r, User& v) { Read(r, v, options); });
}

}  // namespace bulwark

// ---------------------------------------------------------------------------------------
// Validation

namespace bulwark {
namespace {

// A pragmatic email shape check: one '@', a non-empty local part, a dotted domain without
// empty labels, no spaces or control characters. (Deliverability is not ours to judge.)
bool LooksLikeEmail(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = email.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7F) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// YYYY-MM-DD with a real month and a day that exists in it.
bool IsCalendarDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

Errors Validate(const User& user) {
  Errors errors;
  using internal::IsBlank;
  if (IsBlank(user.email) && IsBlank(user.username) && IsBlank(user.phone_number)) {
    constexpr std::string_view kMessage =
        "You must specify either the [user.email] or [user.username] property.";
    errors.AddField("blank", "user.email", kMessage);
    errors.AddField("blank", "user.username", kMessage);
  }
  if (!user.email.empty() && !LooksLikeEmail(user.email)) {
    errors.AddField("notEmail", "user.email",
                    "The [user.email] property is not a valid email address.");
  }
  if (!user.birth_date.empty() && !IsCalendarDate(user.birth_date)) {
    errors.AddField("invalid", "user.birthDate",
                    "The [user.birthDate] property must be a date as YYYY-MM-DD.");
  }
  return errors;
}

}  // namespace bulwark
