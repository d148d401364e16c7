// SPDX-License-Identifier: Apache-2.0
//
// PKCE (oauth2/pkce.h) against RFC 7636: its Appendix B example, the verifier grammar of
// §4.1, the methods of §4.3, and verifiers that must not meet a challenge.
#include "oauth2/pkce.h"

#include <catch2/catch.hpp>
#include <string>

namespace bulwark::oauth2 {
namespace {

// RFC 7636 Appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST_CASE("RFC 7636's example verifier meets its S256 challenge", "[oauth2][pkce]") {
  CHECK(IsValidCodeVerifier(kVerifier));
  CHECK(IsValidCodeChallenge(kChallenge, CodeChallengeMethod::kS256));
  CHECK(VerifierMeetsChallenge(kVerifier, kChallenge, CodeChallengeMethod::kS256));
  // The challenge is not the verifier: as plain, neither meets the other.
  CHECK_FALSE(VerifierMeetsChallenge(kVerifier, kChallenge, CodeChallengeMethod::kPlain));
}

TEST_CASE("a wrong, altered or malformed verifier does not meet the challenge",
          "[oauth2][pkce][security]") {
  std::string altered(kVerifier);
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(VerifierMeetsChallenge(altered, kChallenge, CodeChallengeMethod::kS256));
  CHECK_FALSE(
      VerifierMeetsChallenge(std::string(kVerifier) + "A", kChallenge, CodeChallengeMethod::kS256));
  CHECK_FALSE(VerifierMeetsChallenge("", kChallenge, CodeChallengeMethod::kS256));
  CHECK_FALSE(VerifierMeetsChallenge(kVerifier, "", CodeChallengeMethod::kS256));
  // The challenge sent back as the verifier (it is 43 unreserved characters too).
  CHECK_FALSE(VerifierMeetsChallenge(kChallenge, kChallenge, CodeChallengeMethod::kS256));
  // The challenge's case changed.
  std::string upper(kChallenge);
  upper[0] = 'e';
  CHECK_FALSE(VerifierMeetsChallenge(kVerifier, upper, CodeChallengeMethod::kS256));
}

TEST_CASE("plain compares the verifier with the challenge", "[oauth2][pkce]") {
  const std::string verifier(43, 'a');
  CHECK(VerifierMeetsChallenge(verifier, verifier, CodeChallengeMethod::kPlain));
  CHECK_FALSE(VerifierMeetsChallenge(verifier, verifier + "a", CodeChallengeMethod::kPlain));
  CHECK_FALSE(VerifierMeetsChallenge(verifier, std::string(43, 'b'), CodeChallengeMethod::kPlain));
  // Equal but too short for a verifier.
  CHECK_FALSE(VerifierMeetsChallenge("abc", "abc", CodeChallengeMethod::kPlain));
}

TEST_CASE("code verifiers follow RFC 7636's grammar", "[oauth2][pkce]") {
  CHECK(IsValidCodeVerifier(std::string(43, 'x')));
  CHECK(IsValidCodeVerifier(std::string(128, '~')));
  CHECK(IsValidCodeVerifier("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"));
  CHECK_FALSE(IsValidCodeVerifier(std::string(42, 'x')));
  CHECK_FALSE(IsValidCodeVerifier(std::string(129, 'x')));
  for (const char bad : {' ', '+', '/', '=', '%', '*', '\0', '\n', '\x80'}) {
    std::string verifier(43, 'x');
    verifier[20] = bad;
    INFO(static_cast<int>(static_cast<unsigned char>(bad)));
    CHECK_FALSE(IsValidCodeVerifier(verifier));
  }
}

TEST_CASE("S256 challenges are 43 base64url characters of a 32-byte digest", "[oauth2][pkce]") {
  CHECK(IsValidCodeChallenge(kChallenge, CodeChallengeMethod::kS256));
  CHECK_FALSE(IsValidCodeChallenge(std::string(kChallenge) + "=", CodeChallengeMethod::kS256));
  CHECK_FALSE(IsValidCodeChallenge(kChallenge.substr(1), CodeChallengeMethod::kS256));
  std::string padded_alphabet(kChallenge);
  padded_alphabet[5] = '+';
  CHECK_FALSE(IsValidCodeChallenge(padded_alphabet, CodeChallengeMethod::kS256));
  // The last character holds 4 bits of the digest: only every fourth letter can end one.
  std::string last(kChallenge);
  last.back() = 'N';
  CHECK_FALSE(IsValidCodeChallenge(last, CodeChallengeMethod::kS256));
  CHECK(IsValidCodeChallenge(std::string(43, 'a'), CodeChallengeMethod::kPlain));
  CHECK_FALSE(IsValidCodeChallenge("short", CodeChallengeMethod::kPlain));
}

TEST_CASE("code_challenge_method is S256 or plain, plain when absent", "[oauth2][pkce]") {
  CHECK(ParseCodeChallengeMethod("S256") == CodeChallengeMethod::kS256);
  CHECK(ParseCodeChallengeMethod("plain") == CodeChallengeMethod::kPlain);
  CHECK(ParseCodeChallengeMethod("") == CodeChallengeMethod::kPlain);
  CHECK_FALSE(ParseCodeChallengeMethod("s256").has_value());
  CHECK_FALSE(ParseCodeChallengeMethod("PLAIN").has_value());
  CHECK_FALSE(ParseCodeChallengeMethod("S512").has_value());
  CHECK(ToString(CodeChallengeMethod::kS256) == "S256");
  CHECK(ToString(CodeChallengeMethod::kPlain) == "plain");
}

}  // namespace
}  // namespace bulwark::oauth2
