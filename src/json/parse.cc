// SPDX-License-Identifier: Apache-2.0
#include "json/parse.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <forward_list>
#include <set>
#include <span>
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

// A stack whose first levels live in place, so the usual shallow text allocates nothing for
// it; deeper ones (up to max_depth) spill into a vector.
template <typename T>
class SmallStack {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  T back() const { return size_ <= kInPlace ? in_place_[size_ - 1] : deeper_.back(); }
  void push_back(T value) {
    if (size_ < kInPlace) {
      in_place_[size_] = value;
    } else {
      deeper_.push_back(value);
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
  std::array<T, kInPlace> in_place_;
  std::vector<T> deeper_;
};

// A number as the parser read it: the type nlohmann gives it (a non-negative integer is
// unsigned, a negative one signed, one that fits neither or has a fraction or exponent a float).
struct Number {
  Json::value_t type = Json::value_t::number_unsigned;
  std::uint64_t unsigned_value = 0;
  std::int64_t signed_value = 0;
  double float_value = 0;

  // As nlohmann's get<double>() gives it.
  double AsDouble() const {
    switch (type) {
      case Json::value_t::number_unsigned:
        return static_cast<double>(unsigned_value);
      case Json::value_t::number_integer:
        return static_cast<double>(signed_value);
      default:
        return float_value;
    }
  }
};

// The one strict RFC 8259 parser: one pass over the text, no token buffer, numbers read with
// std::from_chars, nesting tracked on an explicit stack, never on the call stack. It decides
// alone what is refused, and tells a Sink what it read, in order:
//   void Begin(bool object, const char* at)      a container opens at `at`
//   void End(bool object, const char* after)     the innermost container closes before `after`
//   bool Name(std::string_view name, bool escaped, bool reject_duplicates)
//                                                a member name of the innermost object (escaped:
//                                                decoded, not a view of the text); false when it
//                                                is a duplicate to refuse
//   void String(std::string_view value, bool escaped, const char* begin, const char* end)
//   void Number(const Number& value, const char* begin, const char* end)
//   void Literal(Json::value_t type, bool value, const char* begin, const char* end)
//                                                true, false (boolean) or null
// Views passed to the sink last only until the next call: a string with escapes is decoded
// into a buffer that the next one reuses.
template <typename Sink>
class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options, Sink& sink)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        options_(options),
        sink_(sink) {}

