// SPDX-License-Identifier: Apache-2.0
// Private: non-throwing helpers that read and write model objects in FusionAuth's wire shape.
//
// ObjectReader walks one JSON object, converting members into typed fields and collecting
// FusionAuth field errors ("[couldNotConvert]user.email", "[invalid]tenant.state") under the
// object's path; absent or null members leave the field at its default. ObjectWriter writes
// members, omitting empty strings, nil ids, absent optionals and empty arrays.
//
// ReadArchive and WriteArchive put one interface over the two, so that each model type has a
// single mapping that both run (the cereal / boost.serialization "archive" idiom):
//
//   template <class IO>
//   void Map(IO& io, Mapped<IO, Role>& v) {    // Role& when reading, const Role& when writing
//     io("id", v.id);
//     io("name", v.name);
//     io("state", v.state);                     // an enum with EnumTraits: no parse function
//     io.Nested("configuration", v.configuration);  // runs the Map of the member's type
//     if (IO::kReading || v.count > 0) io("count", v.count);  // an asymmetry, explicit
//   }
//
// Map overloads live in namespace bulwark::internal, where the archives find them (ADL).
// ReadMapped / WriteMapped run a type's Map over a whole document.
#ifndef BULWARK_JSON_JSON_IO_H_
#define BULWARK_JSON_JSON_IO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"
#include "bulwark/secret_string.h"
#include "bulwark/status.h"
#include "core/enum_table.h"

namespace bulwark::internal {

class ObjectReader {
 public:
  // `json` must outlive the reader. A non-object adds [couldNotConvert]path.
  ObjectReader(const nlohmann::json& json, std::string path, Errors& errors);

  bool valid() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  // The object being read (valid() only).
  const nlohmann::json& object() const { return *object_; }
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
  // The object being written.
  nlohmann::json& object() { return out_; }
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

// Mapped<IO, T> is T for a reading archive and const T for a writing one.
template <typename IO, typename T>
using Mapped = std::conditional_t<IO::kWriting, const T, T>;

// Passed after a string or enum list that is written even when empty ("roles": []).
struct KeepEmpty {};
inline constexpr KeepEmpty kKeepEmpty{};

// Reading side of a Map: every call converts one member, with ObjectReader's errors.
class ReadArchive {
 public:
  static constexpr bool kReading = true;
  static constexpr bool kWriting = false;

  explicit ReadArchive(ObjectReader& reader) : r_(reader) {}
  ObjectReader& reader() { return r_; }

  void operator()(std::string_view key, std::string& v) { r_.String(key, v); }
  void operator()(std::string_view key, bool& v) { r_.Bool(key, v); }
  void operator()(std::string_view key, int& v) { r_.Int(key, v); }
  void operator()(std::string_view key, std::int64_t& v) { r_.Int64(key, v); }
  void operator()(std::string_view key, double& v) { r_.Double(key, v); }
  void operator()(std::string_view key, std::optional<bulwark::Instant>& v) { r_.Instant(key, v); }
  void operator()(std::string_view key, std::vector<std::string>& v) { r_.Strings(key, v); }
  void operator()(std::string_view key, std::vector<std::string>& v, KeepEmpty) {
    r_.Strings(key, v);
  }
  // Absent leaves the optional empty.
  void operator()(std::string_view key, std::optional<int>& v) {
    if (r_.Find(key) == nullptr) return;
    int value = 0;
    const std::size_t before = r_.ErrorCount();
    r_.Int(key, value);
    if (r_.ErrorCount() == before) v = value;
  }
  // A secret: an empty string leaves it unset.
  void operator()(std::string_view key, SecretString& v) {
    std::string text;
    r_.String(key, text);
    if (!text.empty()) v = std::move(text);  // wipes `text`
  }
  // An object of strings, or of string arrays; any other shape is [couldNotConvert]key.
  template <typename V>
  void operator()(std::string_view key, std::map<std::string, V>& v) {
    const nlohmann::json* map = r_.Find(key);
    if (map == nullptr) return;
    if (!map->is_object()) return r_.AddError("couldNotConvert", key);
    for (auto it = map->begin(); it != map->end(); ++it) {
      V value;
      if (!ReadValue(*it, value)) return r_.AddError("couldNotConvert", key);
      v[it.key()] = std::move(value);
    }
  }
  template <typename Tag>
  void operator()(std::string_view key, bulwark::Id<Tag>& v) {
    r_.Id(key, v);
  }
  template <typename Tag>
  void operator()(std::string_view key, std::optional<bulwark::Id<Tag>>& v) {
    r_.OptionalId(key, v);
  }
  template <typename Tag>
  void operator()(std::string_view key, std::vector<bulwark::Id<Tag>>& v) {
    r_.Ids(key, v);
  }
  template <WireEnum E>
  void operator()(std::string_view key, E& v) {
    r_.Enum(key, v, &ParseEnum<E>);
  }
  template <WireEnum E>
  void operator()(std::string_view key, std::optional<E>& v) {
    r_.OptionalEnum(key, v, &ParseEnum<E>);
  }
  template <WireEnum E>
  void operator()(std::string_view key, std::vector<E>& v) {
    r_.Enums(key, v, &ParseEnum<E>);
  }
  template <WireEnum E>
  void operator()(std::string_view key, std::vector<E>& v, KeepEmpty) {
    r_.Enums(key, v, &ParseEnum<E>);
  }

