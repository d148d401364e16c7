// SPDX-License-Identifier: Apache-2.0
// Shared by the model tests: loading FusionAuth's documented bodies (when ../shared exists)
// and the project's own fixtures, and the "documented ⊆ written" JSON comparison.
#ifndef BULWARK_TESTS_UNIT_MODEL_MODEL_TEST_SUPPORT_H_
#define BULWARK_TESTS_UNIT_MODEL_MODEL_TEST_SUPPORT_H_

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <functional>

#include "bulwark/result.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark::test {

// FusionAuth's example bodies: ../shared/reference/fusionauth-json/<relative>. nullopt when
// the directory is absent (a user's clone) — callers then WARN and return, never fail.
inline std::optional<nlohmann::json> LoadFusionAuthExample(const std::string& relative) {
  const std::filesystem::path p =
      std::filesystem::path(BULWARK_SHARED_REFERENCE_DIR) / "fusionauth-json" / relative;
  std::ifstream in(p);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

inline bool HaveFusionAuthExamples() {
  return std::filesystem::is_directory(std::filesystem::path(BULWARK_SHARED_REFERENCE_DIR) /
                                       "fusionauth-json");
}

// The project's own fixtures under tests/data/<relative>; the test fails if missing.
inline nlohmann::json LoadFixture(const std::string& relative) {
  const std::filesystem::path p = std::filesystem::path(BULWARK_TEST_DATA_DIR) / relative;
  std::ifstream in(p);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
}

// Every member of `documented` appears in `written` with an equal value, recursively.
// Arrays compare element by element (same length). "" and an absent member are equal, as
// are null and absent. Members whose path is in `skip` ("user.password") are not compared.
// Returns the first difference as a path, or "" when `documented` ⊆ `written`.
inline std::string FirstDifference(const nlohmann::json& documented, const nlohmann::json& written,
                                   const std::string& path = "",
                                   const std::set<std::string>& skip = {}) {
  if (skip.count(path) != 0) return "";
  if (documented.is_object()) {
    if (!written.is_object()) return path.empty() ? "<root>" : path;
    for (auto it = documented.begin(); it != documented.end(); ++it) {
      const std::string child = path.empty() ? it.key() : path + "." + it.key();
      if (skip.count(child) != 0) continue;
      auto w = written.find(it.key());
      const bool trivially_empty =
          it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty());
      if (w == written.end()) {
        if (trivially_empty) continue;
        return child + " (missing)";
      }
      std::string d = FirstDifference(*it, *w, child, skip);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (documented.is_array()) {
    if (!written.is_array() || written.size() != documented.size()) return path + " (array)";
    for (std::size_t i = 0; i < documented.size(); ++i) {
      std::string d =
          FirstDifference(documented[i], written[i], path + "[" + std::to_string(i) + "]", skip);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (documented.is_number() && written.is_number()) {
    return documented.get<double>() == written.get<double>() ? "" : path;
  }
  return documented == written ? "" : path;
}

// Parses `documented` with `parse`, writes it with `write`, and checks that the documented
// members all survive and that parse(write(x)) == x.
// Write-only members (`skip`) are left out of both comparisons: `drop_write_only` clears them
// from the parsed value before it is compared with the value read back.
template <typename T>
void CheckRoundTrip(const nlohmann::json& documented, const std::string& where,
                    const std::function<Result<T>(const nlohmann::json&)>& parse,
                    const std::function<nlohmann::json(const T&)>& write,
                    const std::set<std::string>& skip = {},
                    const std::function<void(T&)>& drop_write_only = nullptr) {
  INFO(where);
  Result<T> parsed = parse(documented);
  if (!parsed.ok()) FAIL(parsed.status().ToString());
  nlohmann::json written = write(*parsed);
  CHECK(FirstDifference(documented, written, "", skip) == "");
  Result<T> again = parse(written);
  REQUIRE_OK(again);
  if (drop_write_only) drop_write_only(*parsed);
  CHECK(*again == *parsed);
}

// Calls `check(object, file)` for `doc[single]` and for each element of `doc[plural]` in
// FusionAuth's example `file`; returns how many objects were checked. The file must exist.
template <typename F>
int ForEachDocumented(const std::string& file, const char* single, const char* plural, F&& check) {
  std::optional<nlohmann::json> doc = LoadFusionAuthExample(file);
  REQUIRE(doc.has_value());
  int checked = 0;
  if (single != nullptr && doc->contains(single)) {
    check((*doc)[single], file);
    ++checked;
  }
  if (plural != nullptr && doc->contains(plural)) {
    for (const nlohmann::json& item : (*doc)[plural]) {
      check(item, file);
      ++checked;
    }
  }
  return checked;
}

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_MODEL_MODEL_TEST_SUPPORT_H_
