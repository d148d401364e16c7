// SPDX-License-Identifier: Apache-2.0
#include "json/json_io.h"

#include <cmath>
#include <limits>

namespace bulwark::internal {

ObjectReader::ObjectReader(const nlohmann::json& json, std::string path, Errors& errors)
    : path_(std::move(path)), errors_(&errors) {
  if (json.is_object()) {
    object_ = &json;
  } else {
    errors.AddField("couldNotConvert", path_, "The JSON value is not an object.");
  }
}

std::size_t ObjectReader::ErrorCount() const {
  std::size_t n = errors_->general_errors.size();
  for (const auto& [path, list] : errors_->field_errors) n += list.size();
  return n;
}

const nlohmann::json* ObjectReader::Find(std::string_view key) const {
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::string ObjectReader::PathOf(std::string_view key) const {
  std::string p = path_;
  if (!p.empty()) p.push_back('.');
  p.append(key);
  return p;
}

void ObjectReader::AddError(std::string_view kind, std::string_view key) {
  const std::string path = PathOf(key);
  std::string message = "Invalid value for [" + path + "].";
  errors_->AddField(kind, path, message);
}

void ObjectReader::String(std::string_view key, std::string& out) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_string()) return AddError("couldNotConvert", key);
  out = v->get_ref<const std::string&>();
}

void ObjectReader::Bool(std::string_view key, bool& out) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) return AddError("couldNotConvert", key);
  out = v->get<bool>();
}

void ObjectReader::Int64(std::string_view key, std::int64_t& out) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() &&
        v->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return AddError("couldNotConvert", key);
    }
    out = v->get<std::int64_t>();
    return;
  }
  if (v->is_number_float()) {
    // Accept integral floats (1.0), as Jackson does for long fields.
    const double d = v->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
      out = static_cast<std::int64_t>(d);
      return;
    }
  }
  AddError("couldNotConvert", key);
}

void ObjectReader::Int(std::string_view key, int& out) {
  if (Find(key) == nullptr) return;
  std::int64_t wide = out;
  const std::size_t before = ErrorCount();
  Int64(key, wide);
  if (ErrorCount() != before) return;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return AddError("couldNotConvert", key);
  }
  out = static_cast<int>(wide);
}

void ObjectReader::Double(std::string_view key, double& out) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_number()) return AddError("couldNotConvert", key);
  out = v->get<double>();
}

void ObjectReader::Instant(std::string_view key, std::optional<bulwark::Instant>& out) {
  if (Find(key) == nullptr) return;
  std::int64_t ms = 0;
  const std::size_t before = ErrorCount();
  Int64(key, ms);
  if (ErrorCount() == before) out = FromEpochMillis(ms);
}

void ObjectReader::Strings(std::string_view key, std::vector<std::string>& out) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_array()) return AddError("couldNotConvert", key);
  std::vector<std::string> result;
  result.reserve(v->size());
  for (const nlohmann::json& item : *v) {
    if (!item.is_string()) return AddError("couldNotConvert", key);
    result.push_back(item.get_ref<const std::string&>());
  }
  out = std::move(result);
}

void ObjectReader::Any(std::string_view key, nlohmann::json& out) {
  const nlohmann::json* v = Find(key);
  if (v != nullptr) out = *v;
}

void ObjectReader::Object(std::string_view key, nlohmann::json& out) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_object()) return AddError("couldNotConvert", key);
  out = *v;
}

}  // namespace bulwark::internal
