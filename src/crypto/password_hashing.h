// SPDX-License-Identifier: Apache-2.0
// Private: password hashing. FusionAuth's default scheme, salted-pbkdf2-hmac-sha256
// (PBKDF2-HMAC-SHA256 over the UTF-8 password, salt = Base64-decoded `salt`, iterations =
// factor, 32-byte key, Base64 output), is the one scheme built in so far; the full registry
// of schemes arrives with the login work (TODO(#3)).
#ifndef BULWARK_CRYPTO_PASSWORD_HASHING_H_
#define BULWARK_CRYPTO_PASSWORD_HASHING_H_

#include <string_view>

#include "bulwark/model/user.h"
#include "bulwark/random.h"
#include "bulwark/result.h"

namespace bulwark::internal {

inline constexpr std::string_view kPbkdf2HmacSha256 = "salted-pbkdf2-hmac-sha256";
inline constexpr int kPbkdf2HmacSha256DefaultFactor = 24000;

// True when `scheme` names a scheme this build can hash and verify.
bool IsSupportedPasswordScheme(std::string_view scheme);
// The scheme's default factor (FusionAuth's encoder default); 0 for an unknown scheme.
int DefaultPasswordFactor(std::string_view scheme);

// Hashes `password` with a fresh 32-byte salt from `random`. kInvalidArgument for an unknown
// scheme or a factor < 1.
Result<PasswordHash> HashPassword(std::string_view password, std::string_view scheme, int factor,
                                  Random& random);

// Recomputes the hash and compares in constant time. kInvalidArgument when the stored hash
// is unusable (unknown scheme, bad Base64, factor < 1).
Result<bool> VerifyPassword(std::string_view password, const PasswordHash& stored);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_PASSWORD_HASHING_H_
