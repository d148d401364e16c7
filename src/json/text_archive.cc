// SPDX-License-Identifier: Apache-2.0
#include "json/text_archive.h"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace bulwark::internal {

void TextArchive::Integer(std::string_view key, std::int64_t v) {
  Begin(key);
  char buffer[24];
  const std::to_chars_result end = std::to_chars(buffer, buffer + sizeof(buffer), v);
  values_.append(buffer, end.ptr);
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

void TextArchive::AppendObject(std::string& out) {
  // nlohmann keeps an object's members in a std::map: sorted by name, the last write of a
  // name replacing the earlier ones.
  std::vector<std::uint32_t> order(members_.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return members_[a].key < members_[b].key;
  });
  out.push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i + 1 < order.size() && members_[order[i]].key == members_[order[i + 1]].key) continue;
    const Member& member = members_[order[i]];
    if (!first) out.push_back(',');
    first = false;
    Status key = AppendJsonString(member.key, out);
    if (!key.ok() && status_.ok()) status_ = std::move(key);
    out.push_back(':');
    out.append(values_, member.begin, member.end - member.begin);
  }
  out.push_back('}');
}

}  // namespace bulwark::internal
