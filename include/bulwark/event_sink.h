// SPDX-License-Identifier: Apache-2.0
//
// EventSink: where bulwark reports what happened (FusionAuth's events: user.create,
// user.login.success, jwt.refresh, ...). bulwark calls OnEvent synchronously on the request
// thread after the change is committed; the default sink discards events. Event payloads
// never carry secrets.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must be fast and non-blocking (queue the event if I/O is needed), must not
// throw and must not call back into the Engine.
#ifndef BULWARK_EVENT_SINK_H_
#define BULWARK_EVENT_SINK_H_

#include <optional>
#include <string>
#include <string_view>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"

namespace bulwark {

// FusionAuth's EventType values (wire names in the comments).
enum class EventType {
  kUserCreate,                      // user.create
  kUserCreateComplete,              // user.create.complete
  kUserUpdate,                      // user.update
  kUserUpdateComplete,              // user.update.complete
  kUserDelete,                      // user.delete
  kUserDeleteComplete,              // user.delete.complete
  kUserDeactivate,                  // user.deactivate
  kUserReactivate,                  // user.reactivate
  kUserBulkCreate,                  // user.bulk.create
  kUserLoginSuccess,                // user.login.success
  kUserLoginFailed,                 // user.login.failed
  kUserPasswordUpdate,              // user.password.update
  kUserRegistrationCreate,          // user.registration.create
  kUserRegistrationCreateComplete,  // user.registration.create.complete
  kUserRegistrationUpdate,          // user.registration.update
  kUserRegistrationUpdateComplete,  // user.registration.update.complete
  kUserRegistrationDelete,          // user.registration.delete
  kUserRegistrationDeleteComplete,  // user.registration.delete.complete
  kUserIdentityProviderLink,        // user.identity-provider.link
  kUserIdentityProviderUnlink,      // user.identity-provider.unlink
  kJwtRefresh,                      // jwt.refresh
  kJwtRefreshTokenRevoke,           // jwt.refresh-token.revoke
  kJwtPublicKeyUpdate,              // jwt.public-key.update
  kKickstartSuccess,                // kickstart.success
};

BULWARK_EXPORT std::string_view ToString(EventType type);
BULWARK_EXPORT Result<EventType> ParseEventType(std::string_view wire_name);

// One event. The ids that apply to the event are set; the others are empty.
// Thread-compatible value type.
struct Event {
  EventType type{};
  EventId id;
  Instant create_instant{};
  std::optional<TenantId> tenant_id;
  std::optional<UserId> user_id;
  std::optional<ApplicationId> application_id;
  std::optional<RegistrationId> registration_id;
  // FusionAuth's event.info.ipAddress and the login events' authenticationType ("PASSWORD",
  // "PING", "REFRESH_TOKEN", ...); empty when they do not apply.
  std::string ip_address;
  std::string authentication_type;
};

class BULWARK_EXPORT EventSink {
 public:
  EventSink() = default;
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;
  virtual ~EventSink();

  // `event` is only valid for the duration of the call.
  virtual void OnEvent(const Event& event) noexcept = 0;

  // Discards every event. Belongs to the library and must never be deleted.
  static EventSink& Null();
};

}  // namespace bulwark

#endif  // BULWARK_EVENT_SINK_H_
