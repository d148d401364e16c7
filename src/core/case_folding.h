// SPDX-License-Identifier: Apache-2.0
//
// Private: Unicode simple case folding, the key of the case-insensitive email, username and
// managed-domain rules (store.h): two strings are "the same ignoring case" when their folds
// are equal.
//
// Simple folding is CaseFolding.txt's mappings of status C and S, one code point to one code
// point (Unicode 15.0, generated into case_folding_table.inc by scripts/gen-case-folding.py):
//   - "ÜNI" and "üni" fold alike, and so do Greek "Σ", "σ" and final "ς" (all to "σ");
//   - it is not a normalisation: fullwidth "ｕｎｉ", Cyrillic "а" beside Latin "a", and a
//     decomposed "u" + U+0308 beside the precomposed "ü" all stay distinct (NFKC would merge
//     the first and the last, which is why it is not used for identities);
//   - a code point whose only folding is full (F) or Turkic (T) folds to itself: "ß" (U+00DF)
//     stays "ß" (its full folding is "ss"), capital sharp s "ẞ" (U+1E9E) folds to "ß", and
//     Turkish capital dotted "İ" (U+0130) stays "İ" (its full folding is "i̇", its Turkic one
//     "i"), so "İ" never matches "i" or "I";
//   - a few compatibility letters do fold to ASCII, by Unicode's own data: the Kelvin sign
//     U+212A to "k", the long s U+017F to "s".
//
// Invalid UTF-8 (a stray or truncated sequence, an overlong form, a surrogate, a code point
// past U+10FFFF) never fails and is kept byte for byte, while the valid text around it is
// folded; ASCII bytes are never taken into an invalid sequence. So the fold of a valid string
// is valid and the fold of an invalid one is invalid: bad bytes can never fold into someone
// else's valid address. Folding is idempotent (CaseFold(CaseFold(x)) == CaseFold(x)), and
// CaseFold(AsciiLower(x)) == CaseFold(x), which is what lets the store's schema migration fold
// the keys it had lower-cased the ASCII way.
//
// Pure functions; safe from any thread.
#ifndef BULWARK_CORE_CASE_FOLDING_H_
#define BULWARK_CORE_CASE_FOLDING_H_

#include <string>
#include <string_view>

namespace bulwark::internal {

// The simple case folding of one code point; itself when it has none (also for values that
// are not code points).
char32_t SimpleCaseFold(char32_t code_point) noexcept;

// The simple case folding of the UTF-8 `text`, invalid bytes kept as they are. ASCII-only
// text takes a byte loop that does what AsciiLower does.
std::string CaseFold(std::string_view text);

// CaseFold(a) == CaseFold(b).
bool CaseFoldEquals(std::string_view a, std::string_view b);

// Whether `text` is well-formed UTF-8 (no stray or truncated sequence, overlong form,
// surrogate or code point past U+10FFFF).
bool IsWellFormedUtf8(std::string_view text);

// The Unicode version of the folding table, e.g. "15.0.0".
std::string_view CaseFoldingUnicodeVersion() noexcept;

}  // namespace bulwark::internal

#endif  // BULWARK_CORE_CASE_FOLDING_H_
