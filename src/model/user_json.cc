// SPDX-License-Identifier: Apache-2.0
// JSON for users and registrations.
#include <nlohmann/json.hpp>

#include "bulwark/model/enums.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "json/text_archive.h"
#include "model/enum_traits.h"
#include "model/user_text.h"

namespace bulwark::internal {

template <class IO>
void Map(IO& io, Mapped<IO, Registration>& v) {
  io("id", v.id);
  io("applicationId", v.application_id);
  io("roles", v.roles, kKeepEmpty);
  io("username", v.username);
  io("usernameStatus", v.username_status);
  io.Data("data", v.data);
  io("preferredLanguages", v.preferred_languages);
  io("timezone", v.timezone);
  io("verified", v.verified);
  io("verifiedInstant", v.verified_instant);
  io("authenticationToken", v.authentication_token);
  io.Object("tokens", v.tokens);
  io("cleanSpeakId", v.clean_speak_id);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
  io("lastLoginInstant", v.last_login_instant);
}

// `include_secret`: the method's secret is written (storage only); it is always read.
template <class IO>
void Map(IO& io, Mapped<IO, UserTwoFactorMethod>& v, bool include_secret) {
  io("id", v.id);
  io("method", v.method);
  if (IO::kReading || !v.authenticator_algorithm.empty()) {
    io.Nested("authenticator", v, [](IO& a, auto& m) {
      a("algorithm", m.authenticator_algorithm);
      a("codeLength", m.authenticator_code_length);
      a("timeStep", m.authenticator_time_step);
    });
  }
  io("email", v.email);
  io("mobilePhone", v.mobile_phone);
  if (IO::kReading || include_secret) io("secret", v.secret);
  io("lastUsed", v.last_used);
}

template <class IO>
void Map(IO& io, Mapped<IO, GroupMember>& v) {
  io("id", v.id);
  io("groupId", v.group_id);
  io("userId", v.user_id);
  io.Object("data", v.data);
  io("insertInstant", v.insert_instant);
}

template <class IO>
void Map(IO& io, Mapped<IO, UserIdentity>& v) {
  if constexpr (IO::kReading) {
    // `type` is a string on the wire ("email"); older documents nest it as {"name": ...}.
    const nlohmann::json* type = io.reader().Find("type");
    if (type != nullptr && type->is_object()) {
      io.Nested("type", v, [](IO& t, UserIdentity& i) { t("name", i.type); });
    } else {
      io("type", v.type);
    }
  } else {
    io("type", v.type);
  }
  io("value", v.value);
  io("displayValue", v.display_value);
  io("primary", v.primary);
  io("verified", v.verified);
  io("verifiedInstant", v.verified_instant);
  io("verifiedReason", v.verified_reason);
  io("moderationStatus", v.moderation_status);
  io("insertInstant", v.insert_instant);
  io("lastLoginInstant", v.last_login_instant);
  io("lastUpdateInstant", v.last_update_instant);
}

template <class IO>
void Map(IO& io, Mapped<IO, User>& v, const UserJsonOptions& options) {
  io("id", v.id);
  io("tenantId", v.tenant_id);
  io("email", v.email);
  io("username", v.username);
  io("phoneNumber", v.phone_number);
  io("mobilePhone", v.mobile_phone);
  // The scheme and factor are not secret (FusionAuth returns them to API-key callers), and a
  // request may name them to hash its plaintext password with; the salt and hash reach
  // storage only.
  io("encryptionScheme", v.password_hash.encryption_scheme);
  if (IO::kReading || !v.password_hash.encryption_scheme.empty()) {
    io("factor", v.password_hash.factor);
  }
  if (options.include_hash) {
    io("password", v.password_hash.hash);
    io("salt", v.password_hash.salt);
  } else if constexpr (IO::kReading) {
    io("password", v.password);  // a request's plaintext: never written
  }
  io("passwordChangeRequired", v.password_change_required);
  io("passwordChangeReason", v.password_change_reason);
  io("passwordLastUpdateInstant", v.password_last_update_instant);
  io("verified", v.verified);
  io("verifiedInstant", v.verified_instant);
  io("active", v.active);
  io("expiry", v.expiry);
  io.Data("data", v.data);
  io("firstName", v.first_name);
  io("middleName", v.middle_name);
  io("lastName", v.last_name);
  io("fullName", v.full_name);
  io("birthDate", v.birth_date);
  io("imageUrl", v.image_url);
  io("timezone", v.timezone);
  io("preferredLanguages", v.preferred_languages);
  io("parentEmail", v.parent_email);
  io.List("registrations", v.registrations);
  io.List("memberships", v.memberships);
  if (IO::kReading || !v.two_factor.methods.empty() || !v.two_factor.recovery_codes.empty()) {
    io.Nested("twoFactor", v.two_factor, [&](IO& c, auto& t) {
      c.List("methods", t.methods,
             [&](IO& m, auto& method) { Map(m, method, options.include_hash); });
      c("recoveryCodes", t.recovery_codes);
    });
  }
  io("breachedPasswordStatus", v.breached_password_status);
  io("breachedPasswordLastCheckedInstant", v.breached_password_last_checked_instant);
  io("uniqueUsername", v.unique_username);
  io("usernameStatus", v.username_status);
  io("cleanSpeakId", v.clean_speak_id);
  io("connectorId", v.connector_id);
  io.List("identities", v.identities);
  io("legacyIdentifier", v.legacy_identifier);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
  io("lastLoginInstant", v.last_login_instant);
}

Result<std::string> UserJsonText(const User& user, const UserJsonOptions& options,
                                 std::string_view omit) {
  TextArchive io(omit);
  Map(io, user, options);
  return io.Finish();
}

Result<std::string> RegistrationJsonText(const Registration& registration, std::string_view omit) {
  TextArchive io(omit);
  Map(io, registration);
  return io.Finish();
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const Registration& registration) {
  return internal::WriteMapped(registration);
}

Result<Registration> RegistrationFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<Registration>(json, path);
}

nlohmann::json ToJson(const User& user, const UserJsonOptions& options) {
  return internal::WriteMapped(user, options);
}

Result<User> UserFromJson(const nlohmann::json& json, std::string_view path,
                          const UserJsonOptions& options) {
  return internal::ReadMapped<User>(json, path, options);
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
