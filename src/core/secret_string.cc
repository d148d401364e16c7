// SPDX-License-Identifier: Apache-2.0
#include "bulwark/secret_string.h"

#include <openssl/crypto.h>

#include <ostream>
#include <utility>

namespace bulwark {
namespace {

// Overwrites every byte the string's buffer can hold (size up to capacity), then empties it.
// Growing to capacity never reallocates, so no copy of the bytes is left behind.
void Wipe(std::string& s) noexcept {
  s.resize(s.capacity());
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace

SecretString::SecretString(std::string_view text) : data_(text) {}
SecretString::SecretString(const char* text) : data_(text == nullptr ? "" : text) {}
SecretString::SecretString(const std::string& text) : data_(text) {}
SecretString::SecretString(std::string&& text) noexcept : data_(std::move(text)) { Wipe(text); }

SecretString::SecretString(const SecretString& other) : data_(other.data_) {}
SecretString::SecretString(SecretString&& other) noexcept : data_(std::move(other.data_)) {
  Wipe(other.data_);
}

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    Wipe(data_);
    // Reserve first so that the copy never reallocates a buffer that held other bytes.
    data_.reserve(other.data_.size());
    data_.assign(other.data_);
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe(data_);
    data_ = std::move(other.data_);
    Wipe(other.data_);
  }
  return *this;
}

SecretString::~SecretString() { Wipe(data_); }

void SecretString::clear() noexcept { Wipe(data_); }

bool operator==(const SecretString& a, const SecretString& b) noexcept {
  if (a.data_.size() != b.data_.size()) return false;
  if (a.data_.empty()) return true;
  return CRYPTO_memcmp(a.data_.data(), b.data_.data(), a.data_.size()) == 0;
}

std::ostream& operator<<(std::ostream& os, const SecretString& secret) {
  return os << (secret.empty() ? "<empty>" : "<redacted>");
}

}  // namespace bulwark
