// SPDX-License-Identifier: Apache-2.0
// Private: factories for the built-in password hashers (each documented in
// bulwark/crypto/password_hasher.h) and their scheme names.
#ifndef BULWARK_CRYPTO_PASSWORD_BUILTIN_HASHERS_H_
#define BULWARK_CRYPTO_PASSWORD_BUILTIN_HASHERS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/status.h"

namespace bulwark::internal::password {

inline constexpr std::string_view kPbkdf2HmacSha256 = "salted-pbkdf2-hmac-sha256";
inline constexpr std::string_view kPbkdf2HmacSha256Key512 = "salted-pbkdf2-hmac-sha256-512";
inline constexpr std::string_view kPbkdf2HmacSha512Key512 = "salted-pbkdf2-hmac-sha512-512";
inline constexpr std::string_view kSaltedMd5 = "salted-md5";
inline constexpr std::string_view kSaltedSha256 = "salted-sha256";
inline constexpr std::string_view kSaltedHmacSha256 = "salted-hmac-sha256";
inline constexpr std::string_view kBcrypt = "bcrypt";
inline constexpr std::string_view kPhpassMd5 = "phpass-md5";
inline constexpr std::string_view kPhpassSha512 = "phpass-sha512";
inline constexpr std::string_view kArgon2id = "argon2id";
inline constexpr std::string_view kScrypt = "scrypt";
inline constexpr std::string_view kFirebaseScrypt = "firebase-scrypt";

std::vector<std::shared_ptr<const PasswordHasher>> NewPbkdf2Hashers();
std::vector<std::shared_ptr<const PasswordHasher>> NewDigestHashers();
std::vector<std::shared_ptr<const PasswordHasher>> NewPhpassHashers();
std::shared_ptr<const PasswordHasher> NewBcryptHasher();
std::shared_ptr<const PasswordHasher> NewArgon2idHasher();
std::shared_ptr<const PasswordHasher> NewScryptHasher();

// scrypt(password, salt, N = 2^log2_n, r, p) into `out`, bounded by the documented memory
// cap; shared by scrypt and firebase-scrypt.
Status Scrypt(std::string_view password, std::span<const std::uint8_t> salt, int log2_n, int r,
              int p, std::span<std::uint8_t> out);

}  // namespace bulwark::internal::password

#endif  // BULWARK_CRYPTO_PASSWORD_BUILTIN_HASHERS_H_
