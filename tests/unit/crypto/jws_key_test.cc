// SPDX-License-Identifier: Apache-2.0
// SigningKey / VerificationKey with HMAC: bulwark computes HMAC (RFC 2104) from two keyed
// digest states, so its MACs are checked here against OpenSSL's own HMAC for secrets
// shorter than, as long as and longer than the digest's block.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/crypto/jws_key.h"
#include "bulwark/model/key.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark {
namespace {

std::vector<std::uint8_t> OpenSslHmac(const EVP_MD* md, std::string_view secret,
                                      std::string_view data) {
  std::vector<std::uint8_t> mac(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  REQUIRE(HMAC(md, secret.data(), static_cast<int>(secret.size()),
               reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
               &n) != nullptr);
  mac.resize(n);
  return mac;
}

TEST_CASE("HMAC signatures are OpenSSL's HMAC for every secret length", "[crypto][jws][hmac]") {
  struct Case {
    KeyAlgorithm algorithm;
    const EVP_MD* md;
  };
  const Case cases[] = {{KeyAlgorithm::kHs256, EVP_sha256()},
                        {KeyAlgorithm::kHs384, EVP_sha384()},
                        {KeyAlgorithm::kHs512, EVP_sha512()}};
  // Block sizes are 64 (SHA-256) and 128 (SHA-384/512): secrets around both, and far above.
  const std::size_t lengths[] = {32, 43, 63, 64, 65, 127, 128, 129, 200, 1000};
  const std::string messages[] = {"", "a", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ",
                                  std::string(1000, 'x')};
  for (const Case& c : cases) {
    for (std::size_t length : lengths) {
      std::string secret(length, '\0');
      for (std::size_t i = 0; i < length; ++i) secret[i] = static_cast<char>(i * 7 + 1);
      Key key;
      key.type = KeyType::kHmac;
      key.algorithm = c.algorithm;
      key.secret = secret;
      const SigningKey signer = REQUIRE_VALUE(SigningKey::FromKey(key));
      const VerificationKey verifier = REQUIRE_VALUE(VerificationKey::FromKey(key));
      for (const std::string& message : messages) {
        INFO(ToString(c.algorithm)
             << ", a secret of " << length << " bytes, a message of " << message.size());
        const std::vector<std::uint8_t> expected = OpenSslHmac(c.md, secret, message);
        const std::vector<std::uint8_t> mac = REQUIRE_VALUE(signer.Sign(message));
        CHECK(mac == expected);
        CHECK_OK(verifier.Verify(message, mac));
        CHECK_OK(signer.verification_key().Verify(message, mac));
        // The states are copied, never consumed: the same key signs the same again.
        CHECK(REQUIRE_VALUE(signer.Sign(message)) == expected);
        std::vector<std::uint8_t> wrong = mac;
        wrong.back() ^= 1;
        CHECK_FALSE(verifier.Verify(message, wrong).ok());
        CHECK_FALSE(verifier.Verify(message + "!", mac).ok());
      }
    }
  }
}

}  // namespace
}  // namespace bulwark
