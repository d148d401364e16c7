// SPDX-License-Identifier: Apache-2.0
#include "bulwark/store/store_violation.h"

#include <array>
#include <string>
#include <utility>

namespace bulwark {
namespace {

struct ViolationRow {
  StoreViolation violation;
  std::string_view name;
  std::string_view violation_class;
};
// In the order of the enumerators: the table is indexed by them.
constexpr ViolationRow kViolations[] = {
    {StoreViolation::kDuplicateId, "DuplicateId", "duplicate"},
    {StoreViolation::kRepeatedId, "RepeatedId", "duplicate"},
    {StoreViolation::kDuplicateTenantName, "DuplicateTenantName", "duplicate"},
    {StoreViolation::kDuplicateRoleName, "DuplicateRoleName", "duplicate"},
    {StoreViolation::kDuplicateEmail, "DuplicateEmail", "duplicate"},
    {StoreViolation::kDuplicateUsername, "DuplicateUsername", "duplicate"},
    {StoreViolation::kDuplicateRegistration, "DuplicateRegistration", "duplicate"},
    {StoreViolation::kDuplicateKeyName, "DuplicateKeyName", "duplicate"},
    {StoreViolation::kDuplicateKid, "DuplicateKid", "duplicate"},
    {StoreViolation::kDuplicateRefreshToken, "DuplicateRefreshToken", "duplicate"},
    {StoreViolation::kDuplicateProviderName, "DuplicateProviderName", "duplicate"},
    {StoreViolation::kDuplicateDomain, "DuplicateDomain", "duplicate"},
    {StoreViolation::kDuplicateLink, "DuplicateLink", "duplicate"},
    {StoreViolation::kDuplicateApiKey, "DuplicateApiKey", "duplicate"},
    {StoreViolation::kMissingId, "MissingId", "missing"},
    {StoreViolation::kBlankValue, "BlankValue", "blank"},
    {StoreViolation::kBlankTenant, "BlankTenant", "blank"},
    {StoreViolation::kUnknownTenant, "UnknownTenant", "invalid"},
    {StoreViolation::kTenantChanged, "TenantChanged", "invalid"},
    {StoreViolation::kTypeChanged, "TypeChanged", "invalid"},
    {StoreViolation::kUnknownUser, "UnknownUser", "invalid"},
    {StoreViolation::kUnknownApplication, "UnknownApplication", "invalid"},
    {StoreViolation::kUnknownRole, "UnknownRole", "invalid"},
    {StoreViolation::kUnknownIdentityProvider, "UnknownIdentityProvider", "invalid"},
    {StoreViolation::kUnknownParent, "UnknownParent", "invalid"},
    {StoreViolation::kOwnerChanged, "OwnerChanged", "invalid"},
    {StoreViolation::kImmutableMember, "ImmutableMember", "invalid"},
    {StoreViolation::kLinkCountExceeded, "LinkCountExceeded", ""},
};

constexpr bool TableIsInOrder() {
  int i = 0;
  for (const ViolationRow& row : kViolations) {
    if (static_cast<int>(row.violation) != i++) return false;
  }
  return true;
}
static_assert(TableIsInOrder(), "kViolations must follow the order of StoreViolation");

constexpr std::pair<StoredKind, std::string_view> kKinds[] = {
    {StoredKind::kTenant, "tenant"},
    {StoredKind::kApplication, "application"},
    {StoredKind::kRole, "role"},
    {StoredKind::kUser, "user"},
    {StoredKind::kRegistration, "registration"},
    {StoredKind::kKey, "key"},
    {StoredKind::kRefreshToken, "refreshToken"},
    {StoredKind::kUserAction, "action"},
    {StoredKind::kIdentityProvider, "identityProvider"},
    {StoredKind::kIdentityProviderLink, "identityProviderLink"},
    {StoredKind::kPendingIdPLink, "pendingIdPLink"},
    {StoredKind::kApiKey, "apiKey"},
};

// The general error that carries kLinkCountExceeded.
constexpr std::string_view kLinkCountCode = "[LinkCountExceeded]";

const ViolationRow* RowNamed(std::string_view name) {
  for (const ViolationRow& row : kViolations) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::optional<StoredKind> KindNamed(std::string_view name) {
  for (const auto& [kind, kind_name] : kKinds) {
    if (kind_name == name) return kind;
  }
  return std::nullopt;
}

// The member of `kind` that a violation concerns (the text after "<kind>.").
std::string_view Member(StoreViolation violation, StoredKind kind) {
  switch (violation) {
    case StoreViolation::kDuplicateId:
    case StoreViolation::kRepeatedId:
    case StoreViolation::kMissingId:
      return "id";
    case StoreViolation::kDuplicateTenantName:
    case StoreViolation::kDuplicateRoleName:
    case StoreViolation::kDuplicateKeyName:
    case StoreViolation::kDuplicateProviderName:
      return "name";
    case StoreViolation::kDuplicateEmail:
      return "email";
    case StoreViolation::kDuplicateUsername:
      return "username";
    case StoreViolation::kDuplicateKid:
      return "kid";
    case StoreViolation::kDuplicateRefreshToken:
      return "token";
    case StoreViolation::kDuplicateDomain:
      return "domains";
    case StoreViolation::kDuplicateApiKey:
      return "key";
    case StoreViolation::kBlankValue:
      if (kind == StoredKind::kRefreshToken) return "token";
      if (kind == StoredKind::kApiKey) return "key";
      return "value";
    case StoreViolation::kBlankTenant:
    case StoreViolation::kUnknownTenant:
    case StoreViolation::kTenantChanged:
      return "tenantId";
    case StoreViolation::kTypeChanged:
      return "type";
    case StoreViolation::kUnknownUser:
    case StoreViolation::kOwnerChanged:
      return kind == StoredKind::kUserAction ? "actioneeUserId" : "userId";
    case StoreViolation::kUnknownApplication:
      return "applicationId";
    case StoreViolation::kUnknownRole:
      return "roles";
    case StoreViolation::kUnknownIdentityProvider:
      return "identityProviderId";
    case StoreViolation::kUnknownParent:
      // The parent a FOREIGN KEY names first.
      if (kind == StoredKind::kRegistration) return "applicationId";
      if (kind == StoredKind::kUserAction) return "actioneeUserId";
      if (kind == StoredKind::kPendingIdPLink) return "identityProviderId";
      return "userId";
    case StoreViolation::kDuplicateRegistration:
    case StoreViolation::kDuplicateLink:
    case StoreViolation::kImmutableMember:
    case StoreViolation::kLinkCountExceeded:
      break;
  }
  return {};
}

}  // namespace

std::string_view StoreViolationName(StoreViolation violation) {
  return kViolations[static_cast<int>(violation)].name;
}

std::string_view StoredKindName(StoredKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "object";
}

std::string_view ViolationClass(StoreViolation violation) {
  return kViolations[static_cast<int>(violation)].violation_class;
}

std::string ViolationField(const Violation& violation) {
  const std::string kind(StoredKindName(violation.kind));
  switch (violation.violation) {
    case StoreViolation::kLinkCountExceeded:
      return std::string();
    case StoreViolation::kDuplicateRegistration:
    case StoreViolation::kDuplicateLink:
      return kind;
    case StoreViolation::kImmutableMember:
      return kind + "." + violation.detail;
    default:
      return kind + "." + std::string(Member(violation.violation, violation.kind));
  }
}

StatusCode ViolationCode(StoreViolation violation) {
  if (violation == StoreViolation::kLinkCountExceeded) return StatusCode::kFailedPrecondition;
  if (ViolationClass(violation) == "duplicate") return StatusCode::kAlreadyExists;
  return StatusCode::kInvalidArgument;
}

Status ViolationStatus(const std::vector<Violation>& violations, std::string_view message) {
  if (violations.empty()) return Status::Internal("a store violation without a violation");
  Errors errors;
  std::string summary(ViolationClass(violations.front().violation));
  if (summary.empty()) summary = StoreViolationName(violations.front().violation);
  summary += ":";
  for (const Violation& v : violations) {
    std::string text(StoreViolationName(v.violation));
    if (!v.detail.empty()) text.append(" ").append(v.detail);
    if (v.violation == StoreViolation::kLinkCountExceeded) {
      errors.AddGeneral(kLinkCountCode, text);
      continue;
    }
    const std::string field = ViolationField(v);
    errors.AddField(ViolationClass(v.violation), field, text);
    summary.append(" ").append(field);
  }
  return Status(ViolationCode(violations.front().violation),
                message.empty() ? std::string_view(summary) : message, std::move(errors));
}

Status ViolationStatus(const Violation& violation, std::string_view message) {
  return ViolationStatus(std::vector<Violation>{violation}, message);
}

std::vector<Violation> ViolationsOf(const Status& status) {
  std::vector<Violation> found;
  if (status.ok()) return found;
  // "<Name>" or "<Name> <detail>".
  auto parse = [](const ErrorEntry& entry) -> std::optional<Violation> {
    const std::string_view text = entry.message;
    const std::size_t space = text.find(' ');
    const ViolationRow* row = RowNamed(text.substr(0, space));
    if (row == nullptr) return std::nullopt;
    std::string detail =
        space == std::string_view::npos ? std::string() : std::string(text.substr(space + 1));
    return Violation{row->violation, StoredKind::kIdentityProviderLink, std::move(detail)};
  };
  for (const auto& [path, entries] : status.errors().field_errors) {
    const std::string_view kind_name = std::string_view(path).substr(0, path.find('.'));
    const std::optional<StoredKind> kind = KindNamed(kind_name);
    if (!kind.has_value()) continue;
    for (const ErrorEntry& entry : entries) {
      std::optional<Violation> v = parse(entry);
      if (!v.has_value() || v->violation == StoreViolation::kLinkCountExceeded) continue;
      v->kind = *kind;
      // The code must be the one ViolationStatus writes, so a look-alike is not taken.
      if (entry.code != "[" + std::string(ViolationClass(v->violation)) + "]" + path) continue;
      if (ViolationField(*v) != path) continue;
      found.push_back(*std::move(v));
    }
  }
  for (const ErrorEntry& entry : status.errors().general_errors) {
    if (entry.code != kLinkCountCode) continue;
    std::optional<Violation> v = parse(entry);
    if (v.has_value() && v->violation == StoreViolation::kLinkCountExceeded) {
      found.push_back(*std::move(v));
    }
  }
  return found;
}

}  // namespace bulwark
