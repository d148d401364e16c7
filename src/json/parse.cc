// SPDX-License-Identifier: Apache-2.0
#include "json/parse.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "json/scan.h"

namespace bulwark::internal {
namespace {

using Json = nlohmann::json;
using Kind = JsonParseError::Kind;

constexpr std::size_t kMaxNameInMessage = 64;

// A failed parse: what kind, where (a byte offset), and why, in words that never quote the text.
struct Failure {
  Kind kind = Kind::kSyntax;
  std::size_t offset = 0;
  const char* reason = "";
};

// The open containers, outermost first. The first levels live in place, so the usual shallow
// text allocates nothing for them; deeper ones (up to max_depth) spill into a vector.
class OpenContainers {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  Json*& back() { return size_ <= kInPlace ? in_place_[size_ - 1] : deeper_.back(); }
  void push_back(Json* open) {
    if (size_ < kInPlace) {
      in_place_[size_] = open;
    } else {
      deeper_.push_back(open);
    }
    ++size_;
  }
  void pop_back() {
    --size_;
    if (size_ >= kInPlace) deeper_.pop_back();
  }

 private:
  static constexpr std::size_t kInPlace = 16;
  std::size_t size_ = 0;
  std::array<Json*, kInPlace> in_place_;
  std::vector<Json*> deeper_;
};

// A strict RFC 8259 parser that builds nlohmann's DOM directly: one pass over the text, no
// token buffer, strings copied in runs, numbers read with std::from_chars. The values it
// builds are the ones nlohmann's own parser builds (a non-negative integer is
// number_unsigned, a negative one number_integer, one that does not fit either a float).
// Nesting is tracked on an explicit stack, never on the call stack.
class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), options_(options) {}

  // The value, or false with failure() set.
  bool Run(Json& root) {
    // nlohmann skips a UTF-8 byte order mark before the value; positions still count it.
    if (end_ - p_ >= 3 && static_cast<unsigned char>(p_[0]) == 0xEF &&
        static_cast<unsigned char>(p_[1]) == 0xBB && static_cast<unsigned char>(p_[2]) == 0xBF) {
      p_ += 3;
    }
    root_ = &root;
    for (;;) {
      // A value starts here: a container is opened (and its first member named), a scalar read.
      SkipSpace();
      if (p_ == end_) return Fail(p_, "unexpected end of input; expected a value");
      const char c = *p_;
      if (c == '{' || c == '[') {
        if (!Open(c == '{' ? Json::value_t::object : Json::value_t::array)) return false;
        SkipSpace();
        const char close = c == '{' ? '}' : ']';
        if (p_ == end_ || *p_ != close) {
          if (c == '{' && !Name(*stack_.back())) return false;
          continue;  // the first member's value, or the first element
        }
        ++p_;
        stack_.pop_back();
      } else if (!Scalar()) {
        return false;
      }
      // The value is complete: close every container that ends here, up to the next value.
      for (;;) {
        SkipSpace();
        if (stack_.empty()) {
          if (p_ != end_) return Fail(p_, "unexpected character after the value");
          return true;
        }
        Json& open = *stack_.back();
        const bool object = open.is_object();
        if (p_ == end_) {
          return Fail(p_, object ? "unexpected end of input; expected ',' or '}'"
                                 : "unexpected end of input; expected ',' or ']'");
        }
        if (*p_ == (object ? '}' : ']')) {
          ++p_;
          stack_.pop_back();
          continue;
        }
        if (*p_ != ',') {
          return Fail(p_, object ? "expected ',' or '}' after an object member"
                                 : "expected ',' or ']' after an array element");
        }
        ++p_;
        if (object) {
          SkipSpace();
          if (!Name(open)) return false;
        }
        break;
      }
    }
  }

  const Failure& failure() const { return failure_; }
  std::string& duplicate() { return duplicate_; }

 private:
  bool Fail(const char* at, const char* reason, Kind kind = Kind::kSyntax) {
    failure_.kind = kind;
    failure_.offset = static_cast<std::size_t>(at - begin_);
    failure_.reason = reason;
    return false;
  }

  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // Where the next value goes: the root, the end of the open array, or the member just named.
  Json& Slot() {
    if (stack_.empty()) return *root_;
    Json& open = *stack_.back();
    if (open.is_array()) return open.get_ptr<Json::array_t*>()->emplace_back();
    return *member_;
  }

  // A string, number or literal at p_, stored in Slot().
  bool Scalar() {
    switch (*p_) {
      case '"': {
        Json& slot = Slot();
        slot = Json::value_t::string;
        return String(*slot.get_ptr<Json::string_t*>());
      }
      case 't':
        return Literal("true", Json(true));
      case 'f':
        return Literal("false", Json(false));
      case 'n':
        return Literal("null", Json(nullptr));
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return Number();
        return Fail(p_, "expected a value");
    }
  }

