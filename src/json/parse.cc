// SPDX-License-Identifier: Apache-2.0
#include "json/parse.h"

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace bulwark::internal {
namespace {

using Json = nlohmann::json;
using Kind = JsonParseError::Kind;

constexpr std::size_t kMaxNameInMessage = 64;

// Walks the text for nlohmann's lexer and records how far it has read. The SAX events carry
// no position; this does, for the depth and duplicate refusals. The lexer reads one
// character at a time and has just read the '{', '[' or the key's closing quote when the
// event fires, so `*cursor - 1` is the character the refusal points at.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* at, const char** cursor) : at_(at), cursor_(cursor) {}

  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    *cursor_ = at_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_ = nullptr;
  const char** cursor_ = nullptr;
};

// nlohmann's message without the text it quotes ("; last read: '...'"), which may be a
// secret: "syntax error while parsing object key - unexpected end of input; expected string
// literal". Empty for messages of other shapes.
std::string ReasonOf(const nlohmann::json::exception& exception) {
  const std::string_view what = exception.what();
  if (exception.id == 406) return "a number is out of range";
  const std::size_t start = what.find("syntax error");
  if (start == std::string_view::npos) return {};
  std::string_view reason = what.substr(start);
  const std::size_t quoted = reason.find("; last read:");
  if (quoted != std::string_view::npos) reason = reason.substr(0, quoted);
  return std::string(reason);
}

// Builds the DOM as nlohmann's own SAX DOM builder does, and refuses what the options refuse
// at the event where it shows, so that the rest of the text is never read.
class StrictDomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  // `cursor` is where the CountingIterator has read to in the text starting at `base`.
  StrictDomBuilder(const ParseOptions& options, const char* base, const char* const& cursor)
      : options_(options), base_(base), cursor_(cursor) {}

  bool null() { return Put(nullptr) != nullptr; }
  bool boolean(bool value) { return Put(value) != nullptr; }
  bool number_integer(number_integer_t value) { return Put(value) != nullptr; }
  bool number_unsigned(number_unsigned_t value) { return Put(value) != nullptr; }
  bool number_float(number_float_t value, const string_t&) { return Put(value) != nullptr; }
  bool string(string_t& value) { return Put(value) != nullptr; }
  // The JSON text parser never produces binary values.
  bool binary(binary_t&) { return Refuse(Kind::kSyntax); }

  bool start_object(std::size_t) { return Open(Json::value_t::object); }
  bool start_array(std::size_t) { return Open(Json::value_t::array); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(string_t& name) {
    Json::object_t& object = *stack_.back()->get_ptr<Json::object_t*>();
    auto [member, inserted] = object.try_emplace(name);
    if (!inserted && options_.reject_duplicate_keys) {
      error_.key = name;
      return Refuse(Kind::kDuplicateKey);
    }
    // Not rejecting: the value overwrites the earlier one, as nlohmann's builder does.
    member_ = &member->second;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::json::exception& exception) {
    // nlohmann counts the characters read, the offending one (or the end) included.
    error_.kind = Kind::kSyntax;
    error_.offset = position > 0 ? position - 1 : 0;
    error_.reason = ReasonOf(exception);
    return false;
  }

  Json& root() { return root_; }
  JsonParseError& error() { return error_; }

 private:
  // Stores a scalar or a new container where the grammar says the next value goes.
  template <typename Value>
  Json* Put(Value&& value) {
    if (stack_.empty()) {
      root_ = Json(std::forward<Value>(value));
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      Json::array_t& array = *parent.get_ptr<Json::array_t*>();
      array.emplace_back(std::forward<Value>(value));
      return &array.back();
    }
    *member_ = Json(std::forward<Value>(value));
    return member_;
  }

  bool Open(Json::value_t type) {
    // The pointers on the stack stay valid: only the innermost open container changes.
    if (options_.max_depth < 0 || stack_.size() >= static_cast<std::size_t>(options_.max_depth)) {
      return Refuse(Kind::kTooDeep);
    }
    stack_.push_back(Put(type));
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  bool Refuse(Kind kind) {
    error_.kind = kind;
    error_.offset = static_cast<std::size_t>(cursor_ - base_) - 1;
    return false;
  }

  const ParseOptions& options_;
  const char* base_;
  const char* const& cursor_;
  Json root_;
  std::vector<Json*> stack_;
  Json* member_ = nullptr;
  JsonParseError error_;
};

void Locate(std::string_view text, JsonParseError& error) {
  if (error.offset > text.size()) error.offset = text.size();
  error.line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < error.offset; ++i) {
    if (text[i] == '\n') {
      ++error.line;
      line_start = i + 1;
    }
  }
  error.column = error.offset - line_start + 1;
}

std::string Quoted(std::string_view name) {
  std::string out = "\"";
  // Cut on a character boundary: the name is valid UTF-8 and the message stays so.
  std::size_t end = name.size();
  if (end > kMaxNameInMessage) {
    end = kMaxNameInMessage;
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0u) == 0x80u) --end;
  }
  for (char c : name.substr(0, end)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  if (end < name.size()) out.append("...");
  out.push_back('"');
  return out;
}

std::string Where(const JsonParseError& error) {
  return "line " + std::to_string(error.line) + ", column " + std::to_string(error.column);
}

}  // namespace

std::string DescribeJsonParseError(const JsonParseError& error, const ParseOptions& options) {
  switch (error.kind) {
    case Kind::kTooLarge:
      return "the JSON is larger than " + std::to_string(options.max_bytes) + " bytes";
    case Kind::kTooDeep:
      return "the JSON is nested more than " + std::to_string(options.max_depth) +
             " levels deep (" + Where(error) + ")";
    case Kind::kDuplicateKey:
      return "the member " + Quoted(error.key) + " appears twice (" + Where(error) + ")";
    case Kind::kSyntax:
      break;
  }
  std::string message = "invalid JSON at " + Where(error);
  if (!error.reason.empty()) message.append(": ").append(error.reason);
  return message;
}

Result<nlohmann::json> ParseJson(std::string_view text, const ParseOptions& options,
                                 JsonParseError* error) {
  JsonParseError local;
  JsonParseError& failure = error != nullptr ? *error : local;
  if (text.size() > options.max_bytes) {
    failure = JsonParseError();
    failure.kind = Kind::kTooLarge;
    return Status::InvalidArgument(DescribeJsonParseError(failure, options));
  }
  const char* cursor = text.data();
  StrictDomBuilder builder(options, text.data(), cursor);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(CountingIterator(text.data(), &cursor),
                             CountingIterator(text.data() + text.size(), &cursor), &builder,
                             Json::input_format_t::json, /*strict=*/true,
                             /*ignore_comments=*/false);
  } catch (const nlohmann::json::exception& exception) {
    // Defence in depth: the SAX interface reports errors through parse_error.
    JsonParseError& thrown = builder.error();
    thrown.kind = Kind::kSyntax;
    thrown.offset = static_cast<std::size_t>(cursor - text.data());
    thrown.reason = ReasonOf(exception);
  }
  if (parsed) return std::move(builder.root());
  failure = std::move(builder.error());
  Locate(text, failure);
  return Status::InvalidArgument(DescribeJsonParseError(failure, options));
}

}  // namespace bulwark::internal
