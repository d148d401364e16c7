// SPDX-License-Identifier: Apache-2.0
// argon2id (RFC 9106) through libargon2, stored as a PHC string
// `$argon2id$v=19$m=<KiB>,t=<t>,p=<lanes>$<salt>$<tag>` (unpadded standard Base64), the
// format of the reference `argon2` CLI. Lanes are computed on the calling thread
// (threads = 1): a library must not spawn threads in its host behind its back, and the result
// does not depend on the thread count.
#include <argon2.h>

#include <vector>

#include <fmt/format.h>

#include "crypto/password/builtin_hashers.h"
#include "crypto/password/common.h"

namespace bulwark::internal::password {
namespace {

constexpr std::uint32_t kDefaultMemoryKib = 19456;  // OWASP: m=19 MiB, t=2, p=1
constexpr int kDefaultTime = 2;
constexpr std::uint32_t kDefaultLanes = 1;
constexpr std::size_t kDefaultTagBytes = 32;
constexpr std::size_t kSaltBytes = 16;

constexpr long long kMaxMemoryKib = 2LL * 1024 * 1024;  // 2 GiB
constexpr long long kMaxTime = 64;
constexpr long long kMaxLanes = 64;
constexpr std::size_t kMinSaltBytes = 8;
constexpr std::size_t kMaxSaltBytes = 512;
constexpr std::size_t kMinTagBytes = 16;
constexpr std::size_t kMaxTagBytes = 512;

struct Phc {
  std::uint32_t memory_kib;
  std::uint32_t time;
  std::uint32_t lanes;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> tag;
};

Status Malformed(std::string_view why) {
  return Status::InvalidArgument(
      fmt::format("the argon2id hash is not a valid PHC string: {}", why));
}

// "<name>=<decimal>" at the front of `s`, consumed.
Result<long long> TakeParam(std::string_view& s, std::string_view name, long long max) {
  if (s.substr(0, name.size()) != name || s.size() <= name.size() || s[name.size()] != '=') {
    return Malformed(fmt::format("expected {}=", name));
  }
  s.remove_prefix(name.size() + 1);
  const std::size_t end = s.find_first_of(",$");
  Result<long long> value = ParseDecimal(s.substr(0, end), max);
  if (!value.ok()) return Malformed(fmt::format("{} is out of range", name));
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  return value;
}

Status CheckCosts(long long memory_kib, long long time, long long lanes) {
  if (time < 1 || time > kMaxTime) {
    return Status::InvalidArgument(
        fmt::format("the argon2id time cost must be between 1 and {}; got {}", kMaxTime, time));
  }
  if (lanes < 1 || lanes > kMaxLanes) {
    return Status::InvalidArgument(
        fmt::format("the argon2id parallelism must be between 1 and {}", kMaxLanes));
  }
  if (memory_kib < 8 * lanes || memory_kib > kMaxMemoryKib) {
    return Status::InvalidArgument(
        fmt::format("the argon2id memory cost must be between 8·p and {} KiB", kMaxMemoryKib));
  }
  return Status::Ok();
}

Result<Phc> ParsePhc(std::string_view s) {
  if (s.size() > kMaxStoredFieldChars) return Malformed("too long");
  constexpr std::string_view kPrefix = "$argon2id$";
  if (s.substr(0, kPrefix.size()) != kPrefix) return Malformed("expected $argon2id$");
  s.remove_prefix(kPrefix.size());
  BULWARK_ASSIGN_OR_RETURN(long long version, TakeParam(s, "v", 0xFF));
  if (version != ARGON2_VERSION_13) return Malformed("only version 19 (0x13) is supported");
  if (s.empty() || s[0] != '$') return Malformed("expected $ after the version");
  s.remove_prefix(1);
  BULWARK_ASSIGN_OR_RETURN(long long memory, TakeParam(s, "m", 0xFFFFFFFF));
  if (s.empty() || s[0] != ',') return Malformed("expected ,t=");
  s.remove_prefix(1);
  BULWARK_ASSIGN_OR_RETURN(long long time, TakeParam(s, "t", 0xFFFFFFFF));
  if (s.empty() || s[0] != ',') return Malformed("expected ,p=");
  s.remove_prefix(1);
  BULWARK_ASSIGN_OR_RETURN(long long lanes, TakeParam(s, "p", 0xFFFFFF));
  if (s.empty() || s[0] != '$') return Malformed("expected $ before the salt");
  s.remove_prefix(1);
  const std::size_t dollar = s.find('$');
  if (dollar == std::string_view::npos) return Malformed("expected $ before the tag");
  Result<std::vector<std::uint8_t>> salt = DecodeBase64NoPad(s.substr(0, dollar));
  Result<std::vector<std::uint8_t>> tag = DecodeBase64NoPad(s.substr(dollar + 1));
  if (!salt.ok() || !tag.ok()) return Malformed("the salt or tag is not unpadded Base64");
  if (salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes) {
    return Malformed(fmt::format("the salt must be {}..{} bytes", kMinSaltBytes, kMaxSaltBytes));
  }
  if (tag->size() < kMinTagBytes || tag->size() > kMaxTagBytes) {
    return Malformed(fmt::format("the tag must be {}..{} bytes", kMinTagBytes, kMaxTagBytes));
  }
  BULWARK_RETURN_IF_ERROR(CheckCosts(memory, time, lanes));
  return Phc{static_cast<std::uint32_t>(memory), static_cast<std::uint32_t>(time),
             static_cast<std::uint32_t>(lanes), std::move(*salt), std::move(*tag)};
}

Status Argon2id(std::string_view password, std::span<const std::uint8_t> salt,
                std::uint32_t memory_kib, std::uint32_t time, std::uint32_t lanes,
                std::span<std::uint8_t> out) {
  argon2_context ctx{};
  ctx.out = out.data();
  ctx.outlen = static_cast<std::uint32_t>(out.size());
  // libargon2 only writes the password when ARGON2_FLAG_CLEAR_PASSWORD is set (it is not).
  ctx.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(password.data()));
  ctx.pwdlen = static_cast<std::uint32_t>(password.size());
  ctx.salt = const_cast<std::uint8_t*>(salt.data());
  ctx.saltlen = static_cast<std::uint32_t>(salt.size());
  ctx.t_cost = time;
  ctx.m_cost = memory_kib;
  ctx.lanes = lanes;
  ctx.threads = 1;
  ctx.version = ARGON2_VERSION_13;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  const int rc = argon2_ctx(&ctx, Argon2_id);
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return Status::ResourceExhausted("argon2id could not allocate its memory");
  }
  if (rc != ARGON2_OK) {
    return Status::InvalidArgument(fmt::format("argon2id failed: {}", argon2_error_message(rc)));
  }
  return Status::Ok();
}