  // JSON kept as JSON. Object: must be an object; written unless null or {}.
  void Object(std::string_view key, nlohmann::json& v) { r_.Object(key, v); }
  // Any JSON value; written unless null.
  void Any(std::string_view key, nlohmann::json& v) { r_.Any(key, v); }
  // A top-level `data`: must be an object; written unless null (an empty object is written).
  void Data(std::string_view key, nlohmann::json& v) { r_.Object(key, v); }

  // A member that is written but never read (e.g. oauthConfiguration.clientId).
  template <typename V>
  void ReadOnly(std::string_view, const V&) {}

  // A nested object, mapped by the Map of T or by `map(io, v)`.
  template <typename T>
  void Nested(std::string_view key, T& v) {
    Nested(key, v, [](ReadArchive& io, T& x) { Map(io, x); });
  }
  template <typename T, typename F>
  void Nested(std::string_view key, T& v, F&& map) {
    r_.Nested(key, v, [&](ObjectReader& child, T& x) {
      ReadArchive io(child);
      map(io, x);
    });
  }
  // Present: read into a default T; absent: left empty.
  template <typename T>
  void Nested(std::string_view key, std::optional<T>& v) {
    if (r_.Find(key) == nullptr) return;
    T value{};
    Nested(key, value);
    v = std::move(value);
  }
  // An array of objects.
  template <typename T>
  void List(std::string_view key, std::vector<T>& v) {
    List(key, v, [](ReadArchive& io, T& x) { Map(io, x); });
  }
  template <typename T, typename F>
  void List(std::string_view key, std::vector<T>& v, F&& map) {
    r_.NestedList(key, v, [&](ObjectReader& child, T& x) {
      ReadArchive io(child);
      map(io, x);
    });
  }

 private:
  static bool ReadValue(const nlohmann::json& j, std::string& out) {
    if (!j.is_string()) return false;
    out = j.get_ref<const std::string&>();
    return true;
  }
  static bool ReadValue(const nlohmann::json& j, std::vector<std::string>& out) {
    if (!j.is_array()) return false;
    for (const nlohmann::json& item : j) {
      if (!item.is_string()) return false;
      out.push_back(item.get_ref<const std::string&>());
    }
    return true;
  }

  ObjectReader& r_;
};

// Writing side of a Map: omits what ObjectWriter omits (empty strings, nil ids, absent
// optionals, empty lists and maps).
class WriteArchive {
 public:
  static constexpr bool kReading = false;
  static constexpr bool kWriting = true;

  explicit WriteArchive(ObjectWriter& writer) : w_(writer) {}
  ObjectWriter& writer() { return w_; }

