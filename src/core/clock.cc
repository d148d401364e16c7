// SPDX-License-Identifier: Apache-2.0
// The one place that reads the system clock.
#include "bulwark/clock.h"

namespace bulwark {
namespace {

class SystemClock final : public Clock {
 public:
  Instant Now() const noexcept override {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

}  // namespace

Clock::~Clock() = default;

Clock& Clock::Default() {
  static SystemClock* const clock = new SystemClock();  // never destroyed
  return *clock;
}

}  // namespace bulwark
