// SPDX-License-Identifier: Apache-2.0
// TestIssuer: its tokens verify with bulwark's verifier through what a real provider would
// publish (the public key, the certificate, the JWKS), and with nothing else. Expected values
// (algorithm names, iat/exp, x5t, thumbprints, MACs) are computed independently of the code
// under test: by hand, or with OpenSSL directly.
#include <catch2/catch.hpp>

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/manual_clock.h"
#include "bulwark/testing/status_matchers.h"
#include "bulwark/testing/test_issuer.h"
#include "testing_test_support.h"

namespace bulwark::testing {
namespace {

using test::B64u;
using test::DecodeSegment;
using test::Segments;

constexpr std::int64_t kStartSeconds = 1'700'000'000;  // ManualClock::kDefaultStart

struct AlgorithmCase {
  KeyAlgorithm algorithm;
  const char* jose_name;  // as bulwark's headers write it (FusionAuth's names)
};

constexpr AlgorithmCase kAlgorithms[] = {
    {KeyAlgorithm::kEs256, "ES256"},     {KeyAlgorithm::kEs384, "ES384"},
    {KeyAlgorithm::kEs512, "ES512"},     {KeyAlgorithm::kHs256, "HS256"},
    {KeyAlgorithm::kHs384, "HS384"},     {KeyAlgorithm::kHs512, "HS512"},
    {KeyAlgorithm::kPs256, "PS256"},     {KeyAlgorithm::kPs384, "PS384"},
    {KeyAlgorithm::kPs512, "PS512"},     {KeyAlgorithm::kRs256, "RS256"},
    {KeyAlgorithm::kRs384, "RS384"},     {KeyAlgorithm::kRs512, "RS512"},
    {KeyAlgorithm::kEd25519, "Ed25519"},
};

bool IsHmac(KeyAlgorithm a) {
  return a == KeyAlgorithm::kHs256 || a == KeyAlgorithm::kHs384 || a == KeyAlgorithm::kHs512;
}

std::shared_ptr<ManualClock> NewClock() { return std::make_shared<ManualClock>(); }

TestIssuer MakeIssuer(TestIssuerOptions options) {
  Result<TestIssuer> issuer = TestIssuer::Create(std::move(options));
  REQUIRE_OK(issuer);
  return REQUIRE_VALUE(std::move(issuer));
}

VerificationKey Verifier(const Key& key) {
  Result<VerificationKey> verifier = VerificationKey::FromKey(key);
  REQUIRE_OK(verifier);
  return *verifier;
}

JwtVerifyOptions At(Instant now, std::string issuer = "") {
  JwtVerifyOptions options;
  options.now = now;
  options.issuer = std::move(issuer);
  return options;
}

TEST_CASE("TestIssuer tokens verify with the verification key, for every algorithm", "[testing]") {
  const AlgorithmCase c = GENERATE(from_range(std::begin(kAlgorithms), std::end(kAlgorithms)));
  CAPTURE(c.jose_name);
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.issuer = "https://idp.test",
                                  .algorithm = c.algorithm,
                                  .clock = clock,
                                  .lifetime = std::chrono::minutes(10)});
  CHECK(issuer.issuer() == "https://idp.test");
  CHECK_FALSE(issuer.kid().empty());

  Result<std::string> token = issuer.Mint({{"sub", "user-1"}, {"email", "a@idp.test"}});
  REQUIRE_OK(token);

  // The header, read without the library's decoder's help.
  const nlohmann::json header = DecodeSegment(Segments(*token)[0]);
  CHECK(header.at("alg") == c.jose_name);
  CHECK(header.at("typ") == "JWT");
  CHECK(header.at("kid") == issuer.kid());
  CHECK_FALSE(header.contains("x5t"));

  const Key& key = issuer.verification_key();
  CHECK(key.algorithm == c.algorithm);
  CHECK(key.kid == issuer.kid());
  CHECK_FALSE(key.name.empty());
  if (IsHmac(c.algorithm)) {
    CHECK(key.secret.size() >= 32);
  } else {
    // Public material only.
    CHECK(key.private_key.empty());
    CHECK_FALSE(key.has_private_key);
    CHECK(key.secret.empty());
    CHECK_FALSE(key.public_key.empty());
    // What a host would do with it: KeyService::Import runs ImportKey.
    DeterministicRandom random;
    Result<Key> imported = ImportKey(key, random);
    REQUIRE_OK(imported);
    CHECK(imported->kid == issuer.kid());
    CHECK_FALSE(imported->has_private_key);
  }

