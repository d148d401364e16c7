// SPDX-License-Identifier: Apache-2.0
// scrypt (RFC 7914) through OpenSSL, stored in passlib's format
// `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>` (unpadded standard Base64), and Firebase
// Authentication's modified scrypt (firebase-scrypt), which encrypts the project's signer key
// with AES-256-CTR under the scrypt-derived key.
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <vector>

#include <fmt/format.h>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr int kDefaultLog2N = 17;  // OWASP: N=2^17, r=8, p=1
constexpr int kDefaultR = 8;
constexpr int kDefaultP = 1;
constexpr std::size_t kDefaultKeyBytes = 32;
constexpr std::size_t kSaltBytes = 16;

constexpr std::uint64_t kMaxMemoryBytes = 1ULL << 30;  // 128·r·N
constexpr long long kMaxR = 32;
constexpr long long kMaxP = 16;
constexpr std::size_t kMinSaltBytes = 8;
constexpr std::size_t kMaxSaltBytes = 512;
constexpr std::size_t kMinKeyBytes = 16;
constexpr std::size_t kMaxKeyBytes = 512;

Status CheckCosts(long long log2_n, long long r, long long p) {
  if (r < 1 || r > kMaxR) {
    return Status::InvalidArgument(
        fmt::format("the scrypt block size r must be between 1 and {}", kMaxR));
  }
  if (p < 1 || p > kMaxP) {
    return Status::InvalidArgument(
        fmt::format("the scrypt parallelism p must be between 1 and {}", kMaxP));
  }
  // RFC 7914 §2: N < 2^(128·r/8).
  if (log2_n >= 16 * r) {
    return Status::InvalidArgument(
        fmt::format("the scrypt cost log2 N must be below 16·r ({}); got ln={}", 16 * r, log2_n));
  }
  if (log2_n < 1 || log2_n > 30 ||
      (std::uint64_t{128} * static_cast<std::uint64_t>(r) << log2_n) > kMaxMemoryBytes) {
    return Status::InvalidArgument(fmt::format(
        "the scrypt cost log2 N must be at least 1 and 128·r·N at most {} bytes; got ln={}",
        kMaxMemoryBytes, log2_n));
  }
  return Status::Ok();
}

struct Phc {
  int log2_n;
  int r;
  int p;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> key;
};

Status Malformed(std::string_view why) {
  return Status::InvalidArgument(
      fmt::format("the scrypt hash is not a valid $scrypt$ln=,r=,p=$salt$key string: {}", why));
}

Result<long long> TakeParam(std::string_view& s, std::string_view name, char terminator) {
  if (s.substr(0, name.size()) != name || s.size() <= name.size() || s[name.size()] != '=') {
    return Malformed(fmt::format("expected {}=", name));
  }
  s.remove_prefix(name.size() + 1);
  const std::size_t end = s.find(terminator);
  if (end == std::string_view::npos) return Malformed(fmt::format("expected {}", terminator));
  Result<long long> value = ParseDecimal(s.substr(0, end), 1 << 30);
  if (!value.ok()) return Malformed(fmt::format("{} is out of range", name));
  s.remove_prefix(end + 1);
  return value;
}

