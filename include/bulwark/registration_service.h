// SPDX-License-Identifier: Apache-2.0
//
// RegistrationService: a user's registrations to applications (FusionAuth's Registration
// API, /api/user/registration). Obtain it from Engine::registrations().
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_REGISTRATION_SERVICE_H_
#define BULWARK_REGISTRATION_SERVICE_H_

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// A user and one of its registrations, as the combined registration call returns them.
struct UserRegistration {
  User user;
  Registration registration;
};

class BULWARK_EXPORT RegistrationService {
 public:
  RegistrationService(const RegistrationService&) = delete;
  RegistrationService& operator=(const RegistrationService&) = delete;

  // Registers an existing user to `registration.application_id`. Empty `roles` means the
  // application's default roles (isDefault); given roles must exist. Errors: kNotFound for the
  // user, [invalid]registration.applicationId (no such application in the user's tenant),
  // [invalid]registration.roles, [duplicate]registration.
  Result<Registration> Create(UserId user_id, Registration registration);
  // Creates the user and its registration in one atomic write (FusionAuth's combined
  // POST /api/user/registration). Either both exist afterwards or neither does. Errors are
  // those of UserService::Create and Create above.
  Result<UserRegistration> Register(User user, Registration registration);

  Result<Registration> Retrieve(UserId user_id, ApplicationId application_id);
  // Replaces the registration for `registration.application_id`. id and insertInstant are
  // kept. kNotFound when the user is not registered there.
  Result<Registration> Update(UserId user_id, Registration registration);
  Status Delete(UserId user_id, ApplicationId application_id);

 private:
  friend class Engine;
  explicit RegistrationService(internal::EngineContext& context) : ctx_(context) {}

  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_REGISTRATION_SERVICE_H_
