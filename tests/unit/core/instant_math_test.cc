// SPDX-License-Identifier: Apache-2.0
#include "core/instant_math.h"

#include <chrono>
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>

#include "model/durations.h"

namespace bulwark::internal {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

TEST_CASE("AddSaturating clamps at the ends of Instant's range", "[core][time]") {
  CHECK(ToEpochMillis(AddSaturating(FromEpochMillis(1'000), milliseconds(234))) == 1'234);
  CHECK(ToEpochMillis(AddSaturating(FromEpochMillis(kMax - 5), milliseconds(5))) == kMax);
  CHECK(ToEpochMillis(AddSaturating(FromEpochMillis(kMax - 5), milliseconds(6))) == kMax);
  CHECK(ToEpochMillis(AddSaturating(FromEpochMillis(kMax), milliseconds::max())) == kMax);
  CHECK(ToEpochMillis(AddSaturating(FromEpochMillis(kMin + 1), milliseconds(-2))) == kMin);
  CHECK(ToEpochMillis(AddSaturating(FromEpochMillis(kMin), milliseconds::min())) == kMin);
  CHECK(ToEpochMillis(SubtractSaturating(FromEpochMillis(kMin + 3), milliseconds(10))) == kMin);
  CHECK(ToEpochMillis(SubtractSaturating(FromEpochMillis(0), milliseconds::min())) == kMax);
  CHECK(ToEpochMillis(SubtractSaturating(FromEpochMillis(50), milliseconds(20))) == 30);
}

TEST_CASE("DurationOf: unit lengths, the largest amounts, and clamping of stored values",
          "[core][time]") {
  CHECK(DurationOf(3, ExpiryUnit::kMinutes) == milliseconds(180'000));
  CHECK(DurationOf(2, ExpiryUnit::kMonths) == milliseconds(60LL * 86'400'000));
  CHECK(DurationOf(1, ExpiryUnit::kYears) == milliseconds(365LL * 86'400'000));
  // 10,000 years of 365 days, or the int limit for minutes.
  CHECK(MaxAmountOf(ExpiryUnit::kYears) == 10'000);
  CHECK(MaxAmountOf(ExpiryUnit::kMonths) == 121'666);
  CHECK(MaxAmountOf(ExpiryUnit::kWeeks) == 521'428);
  CHECK(MaxAmountOf(ExpiryUnit::kDays) == 3'650'000);
  CHECK(MaxAmountOf(ExpiryUnit::kHours) == 87'600'000);
  CHECK(MaxAmountOf(ExpiryUnit::kMinutes) == std::numeric_limits<int>::max());
  // A value above the bound (stored before the bound existed) is clamped, not overflowed.
  CHECK(DurationOf(std::numeric_limits<int>::max(), ExpiryUnit::kYears) ==
        milliseconds(10'000LL * 365 * 86'400'000));
  CHECK(DurationOf(-5, ExpiryUnit::kDays) == milliseconds(0));
  // The largest configured lock from a present-day clock is still in the future.
  const Instant now = FromEpochMillis(1'700'000'000'000);
  CHECK(AddSaturating(now, DurationOf(std::numeric_limits<int>::max(), ExpiryUnit::kYears)) >
        now);
}

}  // namespace
}  // namespace bulwark::internal
