// SPDX-License-Identifier: Apache-2.0
#include "oauth2/pkce.h"

#include <algorithm>
#include <string>

#include "bulwark/crypto/password_hasher.h"
#include "crypto/secrets.h"

namespace bulwark::oauth2 {
namespace {

constexpr std::size_t kMinVerifier = 43;
constexpr std::size_t kMaxVerifier = 128;
constexpr std::size_t kS256Challenge = 43;  // 32 bytes, base64url without padding

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::optional<CodeChallengeMethod> ParseCodeChallengeMethod(std::string_view method) {
  if (method.empty() || method == "plain") return CodeChallengeMethod::kPlain;
  if (method == "S256") return CodeChallengeMethod::kS256;
  return std::nullopt;
}

std::string_view ToString(CodeChallengeMethod method) {
  return method == CodeChallengeMethod::kS256 ? "S256" : "plain";
}

bool IsValidCodeVerifier(std::string_view verifier) {
  return verifier.size() >= kMinVerifier && verifier.size() <= kMaxVerifier &&
         std::all_of(verifier.begin(), verifier.end(), IsUnreserved);
}

bool IsValidCodeChallenge(std::string_view challenge, CodeChallengeMethod method) {
  if (method == CodeChallengeMethod::kPlain) return IsValidCodeVerifier(challenge);
  // 43 characters carry 258 bits: the last one holds 2 bits of the digest and 4 zero bits.
  constexpr std::string_view kLastChars = "AEIMQUYcgkosw048";
  return challenge.size() == kS256Challenge &&
         std::all_of(challenge.begin(), challenge.end(), IsBase64UrlChar) &&
         kLastChars.find(challenge.back()) != std::string_view::npos;
}

bool VerifierMeetsChallenge(std::string_view verifier, std::string_view challenge,
                            CodeChallengeMethod method) {
  if (!IsValidCodeVerifier(verifier)) return false;
  if (method == CodeChallengeMethod::kPlain)
    return PasswordHasher::ConstantTimeEquals(verifier, challenge);
  return PasswordHasher::ConstantTimeEquals(internal::Sha256Base64Url(verifier), challenge);
}

}  // namespace bulwark::oauth2
