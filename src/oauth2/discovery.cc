// SPDX-License-Identifier: Apache-2.0
#include "oauth2/discovery.h"

#include <string>

namespace bulwark::oauth2 {

nlohmann::json DiscoveryDocument(const Tenant& tenant, std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  const auto at = [&](std::string_view path) {
    std::string url(base_url);
    url += path;
    return url;
  };
  const nlohmann::json client_auth_methods = {"client_secret_basic", "client_secret_post"};
  return nlohmann::json{
      {"issuer", tenant.issuer},
      {"authorization_endpoint", at("/oauth2/authorize")},
      {"token_endpoint", at("/oauth2/token")},
      {"userinfo_endpoint", at("/oauth2/userinfo")},
      {"jwks_uri", at("/.well-known/jwks.json")},
      {"end_session_endpoint", at("/oauth2/logout")},
      {"device_authorization_endpoint", at("/oauth2/device_authorize")},
      {"introspection_endpoint", at("/oauth2/introspect")},
      {"revocation_endpoint", at("/oauth2/revoke")},
      {"response_types_supported", {"code", "id_token", "token id_token"}},
      {"response_modes_supported", {"query", "fragment", "form_post"}},
      {"grant_types_supported",
       {"authorization_code", "implicit", "password", "client_credentials", "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code"}},
      {"subject_types_supported", {"public"}},
      // The JWS algorithms of the keys an id_token can be signed with (Key Master's, but its
      // Ed25519, which FusionAuth names "Ed25519" where standard clients expect "EdDSA").
      {"id_token_signing_alg_values_supported",
       {"ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "PS256", "PS384", "PS512", "RS256",
        "RS384", "RS512"}},
      {"token_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "none"}},
      {"introspection_endpoint_auth_methods_supported", client_auth_methods},
      {"revocation_endpoint_auth_methods_supported",
       {"client_secret_basic", "client_secret_post", "none"}},
      {"scopes_supported", {"openid", "profile", "email", "address", "phone", "offline_access"}},
      {"claims_supported",
       {"sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "at_hash",
        "c_hash",
        "sid",
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "picture",
        "email",
        "email_verified",
        "phone_number",
        "phone_number_verified",
        "birthdate",
        "locale",
        "zoneinfo",
        "address"}},
      {"code_challenge_methods_supported", {"plain", "S256"}},
      {"authorization_response_iss_parameter_supported", true},
      {"frontchannel_logout_supported", true},
      {"backchannel_logout_supported", false},
  };
}

}  // namespace bulwark::oauth2
