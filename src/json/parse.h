// SPDX-License-Identifier: Apache-2.0
// Private: the one strict JSON parser (STYLE §2.4). Every JSON text that comes from outside
// the process (request bodies, kickstart files, JOSE headers and claims) is parsed here, so
// the limits and the error messages are the same everywhere.
//
//   ParseOptions options{.max_depth = 32, .reject_duplicate_keys = true};
//   BULWARK_ASSIGN_OR_RETURN(nlohmann::json value, ParseJson(text, options));
//
// Strict: RFC 8259 only (no comments, no trailing commas, nothing after the value), strings
// valid UTF-8. A UTF-8 byte order mark before the value is skipped, as nlohmann does.
// Never throws; never recurses per level of nesting (the parser keeps its own stack),
// so a deeply nested text costs a scan and a refusal, not the call stack.
//
// Messages never quote the text itself (it may hold secrets): they say what is wrong and where,
// and name at most a duplicated member, shortened and with control characters replaced.
//
// ScanJson runs the same parser without building anything, for callers that only need to know
// that a text is valid and where a few top-level members are (JWT claims).
//
// Thread-safe: pure functions.
#ifndef BULWARK_JSON_PARSE_H_
#define BULWARK_JSON_PARSE_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/result.h"

namespace bulwark::internal {

// 16 MiB: the kickstart file limit; callers with tighter bounds pass them.
inline constexpr std::size_t kDefaultMaxJsonBytes = std::size_t{16} << 20;

struct ParseOptions {
  // The most arrays and objects nested inside each other; the outermost one is level 1, so 0
  // accepts only a scalar. A container at level max_depth + 1 is refused.
  int max_depth = 64;
  // Refuse an object that names a member twice, at any depth. When false, the last value
  // wins (nlohmann's default, and what the Router has always done).
  bool reject_duplicate_keys = true;
  // Refuse texts longer than this before reading them.
  std::size_t max_bytes = kDefaultMaxJsonBytes;
};

// Why a parse failed, for callers that word their own messages (the Router's [invalidJSON],
// kickstart's per-file errors). `offset` is the 0-based byte offset of the offending
// character (the text's size when the text ended too early); `line` and `column` are 1-based,
// the column counted in bytes.
struct JsonParseError {
  enum class Kind {
    kSyntax,        // not JSON, invalid UTF-8, nothing or something after the value
    kTooDeep,       // a container beyond max_depth
    kDuplicateKey,  // `key` named twice in one object
    kTooLarge,      // longer than max_bytes (no position)
  };
  Kind kind = Kind::kSyntax;
  std::size_t offset = 0;
  std::size_t line = 1;
  std::size_t column = 1;
  std::string key;     // kDuplicateKey: the member name, as decoded
  std::string reason;  // kSyntax: what the lexer or parser expected, when known
};

// Parses `text` as exactly one JSON value. On failure returns kInvalidArgument with a message
// such as "invalid JSON at line 3, column 7", "the JSON is nested more than 32 levels deep
// (line 1, column 33)" or "the member \"alg\" appears twice (line 1, column 30)", and fills
// `*error` when given.
Result<nlohmann::json> ParseJson(std::string_view text, const ParseOptions& options = {},
                                 JsonParseError* error = nullptr);

// What a JSON value is.
enum class JsonKind { kNull, kBoolean, kNumber, kString, kArray, kObject };

// A member of the root object that ScanJson looks for (`name`; names in one call must differ),
// and what it found there.
struct JsonMemberScan {
  std::string_view name;  // the member's name as decoded, as the DOM's key would be
  bool found = false;     // the root is an object that has this member
  JsonKind kind = JsonKind::kNull;
  // The value's bytes in the text, [begin, end): a string with its quotes, a container with
  // its brackets.
  std::size_t begin = 0;
  std::size_t end = 0;
  double number = 0;     // kNumber: the value as the DOM's get<double>() gives it
  bool escaped = false;  // kString: it holds an escape; when not, text[begin + 1, end - 1) is
                         // the value
};

// Checks `text` as ParseJson does, without building a DOM: the same parser runs (only what it
// tells about the values goes elsewhere), so both refuse exactly the same texts with the same
// JsonParseError and message. Returns the kind of the root value; when the root is an object,
// fills each of `members` with the member of that name (the last one when duplicates are
// allowed, as the DOM keeps it). Allocates only for deep or unordered objects and for escaped
// member names.
Result<JsonKind> ScanJson(std::string_view text, const ParseOptions& options,
                          std::span<JsonMemberScan> members, JsonParseError* error = nullptr);

// The message ParseJson gives for `error` (without any caller's prefix).
std::string DescribeJsonParseError(const JsonParseError& error, const ParseOptions& options);

}  // namespace bulwark::internal

#endif  // BULWARK_JSON_PARSE_H_
