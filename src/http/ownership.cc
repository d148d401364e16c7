// SPDX-License-Identifier: Apache-2.0
#include "http/ownership.h"

#include <algorithm>
#include <string>

#include "bulwark/key_service.h"

namespace bulwark::http::internal {

std::optional<TenantId> LockedTenant(const Call& call) {
  if (!call.api_key.has_value()) return std::nullopt;
  return call.api_key->tenant_id;
}

Status CheckMayChangeGlobal(const Call& call) {
  if (LockedTenant(call).has_value()) {
    return Status::PermissionDenied("a tenant-locked API key cannot change shared objects");
  }
  return Status::Ok();
}

Result<std::set<KeyId>> KeysOfTenant(Call& call, TenantId tenant) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<KeyUse> uses, call.engine.keys().RetrieveUses());
  std::set<KeyId> keys;
  for (const KeyUse& use : uses) {
    if (use.tenant_id == tenant) keys.insert(use.key_id);
  }
  return keys;
}

Status CheckKeysBorrowed(Call& call, const std::vector<KeyReference>& before,
                         const std::vector<KeyReference>& after, std::string_view object) {
  const std::optional<TenantId> locked = LockedTenant(call);
  if (!locked.has_value()) return Status::Ok();
  std::vector<const KeyReference*> added;
  for (const KeyReference& ref : after) {
    const bool had = std::any_of(before.begin(), before.end(),
                                 [&](const KeyReference& b) { return b.key_id == ref.key_id; });
    if (!had) added.push_back(&ref);
  }
  if (added.empty()) return Status::Ok();
  BULWARK_ASSIGN_OR_RETURN(std::vector<KeyUse> uses, call.engine.keys().RetrieveUses());
  Errors errors;
  for (const KeyReference* ref : added) {
    auto used_by = [&](auto&& which) {
      return std::any_of(uses.begin(), uses.end(), [&](const KeyUse& use) {
        return use.key_id == ref->key_id && which(use);
      });
    };
    // A key the tenant already uses stays usable (the default signing key serves every tenant
    // that names no key of its own); one that only others use cannot be borrowed.
    const bool ours = used_by([&](const KeyUse& use) { return use.tenant_id == locked; });
    const bool foreign = used_by([&](const KeyUse& use) { return use.tenant_id != locked; });
    if (foreign && !ours) {
      errors.AddField("invalid", std::string(object) + "." + std::string(ref->member),
                      "The key " + ref->key_id.ToString() + " is used by another tenant.");
    }
  }
  if (!errors.empty()) return Status::Validation(std::move(errors));
  return Status::Ok();
}

}  // namespace bulwark::http::internal
