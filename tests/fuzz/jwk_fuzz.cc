// SPDX-License-Identifier: Apache-2.0
// JWK / JWKS import, FusionAuth key JSON and Key Master's PEM / certificate import. The first
// byte picks a mode; the rest is the text.
//   mode 0: a JWK, or a JWKS {"keys": [...]}: KeyFromJwk (public, and with private members),
//           JwkThumbprint; an imported key exports (ToJwk) and re-imports to the same public
//           key, kid and thumbprint, and builds a VerificationKey or is refused cleanly.
//   mode 1: a FusionAuth key object ({"key": {...}} or bare): KeyFromJson, ToJson with
//           secrets round-trips to an equal Key; then ImportKey (PEM parsing) and, when it
//           succeeds, the JWK export agrees with the imported public key.
//   mode 2: the text is a certificate: DescribeCertificate.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jws_key.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/model/key.h"
#include "bulwark/testing/deterministic_random.h"
#include "fuzz/fuzz_support.h"

namespace {

void CheckExportRoundTrip(const bulwark::Key& key) {
  const bulwark::Result<nlohmann::json> jwk = bulwark::ToJwk(key);
  if (!jwk.ok()) {
    BULWARK_FUZZ_CHECK(jwk.status().code() == bulwark::StatusCode::kInvalidArgument);
    return;
  }
  const bulwark::Result<bulwark::Key> again = bulwark::KeyFromJwk(*jwk);
  BULWARK_FUZZ_CHECK(again.ok());
  BULWARK_FUZZ_CHECK(again->public_key == key.public_key || key.public_key.empty());
  BULWARK_FUZZ_CHECK(again->kid == jwk->value("kid", ""));
  BULWARK_FUZZ_CHECK(again->algorithm == key.algorithm);
  const bulwark::Result<nlohmann::json> jwk_again = bulwark::ToJwk(*again);
  BULWARK_FUZZ_CHECK(jwk_again.ok());
  const bulwark::Result<std::string> t1 = bulwark::JwkThumbprint(*jwk);
  const bulwark::Result<std::string> t2 = bulwark::JwkThumbprint(*jwk_again);
  BULWARK_FUZZ_CHECK(t1.ok() && t2.ok() && *t1 == *t2);
  // A key the importer accepted is either usable for verification or refused as a value.
  const bulwark::Result<bulwark::VerificationKey> verifier =
      bulwark::VerificationKey::FromKey(*again);
  if (!verifier.ok()) {
    BULWARK_FUZZ_CHECK(verifier.status().code() == bulwark::StatusCode::kInvalidArgument);
  }
}

void OneJwk(const nlohmann::json& jwk) {
  (void)bulwark::JwkThumbprint(jwk);
  for (bool include_private : {false, true}) {
    const bulwark::Result<bulwark::Key> key =
        bulwark::KeyFromJwk(jwk, {.include_private = include_private});
    if (!key.ok()) {
      BULWARK_FUZZ_CHECK(key.status().code() == bulwark::StatusCode::kInvalidArgument);
      continue;
    }
    BULWARK_FUZZ_CHECK(!key->public_key.empty());
    CheckExportRoundTrip(*key);
  }
}

void JwkMode(const nlohmann::json& doc) {
  if (doc.is_object() && doc.contains("keys") && doc["keys"].is_array()) {
    for (const nlohmann::json& jwk : doc["keys"]) OneJwk(jwk);
  } else {
    OneJwk(doc);
  }
}

void KeyJsonMode(const nlohmann::json& doc) {
  // KeyFromJson reads the key object itself: unwrap a request body.
  const auto wrapped = doc.is_object() ? doc.find("key") : doc.end();
  const nlohmann::json& body =
      doc.is_object() && wrapped != doc.end() && wrapped->is_object() ? *wrapped : doc;
  const bulwark::Result<bulwark::Key> key = bulwark::KeyFromJson(body);
  if (!key.ok()) return;
  const nlohmann::json written = bulwark::ToJson(*key, {.include_secrets = true});
  const bulwark::Result<bulwark::Key> reread = bulwark::KeyFromJson(written);
  BULWARK_FUZZ_CHECK(reread.ok());
  BULWARK_FUZZ_CHECK(*reread == *key);
  (void)bulwark::Validate(*key);

  bulwark::testing::DeterministicRandom random(3);
  const bulwark::Result<bulwark::Key> imported = bulwark::ImportKey(*key, random);
  if (!imported.ok()) {
    BULWARK_FUZZ_CHECK(imported.status().code() == bulwark::StatusCode::kInvalidArgument);
    return;
  }
  BULWARK_FUZZ_CHECK(imported->algorithm.has_value());
  if (!imported->public_key.empty()) CheckExportRoundTrip(*imported);
  const bulwark::Result<bulwark::VerificationKey> verifier =
      bulwark::VerificationKey::FromKey(*imported);
  if (!verifier.ok()) {
    BULWARK_FUZZ_CHECK(verifier.status().code() == bulwark::StatusCode::kInvalidArgument);
  }
}

}  // namespace

BULWARK_FUZZ_TARGET(jwk) {
  bulwark::fuzz::Reader in(data, size);
  const std::uint8_t mode = in.Byte();
  const std::string_view text = in.Rest();
  if (mode % 3 == 2) {
    const bulwark::Result<bulwark::CertificateInformation> info =
        bulwark::DescribeCertificate(text);
    if (!info.ok()) {
      BULWARK_FUZZ_CHECK(info.status().code() == bulwark::StatusCode::kInvalidArgument);
    }
    return 0;
  }
  if (!bulwark::fuzz::NestsWithin(text, 64)) return 0;
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return 0;
  if (mode % 3 == 0) {
    JwkMode(doc);
  } else {
    KeyJsonMode(doc);
  }
  return 0;
}
