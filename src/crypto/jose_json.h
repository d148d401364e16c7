// SPDX-License-Identifier: Apache-2.0
// Private: strict, non-throwing JSON for JOSE headers and claims sets.
#ifndef BULWARK_CRYPTO_JOSE_JSON_H_
#define BULWARK_CRYPTO_JOSE_JSON_H_

#include <cstddef>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/result.h"
#include "json/parse.h"

namespace bulwark::internal {

// How JOSE headers and claims sets are parsed (json/parse.h): duplicate member names in any
// object are refused (RFC 7515 §5.2 allows refusing them; different parsers keeping different
// duplicates is a known JWT attack), and so is nesting deeper than 32 levels. The size is
// bounded before any decoding by the token's own limit (max_token_bytes), not here.
inline constexpr ParseOptions kJoseJsonOptions{
    .max_depth = 32,
    .reject_duplicate_keys = true,
    .max_bytes = std::numeric_limits<std::size_t>::max()};

// Compact serialisation; kInvalidArgument (never an exception) for invalid UTF-8.
template <typename Json>
Result<std::string> DumpJson(const Json& value) {
  try {
    return value.dump();
  } catch (const std::exception&) {
    return Status::InvalidArgument("the JSON holds a string that is not valid UTF-8");
  }
}

// The same text as DumpJson(value) (nlohmann's compact dump), written without nlohmann's
// serializer on the common path: ASCII strings are copied in runs and escaped as nlohmann
// escapes them, integers go through std::to_chars; non-ASCII strings and floating-point
// numbers are still written by nlohmann (its UTF-8 check, its number format). SignJwt writes
// every claims set with it: nlohmann's per-character escaping was the largest cost of a
// token around the signature. kInvalidArgument for invalid UTF-8, as DumpJson.
Result<std::string> WriteJson(const nlohmann::json& value);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_JOSE_JSON_H_
