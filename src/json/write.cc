// SPDX-License-Identifier: Apache-2.0
#include "json/write.h"

#include <charconv>
#include <cstdint>
#include <exception>
#include <string_view>

namespace bulwark::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Appends `text` as a JSON string the way nlohmann's dump writes it (ensure_ascii off):
// '"' and '\\' escaped, \b \t \n \f \r by name, other controls as \u00xx, everything else
// as is. False, with nothing appended, when `text` is not plain ASCII: nlohmann then writes
// it, checking the UTF-8.
bool AppendAsciiString(std::string_view text, std::string& out) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  out.push_back('"');
  std::size_t run = 0;  // start of the characters not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\r':
        out.append("\\r");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
        break;
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
  return true;
}

template <typename Integer>
void AppendInteger(Integer value, std::string& out) {
  char buffer[24];
  const std::to_chars_result end = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, end.ptr);
}

// Throws nlohmann's type_error for invalid UTF-8 (from the fallback dumps).
void Append(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        if (!AppendAsciiString(key, out)) out.append(nlohmann::json(key).dump());
        out.push_back(':');
        Append(member, out);
      }
      out.push_back('}');
      return;
    }
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const nlohmann::json& element : value.get_ref<const nlohmann::json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        Append(element, out);
      }
      out.push_back(']');
      return;
    }
    case nlohmann::json::value_t::string:
      if (!AppendAsciiString(value.get_ref<const std::string&>(), out)) out.append(value.dump());
      return;
    case nlohmann::json::value_t::boolean:
      out.append(value.get<bool>() ? "true" : "false");
      return;
    case nlohmann::json::value_t::null:
      out.append("null");
      return;
    case nlohmann::json::value_t::number_integer:
      AppendInteger(value.get<std::int64_t>(), out);
      return;
    case nlohmann::json::value_t::number_unsigned:
      AppendInteger(value.get<std::uint64_t>(), out);
      return;
    default:  // floating point, binary, discarded: nlohmann's own text
      out.append(value.dump());
      return;
  }
}

}  // namespace

Result<std::string> WriteJson(const nlohmann::json& value) {
  std::string out;
  try {
    Append(value, out);
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
  return out;
}

}  // namespace bulwark::internal
