// SPDX-License-Identifier: Apache-2.0
//
// The OpenID Provider metadata (oauth2/discovery.h): what OpenID Connect Discovery 1.0 §3
// and RFC 8414 require, FusionAuth's endpoints under the base URL, and the tenant's issuer.
#include "oauth2/discovery.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

namespace bulwark::oauth2 {
namespace {

Tenant Issuing(std::string issuer) {
  Tenant tenant;
  tenant.issuer = std::move(issuer);
  return tenant;
}

TEST_CASE("the discovery document names the tenant's issuer and every endpoint",
          "[oauth2][discovery]") {
  const nlohmann::json doc =
      DiscoveryDocument(Issuing("https://auth.example.com"), "https://auth.example.com");
  CHECK(doc["issuer"] == "https://auth.example.com");
  CHECK(doc["authorization_endpoint"] == "https://auth.example.com/oauth2/authorize");
  CHECK(doc["token_endpoint"] == "https://auth.example.com/oauth2/token");
  CHECK(doc["userinfo_endpoint"] == "https://auth.example.com/oauth2/userinfo");
  CHECK(doc["jwks_uri"] == "https://auth.example.com/.well-known/jwks.json");
  CHECK(doc["end_session_endpoint"] == "https://auth.example.com/oauth2/logout");
  CHECK(doc["device_authorization_endpoint"] == "https://auth.example.com/oauth2/device_authorize");
  CHECK(doc["introspection_endpoint"] == "https://auth.example.com/oauth2/introspect");
  CHECK(doc["revocation_endpoint"] == "https://auth.example.com/oauth2/revoke");
  CHECK(doc["authorization_response_iss_parameter_supported"] == true);
}

TEST_CASE("the members OpenID Connect Discovery requires, with the values bulwark serves",
          "[oauth2][discovery]") {
  const nlohmann::json doc = DiscoveryDocument(Issuing("acme.com"), "http://localhost:9011");
  // OpenID Connect Discovery 1.0 §3: REQUIRED members.
  for (const char* member : {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                             "response_types_supported", "subject_types_supported",
                             "id_token_signing_alg_values_supported"}) {
    INFO(member);
    CHECK(doc.contains(member));
  }
  const auto has = [&](const char* member, const char* value) {
    const nlohmann::json& list = doc.at(member);
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  CHECK(has("response_types_supported", "code"));
  CHECK(has("response_modes_supported", "form_post"));
  CHECK(has("grant_types_supported", "authorization_code"));
  CHECK(has("grant_types_supported", "urn:ietf:params:oauth:grant-type:device_code"));
  CHECK(doc["subject_types_supported"] == nlohmann::json::array({"public"}));
  CHECK(has("id_token_signing_alg_values_supported", "RS256"));  // Discovery §3: MUST include
  CHECK(has("id_token_signing_alg_values_supported", "ES256"));
  CHECK_FALSE(has("id_token_signing_alg_values_supported", "none"));
  CHECK(has("token_endpoint_auth_methods_supported", "client_secret_basic"));
  CHECK(has("token_endpoint_auth_methods_supported", "client_secret_post"));
  CHECK(has("code_challenge_methods_supported", "S256"));
  CHECK(has("scopes_supported", "openid"));
  CHECK(has("scopes_supported", "offline_access"));
  CHECK(has("claims_supported", "sub"));
  CHECK(doc["issuer"] == "acme.com");
  CHECK(doc["token_endpoint"] == "http://localhost:9011/oauth2/token");
}

TEST_CASE("a base URL's trailing slashes and path prefix", "[oauth2][discovery]") {
  CHECK(DiscoveryDocument(Issuing("i"), "https://example.com/")["jwks_uri"] ==
        "https://example.com/.well-known/jwks.json");
  CHECK(DiscoveryDocument(Issuing("i"), "https://example.com//")["token_endpoint"] ==
        "https://example.com/oauth2/token");
  CHECK(DiscoveryDocument(Issuing("i"), "https://example.com/identity")["token_endpoint"] ==
        "https://example.com/identity/oauth2/token");
}

}  // namespace
}  // namespace bulwark::oauth2
