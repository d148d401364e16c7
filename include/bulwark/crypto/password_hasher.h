// SPDX-License-Identifier: Apache-2.0
//
// PasswordHasher: one password-hashing scheme, named by FusionAuth's `encryptionScheme`
// (FusionAuth's `PasswordEncryptor` plug-in SPI, in C++). PasswordHasherRegistry holds the
// built-in schemes plus the ones a host registers (EngineOptions::password_hashers), and is
// what the Engine uses to hash new passwords and to verify stored ones.
//
// A stored credential is a PasswordHash {encryption_scheme, factor, salt, hash}
// (bulwark/model/user.h), exactly the four fields FusionAuth stores and imports. For a scheme
// built into FusionAuth, Encrypt(password, salt, factor) returns exactly what FusionAuth's
// encryptor returns, so users imported from FusionAuth (or moved to it) keep their passwords.
//
// Built-in schemes (the reference is §7 of FusionAuth's API, "Password hashing"):
//
//   scheme                          default  salt field              hash field
//   salted-pbkdf2-hmac-sha256         24000  Base64                  Base64 of PBKDF2-HMAC-SHA256,
//                                                                    32 bytes
//   salted-pbkdf2-hmac-sha256-512     24000  Base64                  same, 64 bytes
//   salted-pbkdf2-hmac-sha512-512     24000  Base64                  PBKDF2-HMAC-SHA512, 64 bytes
//   salted-md5                        20000  Base64                  Base64 of MD5 applied `factor`
//                                                                    times to password ‖ salt
//   salted-sha256                     20000  Base64                  same with SHA-256
//   salted-hmac-sha256                    1  Base64 (the HMAC key)   Base64 of HMAC-SHA256(salt,
//                                                                    password); factor ignored
//   bcrypt                               10  22 bcrypt-alphabet      the 31-character bcrypt hash
//                                            characters              (see below)
//   phpass-md5                         2048  the raw phpass salt     22 itoa64 characters
//                                            (8 chars of ./0-9A-Za-z)
//   phpass-sha512                      2048  the raw phpass salt     43 itoa64 characters (Drupal 7
//                                                                    `$S$` hashes are these)
//   argon2id                              2  Base64                  a PHC string (see below)
//   scrypt                               17  Base64                  a PHC-style string (see below)
//
// The salt field is Base64 as FusionAuth's (Java's) decoder reads it: the standard alphabet,
// padding optional. GenerateSalt returns the Base64 of 32 random bytes (16 for argon2id and
// scrypt), 22 bcrypt characters for bcrypt and 8 itoa64 characters for phpass. The factor is
// the iteration count, except: bcrypt's is the log2 cost (FusionAuth splits an imported
// `$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy` into factor 10, salt
// `N9qo8uLOickgx2ZMRZoMye` and hash `IjZAgcfl7p92ldGxad68LJZdL17lhWy`); argon2id's is the
// time cost t; scrypt's is log2 N.
//
// bcrypt: new hashes and FusionAuth's split form are computed as `$2b$` (the correct
// algorithm, which is what `$2a$` means in Java's jBCrypt and what `$2y$` means in PHP). The
// hash field may also hold a whole modular-crypt string `$2a$`/`$2b$`/`$2y$`
// `<cost>$<salt><hash>`; its own prefix, cost and salt are then used (so a `$2a$` hash made
// by PHP's crypt_blowfish verifies with its `$2a$` semantics), and the salt and factor fields
// must be empty/0 or agree with it. bcrypt reads at most 72 bytes of a password; a password
// containing a NUL byte cannot be hashed (kInvalidArgument) and never verifies.
//
// argon2id and scrypt (beyond FusionAuth): the factor cannot carry memory and parallelism,
// so the hash field holds a self-describing string and is authoritative:
//   argon2id: `$argon2id$v=19$m=<KiB>,t=<t>,p=<lanes>$<salt>$<tag>` — the PHC string format
//             that the reference `argon2` CLI, libsodium, passlib and Ory produce;
//   scrypt:   `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>` — passlib's format;
// salt and tag/key are unpadded standard Base64. The salt field holds the same salt in padded
// Base64 and the factor field t (argon2id) or ln (scrypt); on Verify either may be empty/0,
// and otherwise must agree with the string. New hashes use m=19456 KiB, t=2, p=1 for
// argon2id and N=2^17, r=8, p=1 for scrypt (OWASP's password storage recommendations), with a
// 32-byte output; Encrypt(password, salt, factor) uses those m/p and r/p with the given
// t/ln.
//
// firebase-scrypt (not registered by default; see NewFirebaseScryptHasher): Firebase
// Authentication's modified scrypt. Salt and hash are Base64 as Firebase exports them
// (`salt` and `passwordHash`); the factor is the project's `rounds`, as in FusionAuth's
// example Firebase plug-in.
//
// Limits (the built-ins return kInvalidArgument beyond them, so that a hostile stored hash
// cannot pin a core or exhaust memory): passwords of at most kMaxPasswordBytes; PBKDF2,
// salted-md5 and salted-sha256 factors 1..10,000,000; phpass 1..2^24; bcrypt cost 4..20;
// argon2id m ≤ 2 GiB, t ≤ 64, p ≤ 64; scrypt 128·r·N ≤ 1 GiB, r ≤ 32, p ≤ 16; salts and
// hashes of at most 4096 characters; argon2id/scrypt salts of 8..512 bytes and outputs of
// 16..512 bytes.
//
// Thread-safe: PasswordHasher implementations and PasswordHasherRegistry are safe for
// concurrent use from multiple threads without external synchronisation.
#ifndef BULWARK_CRYPTO_PASSWORD_HASHER_H_
#define BULWARK_CRYPTO_PASSWORD_HASHER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/model/user.h"
#include "bulwark/random.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

