// SPDX-License-Identifier: Apache-2.0
// Private: instant arithmetic that cannot overflow. Every instant derived from configuration
// (a lock's end, a token's expiry, a window's start) is computed with these, so that the
// largest accepted configuration or a clock at the edge of its range gives the farthest
// representable instant instead of undefined behaviour and an instant in the past.
#ifndef BULWARK_CORE_INSTANT_MATH_H_
#define BULWARK_CORE_INSTANT_MATH_H_

#include <chrono>
#include <cstdint>
#include <limits>

#include "bulwark/clock.h"

namespace bulwark::internal {

// t + d, clamped to Instant's range.
constexpr Instant AddSaturating(Instant t, std::chrono::milliseconds d) noexcept {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const std::int64_t a = t.time_since_epoch().count();
  const std::int64_t b = d.count();
  if (b > 0 && a > kMax - b) return Instant(std::chrono::milliseconds(kMax));
  if (b < 0 && a < kMin - b) return Instant(std::chrono::milliseconds(kMin));
  return Instant(std::chrono::milliseconds(a + b));
}

// t - d, clamped to Instant's range.
constexpr Instant SubtractSaturating(Instant t, std::chrono::milliseconds d) noexcept {
  if (d.count() == std::numeric_limits<std::int64_t>::min()) {
    return AddSaturating(AddSaturating(t, std::chrono::milliseconds::max()),
                         std::chrono::milliseconds(1));
  }
  return AddSaturating(t, -d);
}

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_INSTANT_MATH_H_