  Result<Jwt> jwt = VerifyJwt(*token, Verifier(key), At(clock->Now(), "https://idp.test"));
  REQUIRE_OK(jwt);
  CHECK(jwt->claims.ToJson().at("sub") == "user-1");
  CHECK(jwt->claims.ToJson().at("email") == "a@idp.test");
  CHECK(jwt->claims.ToJson().at("iss") == "https://idp.test");
  CHECK(jwt->claims.ToJson().at("iat") == kStartSeconds);
  CHECK(jwt->claims.ToJson().at("exp") == kStartSeconds + 600);

  // exp is real: ten minutes later the token is expired.
  clock->Advance(std::chrono::minutes(10));
  Result<Jwt> late = VerifyJwt(*token, Verifier(key), At(clock->Now()));
  CHECK(JwtErrorOf(late.status()) == JwtError::kExpired);
}

TEST_CASE("TestIssuer tokens verify through the JWKS", "[testing]") {
  const KeyAlgorithm algorithm =
      GENERATE(KeyAlgorithm::kRs256, KeyAlgorithm::kPs384, KeyAlgorithm::kEs256,
               KeyAlgorithm::kEs512, KeyAlgorithm::kEd25519);
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.algorithm = algorithm, .clock = clock});
  const nlohmann::json jwks = issuer.Jwks();
  REQUIRE(jwks.at("keys").size() == 1);
  const nlohmann::json& jwk = jwks.at("keys").at(0);
  CHECK(jwk.at("kid") == issuer.kid());
  // Public members only.
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "k"})
    CHECK_FALSE(jwk.contains(member));

  Result<std::string> token = issuer.Mint({{"sub", "user-1"}});
  REQUIRE_OK(token);
  Result<Jwt> jwt =
      VerifyJwt(*token, test::KeySetFromJwks(jwks), At(clock->Now(), issuer.issuer()));
  CHECK_OK(jwt);
}

TEST_CASE("TestIssuer tokens fail with another issuer's key", "[testing]") {
  const KeyAlgorithm algorithm = GENERATE(KeyAlgorithm::kRs256, KeyAlgorithm::kEs256,
                                          KeyAlgorithm::kEd25519, KeyAlgorithm::kHs256);
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.algorithm = algorithm, .clock = clock});
  TestIssuer other = MakeIssuer({.algorithm = algorithm, .clock = clock});
  REQUIRE(issuer.kid() != other.kid());
  Result<std::string> token = issuer.Mint({{"sub", "user-1"}});
  REQUIRE_OK(token);

  // The other key under its own kid: the token names a key it does not have.
  Result<Jwt> by_kid = VerifyJwt(*token, Verifier(other.verification_key()), At(clock->Now()));
  CHECK(JwtErrorOf(by_kid.status()) == JwtError::kUnknownKey);

  // The other key without a kid (the caller chose it): the signature itself must fail.
  Key anonymous = other.verification_key();
  anonymous.kid.clear();
  Result<Jwt> by_signature = VerifyJwt(*token, Verifier(anonymous), At(clock->Now()));
  CHECK(JwtErrorOf(by_signature.status()) == JwtError::kBadSignature);

  // Nor through the other issuer's JWKS.
  if (!IsHmac(algorithm)) {
    Result<Jwt> by_jwks = VerifyJwt(*token, test::KeySetFromJwks(other.Jwks()), At(clock->Now()));
    CHECK(JwtErrorOf(by_jwks.status()) == JwtError::kUnknownKey);
  }
}

