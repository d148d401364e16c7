// SPDX-License-Identifier: Apache-2.0
#include "json/text_archive.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/uuid_text.h"

namespace bulwark::internal {

void TextArchive::Integer(std::string_view key, std::int64_t v) {
  Begin(key);
  char buffer[24];
  const std::to_chars_result end = std::to_chars(buffer, buffer + sizeof(buffer), v);
  values_.append(buffer, end.ptr);
  End();
}

void TextArchive::UuidMember(std::string_view key, const Uuid& uuid) {
  Begin(key);
  char text[kUuidTextLength + 2];
  text[0] = '"';
  FormatUuid(uuid, text + 1);
  text[kUuidTextLength + 1] = '"';
  values_.append(text, sizeof text);
  End();
}

void TextArchive::Json(std::string_view key, const nlohmann::json& v) {
  Begin(key);
  const std::size_t begin = values_.size();
  Status appended = AppendJson(v, values_);
  if (!appended.ok()) {
    values_.resize(begin);
    values_.append("null");
    if (status_.ok()) status_ = std::move(appended);
  }
  End();
}

namespace {

// A member name that needs no escaping (the Maps' names are plain identifiers).
bool IsPlainName(std::string_view name) {
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

void TextArchive::AppendObject(std::string& out) {
  // nlohmann keeps an object's members in a std::map: sorted by name, the last write of a
  // name replacing the earlier ones. An insertion sort on the member indices: a document has
  // a few dozen members, and ties keep the order they were written in.
  constexpr std::size_t kInline = 64;
  std::uint32_t inline_order[kInline];
  std::vector<std::uint32_t> heap_order;
  std::uint32_t* order = inline_order;
  const std::size_t n = members_.size();
  if (n > kInline) {
    heap_order.resize(n);
    order = heap_order.data();
  }
  const auto less = [&](std::uint32_t a, std::uint32_t b) {
    const std::string_view x = members_[a].key;
    const std::string_view y = members_[b].key;
    if (!x.empty() && !y.empty() && x.front() != y.front()) return x.front() < y.front();
    return x < y;
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    std::size_t j = i;
    while (j > 0 && less(i, order[j - 1])) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = i;
  }
  out.push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < n; ++i) {
    const Member& member = members_[order[i]];
    if (i + 1 < n && member.key == members_[order[i + 1]].key) continue;
    if (!first) out.push_back(',');
    first = false;
    if (IsPlainName(member.key)) {
      out.push_back('"');
      out.append(member.key);
      out.push_back('"');
    } else {
      Status key = AppendJsonString(member.key, out);
      if (!key.ok() && status_.ok()) status_ = std::move(key);
    }
    out.push_back(':');
    out.append(values_, member.begin, member.end - member.begin);
  }
  out.push_back('}');
}

}  // namespace bulwark::internal
