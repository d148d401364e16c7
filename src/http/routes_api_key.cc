// SPDX-License-Identifier: Apache-2.0
// /api/api-key, and the Router's API key check.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/api_key_service.h"
#include "bulwark/model/api_key.h"
#include "http/api_key_auth.h"
#include "http/api_support.h"

namespace bulwark::http::internal {
namespace {

HttpResponse ApiKeyResponse(const ApiKey& key) {
  HttpResponse response = JsonResponse(200, {{"apiKey", ToJson(key)}});
  if (!key.key.empty()) AddNoStore(response);
  return response;
}

Result<ApiKey> ApiKeyFromBody(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "apiKey"));
  return ApiKeyFromJson(*member);
}

// A key manager cannot hand out more than it has: a tenant-locked manager makes keys of its
// tenant, and a manager limited to some endpoints makes keys limited to a subset of them.
Status CheckWithinCaller(const ApiKey& caller, ApiKey& key) {
  if (caller.tenant_id.has_value()) {
    if (key.tenant_id.has_value() && *key.tenant_id != *caller.tenant_id) {
      return Status::FieldError("invalid", "apiKey.tenantId",
                                "A tenant-scoped key can only create keys for its tenant.");
    }
    key.tenant_id = caller.tenant_id;
  }
  if (caller.endpoint_permissions.empty()) return Status::Ok();
  if (key.key_manager) {
    return Status::FieldError("invalid", "apiKey.keyManager",
                              "A key limited to some endpoints cannot create key managers.");
  }
  bool within = !key.endpoint_permissions.empty();
  for (const auto& [endpoint, methods] : key.endpoint_permissions) {
    auto granted = caller.endpoint_permissions.find(endpoint);
    if (granted == caller.endpoint_permissions.end()) {
      within = false;
      break;
    }
    for (const std::string& method : methods) {
      if (std::find(granted->second.begin(), granted->second.end(), method) ==
          granted->second.end()) {
        within = false;
      }
    }
  }
  if (!within) {
    return Status::FieldError("invalid", "apiKey.permissions",
                              "The key cannot have more permissions than the key creating it.");
  }
  return Status::Ok();
}

Result<ApiKey> ScopedApiKey(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(ApiKeyId id, PathId<ApiKeyId>(call.params[0], "apiKeyId"));
  BULWARK_ASSIGN_OR_RETURN(ApiKey key, call.engine.api_keys().Retrieve(id));
  if (call.api_key->tenant_id.has_value() && key.tenant_id != call.api_key->tenant_id) {
    return Status::NotFound("the API key belongs to another tenant");
  }
  return key;
}

HttpResponse CreateApiKey(Call& call) {
  BULWARK_HTTP_TRY(ApiKey key, ApiKeyFromBody(call));
  if (!call.params.empty()) {
    BULWARK_HTTP_TRY(key.id, PathId<ApiKeyId>(call.params[0], "apiKeyId"));
  }
  BULWARK_HTTP_CHECK(CheckWithinCaller(*call.api_key, key));
  BULWARK_HTTP_TRY(ApiKey created, call.engine.api_keys().Create(std::move(key)));
  return ApiKeyResponse(created);
}

HttpResponse RetrieveApiKey(Call& call) {
  BULWARK_HTTP_TRY(ApiKey key, ScopedApiKey(call));
  return ApiKeyResponse(key);
}

HttpResponse UpdateApiKey(Call& call) {
  BULWARK_HTTP_TRY(ApiKey current, ScopedApiKey(call));
  BULWARK_HTTP_TRY(ApiKey key, ApiKeyFromBody(call));
  key.id = current.id;
  if (!key.tenant_id.has_value()) key.tenant_id = current.tenant_id;
  BULWARK_HTTP_CHECK(CheckWithinCaller(*call.api_key, key));
  BULWARK_HTTP_TRY(ApiKey updated, call.engine.api_keys().Update(std::move(key)));
  return ApiKeyResponse(updated);
}

HttpResponse DeleteApiKey(Call& call) {
  BULWARK_HTTP_TRY(ApiKey current, ScopedApiKey(call));
  if (current.id == call.api_key->id) {
    return GeneralError("[invalid]apiKey", "An API key cannot delete itself.");
  }
  BULWARK_HTTP_CHECK(call.engine.api_keys().Delete(current.id));
  return EmptyResponse(200);
}

}  // namespace

Result<ApiKey> AuthenticateApiKey(Engine& engine, std::string_view presented) {
  return engine.api_keys().Authenticate(presented);
}

void AddApiKeyRoutes(std::vector<Route>& routes) {
  constexpr std::string_view kApiKey = "/api/api-key";
  routes.insert(routes.end(),
                {
                    {"POST", "/api/api-key", kApiKey, Access::kKeyManager, CreateApiKey},
                    {"POST", "/api/api-key/*", kApiKey, Access::kKeyManager, CreateApiKey},
                    {"GET", "/api/api-key/*", kApiKey, Access::kKeyManager, RetrieveApiKey},
                    {"PUT", "/api/api-key/*", kApiKey, Access::kKeyManager, UpdateApiKey},
                    {"DELETE", "/api/api-key/*", kApiKey, Access::kKeyManager, DeleteApiKey},
                });
}

}  // namespace bulwark::http::internal
