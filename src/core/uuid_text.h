// SPDX-License-Identifier: Apache-2.0
// Private: a UUID's canonical text written into a caller's buffer, without a std::string.
//
// Thread-safe: a pure function.
#ifndef BULWARK_CORE_UUID_TEXT_H_
#define BULWARK_CORE_UUID_TEXT_H_

#include <cstddef>

#include "bulwark/ids.h"

namespace bulwark::internal {

inline constexpr std::size_t kUuidTextLength = 36;

// Writes the lower-case canonical form (8-4-4-4-12 hex digits) into out[0..36).
inline void FormatUuid(const Uuid& uuid, char* out) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto& bytes = uuid.bytes();
  std::size_t o = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = kHex[bytes[i] >> 4];
    out[o++] = kHex[bytes[i] & 0x0F];
  }
}

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_UUID_TEXT_H_
