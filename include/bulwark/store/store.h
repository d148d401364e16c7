// SPDX-License-Identifier: Apache-2.0
//
// Store: where bulwark keeps every persistent object. It hands out narrow read repositories
// (repositories.h) and applies writes atomically (Apply + WriteBatch). No SQL text and no
// driver type crosses this interface, so SQLite (the embedded default, sqlite_store.h) and a
// later PostgreSQL implementation serve the same callers.
//
// Rules every implementation enforces, whatever the caller checked before:
//   - tenant names are unique                          -> [duplicate]tenant.name
//   - ids are unique per kind (application ids across all tenants)
//                                                      -> [duplicate]<kind>.id
//   - email unique per tenant, case-insensitive        -> [duplicate]user.email
//   - username unique per tenant, case-insensitive     -> [duplicate]user.username
//   - one registration per (user, application)         -> [duplicate]registration
//   - role names unique per application                -> [duplicate]role.name
//   - a registration's user and application exist      -> [invalid]registration.applicationId
// Violations are kAlreadyExists (duplicates) or kInvalidArgument, with those field errors;
// the batch then changes nothing.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not throw, and must not call back into the Engine. They may block on
// I/O.
#ifndef BULWARK_STORE_STORE_H_
#define BULWARK_STORE_STORE_H_

#include <string_view>

#include "bulwark/export.h"
#include "bulwark/status.h"
#include "bulwark/store/repositories.h"
#include "bulwark/store/write_batch.h"

namespace bulwark {

class BULWARK_EXPORT Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store();

  // A stable name for the implementation ("sqlite"), for logs and diagnostics.
  virtual std::string_view Name() const = 0;
  // The schema version this implementation writes.
  virtual int SchemaVersion() const = 0;

  // The repositories live as long as the Store.
  virtual TenantRepository& tenants() = 0;
  virtual ApplicationRepository& applications() = 0;
  virtual UserRepository& users() = 0;
  virtual RegistrationRepository& registrations() = 0;

  // Applies every operation of `batch` in order, atomically: on any error nothing is written.
  // An empty batch is OK.
  virtual Status Apply(const WriteBatch& batch) = 0;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_STORE_H_