TEST_CASE("TestIssuer's x5t is the SHA-1 thumbprint of its self-signed certificate", "[testing]") {
  const KeyAlgorithm algorithm =
      GENERATE(KeyAlgorithm::kRs256, KeyAlgorithm::kEs384, KeyAlgorithm::kEd25519);
  auto clock = NewClock();
  TestIssuer issuer =
      MakeIssuer({.issuer = "https://idp.test", .algorithm = algorithm, .clock = clock});
  const Key& key = issuer.verification_key();
  REQUIRE_FALSE(key.certificate.empty());

  const std::vector<std::uint8_t> der = test::PemToDer(key.certificate);
  const std::string expected = B64u(test::Digest(EVP_sha1(), der));
  CHECK(expected.size() == 27);  // 20 bytes, base64url without padding
  CHECK(issuer.x5t() == expected);
  // FusionAuth's rule: a key with a certificate is named by its thumbprint.
  CHECK(issuer.kid() == expected);

  // The certificate is self-signed by the key, with CN = the issuer.
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  REQUIRE(cert != nullptr);
  CHECK(X509_verify(cert, X509_get0_pubkey(cert)) == 1);
  char common_name[256] = {};
  CHECK(X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, common_name,
                                  sizeof(common_name)) > 0);
  CHECK(std::string(common_name) == "https://idp.test");
  CHECK(X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0);
  X509_free(cert);

  // The JWK carries the same x5t and the certificate.
  const nlohmann::json jwk = issuer.Jwks().at("keys").at(0);
  CHECK(jwk.at("x5t") == expected);
  CHECK(jwk.at("x5c").at(0) ==
        test::Base64(std::string_view(reinterpret_cast<const char*>(der.data()), der.size())));

  // A token with an x5t header verifies with a key made from the certificate alone.
  Result<std::string> token =
      issuer.Mint({{"sub", "user-1"}}, {.kid_header = false, .x5t_header = true});
  REQUIRE_OK(token);
  const nlohmann::json header = DecodeSegment(Segments(*token)[0]);
  CHECK(header.at("x5t") == expected);
  CHECK_FALSE(header.contains("kid"));
  Key from_certificate;
  from_certificate.algorithm = algorithm;
  from_certificate.certificate = key.certificate;
  Result<Jwt> jwt = VerifyJwt(*token, Verifier(from_certificate), At(clock->Now()));
  CHECK_OK(jwt);
}

TEST_CASE("TestIssuer without a certificate: no x5t, the kid is the RFC 7638 thumbprint",
          "[testing]") {
  auto clock = NewClock();
  TestIssuer issuer =
      MakeIssuer({.algorithm = KeyAlgorithm::kEs256, .clock = clock, .with_certificate = false});
  CHECK(issuer.x5t().empty());
  CHECK(issuer.verification_key().certificate.empty());
  const nlohmann::json jwk = issuer.Jwks().at("keys").at(0);
  CHECK_FALSE(jwk.contains("x5c"));
  CHECK_FALSE(jwk.contains("x5t"));
  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" +
                                jwk.at("x").get<std::string>() + R"(","y":")" +
                                jwk.at("y").get<std::string>() + R"("})";
  CHECK(issuer.kid() == B64u(test::Digest(EVP_sha256(), test::Bytes(canonical))));

  Result<std::string> with_x5t = issuer.Mint({{"sub", "u"}}, {.x5t_header = true});
  CHECK(with_x5t.status().code() == StatusCode::kFailedPrecondition);
  // Without a certificate the key still verifies (public key only).
  Result<std::string> token = issuer.Mint({{"sub", "u"}});
  REQUIRE_OK(token);
  CHECK_OK(VerifyJwt(*token, Verifier(issuer.verification_key()), At(clock->Now())));
}

TEST_CASE("TestIssuer rotation keeps old keys in the JWKS when asked", "[testing]") {
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.algorithm = KeyAlgorithm::kEs256, .clock = clock});
  const std::string first_kid = issuer.kid();
  const std::string& kid_reference = issuer.kid();
  Result<std::string> old_token = issuer.Mint({{"sub", "u"}});
  REQUIRE_OK(old_token);

  REQUIRE_OK(issuer.Rotate());
  const std::string second_kid = issuer.kid();
  CHECK(second_kid != first_kid);
  CHECK(kid_reference == first_kid);  // references stay valid, naming the key they named
  nlohmann::json jwks = issuer.Jwks();
  REQUIRE(jwks.at("keys").size() == 2);
  CHECK(jwks.at("keys").at(0).at("kid") == second_kid);
  CHECK(jwks.at("keys").at(1).at("kid") == first_kid);

  Result<std::string> new_token = issuer.Mint({{"sub", "u"}});
  REQUIRE_OK(new_token);
  CHECK(DecodeSegment(Segments(*new_token)[0]).at("kid") == second_kid);
  VerificationKeySet both = test::KeySetFromJwks(jwks);
  CHECK_OK(VerifyJwt(*old_token, both, At(clock->Now())));
  CHECK_OK(VerifyJwt(*new_token, both, At(clock->Now())));
  // The new verification key does not verify old tokens.
  CHECK(JwtErrorOf(VerifyJwt(*old_token, Verifier(issuer.verification_key()), At(clock->Now()))
                       .status()) == JwtError::kUnknownKey);

  REQUIRE_OK(issuer.Rotate(true));
  CHECK(issuer.Jwks().at("keys").size() == 3);

  // Without keep_old every older key leaves the JWKS.
  REQUIRE_OK(issuer.Rotate(false));
  jwks = issuer.Jwks();
  REQUIRE(jwks.at("keys").size() == 1);
  CHECK(jwks.at("keys").at(0).at("kid") == issuer.kid());
  CHECK(JwtErrorOf(VerifyJwt(*old_token, test::KeySetFromJwks(jwks), At(clock->Now())).status()) ==
        JwtError::kUnknownKey);
}

