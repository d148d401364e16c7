// SPDX-License-Identifier: Apache-2.0
#include "crypto/jose_json.h"

#include <algorithm>
#include <vector>

namespace bulwark::internal {
namespace {
constexpr int kMaxDepth = 32;
}

Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  using Event = nlohmann::json::parse_event_t;
  // Member names per open object. JOSE objects are small: a linear scan beats a set's
  // allocations.
  std::vector<std::vector<std::string>> members;
  bool duplicate = false;
  bool too_deep = false;
  const auto callback = [&](int depth, Event event, nlohmann::json& parsed) -> bool {
    switch (event) {
      case Event::object_start:
        members.emplace_back();
        [[fallthrough]];
      case Event::array_start:
        if (depth >= kMaxDepth) too_deep = true;
        break;
      case Event::object_end:
        if (!members.empty()) members.pop_back();
        break;
      case Event::key:
        if (!members.empty() && parsed.is_string()) {
          const std::string& name = parsed.get_ref<const std::string&>();
          std::vector<std::string>& seen = members.back();
          if (std::find(seen.begin(), seen.end(), name) != seen.end()) duplicate = true;
          seen.push_back(name);
        }
        break;
      default:
        break;
    }
    // Returning false for every value once a problem is seen keeps the work bounded.
    return !(duplicate || too_deep);
  };
  try {
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), callback,
                                                 /*allow_exceptions=*/false);
    if (duplicate) return Status::InvalidArgument("duplicate member name in JSON");
    if (too_deep) return Status::InvalidArgument("JSON nested too deeply");
    if (value.is_discarded()) return Status::InvalidArgument("invalid JSON");
    return value;
  } catch (const std::exception&) {
    return Status::InvalidArgument("invalid JSON");
  }
}

}  // namespace bulwark::internal
