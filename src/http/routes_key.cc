// SPDX-License-Identifier: Apache-2.0
// /api/key (+ /generate, /import).
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/model/key.h"
#include "http/api_support.h"
#include "http/ownership.h"

namespace bulwark::http::internal {
namespace {

HttpResponse KeyResponse(const Key& key) { return JsonResponse(200, {{"key", ToJson(key)}}); }

Result<Key> KeyFromBody(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "key"));
  BULWARK_ASSIGN_OR_RETURN(Key key, KeyFromJson(*member));
  if (!call.params.empty()) {
    BULWARK_ASSIGN_OR_RETURN(key.id, PathId<KeyId>(call.params[0], "keyId"));
  }
  return key;
}

HttpResponse GenerateKey(Call& call) {
  BULWARK_HTTP_CHECK(CheckMayChangeGlobal(call));
  BULWARK_HTTP_TRY(Key request, KeyFromBody(call));
  BULWARK_HTTP_TRY(Key key, call.engine.keys().Generate(std::move(request)));
  return KeyResponse(key);
}

HttpResponse ImportKey(Call& call) {
  BULWARK_HTTP_CHECK(CheckMayChangeGlobal(call));
  BULWARK_HTTP_TRY(Key request, KeyFromBody(call));
  BULWARK_HTTP_TRY(Key key, call.engine.keys().Import(std::move(request)));
  return KeyResponse(key);
}

HttpResponse RetrieveKeys(Call& call) {
  BULWARK_HTTP_TRY(std::vector<Key> keys, call.engine.keys().RetrieveAll());
  // A tenant-locked key sees only the keys its tenant's objects name.
  std::optional<std::set<KeyId>> visible;
  if (std::optional<TenantId> locked = LockedTenant(call)) {
    BULWARK_HTTP_TRY(visible, KeysOfTenant(call, *locked));
  }
  nlohmann::json list = nlohmann::json::array();
  for (const Key& key : keys) {
    if (!visible.has_value() || visible->contains(key.id)) list.push_back(ToJson(key));
  }
  return JsonResponse(200, {{"keys", std::move(list)}});
}

HttpResponse RetrieveKey(Call& call) {
  BULWARK_HTTP_TRY(KeyId id, PathId<KeyId>(call.params[0], "keyId"));
  if (std::optional<TenantId> locked = LockedTenant(call)) {
    BULWARK_HTTP_TRY(std::set<KeyId> visible, KeysOfTenant(call, *locked));
    if (!visible.contains(id)) return EmptyResponse(404);
  }
  BULWARK_HTTP_TRY(Key key, call.engine.keys().Retrieve(id));
  return KeyResponse(key);
}

HttpResponse UpdateKey(Call& call) {
  BULWARK_HTTP_CHECK(CheckMayChangeGlobal(call));
  BULWARK_HTTP_TRY(KeyId id, PathId<KeyId>(call.params[0], "keyId"));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(const nlohmann::json* member, RequiredMember(body, "key"));
  std::string name;
  if (auto found = member->find("name"); found != member->end() && found->is_string()) {
    name = found->get<std::string>();
  }
  BULWARK_HTTP_TRY(Key key, call.engine.keys().Update(id, std::move(name)));
  return KeyResponse(key);
}

HttpResponse DeleteKey(Call& call) {
  BULWARK_HTTP_CHECK(CheckMayChangeGlobal(call));
  BULWARK_HTTP_TRY(KeyId id, PathId<KeyId>(call.params[0], "keyId"));
  BULWARK_HTTP_CHECK(call.engine.keys().Delete(id));
  return EmptyResponse(200);
}

}  // namespace

void AddKeyRoutes(std::vector<Route>& routes) {
  constexpr std::string_view kKey = "/api/key";
  routes.insert(
      routes.end(),
      {
          {"GET", "/api/key", kKey, Access::kApiKey, RetrieveKeys},
          {"GET", "/api/key/*", kKey, Access::kApiKey, RetrieveKey},
          {"PUT", "/api/key/*", kKey, Access::kApiKey, UpdateKey},
          {"DELETE", "/api/key/*", kKey, Access::kApiKey, DeleteKey},
          {"POST", "/api/key/generate", "/api/key/generate", Access::kApiKey, GenerateKey},
          {"POST", "/api/key/generate/*", "/api/key/generate", Access::kApiKey, GenerateKey},
          {"POST", "/api/key/import", "/api/key/import", Access::kApiKey, ImportKey},
          {"POST", "/api/key/import/*", "/api/key/import", Access::kApiKey, ImportKey},
      });
}

}  // namespace bulwark::http::internal
