// SPDX-License-Identifier: Apache-2.0
#include "engine/validation.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace bulwark::internal {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// A pragmatic email shape check: one '@', a non-empty local part, a dotted domain without
// spaces or empty labels. (Deliverability is not ours to judge.)
bool LooksLikeEmail(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos) {
    return false;
  }
  return std::none_of(email.begin(), email.end(), [](unsigned char c) {
    return std::isspace(c) != 0 || std::iscntrl(c) != 0;
  });
}

// Length in Unicode code points (bytes that do not continue a UTF-8 sequence).
std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Status ValidateTenant(const Tenant& tenant) {
  Errors errors;
  if (IsBlank(tenant.name)) errors.AddField("blank", "tenant.name", "You must specify the [tenant.name] property.");
  if (IsBlank(tenant.issuer)) errors.AddField("blank", "tenant.issuer", "You must specify the [tenant.issuer] property.");
  if (!errors.empty()) return Status::Validation(std::move(errors));
  return Status::Ok();
}

Status ValidateRole(const ApplicationRole& role) {
  if (IsBlank(role.name)) {
    return Status::FieldError("blank", "role.name", "You must specify the [role.name] property.");
  }
  return Status::Ok();
}

Status ValidateApplication(const Application& application) {
  Errors errors;
  if (IsBlank(application.name)) {
    errors.AddField("blank", "application.name", "You must specify the [application.name] property.");
  }
  for (std::size_t i = 0; i < application.roles.size(); ++i) {
    const ApplicationRole& role = application.roles[i];
    if (IsBlank(role.name)) {
      errors.AddField("blank", "role.name", "You must specify the [role.name] property.");
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (application.roles[j].name == role.name) {
        errors.AddField("duplicate", "role.name", "A role with that name already exists.");
      }
    }
  }
  if (errors.empty()) return Status::Ok();
  const bool only_duplicates = errors.HasField("duplicate", "role.name") && errors.field_errors.size() == 1 &&
                               !errors.HasField("blank", "role.name");
  if (only_duplicates) return Status(StatusCode::kAlreadyExists, "duplicate role name", std::move(errors));
  return Status::Validation(std::move(errors));
}

void CheckPassword(std::string_view password, const Tenant& tenant, Errors& errors) {
  const auto& rules = tenant.password_validation_rules;
  if (password.empty()) {
    errors.AddField("blank", "user.password", "You must specify the [user.password] property.");
    return;
  }
  const std::size_t length = CodePoints(password);
  if (length < static_cast<std::size_t>(std::max(rules.min_length, 0))) {
    errors.AddField("tooShort", "user.password", "The [user.password] property is shorter than the minimum.");
  }
  if (length > static_cast<std::size_t>(std::max(rules.max_length, 0))) {
    errors.AddField("tooLong", "user.password", "The [user.password] property is longer than the maximum.");
  }
}

Status ValidateUser(const User& user, const Tenant& tenant, bool require_password) {
  Errors errors;
  if (IsBlank(user.email) && IsBlank(user.username) && IsBlank(user.phone_number)) {
    constexpr std::string_view kMessage =
        "You must specify either the [user.email] or [user.username] property.";
    errors.AddField("blank", "user.email", kMessage);
    errors.AddField("blank", "user.username", kMessage);
  }
  if (!user.email.empty() && !LooksLikeEmail(user.email)) {
    errors.AddField("notEmail", "user.email", "The [user.email] property is not a valid email address.");
  }
  if (require_password || !user.password.empty()) CheckPassword(user.password, tenant, errors);
  if (!errors.empty()) return Status::Validation(std::move(errors));
  return Status::Ok();
}

}  // namespace bulwark::internal