class Argon2idHasher final : public PasswordHasher {
 public:
  std::string_view scheme() const noexcept override { return kArgon2id; }
  int default_factor() const noexcept override { return kDefaultTime; }

  Result<std::string> GenerateSalt(Random& random) const override {
    return RandomBase64Salt(random, kSaltBytes);
  }

  Result<std::string> Encrypt(std::string_view password, std::string_view salt,
                              int factor) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_RETURN_IF_ERROR(CheckCosts(kDefaultMemoryKib, factor, kDefaultLanes));
    BULWARK_ASSIGN_OR_RETURN(SecretBytes salt_bytes, DecodeSalt(kArgon2id, salt));
    if (salt_bytes.size() < kMinSaltBytes || salt_bytes.size() > kMaxSaltBytes) {
      return Status::InvalidArgument(
          fmt::format("the argon2id salt must be {}..{} bytes", kMinSaltBytes, kMaxSaltBytes));
    }
    SecretBytes tag(kDefaultTagBytes);
    BULWARK_RETURN_IF_ERROR(Argon2id(password, salt_bytes.span(), kDefaultMemoryKib,
                                     static_cast<std::uint32_t>(factor), kDefaultLanes,
                                     {tag.data(), tag.size()}));
    return fmt::format("$argon2id$v=19$m={},t={},p={}${}${}", kDefaultMemoryKib, factor,
                       kDefaultLanes, EncodeBase64NoPad(salt_bytes.span()),
                       EncodeBase64NoPad(tag.span()));
  }

  Result<bool> Verify(std::string_view password, const PasswordHash& stored) const override {
    BULWARK_RETURN_IF_ERROR(CheckPassword(password));
    BULWARK_ASSIGN_OR_RETURN(Phc phc, ParsePhc(stored.hash));
    if (stored.factor != 0 && static_cast<long long>(stored.factor) != phc.time) {
      return Status::InvalidArgument("the argon2id factor disagrees with the PHC string");
    }
    if (!stored.salt.empty()) {
      BULWARK_ASSIGN_OR_RETURN(SecretBytes salt, DecodeSalt(kArgon2id, stored.salt));
      if (!std::equal(salt.span().begin(), salt.span().end(), phc.salt.begin(), phc.salt.end())) {
        return Status::InvalidArgument("the argon2id salt disagrees with the PHC string");
      }
    }
    SecretBytes tag(phc.tag.size());
    BULWARK_RETURN_IF_ERROR(Argon2id(password, phc.salt, phc.memory_kib, phc.time, phc.lanes,
                                     {tag.data(), tag.size()}));
    return ConstantTimeEquals(
        std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()),
        std::string_view(reinterpret_cast<const char*>(phc.tag.data()), phc.tag.size()));
  }
};

}  // namespace

std::shared_ptr<const PasswordHasher> NewArgon2idHasher() {
  return std::make_shared<Argon2idHasher>();
}

}  // namespace bulwark::internal::password
