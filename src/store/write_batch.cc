// SPDX-License-Identifier: Apache-2.0
#include "bulwark/store/write_batch.h"

#include <span>
#include <string>
#include <variant>

#include "bulwark/store/store_violation.h"

namespace bulwark {
namespace {

// Calls the Handler member of an operation.
struct Dispatch {
  WriteBatch::Handler& handler;
  Status operator()(const WriteBatch::InsertTenant& op) const { return handler.OnInsertTenant(op); }
  Status operator()(const WriteBatch::UpdateTenant& op) const { return handler.OnUpdateTenant(op); }
  Status operator()(const WriteBatch::DeleteTenant& op) const { return handler.OnDeleteTenant(op); }
  Status operator()(const WriteBatch::SetDefaultTenant& op) const {
    return handler.OnSetDefaultTenant(op);
  }
  Status operator()(const WriteBatch::InsertApplication& op) const {
    return handler.OnInsertApplication(op);
  }
  Status operator()(const WriteBatch::UpdateApplication& op) const {
    return handler.OnUpdateApplication(op);
  }
  Status operator()(const WriteBatch::DeleteApplication& op) const {
    return handler.OnDeleteApplication(op);
  }
  Status operator()(const WriteBatch::InsertUser& op) const { return handler.OnInsertUser(op); }
  Status operator()(const WriteBatch::UpdateUser& op) const { return handler.OnUpdateUser(op); }
  Status operator()(const WriteBatch::DeleteUser& op) const { return handler.OnDeleteUser(op); }
  Status operator()(const WriteBatch::InsertRegistration& op) const {
    return handler.OnInsertRegistration(op);
  }
  Status operator()(const WriteBatch::InsertUsers& op) const {
    return handler.OnInsertUsers(op.users);
  }
  Status operator()(const WriteBatch::UpdateRegistration& op) const {
    return handler.OnUpdateRegistration(op);
  }
  Status operator()(const WriteBatch::DeleteRegistration& op) const {
    return handler.OnDeleteRegistration(op);
  }
  Status operator()(const WriteBatch::InsertKey& op) const { return handler.OnInsertKey(op); }
  Status operator()(const WriteBatch::UpdateKey& op) const { return handler.OnUpdateKey(op); }
  Status operator()(const WriteBatch::DeleteKey& op) const { return handler.OnDeleteKey(op); }
  Status operator()(const WriteBatch::InsertRefreshToken& op) const {
    return handler.OnInsertRefreshToken(op);
  }
  Status operator()(const WriteBatch::UpdateRefreshToken& op) const {
    return handler.OnUpdateRefreshToken(op);
  }
  Status operator()(const WriteBatch::DeleteRefreshToken& op) const {
    return handler.OnDeleteRefreshToken(op);
  }
  Status operator()(const WriteBatch::DeleteRefreshTokens& op) const {
    return handler.OnDeleteRefreshTokens(op);
  }
  Status operator()(const WriteBatch::InsertUserAction& op) const {
    return handler.OnInsertUserAction(op);
  }
  Status operator()(const WriteBatch::DeleteUserAction& op) const {
    return handler.OnDeleteUserAction(op);
  }
  Status operator()(const WriteBatch::RecordLoginFailure& op) const {
    return handler.OnRecordLoginFailure(op);
  }
  Status operator()(const WriteBatch::ClearLoginFailures& op) const {
    return handler.OnClearLoginFailures(op);
  }
  Status operator()(const WriteBatch::RecordLogin& op) const { return handler.OnRecordLogin(op); }
  Status operator()(const WriteBatch::ReplacePasswordHash& op) const {
    return handler.OnReplacePasswordHash(op);
  }
  Status operator()(const WriteBatch::RequirePasswordHash& op) const {
    return handler.OnRequirePasswordHash(op);
  }
  Status operator()(const WriteBatch::SetAccessTokenKeyIfUnset& op) const {
    return handler.OnSetAccessTokenKeyIfUnset(op);
  }
  Status operator()(const WriteBatch::RecordUnknownLoginFailure& op) const {
    return handler.OnRecordUnknownLoginFailure(op);
  }
  Status operator()(const WriteBatch::InsertIdentityProvider& op) const {
    return handler.OnInsertIdentityProvider(op);
  }
  Status operator()(const WriteBatch::UpdateIdentityProvider& op) const {
    return handler.OnUpdateIdentityProvider(op);
  }
  Status operator()(const WriteBatch::DeleteIdentityProvider& op) const {
    return handler.OnDeleteIdentityProvider(op);
  }
  Status operator()(const WriteBatch::InsertIdentityProviderLink& op) const {
    return handler.OnInsertIdentityProviderLink(op);
  }
  Status operator()(const WriteBatch::RecordIdentityProviderLogin& op) const {
    return handler.OnRecordIdentityProviderLogin(op);
  }
  Status operator()(const WriteBatch::DeleteIdentityProviderLink& op) const {
    return handler.OnDeleteIdentityProviderLink(op);
  }
  Status operator()(const WriteBatch::InsertPendingIdPLink& op) const {
    return handler.OnInsertPendingIdPLink(op);
  }
  Status operator()(const WriteBatch::DeletePendingIdPLink& op) const {
    return handler.OnDeletePendingIdPLink(op);
  }
  Status operator()(const WriteBatch::PatchUser& op) const { return handler.OnPatchUser(op); }
  Status operator()(const WriteBatch::PatchRegistration& op) const {
    return handler.OnPatchRegistration(op);
  }
  Status operator()(const WriteBatch::InsertApiKey& op) const { return handler.OnInsertApiKey(op); }
  Status operator()(const WriteBatch::UpdateApiKey& op) const { return handler.OnUpdateApiKey(op); }
  Status operator()(const WriteBatch::DeleteApiKey& op) const { return handler.OnDeleteApiKey(op); }
};

// Members of a user's document (FusionAuth's wire names) that identify the user or hold its
// credentials: PatchUser leaves them to the operations that own them.
constexpr std::string_view kUnpatchableUserMembers[] = {"id",
                                                        "tenantId",
                                                        "password",
                                                        "salt",
                                                        "encryptionScheme",
                                                        "factor",
                                                        "passwordChangeRequired",
                                                        "passwordLastUpdateInstant",
                                                        "twoFactor",
                                                        "registrations"};
constexpr std::string_view kUnpatchableRegistrationMembers[] = {"id", "applicationId"};

template <std::size_t N>
Status CheckPatch(const nlohmann::json& members, StoredKind kind,
                  const std::string_view (&unpatchable)[N]) {
  if (!members.is_object()) {
    return Status::InvalidArgument("a patch must be a JSON object of members");
  }
  for (const auto& [key, value] : members.items()) {
    for (std::string_view name : unpatchable) {
      if (key == name) {
        return ViolationStatus(Violation{StoreViolation::kImmutableMember, kind, key});
      }
    }
  }
  return Status::Ok();
}

// OK, or why Iterate refuses `op` before its Handler sees it.
template <typename Op>
Status Precheck(const Op&) {
  return Status::Ok();
}
template <>
Status Precheck(const WriteBatch::PatchUser& op) {
  return CheckPatch(op.members, StoredKind::kUser, kUnpatchableUserMembers);
}
template <>
Status Precheck(const WriteBatch::PatchRegistration& op) {
  return CheckPatch(op.members, StoredKind::kRegistration, kUnpatchableRegistrationMembers);
}

// How many operations `op` counts as for progress: an InsertUsers one per user and one per
// registration, any other one.
std::size_t OperationCount(const WriteBatch::Operation& op) {
  const auto* insert = std::get_if<WriteBatch::InsertUsers>(&op);
  if (insert == nullptr) return 1;
  std::size_t count = 0;
  for (const User& user : insert->users) count += 1 + user.registrations.size();
  return count;
}

}  // namespace

WriteBatch::Handler::~Handler() = default;

Status WriteBatch::Handler::Unsupported(std::string_view operation) {
  return Status::Unimplemented("this Store does not support " + std::string(operation));
}

Status WriteBatch::Handler::OnInsertTenant(const InsertTenant&) {
  return Unsupported("InsertTenant");
}
Status WriteBatch::Handler::OnUpdateTenant(const UpdateTenant&) {
  return Unsupported("UpdateTenant");
}
Status WriteBatch::Handler::OnDeleteTenant(const DeleteTenant&) {
  return Unsupported("DeleteTenant");
}
Status WriteBatch::Handler::OnSetDefaultTenant(const SetDefaultTenant&) {
  return Unsupported("SetDefaultTenant");
}
Status WriteBatch::Handler::OnInsertApplication(const InsertApplication&) {
  return Unsupported("InsertApplication");
}
Status WriteBatch::Handler::OnUpdateApplication(const UpdateApplication&) {
  return Unsupported("UpdateApplication");
}
Status WriteBatch::Handler::OnDeleteApplication(const DeleteApplication&) {
  return Unsupported("DeleteApplication");
}
Status WriteBatch::Handler::OnInsertUser(const InsertUser&) { return Unsupported("InsertUser"); }
Status WriteBatch::Handler::OnInsertUsers(std::span<const User> users) {
  for (const User& user : users) {
    InsertUser insert{user};
    insert.user.registrations.clear();
    BULWARK_RETURN_IF_ERROR(OnInsertUser(insert));
    for (const Registration& registration : user.registrations) {
      BULWARK_RETURN_IF_ERROR(OnInsertRegistration(InsertRegistration{user.id, registration}));
    }
  }
  return Status::Ok();
}
Status WriteBatch::Handler::OnUpdateUser(const UpdateUser&) { return Unsupported("UpdateUser"); }
Status WriteBatch::Handler::OnDeleteUser(const DeleteUser&) { return Unsupported("DeleteUser"); }
Status WriteBatch::Handler::OnInsertRegistration(const InsertRegistration&) {
  return Unsupported("InsertRegistration");
}
Status WriteBatch::Handler::OnUpdateRegistration(const UpdateRegistration&) {
  return Unsupported("UpdateRegistration");
}
Status WriteBatch::Handler::OnDeleteRegistration(const DeleteRegistration&) {
  return Unsupported("DeleteRegistration");
}
Status WriteBatch::Handler::OnInsertKey(const InsertKey&) { return Unsupported("InsertKey"); }
Status WriteBatch::Handler::OnUpdateKey(const UpdateKey&) { return Unsupported("UpdateKey"); }
Status WriteBatch::Handler::OnDeleteKey(const DeleteKey&) { return Unsupported("DeleteKey"); }
Status WriteBatch::Handler::OnInsertRefreshToken(const InsertRefreshToken&) {
  return Unsupported("InsertRefreshToken");
}
Status WriteBatch::Handler::OnUpdateRefreshToken(const UpdateRefreshToken&) {
  return Unsupported("UpdateRefreshToken");
}
Status WriteBatch::Handler::OnDeleteRefreshToken(const DeleteRefreshToken&) {
  return Unsupported("DeleteRefreshToken");
}
Status WriteBatch::Handler::OnDeleteRefreshTokens(const DeleteRefreshTokens&) {
  return Unsupported("DeleteRefreshTokens");
}
Status WriteBatch::Handler::OnInsertUserAction(const InsertUserAction&) {
  return Unsupported("InsertUserAction");
}
Status WriteBatch::Handler::OnDeleteUserAction(const DeleteUserAction&) {
  return Unsupported("DeleteUserAction");
}
Status WriteBatch::Handler::OnRecordLoginFailure(const RecordLoginFailure&) {
  return Unsupported("RecordLoginFailure");
}
Status WriteBatch::Handler::OnClearLoginFailures(const ClearLoginFailures&) {
  return Unsupported("ClearLoginFailures");
}
Status WriteBatch::Handler::OnRecordLogin(const RecordLogin&) { return Unsupported("RecordLogin"); }
Status WriteBatch::Handler::OnReplacePasswordHash(const ReplacePasswordHash&) {
  return Unsupported("ReplacePasswordHash");
}
Status WriteBatch::Handler::OnRequirePasswordHash(const RequirePasswordHash&) {
  return Unsupported("RequirePasswordHash");
}
Status WriteBatch::Handler::OnSetAccessTokenKeyIfUnset(const SetAccessTokenKeyIfUnset&) {
  return Unsupported("SetAccessTokenKeyIfUnset");
}
Status WriteBatch::Handler::OnRecordUnknownLoginFailure(const RecordUnknownLoginFailure&) {
  return Unsupported("RecordUnknownLoginFailure");
}
Status WriteBatch::Handler::OnInsertIdentityProvider(const InsertIdentityProvider&) {
  return Unsupported("InsertIdentityProvider");
}
Status WriteBatch::Handler::OnUpdateIdentityProvider(const UpdateIdentityProvider&) {
  return Unsupported("UpdateIdentityProvider");
}
Status WriteBatch::Handler::OnDeleteIdentityProvider(const DeleteIdentityProvider&) {
  return Unsupported("DeleteIdentityProvider");
}
Status WriteBatch::Handler::OnInsertIdentityProviderLink(const InsertIdentityProviderLink&) {
  return Unsupported("InsertIdentityProviderLink");
}
Status WriteBatch::Handler::OnRecordIdentityProviderLogin(const RecordIdentityProviderLogin&) {
  return Unsupported("RecordIdentityProviderLogin");
}
Status WriteBatch::Handler::OnDeleteIdentityProviderLink(const DeleteIdentityProviderLink&) {
  return Unsupported("DeleteIdentityProviderLink");
}
Status WriteBatch::Handler::OnInsertPendingIdPLink(const InsertPendingIdPLink&) {
  return Unsupported("InsertPendingIdPLink");
}
Status WriteBatch::Handler::OnDeletePendingIdPLink(const DeletePendingIdPLink&) {
  return Unsupported("DeletePendingIdPLink");
}
Status WriteBatch::Handler::OnPatchUser(const PatchUser&) { return Unsupported("PatchUser"); }
Status WriteBatch::Handler::OnPatchRegistration(const PatchRegistration&) {
  return Unsupported("PatchRegistration");
}
Status WriteBatch::Handler::OnInsertApiKey(const InsertApiKey&) {
  return Unsupported("InsertApiKey");
}
Status WriteBatch::Handler::OnUpdateApiKey(const UpdateApiKey&) {
  return Unsupported("UpdateApiKey");
}
Status WriteBatch::Handler::OnDeleteApiKey(const DeleteApiKey&) {
  return Unsupported("DeleteApiKey");
}

Status WriteBatch::Iterate(Handler& handler) const {
  std::size_t total = 0;
  for (const Operation& op : ops_) total += OperationCount(op);
  std::size_t applied = 0;
  std::size_t next_report = progress_every_;
  const auto advance = [&](std::size_t count) {
    applied += count;
    if (progress_ && count > 0 && (applied >= next_report || applied == total)) {
      progress_(applied, total);
      next_report = (applied / progress_every_ + 1) * progress_every_;
    }
  };
  const Dispatch dispatch{handler};
  for (const Operation& op : ops_) {
    if (const auto* insert = std::get_if<InsertUsers>(&op); insert != nullptr && progress_) {
      // In runs that end where a report is due, so that the observer sees the writes go on.
      const std::span<const User> users(insert->users);
      std::size_t first = 0;
      while (first < users.size()) {
        std::size_t end = first;
        std::size_t count = 0;
        while (end < users.size() && (count == 0 || applied + count < next_report)) {
          count += 1 + users[end].registrations.size();
          ++end;
        }
        BULWARK_RETURN_IF_ERROR(handler.OnInsertUsers(users.subspan(first, end - first)));
        advance(count);
        first = end;
      }
      continue;
    }
    Status status = std::visit(
        [&](const auto& operation) -> Status {
          Status refused = Precheck(operation);
          if (!refused.ok()) return refused;
          return dispatch(operation);
        },
        op);
    if (!status.ok()) return status;
    advance(OperationCount(op));
  }
  return Status::Ok();
}

}  // namespace bulwark
