// SPDX-License-Identifier: Apache-2.0
// Private: the Engine's decoded tenants. Nearly every request reads its tenant (the Router
// checks the tenant header, login reads the tenant's policies), and decoding a stored tenant
// costs more than the rest of a Router request, so each tenant is decoded once and copied
// out of here.
//
// Freshness: EngineContext::Apply clears the cache after every batch that writes a tenant,
// so a write through this Engine is seen by the next read. A write that bypasses this Engine
// (another Engine or process on the same store) is seen within kMaxAge.
//
// Thread-safe. A read racing a Clear never puts back what it read before the Clear.
#ifndef BULWARK_ENGINE_TENANT_CACHE_H_
#define BULWARK_ENGINE_TENANT_CACHE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/model/tenant.h"
#include "bulwark/result.h"

namespace bulwark::internal {

class TenantCache {
 public:
  static constexpr std::chrono::milliseconds kMaxAge{1000};

  // The tenant `id`: a copy of the cached one when it was read less than kMaxAge before
  // `now`, else what `load` answers (cached when ok; errors are never cached).
  Result<Tenant> Get(TenantId id, Instant now, const std::function<Result<Tenant>()>& load);
  // Forgets every tenant.
  void Clear();

 private:
  struct Entry {
    std::shared_ptr<const Tenant> tenant;
    Instant read_at{};
  };
  std::mutex mu_;
  std::map<TenantId, Entry> entries_;
  std::uint64_t generation_ = 0;  // bumped by Clear
};

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_TENANT_CACHE_H_
