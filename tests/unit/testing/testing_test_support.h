// SPDX-License-Identifier: Apache-2.0
// Shared by the bulwark::testing tests: independent checks (OpenSSL digests and MACs, a JWKS
// turned into verification keys with bulwark's KeyFromJwk) and token surgery.
#ifndef BULWARK_TESTS_UNIT_TESTING_TESTING_TEST_SUPPORT_H_
#define BULWARK_TESTS_UNIT_TESTING_TESTING_TEST_SUPPORT_H_

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/testing/status_matchers.h"
#include "crypto/base64.h"

namespace bulwark::test {

inline std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::string B64u(std::span<const std::uint8_t> bytes) {
  return internal::Base64UrlEncode(bytes);
}

inline std::string Base64(std::string_view text) { return internal::Base64Encode(Bytes(text)); }

// A digest by OpenSSL directly (EVP_sha1(), EVP_sha256()).
inline std::vector<std::uint8_t> Digest(const EVP_MD* md, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) == 1);
  out.resize(size);
  return out;
}

// HMAC by OpenSSL directly.
inline std::vector<std::uint8_t> Hmac(const EVP_MD* md, std::string_view key,
                                      std::string_view data) {
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  REQUIRE(HMAC(md, key.data(), static_cast<int>(key.size()),
               reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
               &size) != nullptr);
  out.resize(size);
  return out;
}

// The DER bytes of a PEM certificate: the Base64 between the armour lines.
inline std::vector<std::uint8_t> PemToDer(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const std::size_t begin = pem.find(kBegin);
  const std::size_t end = pem.find(kEnd);
  REQUIRE(begin != std::string_view::npos);
  REQUIRE(end != std::string_view::npos);
  std::string body;
  for (const char c : pem.substr(begin + kBegin.size(), end - begin - kBegin.size())) {
    if (c != '\n' && c != '\r') body.push_back(c);
  }
  Result<std::vector<std::uint8_t>> der = internal::Base64Decode(body);
  REQUIRE_OK(der);
  return *der;
}

// The three segments of a compact token.
inline std::vector<std::string> Segments(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = token.find('.', start);
    out.push_back(token.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

inline nlohmann::json DecodeSegment(const std::string& segment) {
  Result<std::vector<std::uint8_t>> bytes = internal::Base64UrlDecode(segment);
  REQUIRE_OK(bytes);
  return nlohmann::json::parse(bytes->begin(), bytes->end());
}

// A JWKS document as bulwark would use it: each JWK through KeyFromJwk, then a key set.
inline VerificationKeySet KeySetFromJwks(const nlohmann::json& jwks) {
  REQUIRE(jwks.contains("keys"));
  VerificationKeySet set;
  for (const nlohmann::json& jwk : jwks.at("keys")) {
    Result<Key> key = KeyFromJwk(jwk);
    REQUIRE_OK(key);
    Result<VerificationKey> verifier = VerificationKey::FromKey(*key);
    REQUIRE_OK(verifier);
    set.Add(*verifier);
  }
  return set;
}

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_TESTING_TESTING_TEST_SUPPORT_H_
