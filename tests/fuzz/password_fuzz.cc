// SPDX-License-Identifier: Apache-2.0
// Stored password hashes: the salt / Base64 / PHC codecs (crypto/password/common.h) and the
// PasswordHasherRegistry's Verify on a stored {scheme, factor, salt, hash} — which parses the
// bcrypt modular-crypt, argon2id PHC and scrypt formats — plus Encrypt-then-Verify.
//
// Input: byte 0 picks the scheme (>= 0xF0: the first field names it), byte 1 the mode; then
// '\n'-separated fields factor, salt, hash, and the password (the rest).
//
// Cost stays small on every input: factors inside a scheme's accepted range are folded to a
// few iterations (bcrypt cost 4, PBKDF2/digest/phpass 1..64, scrypt log2 N 1..4; values
// outside the range are kept, to test refusal), a bcrypt modular-crypt hash gets cost 04,
// and an argon2id or scrypt string that would be accepted with large costs is only decoded,
// never verified. Encrypt is never called for argon2id (its memory cost is fixed at 19 MiB).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace pw = bulwark::internal::password;

constexpr std::string_view kSchemes[] = {
    pw::kPbkdf2HmacSha256, pw::kPbkdf2HmacSha256Key512, pw::kPbkdf2HmacSha512Key512,
    pw::kSaltedMd5,        pw::kSaltedSha256,           pw::kSaltedHmacSha256,
    pw::kBcrypt,           pw::kPhpassMd5,              pw::kPhpassSha512,
    pw::kArgon2id,         pw::kScrypt,                 pw::kFirebaseScrypt,
    "no-such-scheme",
};

const bulwark::PasswordHasherRegistry& Registry() {
  static const auto* registry = [] {
    auto* r = new bulwark::PasswordHasherRegistry();
    // N = 2^4: cheap whatever the factor (rounds, 1..8).
    auto firebase = bulwark::NewFirebaseScryptHasher(
        {.signer_key = "c2lnbmVyLWtleS1mb3ItdGhlLWZ1enplcg==",
         .salt_separator = "Bw==",
         .rounds = 8,
         .mem_cost = 4});
    if (!firebase.ok() || !r->Register(*firebase).ok()) {
      bulwark::fuzz::Fail(__FILE__, __LINE__, "firebase-scrypt hasher");
    }
    return r;
  }();
  return *registry;
}

// Digits at the front of `s` (consumed) as a saturating number; -1 when there are none.
long long TakeNumber(std::string_view& s) {
  long long v = -1;
  while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
    v = (v < 0 ? 0 : v);
    if (v < 1'000'000'000'000LL) v = v * 10 + (s.front() - '0');
    s.remove_prefix(1);
  }
  return v;
}

