// SPDX-License-Identifier: Apache-2.0
// Keys, refresh tokens and API keys: JSON both ways in FusionAuth's shape.
#include <catch2/catch.hpp>

#include <vector>

#include "bulwark/model/api_key.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/testing/status_matchers.h"
#include "model_test_support.h"

namespace bulwark {
namespace {

// privateKey and secret are write-only on the wire.
void CheckKey(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<Key>(
      j, where, [](const nlohmann::json& x) { return KeyFromJson(x); },
      [](const Key& k) { return ToJson(k); }, {"privateKey", "secret"},
      [](Key& k) {
        k.private_key.clear();
        k.secret.clear();
      });
}

void CheckRefreshToken(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<RefreshToken>(
      j, where, [](const nlohmann::json& x) { return RefreshTokenFromJson(x); },
      [](const RefreshToken& t) { return ToJson(t); });
}

void CheckApiKey(const nlohmann::json& j, const std::string& where) {
  test::CheckRoundTrip<ApiKey>(
      j, where, [](const nlohmann::json& x) { return ApiKeyFromJson(x); },
      [](const ApiKey& k) { return ToJson(k); });
}

TEST_CASE("FusionAuth's documented keys, refresh tokens and API keys round-trip", "[model]") {
  if (!test::HaveFusionAuthExamples()) {
    WARN("../shared/reference/fusionauth-json is absent: FusionAuth example round trips skipped");
    return;
  }
  int checked = 0;
  auto each = [&](const char* file, const char* single, const char* plural, auto check) {
    checked += test::ForEachDocumented(file, single, plural, check);
  };
  for (const char* f : {"keys/hmac-response.json", "keys/rsa-response.json",
                        "keys/ec-response.json", "keys/eddsa-response.json", "keys/responses.json",
                        "keys/search-response.json", "keys/import/post-request.json",
                        "keys/put-request.json", "keys/generate/post-request.json"}) {
    each(f, "key", "keys", CheckKey);
  }
  for (const char* f :
       {"jwt/refresh-token-get-response.json", "jwt/refresh-token-custom-data-get-response.json",
        "jwt/refresh-tokens-get-response.json", "jwt/refresh-get-response.json"}) {
    each(f, "refreshToken", "refreshTokens", CheckRefreshToken);
  }
  for (const char* f : {"api-keys/get-response.json", "api-keys/post-request-body.json",
                        "api-keys/post-response-body.json", "api-keys/put-request-body.json",
                        "api-keys/put-response-body.json"}) {
    each(f, "apiKey", nullptr, CheckApiKey);
  }
  CHECK(checked == 18);  // every documented body above was found and checked
}

TEST_CASE("the project's key, token and API key fixtures round-trip", "[model]") {
  nlohmann::json doc = test::LoadFixture("model/keys.json");
  REQUIRE(doc.contains("keys"));
  for (const nlohmann::json& k : doc["keys"]) CheckKey(k, "keys.json");
  CheckRefreshToken(doc["refreshToken"], "keys.json");
  CheckApiKey(doc["apiKey"], "keys.json");

  Key ec = REQUIRE_VALUE(KeyFromJson(doc["keys"][0]));
  CHECK(ec.algorithm == KeyAlgorithm::kEs256);
  CHECK(ec.type == KeyType::kEc);
  CHECK(ec.has_private_key);
  Key hmac = REQUIRE_VALUE(KeyFromJson(doc["keys"][1]));
  CHECK_FALSE(ToJson(hmac).contains("hasPrivateKey"));
  Key rsa = REQUIRE_VALUE(KeyFromJson(doc["keys"][2]));
  REQUIRE(rsa.certificate_information.has_value());
  CHECK(rsa.certificate_information->valid_to == FromEpochMillis(1990000000000));

  RefreshToken token = REQUIRE_VALUE(RefreshTokenFromJson(doc["refreshToken"]));
  CHECK(token.meta_data.device.type == "LAPTOP");
  CHECK(token.meta_data.scopes == std::vector<std::string>{"offline_access", "openid"});

  ApiKey key = REQUIRE_VALUE(ApiKeyFromJson(doc["apiKey"]));
  CHECK(key.endpoint_permissions.at("/api/user") == std::vector<std::string>{"GET", "POST"});
  CHECK_FALSE(key.retrievable);
  CHECK(key.meta_data_attributes.at("description") == "support tooling");
}

TEST_CASE("key secrets reach storage only", "[model]") {
  Key k;
  k.name = "signing";
  k.type = KeyType::kHmac;
  k.algorithm = KeyAlgorithm::kHs256;
  k.secret = "hmac-secret-value-that-must-not-leak";
  k.private_key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  const std::string wire = ToJson(k).dump();
  CHECK(wire.find("hmac-secret") == std::string::npos);
  CHECK(wire.find("PRIVATE KEY") == std::string::npos);
  const nlohmann::json stored = ToJson(k, {.include_secrets = true});
  Key back = REQUIRE_VALUE(KeyFromJson(stored));
  CHECK(back.secret == k.secret);
  CHECK(back.private_key == k.private_key);
}

TEST_CASE("key validation", "[model]") {
  Key k;
  CHECK(Validate(k).HasField("blank", "key.name"));
  k.name = "k";
  k.type = KeyType::kRsa;
  k.algorithm = KeyAlgorithm::kEs256;
  CHECK(Validate(k).HasField("invalid", "key.algorithm"));
  k.algorithm = KeyAlgorithm::kPs384;
  k.length = 1024;
  k.has_private_key = true;
  CHECK(Validate(k).HasField("invalid", "key.length"));
  k.has_private_key = false;  // a 1024-bit public key may be imported for verification
  CHECK(Validate(k).empty());
  k.length = 4096;
  k.has_private_key = true;
  CHECK(Validate(k).empty());
  k.type = KeyType::kEc;
  k.algorithm = KeyAlgorithm::kEs512;
  k.length = 512;
  CHECK(Validate(k).HasField("invalid", "key.length"));
  k.length = 521;
  CHECK(Validate(k).empty());
  k.type = KeyType::kOkp;
  k.algorithm = KeyAlgorithm::kEd25519;
  k.length = 0;
  CHECK(Validate(k).empty());
}

TEST_CASE("key enums and type errors", "[model]") {
  for (KeyAlgorithm a :
       {KeyAlgorithm::kEs256, KeyAlgorithm::kEs384, KeyAlgorithm::kEs512, KeyAlgorithm::kHs256,
        KeyAlgorithm::kHs384, KeyAlgorithm::kHs512, KeyAlgorithm::kPs256, KeyAlgorithm::kPs384,
        KeyAlgorithm::kPs512, KeyAlgorithm::kRs256, KeyAlgorithm::kRs384, KeyAlgorithm::kRs512,
        KeyAlgorithm::kEd25519}) {
    CHECK(REQUIRE_VALUE(ParseKeyAlgorithm(ToString(a))) == a);
  }
  for (KeyType t : {KeyType::kEc, KeyType::kRsa, KeyType::kHmac, KeyType::kOkp}) {
    CHECK(REQUIRE_VALUE(ParseKeyType(ToString(t))) == t);
  }
  CHECK_FALSE(ParseKeyAlgorithm("none").ok());
  CHECK_FALSE(ParseKeyAlgorithm("HS257").ok());

  Result<Key> bad = KeyFromJson(nlohmann::json{{"algorithm", "XS256"}, {"length", "2048"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().errors().HasField("invalid", "key.algorithm"));
  CHECK(bad.status().errors().HasField("couldNotConvert", "key.length"));
  Result<ApiKey> api =
      ApiKeyFromJson(nlohmann::json{{"permissions", {{"endpoints", {{"/api/user", "GET"}}}}}});
  CHECK(api.status().errors().HasField("couldNotConvert", "apiKey.permissions.endpoints"));
  Result<RefreshToken> rt =
      RefreshTokenFromJson(nlohmann::json{{"metaData", {{"scopes", "openid"}}}});
  CHECK(rt.status().errors().HasField("couldNotConvert", "refreshToken.metaData.scopes"));
}

}  // namespace
}  // namespace bulwark