TEST_CASE("TestIssuer with an HMAC secret", "[testing]") {
  auto clock = NewClock();
  const std::string secret = "a shared secret of at least thirty-two bytes";
  TestIssuer issuer =
      MakeIssuer({.algorithm = KeyAlgorithm::kHs256, .clock = clock, .hmac_secret = secret});
  CHECK(issuer.verification_key().secret.view() == secret);
  CHECK(issuer.x5t().empty());
  CHECK(issuer.Jwks() == nlohmann::json::parse(R"({"keys":[]})"));
  CHECK(issuer.kid().size() == 10);

  Result<std::string> token = issuer.Mint({{"sub", "u"}});
  REQUIRE_OK(token);
  // The MAC, computed by OpenSSL over the signing input with the secret's bytes.
  const std::vector<std::string> segments = Segments(*token);
  const std::string input = segments[0] + "." + segments[1];
  CHECK(segments[2] == B64u(test::Hmac(EVP_sha256(), secret, input)));

  // A key built by hand from the secret verifies it.
  Key by_hand;
  by_hand.algorithm = KeyAlgorithm::kHs256;
  by_hand.secret = secret;
  CHECK_OK(VerifyJwt(*token, Verifier(by_hand), At(clock->Now())));

  // Rotation keeps a given secret and changes the kid.
  const std::string first_kid = issuer.kid();
  REQUIRE_OK(issuer.Rotate());
  CHECK(issuer.kid() != first_kid);
  CHECK(issuer.verification_key().secret.view() == secret);
  CHECK(issuer.Jwks().at("keys").empty());

  // A short secret is refused.
  Result<TestIssuer> short_secret =
      TestIssuer::Create({.algorithm = KeyAlgorithm::kHs256, .hmac_secret = "too short"});
  CHECK(short_secret.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("TestIssuer with a generated HMAC secret rotates it", "[testing]") {
  TestIssuer issuer = MakeIssuer({.algorithm = KeyAlgorithm::kHs512});
  const std::string first(issuer.verification_key().secret.view());
  CHECK(first.size() >= 64);
  REQUIRE_OK(issuer.Rotate());
  CHECK(issuer.verification_key().secret.view() != first);
}

TEST_CASE("TestIssuer::Mint adds iss, iat and exp unless given; null removes a claim",
          "[testing]") {
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.issuer = "https://idp.test", .clock = clock});
  const VerificationKey verifier = Verifier(issuer.verification_key());

  SECTION("given claims are kept") {
    Result<std::string> token = issuer.Mint({{"iss", "https://elsewhere.test"},
                                             {"iat", kStartSeconds - 10},
                                             {"exp", kStartSeconds + 5}});
    REQUIRE_OK(token);
    Result<Jwt> jwt = VerifyJwt(*token, verifier, At(clock->Now()));
    REQUIRE_OK(jwt);
    CHECK(jwt->claims.ToJson().at("iss") == "https://elsewhere.test");
    CHECK(jwt->claims.ToJson().at("iat") == kStartSeconds - 10);
    CHECK(jwt->claims.ToJson().at("exp") == kStartSeconds + 5);
  }
  SECTION("null removes a claim, added ones included") {
    Result<std::string> token =
        issuer.Mint({{"sub", "u"}, {"exp", nullptr}, {"iat", nullptr}, {"email", nullptr}});
    REQUIRE_OK(token);
    const nlohmann::json claims = DecodeSegment(Segments(*token)[1]);
    CHECK(claims == nlohmann::json({{"sub", "u"}, {"iss", "https://idp.test"}}));
    // bulwark's verifier refuses a token without exp by default, and accepts it when told.
    CHECK(JwtErrorOf(VerifyJwt(*token, verifier, At(clock->Now())).status()) ==
          JwtError::kMissingClaim);
    JwtVerifyOptions lenient = At(clock->Now());
    lenient.require_exp = false;
    CHECK_OK(VerifyJwt(*token, verifier, lenient));
  }
  SECTION("iat and exp follow the clock") {
    clock->Advance(std::chrono::seconds(90) + std::chrono::milliseconds(999));
    Result<std::string> token = issuer.Mint({{"sub", "u"}});
    REQUIRE_OK(token);
    const nlohmann::json claims = DecodeSegment(Segments(*token)[1]);
    CHECK(claims.at("iat") == kStartSeconds + 90);  // seconds, rounded down
    CHECK(claims.at("exp") == kStartSeconds + 90 + 3600);
  }
  SECTION("nested nulls are data, not removals") {
    Result<std::string> token = issuer.Mint({{"data", {{"x", nullptr}}}});
    REQUIRE_OK(token);
    CHECK(DecodeSegment(Segments(*token)[1]).at("data") == nlohmann::json({{"x", nullptr}}));
  }
  SECTION("claims must be an object") {
    CHECK(issuer.Mint(nlohmann::json::array({1, 2})).status().code() ==
          StatusCode::kInvalidArgument);
    CHECK(issuer.Mint("text").status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("TestIssuer::Mint header options", "[testing]") {
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.algorithm = KeyAlgorithm::kEs256, .clock = clock});
  const VerificationKey verifier = Verifier(issuer.verification_key());

  SECTION("no kid") {
    Result<std::string> token = issuer.Mint({{"sub", "u"}}, {.kid_header = false});
    REQUIRE_OK(token);
    CHECK_FALSE(DecodeSegment(Segments(*token)[0]).contains("kid"));
    // A set of one key accepts a token without kid (bulwark's kid rule).
    CHECK_OK(VerifyJwt(*token, test::KeySetFromJwks(issuer.Jwks()), At(clock->Now())));
  }
  SECTION("a kid of the test's choosing") {
    Result<std::string> token = issuer.Mint(
        {{"sub", "u"}}, {.header_extras = {{"kid", "not-a-known-kid"}, {"typ", "at+jwt"}}});
    REQUIRE_OK(token);
    const nlohmann::json header = DecodeSegment(Segments(*token)[0]);
    CHECK(header.at("kid") == "not-a-known-kid");
    CHECK(header.at("typ") == "at+jwt");
    CHECK(JwtErrorOf(
              VerifyJwt(*token, test::KeySetFromJwks(issuer.Jwks()), At(clock->Now())).status()) ==
          JwtError::kUnknownKey);
  }
  SECTION("extra members") {
    Result<std::string> token = issuer.Mint({{"sub", "u"}}, {.header_extras = {{"cty", "JWT"}}});
    REQUIRE_OK(token);
    const nlohmann::json header = DecodeSegment(Segments(*token)[0]);
    CHECK(header.at("cty") == "JWT");
    CHECK(header.at("kid") == issuer.kid());
    CHECK_OK(VerifyJwt(*token, verifier, At(clock->Now())));
  }
  SECTION("alg cannot be chosen") {
    CHECK(issuer.Mint({{"sub", "u"}}, {.header_extras = {{"alg", "none"}}}).status().code() ==
          StatusCode::kInvalidArgument);
  }
}

TEST_CASE("TestIssuer is movable", "[testing]") {
  TestIssuer a = MakeIssuer({.algorithm = KeyAlgorithm::kEd25519});
  const std::string kid = a.kid();
  TestIssuer b = std::move(a);
  CHECK(b.kid() == kid);
  CHECK(b.Mint({{"sub", "u"}}).ok());
}

TEST_CASE("TestIssuer mints while another thread rotates", "[testing]") {
  auto clock = NewClock();
  TestIssuer issuer = MakeIssuer({.algorithm = KeyAlgorithm::kEs256, .clock = clock});
  std::vector<std::string> tokens[4];
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (auto& out : tokens) {
    threads.emplace_back([&issuer, &out, &failed] {
      for (int i = 0; i < 20; ++i) {
        Result<std::string> token = issuer.Mint({{"sub", "u"}, {"i", i}});
        if (!token.ok()) {
          failed = true;
          return;
        }
        (void)issuer.kid();
        (void)issuer.Jwks();
        out.push_back(*token);
      }
    });
  }
  for (int i = 0; i < 3; ++i) REQUIRE_OK(issuer.Rotate());
  for (std::thread& t : threads) t.join();
  CHECK_FALSE(failed);
  REQUIRE(issuer.Jwks().at("keys").size() == 4);
  const VerificationKeySet all = test::KeySetFromJwks(issuer.Jwks());
  for (const auto& list : tokens) {
    REQUIRE(list.size() == 20);
    for (const std::string& token : list) CHECK_OK(VerifyJwt(token, all, At(clock->Now())));
  }
}

}  // namespace
}  // namespace bulwark::testing
