// SPDX-License-Identifier: Apache-2.0
// The reading and writing archives over ObjectReader / ObjectWriter: one Map per type, run by
// both, and EnumTraits tables for enums.
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/testing/status_matchers.h"
#include "core/enum_table.h"
#include "json/json_io.h"

namespace bulwark::internal {

enum class Shade { kLight, kDark };

template <>
struct EnumTraits<Shade> {
  static constexpr std::string_view kTypeName = "Shade";
  static constexpr EnumEntry<Shade> kTable[] = {{Shade::kLight, "Light"}, {Shade::kDark, "Dark"}};
};

struct Swatch {
  bool enabled = false;
  Shade shade = Shade::kLight;
  friend bool operator==(const Swatch&, const Swatch&) = default;
};

struct Palette {
  TenantId id;
  std::string name;
  int count = 3;
  std::optional<int> limit;
  std::optional<Instant> created;
  Shade shade = Shade::kLight;
  std::optional<Shade> accent;
  std::vector<Shade> shades;
  std::vector<std::string> tags;
  std::vector<std::string> always;
  std::optional<KeyId> key_id;
  std::vector<KeyId> key_ids;
  SecretString secret;
  std::map<std::string, std::string> labels;
  nlohmann::json data = nlohmann::json::object();
  nlohmann::json extra = nlohmann::json::object();
  Swatch swatch;
  std::optional<Swatch> maybe;
  std::vector<Swatch> swatches;
  friend bool operator==(const Palette&, const Palette&) = default;
};

template <class IO>
void Map(IO& io, Mapped<IO, Swatch>& v) {
  io("enabled", v.enabled);
  io("shade", v.shade);
}

template <class IO>
void Map(IO& io, Mapped<IO, Palette>& v) {
  io("id", v.id);
  io("name", v.name);
  io("count", v.count);
  io("limit", v.limit);
  io("created", v.created);
  io("shade", v.shade);
  io("accent", v.accent);
  io("shades", v.shades);
  io("tags", v.tags);
  io("always", v.always, kKeepEmpty);
  io("keyId", v.key_id);
  io("keyIds", v.key_ids);
  io("secret", v.secret);
  io("labels", v.labels);
  io.Data("data", v.data);
  io.Object("extra", v.extra);
  io.Nested("swatch", v.swatch);
  io.Nested("maybe", v.maybe);
  io.List("swatches", v.swatches);
  io.ReadOnly("echo", v.name);
}

namespace {

using nlohmann::json;

TEST_CASE("EnumTraits: wire names both ways, and FusionAuth's type name in the error", "[json]") {
  CHECK(EnumName(Shade::kDark) == "Dark");
  CHECK(REQUIRE_VALUE(ParseEnum<Shade>("Light")) == Shade::kLight);
  Result<Shade> unknown = ParseEnum<Shade>("dark");  // names are case-sensitive
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().message() == "unknown Shade value");
  CHECK(EnumName(static_cast<Shade>(7)).empty());
}

TEST_CASE("archives: one Map reads and writes every kind of member", "[json]") {
  Palette p;
  p.id = *TenantId::Parse("00000000-0000-4000-8000-000000000001");
  p.name = "autumn";
  p.count = 0;
  p.limit = 9;
  p.created = FromEpochMillis(1700000000000);
  p.shade = Shade::kDark;
  p.accent = Shade::kLight;
  p.shades = {Shade::kDark, Shade::kLight};
  p.tags = {"a", "b"};
  p.key_id = *KeyId::Parse("00000000-0000-4000-8000-000000000002");
  p.key_ids = {*KeyId::Parse("00000000-0000-4000-8000-000000000003")};
  p.secret = "hush";
  p.labels = {{"k", "v"}};
  p.data = {{"d", 1}};
  p.extra = {{"e", 2}};
  p.swatch = {.enabled = true, .shade = Shade::kDark};
  p.maybe = Swatch{.enabled = true, .shade = Shade::kLight};
  p.swatches = {Swatch{.enabled = true, .shade = Shade::kDark}, Swatch{}};

  const json written = WriteMapped(p);
  CHECK(written ==
        json{{"id", "00000000-0000-4000-8000-000000000001"},
             {"name", "autumn"},
             {"count", 0},
             {"limit", 9},
             {"created", 1700000000000},
             {"shade", "Dark"},
             {"accent", "Light"},
             {"shades", {"Dark", "Light"}},
             {"tags", {"a", "b"}},
             {"always", json::array()},
             {"keyId", "00000000-0000-4000-8000-000000000002"},
             {"keyIds", {"00000000-0000-4000-8000-000000000003"}},
             {"secret", "hush"},
             {"labels", {{"k", "v"}}},
             {"data", {{"d", 1}}},
             {"extra", {{"e", 2}}},
             {"swatch", {{"enabled", true}, {"shade", "Dark"}}},
             {"maybe", {{"enabled", true}, {"shade", "Light"}}},
             {"swatches",
              {{{"enabled", true}, {"shade", "Dark"}}, {{"enabled", false}, {"shade", "Light"}}}},
             {"echo", "autumn"}});
  CHECK(REQUIRE_VALUE(ReadMapped<Palette>(written, "palette")) == p);
}

TEST_CASE("archives: empty values are left out, except where the Map keeps them", "[json]") {
  const json written = WriteMapped(Palette{});
  CHECK(written == json{{"count", 3},
                        {"shade", "Light"},
                        {"always", json::array()},
                        {"data", json::object()},
                        {"swatch", {{"enabled", false}, {"shade", "Light"}}}});
  // An absent or null member leaves the default.
  CHECK(REQUIRE_VALUE(ReadMapped<Palette>(json{{"name", nullptr}}, "palette")) == Palette{});
}

TEST_CASE("archives: wrong types and unknown names are field errors under the path", "[json]") {
  Result<Palette> r = ReadMapped<Palette>(json{{"id", "nope"},
                                               {"count", "3"},
                                               {"limit", 1.5},
                                               {"shade", "Dim"},
                                               {"accent", 1},
                                               {"shades", {"Dark", "Dim"}},
                                               {"labels", {{"k", 1}}},
                                               {"data", json::array()},
                                               {"swatch", {{"shade", "Dim"}}},
                                               {"swatches", {json::object(), 3}},
                                               {"echo", 42}},
                                          "palette");
  REQUIRE_FALSE(r.ok());
  const Errors& e = r.status().errors();
  CHECK(e.HasField("couldNotConvert", "palette.id"));
  CHECK(e.HasField("couldNotConvert", "palette.count"));
  CHECK(e.HasField("couldNotConvert", "palette.limit"));
  CHECK(e.HasField("invalid", "palette.shade"));
  CHECK(e.HasField("couldNotConvert", "palette.accent"));
  CHECK(e.HasField("invalid", "palette.shades"));
  CHECK(e.HasField("couldNotConvert", "palette.labels"));
  CHECK(e.HasField("couldNotConvert", "palette.data"));
  CHECK(e.HasField("invalid", "palette.swatch.shade"));
  CHECK(e.HasField("couldNotConvert", "palette.swatches"));
  CHECK(e.field_errors.count("palette.echo") == 0);  // read-only: never read
  CHECK(e.field_errors.size() == 10);
}

}  // namespace
}  // namespace bulwark::internal
