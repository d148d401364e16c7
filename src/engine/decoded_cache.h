// SPDX-License-Identifier: Apache-2.0
// Private: the Engine's decoded copies of stored configuration (tenants, applications,
// identity providers). Nearly every request reads its tenant and application, and decoding a
// stored document costs more than the rest of a Router request, so each is decoded once and
// copied out of here.
//
// Freshness comes from the store's configuration generation (Store::ConfigurationGeneration):
// EngineContext::SyncConfiguration reads it before every use and clears every cache when it
// moved, so a write through any Engine or process on the store is seen by the next read. A
// store without a generation (a host's Store that predates it) gets the older rule: copies
// are kept for kMaxAge, and EngineContext::Apply clears the caches after this Engine's own
// configuration writes.
//
// Thread-safe. A read racing a Clear never puts back what it read before the Clear.
#ifndef BULWARK_ENGINE_DECODED_CACHE_H_
#define BULWARK_ENGINE_DECODED_CACHE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "bulwark/clock.h"
#include "bulwark/result.h"

namespace bulwark::internal {

template <typename IdT, typename T>
class DecodedCache {
 public:
  // How long a copy is trusted when the store has no configuration generation.
  static constexpr std::chrono::milliseconds kMaxAge{1000};

  // The object `id`: a copy of the cached one when it is current, else what `load` answers
  // (cached when ok; errors are never cached). With `by_generation` a copy is current until
  // the next Clear; without, for kMaxAge after it was read (a clock that went back makes it
  // stale too).
  Result<T> Get(IdT id, bool by_generation, Instant now, const std::function<Result<T>()>& load) {
    BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const T> shared,
                             GetShared(id, by_generation, now, load));
    return *shared;
  }

  // The same, without the copy: the cached object itself, immutable and kept alive by the
  // pointer after a Clear.
  Result<std::shared_ptr<const T>> GetShared(IdT id, bool by_generation, Instant now,
                                             const std::function<Result<T>()>& load) {
    std::uint64_t clears = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const auto it = entries_.find(id);
      if (it != entries_.end() &&
          (by_generation || (now >= it->second.read_at && now - it->second.read_at < kMaxAge))) {
        return it->second.value;
      }
      clears = clears_;
    }
    // Loaded without the lock: a slow store must not hold up readers of other objects.
    Result<T> loaded = load();
    if (!loaded.ok()) return loaded.status();
    auto shared = std::make_shared<const T>(*std::move(loaded));
    std::lock_guard<std::mutex> lock(mu_);
    if (clears == clears_) entries_[id] = Entry{shared, now};
    return shared;
  }

  // Forgets every object.
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.clear();
    ++clears_;
  }

 private:
  struct Entry {
    std::shared_ptr<const T> value;
    Instant read_at{};
  };
  std::mutex mu_;
  std::map<IdT, Entry> entries_;
  std::uint64_t clears_ = 0;  // bumped by Clear
};

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_DECODED_CACHE_H_
