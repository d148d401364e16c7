// SPDX-License-Identifier: Apache-2.0
// Key Master: generate, import, certificate information, JWK/JWKS.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/status_matchers.h"
#include "crypto/base64.h"
#include "crypto_test_support.h"

namespace bulwark {
namespace {

using test::LoadJwsJson;
using test::ReadJwsData;

const Instant kNow = FromEpochMillis(1'700'000'000'123);

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

Instant Seconds(std::int64_t ms) { return FromEpochMillis(ms / 1000 * 1000); }

// Every private JWK member name, and the private halves of PEM.
void CheckNoPrivateMaterial(const nlohmann::json& j) {
  const std::string text = j.dump();
  CHECK(text.find("PRIVATE") == std::string::npos);
  if (j.is_object()) {
    for (const char* member :
         {"d", "p", "q", "dp", "dq", "qi", "k", "oth", "privateKey", "secret"}) {
      INFO(member);
      CHECK_FALSE(j.contains(member));
    }
    for (const auto& [name, value] : j.items()) {
      if (value.is_structured()) CheckNoPrivateMaterial(value);
    }
  } else if (j.is_array()) {
    for (const nlohmann::json& v : j) CheckNoPrivateMaterial(v);
  }
}

Key WithPrivateKey(std::string pem) {
  Key k;
  k.private_key = std::move(pem);
  return k;
}
Key WithCertificate(std::string pem) {
  Key k;
  k.certificate = std::move(pem);
  return k;
}

Result<Key> Import(Key request) {
  testing::DeterministicRandom random(3);
  if (request.name.empty()) request.name = "imported";
  return ImportKey(request, random);
}

bool HasField(const Result<Key>& r, const char* kind, const char* path) {
  INFO(r.status().ToString());
  return !r.ok() && r.status().code() == StatusCode::kInvalidArgument &&
         r.status().errors().HasField(kind, path);
}

void CheckSignsAndVerifies(const Key& key) {
  INFO(ToString(*key.algorithm));
  Result<SigningKey> signer = SigningKey::FromKey(key);
  REQUIRE_OK(signer);
  Result<std::string> token =
      SignJwt(nlohmann::json{{"sub", "s"}, {"exp", 1'700'000'100}}, *signer);
  REQUIRE_OK(token);
  Key public_half = key;
  public_half.private_key.clear();
  public_half.secret = key.secret;  // HMAC: the secret is the verification key too
  Result<VerificationKey> verifier = VerificationKey::FromKey(public_half);
  REQUIRE_OK(verifier);
  CHECK_OK(VerifyJwt(*token, *verifier, {.now = kNow}));
}

TEST_CASE("import computes kid and certificateInformation exactly as FusionAuth does", "[keys]") {
  const nlohmann::json doc = LoadJwsJson("fusionauth_keys.json");
  struct Example {
    const char* response;
    KeyAlgorithm algorithm;
    KeyType type;
    int length;
  };
  for (const Example& ex : {Example{"rsa_response", KeyAlgorithm::kRs256, KeyType::kRsa, 2048},
                            Example{"ec_response", KeyAlgorithm::kEs256, KeyType::kEc, 256},
                            Example{"eddsa_response", KeyAlgorithm::kEd25519, KeyType::kOkp, 32}}) {
    INFO(ex.response);
    const Key documented = REQUIRE_VALUE(KeyFromJson(doc[ex.response]));
    Key request;
    request.name = documented.name;
    // The RSA example is imported as FusionAuth's import example sends it: bare Base64 DER.
    request.certificate = std::string(ex.response) == "rsa_response"
                              ? doc["import_request"]["certificate"].get<std::string>()
                              : documented.certificate;
    Result<Key> key = Import(request);
    REQUIRE_OK(key);
    CHECK(key->kid == documented.kid);
    CHECK(key->algorithm == ex.algorithm);
    CHECK(key->type == ex.type);
    CHECK(key->length == ex.length);
    CHECK_FALSE(key->has_private_key);
    CHECK(Trim(key->public_key) == Trim(documented.public_key));
    CHECK(Trim(key->certificate) == Trim(documented.certificate));
    CHECK(key->issuer == documented.issuer);
    REQUIRE(key->certificate_information.has_value());
    const CertificateInformation& mine = *key->certificate_information;
    const CertificateInformation& theirs = *documented.certificate_information;
    CHECK(mine.issuer == theirs.issuer);
    CHECK(mine.subject == theirs.subject);
    CHECK(mine.serial_number == theirs.serial_number);
    CHECK(mine.md5_fingerprint == theirs.md5_fingerprint);
    CHECK(mine.sha1_fingerprint == theirs.sha1_fingerprint);
    CHECK(mine.sha1_thumbprint == theirs.sha1_thumbprint);
    CHECK(mine.sha256_fingerprint == theirs.sha256_fingerprint);
    CHECK(mine.sha256_thumbprint == theirs.sha256_thumbprint);
    // FusionAuth reports its own generation instant (milliseconds); the certificate holds
    // seconds, which is what an import can know.
    CHECK(mine.valid_from == Seconds(ToEpochMillis(*theirs.valid_from)));
    CHECK(mine.valid_to == Seconds(ToEpochMillis(*theirs.valid_to)));
    CHECK(key->expiration_instant == mine.valid_to);
    // Its JWK carries the certificate and agrees with the kid.
    nlohmann::json jwk = REQUIRE_VALUE(ToJwk(*key));
    CHECK(jwk["kid"] == documented.kid);
    CHECK(jwk["x5t"] == documented.kid);
    CHECK(jwk["x5t#S256"] == theirs.sha256_thumbprint);
    CHECK(REQUIRE_VALUE(DescribeCertificate(documented.certificate)) == mine);
  }
}

TEST_CASE("generated keys have FusionAuth's shape and sign", "[keys]") {
  testing::DeterministicRandom random(11);
  const KeyId id = REQUIRE_VALUE(KeyId::Parse("780e1d5b-ee3b-43b2-aec8-db99b99adc4e"));
  struct Case {
    KeyAlgorithm algorithm;
    int length;
    int expected_length;
  };
  // RSA 3072/4096 are generated once each, in their own (slow: ~4 s) case below.
  for (const Case& c :
       {Case{KeyAlgorithm::kRs256, 2048, 2048}, Case{KeyAlgorithm::kPs384, 2048, 2048},
        Case{KeyAlgorithm::kEs256, 0, 256}, Case{KeyAlgorithm::kEs384, 384, 384},
        Case{KeyAlgorithm::kEs512, 521, 521}, Case{KeyAlgorithm::kEd25519, 0, 32}}) {
    INFO(ToString(c.algorithm));
    Key request;
    request.id = id;
    request.name = "generated";
    request.algorithm = c.algorithm;
    request.length = c.length;
    request.issuer = "acme.com";
    Result<Key> key = GenerateKey(request, random, kNow);
    REQUIRE_OK(key);
    CHECK(key->id == id);
    CHECK(key->length == c.expected_length);
    CHECK(key->has_private_key);
    CHECK_FALSE(key->private_key.empty());
    CHECK(key->private_key.view().find("BEGIN PRIVATE KEY") != std::string_view::npos);
    CHECK(key->issuer == "acme.com");
    REQUIRE(key->certificate_information.has_value());
    const CertificateInformation& ci = *key->certificate_information;
    CHECK(ci.issuer == "CN=acme.com");
    CHECK(ci.subject == "CN=acme.com");
    CHECK(ci.serial_number == "78:0E:1D:5B:EE:3B:43:B2:AE:C8:DB:99:B9:9A:DC:4E");  // the id
    CHECK(ci.valid_from == Seconds(ToEpochMillis(kNow)));
    CHECK(ci.valid_to == FromEpochMillis(2015619200000));  // 2033-11-14T22:13:20Z
    CHECK(key->expiration_instant == ci.valid_to);
    CHECK(key->kid == ci.sha1_thumbprint);
    CHECK(key->kid.size() == 27);
    // The certificate holds the key, and import agrees with everything generation said.
    Key reimport;
    reimport.certificate = key->certificate;
    reimport.private_key = key->private_key;
    reimport.algorithm = key->algorithm;
    Result<Key> again = Import(reimport);
    REQUIRE_OK(again);
    CHECK(again->kid == key->kid);
    CHECK(again->public_key == key->public_key);
    CHECK(again->certificate_information == key->certificate_information);
    CheckSignsAndVerifies(*key);
    CheckNoPrivateMaterial(REQUIRE_VALUE(ToJwk(*key)));
    CheckNoPrivateMaterial(ToJson(*key));
  }
}

TEST_CASE("generated RSA 3072 and 4096 keys (once each)", "[keys][slow][rsa4096]") {
  testing::DeterministicRandom random(12);
  for (int bits : {3072, 4096}) {
    Key request;
    request.name = "big";
    request.algorithm = KeyAlgorithm::kRs512;
    request.length = bits;
    request.issuer = "acme.com";
    Result<Key> key = GenerateKey(request, random, kNow);
    REQUIRE_OK(key);
    CHECK(key->length == bits);
    CheckSignsAndVerifies(*key);
  }
}

TEST_CASE("generated HMAC keys have secrets of the full hash length", "[keys]") {
  for (auto [alg, bytes] :
       {std::pair{KeyAlgorithm::kHs256, 32}, std::pair{KeyAlgorithm::kHs384, 48},
        std::pair{KeyAlgorithm::kHs512, 64}}) {
    INFO(ToString(alg));
    testing::DeterministicRandom random(5);
    Key request;
    request.name = "hmac";
    request.algorithm = alg;
    request.issuer = "ignored for HMAC";
    Result<Key> key = GenerateKey(request, random, kNow);
    REQUIRE_OK(key);
    CHECK(key->type == KeyType::kHmac);
    CHECK(key->issuer.empty());
    CHECK(key->certificate.empty());
    CHECK(key->public_key.empty());
    CHECK(REQUIRE_VALUE(internal::Base64Decode(key->secret.view())).size() ==
          static_cast<std::size_t>(bytes));
    CHECK(key->secret.size() >= static_cast<std::size_t>(bytes));
    CHECK(key->kid.size() == 10);
    CHECK(key->kid.find_first_not_of("0123456789abcdef") == std::string::npos);
    CheckSignsAndVerifies(*key);
    // The secret is write-only on the wire and absent from JWKS.
    CHECK(ToJson(*key).dump().find(std::string(key->secret.view())) == std::string::npos);
    CHECK(ToJwks(std::vector<Key>{*key})["keys"].empty());
    // Deterministic under a deterministic Random; different under another seed.
    testing::DeterministicRandom same(5);
    CHECK(GenerateKey(request, same, kNow)->secret == key->secret);
    testing::DeterministicRandom other(6);
    CHECK_FALSE(GenerateKey(request, other, kNow)->secret == key->secret);
  }
}

TEST_CASE("generation refuses incomplete or inconsistent requests", "[keys]") {
  testing::DeterministicRandom random(1);
  auto generate = [&](KeyAlgorithm alg, int length, std::string issuer) {
    Key r;
    r.name = "n";
    r.algorithm = alg;
    r.length = length;
    r.issuer = std::move(issuer);
    return GenerateKey(r, random, kNow);
  };
  CHECK(HasField(GenerateKey(Key{}, random, kNow), "missing", "key.algorithm"));
  CHECK(HasField(generate(KeyAlgorithm::kRs256, 0, "acme.com"), "missing", "key.length"));
  CHECK(HasField(generate(KeyAlgorithm::kRs256, 1024, "acme.com"), "invalid", "key.length"));
  CHECK(HasField(generate(KeyAlgorithm::kPs256, 2047, "acme.com"), "invalid", "key.length"));
  CHECK(HasField(generate(KeyAlgorithm::kEs256, 384, "acme.com"), "invalid", "key.length"));
  CHECK(HasField(generate(KeyAlgorithm::kEs512, 512, "acme.com"), "invalid", "key.length"));
  CHECK(HasField(generate(KeyAlgorithm::kEs256, 0, ""), "missing", "key.issuer"));
  CHECK(HasField(generate(KeyAlgorithm::kEs256, 0, std::string(65, 'x')), "invalid", "key.issuer"));
  Key typed;
  typed.algorithm = KeyAlgorithm::kEs256;
  typed.type = KeyType::kRsa;
  typed.issuer = "acme.com";
  CHECK(HasField(GenerateKey(typed, random, kNow), "invalid", "key.type"));
}

TEST_CASE("import infers what it can and derives the public key", "[keys]") {
  Key rsa;
  rsa.private_key = ReadJwsData("rsa2048.key.pem");
  Result<Key> a = Import(rsa);
  REQUIRE_OK(a);
  CHECK(a->algorithm == KeyAlgorithm::kRs256);
  CHECK(a->type == KeyType::kRsa);
  CHECK(a->length == 2048);
  CHECK(a->has_private_key);
  CHECK(a->public_key.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  CHECK(a->certificate.empty());
  // No certificate: the kid is the RFC 7638 thumbprint of the public JWK.
  CHECK(a->kid == REQUIRE_VALUE(JwkThumbprint(REQUIRE_VALUE(ToJwk(*a)))));
  CHECK(a->kid.size() == 43);

  SECTION("traditional PEM forms import as the same key") {
    Key trad;
    trad.private_key = ReadJwsData("rsa2048.traditional.pem");
    CHECK(Import(trad)->kid == a->kid);
    Key ec_pkcs8;
    ec_pkcs8.private_key = ReadJwsData("ec256.key.pem");
    Key ec_trad;
    ec_trad.private_key = ReadJwsData("ec256.traditional.pem");
    REQUIRE_OK(Import(ec_trad));
    CHECK(Import(ec_trad)->kid == Import(ec_pkcs8)->kid);
    CHECK(Import(ec_trad)->algorithm == KeyAlgorithm::kEs256);
    Key ec521;
    ec521.private_key = ReadJwsData("ec521.key.pem");
    CHECK(Import(ec521)->algorithm == KeyAlgorithm::kEs512);
    CHECK(Import(ec521)->length == 521);
  }
  SECTION("public key alone, then with an explicit PS algorithm and kid") {
    Key pub;
    pub.public_key = a->public_key;
    Result<Key> p = Import(pub);
    REQUIRE_OK(p);
    CHECK_FALSE(p->has_private_key);
    CHECK(p->kid == a->kid);
    pub.algorithm = KeyAlgorithm::kPs512;
    pub.kid = "partner-2024";
    pub.type = KeyType::kRsa;
    pub.length = 2048;
    Result<Key> q = Import(pub);
    REQUIRE_OK(q);
    CHECK(q->kid == "partner-2024");
    CHECK(q->algorithm == KeyAlgorithm::kPs512);
  }
  SECTION("a certificate with its private key") {
    Key pair;
    pair.certificate = ReadJwsData("rsa2048.cert.pem");
    pair.private_key = ReadJwsData("rsa2048.key.pem");
    Result<Key> k = Import(pair);
    REQUIRE_OK(k);
    CHECK(k->has_private_key);
    CHECK(k->kid == k->certificate_information->sha1_thumbprint);
    CHECK(k->issuer == "partner.example");
    CHECK(k->certificate_information->serial_number == "5A:17");
    CheckSignsAndVerifies(*k);
  }
  SECTION("a 1024-bit RSA key only as a public key") {
    Key pub;
    pub.public_key = ReadJwsData("rsa1024.pub.pem");
    Result<Key> p = Import(pub);
    REQUIRE_OK(p);
    CHECK(p->length == 1024);
    Key priv;
    priv.private_key = ReadJwsData("rsa1024.key.pem");
    CHECK(HasField(Import(priv), "invalid", "key.length"));
  }
}

TEST_CASE("import refuses material that does not fit", "[keys]") {
  const std::string rsa_key = ReadJwsData("rsa2048.key.pem");
  const std::string ec_key = ReadJwsData("ec256.key.pem");
  const std::string rsa_cert = ReadJwsData("rsa2048.cert.pem");
  const std::string ec_cert = ReadJwsData("ec256.cert.pem");
  auto with = [](auto&& fill) {
    Key k;
    fill(k);
    return Import(k);
  };
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = rsa_key;
                   k.algorithm = KeyAlgorithm::kHs256;
                 }),
                 "invalid", "key.privateKey"));  // HMAC holds a secret only
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = rsa_key;
                   k.algorithm = KeyAlgorithm::kEs256;
                 }),
                 "invalid", "key.algorithm"));
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = ec_key;
                   k.algorithm = KeyAlgorithm::kEs384;  // P-256 key
                 }),
                 "invalid", "key.algorithm"));
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = ec_key;
                   k.algorithm = KeyAlgorithm::kEd25519;
                 }),
                 "invalid", "key.algorithm"));
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = rsa_key;
                   k.type = KeyType::kEc;
                 }),
                 "invalid", "key.type"));
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = rsa_key;
                   k.length = 4096;
                 }),
                 "invalid", "key.length"));
  CHECK(HasField(with([&](Key& k) {
                   k.certificate = rsa_cert;
                   k.private_key = ReadJwsData("rsa3072.key.pem");
                 }),
                 "invalid", "key.privateKey"));
  CHECK(HasField(with([&](Key& k) {
                   k.certificate = ec_cert;
                   k.public_key = Import(WithPrivateKey(rsa_key))->public_key;
                 }),
                 "invalid", "key.publicKey"));
  CHECK(HasField(with([&](Key& k) { k.private_key = ReadJwsData("secp256k1.key.pem"); }), "invalid",
                 "key.publicKey"));
  CHECK(HasField(with([&](Key& k) { k.private_key = ReadJwsData("ec256.encrypted.pem"); }),
                 "invalid", "key.privateKey"));
  CHECK(HasField(with([&](Key& k) { k.public_key = ec_key; }), "invalid",
                 "key.publicKey"));  // a private key is not a public key
  CHECK(HasField(with([&](Key& k) { k.public_key = rsa_cert; }), "invalid", "key.publicKey"));
  CHECK(HasField(with([&](Key& k) { k.certificate = rsa_key; }), "invalid", "key.certificate"));
  CHECK(HasField(with([&](Key& k) { k.certificate = "bm90IGEgY2VydA=="; }), "invalid",
                 "key.certificate"));
  CHECK(HasField(with([&](Key& k) { k.certificate = "%%%"; }), "invalid", "key.certificate"));
  CHECK(HasField(with([&](Key& k) {
                   k.public_key = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
                 }),
                 "invalid", "key.publicKey"));
  CHECK(HasField(with([](Key&) {}), "missing", "key.publicKey"));
  CHECK(HasField(with([&](Key& k) {
                   k.private_key = rsa_key;
                   k.secret = std::string(40, 's');
                 }),
                 "invalid", "key.secret"));
  Key nameless;
  nameless.private_key = rsa_key;
  testing::DeterministicRandom random(1);
  CHECK(HasField(ImportKey(nameless, random), "blank", "key.name"));
}