  void operator()(std::string_view key, const std::string& v) { w_.String(key, v); }
  void operator()(std::string_view key, const bool& v) { w_.Bool(key, v); }
  void operator()(std::string_view key, const int& v) { w_.Int(key, v); }
  void operator()(std::string_view key, const std::int64_t& v) { w_.Int(key, v); }
  void operator()(std::string_view key, const double& v) { w_.Double(key, v); }
  void operator()(std::string_view key, const std::optional<bulwark::Instant>& v) {
    w_.Instant(key, v);
  }
  void operator()(std::string_view key, const std::vector<std::string>& v) { w_.Strings(key, v); }
  void operator()(std::string_view key, const std::vector<std::string>& v, KeepEmpty) {
    w_.Any(key, nlohmann::json(v));
  }
  void operator()(std::string_view key, const std::optional<int>& v) {
    if (v.has_value()) w_.Int(key, *v);
  }
  void operator()(std::string_view key, const SecretString& v) {
    // The JSON document now holds a plain copy: the caller's to keep short-lived.
    if (!v.empty()) w_.String(key, std::string(v.view()));
  }
  template <typename V>
  void operator()(std::string_view key, const std::map<std::string, V>& v) {
    if (!v.empty()) w_.Any(key, nlohmann::json(v));
  }
  template <typename Tag>
  void operator()(std::string_view key, const bulwark::Id<Tag>& v) {
    w_.Id(key, v);
  }
  template <typename Tag>
  void operator()(std::string_view key, const std::optional<bulwark::Id<Tag>>& v) {
    w_.OptionalId(key, v);
  }
  template <typename Tag>
  void operator()(std::string_view key, const std::vector<bulwark::Id<Tag>>& v) {
    w_.Ids(key, v);
  }
  template <WireEnum E>
  void operator()(std::string_view key, const E& v) {
    w_.Any(key, nlohmann::json(std::string(EnumName(v))));
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
    nlohmann::json names = nlohmann::json::array();
    for (E e : v) names.push_back(std::string(EnumName(e)));
    w_.Any(key, names);
  }

  void Object(std::string_view key, const nlohmann::json& v) { w_.Object(key, v); }
  void Any(std::string_view key, const nlohmann::json& v) { w_.Any(key, v); }
  void Data(std::string_view key, const nlohmann::json& v) { w_.Any(key, v); }

  template <typename V>
  void ReadOnly(std::string_view key, const V& v) {
    (*this)(key, v);
  }

  // A nested object: always written, even when all its members are omitted ({}).
  template <typename T>
  void Nested(std::string_view key, const T& v) {
    Nested(key, v, [](WriteArchive& io, const T& x) { Map(io, x); });
  }
  template <typename T, typename F>
  void Nested(std::string_view key, const T& v, F&& map) {
    w_.Nested(key, v, [&](ObjectWriter& child, const T& x) {
      WriteArchive io(child);
      map(io, x);
    });
  }
  template <typename T>
  void Nested(std::string_view key, const std::optional<T>& v) {
    if (v.has_value()) Nested(key, *v);
  }
  template <typename T>
  void List(std::string_view key, const std::vector<T>& v) {
    List(key, v, [](WriteArchive& io, const T& x) { Map(io, x); });
  }
  template <typename T, typename F>
  void List(std::string_view key, const std::vector<T>& v, F&& map) {
    w_.NestedList(key, v, [&](ObjectWriter& child, const T& x) {
      WriteArchive io(child);
      map(io, x);
    });
  }

 private:
  ObjectWriter& w_;
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

// Reads `json` with the Map of T (extra arguments are passed on to Map), as ReadObject.
template <typename T, typename... Args>
Result<T> ReadMapped(const nlohmann::json& json, std::string_view path, const Args&... args) {
  return ReadObject<T>(json, path, [&](ObjectReader& r, T& v) {
    ReadArchive io(r);
    Map(io, v, args...);
  });
}

// Writes `v` with the Map of T (extra arguments are passed on to Map).
template <typename T, typename... Args>
nlohmann::json WriteMapped(const T& v, const Args&... args) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  WriteArchive io(w);
  Map(io, v, args...);
  return out;
}

}  // namespace bulwark::internal

#endif  // BULWARK_JSON_JSON_IO_H_
