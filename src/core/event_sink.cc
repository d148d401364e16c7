// SPDX-License-Identifier: Apache-2.0
#include "bulwark/event_sink.h"

#include "core/enum_table.h"

namespace bulwark {
namespace {

using internal::EnumEntry;

constexpr EnumEntry<EventType> kEventTypes[] = {
    {EventType::kUserCreate, "user.create"},
    {EventType::kUserCreateComplete, "user.create.complete"},
    {EventType::kUserUpdate, "user.update"},
    {EventType::kUserUpdateComplete, "user.update.complete"},
    {EventType::kUserDelete, "user.delete"},
    {EventType::kUserDeleteComplete, "user.delete.complete"},
    {EventType::kUserDeactivate, "user.deactivate"},
    {EventType::kUserReactivate, "user.reactivate"},
    {EventType::kUserBulkCreate, "user.bulk.create"},
    {EventType::kUserLoginSuccess, "user.login.success"},
    {EventType::kUserLoginFailed, "user.login.failed"},
    {EventType::kUserPasswordUpdate, "user.password.update"},
    {EventType::kUserRegistrationCreate, "user.registration.create"},
    {EventType::kUserRegistrationCreateComplete, "user.registration.create.complete"},
    {EventType::kUserRegistrationUpdate, "user.registration.update"},
    {EventType::kUserRegistrationUpdateComplete, "user.registration.update.complete"},
    {EventType::kUserRegistrationDelete, "user.registration.delete"},
    {EventType::kUserRegistrationDeleteComplete, "user.registration.delete.complete"},
    {EventType::kUserIdentityProviderLink, "user.identity-provider.link"},
    {EventType::kUserIdentityProviderUnlink, "user.identity-provider.unlink"},
    {EventType::kJwtRefresh, "jwt.refresh"},
    {EventType::kJwtRefreshTokenRevoke, "jwt.refresh-token.revoke"},
    {EventType::kJwtPublicKeyUpdate, "jwt.public-key.update"},
    {EventType::kKickstartSuccess, "kickstart.success"},
};

class NullEventSink final : public EventSink {
 public:
  void OnEvent(const Event&) noexcept override {}
};

}  // namespace

std::string_view ToString(EventType type) { return internal::EnumToString(kEventTypes, type); }

Result<EventType> ParseEventType(std::string_view wire_name) {
  return internal::EnumFromString(kEventTypes, wire_name, "EventType");
}

EventSink::~EventSink() = default;

EventSink& EventSink::Null() {
  static NullEventSink* const sink = new NullEventSink();  // never destroyed
  return *sink;
}

}  // namespace bulwark