TEST_CASE("HMAC import", "[keys]") {
  Key k;
  k.type = KeyType::kHmac;
  k.algorithm = KeyAlgorithm::kHs384;
  k.secret = std::string(48, 'q');
  Result<Key> key = Import(k);
  REQUIRE_OK(key);
  CHECK(key->kid.size() == 10);
  CHECK(key->secret == k.secret);
  CheckSignsAndVerifies(*key);

  Key inferred;
  inferred.algorithm = KeyAlgorithm::kHs256;
  inferred.secret = std::string(32, 'q');
  CHECK(Import(inferred)->type == KeyType::kHmac);
  Key short_secret = inferred;
  short_secret.secret = std::string(31, 'q');
  CHECK(HasField(Import(short_secret), "tooShort", "key.secret"));
  Key no_alg;
  no_alg.secret = std::string(40, 'q');
  CHECK(HasField(Import(no_alg), "missing", "key.algorithm"));
  Key no_secret;
  no_secret.type = KeyType::kHmac;
  no_secret.algorithm = KeyAlgorithm::kHs256;
  CHECK(HasField(Import(no_secret), "blank", "key.secret"));
  Key hmac_rs;
  hmac_rs.type = KeyType::kHmac;
  hmac_rs.algorithm = KeyAlgorithm::kRs256;
  hmac_rs.secret = std::string(40, 'q');
  CHECK(HasField(Import(hmac_rs), "invalid", "key.algorithm"));
}

