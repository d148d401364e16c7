// SPDX-License-Identifier: Apache-2.0
#include <cstring>

#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/recording_event_sink.h"

namespace bulwark::testing {

Status DeterministicRandom::Fill(std::span<std::byte> out) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::byte& b : out) {
    // splitmix64: well distributed, trivially reproducible.
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    b = static_cast<std::byte>(z & 0xFF);
  }
  return Status::Ok();
}

void RecordingEventSink::OnEvent(const Event& event) noexcept {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event);
  } catch (...) {
    // Out of memory in a test sink: drop the event rather than throw through noexcept.
  }
}

std::vector<Event> RecordingEventSink::events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

std::size_t RecordingEventSink::Count(EventType type) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const Event& e : events_) n += e.type == type ? 1 : 0;
  return n;
}

void RecordingEventSink::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  events_.clear();
}

}  // namespace bulwark::testing
