// SPDX-License-Identifier: Apache-2.0
//
// User: a person (or device) that can authenticate, in one tenant. FusionAuth's User object
// (§5.1 of the API reference); on the wire `{"user": {...}}`.
//
// `password` is write-only: it is accepted on create/update and never written by ToJson.
// The stored credential lives in PasswordHash: its salt and hash are written only by
// ToJson(user, UserJsonOptions{.include_hash = true}), which the store uses; API responses
// carry at most `encryptionScheme` and `factor`. On a create request, `encryptionScheme` and
// `factor` choose how the plaintext password is hashed.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_USER_H_
#define BULWARK_MODEL_USER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/enums.h"
#include "bulwark/model/registration.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

// ChangePasswordReason: Administrative | Breached | Expired | Validation.
enum class ChangePasswordReason { kAdministrative, kBreached, kExpired, kValidation };
BULWARK_EXPORT std::string_view ToString(ChangePasswordReason v);
BULWARK_EXPORT Result<ChangePasswordReason> ParseChangePasswordReason(std::string_view s);

// BreachedPasswordStatus: None | ExactMatch | SubAddressMatch | PasswordOnly | CommonPassword.
enum class BreachedPasswordStatus {
  kNone,
  kExactMatch,
  kSubAddressMatch,
  kPasswordOnly,
  kCommonPassword
};
BULWARK_EXPORT std::string_view ToString(BreachedPasswordStatus v);
BULWARK_EXPORT Result<BreachedPasswordStatus> ParseBreachedPasswordStatus(std::string_view s);

// A stored password hash. Never written to API responses or logs.
struct PasswordHash {
  std::string encryption_scheme;  // e.g. "salted-pbkdf2-hmac-sha256"
  int factor = 0;
  std::string salt;  // Base64, as FusionAuth stores it
  std::string hash;  // Base64 (scheme-specific encoding)

  bool empty() const { return hash.empty(); }
  friend bool operator==(const PasswordHash&, const PasswordHash&) = default;
};

struct UserTwoFactorMethod {
  std::string id;
  std::string method;                   // authenticator | email | sms | ...
  std::string authenticator_algorithm;  // authenticator.algorithm
  int authenticator_code_length = 6;
  int authenticator_time_step = 30;
  std::string email;
  std::string mobile_phone;
  std::string secret;                // write-only
  std::optional<Instant> last_used;  // not on FusionAuth's wire as an instant; kept for parity

  friend bool operator==(const UserTwoFactorMethod&, const UserTwoFactorMethod&) = default;
};

struct UserTwoFactor {
  std::vector<UserTwoFactorMethod> methods;
  std::vector<std::string> recovery_codes;

  friend bool operator==(const UserTwoFactor&, const UserTwoFactor&) = default;
};

struct GroupMember {
  std::string id;
  GroupId group_id;
  UserId user_id;
  nlohmann::json data = nlohmann::json::object();
  std::optional<Instant> insert_instant;

  friend bool operator==(const GroupMember&, const GroupMember&) = default;
};

// User identities (FusionAuth 1.59+): email / phoneNumber / username identities.
struct UserIdentity {
  std::string type;  // type.name: email | phoneNumber | username
  std::string value;
  std::string display_value;
  bool primary = false;
  bool verified = false;
  std::optional<Instant> verified_instant;
  std::string verified_reason;  // Skipped | Trusted | ... ; empty = absent
  std::string moderation_status;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_login_instant;
  std::optional<Instant> last_update_instant;

  friend bool operator==(const UserIdentity&, const UserIdentity&) = default;
};

struct User {
  UserId id;
  TenantId tenant_id;
  std::string email;           // login id; empty = absent
  std::string username;        // login id; empty = absent
  std::string phone_number;    // E.164 login id; empty = absent
  std::string mobile_phone;    // not a login id
  std::string password;        // write-only plaintext on create/update; never stored
  PasswordHash password_hash;  // the stored credential
  bool password_change_required = false;
  std::optional<ChangePasswordReason> password_change_reason;
  std::optional<Instant> password_last_update_instant;
  bool verified = false;  // email verified
  std::optional<Instant> verified_instant;
  bool active = true;
  std::optional<Instant> expiry;
  nlohmann::json data = nlohmann::json::object();
  std::string first_name;
  std::string middle_name;
  std::string last_name;
  std::string full_name;
  std::string birth_date;  // YYYY-MM-DD
  std::string image_url;
  std::string timezone;  // IANA
  std::vector<std::string> preferred_languages;
  std::string parent_email;
  std::vector<Registration> registrations;
  std::vector<GroupMember> memberships;
  UserTwoFactor two_factor;
  std::optional<BreachedPasswordStatus> breached_password_status;
  std::optional<Instant> breached_password_last_checked_instant;
  std::string unique_username;
  std::optional<UsernameStatus> username_status;
  std::string clean_speak_id;
  std::string connector_id;
  std::vector<UserIdentity> identities;
  std::string legacy_identifier;
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_update_instant;
  std::optional<Instant> last_login_instant;

  friend bool operator==(const User&, const User&) = default;
};

struct UserJsonOptions {
  // Storage only: write the password hash and salt from password_hash, and the two-factor
  // methods' secrets. Never set for API responses.
  bool include_hash = false;
  friend bool operator==(const UserJsonOptions&, const UserJsonOptions&) = default;
};

// JSON in FusionAuth's wire shape. Never writes the plaintext `password`. Never throws.
BULWARK_EXPORT nlohmann::json ToJson(const User& user, const UserJsonOptions& options = {});
// Reads a user; `path` prefixes field errors. With options.include_hash the
// encryptionScheme/factor/salt/password members fill password_hash (import and storage);
// otherwise `password` is the plaintext.
BULWARK_EXPORT Result<User> UserFromJson(const nlohmann::json& json, std::string_view path = "user",
                                         const UserJsonOptions& options = {});

// The user's own rules: [blank]user.email and [blank]user.username when no login id is given,
// [notEmail]user.email, [invalid]user.birthDate (not YYYY-MM-DD). Password rules depend on the
// tenant and are checked by the UserService.
BULWARK_EXPORT Errors Validate(const User& user);

}  // namespace bulwark

#endif  // BULWARK_MODEL_USER_H_
