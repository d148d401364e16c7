// SPDX-License-Identifier: Apache-2.0
#include "json/parse.h"

#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "bulwark/testing/status_matchers.h"

namespace bulwark::internal {
namespace {

using testing::HasCode;
using Kind = JsonParseError::Kind;

std::string Nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// The refusal of `text`, which must fail; ScanJson, the same parser without a DOM, must refuse
// it identically.
JsonParseError Refusal(std::string_view text, const ParseOptions& options = {}) {
  JsonParseError error;
  Result<nlohmann::json> parsed = ParseJson(text, options, &error);
  REQUIRE_FALSE(parsed.ok());
  CHECK_THAT(parsed.status(), HasCode(StatusCode::kInvalidArgument));
  CHECK(parsed.status().message() == DescribeJsonParseError(error, options));
  JsonParseError scan_error;
  Result<JsonKind> scanned = ScanJson(text, options, {}, &scan_error);
  REQUIRE_FALSE(scanned.ok());
  CHECK(scanned.status().message() == parsed.status().message());
  CHECK(scan_error.kind == error.kind);
  CHECK(scan_error.offset == error.offset);
  CHECK(scan_error.key == error.key);
  CHECK(scan_error.reason == error.reason);
  return error;
}

TEST_CASE("ParseJson builds the value nlohmann would", "[json][parse]") {
  Result<nlohmann::json> parsed =
      ParseJson(R"({"a": [1, -2, 3.5, {"b": null}], "c": "x\u00e9", "d": true, "e": {}})");
  REQUIRE_OK(parsed);
  const nlohmann::json expected = {{"a", {1, -2, 3.5, {{"b", nullptr}}}},
                                   {"c", "x\xC3\xA9"},
                                   {"d", true},
                                   {"e", nlohmann::json::object()}};
  CHECK(*parsed == expected);
  CHECK((*parsed)["a"][0].is_number_unsigned());
  CHECK((*parsed)["a"][1].is_number_integer());
  for (const char* scalar : {"42", "\"s\"", "null", "false", " 1.5 "}) {
    INFO(scalar);
    CHECK_OK(ParseJson(scalar, {.max_depth = 0}));
  }
  // nlohmann skips a UTF-8 byte order mark; positions still count its bytes.
  CHECK(*ParseJson("\xEF\xBB\xBF{\"k\": 1}") == nlohmann::json{{"k", 1}});
  const JsonParseError after_bom = Refusal("\xEF\xBB\xBF{x}");
  CHECK(after_bom.offset == 4);
  CHECK(after_bom.column == 5);
}

// nlohmann's own parser is the oracle: the same texts accepted, the same values of the same
// types built (a non-negative integer is number_unsigned, a negative one number_integer,
// one that fits neither a float).
TEST_CASE("ParseJson builds what nlohmann's parser builds, number types included",
          "[json][parse]") {
  const char* texts[] = {
      "0",
      "-0",
      "7",
      "-7",
      "1.0",
      "1e5",
      "1E5",
      "1e+5",
      "1e-5",
      "-1.25e-3",
      "0.5e+3",
      "18446744073709551615",
      "18446744073709551616",
      "-9223372036854775808",
      "-9223372036854775809",
      "123456789012345678901234567890",
      "1e-400",
      "4.9e-324",
      "1.7976931348623157e308",
      "0.1",
      "2.5e-08",
      "-1e-400",
      "123e-500",
      "0.1e309",
      "1e-99999999999999999999",
      "-0.0e-999",
      "3e-324",
      "0.0e999",
      "\"\"",
      "\"a\\u0000b\"",
      "\"\\u00e9\"",
      "\"\\ud83d\\udd12\"",
      "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
      "\"\xE4\xB8\xAD\xF0\x9F\x94\x92\"",
      "\"\x7F\"",
      "[]",
      "{}",
      "[[],{},[{}]]",
      "{\"\":0}",
      "{\"a\":{\"a\":{\"a\":[1,2,3]}}}",
      " \t\r\n[ 1 , 2 ]\n",
      "\"a long string that is longer than eight bytes, with \\\" escapes\"",
      "{\"k\":\"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 and more than eight bytes\"}"};
  for (const char* text : texts) {
    INFO(text);
    Result<nlohmann::json> ours = ParseJson(text);
    const nlohmann::json theirs = nlohmann::json::parse(text);
    REQUIRE_OK(ours);
    CHECK(*ours == theirs);
    CHECK(ours->type() == theirs.type());
    CHECK(ours->dump() == theirs.dump());
  }
}

TEST_CASE("ParseJson refuses what nlohmann's parser refuses", "[json][parse]") {
  const char* texts[] = {"-",
                         "--1",
                         "+1",
                         "1.",
                         "1.e5",
                         "1e",
                         "1e+",
                         ".1",
                         "01",
                         "-01",
                         "0x10",
                         "1_000",
                         "Infinity",
                         "-Infinity",
                         "nul",
                         "tru",
                         "falsey",
                         "\"\\u12\"",
                         "\"\\uD800\\u0041\"",
                         "\"\\uDC00\"",
                         "\"\\uD800\"",
                         "\"\\a\"",
                         "\"\x80\"",
                         "\"\xC2\"",
                         "\"\xE0\x80\x80\"",
                         "\"\xF0\x80\x80\x80\"",
                         "\"\xF5\x80\x80\x80\"",
                         "\"\xED\xBF\xBF\"",
                         "[1 2]",
                         "{\"a\" 1}",
                         "{\"a\":}",
                         "{,}",
                         "[,1]",
                         "{\"a\":1 \"b\":2}",
                         "\"\x01\"",
                         "[\"a\nb\"]",
                         "\xEF\xBB",
                         "\xEF\xBB\xBF",
                         "[1]]",
                         "{\"a\":1}}",
                         "1e309",
                         "-1e309",
                         "0.1e310",
                         "1.7976931348623159e308",
                         "1e99999999999999999999999"};
  for (const char* text : texts) {
    INFO(text);
    CHECK(nlohmann::json::parse(text, nullptr, false).is_discarded());
    CHECK(Refusal(text).kind == Kind::kSyntax);
  }
}

TEST_CASE("ParseJson refuses a NUL byte, which nlohmann's parser takes for the end",
          "[json][parse]") {
  using namespace std::string_literals;
  for (const std::string& text : {"{}\0"s, "\"a\"\0{\"alg\":\"none\"}"s, "[1]\0\0\0x"s}) {
    INFO(text);
    CHECK_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded());
    const JsonParseError refused = Refusal(text);
    CHECK(refused.kind == Kind::kSyntax);
    CHECK(refused.offset == text.find('\0'));
  }
}

TEST_CASE("ParseJson accepts nesting up to max_depth and refuses one level more", "[json][parse]") {
  const ParseOptions options{.max_depth = 3};
  CHECK_OK(ParseJson(Nested(3), options));
  CHECK_OK(ParseJson(R"({"a": {"b": [1]}, "c": [[2]]})", options));
  CHECK_OK(ParseJson("[]", {.max_depth = 1}));
  CHECK_FALSE(ParseJson("[]", {.max_depth = 0}).ok());

  const JsonParseError arrays = Refusal(Nested(4), options);
  CHECK(arrays.kind == Kind::kTooDeep);
  CHECK(arrays.offset == 3);  // the fourth '['
  CHECK(DescribeJsonParseError(arrays, options) ==
        "the JSON is nested more than 3 levels deep (line 1, column 4)");

  const JsonParseError objects = Refusal(R"({"a":{"b":{"c":{}}}})", options);
  CHECK(objects.kind == Kind::kTooDeep);
  CHECK(objects.column == 16);  // the fourth '{'

  // The Router's bound: 64 levels pass, 65 do not.
  CHECK_OK(ParseJson(Nested(64), {.max_depth = 64}));
  CHECK(Refusal(Nested(65), {.max_depth = 64}).kind == Kind::kTooDeep);
}

TEST_CASE("ParseJson refuses very deep nesting without exhausting the stack", "[json][parse]") {
  // A million levels: refused at the limit, the rest never read.
  const std::string deep = std::string(1'000'000, '[');
  const JsonParseError refused = Refusal(deep, {.max_depth = 64});
  CHECK(refused.kind == Kind::kTooDeep);
  CHECK(refused.offset == 64);
  // Accepted deep documents are built and destroyed without recursion either.
  CHECK_OK(ParseJson(Nested(100'000), {.max_depth = 100'000}));
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += "{\"k\":";
  objects += "1" + std::string(100'000, '}');
  CHECK_OK(ParseJson(objects, {.max_depth = 100'000}));
}

TEST_CASE("ParseJson refuses a member named twice in any object", "[json][parse]") {
  const JsonParseError top = Refusal(R"({"a":1,"a":2})");
  CHECK(top.kind == Kind::kDuplicateKey);
  CHECK(top.key == "a");
  CHECK(top.column == 10);  // the closing quote of the second "a"
  CHECK(DescribeJsonParseError(top, {}) == "the member \"a\" appears twice (line 1, column 10)");

  const JsonParseError nested = Refusal("{\"x\": [{\"k\": 1},\n {\"k\": 2, \"k\": 3}]}");
  CHECK(nested.kind == Kind::kDuplicateKey);
  CHECK(nested.key == "k");
  CHECK(nested.line == 2);
  CHECK(nested.column == 13);

  // Escapes are decoded before comparing: "\u0061" is "a".
  CHECK(Refusal(R"({"a":1,"\u0061":2})").key == "a");
  CHECK(Refusal(R"({"":1,"":2})").key.empty());

  // The same name in different objects is no duplicate.
  CHECK_OK(ParseJson(R"({"k": {"k": 1}, "j": [{"k": 1}, {"k": 2}]})"));

  // Without the check the last value wins, as with nlohmann's own parser.
  Result<nlohmann::json> last =
      ParseJson(R"({"a":1,"b":{"c":1,"c":[2]},"a":3})", {.reject_duplicate_keys = false});
  REQUIRE_OK(last);
  CHECK(*last == nlohmann::json{{"a", 3}, {"b", {{"c", {2}}}}});
}

TEST_CASE("ParseJson shortens and cleans the duplicated name it reports", "[json][parse]") {
  const std::string long_name(100, 'n');
  const JsonParseError error = Refusal("{\"" + long_name + "\":1,\"" + long_name + "\":2}");
  const std::string message = DescribeJsonParseError(error, {});
  CHECK(message.find("\"" + std::string(64, 'n') + "...\"") != std::string::npos);
  CHECK(message.find(std::string(65, 'n')) == std::string::npos);

  const JsonParseError control = Refusal(R"({"a\u0001b":1,"a\u0001b":2})");
  CHECK(DescribeJsonParseError(control, {}).starts_with("the member \"a?b\" appears twice"));
}

TEST_CASE("ParseJson refuses texts longer than max_bytes before parsing", "[json][parse]") {
  const ParseOptions options{.max_bytes = 10};
  CHECK_OK(ParseJson("[1,2,3,45]", options));  // exactly 10 bytes
  const JsonParseError error = Refusal("[1,2,3,456]", options);
  CHECK(error.kind == Kind::kTooLarge);
  CHECK(DescribeJsonParseError(error, options) == "the JSON is larger than 10 bytes");
  // Size is checked first: even garbage that long is refused as too large.
  CHECK(Refusal("xxxxxxxxxxx", options).kind == Kind::kTooLarge);
}

TEST_CASE("ParseJson refuses invalid UTF-8 and invalid escapes", "[json][parse]") {
  for (const char* bad : {"\"\xFF\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xE2\x82\"",
                          "\"\xF4\x90\x80\x80\"", R"("\ud800")", R"("\x41")", "\"a\tb\""}) {
    INFO(bad);
    CHECK(Refusal(bad).kind == Kind::kSyntax);
  }
  CHECK(*ParseJson("\"\xF0\x9F\x94\x92\"") == "\xF0\x9F\x94\x92");
  CHECK(*ParseJson(R"("\ud83d\udd12")") == "\xF0\x9F\x94\x92");
}

TEST_CASE("ParseJson refuses anything after the value", "[json][parse]") {
  for (const char* bad : {"{} x", "{}{}", "1 2", "[1],", "{}\n}", "null null"}) {
    INFO(bad);
    CHECK(Refusal(bad).kind == Kind::kSyntax);
  }
  CHECK_OK(ParseJson("{} \r\n\t "));
  const JsonParseError after = Refusal("{}\n  x");
  CHECK(after.line == 2);
  CHECK(after.column == 3);
}

TEST_CASE("ParseJson refuses what RFC 8259 does not allow", "[json][parse]") {
  for (const char* bad : {"/* c */ {}", "{\"a\":1,}", "[1,]", "{'a':1}", "[01]", "[NaN]", "[1e999]",
                          "{a:1}", "[.5]", "[\"\\u00\"]"}) {
    INFO(bad);
    CHECK(Refusal(bad).kind == Kind::kSyntax);
  }
  CHECK(ParseJson("[1e999]").status().message().ends_with("a number is out of range"));
}

TEST_CASE("ParseJson refuses empty input with its position", "[json][parse]") {
  const JsonParseError empty = Refusal("");
  CHECK(empty.kind == Kind::kSyntax);
  CHECK(empty.offset == 0);
  CHECK(empty.line == 1);
  CHECK(empty.column == 1);
  CHECK(DescribeJsonParseError(empty, {}).starts_with("invalid JSON at line 1, column 1: "));
  CHECK(DescribeJsonParseError(empty, {}).find("unexpected end of input") != std::string::npos);

  const JsonParseError blank = Refusal(" \n ");
  CHECK(blank.line == 2);
  CHECK(blank.column == 2);
  CHECK(blank.offset == 3);  // the end of the text
}

TEST_CASE("ParseJson says where a syntax error is, never what the text says", "[json][parse]") {
  JsonParseError error = Refusal("{\n\"a\": x}");
  CHECK(error.kind == Kind::kSyntax);
  CHECK(error.offset == 7);
  CHECK(error.line == 2);
  CHECK(error.column == 6);
  CHECK(DescribeJsonParseError(error, {}).starts_with("invalid JSON at line 2, column 6"));

  // nlohmann's own message quotes the text it last read; a password must not reach a log.
  error = Refusal(R"({"password": "hunter2secret" x})");
  CHECK(error.line == 1);
  CHECK(error.column == 30);
  const std::string message = DescribeJsonParseError(error, {});
  CHECK(message.find("hunter2") == std::string::npos);
  CHECK(message.find("last read") == std::string::npos);

  error = Refusal("[\"unterminated secret");
  CHECK(DescribeJsonParseError(error, {}).find("secret") == std::string::npos);
  CHECK(error.offset == 21);
}

}  // namespace
}  // namespace bulwark::internal

namespace bulwark::internal {
namespace {

TEST_CASE("ScanJson accepts what ParseJson accepts and notes the root's members", "[json][parse]") {
  const std::string text =
      R"({"z":{"exp":"inner"},"exp":1700000000,"nbf":-5,"iat":1.5,"iss":"a\u00e9",)"
      R"("aud":["x","y"],"sub":"plain","n":null,"t":true})";
  REQUIRE_OK(ParseJson(text));
  std::array<JsonMemberScan, 9> members;
  const char* names[] = {"exp", "nbf", "iat", "iss", "aud", "sub", "n", "t", "missing"};
  for (std::size_t i = 0; i < members.size(); ++i) members[i].name = names[i];
  Result<JsonKind> root = ScanJson(text, {}, members);
  REQUIRE_OK(root);
  CHECK(*root == JsonKind::kObject);
  const auto value = [&](const JsonMemberScan& m) {
    return std::string_view(text).substr(m.begin, m.end - m.begin);
  };
  CHECK(members[0].found);
  CHECK(members[0].kind == JsonKind::kNumber);
  CHECK(members[0].number == 1700000000.0);  // the root's exp, not the nested one
  CHECK(value(members[0]) == "1700000000");
  CHECK(members[1].number == -5.0);
  CHECK(members[2].number == 1.5);
  CHECK(members[3].kind == JsonKind::kString);
  CHECK(members[3].escaped);
  CHECK(value(members[3]) == R"("a\u00e9")");
  CHECK(members[4].kind == JsonKind::kArray);
  CHECK(value(members[4]) == R"(["x","y"])");
  CHECK(members[5].kind == JsonKind::kString);
  CHECK_FALSE(members[5].escaped);
  CHECK(value(members[5]) == R"("plain")");
  CHECK(members[6].kind == JsonKind::kNull);
  CHECK(members[7].kind == JsonKind::kBoolean);
  CHECK_FALSE(members[8].found);

  for (const char* scalar : {"42", "\"s\"", "null", "[1,{}]"}) {
    INFO(scalar);
    std::array<JsonMemberScan, 1> wanted;
    wanted[0].name = "exp";
    REQUIRE_OK(ScanJson(scalar, {}, wanted));
    CHECK_FALSE(wanted[0].found);
  }
}

TEST_CASE("ScanJson finds duplicate names in any order, escaped or not", "[json][parse]") {
  for (const char* text :
       {R"({"b":1,"a":2,"b":3})", R"({"a":1,"\u0061":2})", R"({"x":{"c":1,"a":2,"b":3,"a":4}})",
        R"({"a":1,"b":2,"c":3,"d":4,"c":5})", R"([{"a":1},{"a":2,"a":3}])"}) {
    INFO(text);
    const JsonParseError error = Refusal(text);
    CHECK(error.kind == Kind::kDuplicateKey);
  }
  // Unordered names that are all different pass, as do equal names in sibling objects.
  for (const char* text : {R"({"d":1,"b":2,"c":3,"a":4,"e":{"a":1,"d":2}})", R"([{"a":1},{"a":2}])",
                           R"({"a":{"a":{"a":1}}})"}) {
    INFO(text);
    REQUIRE_OK(ParseJson(text));
    REQUIRE_OK(ScanJson(text, {}, {}));
  }
  SECTION("when duplicates are allowed the last one wins, as in the DOM") {
    const ParseOptions lenient{.reject_duplicate_keys = false};
    std::array<JsonMemberScan, 1> wanted;
    wanted[0].name = "exp";
    REQUIRE_OK(ScanJson(R"({"exp":"early","exp":7})", lenient, wanted));
    CHECK(wanted[0].kind == JsonKind::kNumber);
    CHECK(wanted[0].number == 7.0);
  }
}

}  // namespace
}  // namespace bulwark::internal
