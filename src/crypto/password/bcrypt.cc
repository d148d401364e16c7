// SPDX-License-Identifier: Apache-2.0
// bcrypt through libxcrypt's crypt_rn. FusionAuth stores a bcrypt hash split in three:
// factor = the log2 cost, salt = the 22 salt characters, hash = the 31 hash characters, and
// verifies by recomputing and comparing those 31 characters.
#include <crypt.h>
#include <openssl/crypto.h>

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr char kBcryptAlphabet[] =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr int kMinCost = 4;
constexpr int kMaxCost = 20;  // 2^20 rounds already take about a minute
constexpr std::size_t kSaltChars = 22;
constexpr std::size_t kHashChars = 31;
constexpr std::size_t kMcfChars = 7 + kSaltChars + kHashChars;  // "$2b$10$" + salt + hash
// bcrypt reads at most 72 bytes of key material; the rest of a password never matters.
constexpr std::size_t kMaxKeyBytes = 72;

bool IsBcryptChar(char c) {
  return c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9');
}

bool IsBcryptText(std::string_view s) {
  for (char c : s) {
    if (!IsBcryptChar(c)) return false;
  }
  return true;
}

// bcrypt's own Base64 (alphabet ./A-Za-z0-9, big-endian bit order, no padding).
std::string EncodeBcrypt64(std::span<const std::uint8_t> in) {
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    std::uint32_t c1 = in[i++];
    out.push_back(kBcryptAlphabet[(c1 >> 2) & 0x3f]);
    c1 = (c1 & 0x03) << 4;
    if (i >= in.size()) {
      out.push_back(kBcryptAlphabet[c1 & 0x3f]);
      break;
    }
    std::uint32_t c2 = in[i++];
    c1 |= (c2 >> 4) & 0x0f;
    out.push_back(kBcryptAlphabet[c1 & 0x3f]);
    c1 = (c2 & 0x0f) << 2;
    if (i >= in.size()) {
      out.push_back(kBcryptAlphabet[c1 & 0x3f]);
      break;
    }
    c2 = in[i++];
    c1 |= (c2 >> 6) & 0x03;
    out.push_back(kBcryptAlphabet[c1 & 0x3f]);
    out.push_back(kBcryptAlphabet[c2 & 0x3f]);
  }
  return out;
}

struct ModularCrypt {
  char minor;  // 'a', 'b' or 'y'
  int cost;
  std::string_view salt;
  std::string_view hash;
};

// "$2x$NN$" + 22 salt + 31 hash characters, x in {a, b, y}.
std::optional<ModularCrypt> ParseModularCrypt(std::string_view s) {
  if (s.size() != kMcfChars || s[0] != '$' || s[1] != '2' || s[3] != '$' || s[6] != '$') {
    return std::nullopt;
  }
  if (s[2] != 'a' && s[2] != 'b' && s[2] != 'y') return std::nullopt;
  if (s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9') return std::nullopt;
  ModularCrypt m{s[2], (s[4] - '0') * 10 + (s[5] - '0'), s.substr(7, kSaltChars),
                 s.substr(7 + kSaltChars)};
  if (!IsBcryptText(m.salt) || !IsBcryptText(m.hash)) return std::nullopt;
  return m;
}

struct CryptDataDeleter {
  void operator()(crypt_data* data) const noexcept {
    OPENSSL_cleanse(data, sizeof(crypt_data));
    delete data;
  }
};

class BcryptHasher final : public PasswordHasher {
 public:
  std::string_view scheme() const noexcept override { return kBcrypt; }
  int default_factor() const noexcept override { return 10; }

  // 16 random bytes in bcrypt's alphabet: 22 characters.
  Result<std::string> GenerateSalt(Random& random) const override {
    SecretBytes bytes(16);
    BULWARK_RETURN_IF_ERROR(FillRandom(random, {bytes.data(), bytes.size()}));
    return EncodeBcrypt64(bytes.span());
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_ASSIGN_OR_RETURN(std::string full, Compute('b', password, salt, factor));
    return full.substr(full.size() - kHashChars);
  }

  Result<bool> Verify(std::string_view password, const PasswordHash& stored) const override {
    char minor = 'b';
    std::string_view salt = stored.salt;
    int cost = stored.factor;
    std::string_view hash = stored.hash;
    if (std::optional<ModularCrypt> mcf = ParseModularCrypt(stored.hash)) {
      if ((!stored.salt.empty() && stored.salt != mcf->salt) ||
          (stored.factor != 0 && stored.factor != mcf->cost)) {
        return Status::InvalidArgument(
            "the bcrypt salt and factor disagree with the modular-crypt hash");
      }
      minor = mcf->minor;
      salt = mcf->salt;
      cost = mcf->cost;
      hash = mcf->hash;
    } else if (hash.size() != kHashChars || !IsBcryptText(hash)) {
      return Status::InvalidArgument(
          "the bcrypt hash must be 31 bcrypt characters or a $2a$/$2b$/$2y$ string");
    }
    // A NUL cannot reach crypt(3), so no stored bcrypt hash can be of such a password.
    if (password.find('\0') != std::string_view::npos) {
      BULWARK_RETURN_IF_ERROR(CheckSaltAndCost(salt, cost));
      return false;
    }
    BULWARK_ASSIGN_OR_RETURN(std::string full, Compute(minor, password, salt, cost));
    return ConstantTimeEquals(std::string_view(full).substr(full.size() - kHashChars), hash);
  }

 private:
  static Status CheckSaltAndCost(std::string_view salt, int cost) {
    BULWARK_RETURN_IF_ERROR(CheckFactor(kBcrypt, cost, kMinCost, kMaxCost));
    if (salt.size() != kSaltChars || !IsBcryptText(salt)) {
      return Status::InvalidArgument("the bcrypt salt must be 22 bcrypt characters");
    }
    return Status::Ok();
  }

  // The whole "$2x$NN$<salt><hash>" string.
  static Result<std::string> Compute(char minor, std::string_view password, std::string_view salt,
                                     int cost) {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckSaltAndCost(salt, cost));
    if (password.find('\0') != std::string_view::npos) {
      return Status::InvalidArgument("bcrypt cannot hash a password that contains a NUL byte");
    }
    const std::string setting = fmt::format("$2{}${:02}${}", minor, cost, salt);
    // crypt(3) takes a C string; only the first 72 bytes matter to bcrypt.
    SecretBytes phrase;
    phrase.Append(password.substr(0, kMaxKeyBytes));
    phrase.Append(std::string_view("\0", 1));
    std::unique_ptr<crypt_data, CryptDataDeleter> data(new crypt_data{});
    const char* out = crypt_rn(reinterpret_cast<const char*>(phrase.data()), setting.c_str(),
                               data.get(), static_cast<int>(sizeof(crypt_data)));
    if (out == nullptr || out[0] == '*') return Status::Internal("bcrypt failed");
    std::string full(out);
    if (full.size() != kMcfChars) return Status::Internal("bcrypt returned an unexpected string");
    return full;
  }
};

}  // namespace

std::shared_ptr<const PasswordHasher> NewBcryptHasher() { return std::make_shared<BcryptHasher>(); }

}  // namespace bulwark::internal::password
