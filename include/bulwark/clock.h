// SPDX-License-Identifier: Apache-2.0
//
// Clock: where bulwark reads the time. Every instant it stores (insertInstant,
// lastUpdateInstant, ...) and every expiry it checks comes from the Clock in EngineOptions;
// nothing in bulwark reads the system clock directly. Tests use testing::ManualClock.
//
// Instants have millisecond precision, as on FusionAuth's wire (epoch milliseconds).
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not block, must not throw and must not call back into the Engine.
#ifndef BULWARK_CLOCK_H_
#define BULWARK_CLOCK_H_

#include <chrono>
#include <cstdint>

#include "bulwark/export.h"

namespace bulwark {

// A point in time with millisecond precision, relative to the Unix epoch.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

// Epoch milliseconds <-> Instant, as FusionAuth's `*Instant` fields.
constexpr std::int64_t ToEpochMillis(Instant t) noexcept { return t.time_since_epoch().count(); }
constexpr Instant FromEpochMillis(std::int64_t ms) noexcept {
  return Instant(std::chrono::milliseconds(ms));
}

class BULWARK_EXPORT Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock();

  virtual Instant Now() const noexcept = 0;

  // The system clock. Belongs to the library and must never be deleted.
  static Clock& Default();
};

}  // namespace bulwark

#endif  // BULWARK_CLOCK_H_
