// SPDX-License-Identifier: Apache-2.0
//
// Unicode simple case folding. Every expected value is written from CaseFolding.txt (Unicode
// 15.0) by hand; the literals are UTF-8 (\u escapes in narrow literals) or raw bytes.
#include "core/case_folding.h"

#include <catch2/catch.hpp>

#include <string>

namespace bulwark::internal {
namespace {

TEST_CASE("ASCII letters fold to lower case and everything else in ASCII stays", "[casefold]") {
  CHECK(CaseFold("UNI@Example.COM") == "uni@example.com");
  CHECK(CaseFold("uni@example.com") == "uni@example.com");
  CHECK(CaseFold("A-Z_0123456789+.!#$%&'*/=?^`{|}~ @[]") == "a-z_0123456789+.!#$%&'*/=?^`{|}~ @[]");
  CHECK(CaseFold("") == "");
  CHECK(CaseFold(std::string("A\0B", 3)) == std::string("a\0b", 3));
  CHECK(SimpleCaseFold(U'A') == U'a');
  CHECK(SimpleCaseFold(U'Z') == U'z');
  CHECK(SimpleCaseFold(U'@') == U'@');
  CHECK(SimpleCaseFold(U'[') == U'[');
}

TEST_CASE("Latin-1 capitals fold to their small letters", "[casefold]") {
  // 00DC; C; 00FC (U with diaeresis), 00C9; C; 00E9, 00DE; C; 00FE.
  CHECK(CaseFold("\u00DCNI@example.com") == "\u00FCni@example.com");
  CHECK(CaseFold("\u00FCni@example.com") == "\u00FCni@example.com");
  CHECK(CaseFold("\u00C9COLE \u00DE") == "\u00E9cole \u00FE");
  CHECK(CaseFoldEquals("\u00DCNI@EXAMPLE.COM", "\u00FCni@example.com"));
  // 00D7 (multiplication sign) sits between the capitals and has no folding.
  CHECK(CaseFold("\u00D7") == "\u00D7");
  // 00B5 micro sign; C; 03BC Greek small mu.
  CHECK(CaseFold("\u00B5") == "\u03BC");
}

TEST_CASE("Greek capital, small and final sigma all fold to small sigma", "[casefold]") {
  // 03A3; C; 03C3 and 03C2; C; 03C3.
  CHECK(CaseFold("\u03A3") == "\u03C3");
  CHECK(CaseFold("\u03C3") == "\u03C3");
  CHECK(CaseFold("\u03C2") == "\u03C3");
  CHECK(CaseFold("\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3") ==
        "\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C3");
  CHECK(CaseFoldEquals("\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C2",
                       "\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3"));
}

TEST_CASE("Cyrillic folds within Cyrillic and never into Latin", "[casefold]") {
  // 0410..042F; C; +0x20 and 0400..040F; C; +0x50.
  CHECK(CaseFold("\u041F\u0420\u0418\u0412\u0415\u0422") == "\u043F\u0440\u0438\u0432\u0435\u0442");
  CHECK(CaseFold("\u0401") == "\u0451");
  // Cyrillic a (0430) and capital A (0410) are not Latin a.
  CHECK(CaseFold("\u0410") == "\u0430");
  CHECK_FALSE(CaseFoldEquals("\u0430dmin@example.com", "admin@example.com"));
  CHECK_FALSE(CaseFoldEquals("\u0410DMIN@example.com", "ADMIN@example.com"));
}

TEST_CASE("astral-plane letters fold (Deseret, Adlam)", "[casefold]") {
  // 10400; C; 10428 (Deseret long I), 1E900; C; 1E922 (Adlam alif).
  CHECK(CaseFold("\U00010400") == "\U00010428");
  CHECK(CaseFold("\U00010428") == "\U00010428");
  CHECK(CaseFold("x\U00010427y") == "x\U0001044Fy");
  CHECK(CaseFold("\U0001E900") == "\U0001E922");
  CHECK(SimpleCaseFold(0x10400) == 0x10428);
  CHECK(SimpleCaseFold(0x10FFFF) == 0x10FFFF);
  CHECK(SimpleCaseFold(0x110000) == 0x110000);
}

TEST_CASE("fullwidth letters fold among themselves and stay distinct from ASCII", "[casefold]") {
  // FF21..FF3A; C; FF41..FF5A.
  CHECK(CaseFold("\uFF35\uFF2E\uFF29") == "\uFF55\uFF4E\uFF49");
  CHECK(CaseFoldEquals("\uFF35\uFF2E\uFF29@example.com", "\uFF55\uFF4E\uFF49@example.com"));
  CHECK_FALSE(CaseFoldEquals("\uFF55\uFF4E\uFF49@example.com", "uni@example.com"));
  CHECK_FALSE(CaseFoldEquals("\uFF35\uFF2E\uFF29@example.com", "UNI@example.com"));
}

TEST_CASE("simple folding is not normalisation: a decomposed u-umlaut stays distinct",
          "[casefold]") {
  // u + 0308 combining diaeresis is canonically equivalent to 00FC, but folding does not
  // compose.
  CHECK(CaseFold("U\u0308") == "u\u0308");
  CHECK_FALSE(CaseFoldEquals("u\u0308ni", "\u00FCni"));
}

TEST_CASE("sharp s stays sharp s; capital sharp s folds to it (status S)", "[casefold]") {
  // 00DF has only a full folding (F: 0073 0073); 1E9E; S; 00DF.
  CHECK(CaseFold("\u00DF") == "\u00DF");
  CHECK(CaseFold("STRA\u1E9EE") == "stra\u00DFe");
  CHECK_FALSE(CaseFoldEquals("stra\u00DFe", "strasse"));
  CHECK(SimpleCaseFold(0x1E9E) == 0xDF);
}

TEST_CASE("Turkish capital dotted I has no simple folding and stays as it is", "[casefold]") {
  // 0130 has only F (0069 0307) and T (0069); 0131 dotless i has no folding at all.
  CHECK(CaseFold("\u0130") == "\u0130");
  CHECK(CaseFold("\u0130STANBUL") == "\u0130stanbul");
  CHECK(CaseFold("\u0131") == "\u0131");
  CHECK_FALSE(CaseFoldEquals("\u0130", "i"));
  CHECK_FALSE(CaseFoldEquals("\u0130", "I"));
  CHECK(CaseFold("I") == "i");
}

TEST_CASE("some letters fold to other lengths or to ASCII, as Unicode says", "[casefold]") {
  // 023A; C; 2C65: two bytes become three. 212A Kelvin sign; C; 006B. 017F long s; C; 0073.
  CHECK(CaseFold("\u023A") == "\u2C65");
  CHECK(CaseFold("\u212Aelvin") == "kelvin");
  CHECK(CaseFold("\u017F") == "s");
  // 2126 Ohm sign; C; 03C9 omega.
  CHECK(CaseFold("\u2126") == "\u03C9");
  // Cherokee small letters fold to the capitals: AB70; C; 13A0 and 13F8; C; 13F0.
  CHECK(CaseFold("\uAB70") == "\u13A0");
  CHECK(CaseFold("\u13A0") == "\u13A0");
  CHECK(CaseFold("\u13F8") == "\u13F0");
  // Stride-2 pairs of Latin Extended-A: 0100; C; 0101 and 0101 itself stays.
  CHECK(CaseFold("\u0100\u0101\u012E\u012F") == "\u0101\u0101\u012F\u012F");
  // 0130's neighbours in that block: 0132; C; 0133.
  CHECK(CaseFold("\u0132") == "\u0133");
}

TEST_CASE("invalid UTF-8 is kept byte for byte while valid text around it folds", "[casefold]") {
  // A stray continuation byte, a byte that is never UTF-8, a truncated sequence at the end.
  CHECK(CaseFold("\x9C") == "\x9C");
  CHECK(CaseFold("A\xFFZ") == "a\xFFz");
  CHECK(CaseFold("U\xC3") == "u\xC3");
  // A truncated sequence before an ASCII letter: the letter is not swallowed, and folds.
  CHECK(CaseFold("\xC3X") == "\xC3x");
  CHECK(CaseFold("\xE2\x84X") == "\xE2\x84x");
  // Overlong forms stay as they are: C1 81 is an overlong "A" and must not become "a".
  CHECK(CaseFold("\xC1\x81") == "\xC1\x81");
  CHECK(CaseFold("\xC0\x80") == "\xC0\x80");
  CHECK(CaseFold("\xE0\x81\x81") == "\xE0\x81\x81");
  // Surrogates (ED A0 80 is U+D800) and code points past U+10FFFF.
  CHECK(CaseFold("\xED\xA0\x80") == "\xED\xA0\x80");
  CHECK(CaseFold("\xF4\x90\x80\x80") == "\xF4\x90\x80\x80");
  // A capital U-umlaut (C3 9C) whose second byte is missing before another sequence.
  CHECK(CaseFold("\xC3\xC3\x9C") == "\xC3\xC3\xBC");
  // So an invalid spelling never meets the valid address it resembles.
  CHECK_FALSE(CaseFoldEquals("\xC3\x9Cni@example.com", "\xC3ni@example.com"));
  // C1 A1 is an overlong "a".
  CHECK_FALSE(CaseFoldEquals("\xC1\xA1lice@example.com", "alice@example.com"));
}

TEST_CASE("well-formed UTF-8 is told from ill-formed bytes", "[casefold]") {
  for (const char* text : {"", "ascii", "\u00FC", "\u20AC", "\U00010400", "\U0010FFFF"}) {
    CAPTURE(text);
    CHECK(IsWellFormedUtf8(text));
  }
  for (const char* text : {"\x80", "\xC3", "\xC3X", "\xC1\x81", "\xE0\x81\x81", "\xED\xA0\x80",
                           "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF"}) {
    CAPTURE(text);
    CHECK_FALSE(IsWellFormedUtf8(text));
  }
}

TEST_CASE("folding twice changes nothing more", "[casefold]") {
  for (const char* text :
       {"\u00DCNI", "\u03A3\u03C2", "\U00010400", "STRA\u1E9EE", "\u212A", "\uAB70", "\xC3X\xFF"}) {
    CAPTURE(text);
    CHECK(CaseFold(CaseFold(text)) == CaseFold(text));
  }
}

TEST_CASE("the table is Unicode 15.0's", "[casefold]") {
  CHECK(CaseFoldingUnicodeVersion() == "15.0.0");
}

}  // namespace
}  // namespace bulwark::internal