TEST_CASE("JWKs carry public members only, and come back as the same key", "[keys]") {
  std::vector<Key> keys;
  for (KeyAlgorithm alg : test::AllAlgorithms()) keys.push_back(test::KeysByAlgorithm().at(alg));
  Key with_cert;
  with_cert.certificate = ReadJwsData("ec256.cert.pem");
  with_cert.private_key = ReadJwsData("ec256.key.pem");
  keys.push_back(REQUIRE_VALUE(Import(with_cert)));
  Key empty;  // no material at all: skipped
  empty.algorithm = KeyAlgorithm::kRs256;
  keys.push_back(empty);

  const nlohmann::json jwks = ToJwks(keys);
  CheckNoPrivateMaterial(jwks);
  REQUIRE(jwks["keys"].size() == 11);  // 13 algorithms - 3 HMAC + the certificate key
  for (const nlohmann::json& jwk : jwks["keys"]) {
    INFO(jwk.dump());
    CHECK(jwk["use"] == "sig");
    const std::string kty = jwk["kty"];
    if (kty == "RSA") {
      CHECK(jwk.contains("n"));
      CHECK(jwk["e"] == "AQAB");
    } else if (kty == "EC") {
      CHECK(jwk.contains("crv"));
      CHECK(jwk.contains("y"));
    } else {
      CHECK(kty == "OKP");
      CHECK(jwk["crv"] == "Ed25519");
      CHECK(jwk["alg"] == "Ed25519");
    }
    Result<Key> back = KeyFromJwk(jwk);
    REQUIRE_OK(back);
    CHECK(back->kid == jwk["kid"]);
    CHECK(ToString(*back->algorithm) == jwk["alg"].get<std::string>());
    CHECK_FALSE(back->has_private_key);
    CHECK(REQUIRE_VALUE(ToJwk(*back)) == jwk);
  }
  const nlohmann::json& cert_jwk = jwks["keys"].back();
  CHECK(cert_jwk["x5c"].size() == 1);
  CHECK(internal::Base64Decode(cert_jwk["x5c"][0].get<std::string>()).ok());  // standard Base64
  CHECK(cert_jwk["x5t"] == keys[13].certificate_information->sha1_thumbprint);
  CHECK(cert_jwk["x5t#S256"] == keys[13].certificate_information->sha256_thumbprint);
  CHECK(KeyFromJwk(cert_jwk)->certificate == keys[13].certificate);

  CHECK_FALSE(ToJwk(test::KeysByAlgorithm().at(KeyAlgorithm::kHs256)).ok());
}

