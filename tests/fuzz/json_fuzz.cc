// SPDX-License-Identifier: Apache-2.0
// The strict JSON parser (json/parse.h) against nlohmann's own parser, and the writer
// (json/write.h) against nlohmann's dump. The first byte picks the options; the rest is the
// text.
//   byte & 1:   reject duplicate member names (else the last value wins, as nlohmann does);
//   byte >> 1:  max_depth, 0..127.
// Invariants: the two parsers accept the same texts (up to the depth bound, duplicate names
// when asked, and a NUL byte, which ends nlohmann's input) and build the same values of the same
// types; a refusal's position lies in the text; WriteJson writes what nlohmann's dump writes, and
// that text parses back to an equal value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "json/parse.h"
#include "json/write.h"

namespace {

using nlohmann::json;

// Same value and, at every level, the same type (nlohmann's == says 1 == 1.0).
bool Same(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(), jt = b.begin(); it != a.end(); ++it, ++jt) {
      if (it.key() != jt.key() || !Same(it.value(), jt.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!Same(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_number_float()) {
    // Both parsers round to the nearest double; compare the bits' meaning, NaN cannot occur.
    return a.get<double>() == b.get<double>();
  }
  return a == b;
}

}  // namespace

BULWARK_FUZZ_TARGET(json) {
  bulwark::fuzz::Reader in(data, size);
  const std::uint8_t options_byte = in.Byte();
  const std::string_view text = in.Rest();
  using bulwark::internal::JsonParseError;
  using bulwark::internal::ParseJson;
  using bulwark::internal::ParseOptions;

  const ParseOptions options{.max_depth = options_byte >> 1,
                             .reject_duplicate_keys = (options_byte & 1) != 0};
  JsonParseError error;
  const bulwark::Result<json> ours = ParseJson(text, options, &error);
  if (!ours.ok()) {
    BULWARK_FUZZ_CHECK(error.offset <= text.size());
    BULWARK_FUZZ_CHECK(error.line >= 1 && error.column >= 1);
    BULWARK_FUZZ_CHECK(ours.status().message().find("last read") == std::string::npos);
  }

  const json theirs = json::parse(text, nullptr, /*allow_exceptions=*/false);
  // nlohmann's lexer takes a NUL byte for the end of the input and accepts "{}\0anything";
  // no JSON text holds one, and the strict parser refuses it: nlohmann is no oracle there.
  const bool has_nul = text.find('\0') != std::string_view::npos;
  const bool deep_enough = bulwark::fuzz::NestsWithin(text, options.max_depth);
  if (ours.ok()) {
    // Everything the strict parser takes, nlohmann takes, with the same value.
    BULWARK_FUZZ_CHECK(!theirs.is_discarded());
    BULWARK_FUZZ_CHECK(Same(*ours, theirs));
  } else if (!theirs.is_discarded() && !has_nul) {
    // nlohmann took it: only the depth bound or a duplicate name may refuse it here.
    BULWARK_FUZZ_CHECK(error.kind != JsonParseError::Kind::kSyntax);
    BULWARK_FUZZ_CHECK(error.kind != JsonParseError::Kind::kTooLarge);
    if (error.kind == JsonParseError::Kind::kTooDeep) BULWARK_FUZZ_CHECK(!deep_enough);
    if (error.kind == JsonParseError::Kind::kDuplicateKey) {
      BULWARK_FUZZ_CHECK(options.reject_duplicate_keys);
    }
  } else {
    // Both refuse; a syntax refusal must be a real one, so a lenient, deep parse refuses too.
    const bulwark::Result<json> lenient =
        ParseJson(text, ParseOptions{.max_depth = 1 << 20, .reject_duplicate_keys = false});
    BULWARK_FUZZ_CHECK(!lenient.ok());
  }

  // ScanJson runs the same parser with no DOM: the same verdict, error and message, and what
  // it notes of the root object's members is what the DOM holds.
  {
    std::vector<std::string> names;
    if (ours.ok() && ours->is_object()) {
      for (auto it = ours->begin(); it != ours->end() && names.size() < 4; ++it) {
        names.push_back(it.key());
      }
    }
    if (std::find(names.begin(), names.end(), "exp") == names.end()) names.push_back("exp");
    std::vector<bulwark::internal::JsonMemberScan> members(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) members[i].name = names[i];
    JsonParseError scan_error;
    const bulwark::Result<bulwark::internal::JsonKind> scanned =
        bulwark::internal::ScanJson(text, options, members, &scan_error);
    BULWARK_FUZZ_CHECK(scanned.ok() == ours.ok());
    if (!ours.ok()) {
      BULWARK_FUZZ_CHECK(scanned.status().message() == ours.status().message());
      BULWARK_FUZZ_CHECK(scan_error.kind == error.kind && scan_error.offset == error.offset &&
                         scan_error.key == error.key);
    } else {
      BULWARK_FUZZ_CHECK((*scanned == bulwark::internal::JsonKind::kObject) == ours->is_object());
      BULWARK_FUZZ_CHECK((*scanned == bulwark::internal::JsonKind::kArray) == ours->is_array());
      for (const bulwark::internal::JsonMemberScan& m : members) {
        const bool in_dom = ours->is_object() && ours->contains(m.name);
        BULWARK_FUZZ_CHECK(m.found == in_dom);
        if (!in_dom) continue;
        const json& value = ours->at(std::string(m.name));
        BULWARK_FUZZ_CHECK(m.begin < m.end && m.end <= text.size());
        // The noted span is the value's own text: it parses to the same value.
        const bulwark::Result<json> alone =
            ParseJson(text.substr(m.begin, m.end - m.begin),
                      ParseOptions{.max_depth = 1 << 20, .reject_duplicate_keys = false});
        BULWARK_FUZZ_CHECK(alone.ok() && Same(*alone, value));
        if (value.is_number()) BULWARK_FUZZ_CHECK(m.number == value.get<double>());
      }
    }
  }

  if (ours.ok()) {
    const bulwark::Result<std::string> written = bulwark::internal::WriteJson(*ours);
    // The parser only builds valid UTF-8, so the writer never refuses what it built.
    BULWARK_FUZZ_CHECK(written.ok());
    BULWARK_FUZZ_CHECK(*written == ours->dump());
    const bulwark::Result<json> again =
        ParseJson(*written, ParseOptions{.max_depth = 1 << 20, .reject_duplicate_keys = true});
    BULWARK_FUZZ_CHECK(again.ok());
    // Equal values; not always equal types: -0 is a number_integer that writes as 0, which
    // reads back as a number_unsigned (nlohmann's own round trip does the same).
    BULWARK_FUZZ_CHECK(*again == *ours);
  }
  return 0;
}
