// SPDX-License-Identifier: Apache-2.0
#include "json/write.h"

#include <charconv>
#include <cstdint>
#include <exception>
#include <string_view>

#include "json/scan.h"

namespace bulwark::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Appends `text` as a JSON string the way nlohmann's dump writes it (ensure_ascii off):
// '"' and '\\' escaped, \b \t \n \f \r by name, other controls as \u00xx, everything else
// as is. False, with nothing appended, when `text` is not plain ASCII: nlohmann then writes
// it, checking the UTF-8. Plain characters are found eight at a time and copied in runs.
bool AppendAsciiString(std::string_view text, std::string& out) {
  const std::size_t start = out.size();
  out.push_back('"');
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* run = p;  // start of the characters not yet copied
  for (;;) {
    while (end - p >= 8 && !Special8(p)) p += 8;
    while (p != end) {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++p;
    }
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80) {
      out.resize(start);
      return false;
    }
    out.append(run, p);
    ++p;
    run = p;
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
  out.append(run, p);
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
  out.reserve(512);  // a token's claims: one allocation instead of a doubling series
  try {
    Append(value, out);
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
  return out;
}

Status AppendJson(const nlohmann::json& value, std::string& out) {
  try {
    Append(value, out);
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
  return Status::Ok();
}

Status AppendJsonString(std::string_view text, std::string& out) {
  if (AppendAsciiString(text, out)) return Status::Ok();
  try {
    out.append(nlohmann::json(std::string(text)).dump());
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
  return Status::Ok();
}

}  // namespace bulwark::internal
