// SPDX-License-Identifier: Apache-2.0
// Private: the one JSON writer. Every JSON text bulwark writes for others to read (token claims,
// stored documents) is written here, non-throwing.
//
//   BULWARK_ASSIGN_OR_RETURN(std::string text, WriteJson(value));
//
// Thread-safe: pure functions.
#ifndef BULWARK_JSON_WRITE_H_
#define BULWARK_JSON_WRITE_H_

#include <exception>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/result.h"

namespace bulwark::internal {

// nlohmann's compact dump (of a json or an ordered_json); kInvalidArgument, never an
// exception, for a string that is not valid UTF-8.
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
// numbers are still written by nlohmann (its UTF-8 check, its number format). nlohmann's
// per-character escaping was the largest cost of a token around the signature.
// kInvalidArgument for invalid UTF-8, as DumpJson.
Result<std::string> WriteJson(const nlohmann::json& value);

// Appends WriteJson(value) to `out`; kInvalidArgument, with `out` left in an unspecified
// state, for invalid UTF-8.
Status AppendJson(const nlohmann::json& value, std::string& out);

// Appends `text` as a JSON string, exactly as WriteJson (and DumpJson) write a string value;
// kInvalidArgument, with nothing appended, when it is not valid UTF-8.
Status AppendJsonString(std::string_view text, std::string& out);

}  // namespace bulwark::internal

#endif  // BULWARK_JSON_WRITE_H_
