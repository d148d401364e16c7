// SPDX-License-Identifier: Apache-2.0
// JWT sign/verify: round trips for every algorithm, and every way a token must be refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/testing/status_matchers.h"
#include "crypto_test_support.h"

namespace bulwark {
namespace {

using std::chrono::seconds;
using test::B64u;
using test::KeysByAlgorithm;
using test::Segments;
using test::UnB64u;

constexpr std::int64_t kIat = 1'700'000'000;  // 2023-11-14T22:13:20Z
const Instant kNow = FromEpochMillis(kIat * 1000 + 500);

// A FusionAuth access token's claims (§3.2 of the API reference).
nlohmann::json AccessTokenClaims() {
  return {{"aud", "85a03867-dccf-4882-adde-1a79aeec50df"},
          {"exp", kIat + 3600},
          {"iat", kIat},
          {"iss", "acme.com"},
          {"sub", "2ffc2e7e-2b6d-4a4f-9d6a-5b8c3a1d2e3f"},
          {"jti", "1d4e3a2b-5c6d-4e7f-8a9b-0c1d2e3f4a5b"},
          {"authenticationType", "PASSWORD"},
          {"email", "richard@piedpiper.example"},
          {"email_verified", true},
          {"applicationId", "85a03867-dccf-4882-adde-1a79aeec50df"},
          {"roles", {"admin", "user"}},
          {"sid", "4b5c6d7e-8f90-4a1b-2c3d-4e5f6a7b8c9d"},
          {"auth_time", kIat},
          {"tid", "5f0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e6f"}};
}

JwtVerifyOptions Options() {
  return {.now = kNow, .audiences = {"85a03867-dccf-4882-adde-1a79aeec50df"}, .issuer = "acme.com"};
}

SigningKey Signer(KeyAlgorithm alg) {
  return REQUIRE_VALUE(SigningKey::FromKey(KeysByAlgorithm().at(alg)));
}
VerificationKey Verifier(KeyAlgorithm alg) {
  return REQUIRE_VALUE(VerificationKey::FromKey(KeysByAlgorithm().at(alg)));
}

std::string Sign(const nlohmann::json& claims, KeyAlgorithm alg = KeyAlgorithm::kHs256) {
  Result<std::string> token = SignJwt(claims, Signer(alg));
  REQUIRE_OK(token);
  return *token;
}

// A token with this exact header and payload text, correctly signed by `alg`'s key.
std::string Forge(std::string_view header, std::string_view payload,
                  KeyAlgorithm alg = KeyAlgorithm::kHs256) {
  const std::string input = B64u(header) + "." + B64u(payload);
  return input + "." + B64u(REQUIRE_VALUE(Signer(alg).Sign(input)));
}

std::optional<JwtError> Refusal(const std::string& token,
                                const JwtVerifyOptions& options = Options(),
                                KeyAlgorithm alg = KeyAlgorithm::kHs256) {
  Result<Jwt> jwt = VerifyJwt(token, Verifier(alg), options);
  if (jwt.ok()) return std::nullopt;
  // Messages never echo the token.
  const std::string prefix = token.substr(0, std::min<std::size_t>(12, token.find('.')));
  if (prefix.size() == 12) CHECK(jwt.status().message().find(prefix) == std::string::npos);
  return JwtErrorOf(jwt.status());
}

TEST_CASE("every algorithm signs a FusionAuth access token that verifies", "[jws]") {
  for (KeyAlgorithm alg : test::AllAlgorithms()) {
    INFO(ToString(alg));
    const Key& key = KeysByAlgorithm().at(alg);
    const SigningKey signer = Signer(alg);
    CHECK(signer.algorithm() == alg);
    CHECK(signer.kid() == key.kid);
    Result<std::string> token =
        SignJwt(nlohmann::json{{"gty", {"authorization_code"}}}, AccessTokenClaims(), signer);
    REQUIRE_OK(token);

    Result<Jwt> jwt = VerifyJwt(*token, Verifier(alg), Options());
    REQUIRE_OK(jwt);
    CHECK(jwt->claims.ToJson() == AccessTokenClaims());
    CHECK(jwt->header["alg"] == ToString(alg));
    CHECK(jwt->header["typ"] == "JWT");
    CHECK(jwt->header["kid"] == key.kid);
    CHECK(jwt->header["gty"] == nlohmann::json{"authorization_code"});
    // The header starts as FusionAuth's: {"alg":...,"typ":"JWT","kid":...}.
    const std::vector<std::uint8_t> header = UnB64u(Segments(*token)[0]);
    CHECK(std::string(header.begin(), header.end())
              .rfind("{\"alg\":\"" + std::string(ToString(alg)) + "\",\"typ\":\"JWT\",\"kid\":",
                     0) == 0);

    // The verification key from the public half alone (no private key) works the same.
    Key public_only = key;
    public_only.private_key.clear();
    public_only.has_private_key = false;
    Result<VerificationKey> from_public = VerificationKey::FromKey(public_only);
    REQUIRE_OK(from_public);
    CHECK_OK(VerifyJwt(*token, *from_public, Options()));
    CHECK(signer.verification_key().Verify("abc", REQUIRE_VALUE(signer.Sign("abc"))).ok());
  }
}

TEST_CASE("signatures are bound to the header, the payload and the key", "[jws]") {
  for (KeyAlgorithm alg : test::AllAlgorithms()) {
    INFO(ToString(alg));
    const std::string token = Sign(AccessTokenClaims(), alg);
    const std::vector<std::string> seg = Segments(token);

    SECTION("tampered payload") {
      nlohmann::json claims = AccessTokenClaims();
      claims["roles"] = {"admin", "superuser"};
      const std::string forged = seg[0] + "." + B64u(claims.dump()) + "." + seg[2];
      CHECK(Refusal(forged, Options(), alg) == JwtError::kBadSignature);
    }
    SECTION("tampered header") {
      nlohmann::json header = nlohmann::json::parse(UnB64u(seg[0]));
      header["typ"] = "at+jwt";
      const std::string forged = B64u(header.dump()) + "." + seg[1] + "." + seg[2];
      CHECK(Refusal(forged, Options(), alg) == JwtError::kBadSignature);
    }
    SECTION("tampered signature") {
      std::vector<std::uint8_t> sig = UnB64u(seg[2]);
      sig.back() ^= 0x80;
      CHECK(Refusal(seg[0] + "." + seg[1] + "." + B64u(sig), Options(), alg) ==
            JwtError::kBadSignature);
      sig = UnB64u(seg[2]);
      sig.pop_back();  // truncated
      CHECK(Refusal(seg[0] + "." + seg[1] + "." + B64u(sig), Options(), alg) ==
            JwtError::kBadSignature);
      sig = UnB64u(seg[2]);
      sig.push_back(0);  // extended
      CHECK(Refusal(seg[0] + "." + seg[1] + "." + B64u(sig), Options(), alg) ==
            JwtError::kBadSignature);
      CHECK(Refusal(seg[0] + "." + seg[1] + "." + B64u(std::vector<std::uint8_t>(sig.size() - 1)),
                    Options(), alg) == JwtError::kBadSignature);  // zeros
    }
  }
}

TEST_CASE("a token signed by another key of the same algorithm is refused", "[jws]") {
  const Key other_rsa = test::FixtureKey(KeyAlgorithm::kRs256, "rsa3072.key.pem");
  const std::string token =
      REQUIRE_VALUE(SignJwt(AccessTokenClaims(), REQUIRE_VALUE(SigningKey::FromKey(other_rsa))));
  Key unnamed = KeysByAlgorithm().at(KeyAlgorithm::kRs256);
  unnamed.kid.clear();  // a kid-less key accepts any kid: the signature still decides
  CHECK(JwtErrorOf(VerifyJwt(token, REQUIRE_VALUE(VerificationKey::FromKey(unnamed)), Options())
                       .status()) == JwtError::kBadSignature);

  Key other_hmac = test::HmacKey(KeyAlgorithm::kHs256, std::string(40, 'z'), "hs256kid01");
  const std::string hs =
      REQUIRE_VALUE(SignJwt(AccessTokenClaims(), REQUIRE_VALUE(SigningKey::FromKey(other_hmac))));
  CHECK(Refusal(hs) == JwtError::kBadSignature);
}

TEST_CASE("the algorithm comes from the key, never from the token", "[jws]") {
  const Key& rsa = KeysByAlgorithm().at(KeyAlgorithm::kRs256);

  SECTION("an RS256 token verified with a PS256 key of the same RSA key pair") {
    const std::string token = Sign(AccessTokenClaims(), KeyAlgorithm::kRs256);
    Key ps = rsa;
    ps.algorithm = KeyAlgorithm::kPs256;
    ps.kid = rsa.kid;
    CHECK(JwtErrorOf(
              VerifyJwt(token, REQUIRE_VALUE(VerificationKey::FromKey(ps)), Options()).status()) ==
          JwtError::kAlgorithmMismatch);
    // A PSS signature relabelled RS256 fails too (the header is signed).
    const std::string ps_token =
        REQUIRE_VALUE(SignJwt(AccessTokenClaims(), REQUIRE_VALUE(SigningKey::FromKey(ps))));
    nlohmann::json header = nlohmann::json::parse(UnB64u(Segments(ps_token)[0]));
    header["alg"] = "RS256";
    const std::string relabelled =
        B64u(header.dump()) + "." + Segments(ps_token)[1] + "." + Segments(ps_token)[2];
    CHECK(Refusal(relabelled, Options(), KeyAlgorithm::kRs256) == JwtError::kBadSignature);
  }
  SECTION("HS256 forged with the RSA public key PEM as the secret") {
    // The classic confusion attack: the public key is public, so anyone can MAC with it.
    Key forger = test::HmacKey(KeyAlgorithm::kHs256, rsa.public_key, rsa.kid);
    const std::string forged =
        REQUIRE_VALUE(SignJwt(AccessTokenClaims(), REQUIRE_VALUE(SigningKey::FromKey(forger))));
    CHECK(Refusal(forged, Options(), KeyAlgorithm::kRs256) == JwtError::kAlgorithmMismatch);
    // And an HS256 VerificationKey cannot be made from the RSA key at all.
    Key confused = rsa;
    confused.algorithm = KeyAlgorithm::kHs256;
    CHECK_FALSE(VerificationKey::FromKey(confused).ok());
    confused.type.reset();
    CHECK_FALSE(VerificationKey::FromKey(confused).ok());
  }
  SECTION("ES256 token verified by an ES384 key, Ed25519 by ES256") {
    CHECK(Refusal(Sign(AccessTokenClaims(), KeyAlgorithm::kEs256), Options(),
                  KeyAlgorithm::kEs384) == JwtError::kUnknownKey);  // kids differ first
    Key es384 = KeysByAlgorithm().at(KeyAlgorithm::kEs384);
    es384.kid.clear();
    CHECK(JwtErrorOf(VerifyJwt(Sign(AccessTokenClaims(), KeyAlgorithm::kEs256),
                               REQUIRE_VALUE(VerificationKey::FromKey(es384)), Options())
                         .status()) == JwtError::kAlgorithmMismatch);
  }
  SECTION("alg none and unknown algorithms") {
    const std::string claims = AccessTokenClaims().dump();
    // An unsigned token has an empty third segment.
    CHECK(Refusal(B64u(R"({"alg":"none","typ":"JWT"})") + "." + B64u(claims) + ".") ==
          JwtError::kMalformed);
    for (const char* alg :
         {"none", "None", "NONE", "nOnE", "HS256 ", "hs256", "ES256K", "EdDSA", "RSA-OAEP", ""}) {
      INFO(alg);
      CHECK(Refusal(Forge(nlohmann::json{{"alg", alg}}.dump(), claims)) ==
            JwtError::kUnsupportedAlgorithm);
    }
    CHECK(Refusal(Forge(R"({"typ":"JWT"})", claims)) == JwtError::kUnsupportedAlgorithm);
    CHECK(Refusal(Forge(R"({"alg":256})", claims)) == JwtError::kUnsupportedAlgorithm);
    CHECK(Refusal(Forge(R"({"alg":["HS256"]})", claims)) == JwtError::kUnsupportedAlgorithm);
  }
}

TEST_CASE("the kid picks the key", "[jws]") {
  const std::string es = Sign(AccessTokenClaims(), KeyAlgorithm::kEs256);
  const std::string hs = Sign(AccessTokenClaims(), KeyAlgorithm::kHs256);
  VerificationKeySet set({Verifier(KeyAlgorithm::kEs256), Verifier(KeyAlgorithm::kHs256),
                          Verifier(KeyAlgorithm::kRs256)});
  CHECK_OK(VerifyJwt(es, set, Options()));
  CHECK_OK(VerifyJwt(hs, set, Options()));

  SECTION("unknown kid") {
    const std::string unknown =
        Forge(R"({"alg":"HS256","kid":"nobody"})", AccessTokenClaims().dump());
    CHECK(JwtErrorOf(VerifyJwt(unknown, set, Options()).status()) == JwtError::kUnknownKey);
    CHECK(Refusal(unknown) == JwtError::kUnknownKey);  // single key with another kid
  }
  SECTION("no kid: accepted only with exactly one candidate key") {
    const std::string kidless = Forge(R"({"alg":"HS256"})", AccessTokenClaims().dump());
    CHECK(JwtErrorOf(VerifyJwt(kidless, set, Options()).status()) == JwtError::kUnknownKey);
    CHECK_OK(VerifyJwt(kidless, VerificationKeySet({Verifier(KeyAlgorithm::kHs256)}), Options()));
    CHECK_OK(VerifyJwt(kidless, Verifier(KeyAlgorithm::kHs256), Options()));
    CHECK(JwtErrorOf(VerifyJwt(kidless, VerificationKeySet(), Options()).status()) ==
          JwtError::kUnknownKey);
  }
  SECTION("a resolver decides, and its own failures pass through") {
    int calls = 0;
    VerificationKeyResolver resolver = [&](std::string_view kid) -> Result<VerificationKey> {
      ++calls;
      if (kid == "hs256kid01") return Verifier(KeyAlgorithm::kHs256);
      if (kid == "es256kid") return Status::Unavailable("key store down");
      return Status::NotFound("no such key");
    };
    CHECK_OK(VerifyJwt(hs, resolver, Options()));
    CHECK(JwtErrorOf(VerifyJwt(es, resolver, Options()).status()) == JwtError::kUnknownKey);
    const std::string down = Forge(R"({"alg":"HS256","kid":"es256kid"})", "{}");
    Result<Jwt> r = VerifyJwt(down, resolver, Options());
    CHECK(r.status().code() == StatusCode::kUnavailable);
    CHECK_FALSE(JwtErrorOf(r.status()).has_value());
    CHECK(calls == 3);
    CHECK(JwtErrorOf(VerifyJwt(hs, VerificationKeyResolver(), Options()).status()) ==
          JwtError::kUnknownKey);
  }
  SECTION("a kid that is not a string is malformed") {
    CHECK(Refusal(Forge(R"({"alg":"HS256","kid":7})", "{}")) == JwtError::kMalformed);
  }
}

TEST_CASE("exp, nbf and iat against an explicit now, with leeway edges", "[jws]") {
  nlohmann::json claims = AccessTokenClaims();
  claims["nbf"] = kIat;
  const std::string token = Sign(claims);
  const std::int64_t exp_ms = (kIat + 3600) * 1000;
  const std::int64_t nbf_ms = kIat * 1000;
  auto at = [&](std::int64_t ms, seconds leeway = seconds(0)) {
    JwtVerifyOptions o = Options();
    o.now = FromEpochMillis(ms);
    o.leeway = leeway;
    return Refusal(token, o);
  };
  // exp: valid strictly before exp (RFC 7519 §4.1.4), plus leeway.
  CHECK(at(exp_ms - 1) == std::nullopt);
  CHECK(at(exp_ms) == JwtError::kExpired);
  CHECK(at(exp_ms + 29'999, seconds(30)) == std::nullopt);
  CHECK(at(exp_ms + 30'000, seconds(30)) == JwtError::kExpired);
  // nbf: valid from nbf on, leeway earlier.
  CHECK(at(nbf_ms) == std::nullopt);
  CHECK(at(nbf_ms - 1) == JwtError::kNotYetValid);
  CHECK(at(nbf_ms - 30'000, seconds(30)) == std::nullopt);
  CHECK(at(nbf_ms - 30'001, seconds(30)) == JwtError::kNotYetValid);

  SECTION("iat in the future") {
    nlohmann::json future = AccessTokenClaims();
    future["iat"] = kIat + 600;
    const std::string t = Sign(future);
    CHECK(Refusal(t) == JwtError::kIssuedInFuture);
    JwtVerifyOptions lenient = Options();
    lenient.leeway = seconds(600);
    CHECK(Refusal(t, lenient) == std::nullopt);
    JwtVerifyOptions unchecked = Options();
    unchecked.reject_iat_in_future = false;
    CHECK(Refusal(t, unchecked) == std::nullopt);
  }
  SECTION("exp is required unless told otherwise; times must be numbers") {
    nlohmann::json no_exp = AccessTokenClaims();
    no_exp.erase("exp");
    CHECK(Refusal(Sign(no_exp)) == JwtError::kMissingClaim);
    JwtVerifyOptions optional_exp = Options();
    optional_exp.require_exp = false;
    CHECK(Refusal(Sign(no_exp), optional_exp) == std::nullopt);
    for (const char* name : {"exp", "nbf", "iat"}) {
      nlohmann::json bad = AccessTokenClaims();
      bad[name] = "1700003600";
      INFO(name);
      CHECK(Refusal(Sign(bad)) == JwtError::kInvalidClaim);
      bad[name] = nullptr;
      CHECK(Refusal(Sign(bad)) == JwtError::kInvalidClaim);
      bad[name] = true;
      CHECK(Refusal(Sign(bad)) == JwtError::kInvalidClaim);
    }
    nlohmann::json fractional = AccessTokenClaims();
    fractional["exp"] = static_cast<double>(kIat) + 0.75;  // now is kIat + 0.5 s
    CHECK(Refusal(Sign(fractional)) == std::nullopt);
    fractional["exp"] = static_cast<double>(kIat) + 0.5;
    CHECK(Refusal(Sign(fractional)) == JwtError::kExpired);
    nlohmann::json huge = AccessTokenClaims();
    huge["exp"] = 1e300;  // far future: the issuer said so
    CHECK(Refusal(Sign(huge)) == std::nullopt);
    huge["exp"] = -1e300;
    CHECK(Refusal(Sign(huge)) == JwtError::kExpired);
  }
  SECTION("now is required") {
    JwtVerifyOptions no_now = Options();
    no_now.now.reset();
    Result<Jwt> r = VerifyJwt(token, Verifier(KeyAlgorithm::kHs256), no_now);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_FALSE(JwtErrorOf(r.status()).has_value());
  }
}

TEST_CASE("aud and iss are checked when asked", "[jws]") {
  JwtVerifyOptions o = Options();
  CHECK(Refusal(Sign(AccessTokenClaims()), o) == std::nullopt);

  nlohmann::json claims = AccessTokenClaims();
  claims["aud"] = "some-other-app";
  CHECK(Refusal(Sign(claims), o) == JwtError::kWrongAudience);
  claims["aud"] = {"first", "85a03867-dccf-4882-adde-1a79aeec50df"};
  CHECK(Refusal(Sign(claims), o) == std::nullopt);
  claims["aud"] = {"first", "second"};
  CHECK(Refusal(Sign(claims), o) == JwtError::kWrongAudience);
  o.audiences = {"x", "second"};
  CHECK(Refusal(Sign(claims), o) == std::nullopt);
  claims["aud"] = nlohmann::json::array();
  CHECK(Refusal(Sign(claims), o) == JwtError::kWrongAudience);
  claims.erase("aud");
  CHECK(Refusal(Sign(claims), o) == JwtError::kWrongAudience);
  o.audiences.clear();
  CHECK(Refusal(Sign(claims), o) == std::nullopt);  // not asked
  claims["aud"] = 42;
  CHECK(Refusal(Sign(claims), o) == JwtError::kInvalidClaim);
  claims["aud"] = {"ok", 42};
  CHECK(Refusal(Sign(claims), o) == JwtError::kInvalidClaim);

  nlohmann::json iss = AccessTokenClaims();
  iss["iss"] = "evil.example";
  CHECK(Refusal(Sign(iss)) == JwtError::kWrongIssuer);
  iss["iss"] = "ACME.COM";  // exact match only
  CHECK(Refusal(Sign(iss)) == JwtError::kWrongIssuer);
  iss.erase("iss");
  CHECK(Refusal(Sign(iss)) == JwtError::kWrongIssuer);
  iss["iss"] = nlohmann::json{{"name", "acme.com"}};
  CHECK(Refusal(Sign(iss)) == JwtError::kInvalidClaim);
}

TEST_CASE("hostile and malformed tokens are refused with a reason, never a crash", "[jws]") {
  const std::string good = Sign(AccessTokenClaims());
  const std::vector<std::string> seg = Segments(good);
  const std::string claims = AccessTokenClaims().dump();
  const std::string hs_header = R"({"alg":"HS256","kid":"hs256kid01"})";
  const std::string nested = std::string(200, '[') + std::string(200, ']');
  // The last character of a 32-byte MAC carries 2 padding bits that must be zero.
  std::string non_canonical = seg[2];
  non_canonical.back() =
      non_canonical.back() == 'A' ? 'B' : static_cast<char>(non_canonical.back() ^ 1);
  REQUIRE(seg[2].size() == 43);
  struct Case {
    std::string name;
    std::string token;
    JwtError expected;
  };
  const std::vector<Case> cases = {
      {"empty", "", JwtError::kMalformed},
      {"one dot", ".", JwtError::kMalformed},
      {"two dots", "..", JwtError::kMalformed},
      {"one segment", seg[0], JwtError::kMalformed},
      {"two segments", seg[0] + "." + seg[1], JwtError::kMalformed},
      {"four segments", good + "." + seg[2], JwtError::kMalformed},
      {"JWE-like five segments", seg[0] + ".." + seg[1] + ".." + seg[2], JwtError::kMalformed},
      {"empty header", "." + seg[1] + "." + seg[2], JwtError::kMalformed},
      {"empty signature", seg[0] + "." + seg[1] + ".", JwtError::kMalformed},
      {"padded header", seg[0] + "==." + seg[1] + "." + seg[2], JwtError::kMalformed},
      {"padded signature", good + "=", JwtError::kMalformed},
      {"standard alphabet", seg[0] + "." + seg[1] + "." + seg[2] + "+/", JwtError::kMalformed},
      {"whitespace", seg[0] + " ." + seg[1] + "." + seg[2], JwtError::kMalformed},
      {"newline in signature",
       seg[0] + "." + seg[1] + "." + seg[2].substr(0, 10) + "\n" + seg[2].substr(10),
       JwtError::kMalformed},
      {"non-canonical trailing bits", seg[0] + "." + seg[1] + "." + non_canonical,
       JwtError::kMalformed},
      {"NUL byte", seg[0] + "." + seg[1] + std::string(1, '\0') + "." + seg[2],
       JwtError::kMalformed},
      {"header not JSON", Forge("not json", claims), JwtError::kMalformed},
      {"header JSON array", Forge(R"(["alg","HS256"])", claims), JwtError::kMalformed},
      {"header JSON string", Forge(R"("HS256")", claims), JwtError::kMalformed},
      {"header trailing text", Forge(hs_header + "x", claims), JwtError::kMalformed},
      {"header two objects", Forge(hs_header + "{}", claims), JwtError::kMalformed},
      {"duplicate alg", Forge(R"({"alg":"none","alg":"HS256","kid":"hs256kid01"})", claims),
       JwtError::kMalformed},
      {"duplicate kid", Forge(R"({"alg":"HS256","kid":"a","kid":"hs256kid01"})", claims),
       JwtError::kMalformed},
      {"crit", Forge(R"({"alg":"HS256","kid":"hs256kid01","crit":["exp"],"exp":1})", claims),
       JwtError::kMalformed},
      {"b64 false", Forge(R"({"alg":"HS256","kid":"hs256kid01","b64":false})", claims),
       JwtError::kMalformed},
      {"invalid UTF-8 in header", Forge("{\"alg\":\"HS256\",\"x\":\"\xff\xfe\"}", claims),
       JwtError::kMalformed},
      {"deep nesting in header",
       Forge(R"({"alg":"HS256","kid":"hs256kid01","x":)" + nested + "}", claims),
       JwtError::kMalformed},
      {"claims not JSON", Forge(hs_header, "{\"sub\":"), JwtError::kMalformed},
      {"claims array", Forge(hs_header, "[1,2,3]"), JwtError::kMalformed},
      {"claims number", Forge(hs_header, "1700000000"), JwtError::kMalformed},
      {"claims empty", Forge(hs_header, ""), JwtError::kMalformed},
      {"duplicate exp in claims",
       Forge(hs_header, R"({"exp":1,"exp":99999999999,"iss":"acme.com","aud":"a"})"),
       JwtError::kMalformed},
      {"deep nesting in claims", Forge(hs_header, R"({"exp":99999999999,"x":)" + nested + "}"),
       JwtError::kMalformed},
      {"oversized", seg[0] + "." + B64u(std::string(70 * 1024, 'x')) + "." + seg[2],
       JwtError::kTooLarge},
      {"ECDSA signature in DER form", "", JwtError::kBadSignature},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    if (c.name == "ECDSA signature in DER form") {
      // R||S re-encoded as the DER SEQUENCE other protocols use: the wrong length.
      const std::string es = Sign(AccessTokenClaims(), KeyAlgorithm::kEs256);
      std::vector<std::uint8_t> raw = UnB64u(Segments(es)[2]);
      std::vector<std::uint8_t> der = {0x30, 0x46, 0x02, 0x21, 0x00};
      der.insert(der.end(), raw.begin(), raw.begin() + 32);
      der.insert(der.end(), {0x02, 0x21, 0x00});
      der.insert(der.end(), raw.begin() + 32, raw.end());
      const std::string forged = Segments(es)[0] + "." + Segments(es)[1] + "." + B64u(der);
      CHECK(Refusal(forged, Options(), KeyAlgorithm::kEs256) == c.expected);
      continue;
    }
    Result<Jwt> jwt = VerifyJwt(c.token, Verifier(KeyAlgorithm::kHs256), Options());
    REQUIRE_FALSE(jwt.ok());
    CHECK(JwtErrorOf(jwt.status()) == c.expected);
    CHECK(jwt.status().code() ==
          (c.expected == JwtError::kMalformed || c.expected == JwtError::kTooLarge
               ? StatusCode::kInvalidArgument
               : StatusCode::kUnauthenticated));
    CHECK_FALSE(jwt.status().message().empty());
  }

  SECTION("the size limit is checked before decoding and is configurable") {
    JwtVerifyOptions small = Options();
    small.max_token_bytes = good.size() - 1;
    CHECK(Refusal(good, small) == JwtError::kTooLarge);
    CHECK(Refusal(std::string(100 * 1024 * 1024, '.')) == JwtError::kTooLarge);  // 100 MiB
  }
}

TEST_CASE("DecodeJwtUnverified reads without trusting", "[jws]") {
  const std::string token = Sign(AccessTokenClaims(), KeyAlgorithm::kEs256);
  Result<Jwt> jwt = DecodeJwtUnverified(token);
  REQUIRE_OK(jwt);
  CHECK(jwt->header["kid"] == KeysByAlgorithm().at(KeyAlgorithm::kEs256).kid);
  CHECK(jwt->claims.ToJson()["iss"] == "acme.com");
  // A forged token decodes too: that is why it is unsafe for trust.
  const std::string forged = B64u(R"({"alg":"none"})") + "." + B64u(R"({"sub":"admin"})") + ".AA";
  CHECK_OK(DecodeJwtUnverified(forged));
  CHECK(JwtErrorOf(DecodeJwtUnverified("a.b").status()) == JwtError::kMalformed);
  CHECK(JwtErrorOf(DecodeJwtUnverified(Segments(token)[0] + ".WzFd.AA").status()) ==
        JwtError::kMalformed);  // claims [1]
  CHECK(JwtErrorOf(DecodeJwtUnverified(token, 10).status()) == JwtError::kTooLarge);
}

TEST_CASE("SignJwt refuses header extras that would lie about the key", "[jws]") {
  const SigningKey signer = Signer(KeyAlgorithm::kEs256);
  CHECK(SignJwt(nlohmann::json{{"alg", "none"}}, AccessTokenClaims(), signer).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(SignJwt(nlohmann::json{{"alg", "ES256"}}, AccessTokenClaims(), signer).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(SignJwt(nlohmann::json{{"kid", "other"}}, AccessTokenClaims(), signer).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(SignJwt(nlohmann::json{{"kid", signer.kid()}}, AccessTokenClaims(), signer).ok());
  CHECK(SignJwt(nlohmann::json::array(), AccessTokenClaims(), signer).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(SignJwt(nlohmann::json::array({1}), signer).status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(SignJwt(nlohmann::json{{"bad", "\xff"}}, signer).status().code() ==
        StatusCode::kInvalidArgument);  // invalid UTF-8: an error, not an exception
  Result<std::string> at = SignJwt(nlohmann::json{{"typ", "at+jwt"}}, AccessTokenClaims(), signer);
  REQUIRE_OK(at);
  CHECK(DecodeJwtUnverified(*at)->header["typ"] == "at+jwt");

  // A key without a kid can be given one per token.
  Key kidless = KeysByAlgorithm().at(KeyAlgorithm::kHs256);
  kidless.kid.clear();
  Result<std::string> t = SignJwt(nlohmann::json{{"kid", "chosen"}}, AccessTokenClaims(),
                                  REQUIRE_VALUE(SigningKey::FromKey(kidless)));
  REQUIRE_OK(t);
  CHECK(DecodeJwtUnverified(*t)->header["kid"] == "chosen");
}

TEST_CASE("without header extras the header is exactly FusionAuth's", "[jws]") {
  const auto header_of = [](const std::string& token) {
    const std::vector<std::uint8_t> header = UnB64u(Segments(token)[0]);
    return std::string(header.begin(), header.end());
  };
  const std::string secret(32, 's');
  const SigningKey with_kid =
      REQUIRE_VALUE(SigningKey::FromKey(test::HmacKey(KeyAlgorithm::kHs256, secret, "k1")));
  CHECK(header_of(REQUIRE_VALUE(SignJwt(AccessTokenClaims(), with_kid))) ==
        R"({"alg":"HS256","typ":"JWT","kid":"k1"})");
  CHECK(header_of(REQUIRE_VALUE(SignJws(nullptr, "payload", with_kid))) ==
        R"({"alg":"HS256","kid":"k1"})");
  const SigningKey kidless =
      REQUIRE_VALUE(SigningKey::FromKey(test::HmacKey(KeyAlgorithm::kHs384, std::string(48, 's'))));
  CHECK(header_of(REQUIRE_VALUE(SignJwt(AccessTokenClaims(), kidless))) ==
        R"({"alg":"HS384","typ":"JWT"})");
  // A kid is written as a JSON string, escaped; one that is not UTF-8 is an error.
  const SigningKey quoted =
      REQUIRE_VALUE(SigningKey::FromKey(test::HmacKey(KeyAlgorithm::kHs256, secret, "a\"b\\c")));
  const std::string token = REQUIRE_VALUE(SignJwt(AccessTokenClaims(), quoted));
  CHECK(header_of(token) == R"({"alg":"HS256","typ":"JWT","kid":"a\"b\\c"})");
  CHECK_OK(VerifyJwt(token, quoted.verification_key(), Options()));
  const SigningKey bad_kid =
      REQUIRE_VALUE(SigningKey::FromKey(test::HmacKey(KeyAlgorithm::kHs256, secret, "\xff")));
  CHECK(SignJwt(AccessTokenClaims(), bad_kid).status().code() == StatusCode::kInvalidArgument);
  // The payload is the claims' compact JSON, byte for byte.
  const std::vector<std::uint8_t> payload =
      UnB64u(Segments(REQUIRE_VALUE(SignJwt(nlohmann::json{{"sub", "x"}, {"n", 1}}, with_kid)))[1]);
  CHECK(std::string(payload.begin(), payload.end()) == R"({"n":1,"sub":"x"})");
}

TEST_CASE("a key signs and verifies token after token, failures in between", "[jws]") {
  for (KeyAlgorithm alg : test::AllAlgorithms()) {
    INFO(ToString(alg));
    const SigningKey signer = Signer(alg);
    const VerificationKey verifier = Verifier(alg);
    std::vector<std::string> tokens;
    for (int i = 0; i < 3; ++i) {
      nlohmann::json claims = AccessTokenClaims();
      claims["jti"] = "token-" + std::to_string(i);
      tokens.push_back(REQUIRE_VALUE(SignJwt(claims, signer)));
    }
    for (int round = 0; round < 2; ++round) {
      for (int i = 0; i < 3; ++i) {
        Result<Jwt> jwt = VerifyJwt(tokens[i], verifier, Options());
        REQUIRE_OK(jwt);
        CHECK(jwt->claims.ToJson()["jti"] == "token-" + std::to_string(i));
        // A signature over other bytes fails and leaves the key as it was.
        const std::vector<std::string> seg = Segments(tokens[i]);
        const std::string swapped = seg[0] + "." + Segments(tokens[(i + 1) % 3])[1] + "." + seg[2];
        CHECK(Refusal(swapped, Options(), alg) == JwtError::kBadSignature);
      }
    }
  }
}

TEST_CASE("key handles refuse unusable keys", "[jws][keys]") {
  Key k = KeysByAlgorithm().at(KeyAlgorithm::kEs256);
  Key no_alg = k;
  no_alg.algorithm.reset();
  CHECK(VerificationKey::FromKey(no_alg).status().errors().HasField("missing", "key.algorithm"));
  Key wrong_curve = k;
  wrong_curve.algorithm = KeyAlgorithm::kEs512;
  CHECK(SigningKey::FromKey(wrong_curve).status().errors().HasField("invalid", "key.algorithm"));
  Key public_only = k;
  public_only.private_key.clear();
  CHECK(SigningKey::FromKey(public_only).status().errors().HasField("missing", "key.privateKey"));
  Key short_secret = test::HmacKey(KeyAlgorithm::kHs256, std::string(31, 's'));
  CHECK(SigningKey::FromKey(short_secret).status().errors().HasField("invalid", "key.secret"));
  Key no_secret = test::HmacKey(KeyAlgorithm::kHs512, "");
  CHECK(VerificationKey::FromKey(no_secret).status().errors().HasField("missing", "key.secret"));
  // A 1024-bit RSA key verifies (FusionAuth imports such public keys) but never signs.
  Key rsa1024;
  rsa1024.algorithm = KeyAlgorithm::kRs256;
  rsa1024.private_key = test::ReadJwsData("rsa1024.key.pem");
  CHECK_OK(VerificationKey::FromKey(rsa1024));
  CHECK(SigningKey::FromKey(rsa1024).status().errors().HasField("invalid", "key.algorithm"));
  Key garbage = k;
  garbage.public_key = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  CHECK(VerificationKey::FromKey(garbage).status().errors().HasField("invalid", "key.publicKey"));
}

TEST_CASE("one key signs and verifies from several threads at once", "[jws][concurrency]") {
  for (KeyAlgorithm alg : {KeyAlgorithm::kEs256, KeyAlgorithm::kRs256, KeyAlgorithm::kPs256,
                           KeyAlgorithm::kHs256, KeyAlgorithm::kEd25519}) {
    INFO(ToString(alg));
    const SigningKey signer = Signer(alg);
    const VerificationKey verifier = signer.verification_key();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 25; ++i) {
          nlohmann::json claims = AccessTokenClaims();
          claims["jti"] = std::to_string(t) + "-" + std::to_string(i);
          Result<std::string> token = SignJwt(claims, signer);
          if (!token.ok()) {
            ++failures;
            continue;
          }
          Result<Jwt> jwt = VerifyJwt(*token, verifier, Options());
          if (!jwt.ok() || jwt->claims.ToJson()["jti"] != claims["jti"]) ++failures;
          // A bad token on the same key, concurrently, fails cleanly.
          if (VerifyJwt(*token + "A", verifier, Options()).ok()) ++failures;
        }
      });
    }
    for (std::thread& th : threads) th.join();
    CHECK(failures.load() == 0);
  }
}

TEST_CASE("JwtClaims: the registered claims at hand, the DOM on request", "[jws][jwt]") {
  const std::string token = Sign(AccessTokenClaims());
  Result<Jwt> jwt = VerifyJwt(token, Verifier(KeyAlgorithm::kHs256), Options());
  REQUIRE_OK(jwt);
  const JwtClaims& claims = jwt->claims;
  const std::vector<std::uint8_t> payload = UnB64u(Segments(token)[1]);
  CHECK(claims.text() == std::string(payload.begin(), payload.end()));
  CHECK(claims.iss() == "acme.com");
  CHECK(claims.sub() == "2ffc2e7e-2b6d-4a4f-9d6a-5b8c3a1d2e3f");
  CHECK(claims.jti() == "1d4e3a2b-5c6d-4e7f-8a9b-0c1d2e3f4a5b");
  CHECK(claims.aud() == std::vector<std::string>{"85a03867-dccf-4882-adde-1a79aeec50df"});
  CHECK(claims.exp() == static_cast<double>(kIat + 3600));
  CHECK(claims.iat() == static_cast<double>(kIat));
  CHECK_FALSE(claims.nbf().has_value());
  // The lazy DOM is the eager parse, value types included.
  const nlohmann::json dom = claims.ToJson();
  CHECK(dom == AccessTokenClaims());
  CHECK(dom == nlohmann::json::parse(claims.text()));
  CHECK(dom["exp"].is_number_unsigned());
  CHECK(claims.ToJson() == dom);  // parsed anew, the same again

  SECTION("escapes, arrays, fractions and wrong types") {
    const JwtClaims odd = REQUIRE_VALUE(JwtClaims::Parse(
        R"({"aud":["a",7,"b\u00e9"],"exp":1.5e9,"iss":"x\/y","jti":5,"nbf":-1,"sub":null})"));
    CHECK(odd.aud() == std::vector<std::string>{"a", "b\xC3\xA9"});
    CHECK(odd.exp() == 1.5e9);
    CHECK(odd.nbf() == -1.0);
    CHECK(odd.iss() == "x/y");
    CHECK_FALSE(odd.jti().has_value());  // not a string
    CHECK_FALSE(odd.sub().has_value());
    CHECK_FALSE(odd.iat().has_value());
    CHECK(odd.ToJson()["aud"][1] == 7);
  }
  SECTION("a default JwtClaims is the empty set") {
    const JwtClaims empty;
    CHECK(empty.text() == "{}");
    CHECK(empty.ToJson() == nlohmann::json::object());
    CHECK_FALSE(empty.exp().has_value());
    CHECK(empty.aud().empty());
  }
  SECTION("Parse refuses what VerifyJwt refuses, as kMalformed") {
    for (const char* text : {"", "[]", "{\"a\":1,\"a\":2}", "{\"a\":\"\xC0\xAF\"}", "{\"a\":1}x"}) {
      INFO(text);
      Result<JwtClaims> parsed = JwtClaims::Parse(text);
      REQUIRE_FALSE(parsed.ok());
      CHECK(JwtErrorOf(parsed.status()) == JwtError::kMalformed);
    }
  }
}

TEST_CASE("VerifyJwt refuses bad claims sets even when the caller never reads them", "[jws][jwt]") {
  const std::string hs_header = R"({"alg":"HS256","kid":"hs256kid01"})";
  const std::string ok_tail = R"("aud":"85a03867-dccf-4882-adde-1a79aeec50df","exp":99999999999,)"
                              R"("iss":"acme.com")";
  REQUIRE_FALSE(Refusal(Forge(hs_header, "{" + ok_tail + "}")).has_value());
  struct Case {
    std::string name;
    std::string payload;
    JwtError expected;
  };
  const std::string deep = std::string(32, '[') + std::string(32, ']');  // 33 levels with the root
  const std::vector<Case> cases = {
      {"duplicate name out of order", "{\"x\":1," + ok_tail + ",\"x\":2}", JwtError::kMalformed},
      {"duplicate escaped name", "{" + ok_tail + ",\"\\u0069ss\":\"acme.com\"}",
       JwtError::kMalformed},
      {"duplicate name nested", "{\"a\":{\"k\":1,\"k\":2}," + ok_tail + "}", JwtError::kMalformed},
      {"bad UTF-8 in a custom claim", "{\"a\":\"\xED\xA0\x80\"," + ok_tail + "}",
       JwtError::kMalformed},
      {"lone surrogate escape", "{\"a\":\"\\ud800\"," + ok_tail + "}", JwtError::kMalformed},
      {"33 levels deep", "{\"a\":" + deep + "," + ok_tail + "}", JwtError::kMalformed},
      {"trailing comma", "{" + ok_tail + ",}", JwtError::kMalformed},
      {"trailing text", "{" + ok_tail + "} x", JwtError::kMalformed},
      {"not an object", "[" + std::string("1") + "]", JwtError::kMalformed},
      {"number out of range", "{\"a\":1e999," + ok_tail + "}", JwtError::kMalformed},
      {"exp as a string",
       R"({"aud":"85a03867-dccf-4882-adde-1a79aeec50df","exp":"99999999999","iss":"acme.com"})",
       JwtError::kInvalidClaim},
      {"nbf as an object", "{" + ok_tail + ",\"nbf\":{}}", JwtError::kInvalidClaim},
      {"iat as an array", "{" + ok_tail + ",\"iat\":[1]}", JwtError::kInvalidClaim},
      {"iss as a number",
       R"({"aud":"85a03867-dccf-4882-adde-1a79aeec50df","exp":99999999999,"iss":1})",
       JwtError::kInvalidClaim},
      {"aud array with a number",
       R"({"aud":["85a03867-dccf-4882-adde-1a79aeec50df",1],"exp":99999999999,"iss":"acme.com"})",
       JwtError::kInvalidClaim},
      {"aud as true", R"({"aud":true,"exp":99999999999,"iss":"acme.com"})",
       JwtError::kInvalidClaim},
      {"wrong aud", R"({"aud":"other","exp":99999999999,"iss":"acme.com"})",
       JwtError::kWrongAudience},
      {"wrong aud, escaped", R"({"aud":"\u0038","exp":99999999999,"iss":"acme.com"})",
       JwtError::kWrongAudience},
      {"wrong iss",
       R"({"aud":"85a03867-dccf-4882-adde-1a79aeec50df","exp":99999999999,"iss":"acme.co"})",
       JwtError::kWrongIssuer},
      {"expired", R"({"aud":"85a03867-dccf-4882-adde-1a79aeec50df","exp":1,"iss":"acme.com"})",
       JwtError::kExpired},
      {"a nested exp does not count",
       R"({"aud":"85a03867-dccf-4882-adde-1a79aeec50df","x":{"exp":99999999999},"iss":"acme.com"})",
       JwtError::kMissingClaim},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(Refusal(Forge(hs_header, c.payload)) == c.expected);
    // DecodeJwtUnverified refuses the malformed ones too, and CheckJwtClaims on the DOM and on
    // the JwtClaims agree on the others.
    Result<Jwt> decoded = DecodeJwtUnverified(Forge(hs_header, c.payload));
    if (c.expected == JwtError::kMalformed) {
      CHECK(JwtErrorOf(decoded.status()) == JwtError::kMalformed);
      continue;
    }
    REQUIRE_OK(decoded);
    const Status from_text = CheckJwtClaims(decoded->claims, Options());
    const Status from_dom = CheckJwtClaims(decoded->claims.ToJson(), Options());
    CHECK(JwtErrorOf(from_text) == c.expected);
    CHECK(from_text.ToString() == from_dom.ToString());
  }
  SECTION("escaped registered claims are compared decoded") {
    const std::string payload =
        R"({"aud":["x","85a03867-dccf-4882-adde-1a79aeec50df"],"exp":99999999999,)"
        R"("iss":"\u0061cme.com"})";
    Result<Jwt> jwt =
        VerifyJwt(Forge(hs_header, payload), Verifier(KeyAlgorithm::kHs256), Options());
    REQUIRE_OK(jwt);
    CHECK(jwt->claims.iss() == "acme.com");
  }
}

}  // namespace
}  // namespace bulwark
