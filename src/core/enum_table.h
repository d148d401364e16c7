// SPDX-License-Identifier: Apache-2.0
// Private: constexpr tables that map `enum class` values to their wire names and back.
//
//   constexpr EnumEntry<ObjectState> kObjectStates[] = {
//       {ObjectState::kActive, "Active"}, ...};
//   ToString:  return EnumToString(kObjectStates, v);
//   Parse:     return EnumFromString(kObjectStates, s, "ObjectState");
#ifndef BULWARK_CORE_ENUM_TABLE_H_
#define BULWARK_CORE_ENUM_TABLE_H_

#include <span>
#include <string>
#include <string_view>

#include "bulwark/result.h"

namespace bulwark::internal {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view name;
};

template <typename E, std::size_t N>
constexpr std::string_view EnumToString(const EnumEntry<E> (&table)[N], E value) {
  for (const auto& e : table) {
    if (e.value == value) return e.name;
  }
  return "";
}

template <typename E, std::size_t N>
Result<E> EnumFromString(const EnumEntry<E> (&table)[N], std::string_view name,
                         std::string_view type_name) {
  for (const auto& e : table) {
    if (e.name == name) return e.value;
  }
  std::string message = "unknown ";
  message.append(type_name).append(" value");
  return Status::InvalidArgument(message);
}

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_ENUM_TABLE_H_
