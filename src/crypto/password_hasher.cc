// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/password_hasher.h"

#include <openssl/crypto.h>

#include <map>
#include <mutex>
#include <shared_mutex>

#include <fmt/format.h>

#include "core/ascii.h"
#include "crypto/password/builtin_hashers.h"

namespace bulwark {

PasswordHasher::~PasswordHasher() = default;

Result<bool> PasswordHasher::Verify(std::string_view password, const PasswordHash& stored) const {
  BULWARK_ASSIGN_OR_RETURN(std::string computed, Encrypt(password, stored.salt, stored.factor));
  const bool match = ConstantTimeEquals(computed, stored.hash);
  OPENSSL_cleanse(computed.data(), computed.size());
  return match;
}

bool PasswordHasher::ConstantTimeEquals(std::string_view computed,
                                        std::string_view stored) noexcept {
  if (computed.size() != stored.size()) {
    // Spend the same time as a comparison of `computed` would, then report a mismatch.
    volatile int sink = CRYPTO_memcmp(computed.data(), computed.data(), computed.size());
    (void)sink;
    return false;
  }
  return CRYPTO_memcmp(computed.data(), stored.data(), computed.size()) == 0;
}

namespace {

// Calls a hasher; an exception escaping a (host) hasher becomes kInternal.
template <typename F>
auto CallHasher(std::string_view scheme, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    return Status::Internal(fmt::format("the password hasher [{}] threw", scheme));
  }
}

}  // namespace

struct PasswordHasherRegistry::Impl {
  mutable std::shared_mutex mu;
  // Guarded by mu.
  std::map<std::string, std::shared_ptr<const PasswordHasher>, std::less<>> hashers;
};

PasswordHasherRegistry::PasswordHasherRegistry() : impl_(std::make_unique<Impl>()) {
  namespace pw = internal::password;
  std::vector<std::shared_ptr<const PasswordHasher>> builtins = pw::NewPbkdf2Hashers();
  for (auto& h : pw::NewDigestHashers()) builtins.push_back(std::move(h));
  for (auto& h : pw::NewPhpassHashers()) builtins.push_back(std::move(h));
  builtins.push_back(pw::NewBcryptHasher());
  builtins.push_back(pw::NewArgon2idHasher());
  builtins.push_back(pw::NewScryptHasher());
  for (auto& h : builtins) {
    std::string name(h->scheme());
    impl_->hashers.emplace(std::move(name), std::move(h));
  }
}

PasswordHasherRegistry::~PasswordHasherRegistry() = default;

Status PasswordHasherRegistry::Register(std::shared_ptr<const PasswordHasher> hasher) {
  if (hasher == nullptr) return Status::InvalidArgument("the password hasher is null");
  std::string name(hasher->scheme());
  if (internal::IsBlank(name)) return Status::InvalidArgument("the password hasher's scheme is blank");
  std::unique_lock lock(impl_->mu);
  if (impl_->hashers.contains(name)) {
    return Status::AlreadyExists(
        fmt::format("a password hasher for the scheme [{}] is already registered", name));
  }
  impl_->hashers.emplace(std::move(name), std::move(hasher));
  return Status::Ok();
}

std::shared_ptr<const PasswordHasher> PasswordHasherRegistry::Find(std::string_view scheme) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->hashers.find(scheme);
  return it == impl_->hashers.end() ? nullptr : it->second;
}

std::vector<std::string> PasswordHasherRegistry::schemes() const {
  std::shared_lock lock(impl_->mu);
  std::vector<std::string> names;
  names.reserve(impl_->hashers.size());
  for (const auto& [name, hasher] : impl_->hashers) names.push_back(name);
  return names;  // std::map keeps them sorted
}

Result<PasswordHash> PasswordHasherRegistry::Hash(std::string_view password,
                                                  std::string_view scheme, int factor,
                                                  Random& random) const {
  std::shared_ptr<const PasswordHasher> hasher = Find(scheme);
  if (hasher == nullptr) {
    return Status::NotFound(fmt::format("unknown password encryption scheme [{}]", scheme));
  }
  if (factor < 0) {
    return Status::InvalidArgument(fmt::format("the {} factor must not be negative", scheme));
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument(
        fmt::format("the password is longer than {} bytes", kMaxPasswordBytes));
  }
  return CallHasher(scheme, [&]() -> Result<PasswordHash> {
    PasswordHash out;
    out.encryption_scheme = std::string(scheme);
    out.factor = factor == 0 ? hasher->default_factor() : factor;
    BULWARK_ASSIGN_OR_RETURN(out.salt, hasher->GenerateSalt(random));
    BULWARK_ASSIGN_OR_RETURN(out.hash, hasher->Encrypt(password, out.salt, out.factor));
    return out;
  });
}

Result<bool> PasswordHasherRegistry::Verify(std::string_view password,
                                            const PasswordHash& stored) const {
  std::shared_ptr<const PasswordHasher> hasher = Find(stored.encryption_scheme);
  if (hasher == nullptr) {
    return Status::NotFound(
        fmt::format("unknown password encryption scheme [{}]", stored.encryption_scheme));
  }
  // No stored hash is no credential: nothing matches it.
  if (stored.hash.empty() || password.size() > kMaxPasswordBytes) return false;
  return CallHasher(stored.encryption_scheme,
                    [&]() -> Result<bool> { return hasher->Verify(password, stored); });
}

}  // namespace bulwark
