// SPDX-License-Identifier: Apache-2.0
// Private: non-throwing helpers that read and write model objects in FusionAuth's wire shape.
//
// ObjectReader walks one JSON object, converting members into typed fields and collecting
// FusionAuth field errors ("[couldNotConvert]user.email", "[invalid]tenant.state") under the
// object's path; absent or null members leave the field at its default. ObjectWriter writes
// members, omitting empty strings, nil ids, absent optionals and empty arrays.
#ifndef BULWARK_JSON_JSON_IO_H_
#define BULWARK_JSON_JSON_IO_H_

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
#include "bulwark/status.h"

namespace bulwark::internal {

class ObjectReader {
 public:
  // `json` must outlive the reader. A non-object adds [couldNotConvert]path.
  ObjectReader(const nlohmann::json& json, std::string path, Errors& errors);

  bool valid() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  // The member, or nullptr when absent or null.
  const nlohmann::json* Find(std::string_view key) const;
  std::string PathOf(std::string_view key) const;
  void AddError(std::string_view kind, std::string_view key);

  void String(std::string_view key, std::string& out);
  void Bool(std::string_view key, bool& out);
  void Int(std::string_view key, int& out);
  void Int64(std::string_view key, std::int64_t& out);
  void Double(std::string_view key, double& out);
  void Instant(std::string_view key, std::optional<bulwark::Instant>& out);
  void Strings(std::string_view key, std::vector<std::string>& out);
  // Any JSON value (free-form `data`, unmodelled configuration).
  void Any(std::string_view key, nlohmann::json& out);
  // An object member kept as JSON (must be an object).
  void Object(std::string_view key, nlohmann::json& out);

  template <typename Tag>
  void Id(std::string_view key, bulwark::Id<Tag>& out) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_string()) return AddError("couldNotConvert", key);
    auto parsed = bulwark::Id<Tag>::Parse(v->get_ref<const std::string&>());
    if (!parsed.ok()) return AddError("couldNotConvert", key);
    out = *parsed;
  }
  template <typename Tag>
  void OptionalId(std::string_view key, std::optional<bulwark::Id<Tag>>& out) {
    bulwark::Id<Tag> id;
    if (Find(key) == nullptr) return;
    const std::size_t before = ErrorCount();
    Id(key, id);
    if (ErrorCount() == before) out = id;
  }
  template <typename Tag>
  void Ids(std::string_view key, std::vector<bulwark::Id<Tag>>& out) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_array()) return AddError("couldNotConvert", key);
    out.clear();
    for (const nlohmann::json& item : *v) {
      if (!item.is_string()) return AddError("couldNotConvert", key);
      auto parsed = bulwark::Id<Tag>::Parse(item.get_ref<const std::string&>());
      if (!parsed.ok()) return AddError("couldNotConvert", key);
      out.push_back(*parsed);
    }
  }
  // Enums by wire name; an unknown value is [invalid]path.key.
  template <typename E>
  void Enum(std::string_view key, E& out, Result<E> (*parse)(std::string_view)) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_string()) return AddError("couldNotConvert", key);
    Result<E> parsed = parse(v->get_ref<const std::string&>());
    if (!parsed.ok()) return AddError("invalid", key);
    out = *parsed;
  }
  template <typename E>
  void OptionalEnum(std::string_view key, std::optional<E>& out,
                    Result<E> (*parse)(std::string_view)) {
    if (Find(key) == nullptr) return;
    E value{};
    const std::size_t before = ErrorCount();
    Enum(key, value, parse);
    if (ErrorCount() == before) out = value;
  }
  template <typename E>
  void Enums(std::string_view key, std::vector<E>& out, Result<E> (*parse)(std::string_view)) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_array()) return AddError("couldNotConvert", key);
    out.clear();
    for (const nlohmann::json& item : *v) {
      if (!item.is_string()) return AddError("couldNotConvert", key);
      Result<E> parsed = parse(item.get_ref<const std::string&>());
      if (!parsed.ok()) return AddError("invalid", key);
      out.push_back(*parsed);
    }
  }
  // A nested object read by `read(reader, out)`; absent leaves `out` at its defaults.
  template <typename T, typename F>
  void Nested(std::string_view key, T& out, F&& read) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    ObjectReader child(*v, PathOf(key), *errors_);
    if (child.valid()) read(child, out);
  }
  // An array of objects, each read by `read(reader, element)`.
  template <typename T, typename F>
  void NestedList(std::string_view key, std::vector<T>& out, F&& read) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_array()) return AddError("couldNotConvert", key);
    out.clear();
    for (const nlohmann::json& item : *v) {
      T element{};
      ObjectReader child(item, PathOf(key), *errors_);
      if (!child.valid()) return;
      read(child, element);
      out.push_back(std::move(element));
    }
  }
  // A map of string -> object, each read by `read(reader, element)`.
  template <typename T, typename F>
  void NestedMap(std::string_view key, std::map<std::string, T>& out, F&& read) {
    const nlohmann::json* v = Find(key);
    if (v == nullptr) return;
    if (!v->is_object()) return AddError("couldNotConvert", key);
    out.clear();
    for (auto it = v->begin(); it != v->end(); ++it) {
      T element{};
      ObjectReader child(it.value(), PathOf(key) + "." + it.key(), *errors_);
      if (!child.valid()) return;
      read(child, element);
      out.emplace(it.key(), std::move(element));
    }
  }

  std::size_t ErrorCount() const;

 private:
  const nlohmann::json* object_ = nullptr;
  std::string path_;
  Errors* errors_;
};

