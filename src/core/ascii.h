// SPDX-License-Identifier: Apache-2.0
// Private: ASCII lower case, the key of the case-insensitive email and username rules
// (store.h): the store indexes by it and the import checks a batch against itself with it;
// and case-insensitive comparison (HTTP header names, email domains); hex digits; and
// IsBlank, the one blank test of every validation rule (FusionAuth's [blank]).
#ifndef BULWARK_CORE_ASCII_H_
#define BULWARK_CORE_ASCII_H_

#include <string>
#include <string_view>

namespace bulwark::internal {

// True when `text` is empty or holds only ASCII whitespace (space, \t, \n, \v, \f, \r).
inline bool IsBlank(std::string_view text) {
  for (const char c : text) {
    if (c != ' ' && (c < '\t' || c > '\r')) return false;
  }
  return true;
}

inline std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// The value of a hex digit (either case), or -1.
inline int AsciiHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_ASCII_H_
