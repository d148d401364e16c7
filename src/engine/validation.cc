// SPDX-License-Identifier: Apache-2.0
#include "core/ascii.h"
#include "engine/validation.h"

#include <algorithm>

namespace bulwark::internal {
namespace {

Status ToStatus(Errors errors) {
  if (errors.empty()) return Status::Ok();
  // Only duplicates: a uniqueness conflict, not malformed input.
  bool only_duplicates = errors.general_errors.empty();
  for (const auto& [path, list] : errors.field_errors) {
    for (const ErrorEntry& e : list)
      only_duplicates = only_duplicates && e.code.rfind("[duplicate]", 0) == 0;
  }
  if (only_duplicates) {
    std::string message = errors.field_errors.begin()->second.front().message;
    return Status(StatusCode::kAlreadyExists, message, std::move(errors));
  }
  return Status::Validation(std::move(errors));
}

// Length in Unicode code points (bytes that do not continue a UTF-8 sequence).
std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Status ValidateTenant(const Tenant& tenant) { return ToStatus(Validate(tenant)); }

Status ValidateApplication(const Application& application) {
  return ToStatus(Validate(application));
}

Status ValidateRole(const ApplicationRole& role) {
  if (internal::IsBlank(role.name)) {
    return Status::FieldError("blank", "role.name", "You must specify the [role.name] property.");
  }
  return Status::Ok();
}

void CheckPassword(std::string_view password, const Tenant& tenant, Errors& errors) {
  const auto& rules = tenant.password_validation_rules;
  if (password.empty()) {
    errors.AddField("blank", "user.password", "You must specify the [user.password] property.");
    return;
  }
  const std::size_t length = CodePoints(password);
  if (length < static_cast<std::size_t>(std::max(rules.min_length, 0))) {
    errors.AddField("tooShort", "user.password",
                    "The [user.password] property is shorter than the minimum.");
  }
  if (length > static_cast<std::size_t>(std::max(rules.max_length, 0))) {
    errors.AddField("tooLong", "user.password",
                    "The [user.password] property is longer than the maximum.");
  }
}

std::string_view PasswordSchemePath(bool requested_by_user) {
  return requested_by_user ? "user.encryptionScheme"
                           : "tenant.passwordEncryptionConfiguration.encryptionScheme";
}

Status ValidateUser(const User& user, const Tenant& tenant, bool require_password,
                    const PasswordHasherRegistry& hashers) {
  Errors errors = Validate(user);
  if (require_password || !user.password.empty()) {
    CheckPassword(user.password, tenant, errors);
    const bool requested = !user.password_hash.encryption_scheme.empty();
    const std::string& scheme = requested
                                    ? user.password_hash.encryption_scheme
                                    : tenant.password_encryption_configuration.encryption_scheme;
    if (hashers.Find(scheme) == nullptr) {
      errors.AddField("invalid", PasswordSchemePath(requested),
                      "The password encryption scheme is not registered.");
    }
  }
  return ToStatus(std::move(errors));
}

}  // namespace bulwark::internal
