// SPDX-License-Identifier: Apache-2.0
//
// RecordingEventSink: an EventSink that keeps every event, for assertions in tests.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_TESTING_RECORDING_EVENT_SINK_H_
#define BULWARK_TESTING_RECORDING_EVENT_SINK_H_

#include <cstddef>
#include <mutex>
#include <vector>

#include "bulwark/event_sink.h"

namespace bulwark::testing {

class RecordingEventSink final : public EventSink {
 public:
  void OnEvent(const Event& event) noexcept override;
  // A copy of the events so far, oldest first.
  std::vector<Event> events() const;
  std::size_t Count(EventType type) const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::vector<Event> events_;  // guarded by mu_
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_RECORDING_EVENT_SINK_H_
