// SPDX-License-Identifier: Apache-2.0
// Private: a writing archive (json/json_io.h) that writes JSON text straight from a model
// object, without building an nlohmann DOM first.
//
// The text is exactly WriteJson(WriteMapped(v, ...)): the same members omitted (empty strings,
// nil ids, absent optionals, empty lists), members in nlohmann's order (sorted by name; of two
// equal names the last one written wins), strings escaped alike. It runs the same Map, so a
// field added to a model type is written by both. The stored documents of users and
// registrations (store/sqlite/codec.h) are written through it: building and freeing the DOM
// was most of their cost.
//
//   TextArchive io;
//   Map(io, user, options);
//   BULWARK_ASSIGN_OR_RETURN(std::string text, io.Finish());
//
// Not thread-safe: one archive per document, used by one thread.
#ifndef BULWARK_JSON_TEXT_ARCHIVE_H_
#define BULWARK_JSON_TEXT_ARCHIVE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"
#include "bulwark/secret_string.h"
#include "bulwark/status.h"
#include "core/enum_table.h"
#include "json/json_io.h"
#include "json/write.h"

namespace bulwark::internal {

class TextArchive {
 public:
  static constexpr bool kReading = false;
  static constexpr bool kWriting = true;

  // `omit`: a top-level member left out of the text (e.g. a user's "registrations", which
  // the store keeps elsewhere); "" omits nothing.
  explicit TextArchive(std::string_view omit = {}) : omit_(omit) {
    members_.reserve(40);  // a user has about that many
    values_.reserve(512);
  }
  TextArchive(const TextArchive&) = delete;
  TextArchive& operator=(const TextArchive&) = delete;