Result<Phc> ParsePhc(std::string_view s) {
  if (s.size() > kMaxStoredFieldChars) return Malformed("too long");
  constexpr std::string_view kPrefix = "$scrypt$";
  if (s.substr(0, kPrefix.size()) != kPrefix) return Malformed("expected $scrypt$");
  s.remove_prefix(kPrefix.size());
  BULWARK_ASSIGN_OR_RETURN(long long log2_n, TakeParam(s, "ln", ','));
  BULWARK_ASSIGN_OR_RETURN(long long r, TakeParam(s, "r", ','));
  BULWARK_ASSIGN_OR_RETURN(long long p, TakeParam(s, "p", '$'));
  const std::size_t dollar = s.find('$');
  if (dollar == std::string_view::npos) return Malformed("expected $ before the key");
  Result<std::vector<std::uint8_t>> salt = DecodeBase64NoPad(s.substr(0, dollar));
  Result<std::vector<std::uint8_t>> key = DecodeBase64NoPad(s.substr(dollar + 1));
  if (!salt.ok() || !key.ok()) return Malformed("the salt or key is not unpadded Base64");
  if (salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes) {
    return Malformed(fmt::format("the salt must be {}..{} bytes", kMinSaltBytes, kMaxSaltBytes));
  }
  if (key->size() < kMinKeyBytes || key->size() > kMaxKeyBytes) {
    return Malformed(fmt::format("the key must be {}..{} bytes", kMinKeyBytes, kMaxKeyBytes));
  }
  BULWARK_RETURN_IF_ERROR(CheckCosts(log2_n, r, p));
  return Phc{static_cast<int>(log2_n), static_cast<int>(r), static_cast<int>(p), std::move(*salt),
             std::move(*key)};
}

class ScryptHasher final : public PasswordHasher {
 public:
  std::string_view scheme() const noexcept override { return kScrypt; }
  int default_factor() const noexcept override { return kDefaultLog2N; }

  Result<std::string> GenerateSalt(Random& random) const override {
    return RandomBase64Salt(random, kSaltBytes);
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckCosts(factor, kDefaultR, kDefaultP));
    BULWARK_ASSIGN_OR_RETURN(SecretBytes salt_bytes, DecodeSalt(kScrypt, salt));
    if (salt_bytes.size() < kMinSaltBytes || salt_bytes.size() > kMaxSaltBytes) {
      return Status::InvalidArgument(
          fmt::format("the scrypt salt must be {}..{} bytes", kMinSaltBytes, kMaxSaltBytes));
    }
    SecretBytes key(kDefaultKeyBytes);
    BULWARK_RETURN_IF_ERROR(Scrypt(password, salt_bytes.span(), factor, kDefaultR, kDefaultP,
                                   {key.data(), key.size()}));
    return fmt::format("$scrypt$ln={},r={},p={}${}${}", factor, kDefaultR, kDefaultP,
                       EncodeBase64NoPad(salt_bytes.span()), EncodeBase64NoPad(key.span()));
  }

  Result<bool> Verify(std::string_view password, const PasswordHash& stored) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_ASSIGN_OR_RETURN(Phc phc, ParsePhc(stored.hash));
    if (stored.factor != 0 && stored.factor != phc.log2_n) {
      return Status::InvalidArgument("the scrypt factor disagrees with the hash string");
    }
    if (!stored.salt.empty()) {
      BULWARK_ASSIGN_OR_RETURN(SecretBytes salt, DecodeSalt(kScrypt, stored.salt));
      if (!std::equal(salt.span().begin(), salt.span().end(), phc.salt.begin(), phc.salt.end())) {
        return Status::InvalidArgument("the scrypt salt disagrees with the hash string");
      }
    }
    SecretBytes key(phc.key.size());
    BULWARK_RETURN_IF_ERROR(
        Scrypt(password, phc.salt, phc.log2_n, phc.r, phc.p, {key.data(), key.size()}));
    return ConstantTimeEquals(
        std::string_view(reinterpret_cast<const char*>(key.data()), key.size()),
        std::string_view(reinterpret_cast<const char*>(phc.key.data()), phc.key.size()));
  }
};

// ---------------------------------------------------------------------------------------
// firebase-scrypt

constexpr int kFirebaseMaxRounds = 8;
constexpr int kFirebaseMaxMemCost = 14;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

class FirebaseScryptHasher final : public PasswordHasher {
 public:
  FirebaseScryptHasher(SecretBytes signer_key, SecretBytes salt_separator, int rounds, int mem_cost)
      : signer_key_(std::move(signer_key)),
        salt_separator_(std::move(salt_separator)),
        rounds_(rounds),
        mem_cost_(mem_cost) {}

  std::string_view scheme() const noexcept override { return kFirebaseScrypt; }
  int default_factor() const noexcept override { return rounds_; }

