// SPDX-License-Identifier: Apache-2.0
#include "json/write.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string_view>

namespace bulwark::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Eight bytes of text, at any alignment.
std::uint64_t Word(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// Whether a byte of `word`, whose bytes are all ASCII (below 0x80), is a control character,
// '"' or '\\'. With no byte at 0x80 or above, a subtraction borrows only from a byte below
// the subtrahend, so each test is exact.
bool NeedsEscape(std::uint64_t word) {
  const std::uint64_t below_space = word - kOnes * 0x20;
  const std::uint64_t quote = (word ^ (kOnes * '"')) - kOnes;
  const std::uint64_t backslash = (word ^ (kOnes * '\\')) - kOnes;
  return ((below_space | quote | backslash) & kHighBits) != 0;
}

// Appends `text` as a JSON string the way nlohmann's dump writes it (ensure_ascii off):
// '"' and '\\' escaped, \b \t \n \f \r by name, other controls as \u00xx, everything else
// as is. False, with nothing appended, when `text` is not plain ASCII: nlohmann then writes
// it, checking the UTF-8. Eight bytes at a time where nothing needs escaping.
bool AppendAsciiString(std::string_view text, std::string& out) {
  const std::size_t start = out.size();
  out.reserve(start + text.size() + 2);
  out.push_back('"');
  const char* data = text.data();
  const std::size_t size = text.size();
  std::size_t run = 0;  // start of the characters not yet copied
  std::size_t i = 0;
  while (i < size) {
    if (size - i >= sizeof(std::uint64_t)) {
      const std::uint64_t word = Word(data + i);
      if ((word & kHighBits) != 0) {
        out.resize(start);
        return false;
      }
      if (!NeedsEscape(word)) {
        i += sizeof(std::uint64_t);
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x80) {
      out.resize(start);
      return false;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(data + run, i - run);
    run = ++i;
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
  out.append(data + run, size - run);
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
  out.reserve(256);
  try {
    Append(value, out);
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
  return out;
}

}  // namespace bulwark::internal