  void operator()(std::string_view key, const std::string& v) {
    if (!v.empty()) StringMember(key, v);
  }
  void operator()(std::string_view key, const bool& v) {
    Begin(key);
    values_.append(v ? "true" : "false");
    End();
  }
  void operator()(std::string_view key, const int& v) { Integer(key, v); }
  void operator()(std::string_view key, const std::int64_t& v) { Integer(key, v); }
  void operator()(std::string_view key, const double& v) { Json(key, nlohmann::json(v)); }
  void operator()(std::string_view key, const std::optional<bulwark::Instant>& v) {
    if (v.has_value()) Integer(key, ToEpochMillis(*v));
  }
  void operator()(std::string_view key, const std::vector<std::string>& v) {
    if (!v.empty()) StringArray(key, v);
  }
  void operator()(std::string_view key, const std::vector<std::string>& v, KeepEmpty) {
    StringArray(key, v);
  }
  void operator()(std::string_view key, const std::optional<int>& v) {
    if (v.has_value()) Integer(key, *v);
  }
  void operator()(std::string_view key, const SecretString& v) {
    if (!v.empty()) StringMember(key, v.view());
  }
  template <typename V>
  void operator()(std::string_view key, const std::map<std::string, V>& v) {
    if (!v.empty()) Json(key, nlohmann::json(v));
  }
  template <typename Tag>
  void operator()(std::string_view key, const bulwark::Id<Tag>& v) {
    if (!v.IsNil()) UuidMember(key, v.uuid());
  }
  template <typename Tag>
  void operator()(std::string_view key, const std::optional<bulwark::Id<Tag>>& v) {
    if (v.has_value()) UuidMember(key, v->uuid());
  }
  template <typename Tag>
  void operator()(std::string_view key, const std::vector<bulwark::Id<Tag>>& v) {
    if (v.empty()) return;
    Begin(key);
    values_.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) values_.push_back(',');
      AppendString(v[i].ToString());
    }
    values_.push_back(']');
    End();
  }
  template <WireEnum E>
  void operator()(std::string_view key, const E& v) {
    StringMember(key, EnumName(v));
  }
  template <WireEnum E>
  void operator()(std::string_view key, const std::optional<E>& v) {
    if (v.has_value()) (*this)(key, *v);
  }
  template <WireEnum E>
  void operator()(std::string_view key, const std::vector<E>& v) {
    if (!v.empty()) (*this)(key, v, kKeepEmpty);
  }
  template <WireEnum E>
  void operator()(std::string_view key, const std::vector<E>& v, KeepEmpty) {
    Begin(key);
    values_.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) values_.push_back(',');
      AppendString(EnumName(v[i]));
    }
    values_.push_back(']');
    End();
  }

  // Written unless null or an empty object.
  void Object(std::string_view key, const nlohmann::json& v) {
    if (!v.is_null() && !(v.is_object() && v.empty())) Json(key, v);
  }
  // Written unless null.
  void Any(std::string_view key, const nlohmann::json& v) {
    if (!v.is_null()) Json(key, v);
  }
  void Data(std::string_view key, const nlohmann::json& v) { Any(key, v); }

  template <typename V>
  void ReadOnly(std::string_view key, const V& v) {
    (*this)(key, v);
  }

  // A nested object: always written, even when all its members are omitted ({}).
  template <typename T>
  void Nested(std::string_view key, const T& v) {
    Nested(key, v, [](TextArchive& io, const T& x) { Map(io, x); });
  }
  template <typename T, typename F>
  void Nested(std::string_view key, const T& v, F&& map) {
    TextArchive child;
    map(child, v);
    Begin(key);
    child.AppendObject(values_);
    End();
    if (status_.ok()) status_ = std::move(child.status_);
  }
  template <typename T>
  void Nested(std::string_view key, const std::optional<T>& v) {
    if (v.has_value()) Nested(key, *v);
  }
  template <typename T>
  void List(std::string_view key, const std::vector<T>& v) {
    List(key, v, [](TextArchive& io, const T& x) { Map(io, x); });
  }
  template <typename T, typename F>
  void List(std::string_view key, const std::vector<T>& v, F&& map) {
    if (v.empty()) return;
    Begin(key);
    values_.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) values_.push_back(',');
      TextArchive child;
      map(child, v[i]);
      child.AppendObject(values_);
      if (status_.ok()) status_ = std::move(child.status_);
    }
    values_.push_back(']');
    End();
  }

  // The object written so far; kInvalidArgument when a string was not valid UTF-8.
  Result<std::string> Finish() {
    std::string out;
    out.reserve(values_.size() + 24 * members_.size() + 2);
    AppendObject(out);
    if (!status_.ok()) return status_;
    return out;
  }

 private:
  // One member: its name and where its value's text is in values_.
  struct Member {
    std::string_view key;
    std::uint32_t begin;
    std::uint32_t end;
  };

  void Begin(std::string_view key) {
    members_.push_back({key, static_cast<std::uint32_t>(values_.size()), 0});
  }
  void End() {
    Member& member = members_.back();
    member.end = static_cast<std::uint32_t>(values_.size());
    if (!omit_.empty() && member.key == omit_) {
      values_.resize(member.begin);
      members_.pop_back();
    }
  }
  void AppendString(std::string_view text) {
    Status appended = AppendJsonString(text, values_);
    if (!appended.ok() && status_.ok()) status_ = std::move(appended);
  }
  void StringMember(std::string_view key, std::string_view text) {
    Begin(key);
    AppendString(text);
    End();
  }
  void StringArray(std::string_view key, const std::vector<std::string>& v) {
    Begin(key);
    values_.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) values_.push_back(',');
      AppendString(v[i]);
    }
    values_.push_back(']');
    End();
  }
  void Integer(std::string_view key, std::int64_t v);
  // Uuid::ToString's text, quoted, without the temporary string.
  void UuidMember(std::string_view key, const Uuid& uuid);
  void Json(std::string_view key, const nlohmann::json& v);
  // Appends the members, sorted by name, as one object.
  void AppendObject(std::string& out);

  std::string_view omit_;
  std::vector<Member> members_;
  std::string values_;
  Status status_;
};

}  // namespace bulwark::internal

#endif  // BULWARK_JSON_TEXT_ARCHIVE_H_
