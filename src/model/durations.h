// SPDX-License-Identifier: Apache-2.0
// Private: how long a configured amount of an ExpiryUnit is, and the most each unit accepts.
// Every duration in configuration is bounded so that it fits in milliseconds many times over:
// at most kMaxConfiguredDuration (10,000 years of 365 days, about 3.2e14 ms against int64's
// 9.2e18), and at most what its int field holds.
#ifndef BULWARK_MODEL_DURATIONS_H_
#define BULWARK_MODEL_DURATIONS_H_

#include <chrono>
#include <cstdint>
#include <limits>

#include "bulwark/model/tenant.h"

namespace bulwark::internal {

inline constexpr std::chrono::seconds kMaxConfiguredDuration(10'000LL * 365 * 86'400);

// FusionAuth's units: a month is 30 days and a year 365.
constexpr std::chrono::seconds LengthOf(ExpiryUnit unit) noexcept {
  constexpr std::int64_t kDay = 86'400;
  switch (unit) {
    case ExpiryUnit::kMinutes:
      return std::chrono::seconds(60);
    case ExpiryUnit::kHours:
      return std::chrono::seconds(3'600);
    case ExpiryUnit::kDays:
      return std::chrono::seconds(kDay);
    case ExpiryUnit::kWeeks:
      return std::chrono::seconds(7 * kDay);
    case ExpiryUnit::kMonths:
      return std::chrono::seconds(30 * kDay);
    case ExpiryUnit::kYears:
      return std::chrono::seconds(365 * kDay);
  }
  return std::chrono::seconds(60);
}

// The largest amount of `unit` accepted: 2,147,483,647 minutes (the int limit, about 4,085
// years), 87,600,000 hours, 3,650,000 days, 521,428 weeks, 121,666 months, 10,000 years.
constexpr int MaxAmountOf(ExpiryUnit unit) noexcept {
  const std::int64_t most = kMaxConfiguredDuration / LengthOf(unit);
  return most > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                : static_cast<int>(most);
}

// `amount` of `unit`, clamped to [0, MaxAmountOf(unit)] first, so that a value stored before
// these bounds existed cannot overflow either.
constexpr std::chrono::milliseconds DurationOf(int amount, ExpiryUnit unit) noexcept {
  const std::int64_t clamped = amount < 0 ? 0 : amount > MaxAmountOf(unit) ? MaxAmountOf(unit)
                                                                           : amount;
  return std::chrono::duration_cast<std::chrono::milliseconds>(LengthOf(unit)) * clamped;
}

}  // namespace bulwark::internal

#endif  // BULWARK_MODEL_DURATIONS_H_
