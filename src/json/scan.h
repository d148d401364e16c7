// SPDX-License-Identifier: Apache-2.0
//
// Private: the eight-bytes-at-a-time test that the JSON parser and writer share to find, in a
// string, the next byte that is not copied as it is.
#ifndef BULWARK_JSON_SCAN_H_
#define BULWARK_JSON_SCAN_H_

#include <cstdint>
#include <cstring>

namespace bulwark::internal {

// True when one of the eight bytes at `at` is '"', '\\', a control character (below 0x20) or
// not ASCII. Exact: the classic SWAR tests for "below" and "equal to" never miss a byte (a
// byte of 0x80 or above is caught by its high bit first). Reads eight bytes: the caller
// checks that they are there.
inline bool Special8(const char* at) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHigh = 0x8080808080808080u;
  std::uint64_t x;
  std::memcpy(&x, at, sizeof(x));
  const auto zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (x - kOnes * 0x20) & ~x & kHigh;
  return ((x & kHigh) | control | zero_byte(x ^ (kOnes * '"')) | zero_byte(x ^ (kOnes * '\\'))) !=
         0;
}

}  // namespace bulwark::internal

#endif  // BULWARK_JSON_SCAN_H_
