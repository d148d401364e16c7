// SPDX-License-Identifier: Apache-2.0
// Private: the ownership model of the Router — what an API key locked to a tenant may do
// with objects that tenants share (README, "Tenant-locked API keys").
//
// A tenant-locked key acts only inside its tenant:
//   - global objects are not its to create, change or delete: Key Master keys, identity
//     providers without a tenantId, tenants (other than reading and updating its own);
//   - an identity provider it creates is scoped to its tenant;
//   - it sees only the Key Master keys that objects of its tenant name;
//   - its tenant, its applications and its identity providers may not be pointed at keys
//     that only another tenant (or a global identity provider) uses.
// Unrestricted keys, with or without X-FusionAuth-TenantId, keep every ability.
#ifndef BULWARK_HTTP_OWNERSHIP_H_
#define BULWARK_HTTP_OWNERSHIP_H_

#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "bulwark/ids.h"
#include "bulwark/model/key_references.h"
#include "bulwark/result.h"
#include "bulwark/status.h"
#include "http/api_support.h"

namespace bulwark::http::internal {

// The tenant the call's API key is locked to; nullopt for any other caller.
std::optional<TenantId> LockedTenant(const Call& call);

// kPermissionDenied (401) for a tenant-locked caller, which may not change global objects.
Status CheckMayChangeGlobal(const Call& call);

// The Key Master keys that objects of `tenant` name (its jwtConfiguration, its applications,
// its identity providers).
Result<std::set<KeyId>> KeysOfTenant(Call& call, TenantId tenant);

// For a tenant-locked caller: every key `after` names that `before` did not must be used by
// no other tenant and no global identity provider, unless its own tenant uses it already;
// else [invalid]{object}.{member}.
// `object` is the JSON envelope name ("tenant", "application"). Ok for other callers.
Status CheckKeysBorrowed(Call& call, const std::vector<KeyReference>& before,
                         const std::vector<KeyReference>& after, std::string_view object);

}  // namespace bulwark::http::internal

#endif  // BULWARK_HTTP_OWNERSHIP_H_
