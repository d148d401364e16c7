// SPDX-License-Identifier: Apache-2.0
//
// ManualClock: a Clock that moves only when told. Tests drive expiry, lockout windows and
// grace periods with Advance() instead of sleeping.
//
//   auto clock = std::make_shared<bulwark::testing::ManualClock>(
//       bulwark::FromEpochMillis(1'700'000'000'000));
//   options.clock = clock;
//   clock->Advance(std::chrono::minutes(5));
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_TESTING_MANUAL_CLOCK_H_
#define BULWARK_TESTING_MANUAL_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "bulwark/clock.h"

namespace bulwark::testing {

class ManualClock final : public Clock {
 public:
  // 2023-11-14T22:13:20Z: a fixed, recognisable default.
  static constexpr Instant kDefaultStart = FromEpochMillis(1'700'000'000'000);

  explicit ManualClock(Instant start = kDefaultStart) : now_ms_(ToEpochMillis(start)) {}

  Instant Now() const noexcept override { return FromEpochMillis(now_ms_.load()); }
  void Set(Instant t) noexcept { now_ms_.store(ToEpochMillis(t)); }
  template <typename Rep, typename Period>
  void Advance(std::chrono::duration<Rep, Period> d) noexcept {
    now_ms_.fetch_add(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_MANUAL_CLOCK_H_
