// SPDX-License-Identifier: Apache-2.0
// What the fuzz harnesses share: the entry-point macro (libFuzzer's LLVMFuzzerTestOneInput in
// the fuzzer build, a registered function in the replay build), a reader that splits an input
// into fields, and the check that turns a broken invariant into a crash libFuzzer reports.
#ifndef BULWARK_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define BULWARK_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace bulwark::fuzz {

using TargetFn = int (*)(const std::uint8_t* data, std::size_t size);

// Replay build only (replay_main.cc): records `fn` under `name`; returns true.
bool RegisterTarget(std::string_view name, TargetFn fn);

// Prints `what` and aborts: ASan/libFuzzer then report the input as a crash.
[[noreturn]] inline void Fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
  std::abort();
}

// Splits an input front to back: single bytes (0 when exhausted), fields up to a separator.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  std::uint8_t Byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  // Up to (not including) the next `separator`, which is consumed; everything when absent.
  std::string_view Field(char separator = '\n') {
    const std::size_t at = rest_.find(separator);
    const std::string_view field = rest_.substr(0, at);
    rest_ = at == std::string_view::npos ? std::string_view() : rest_.substr(at + 1);
    return field;
  }
  std::string_view Rest() {
    const std::string_view all = rest_;
    rest_ = {};
    return all;
  }
  std::string_view Peek() const { return rest_; }

 private:
  std::string_view rest_;
};

// Whether `text`'s brackets nest at most `max` deep (cheap guard before recursive JSON work
// in the harness itself). Brackets inside JSON strings do not count: `{"a":"[["}` nests one
// deep.
inline bool NestsWithin(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace bulwark::fuzz

#define BULWARK_FUZZ_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::bulwark::fuzz::Fail(__FILE__, __LINE__, #cond))

// BULWARK_FUZZ_TARGET(name) { ...body using `data` and `size`... }
#ifdef BULWARK_FUZZ_REPLAY
#define BULWARK_FUZZ_TARGET(name)                                                        \
  static int BulwarkFuzzTarget_##name(const std::uint8_t* data, std::size_t size);      \
  [[maybe_unused]] static const bool bulwark_fuzz_registered_##name =                   \
      ::bulwark::fuzz::RegisterTarget(#name, &BulwarkFuzzTarget_##name);                 \
  static int BulwarkFuzzTarget_##name(const std::uint8_t* data, std::size_t size)
#else
#define BULWARK_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif

#endif  // BULWARK_TESTS_FUZZ_FUZZ_SUPPORT_H_
