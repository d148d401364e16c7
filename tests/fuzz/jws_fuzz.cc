// SPDX-License-Identifier: Apache-2.0
// Compact JWS / JWT parsing and verification against a fixed key set (an HS256 secret and an
// ES256 key pair, made once). The first byte picks a mode; the rest is the text.
//   mode 0: the text is a token: DecodeJwsUnverified, DecodeJwtUnverified, VerifyJws and
//           VerifyJwt (set, single key, resolver) must agree with each other.
//   mode 1: the text is a JWS signing input "header.payload": it is signed with the HS256 key
//           and verified, so the header checks run behind a valid signature; a refusal must
//           never be kBadSignature.
//   mode 2: the text is a claims set: SignJwt with either key, then VerifyJwt; the claims
//           come back equal and no refusal is about the token's form or signature.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jws.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/jwt_error.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/testing/deterministic_random.h"
#include "crypto/base64.h"
#include "fuzz/fuzz_support.h"

namespace {

using bulwark::JwtError;

struct JwsKeys {
  bulwark::SigningKey hs256;
  bulwark::SigningKey es256;
  bulwark::VerificationKeySet set;
};

bulwark::SigningKey MakeKey(bulwark::KeyAlgorithm algorithm, const char* kid) {
  bulwark::testing::DeterministicRandom random(7);
  bulwark::Key request;
  request.name = kid;
  request.kid = kid;
  request.algorithm = algorithm;
  request.issuer = "fuzz.bulwark.example";
  const bulwark::Instant now = bulwark::FromEpochMillis(1'700'000'000'000);
  bulwark::Result<bulwark::Key> key = bulwark::GenerateKey(request, random, now);
  if (!key.ok()) bulwark::fuzz::Fail(__FILE__, __LINE__, "GenerateKey");
  bulwark::Result<bulwark::SigningKey> signer = bulwark::SigningKey::FromKey(*key);
  if (!signer.ok()) bulwark::fuzz::Fail(__FILE__, __LINE__, "SigningKey::FromKey");
  return *signer;
}

const JwsKeys& Keys() {
  static const JwsKeys keys = [] {
    JwsKeys k{MakeKey(bulwark::KeyAlgorithm::kHs256, "hs"),
              MakeKey(bulwark::KeyAlgorithm::kEs256, "es"), {}};
    k.set.Add(k.hs256.verification_key());
    k.set.Add(k.es256.verification_key());
    return k;
  }();
  return keys;
}

// 2023-11-14T22:13:20Z, the instant every claim is checked against.
constexpr std::int64_t kNowMs = 1'700'000'000'000;

bulwark::JwtVerifyOptions Options(std::uint8_t flags) {
  bulwark::JwtVerifyOptions options;
  options.now = bulwark::FromEpochMillis(kNowMs);
  options.leeway = std::chrono::seconds(flags & 0x0F);
  options.require_exp = (flags & 0x10) != 0;
  options.reject_iat_in_future = (flags & 0x20) != 0;
  if (flags & 0x40) options.audiences = {"fuzz-audience", "other"};
  if (flags & 0x80) options.issuer = "fuzz.bulwark.example";
  options.accept_eddsa_alias = (flags & 0x01) != 0;
  return options;
}

std::optional<JwtError> ErrorOf(const bulwark::Status& status) {
  return bulwark::JwtErrorOf(status);
}

bool IsFormOrSignatureError(const bulwark::Status& status) {
  const std::optional<JwtError> error = ErrorOf(status);
  return error == JwtError::kMalformed || error == JwtError::kTooLarge ||
         error == JwtError::kUnsupportedAlgorithm || error == JwtError::kAlgorithmMismatch ||
         error == JwtError::kUnknownKey || error == JwtError::kBadSignature;
}

void CheckToken(std::string_view token, std::uint8_t flags) {
  const JwsKeys& keys = Keys();
  const bulwark::Result<bulwark::Jws> decoded = bulwark::DecodeJwsUnverified(token);
  const bulwark::Result<bulwark::Jwt> decoded_jwt = bulwark::DecodeJwtUnverified(token);
  if (decoded_jwt.ok()) {
    BULWARK_FUZZ_CHECK(decoded.ok());
    BULWARK_FUZZ_CHECK(decoded_jwt->header == decoded->header);
  }
  if (!decoded.ok()) {
    const std::optional<JwtError> error = ErrorOf(decoded.status());
    BULWARK_FUZZ_CHECK(error == JwtError::kMalformed || error == JwtError::kTooLarge);
  }

  const bulwark::Result<bulwark::Jws> by_set = bulwark::VerifyJws(token, keys.set);
  if (by_set.ok()) {
    BULWARK_FUZZ_CHECK(decoded.ok());
    BULWARK_FUZZ_CHECK(by_set->header == decoded->header);
    BULWARK_FUZZ_CHECK(by_set->payload == decoded->payload);
  } else {
    BULWARK_FUZZ_CHECK(ErrorOf(by_set.status()).has_value());
  }
  const bulwark::Result<bulwark::Jws> by_key =
      bulwark::VerifyJws(token, keys.hs256.verification_key(),
                         {.accept_eddsa_alias = (flags & 1) != 0});
  if (by_key.ok()) BULWARK_FUZZ_CHECK(decoded.ok() && by_key->payload == decoded->payload);

  const bulwark::JwtVerifyOptions options = Options(flags);
  if (decoded_jwt.ok()) {
    // The claims read by the scan are the claims of the DOM, and both checks agree.
    const nlohmann::json dom = decoded_jwt->claims.ToJson();
    BULWARK_FUZZ_CHECK(dom.is_object());
    BULWARK_FUZZ_CHECK(bulwark::CheckJwtClaims(decoded_jwt->claims, options).ToString() ==
                       bulwark::CheckJwtClaims(dom, options).ToString());
    const auto number = [&dom](const char* name) {
      const auto it = dom.find(name);
      return it != dom.end() && it->is_number() ? std::optional<double>(it->get<double>())
                                                : std::nullopt;
    };
    const auto string = [&dom](const char* name) {
      const auto it = dom.find(name);
      return it != dom.end() && it->is_string() ? std::optional<std::string>(*it) : std::nullopt;
    };
    BULWARK_FUZZ_CHECK(decoded_jwt->claims.exp() == number("exp"));
    BULWARK_FUZZ_CHECK(decoded_jwt->claims.nbf() == number("nbf"));
    BULWARK_FUZZ_CHECK(decoded_jwt->claims.iat() == number("iat"));
    BULWARK_FUZZ_CHECK(decoded_jwt->claims.iss() == string("iss"));
    BULWARK_FUZZ_CHECK(decoded_jwt->claims.sub() == string("sub"));
    BULWARK_FUZZ_CHECK(decoded_jwt->claims.jti() == string("jti"));
  }
  const bulwark::Result<bulwark::Jwt> jwt = bulwark::VerifyJwt(token, keys.set, options);
  if (jwt.ok()) {
    BULWARK_FUZZ_CHECK(by_set.ok());
    BULWARK_FUZZ_CHECK(decoded_jwt.ok() && jwt->claims.text() == decoded_jwt->claims.text());
    BULWARK_FUZZ_CHECK(bulwark::CheckJwtClaims(jwt->claims, options).ok());
  } else {
    BULWARK_FUZZ_CHECK(ErrorOf(jwt.status()).has_value());
  }
  const bulwark::VerificationKeyResolver resolver =
      [&keys](std::string_view kid) -> bulwark::Result<bulwark::VerificationKey> {
    if (kid == "es") return keys.es256.verification_key();
    if (kid == "hs" || kid.empty()) return keys.hs256.verification_key();
    return bulwark::Status::NotFound("no such kid");
  };
  const bulwark::Result<bulwark::Jwt> resolved = bulwark::VerifyJwt(token, resolver, options);
  if (resolved.ok()) {
    BULWARK_FUZZ_CHECK(decoded_jwt.ok() && resolved->claims.text() == decoded_jwt->claims.text());
  }
}

std::string Base64Url(const std::vector<std::uint8_t>& bytes) {
  return bulwark::internal::Base64UrlEncode(bytes);
}

void SignedInput(std::string_view signing_input, std::uint8_t flags) {
  const JwsKeys& keys = Keys();
  bulwark::Result<std::vector<std::uint8_t>> signature = keys.hs256.Sign(signing_input);
  BULWARK_FUZZ_CHECK(signature.ok());
  std::string token(signing_input);
  token += '.';
  token += Base64Url(*signature);
  const bulwark::Result<bulwark::Jws> verified =
      bulwark::VerifyJws(token, keys.hs256.verification_key());
  if (!verified.ok()) {
    BULWARK_FUZZ_CHECK(ErrorOf(verified.status()) != JwtError::kBadSignature);
  } else {
    // What verifies also decodes, to the same header and payload.
    const bulwark::Result<bulwark::Jws> decoded = bulwark::DecodeJwsUnverified(token);
    BULWARK_FUZZ_CHECK(decoded.ok() && decoded->payload == verified->payload &&
                       decoded->header == verified->header);
  }
  CheckToken(token, flags);
}

void SignedClaims(std::string_view text, std::uint8_t flags) {
  if (!bulwark::fuzz::NestsWithin(text, 64)) return;
  const nlohmann::json claims = nlohmann::json::parse(text, nullptr, false);
  if (claims.is_discarded()) return;
  const JwsKeys& keys = Keys();
  const bulwark::SigningKey& key = (flags & 1) ? keys.es256 : keys.hs256;
  bulwark::Result<std::string> token = bulwark::SignJwt(claims, key);
  if (!token.ok()) {
    BULWARK_FUZZ_CHECK(token.status().code() == bulwark::StatusCode::kInvalidArgument);
    return;
  }
  BULWARK_FUZZ_CHECK(claims.is_object());
  const bulwark::JwtVerifyOptions options = Options(flags);
  const bulwark::Result<bulwark::Jwt> jwt = bulwark::VerifyJwt(*token, keys.set, options);
  if (jwt.ok()) {
    BULWARK_FUZZ_CHECK(jwt->claims.ToJson() == claims);
  } else {
    BULWARK_FUZZ_CHECK(!IsFormOrSignatureError(jwt.status()));
  }
  const bulwark::Result<bulwark::Jwt> decoded = bulwark::DecodeJwtUnverified(*token);
  BULWARK_FUZZ_CHECK(decoded.ok() && decoded->claims.ToJson() == claims);
  BULWARK_FUZZ_CHECK(decoded->header.value("kid", "") == key.kid());
}

}  // namespace

BULWARK_FUZZ_TARGET(jws) {
  bulwark::fuzz::Reader in(data, size);
  const std::uint8_t mode = in.Byte();
  const std::uint8_t flags = in.Byte();
  const std::string_view text = in.Rest();
  switch (mode % 3) {
    case 0:
      CheckToken(text, flags);
      break;
    case 1:
      SignedInput(text, flags);
      break;
    default:
      SignedClaims(text, flags);
      break;
  }
  return 0;
}