bool Take(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Whether verifying `hash` could cost more than a few milliseconds: a well-formed PHC
// prefix whose costs are inside the accepted range but not small.
bool ExpensivePhc(std::string_view s) {
  if (Take(s, "$argon2id$v=")) {
    if (TakeNumber(s) < 0 || !Take(s, "$m=")) return false;
    const long long m = TakeNumber(s);
    if (!Take(s, ",t=")) return false;
    const long long t = TakeNumber(s);
    if (!Take(s, ",p=")) return false;
    const long long p = TakeNumber(s);
    const bool accepted = m >= 0 && m <= 2LL * 1024 * 1024 && t >= 1 && t <= 64 && p >= 1 && p <= 64;
    return accepted && (m > 64 || t > 2);
  }
  if (Take(s, "$scrypt$ln=")) {
    const long long ln = TakeNumber(s);
    if (!Take(s, ",r=")) return false;
    const long long r = TakeNumber(s);
    if (!Take(s, ",p=")) return false;
    const long long p = TakeNumber(s);
    const bool accepted = ln >= 1 && ln <= 30 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
    return accepted && (r * p << ln) > 4096;
  }
  return false;
}

// A factor inside `scheme`'s accepted range folded to a cheap one.
// Huge values are first brought into int range by a remainder, and that remainder is folded
// too: 204,878,476 became 4,878,476 phpass iterations, 40 s under ASan.
int CheapFactor(std::string_view scheme, long long factor) {
  if (factor < -100 || factor > 100'000'000) factor %= 100'000'000;
  const int f = static_cast<int>(factor);
  if (scheme == pw::kBcrypt) return f > 4 && f <= 20 ? 4 : f;
  if (scheme == pw::kScrypt) return f > 4 && f <= 30 ? 1 + f % 4 : f;
  if (scheme == pw::kArgon2id) return f > 2 && f <= 64 ? 1 + f % 2 : f;
  if (scheme == pw::kPhpassMd5 || scheme == pw::kPhpassSha512) {
    return f > 64 && f <= (1 << 24) ? 1 + f % 64 : f;
  }
  return f > 64 && f <= 10'000'000 ? 1 + f % 64 : f;
}

long long ParseFactorField(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const long long v = TakeNumber(text);
  if (v < 0) return 0;
  return negative ? -v : v;
}

void CheckCodecs(std::string_view scheme, std::string_view factor, std::string_view salt,
                 std::string_view hash) {
  if (bulwark::Result<pw::SecretBytes> bytes = pw::DecodeSalt(scheme, salt); bytes.ok()) {
    const std::string encoded = pw::EncodeBase64(bytes->span());
    bulwark::Result<pw::SecretBytes> again = pw::DecodeSalt(scheme, encoded);
    BULWARK_FUZZ_CHECK(again.ok());
    BULWARK_FUZZ_CHECK(std::equal(again->span().begin(), again->span().end(),
                                  bytes->span().begin(), bytes->span().end()));
    BULWARK_FUZZ_CHECK(salt.size() <= pw::kMaxStoredFieldChars);
  }
  for (std::string_view text : {salt, hash}) {
    if (bulwark::Result<std::vector<std::uint8_t>> bytes = pw::DecodeBase64NoPad(text); bytes.ok()) {
      const std::string encoded = pw::EncodeBase64NoPad(*bytes);
      BULWARK_FUZZ_CHECK(encoded.find('=') == std::string::npos);
      bulwark::Result<std::vector<std::uint8_t>> again = pw::DecodeBase64NoPad(encoded);
      BULWARK_FUZZ_CHECK(again.ok() && *again == *bytes);
      // The lenient (Java) decoder reads every unpadded string the PHC decoder reads.
      if (text.size() <= pw::kMaxStoredFieldChars) {
        bulwark::Result<pw::SecretBytes> lenient = pw::DecodeBase64Lenient("the hash", text);
        BULWARK_FUZZ_CHECK(lenient.ok());
        BULWARK_FUZZ_CHECK(std::equal(lenient->span().begin(), lenient->span().end(),
                                      bytes->begin(), bytes->end()));
      }
    }
  }
  if (bulwark::Result<long long> n = pw::ParseDecimal(factor, 1LL << 40); n.ok()) {
    BULWARK_FUZZ_CHECK(std::to_string(*n) == factor);
  }
}

bool CodeIsAValue(const bulwark::Status& status) {
  return status.code() == bulwark::StatusCode::kInvalidArgument ||
         status.code() == bulwark::StatusCode::kNotFound ||
         status.code() == bulwark::StatusCode::kResourceExhausted;
}

}  // namespace

BULWARK_FUZZ_TARGET(password) {
  const bulwark::PasswordHasherRegistry& registry = Registry();
  bulwark::fuzz::Reader in(data, size);
  const std::uint8_t pick = in.Byte();
  const std::uint8_t mode = in.Byte();
  std::string scheme;
  if (pick >= 0xF0) {
    scheme = std::string(in.Field());
  } else {
    scheme = std::string(kSchemes[pick % std::size(kSchemes)]);
  }
  const std::string_view factor_text = in.Field();
  const std::string salt(in.Field());
  std::string hash(in.Field());
  const std::string password(in.Rest());

  CheckCodecs(scheme, factor_text, salt, hash);

  const int factor = CheapFactor(scheme, ParseFactorField(factor_text));
  // A bcrypt modular-crypt hash carries its own cost: fold it to 04 as well.
  if (hash.size() == 60 && hash[0] == '$' && hash[1] == '2' && hash[3] == '$' &&
      hash[4] >= '0' && hash[4] <= '9' && hash[5] >= '0' && hash[5] <= '9' &&
      (hash[4] - '0') * 10 + (hash[5] - '0') > 4) {
    hash[4] = '0';
    hash[5] = '4';
  }
  if (!ExpensivePhc(hash)) {
    const bulwark::PasswordHash stored{
        .encryption_scheme = scheme, .factor = factor, .salt = salt, .hash = hash};
    const bulwark::Result<bool> verified = registry.Verify(password, stored);
    if (!verified.ok()) BULWARK_FUZZ_CHECK(CodeIsAValue(verified.status()));
  }

  const std::shared_ptr<const bulwark::PasswordHasher> hasher = registry.Find(scheme);
  if ((mode & 1) == 0 || hasher == nullptr || scheme == pw::kArgon2id) return 0;
  const bulwark::Result<std::string> encrypted = hasher->Encrypt(password, salt, factor);
  if (!encrypted.ok()) {
    BULWARK_FUZZ_CHECK(CodeIsAValue(encrypted.status()));
    return 0;
  }
  const bulwark::PasswordHash made{
      .encryption_scheme = scheme, .factor = factor, .salt = salt, .hash = *encrypted};
  const bulwark::Result<bool> same = registry.Verify(password, made);
  BULWARK_FUZZ_CHECK(same.ok() && *same);
  // Another password does not match (bcrypt reads only 72 bytes of it).
  if (scheme != pw::kBcrypt || password.size() < 72) {
    const bulwark::Result<bool> other = registry.Verify(password + "\x01", made);
    BULWARK_FUZZ_CHECK(other.ok() && !*other);
  }
  return 0;
}
