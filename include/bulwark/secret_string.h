// SPDX-License-Identifier: Apache-2.0
//
// SecretString: an owned byte string for key material and secrets (HMAC secrets, private-key
// PEM). It behaves like a small immutable string, with three differences from std::string:
//   - its bytes are wiped (OPENSSL_cleanse) when it is destroyed, cleared or assigned over,
//     and a std::string moved into it is wiped too;
//   - equality compares in constant time for equal lengths (CRYPTO_memcmp); only the length
//     can leak through timing;
//   - streaming it (operator<<, and so Catch2 or a logger) prints "<redacted>", never the bytes.
//
// It wipes its own buffers only. Copies made through view() (into a std::string, a JSON
// document, ...) are the caller's to look after; keep them short-lived.
//
//   SecretString secret = std::string(random_bytes);   // the source string is wiped
//   Sign(secret.view());
//
// Thread-compatible: const methods may be called concurrently; non-const methods require
// external synchronisation.
#ifndef BULWARK_SECRET_STRING_H_
#define BULWARK_SECRET_STRING_H_

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "bulwark/export.h"

namespace bulwark {

class BULWARK_EXPORT SecretString {
 public:
  SecretString() noexcept = default;
  // Copies `text`.
  SecretString(std::string_view text);    // NOLINT: implicit, like std::string
  SecretString(const char* text);         // NOLINT: implicit, like std::string
  SecretString(const std::string& text);  // NOLINT: implicit, like std::string
  // Takes `text`'s bytes and wipes whatever `text` still holds afterwards.
  SecretString(std::string&& text) noexcept;  // NOLINT: implicit, like std::string

  SecretString(const SecretString& other);
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();

  // The bytes. The view is valid until this SecretString is modified or destroyed.
  std::string_view view() const noexcept { return data_; }
  std::size_t size() const noexcept { return data_.size(); }
  bool empty() const noexcept { return data_.empty(); }
  // Wipes and empties.
  void clear() noexcept;

  // Constant time for equal lengths.
  friend BULWARK_EXPORT bool operator==(const SecretString& a, const SecretString& b) noexcept;

 private:
  std::string data_;
};

// Writes "<redacted>" (or "<empty>"), never the bytes.
BULWARK_EXPORT std::ostream& operator<<(std::ostream& os, const SecretString& secret);

}  // namespace bulwark

#endif  // BULWARK_SECRET_STRING_H_
