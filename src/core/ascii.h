// SPDX-License-Identifier: Apache-2.0
// Private: ASCII lower case, the key of the case-insensitive email and username rules
// (store.h): the store indexes by it and the import checks a batch against itself with it.
#ifndef BULWARK_CORE_ASCII_H_
#define BULWARK_CORE_ASCII_H_

#include <string>
#include <string_view>

namespace bulwark::internal {

inline std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_ASCII_H_
