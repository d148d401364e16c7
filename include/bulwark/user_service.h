// SPDX-License-Identifier: Apache-2.0
//
// UserService: users (FusionAuth's User API, /api/user). Obtain it from Engine::users().
//
// Passwords are hashed with the tenant's passwordEncryptionConfiguration and never stored,
// returned or logged in clear. Users returned by this service carry their registrations and
// their stored PasswordHash (for in-process callers that verify credentials); the plaintext
// `password` member is always empty on output.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_USER_SERVICE_H_
#define BULWARK_USER_SERVICE_H_

#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"
#include "bulwark/user_import.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// Which login id types a loginId lookup matches, in priority order (FusionAuth's
// loginIdTypes; default email then username).
enum class LoginIdType { kEmail, kUsername };

class BULWARK_EXPORT UserService {
 public:
  UserService(const UserService&) = delete;
  UserService& operator=(const UserService&) = delete;

  // Creates a user. A nil id gets a random one; a nil tenant id means the default tenant.
  // `user.password` (plaintext) is required and must satisfy the tenant's
  // passwordValidationRules; it is hashed with the tenant's scheme and factor.
  // `user.registrations` is ignored (use RegistrationService::Register for both at once).
  // Errors: [blank]user.email and [blank]user.username when neither is given,
  // [notEmail]user.email, [blank]user.password, [tooShort]/[tooLong]user.password,
  // [duplicate]user.email, [duplicate]user.username, [duplicate]user.id,
  // [invalid]user.tenantId.
  Result<User> Create(User user);

  Result<User> Retrieve(UserId id);
  // Case-insensitive, within the tenant.
  Result<User> RetrieveByEmail(TenantId tenant_id, std::string_view email);
  Result<User> RetrieveByUsername(TenantId tenant_id, std::string_view username);
  // Matches `login_id` against each type in `types`, in order; the first match wins.
  Result<User> RetrieveByLoginId(TenantId tenant_id, std::string_view login_id,
                                 const std::vector<LoginIdType>& types = {LoginIdType::kEmail,
                                                                          LoginIdType::kUsername});

  // Replaces the user whose id is `user.id` (FusionAuth's PUT). The tenant, insertInstant
  // and registrations are kept. A non-empty `user.password` sets a new password (validated
  // and hashed, passwordLastUpdateInstant updated); an empty one keeps the current hash.
  // kNotFound when the user does not exist.
  Result<User> Update(User user);
  // FusionAuth's soft delete: active=false. The user keeps everything else.
  Result<User> Deactivate(UserId id);
  Result<User> Reactivate(UserId id);
  // Hard delete: removes the user and its registrations.
  Status Delete(UserId id);

  // Imports every user of `request` with its registrations, or none (FusionAuth's Import
  // API; see model/import_request.h for the password forms). Everything is validated before anything
  // is written: each user as Create validates it (except the password rules, which do not
  // apply to imported credentials), each registration's application (in the user's tenant)
  // and roles, and duplicates — ids, emails and usernames (case-insensitive, per tenant)
  // repeated inside the request or already in the store. All errors found are reported at
  // once, with paths naming the user: "[duplicate]users[3].email",
  // "[invalid]users[0].registrations[1].applicationId", "[invalid]users[5].encryptionScheme".
  // Then everything is written in one atomic store write. `progress` (optional) hears how
  // far validation and the write have gone. Emits user.bulk.create once.
  Status Import(ImportRequest request, const ImportProgress& progress = nullptr);

 private:
  friend class Engine;
  explicit UserService(internal::EngineContext& context) : ctx_(context) {}

  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_USER_SERVICE_H_
