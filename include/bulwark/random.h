// SPDX-License-Identifier: Apache-2.0
//
// Random: where bulwark draws randomness. All identifiers, secrets, salts, codes and nonces
// come from the Random in EngineOptions; nothing calls rand(). The default uses OpenSSL's
// RAND_bytes (thread-safe and fork-safe in OpenSSL 3). testing::DeterministicRandom exists
// for tests only, as its name says.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not throw and must not call back into the Engine. They may block
// briefly (entropy).
#ifndef BULWARK_RANDOM_H_
#define BULWARK_RANDOM_H_

#include <cstddef>
#include <span>

#include "bulwark/export.h"
#include "bulwark/status.h"

namespace bulwark {

class BULWARK_EXPORT Random {
 public:
  Random() = default;
  Random(const Random&) = delete;
  Random& operator=(const Random&) = delete;
  virtual ~Random();

  // Fills `out` with cryptographically secure random bytes, or returns kUnavailable.
  virtual Status Fill(std::span<std::byte> out) = 0;

  // OpenSSL's RAND_bytes. Belongs to the library and must never be deleted.
  static Random& Default();
};

}  // namespace bulwark

#endif  // BULWARK_RANDOM_H_