  // True when the text is one valid value; false with failure() set otherwise.
  bool Run() {
    // nlohmann skips a UTF-8 byte order mark before the value; positions still count it.
    if (end_ - p_ >= 3 && static_cast<unsigned char>(p_[0]) == 0xEF &&
        static_cast<unsigned char>(p_[1]) == 0xBB && static_cast<unsigned char>(p_[2]) == 0xBF) {
      p_ += 3;
    }
    for (;;) {
      // A value starts here: a container is opened (and its first member named), a scalar read.
      SkipSpace();
      if (p_ == end_) return Fail(p_, "unexpected end of input; expected a value");
      const char c = *p_;
      if (c == '{' || c == '[') {
        const bool object = c == '{';
        if (!Open(object)) return false;
        SkipSpace();
        if (p_ == end_ || *p_ != (object ? '}' : ']')) {
          if (object && !Name()) return false;
          continue;  // the first member's value, or the first element
        }
        ++p_;
        Close(object);
      } else if (!Scalar()) {
        return false;
      }
      // The value is complete: close every container that ends here, up to the next value.
      for (;;) {
        SkipSpace();
        if (open_.empty()) {
          if (p_ != end_) return Fail(p_, "unexpected character after the value");
          return true;
        }
        const bool object = open_.back();
        if (p_ == end_) {
          return Fail(p_, object ? "unexpected end of input; expected ',' or '}'"
                                 : "unexpected end of input; expected ',' or ']'");
        }
        if (*p_ == (object ? '}' : ']')) {
          ++p_;
          Close(object);
          continue;
        }
        if (*p_ != ',') {
          return Fail(p_, object ? "expected ',' or '}' after an object member"
                                 : "expected ',' or ']' after an array element");
        }
        ++p_;
        if (object) {
          SkipSpace();
          if (!Name()) return false;
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

  // A string, number or literal at p_, handed to the sink.
  bool Scalar() {
    switch (*p_) {
      case '"': {
        const char* start = p_;
        std::string_view value;
        bool escaped = false;
        if (!String(value, escaped)) return false;
        sink_.String(value, escaped, start, p_);
        return true;
      }
      case 't':
        return Literal("true", Json::value_t::boolean, true);
      case 'f':
        return Literal("false", Json::value_t::boolean, false);
      case 'n':
        return Literal("null", Json::value_t::null, false);
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return ReadNumber();
        return Fail(p_, "expected a value");
    }
  }

  // A member name of the innermost object and its ':', at p_ (whitespace skipped).
  bool Name() {
    if (p_ == end_) return Fail(p_, "unexpected end of input; expected a member name");
    if (*p_ != '"') return Fail(p_, "expected a string as the member name");
    std::string_view name;
    bool escaped = false;
    if (!String(name, escaped)) return false;
    if (!sink_.Name(name, escaped, options_.reject_duplicate_keys)) {
      duplicate_ = std::string(name);
      return Fail(p_ - 1, "", Kind::kDuplicateKey);  // the name's closing quote
    }
    SkipSpace();
    if (p_ == end_) return Fail(p_, "unexpected end of input; expected ':'");
    if (*p_ != ':') return Fail(p_, "expected ':' after the member name");
    ++p_;
    return true;
  }

  bool Open(bool object) {
    if (options_.max_depth < 0 || open_.size() >= static_cast<std::size_t>(options_.max_depth)) {
      return Fail(p_, "", Kind::kTooDeep);
    }
    sink_.Begin(object, p_);
    open_.push_back(object);
    ++p_;
    return true;
  }

  // The innermost container closed; p_ is after its closing bracket.
  void Close(bool object) {
    open_.pop_back();
    sink_.End(object, p_);
  }

  bool Literal(std::string_view word, Json::value_t type, bool value) {
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (p_ + i == end_) return Fail(p_ + i, "unexpected end of input in a literal");
      if (p_[i] != word[i]) return Fail(p_ + i, "invalid literal");
    }
    const char* start = p_;
    p_ += word.size();
    sink_.Literal(type, value, start, p_);
    return true;
  }

  static bool Digit(char c) { return c >= '0' && c <= '9'; }

  bool ReadNumber() {
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
    Number number;
    if (integer) {
      if (negative) {
        const auto [ptr, ec] = std::from_chars(start, p_, number.signed_value);
        if (ec == std::errc() && ptr == p_) {
          number.type = Json::value_t::number_integer;
          sink_.Number(number, start, p_);
          return true;
        }
      } else {
        const auto [ptr, ec] = std::from_chars(start, p_, number.unsigned_value);
        if (ec == std::errc() && ptr == p_) {
          number.type = Json::value_t::number_unsigned;
          sink_.Number(number, start, p_);
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
    number.type = Json::value_t::number_float;
    number.float_value = value;
    sink_.Number(number, start, p_);
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

  // The string at p_ (its opening quote); p_ ends after the closing quote. `out` views the
  // text itself when the string holds no escape (`escaped` false), else the decoded value in
  // a buffer that the next string reuses.
  bool String(std::string_view& out, bool& escaped) {
    ++p_;
    const char* const start = p_;
    const char* run = p_;  // the start of the characters not yet copied into scratch_
    escaped = false;
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
        if (escaped) {
          scratch_.append(run, p_);
          out = scratch_;
        } else {
          out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        }
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
      if (!escaped) {
        scratch_.clear();
        escaped = true;
      }
      scratch_.append(run, p_);
      ++p_;
      if (p_ == end_) return Fail(p_, "unexpected end of input in an escape");
      switch (*p_) {
        case '"':
          scratch_.push_back('"');
          break;
        case '\\':
          scratch_.push_back('\\');
          break;
        case '/':
          scratch_.push_back('/');
          break;
        case 'b':
          scratch_.push_back('\b');
          break;
        case 'f':
          scratch_.push_back('\f');
          break;
        case 'n':
          scratch_.push_back('\n');
          break;
        case 'r':
          scratch_.push_back('\r');
          break;
        case 't':
          scratch_.push_back('\t');
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
          AppendUtf8(static_cast<unsigned long>(code), scratch_);
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
  Sink& sink_;
  SmallStack<bool> open_;  // per open container: an object (else an array)
  Failure failure_;
  std::string duplicate_;  // kDuplicateKey: the name
  std::string scratch_;    // the decoded value of a string with escapes
};

// Builds nlohmann's DOM: the values nlohmann's own parser builds, of the same types.
class DomSink {
 public:
  explicit DomSink(Json& root) : root_(root) {}

  void Begin(bool object, const char* /*at*/) {
    Json& slot = Slot();
    slot = Json(object ? Json::value_t::object : Json::value_t::array);
    open_.push_back(&slot);
  }
  void End(bool /*object*/, const char* /*after*/) { open_.pop_back(); }

  bool Name(std::string_view name, bool /*escaped*/, bool reject_duplicates) {
    Json::object_t& members = *open_.back()->get_ptr<Json::object_t*>();
    // Texts written from a std::map (nlohmann's, bulwark's) name members in ascending order,
    // so the end is almost always the right place: with that hint the insertion costs one
    // comparison, and a wrong hint only falls back to the usual search. Either way the map
    // decides whether the name is new, so a duplicate is found exactly as before.
    const std::size_t before = members.size();
    const auto member = members.emplace_hint(members.end(), std::string(name), nullptr);
    if (members.size() == before) {
      if (reject_duplicates) return false;
      member->second = Json();  // the last value wins, as with nlohmann's parser
    }
    member_ = &member->second;
    return true;
  }

  void String(std::string_view value, bool /*escaped*/, const char* /*begin*/,
              const char* /*end*/) {
    Json& slot = Slot();
    slot = Json::value_t::string;
    slot.get_ptr<Json::string_t*>()->assign(value);
  }

  void Number(const internal::Number& value, const char* /*begin*/, const char* /*end*/) {
    switch (value.type) {
      case Json::value_t::number_unsigned:
        Slot() = Json(value.unsigned_value);
        break;
      case Json::value_t::number_integer:
        Slot() = Json(value.signed_value);
        break;
      default:
        Slot() = Json(value.float_value);
        break;
    }
  }

  void Literal(Json::value_t type, bool value, const char* /*begin*/, const char* /*end*/) {
    if (type == Json::value_t::boolean) {
      Slot() = Json(value);
    } else {
      Slot() = Json(nullptr);
    }
  }

 private:
  // Where the next value goes: the root, the end of the open array, or the member just named.
  Json& Slot() {
    if (open_.empty()) return root_;
    Json& open = *open_.back();
    if (open.is_array()) return open.get_ptr<Json::array_t*>()->emplace_back();
    return *member_;
  }

  Json& root_;
  SmallStack<Json*> open_;
  Json* member_ = nullptr;  // the member named last, whose value comes next
};

// The member names of one object, to find a duplicate without a DOM. Texts written from a
// std::map name members in ascending order: then a name above the last one is new, and the
// names only need to be listed. The first name out of order moves them into a set, and from
// there each name is looked up, so a hostile order costs O(n log n), not O(n^2).
class MemberNames {
 public:
  void Clear() {
    count_ = 0;
    more_.clear();
    all_.clear();
    unordered_ = false;
  }

  // False when `name` was already there. The view must outlive this object's use.
  bool Insert(std::string_view name) {
    if (!unordered_) {
      if (count_ == 0 || Less(last_, name)) {
        if (count_ < kInPlace) {
          first_[count_] = name;
        } else {
          more_.push_back(name);
        }
        ++count_;
        last_ = name;
        return true;
      }
      if (last_ == name) return false;
      all_.insert(first_.begin(), first_.begin() + std::min(count_, kInPlace));
      all_.insert(more_.begin(), more_.end());
      unordered_ = true;
    }
    return all_.insert(name).second;
  }

 private:
  // a < b, as std::string_view compares; most names differ in their first byte, which
  // decides without a call to memcmp.
  static bool Less(std::string_view a, std::string_view b) {
    if (!a.empty() && !b.empty() && a[0] != b[0]) {
      return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]);
    }
    return a < b;
  }

  // The ascending names: the first ones in place (a usual claims set allocates nothing), the
  // rest in more_.
  static constexpr std::size_t kInPlace = 32;
  std::array<std::string_view, kInPlace> first_;
  std::size_t count_ = 0;
  std::vector<std::string_view> more_;
  std::string_view last_;
  std::set<std::string_view> all_;
  bool unordered_ = false;
};

// Builds nothing: finds duplicate member names itself, and notes where the wanted members of
// the root object are.
class ScanSink {
 public:
  ScanSink(std::span<JsonMemberScan> wanted, std::string_view text)
      : wanted_(wanted), text_(text.data()) {
    for (JsonMemberScan& member : wanted_) member.found = false;
  }

  JsonKind root() const { return root_; }

  void Begin(bool object, const char* at) {
    const JsonKind kind = object ? JsonKind::kObject : JsonKind::kArray;
    if (depth_ == 0) root_ = kind;
    if (depth_ == 1 && pending_ != nullptr) {
      Note(*pending_, kind, at, at);
      capturing_ = pending_;
    }
    pending_ = nullptr;
    ++depth_;
    if (object) {
      if (open_objects_ > 0 && deeper_names_.size() < open_objects_) deeper_names_.emplace_back();
      Names(open_objects_).Clear();
      ++open_objects_;
    }
  }

  void End(bool object, const char* after) {
    --depth_;
    if (object) --open_objects_;
    if (depth_ == 1 && capturing_ != nullptr) {
      capturing_->end = static_cast<std::size_t>(after - text_);
      capturing_ = nullptr;
    }
  }

  bool Name(std::string_view name, bool escaped, bool reject_duplicates) {
    if (reject_duplicates) {
      // A view into the text lives as long as the scan; a decoded name is kept here.
      const std::string_view kept = escaped ? decoded_names_.emplace_front(name) : name;
      if (!Names(open_objects_ - 1).Insert(kept)) return false;
    }
    if (depth_ == 1) {
      pending_ = nullptr;
      for (JsonMemberScan& member : wanted_) {
        // The size and the first byte rule out most names without a call to memcmp.
        if (member.name.size() == name.size() && (name.empty() || member.name[0] == name[0]) &&
            member.name == name) {
          pending_ = &member;
          break;
        }
      }
    }
    return true;
  }

  void String(std::string_view /*value*/, bool escaped, const char* begin, const char* end) {
    if (Scalar(JsonKind::kString, begin, end)) last_->escaped = escaped;
  }

  void Number(const internal::Number& value, const char* begin, const char* end) {
    if (Scalar(JsonKind::kNumber, begin, end)) last_->number = value.AsDouble();
  }

  void Literal(Json::value_t type, bool /*value*/, const char* begin, const char* end) {
    Scalar(type == Json::value_t::boolean ? JsonKind::kBoolean : JsonKind::kNull, begin, end);
  }

 private:
  // True when the scalar is a wanted member's value (last_ is then that member).
  bool Scalar(JsonKind kind, const char* begin, const char* end) {
    if (depth_ == 0) root_ = kind;
    if (depth_ != 1 || pending_ == nullptr) return false;
    Note(*pending_, kind, begin, end);
    last_ = pending_;
    pending_ = nullptr;
    return true;
  }

  void Note(JsonMemberScan& member, JsonKind kind, const char* begin, const char* end) {
    // A member named again (duplicates allowed): the last value wins, as in the DOM.
    member.found = true;
    member.kind = kind;
    member.begin = static_cast<std::size_t>(begin - text_);
    member.end = static_cast<std::size_t>(end - text_);
    member.number = 0;
    member.escaped = false;
  }

  std::span<JsonMemberScan> wanted_;
  const char* text_;
  JsonKind root_ = JsonKind::kNull;
  int depth_ = 0;                        // open containers
  JsonMemberScan* pending_ = nullptr;    // the wanted member just named at depth 1
  JsonMemberScan* capturing_ = nullptr;  // the wanted member whose container value is open
  JsonMemberScan* last_ = nullptr;       // the wanted member whose scalar was just noted
  // Per open object: the outermost one's names in place, the deeper ones' in a vector whose
  // elements are kept for reuse.
  MemberNames& Names(std::size_t level) {
    return level == 0 ? outermost_names_ : deeper_names_[level - 1];
  }
  MemberNames outermost_names_;
  std::vector<MemberNames> deeper_names_;
  std::size_t open_objects_ = 0;
  // Names with escapes, decoded (stable addresses; a forward_list allocates nothing until used,
  // where a deque would allocate on construction).
  std::forward_list<std::string> decoded_names_;
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

namespace {

// Runs the parser over `text` with `sink`; on failure fills `failure` and returns the Status.
template <typename Sink>
Status Run(std::string_view text, const ParseOptions& options, Sink& sink,
           JsonParseError& failure) {
  failure = JsonParseError();
  if (text.size() > options.max_bytes) {
    failure.kind = Kind::kTooLarge;
    return Status::InvalidArgument(DescribeJsonParseError(failure, options));
  }
  Parser<Sink> parser(text, options, sink);
  if (parser.Run()) return Status::Ok();
  failure.kind = parser.failure().kind;
  failure.offset = parser.failure().offset;
  failure.reason = parser.failure().reason;
  if (failure.kind == Kind::kDuplicateKey) failure.key = std::move(parser.duplicate());
  Locate(text, failure);
  return Status::InvalidArgument(DescribeJsonParseError(failure, options));
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, const ParseOptions& options,
                                 JsonParseError* error) {
  JsonParseError local;
  Json root;
  DomSink sink(root);
  BULWARK_RETURN_IF_ERROR(Run(text, options, sink, error != nullptr ? *error : local));
  return root;
}

Result<JsonKind> ScanJson(std::string_view text, const ParseOptions& options,
                          std::span<JsonMemberScan> members, JsonParseError* error) {
  JsonParseError local;
  ScanSink sink(members, text);
  BULWARK_RETURN_IF_ERROR(Run(text, options, sink, error != nullptr ? *error : local));
  return sink.root();
}

}  // namespace bulwark::internal
