// SPDX-License-Identifier: Apache-2.0
#include "json/text_archive.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
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

// The sorted order of the last few member lists seen on this thread. A model type's Map
// writes the same names in the same order for every object it writes (a user omits the same
// empty members as the next user, mostly), so an import of 100,000 users sorts a handful of
// distinct lists; each hit is checked to sort the members it is used for, so a collision
// costs a sort, never a wrong order.
struct CachedOrder {
  std::uint64_t hash = 0;
  std::vector<std::uint32_t> order;
};
constexpr std::size_t kCachedOrders = 16;
thread_local CachedOrder cached_orders[kCachedOrders];

}  // namespace

void TextArchive::AppendObject(std::string& out) {
  // nlohmann keeps an object's members in a std::map: sorted by name, the last write of a
  // name replacing the earlier ones. An insertion sort on the member indices (a document has
  // a few dozen members, and ties keep the order they were written in), unless this list of
  // names was sorted a moment ago.
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
  // The names are the Maps' string literals: their addresses and sizes identify the list.
  std::uint64_t hash = 0xcbf29ce484222325ull ^ n;
  for (const Member& member : members_) {
    hash = (hash ^ reinterpret_cast<std::uintptr_t>(member.key.data())) * 0x100000001b3ull;
    hash = (hash ^ member.key.size()) * 0x100000001b3ull;
  }
  CachedOrder& cached = cached_orders[(hash >> 32) % kCachedOrders];
  // The order the insertion sort gives is the one permutation of 0..n-1 whose names never
  // go down and whose equal names keep their indices ascending: a cached permutation of n
  // indices that passes this check is that order.
  bool sorted = cached.hash == hash && cached.order.size() == n;
  if (sorted) {
    std::copy(cached.order.begin(), cached.order.end(), order);
    for (std::size_t i = 1; i < n && sorted; ++i) {
      const std::uint32_t a = order[i - 1];
      const std::uint32_t b = order[i];
      sorted = less(a, b) || (!less(b, a) && a < b);
    }
  }
  if (!sorted) {
    for (std::uint32_t i = 0; i < n; ++i) {
      std::size_t j = i;
      while (j > 0 && less(i, order[j - 1])) {
        order[j] = order[j - 1];
        --j;
      }
      order[j] = i;
    }
    cached.hash = hash;
    cached.order.assign(order, order + n);
  }
  // The kept members (the last of equal names) in order; with plain names (always, for the
  // Maps' names), the text is copied into place in one pass over a buffer sized once.
  bool plain = true;
  std::size_t size = 2;  // {}
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Member& member = members_[order[i]];
    if (i + 1 < n && member.key == members_[order[i + 1]].key) continue;
    plain = plain && IsPlainName(member.key);
    size += member.key.size() + 3 + (member.end - member.begin);  // "key":value
    order[kept++] = order[i];
  }
  if (plain) {
    const std::size_t start = out.size();
    out.resize(start + size + (kept > 0 ? kept - 1 : 0));  // and the commas
    char* p = out.data() + start;
    *p++ = '{';
    for (std::size_t i = 0; i < kept; ++i) {
      const Member& member = members_[order[i]];
      if (i != 0) *p++ = ',';
      *p++ = '"';
      if (!member.key.empty()) std::memcpy(p, member.key.data(), member.key.size());
      p += member.key.size();
      *p++ = '"';
      *p++ = ':';
      std::memcpy(p, values_.data() + member.begin, member.end - member.begin);
      p += member.end - member.begin;
    }
    *p = '}';
    return;
  }
  out.push_back('{');
  for (std::size_t i = 0; i < kept; ++i) {
    const Member& member = members_[order[i]];
    if (i != 0) out.push_back(',');
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
