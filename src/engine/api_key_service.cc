// SPDX-License-Identifier: Apache-2.0
// ApiKeyService: API key CRUD and the check of a presented key. The store keeps a digest of
// each key's value (Sha256Base64Url, as for refresh tokens); the value itself lives only in
// the answer to Create.
#include "bulwark/api_key_service.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "engine/context.h"
#include "engine/token_issuer.h"

namespace bulwark {
namespace {

using internal::EngineContext;

constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

// permissions.endpoints: paths starting with "/", each with known methods.
void CheckPermissions(const ApiKey& key, Errors& errors) {
  for (const auto& [endpoint, methods] : key.endpoint_permissions) {
    if (endpoint.empty() || endpoint.front() != '/') {
      errors.AddField("invalid", "apiKey.permissions.endpoints",
                      "The endpoint [" + endpoint + "] must be a path starting with /.");
      return;
    }
    for (const std::string& method : methods) {
      if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
        errors.AddField("invalid", "apiKey.permissions.endpoints",
                        "The methods of the endpoint [" + endpoint +
                            "] must be among GET, POST, PUT, PATCH and DELETE.");
        return;
      }
    }
  }
}

void CheckExpiration(const ApiKey& key, Instant now, Errors& errors) {
  if (key.expiration_instant.has_value() && *key.expiration_instant <= now) {
    errors.AddField("invalid", "apiKey.expirationInstant",
                    "The expiration instant of an API key must be in the future.");
  }
}

Status KeyNotFound(const Status& status) {
  if (status.code() != StatusCode::kNotFound) return status;
  return Status::NotFound("the API key does not exist");
}

Status NotAuthenticated() { return Status::Unauthenticated("the API key is not valid"); }

}  // namespace

Result<ApiKey> ApiKeyService::Create(ApiKey request) {
  if (request.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(request.id, ctx_.NewId<ApiKeyId>());
  }
  const Instant now = ctx_.Now();
  Errors errors;
  if (!request.key.empty() && request.key.size() < kMinKeyLength) {
    errors.AddField(
        "tooShort", "apiKey.key",
        "An API key must be at least " + std::to_string(kMinKeyLength) + " characters long.");
  } else if (request.key.size() > kMaxKeyLength) {
    errors.AddField(
        "tooLong", "apiKey.key",
        "An API key must be at most " + std::to_string(kMaxKeyLength) + " characters long.");
  }
  if (request.tenant_id.has_value()) {
    Result<Tenant> tenant =
        ctx_.LoadTenant(*request.tenant_id);
    if (!tenant.ok()) {
      if (tenant.status().code() != StatusCode::kNotFound) return tenant.status();
      errors.AddField("invalid", "apiKey.tenantId", "The tenant does not exist.");
    }
  }
  CheckPermissions(request, errors);
  CheckExpiration(request, now, errors);
  if (!errors.empty()) return Status::Validation(std::move(errors));

  if (request.key.empty()) {
    BULWARK_ASSIGN_OR_RETURN(request.key, NewSecretValue(ctx_));
  }
  request.retrievable = false;
  request.insert_instant = now;
  request.last_update_instant = now;
  ApiKey stored = request;
  stored.key.clear();
  WriteBatch batch;
  batch.Insert(std::move(stored), internal::Sha256Base64Url(request.key));
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return request;
}

Result<ApiKey> ApiKeyService::Retrieve(ApiKeyId id) {
  Result<ApiKey> key = ctx_.store->api_keys().Get(id);
  if (!key.ok()) return KeyNotFound(key.status());
  return key;
}

Result<std::vector<ApiKey>> ApiKeyService::RetrieveAll() { return ctx_.store->api_keys().List(); }

Result<ApiKey> ApiKeyService::Update(ApiKey request) {
  Result<ApiKey> found = ctx_.store->api_keys().Get(request.id);
  if (!found.ok()) return KeyNotFound(found.status());
  ApiKey key = *std::move(found);
  const Instant now = ctx_.Now();
  Errors errors;
  if (!request.key.empty()) {
    // Only the digest is stored: the request names the key's own value when that digest
    // finds this very key.
    bool same = false;
    if (request.key.size() <= kMaxKeyLength) {
      Result<ApiKey> owner =
          ctx_.store->api_keys().FindByKeyDigest(internal::Sha256Base64Url(request.key));
      if (!owner.ok() && owner.status().code() != StatusCode::kNotFound) return owner.status();
      same = owner.ok() && owner->id == key.id;
    }
    if (!same) {
      errors.AddField("invalid", "apiKey.key", "The value of an API key cannot change.");
    }
  }
  if (request.tenant_id != key.tenant_id) {
    errors.AddField("invalid", "apiKey.tenantId", "The tenant of an API key cannot change.");
  }
  CheckPermissions(request, errors);
  // An unchanged expiry may have passed: the other members of an expired key can still be
  // edited.
  if (request.expiration_instant != key.expiration_instant) CheckExpiration(request, now, errors);
  if (!errors.empty()) return Status::Validation(std::move(errors));

  key.name = std::move(request.name);
  key.key_manager = request.key_manager;
  key.endpoint_permissions = std::move(request.endpoint_permissions);
  key.meta_data_attributes = std::move(request.meta_data_attributes);
  key.ip_access_control_list_id = request.ip_access_control_list_id;
  key.expiration_instant = request.expiration_instant;
  key.last_update_instant = now;
  WriteBatch batch;
  batch.Update(key);
  Status status = ctx_.Apply(batch);
  if (!status.ok()) return KeyNotFound(status);
  return key;
}

Status ApiKeyService::Delete(ApiKeyId id) {
  WriteBatch batch;
  batch.Delete(id);
  Status status = ctx_.Apply(batch);
  if (!status.ok()) return KeyNotFound(status);
  return status;
}

Result<ApiKey> ApiKeyService::Authenticate(std::string_view presented_key) {
  if (presented_key.empty()) return Status::Unauthenticated("no API key was presented");
  // Longer than any key Create accepts: not worth hashing.
  if (presented_key.size() > kMaxKeyLength) return NotAuthenticated();
  Result<ApiKey> key =
      ctx_.store->api_keys().FindByKeyDigest(internal::Sha256Base64Url(presented_key));
  if (!key.ok()) {
    if (key.status().code() == StatusCode::kNotFound) return NotAuthenticated();
    return key.status();
  }
  if (key->expiration_instant.has_value() && *key->expiration_instant <= ctx_.Now()) {
    return Status::Unauthenticated("the API key has expired");
  }
  return key;
}

}  // namespace bulwark