class ObjectWriter {
 public:
  explicit ObjectWriter(nlohmann::json& out) : out_(out) {
    if (!out_.is_object()) out_ = nlohmann::json::object();
  }
  void String(std::string_view key, const std::string& v) {
    if (!v.empty()) out_[std::string(key)] = v;
  }
  void Bool(std::string_view key, bool v) { out_[std::string(key)] = v; }
  void Int(std::string_view key, std::int64_t v) { out_[std::string(key)] = v; }
  void Double(std::string_view key, double v) { out_[std::string(key)] = v; }
  void Instant(std::string_view key, const std::optional<bulwark::Instant>& v) {
    if (v.has_value()) out_[std::string(key)] = ToEpochMillis(*v);
  }
  void Strings(std::string_view key, const std::vector<std::string>& v) {
    if (!v.empty()) out_[std::string(key)] = v;
  }
  // Written unless null.
  void Any(std::string_view key, const nlohmann::json& v) {
    if (!v.is_null()) out_[std::string(key)] = v;
  }
  // Written unless null or an empty object.
  void Object(std::string_view key, const nlohmann::json& v) {
    if (!v.is_null() && !(v.is_object() && v.empty())) out_[std::string(key)] = v;
  }
  template <typename Tag>
  void Id(std::string_view key, const bulwark::Id<Tag>& v) {
    if (!v.IsNil()) out_[std::string(key)] = v.ToString();
  }
  template <typename Tag>
  void OptionalId(std::string_view key, const std::optional<bulwark::Id<Tag>>& v) {
    if (v.has_value()) out_[std::string(key)] = v->ToString();
  }
  template <typename Tag>
  void Ids(std::string_view key, const std::vector<bulwark::Id<Tag>>& v) {
    if (v.empty()) return;
    nlohmann::json& arr = out_[std::string(key)] = nlohmann::json::array();
    for (const auto& id : v) arr.push_back(id.ToString());
  }
  template <typename E>
  void Enum(std::string_view key, E v) {
    out_[std::string(key)] = std::string(ToString(v));
  }
  template <typename E>
  void OptionalEnum(std::string_view key, const std::optional<E>& v) {
    if (v.has_value()) out_[std::string(key)] = std::string(ToString(*v));
  }
  template <typename E>
  void Enums(std::string_view key, const std::vector<E>& v) {
    if (v.empty()) return;
    nlohmann::json& arr = out_[std::string(key)] = nlohmann::json::array();
    for (E e : v) arr.push_back(std::string(ToString(e)));
  }
  template <typename T, typename F>
  void Nested(std::string_view key, const T& v, F&& write) {
    nlohmann::json child = nlohmann::json::object();
    ObjectWriter w(child);
    write(w, v);
    out_[std::string(key)] = std::move(child);
  }
  template <typename T, typename F>
  void NestedList(std::string_view key, const std::vector<T>& v, F&& write) {
    if (v.empty()) return;
    nlohmann::json arr = nlohmann::json::array();
    for (const T& e : v) {
      nlohmann::json child = nlohmann::json::object();
      ObjectWriter w(child);
      write(w, e);
      arr.push_back(std::move(child));
    }
    out_[std::string(key)] = std::move(arr);
  }
  template <typename T, typename F>
  void NestedMap(std::string_view key, const std::map<std::string, T>& v, F&& write) {
    if (v.empty()) return;
    nlohmann::json obj = nlohmann::json::object();
    for (const auto& [k, e] : v) {
      nlohmann::json child = nlohmann::json::object();
      ObjectWriter w(child);
      write(w, e);
      obj[k] = std::move(child);
    }
    out_[std::string(key)] = std::move(obj);
  }

 private:
  nlohmann::json& out_;
};

// Runs `read` on `json` under `path` and returns the object, or the collected field errors
// as Status::Validation. Exceptions from nlohmann (defence in depth) become kInvalidArgument.
template <typename T, typename F>
Result<T> ReadObject(const nlohmann::json& json, std::string_view path, F&& read) {
  try {
    Errors errors;
    T out{};
    ObjectReader reader(json, std::string(path), errors);
    if (reader.valid()) read(reader, out);
    if (!errors.empty()) return Status::Validation(std::move(errors));
    return out;
  } catch (const std::exception&) {
    return Status::FieldError("couldNotConvert", path, "the JSON could not be read");
  }
}

}  // namespace bulwark::internal

#endif  // BULWARK_JSON_JSON_IO_H_
