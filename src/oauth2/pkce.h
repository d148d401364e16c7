// SPDX-License-Identifier: Apache-2.0
// Private: Proof Key for Code Exchange (RFC 7636), as the authorize and token endpoints use
// it: the code_challenge_method and code_challenge an authorization request carries, and the
// check of the token request's code_verifier against them.
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_PKCE_H_
#define BULWARK_OAUTH2_PKCE_H_

#include <optional>
#include <string_view>

namespace bulwark::oauth2 {

enum class CodeChallengeMethod { kPlain, kS256 };

// "S256" or "plain", exactly (RFC 7636 §4.3; absent, empty, means plain); nullopt for anything
// else, which the authorize endpoint refuses.
std::optional<CodeChallengeMethod> ParseCodeChallengeMethod(std::string_view method);
std::string_view ToString(CodeChallengeMethod method);

// §4.1: 43 to 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~".
bool IsValidCodeVerifier(std::string_view verifier);

// A challenge a verifier could meet: for plain, a verifier itself (§4.2); for S256, the 43
// characters of an unpadded base64url SHA-256 digest.
bool IsValidCodeChallenge(std::string_view challenge, CodeChallengeMethod method);

// §4.6: `verifier` is well formed and meets `challenge` (equal to it for plain, its S256
// transform BASE64URL(SHA256(ASCII(verifier))) equal to it for S256), compared in constant
// time.
bool VerifierMeetsChallenge(std::string_view verifier, std::string_view challenge,
                            CodeChallengeMethod method);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_PKCE_H_
