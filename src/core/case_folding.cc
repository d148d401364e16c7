// SPDX-License-Identifier: Apache-2.0
#include "core/case_folding.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace bulwark::internal {
namespace {

struct CaseFoldRun {
  char32_t first;
  char32_t last;
  std::uint8_t stride;
  std::int32_t delta;
};

#include "core/case_folding_table.inc"

static_assert(std::size(kCaseFoldRuns) > 0);

struct Decoded {
  char32_t code_point = 0;
  // Bytes taken: 0 when `text` does not start with a well-formed sequence.
  std::size_t length = 0;
};

bool IsContinuation(unsigned char byte) { return byte >= 0x80 && byte <= 0xBF; }

// The well-formed UTF-8 sequence of two to four bytes at the start of `text` (The Unicode
// Standard, table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF).
// REQUIRES: text is not empty and text[0] is not ASCII.
Decoded DecodeMultibyte(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;  // bounds of the second byte
  unsigned char high = 0xBF;
  char32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {};
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return {};
  for (std::size_t i = 1; i < length; ++i) {
    if (!IsContinuation(byte(i))) return {};
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  return {code_point, length};
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char AsciiFold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

char32_t SimpleCaseFold(char32_t code_point) noexcept {
  if (code_point < kCaseFoldRuns[0].first) return code_point;
  // The last run that starts at or before the code point.
  const auto* it =
      std::upper_bound(std::begin(kCaseFoldRuns), std::end(kCaseFoldRuns), code_point,
                       [](char32_t cp, const CaseFoldRun& run) { return cp < run.first; });
  const CaseFoldRun& run = *std::prev(it);
  if (code_point > run.last || (code_point - run.first) % run.stride != 0) return code_point;
  return static_cast<char32_t>(static_cast<std::int64_t>(code_point) + run.delta);
}

std::string CaseFold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(AsciiFold(c));
      ++i;
      continue;
    }
    const Decoded decoded = DecodeMultibyte(text.substr(i));
    if (decoded.length == 0) {
      // Ill-formed: this byte as it is, then resynchronise on the next one.
      out.push_back(c);
      ++i;
      continue;
    }
    const char32_t folded = SimpleCaseFold(decoded.code_point);
    if (folded == decoded.code_point) {
      out.append(text.substr(i, decoded.length));
    } else {
      AppendUtf8(out, folded);
    }
    i += decoded.length;
  }
  return out;
}

bool CaseFoldEquals(std::string_view a, std::string_view b) { return CaseFold(a) == CaseFold(b); }

bool IsWellFormedUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = DecodeMultibyte(text.substr(i)).length;
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string_view CaseFoldingUnicodeVersion() noexcept { return kCaseFoldingUnicodeVersion; }

}  // namespace bulwark::internal