  // A member name of `object` and its ':', at p_ (whitespace skipped); member_ is then where
  // its value goes.
  bool Name(Json& object) {
    if (p_ == end_) return Fail(p_, "unexpected end of input; expected a member name");
    if (*p_ != '"') return Fail(p_, "expected a string as the member name");
    std::string name;
    if (!String(name)) return false;
    Json::object_t& members = *object.get_ptr<Json::object_t*>();
    // Texts written from a std::map (nlohmann's, bulwark's) name members in ascending order,
    // so the end is almost always the right place: with that hint the insertion costs one
    // comparison, and a wrong hint only falls back to the usual search. Either way the map
    // decides whether the name is new, so a duplicate is found exactly as before.
    const std::size_t before = members.size();
    const auto member = members.emplace_hint(members.end(), std::move(name), nullptr);
    if (members.size() == before) {
      if (options_.reject_duplicate_keys) {
        duplicate_ = member->first;
        return Fail(p_ - 1, "", Kind::kDuplicateKey);  // the name's closing quote
      }
      member->second = Json();  // the last value wins, as with nlohmann's parser
    }
    member_ = &member->second;
    SkipSpace();
    if (p_ == end_) return Fail(p_, "unexpected end of input; expected ':'");
    if (*p_ != ':') return Fail(p_, "expected ':' after the member name");
    ++p_;
    return true;
  }

  bool Open(Json::value_t type) {
    if (options_.max_depth < 0 || stack_.size() >= static_cast<std::size_t>(options_.max_depth)) {
      return Fail(p_, "", Kind::kTooDeep);
    }
    Json& slot = Slot();
    slot = Json(type);
    stack_.push_back(&slot);
    ++p_;
    return true;
  }