/// One password-hashing scheme. bulwark uses it to hash a new password (GenerateSalt, then
/// Encrypt) and to check a password against a stored PasswordHash (Verify), on the caller's
/// request thread.
///
/// Implementations must be safe for concurrent use from multiple threads without external
/// synchronisation (configure them once, then never mutate them); must not throw (the
/// registry turns an escaped exception into kInternal, as defence in depth); must not crash
/// or misbehave on any input — a salt, factor or stored hash they cannot use is a
/// kInvalidArgument with a clear message that never contains the password; must bound their
/// own cost against hostile stored factors; and must not call back into the Engine. They may
/// block for as long as the hash takes (that is the point of a password hash).
///
/// Example, a host scheme for a legacy system's unsalted SHA-1 hex digests:
///
///     std::string HexSha1(std::string_view text);  // the host's own helper
///
///     class LegacySha1Hasher final : public bulwark::PasswordHasher {
///      public:
///       std::string_view scheme() const noexcept override { return "legacy-sha1"; }
///       int default_factor() const noexcept override { return 1; }
///       bulwark::Result<std::string> GenerateSalt(bulwark::Random&) const override {
///         return std::string();
///       }
///       bulwark::Result<std::string> Encrypt(std::string_view password, std::string_view,
///                                            int) const override {
///         return HexSha1(password);
///       }
///     };
class BULWARK_EXPORT PasswordHasher {
 public:
  PasswordHasher() = default;
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;
  virtual ~PasswordHasher();

  /// The scheme's `encryptionScheme` name, e.g. "salted-pbkdf2-hmac-sha256". It is stored with
  /// every hash, so it must never change. Not blank. The view must stay valid, and return the
  /// same text, for the hasher's lifetime.
  virtual std::string_view scheme() const noexcept = 0;

  /// The factor used when none is given (FusionAuth's `defaultFactor()`).
  virtual int default_factor() const noexcept = 0;

  /// A fresh salt, in the stored form Encrypt expects, drawn from `random`. Errors from
  /// `random` pass through (kUnavailable).
  virtual Result<std::string> GenerateSalt(Random& random) const = 0;

  /// The stored hash of `password` (bytes, normally UTF-8) with the stored-form `salt` and
  /// `factor`: exactly what FusionAuth's `encrypt(password, salt, factor)` returns for its
  /// schemes. kInvalidArgument when the salt or factor is unusable.
  virtual Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                                      int factor) const = 0;

  /// Whether `password` matches `stored` (whose encryption_scheme names this scheme). The
  /// default recomputes Encrypt(password, stored.salt, stored.factor) and compares it with
  /// stored.hash by ConstantTimeEquals; override it when the hash is self-describing (as
  /// argon2id's is) or compared differently (bcrypt's). Returns false for a wrong password;
  /// kInvalidArgument when the stored hash is unusable (bad salt, factor or hash encoding).
  virtual Result<bool> Verify(std::string_view password, const PasswordHash& stored) const;

  /// Compares in time that depends only on the lengths, never on where the inputs differ
  /// (CRYPTO_memcmp). Inputs of different lengths are unequal; the time then depends on the
  /// length of `computed` only, which is public (a scheme's output length).
  static bool ConstantTimeEquals(std::string_view computed, std::string_view stored) noexcept;
};