TEST_CASE("KeyFromJwk refuses what it cannot trust", "[keys]") {
  const nlohmann::json ec = REQUIRE_VALUE(ToJwk(test::KeysByAlgorithm().at(KeyAlgorithm::kEs256)));
  auto changed = [&](const char* member, nlohmann::json value) {
    nlohmann::json j = ec;
    if (value.is_null()) {
      j.erase(member);
    } else {
      j[member] = std::move(value);
    }
    return KeyFromJwk(j);
  };
  CHECK(HasField(changed("use", "enc"), "invalid", "jwk.use"));
  CHECK(HasField(changed("kty", "oct"), "invalid", "jwk.kty"));
  CHECK(HasField(changed("crv", "P-192"), "invalid", "jwk.crv"));
  CHECK(HasField(changed("x", nullptr), "invalid", "jwk.x"));
  CHECK(HasField(changed("x", "AAAA"), "invalid", "jwk.x"));  // not full length
  CHECK(HasField(changed("x", "x y"), "invalid", "jwk.x"));
  CHECK(HasField(changed("alg", "ES384"), "invalid", "jwk.alg"));
  CHECK(HasField(changed("alg", "none"), "invalid", "jwk.alg"));
  CHECK(HasField(changed("kid", 5), "invalid", "jwk.kid"));
  // A point off the curve (y + 1).
  std::vector<std::uint8_t> y = test::UnB64u(ec["y"].get<std::string>());
  y.back() ^= 0x01;
  CHECK_FALSE(changed("y", test::B64u(y)).ok());
  // A certificate that is not the JWK's key, and an x5t that is not the certificate's.
  nlohmann::json rsa_cert_jwk =
      REQUIRE_VALUE(ToJwk(REQUIRE_VALUE(Import(WithCertificate(ReadJwsData("rsa2048.cert.pem"))))));
  CHECK(HasField(changed("x5c", rsa_cert_jwk["x5c"]), "invalid", "jwk.x5c"));
  nlohmann::json bad_x5t = rsa_cert_jwk;
  bad_x5t["x5t"] = ec["x"].get<std::string>().substr(0, 27);
  CHECK(HasField(KeyFromJwk(bad_x5t), "invalid", "jwk.x5t"));
  CHECK_FALSE(KeyFromJwk(nlohmann::json::array()).ok());
  // Private members are ignored unless asked for.
  nlohmann::json rfc = LoadJwsJson("rfc7515_appendix_a.json")["examples"][3]["jwk"];
  CHECK_FALSE(KeyFromJwk(rfc)->has_private_key);
  CHECK(KeyFromJwk(rfc, {.include_private = true})->has_private_key);
  nlohmann::json mismatched = rfc;
  mismatched["d"] = test::LoadJwsJson("rfc7520_section4.json")["examples"][2]["jwk"]["d"];
  CHECK_FALSE(KeyFromJwk(mismatched, {.include_private = true}).ok());
}

