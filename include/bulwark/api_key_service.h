// SPDX-License-Identifier: Apache-2.0
//
// ApiKeyService: API keys, the credentials of the management API (FusionAuth's API Key API,
// /api/api-key), and the check of a presented key. Obtain it from Engine::api_keys().
//
//   ApiKey request;
//   request.name = "CI pipeline";
//   request.endpoint_permissions = {{"/api/user", {"GET"}}};
//   Result<ApiKey> created = engine->api_keys().Create(request);
//   std::string secret = created->key;   // shown this once: hand it to the caller now
//   ...
//   Result<ApiKey> caller = engine->api_keys().Authenticate(presented);   // kUnauthenticated
//
// NOTE(compat): bulwark stores only a SHA-256 digest of a key's value, never the value, so
// Create is the only call that returns it. Unlike FusionAuth's `retrievable` keys, the value
// cannot be read back later: every other call answers with an empty `key`, and Create sets
// `retrievable` to false.
//
// A key may be locked to a tenant (tenantId): it then goes when the tenant is deleted. What a
// key may do (permissions.endpoints, keyManager, tenantId) is for the caller of Authenticate
// to enforce; this service stores and validates it.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_API_KEY_SERVICE_H_
#define BULWARK_API_KEY_SERVICE_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/api_key.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

class BULWARK_EXPORT ApiKeyService {
 public:
  // The shortest and the longest key value Create accepts from a caller, in bytes.
  static constexpr std::size_t kMinKeyLength = 16;
  static constexpr std::size_t kMaxKeyLength = 1024;

  ApiKeyService(const ApiKeyService&) = delete;
  ApiKeyService& operator=(const ApiKeyService&) = delete;

  // Creates a key (POST /api/api-key). A nil id gets a random one. An empty `key` gets a
  // random value (32 random bytes, base64url without padding: 43 characters); a given one
  // must be kMinKeyLength to kMaxKeyLength bytes long ([tooShort]apiKey.key,
  // [tooLong]apiKey.key). tenantId, when set, must name a tenant ([invalid]apiKey.tenantId).
  // permissions.endpoints must map paths starting with "/" to methods among GET, POST, PUT,
  // PATCH and DELETE ([invalid]apiKey.permissions.endpoints). expirationInstant, when set,
  // must be after the engine clock's now ([invalid]apiKey.expirationInstant). insertInstant
  // and lastUpdateInstant are set from the clock; `retrievable` is set to false. Field errors
  // are reported together (kInvalidArgument). kAlreadyExists with [duplicate]apiKey.id or
  // [duplicate]apiKey.key when the id or the value is taken.
  // Returns the key WITH its value: the only time it is returned (see the NOTE above).
  Result<ApiKey> Create(ApiKey request);

  // The key without its value; kNotFound when it does not exist.
  Result<ApiKey> Retrieve(ApiKeyId id);
  // Every key, without values, ordered by insertInstant, then id.
  Result<std::vector<ApiKey>> RetrieveAll();

  // Replaces the key whose id is `request.id` (PUT /api/api-key/{id}): name, keyManager,
  // permissions, metaData, ipAccessControlListId and expirationInstant take the request's
  // values, with Create's checks (a changed expirationInstant must be in the future). The
  // value and the tenant cannot change: a non-empty `key` other than the key's own value is
  // [invalid]apiKey.key, another tenantId (or none, for a tenant-locked key) is
  // [invalid]apiKey.tenantId. kNotFound when the key does not exist. Returns the key without
  // its value.
  Result<ApiKey> Update(ApiKey request);

  // Deletes the key; kNotFound when it does not exist.
  Status Delete(ApiKeyId id);

  // The key whose value is `presented_key` (as sent in an Authorization header), without
  // its value. kUnauthenticated when the value is empty or longer than kMaxKeyLength, names
  // no key, or the key has expired (expirationInstant at or before the engine clock's now);
  // the message never contains the value, and the value is never logged. Store errors
  // (kUnavailable, ...) pass through.
  Result<ApiKey> Authenticate(std::string_view presented_key);

 private:
  friend class Engine;
  explicit ApiKeyService(internal::EngineContext& context) : ctx_(context) {}
  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_API_KEY_SERVICE_H_