  Result<std::string> GenerateSalt(Random& random) const override {
    return RandomBase64Salt(random, 32);
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckFactor(kFirebaseScrypt, factor, 1, kFirebaseMaxRounds));
    BULWARK_ASSIGN_OR_RETURN(SecretBytes full_salt, DecodeSalt(kFirebaseScrypt, salt));
    full_salt.Append(salt_separator_.span());
    SecretBytes key(32);
    BULWARK_RETURN_IF_ERROR(
        Scrypt(password, full_salt.span(), mem_cost_, factor, 1, {key.data(), key.size()}));

    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
    if (ctx == nullptr) return Status::Internal("out of memory for a cipher context");
    const unsigned char iv[16] = {};
    SecretBytes out(signer_key_.size() + 16);
    int written = 0;
    int final_written = 0;
    ERR_clear_error();
    const bool ok =
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, key.data(), iv) == 1 &&
        EVP_EncryptUpdate(ctx.get(), out.data(), &written, signer_key_.data(),
                          static_cast<int>(signer_key_.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_written) == 1;
    ERR_clear_error();
    if (!ok) return Status::Internal("AES-256-CTR failed");
    out.Resize(static_cast<std::size_t>(written + final_written));
    return EncodeBase64(out.span());
  }

 private:
  SecretBytes signer_key_;
  SecretBytes salt_separator_;
  int rounds_;
  int mem_cost_;
};

}  // namespace

Status Scrypt(std::string_view password, std::span<const std::uint8_t> salt, int log2_n, int r,
              int p, std::span<std::uint8_t> out) {
  BULWARK_RETURN_IF_ERROR(CheckCosts(log2_n, r, p));
  const std::uint64_t n = std::uint64_t{1} << log2_n;
  // OpenSSL needs 128·r·(N + p + 2) bytes; allow exactly that.
  const std::uint64_t maxmem =
      128 * static_cast<std::uint64_t>(r) * (n + static_cast<std::uint64_t>(p) + 2) + 4096;
  ERR_clear_error();
  const int rc = EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n,
                                static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(p),
                                maxmem, out.data(), out.size());
  ERR_clear_error();
  if (rc != 1) return Status::ResourceExhausted("scrypt failed (out of memory?)");
  return Status::Ok();
}

std::shared_ptr<const PasswordHasher> NewScryptHasher() { return std::make_shared<ScryptHasher>(); }

}  // namespace bulwark::internal::password

namespace bulwark {

Result<std::shared_ptr<const PasswordHasher>> NewFirebaseScryptHasher(
    const FirebaseScryptParameters& parameters) {
  using internal::password::DecodeBase64Lenient;
  using internal::password::kFirebaseMaxMemCost;
  using internal::password::kFirebaseMaxRounds;
  if (parameters.rounds < 1 || parameters.rounds > kFirebaseMaxRounds) {
    return Status::InvalidArgument(
        fmt::format("firebase-scrypt rounds must be between 1 and {}", kFirebaseMaxRounds));
  }
  if (parameters.mem_cost < 1 || parameters.mem_cost > kFirebaseMaxMemCost) {
    return Status::InvalidArgument(
        fmt::format("firebase-scrypt mem_cost must be between 1 and {}", kFirebaseMaxMemCost));
  }
  Result<internal::password::SecretBytes> signer_key =
      DecodeBase64Lenient("the firebase-scrypt signer key", parameters.signer_key);
  if (!signer_key.ok()) return signer_key.status();
  if (signer_key->size() == 0) {
    return Status::InvalidArgument("the firebase-scrypt signer key is empty");
  }
  Result<internal::password::SecretBytes> separator =
      DecodeBase64Lenient("the firebase-scrypt salt separator", parameters.salt_separator);
  if (!separator.ok()) return separator.status();
  return std::shared_ptr<const PasswordHasher>(
      std::make_shared<internal::password::FirebaseScryptHasher>(
          std::move(*signer_key), std::move(*separator), parameters.rounds, parameters.mem_cost));
}

}  // namespace bulwark