/// Parameters of a Firebase project's password hashing, as its console shows them under
/// "Password hash parameters" (`hash_config`).
struct FirebaseScryptParameters {
  /// `base64_signer_key`: Base64, not empty.
  std::string signer_key;
  /// `base64_salt_separator`: Base64 (may be empty).
  std::string salt_separator;
  /// `rounds`: scrypt's block size r, 1..8. The default factor of the hasher.
  int rounds = 8;
  /// `mem_cost`: log2 of scrypt's N, 1..14.
  int mem_cost = 14;
};

/// A `firebase-scrypt` hasher for users exported from Firebase Authentication (see
/// https://github.com/firebase/scrypt): key = scrypt(password, salt ‖ salt_separator,
/// N = 2^mem_cost, r = factor, p = 1, 32 bytes); hash = Base64(AES-256-CTR(key, iv = 0,
/// signer_key)). The factor is `rounds`. Not registered by default: pass it in
/// EngineOptions::password_hashers. kInvalidArgument when a parameter is out of range or not
/// Base64.
BULWARK_EXPORT Result<std::shared_ptr<const PasswordHasher>> NewFirebaseScryptHasher(
    const FirebaseScryptParameters& parameters);

/// The schemes bulwark can hash and verify, keyed by scheme name: the built-ins (listed at
/// the top of this file) plus those registered by the host.
///
/// Register may be called concurrently with the other methods (a shared mutex guards the
/// table; no lock is held while a hasher runs). The Engine registers
/// EngineOptions::password_hashers once, in Engine::Open.
///
/// Thread-safe: safe for concurrent use from multiple threads without external
/// synchronisation.
class BULWARK_EXPORT PasswordHasherRegistry {
 public:
  /// Passwords longer than this many bytes are never hashed: Hash returns kInvalidArgument
  /// and Verify returns false without calling the hasher. (FusionAuth's largest
  /// passwordValidationRules.maxLength, 256 code points, is at most 1024 UTF-8 bytes.)
  static constexpr std::size_t kMaxPasswordBytes = 1024;

  /// A registry holding the built-in schemes.
  PasswordHasherRegistry();
  PasswordHasherRegistry(const PasswordHasherRegistry&) = delete;
  PasswordHasherRegistry& operator=(const PasswordHasherRegistry&) = delete;
  ~PasswordHasherRegistry();

  /// Adds `hasher` under its scheme(). kInvalidArgument when `hasher` is null or its scheme
  /// is blank; kAlreadyExists when the name is taken (built-ins cannot be replaced).
  Status Register(std::shared_ptr<const PasswordHasher> hasher);

  /// The hasher for `scheme`, or null when none is registered.
  std::shared_ptr<const PasswordHasher> Find(std::string_view scheme) const;

  /// The registered scheme names, sorted.
  std::vector<std::string> schemes() const;

  /// Hashes `password` with `scheme`, a fresh salt from `random`, and `factor` (0 means the
  /// scheme's default_factor()). kNotFound when no hasher is registered for `scheme`;
  /// kInvalidArgument when the factor is negative or out of the scheme's range, or the
  /// password is longer than kMaxPasswordBytes; kUnavailable when `random` fails.
  Result<PasswordHash> Hash(std::string_view password, std::string_view scheme, int factor,
                            Random& random) const;

  /// Whether `password` matches `stored`, by the hasher named stored.encryption_scheme.
  /// False, without calling the hasher, when stored.hash is empty (no credential) or the
  /// password is longer than kMaxPasswordBytes. kNotFound when no hasher is registered for
  /// the scheme; kInvalidArgument when the stored hash is unusable.
  Result<bool> Verify(std::string_view password, const PasswordHash& stored) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_PASSWORD_HASHER_H_