// A fuzzing finding (tests/fuzz/regressions/jwk/rsa-modulus-check-*): OpenSSL's public-key
// check tests an RSA modulus with random Miller-Rabin bases, so the same malformed JWK was
// accepted by one import and refused by the next. RSA numbers are now checked by a fixed rule.
TEST_CASE("RSA keys are checked by a deterministic rule, as JWKs and as PEM", "[keys]") {
  const nlohmann::json rsa = REQUIRE_VALUE(ToJwk(test::KeysByAlgorithm().at(KeyAlgorithm::kRs256)));
  const std::vector<std::uint8_t> n = test::UnB64u(rsa["n"].get<std::string>());
  auto with = [&](const char* member, const std::vector<std::uint8_t>& bytes) {
    nlohmann::json j = rsa;
    j[member] = test::B64u(bytes);
    return KeyFromJwk(j);
  };
  std::vector<std::uint8_t> even = n;
  even.back() &= 0xFE;
  CHECK(HasField(with("n", even), "invalid", "jwk.n"));
  std::vector<std::uint8_t> short_n(n.begin(), n.begin() + 64);  // 512 bits, odd
  short_n.back() |= 0x01;
  CHECK(HasField(with("n", short_n), "invalid", "jwk.n"));
  std::vector<std::uint8_t> huge_n(16384 / 8 + 1, 0xFF);  // 16392 bits
  CHECK(HasField(with("n", huge_n), "invalid", "jwk.n"));
  CHECK(HasField(with("e", {0x01}), "invalid", "jwk.e"));
  CHECK(HasField(with("e", {0x01, 0x00}), "invalid", "jwk.e"));  // even
  std::vector<std::uint8_t> long_e(33, 0x01);  // 257 bits
  CHECK(HasField(with("e", long_e), "invalid", "jwk.e"));
  // What stays accepted: e = 3, and a leading zero octet some producers put on "n".
  CHECK(with("e", {0x03}).ok());
  std::vector<std::uint8_t> padded(n.size() + 1, 0x00);
  std::copy(n.begin(), n.end(), padded.begin() + 1);
  const Result<Key> with_zero = with("n", padded);
  REQUIRE_OK(with_zero);
  CHECK(with_zero->public_key == KeyFromJwk(rsa)->public_key);

  // The finding's modulus: the same answer on every import.
  std::ifstream in(std::filesystem::path(BULWARK_TEST_DATA_DIR) /
                   "../fuzz/regressions/jwk/rsa-modulus-check-bbf07d76");
  REQUIRE(in.good());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json jwks = nlohmann::json::parse(text.substr(1));
  const bool first = KeyFromJwk(jwks["keys"][0]).ok();
  for (int i = 0; i < 64; ++i) CHECK(KeyFromJwk(jwks["keys"][0]).ok() == first);

  // The same rule holds for PEM.
  Key small;
  small.public_key = ReadJwsData("rsa512.pub.pem");
  CHECK(HasField(Import(small), "invalid", "key.publicKey"));
  Key even_pem;
  even_pem.public_key = ReadJwsData("rsa2048-even-modulus.pub.pem");
  CHECK(HasField(Import(even_pem), "invalid", "key.publicKey"));
}

}  // namespace
}  // namespace bulwark
