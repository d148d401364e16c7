// SPDX-License-Identifier: Apache-2.0
// Private: strict, non-throwing JSON for JOSE headers and claims sets.
#ifndef BULWARK_CRYPTO_JOSE_JSON_H_
#define BULWARK_CRYPTO_JOSE_JSON_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/result.h"

namespace bulwark::internal {

// Parses `text` as one JSON value and refuses (kInvalidArgument, message says why) invalid
// JSON or UTF-8, trailing text, duplicate member names in any object (RFC 7515 §5.2 allows
// refusing them; different parsers keeping different duplicates is a known JWT attack) and
// nesting deeper than 32 levels. Never throws.
Result<nlohmann::json> ParseStrictJson(std::string_view text);

// Compact serialisation; kInvalidArgument (never an exception) for invalid UTF-8.
template <typename Json>
Result<std::string> DumpJson(const Json& value) {
  try {
    return value.dump();
  } catch (const std::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
}

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_JOSE_JSON_H_
