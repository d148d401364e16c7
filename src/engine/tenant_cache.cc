// SPDX-License-Identifier: Apache-2.0
#include "engine/tenant_cache.h"

#include <utility>

namespace bulwark::internal {

Result<Tenant> TenantCache::Get(TenantId id, Instant now,
                                const std::function<Result<Tenant>()>& load) {
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = entries_.find(id);
    // A clock that went back counts as stale too.
    if (it != entries_.end() && now >= it->second.read_at && now - it->second.read_at < kMaxAge) {
      return *it->second.tenant;
    }
    generation = generation_;
  }
  // Loaded without the lock: a slow store must not hold up readers of other tenants.
  Result<Tenant> loaded = load();
  if (!loaded.ok()) return loaded;
  auto shared = std::make_shared<const Tenant>(*loaded);
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) entries_[id] = Entry{std::move(shared), now};
  return loaded;
}

void TenantCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  ++generation_;
}

}  // namespace bulwark::internal
