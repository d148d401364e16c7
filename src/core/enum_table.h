// SPDX-License-Identifier: Apache-2.0
// Private: constexpr tables that map `enum class` values to their wire names and back.
//
// An enum with FusionAuth wire names specialises EnumTraits once, next to the others of its
// layer (the model's are in src/model/enum_traits.h):
//
//   template <>
//   struct EnumTraits<ObjectState> {
//     static constexpr std::string_view kTypeName = "ObjectState";  // FusionAuth's type name
//     static constexpr EnumEntry<ObjectState> kTable[] = {
//         {ObjectState::kActive, "Active"}, ...};
//   };
//
// and every conversion goes through the table: EnumName(v), ParseEnum<E>(s), and the JSON
// archives (json/json_io.h), which need no parse function for a WireEnum.
// EnumToString/EnumFromString over a bare table remain for enums without traits.
#ifndef BULWARK_CORE_ENUM_TABLE_H_
#define BULWARK_CORE_ENUM_TABLE_H_

#include <concepts>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

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

// Specialised per enum with `kTypeName` and `kTable` (see the top of this file).
template <typename E>
struct EnumTraits;

// An enum whose EnumTraits specialisation is visible.
template <typename E>
concept WireEnum = std::is_enum_v<E> && requires {
  { EnumTraits<E>::kTypeName } -> std::convertible_to<std::string_view>;
  EnumTraits<E>::kTable[0].name;
};

// The wire name of `value`; "" for a value outside the table.
template <WireEnum E>
constexpr std::string_view EnumName(E value) {
  return EnumToString(EnumTraits<E>::kTable, value);
}

// The value named `name`, or kInvalidArgument "unknown <kTypeName> value".
template <WireEnum E>
Result<E> ParseEnum(std::string_view name) {
  return EnumFromString(EnumTraits<E>::kTable, name, EnumTraits<E>::kTypeName);
}

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_ENUM_TABLE_H_
