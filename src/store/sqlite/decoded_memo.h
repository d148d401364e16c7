// SPDX-License-Identifier: Apache-2.0
//
// Private: a memo of decoded documents, keyed by the document's text.
//
// Decoding is a pure function of the text, so a memo keyed by the whole text can never be
// stale: a changed document is a different key. A login reads the same user and registration
// documents again and again (their last login lives in columns since schema version 7, so the
// documents do not change), and a copy of the decoded value costs a fraction of a decode.
//
// Direct-mapped: kSlots slots, the slot chosen by a hash of the text, the newest document
// replacing the older one; a hit compares the whole text. Values hold whatever the documents
// hold (password hashes among them); they live no longer than the process, as the same bytes
// in SQLite's page cache do.
//
// Thread-safe: a slot is read and written under its stripe's mutex.
#ifndef BULWARK_STORE_SQLITE_DECODED_MEMO_H_
#define BULWARK_STORE_SQLITE_DECODED_MEMO_H_

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace bulwark::internal::sqlite {

template <typename T, std::size_t kSlots = 256, std::size_t kStripes = 16>
class DecodedMemo {
  static_assert((kSlots & (kSlots - 1)) == 0 && kSlots % kStripes == 0);

 public:
  // Documents longer than this are decoded every time: the memo stays small.
  static constexpr std::size_t kMaxText = 16 * 1024;

  // The value decoded from `text` before, or nullopt.
  std::optional<T> Find(std::string_view text) const {
    if (text.size() > kMaxText) return std::nullopt;
    const std::size_t slot = SlotOf(text);
    std::lock_guard<std::mutex> lock(stripes_[slot % kStripes]);
    const Slot& s = slots_[slot];
    if (!s.value.has_value() || s.text != text) return std::nullopt;
    return s.value;
  }

  // f(value) for the value decoded from `text` before, read in place (no copy of the
  // value), or nullopt.
  template <typename F>
  std::optional<std::invoke_result_t<F, const T&>> Peek(std::string_view text, F f) const {
    if (text.size() > kMaxText) return std::nullopt;
    const std::size_t slot = SlotOf(text);
    std::lock_guard<std::mutex> lock(stripes_[slot % kStripes]);
    const Slot& s = slots_[slot];
    if (!s.value.has_value() || s.text != text) return std::nullopt;
    return f(*s.value);
  }

  // Remembers `value` as the decoding of `text`.
  void Remember(std::string_view text, const T& value) {
    if (text.size() > kMaxText) return;
    const std::size_t slot = SlotOf(text);
    std::lock_guard<std::mutex> lock(stripes_[slot % kStripes]);
    Slot& s = slots_[slot];
    s.text.assign(text);
    s.value = value;
  }

 private:
  struct Slot {
    std::string text;
    std::optional<T> value;
  };

  static std::size_t SlotOf(std::string_view text) {
    return std::hash<std::string_view>{}(text) & (kSlots - 1);
  }

  mutable std::array<std::mutex, kStripes> stripes_;
  std::array<Slot, kSlots> slots_;
};

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_DECODED_MEMO_H_
