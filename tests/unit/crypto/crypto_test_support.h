// SPDX-License-Identifier: Apache-2.0
// Shared by the crypto tests: fixture files under tests/data/jws, keys made from them once
// per process, and token surgery helpers.
#ifndef BULWARK_TESTS_UNIT_CRYPTO_CRYPTO_TEST_SUPPORT_H_
#define BULWARK_TESTS_UNIT_CRYPTO_CRYPTO_TEST_SUPPORT_H_

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/model/key.h"
#include "bulwark/random.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/status_matchers.h"
#include "crypto/base64.h"

namespace bulwark::test {

inline std::filesystem::path JwsData(const std::string& name) {
  return std::filesystem::path(BULWARK_TEST_DATA_DIR) / "jws" / name;
}

inline std::string ReadJwsData(const std::string& name) {
  std::ifstream in(JwsData(name), std::ios::binary);
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::json LoadJwsJson(const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(ReadJwsData(name), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

inline std::string B64u(std::string_view text) {
  return internal::Base64UrlEncode(
      {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}
inline std::string B64u(const std::vector<std::uint8_t>& bytes) {
  return internal::Base64UrlEncode(bytes);
}
inline std::vector<std::uint8_t> UnB64u(std::string_view text) {
  return REQUIRE_VALUE(internal::Base64UrlDecode(text));
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

// A key imported from a committed PEM fixture, for `algorithm`.
inline Key FixtureKey(KeyAlgorithm algorithm, const std::string& file) {
  Key request;
  request.name = "fixture " + file;
  request.algorithm = algorithm;
  request.private_key = ReadJwsData(file);
  testing::DeterministicRandom random(7);
  Result<Key> key = ImportKey(request, random);
  REQUIRE_OK(key);
  return *key;
}

inline Key HmacKey(KeyAlgorithm algorithm, std::string secret, std::string kid = "") {
  Key key;
  key.name = "hmac";
  key.type = KeyType::kHmac;
  key.algorithm = algorithm;
  key.secret = std::move(secret);
  key.kid = std::move(kid);
  return key;
}

// One Key per algorithm, from the fixtures (RSA 2048, EC per curve, Ed25519, HMAC secrets),
// built once per process.
inline const std::map<KeyAlgorithm, Key>& KeysByAlgorithm() {
  static const std::map<KeyAlgorithm, Key>* const keys = [] {
    auto* m = new std::map<KeyAlgorithm, Key>();
    for (KeyAlgorithm a : {KeyAlgorithm::kRs256, KeyAlgorithm::kRs384, KeyAlgorithm::kRs512,
                           KeyAlgorithm::kPs256, KeyAlgorithm::kPs384, KeyAlgorithm::kPs512}) {
      (*m)[a] = FixtureKey(a, "rsa2048.key.pem");
    }
    (*m)[KeyAlgorithm::kEs256] = FixtureKey(KeyAlgorithm::kEs256, "ec256.key.pem");
    (*m)[KeyAlgorithm::kEs384] = FixtureKey(KeyAlgorithm::kEs384, "ec384.key.pem");
    (*m)[KeyAlgorithm::kEs512] = FixtureKey(KeyAlgorithm::kEs512, "ec521.key.pem");
    (*m)[KeyAlgorithm::kEd25519] = FixtureKey(KeyAlgorithm::kEd25519, "ed25519.key.pem");
    (*m)[KeyAlgorithm::kHs256] =
        HmacKey(KeyAlgorithm::kHs256, std::string(32, 'a') + "-hs256-fixture", "hs256kid01");
    (*m)[KeyAlgorithm::kHs384] =
        HmacKey(KeyAlgorithm::kHs384, std::string(48, 'b') + "-hs384-fixture", "hs384kid01");
    (*m)[KeyAlgorithm::kHs512] =
        HmacKey(KeyAlgorithm::kHs512, std::string(64, 'c') + "-hs512-fixture", "hs512kid01");
    return m;
  }();
  return *keys;
}

inline const std::vector<KeyAlgorithm>& AllAlgorithms() {
  static const std::vector<KeyAlgorithm> all = {
      KeyAlgorithm::kEs256,  KeyAlgorithm::kEs384, KeyAlgorithm::kEs512, KeyAlgorithm::kHs256,
      KeyAlgorithm::kHs384,  KeyAlgorithm::kHs512, KeyAlgorithm::kPs256, KeyAlgorithm::kPs384,
      KeyAlgorithm::kPs512,  KeyAlgorithm::kRs256, KeyAlgorithm::kRs384, KeyAlgorithm::kRs512,
      KeyAlgorithm::kEd25519};
  return all;
}

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_CRYPTO_CRYPTO_TEST_SUPPORT_H_