  bool Literal(std::string_view word, Json value) {
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (p_ + i == end_) return Fail(p_ + i, "unexpected end of input in a literal");
      if (p_[i] != word[i]) return Fail(p_ + i, "invalid literal");
    }
    p_ += word.size();
    Slot() = std::move(value);
    return true;
  }

  static bool Digit(char c) { return c >= '0' && c <= '9'; }

  bool Number() {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_) return Fail(p_, "unexpected end of input in a number");
    if (*p_ == '0') {
      ++p_;
    } else if (Digit(*p_)) {
      while (p_ != end_ && Digit(*p_)) ++p_;
    } else {
      return Fail(p_, "invalid number; expected a digit");
    }
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_) return Fail(p_, "unexpected end of input in a number");
      if (!Digit(*p_)) return Fail(p_, "invalid number; expected a digit after '.'");
      while (p_ != end_ && Digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_) return Fail(p_, "unexpected end of input in a number");
      if (!Digit(*p_)) return Fail(p_, "invalid number; expected a digit in the exponent");
      while (p_ != end_ && Digit(*p_)) ++p_;
    }
    if (integer) {
      if (negative) {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(start, p_, value);
        if (ec == std::errc() && ptr == p_) {
          Slot() = Json(value);
          return true;
        }
      } else {
        std::uint64_t value = 0;
        const auto [ptr, ec] = std::from_chars(start, p_, value);
        if (ec == std::errc() && ptr == p_) {
          Slot() = Json(value);
          return true;
        }
      }
      // Too large for either integer type: a float, as nlohmann makes it.
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(start, p_, value);
    if (ec == std::errc::result_out_of_range) {
      // from_chars reports underflow too, which nlohmann (strtod) rounds to zero; only a
      // number too large for a double is refused.
      if (TooLarge(start, p_)) return Fail(start, "a number is out of range");
      value = negative ? -0.0 : 0.0;
    } else if (ec != std::errc() || ptr != p_) {
      return Fail(start, "invalid number");
    }
    Slot() = Json(value);
    return true;
  }

  // Whether the valid JSON number [start, end), which a double cannot hold, is too large
  // rather than too small: whether its first significant digit stands at or above 10^0.
  static bool TooLarge(const char* start, const char* end) {
    const char* p = start;
    if (*p == '-') ++p;
    long long place = 0;  // the power of ten of the first non-zero digit, before the exponent
    bool found = false;
    const char* integer_end = p;
    while (integer_end != end && Digit(*integer_end)) ++integer_end;
    for (const char* d = p; d != integer_end && !found; ++d) {
      if (*d != '0') {
        place = integer_end - d - 1;
        found = true;
      }
    }
    const char* q = integer_end;
    if (q != end && *q == '.') {
      ++q;
      for (long long i = 1; q != end && Digit(*q); ++q, ++i) {
        if (!found && *q != '0') {
          place = -i;
          found = true;
        }
      }
    }
    long long exponent = 0;
    if (q != end && (*q == 'e' || *q == 'E')) {
      ++q;
      const bool minus = *q == '-';
      if (*q == '+' || *q == '-') ++q;
      for (; q != end; ++q) {
        exponent = std::min<long long>(exponent * 10 + (*q - '0'), 1'000'000'000'000LL);
      }
      if (minus) exponent = -exponent;
    }
    return found && place + exponent >= 0;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Four hex digits after "\u" at p_; -1 (failure set) when they are not.
  long Hex4() {
    long code = 0;
    for (int i = 0; i < 4; ++i) {
      if (p_ == end_) {
        Fail(p_, "unexpected end of input in a \\u escape");
        return -1;
      }
      const int digit = Hex(*p_);
      if (digit < 0) {
        Fail(p_, "invalid \\u escape; expected four hex digits");
        return -1;
      }
      code = code * 16 + digit;
      ++p_;
    }
    return code;
  }

  static void AppendUtf8(unsigned long code, std::string& out) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // The length of the well-formed UTF-8 sequence at p_ (Unicode Table 3-7), or 0.
  std::size_t Utf8Length() const {
    const auto byte = [this](std::ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    const std::ptrdiff_t left = end_ - p_;
    const unsigned char b0 = byte(0);
    const auto tail = [&](std::ptrdiff_t i) { return i < left && (byte(i) & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF) return tail(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (left < 2) return 0;
      const unsigned char b1 = byte(1);
      const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
      const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
      return b1 >= lo && b1 <= hi && tail(2) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (left < 2) return 0;
      const unsigned char b1 = byte(1);
      const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
      const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
      return b1 >= lo && b1 <= hi && tail(2) && tail(3) ? 4 : 0;
    }
    return 0;
  }

  // The string at p_ (its opening quote), decoded into `out`; p_ ends after the closing quote.
  bool String(std::string& out) {
    ++p_;
    const char* run = p_;  // the start of the characters not yet copied
    for (;;) {
      // The common characters: printable ASCII other than '"' and '\\', eight at a time.
      while (end_ - p_ >= 8 && !Special8(p_)) p_ += 8;
      while (p_ != end_) {
        const auto c = static_cast<unsigned char>(*p_);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
        ++p_;
      }
      if (p_ == end_) return Fail(p_, "unexpected end of input in a string");
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.append(run, p_);
        ++p_;
        return true;
      }
      if (c >= 0x80) {
        const std::size_t length = Utf8Length();
        if (length == 0) return Fail(p_, "invalid string; ill-formed UTF-8");
        p_ += length;
        continue;
      }
      if (c < 0x20) return Fail(p_, "invalid string; control characters must be escaped");
      // A backslash.
      out.append(run, p_);
      ++p_;
      if (p_ == end_) return Fail(p_, "unexpected end of input in an escape");
      switch (*p_) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          const char* escape = p_ - 1;
          ++p_;
          long code = Hex4();
          if (code < 0) return false;
          if (code >= 0xDC00 && code <= 0xDFFF) {
            return Fail(escape, "invalid \\u escape; a low surrogate without a high one");
          }
          if (code >= 0xD800 && code <= 0xDBFF) {
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
              return Fail(p_, "invalid \\u escape; a high surrogate must be followed by a low one");
            }
            p_ += 2;
            const long low = Hex4();
            if (low < 0) return false;
            if (low < 0xDC00 || low > 0xDFFF) {
              return Fail(p_ - 6,
                          "invalid \\u escape; a high surrogate must be followed by a low one");
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(static_cast<unsigned long>(code), out);
          run = p_;
          continue;
        }
        default:
          return Fail(p_, "invalid escape");
      }
      ++p_;
      run = p_;
    }
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  const ParseOptions& options_;
  Json* root_ = nullptr;
  OpenContainers stack_;
  Json* member_ = nullptr;  // the member named last, whose value comes next
  Failure failure_;
  std::string duplicate_;  // kDuplicateKey: the name
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
  failure = JsonParseError();
  if (text.size() > options.max_bytes) {
    failure.kind = Kind::kTooLarge;
    return Status::InvalidArgument(DescribeJsonParseError(failure, options));
  }
  Json root;
  Parser parser(text, options);
  if (parser.Run(root)) return root;
  failure.kind = parser.failure().kind;
  failure.offset = parser.failure().offset;
  failure.reason = parser.failure().reason;
  if (failure.kind == Kind::kDuplicateKey) failure.key = std::move(parser.duplicate());
  Locate(text, failure);
  return Status::InvalidArgument(DescribeJsonParseError(failure, options));
}

}  // namespace bulwark::internal
