// SPDX-License-Identifier: Apache-2.0
//
// DeterministicRandom: a Random that produces the same bytes for the same seed, for tests
// that need reproducible ids and secrets. Never use it outside tests: its output is
// predictable by construction.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation (the sequence is then shared between threads).
#ifndef BULWARK_TESTING_DETERMINISTIC_RANDOM_H_
#define BULWARK_TESTING_DETERMINISTIC_RANDOM_H_

#include <cstdint>
#include <mutex>

#include "bulwark/random.h"

namespace bulwark::testing {

class DeterministicRandom final : public Random {
 public:
  explicit DeterministicRandom(std::uint64_t seed = 42) : state_(seed) {}
  Status Fill(std::span<std::byte> out) override;

 private:
  std::mutex mu_;
  std::uint64_t state_;  // guarded by mu_
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_DETERMINISTIC_RANDOM_H_
