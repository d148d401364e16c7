// SPDX-License-Identifier: Apache-2.0
// Conformance: the JWS, JWK and thumbprint examples of RFC 7515, 7520, 7638 and 8037, from
// tests/data/jws (each file says where it came from).
#include <catch2/catch.hpp>

#include <string>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/crypto/crypto_test_support.h"

namespace bulwark {
namespace {

using test::B64u;
using test::LoadJwsJson;
using test::Segments;
using test::UnB64u;

// A Key for an RFC example JWK: "oct" becomes an HMAC secret (its bytes), others go
// through KeyFromJwk (private members included).
Key KeyFromExampleJwk(const nlohmann::json& jwk, KeyAlgorithm algorithm) {
  if (jwk["kty"] == "oct") {
    const std::vector<std::uint8_t> k = UnB64u(jwk["k"].get<std::string>());
    return test::HmacKey(algorithm, std::string(k.begin(), k.end()),
                         jwk.value("kid", std::string()));
  }
  Result<Key> key = KeyFromJwk(jwk, {.include_private = true});
  REQUIRE_OK(key);
  key->algorithm = algorithm;
  return *key;
}

std::string SigningInput(const std::string& compact) {
  return compact.substr(0, compact.rfind('.'));
}

TEST_CASE("RFC 7515 appendix A examples verify", "[jws][conformance]") {
  const nlohmann::json doc = LoadJwsJson("rfc7515_appendix_a.json");
  const Instant before_exp = FromEpochMillis(1300819379000);  // exp - 1 s
  for (const nlohmann::json& ex : doc["examples"]) {
    const std::string appendix = ex["appendix"];
    INFO("RFC 7515 " << appendix);
    const KeyAlgorithm alg = REQUIRE_VALUE(ParseKeyAlgorithm(ex["alg"].get<std::string>()));
    const Key key = KeyFromExampleJwk(ex["jwk"], alg);
    const std::string compact = ex["compact"];
    Result<VerificationKey> verifier = VerificationKey::FromKey(key);
    REQUIRE_OK(verifier);

    Result<Jws> jws = VerifyJws(compact, *verifier);
    REQUIRE_OK(jws);
    CHECK(jws->header["alg"] == ex["alg"]);
    if (appendix == "A.4") {
      CHECK(jws->payload == "Payload");
    } else {
      // A.1-A.3 are JWTs whose exp is 1300819380 (March 2011).
      Result<Jwt> jwt = VerifyJwt(compact, *verifier, {.now = before_exp});
      REQUIRE_OK(jwt);
      CHECK(jwt->claims.ToJson()["iss"] == "joe");
      CHECK(jwt->claims.ToJson()["http://example.com/is_root"] == true);
      Result<Jwt> late = VerifyJwt(compact, *verifier, {.now = FromEpochMillis(1300819380000)});
      CHECK(JwtErrorOf(late.status()) == JwtError::kExpired);
    }

    // The signature is bound to every byte of the signing input.
    std::vector<std::uint8_t> sig = UnB64u(Segments(compact)[2]);
    sig[sig.size() / 2] ^= 0x01;
    CHECK(JwtErrorOf(VerifyJws(SigningInput(compact) + "." + B64u(sig), *verifier).status()) ==
          JwtError::kBadSignature);

    if (appendix == "A.1") {
      // HMAC is deterministic: bulwark computes the same MAC over the RFC's signing input.
      Result<SigningKey> signer = SigningKey::FromKey(key);
      REQUIRE_OK(signer);
      CHECK(B64u(REQUIRE_VALUE(signer->Sign(SigningInput(compact)))) == Segments(compact)[2]);
    }
    if (appendix == "A.4") {
      // ECDSA is randomised: sign anew with the RFC's private key, check with its public key.
      Key kidless = key;  // KeyFromJwk gave it its thumbprint as kid
      kidless.kid.clear();
      Result<SigningKey> signer = SigningKey::FromKey(kidless);
      REQUIRE_OK(signer);
      Result<std::string> mine = SignJws(nlohmann::json(), "Payload", *signer);
      REQUIRE_OK(mine);
      CHECK(Segments(*mine)[0] == "eyJhbGciOiJFUzUxMiJ9");  // {"alg":"ES512"}, as the RFC's
      CHECK(UnB64u(Segments(*mine)[2]).size() == 132);      // R||S, 66 bytes each
      CHECK_OK(VerifyJws(*mine, *verifier));
    }
  }
}

TEST_CASE("RFC 7520 section 4 signatures verify, and RS256/HS256 are reproduced exactly",
          "[jws][conformance]") {
  const nlohmann::json doc = LoadJwsJson("rfc7520_section4.json");
  const std::string payload = doc["payload"];
  CHECK(B64u(payload) == doc["payload_b64u"]);
  for (const nlohmann::json& ex : doc["examples"]) {
    INFO("RFC 7520 " << ex["section"].get<std::string>());
    const KeyAlgorithm alg = REQUIRE_VALUE(ParseKeyAlgorithm(ex["alg"].get<std::string>()));
    const Key key = KeyFromExampleJwk(ex["jwk"], alg);
    CHECK(key.kid == ex["jwk"]["kid"]);
    Result<SigningKey> signer = SigningKey::FromKey(key);
    REQUIRE_OK(signer);
    const VerificationKey verifier = signer->verification_key();
    const std::string compact = ex["compact"];

    // By kid, through a key set, as an application verifying a partner's token would.
    VerificationKeySet set;
    set.Add(verifier);
    set.Add(
        REQUIRE_VALUE(VerificationKey::FromKey(test::KeysByAlgorithm().at(KeyAlgorithm::kEs256))));
    Result<Jws> jws = VerifyJws(compact, set);
    REQUIRE_OK(jws);
    CHECK(jws->payload == payload);
    CHECK(jws->header["kid"] == ex["jwk"]["kid"]);

    // Signing the same payload writes the RFC's protected header, {"alg":..,"kid":..}.
    Result<std::string> mine = SignJws(nlohmann::json(), payload, *signer);
    REQUIRE_OK(mine);
    CHECK(Segments(*mine)[0] == ex["protected_b64u"]);
    CHECK_OK(VerifyJws(*mine, set));
    if (ex["deterministic"].get<bool>()) CHECK(*mine == compact);
  }
}

TEST_CASE("RFC 8037 Ed25519: the signature is reproduced exactly; EdDSA is opt-in",
          "[jws][conformance]") {
  const nlohmann::json doc = LoadJwsJson("rfc8037_appendix_a.json");
  CHECK(REQUIRE_VALUE(JwkThumbprint(doc["jwk"])) == doc["thumbprint"]);  // A.3
  Result<Key> key = KeyFromJwk(doc["jwk"], {.include_private = true});
  REQUIRE_OK(key);
  CHECK(key->algorithm == KeyAlgorithm::kEd25519);
  CHECK(key->type == KeyType::kOkp);
  CHECK(key->length == 32);
  CHECK(key->kid == doc["thumbprint"]);  // no kid in the JWK: its thumbprint
  CHECK(key->has_private_key);

  Result<SigningKey> signer = SigningKey::FromKey(*key);
  REQUIRE_OK(signer);
  const std::string compact = doc["compact"];
  // A.4: Ed25519 is deterministic.
  CHECK(B64u(REQUIRE_VALUE(signer->Sign(doc["signing_input"].get<std::string>()))) ==
        Segments(compact)[2]);

  // A.5: the token's header says "EdDSA" (RFC 8037). FusionAuth writes and accepts only
  // "Ed25519" (RFC 9864), so the legacy name is refused unless asked for.
  const VerificationKey verifier = signer->verification_key();
  CHECK(JwtErrorOf(VerifyJws(compact, verifier).status()) == JwtError::kUnsupportedAlgorithm);
  Result<Jws> jws = VerifyJws(compact, verifier, {.accept_eddsa_alias = true});
  REQUIRE_OK(jws);
  CHECK(jws->payload == doc["payload"]);

  // bulwark's own Ed25519 tokens say "Ed25519".
  Result<std::string> mine = SignJws(nlohmann::json(), "x", *signer);
  REQUIRE_OK(mine);
  CHECK(nlohmann::json::parse(UnB64u(Segments(*mine)[0]))["alg"] == "Ed25519");
}

TEST_CASE("RFC 7638 section 3.1 thumbprint", "[jws][keys][conformance]") {
  const nlohmann::json doc = LoadJwsJson("rfc7638_thumbprint.json");
  CHECK(REQUIRE_VALUE(JwkThumbprint(doc["jwk"])) == doc["thumbprint"]);
  // The thumbprint is of the key, not of the JWK's optional members.
  nlohmann::json bare = {{"kty", "RSA"}, {"n", doc["jwk"]["n"]}, {"e", "AQAB"}};
  CHECK(REQUIRE_VALUE(JwkThumbprint(bare)) == doc["thumbprint"]);
  // ... and bulwark's own JWK of that key has the same thumbprint.
  Result<Key> key = KeyFromJwk(bare);
  REQUIRE_OK(key);
  CHECK(key->kid == doc["thumbprint"]);
  CHECK(REQUIRE_VALUE(JwkThumbprint(REQUIRE_VALUE(ToJwk(*key)))) == doc["thumbprint"]);
  CHECK_FALSE(JwkThumbprint(nlohmann::json{{"kty", "RSA"}, {"n", "AQAB"}}).ok());
  CHECK_FALSE(JwkThumbprint(nlohmann::json{{"kty", "XYZ"}}).ok());
}

}  // namespace
}  // namespace bulwark
