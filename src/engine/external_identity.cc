// SPDX-License-Identifier: Apache-2.0
#include "engine/external_identity.h"

#include <memory>
#include <utility>
#include <vector>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/jwt_error.h"
#include "bulwark/http_client.h"
#include "core/ascii.h"
#include "core/case_folding.h"
#include "crypto/base64.h"
#include "json/parse.h"

namespace bulwark::internal {
namespace {

Status Unauthenticated(std::string_view why) { return Status::Unauthenticated(why); }

// A provider's responses (discovery, token, userinfo, JWKS): strict, within the Router's own
// bounds for a body.
constexpr ParseOptions kProviderJsonOptions{.max_depth = 64, .reject_duplicate_keys = false};

// A claim's text: a string as it is, a number as JSON writes it; nullopt otherwise.
std::optional<std::string> ClaimText(const nlohmann::json& claims, const std::string& name) {
  if (name.empty() || !claims.is_object()) return std::nullopt;
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
  return std::nullopt;
}

std::optional<bool> ClaimBool(const nlohmann::json& claims, const std::string& name) {
  if (name.empty() || !claims.is_object()) return std::nullopt;
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    const std::string text = AsciiLower(it->get<std::string>());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return std::nullopt;
}

JwtVerifyOptions ForeignTokenOptions(Instant now) {
  JwtVerifyOptions options;
  options.now = now;
  options.leeway = kForeignTokenLeeway;
  options.require_exp = true;
  // Foreign issuers still write the RFC 8037 name for Ed25519.
  options.accept_eddsa_alias = true;
  return options;
}

// ---- OpenID Connect transport -------------------------------------------------------------

Result<HttpClientResponse> Send(EngineContext& ctx, const HttpClientRequest& request) {
  if (ctx.http_client == nullptr) {
    return Status::FailedPrecondition(
        "an OpenID Connect login needs an HttpClient (EngineOptions::http_client)");
  }
  Result<HttpClientResponse> response = [&]() -> Result<HttpClientResponse> {
    try {
      return ctx.http_client->Send(request);
    } catch (...) {
      return Status::Internal("the HttpClient threw");
    }
  }();
  if (!response.ok()) {
    ctx.Log(LogLevel::kWarning, "an identity provider could not be reached: " + request.url + " (" +
                                    std::string(StatusCodeName(response.status().code())) + ")");
    return Status::Unavailable("the identity provider could not be reached");
  }
  return response;
}

// The JSON object of a 200 response; kUnauthenticated for any other status or body.
Result<nlohmann::json> JsonObjectOf(EngineContext& ctx, const HttpClientResponse& response,
                                    std::string_view what) {
  if (response.status != 200) {
    ctx.Log(LogLevel::kWarning,
            std::string(what) + " answered HTTP " + std::to_string(response.status));
    return Unauthenticated(std::string(what) + " refused the request");
  }
  Result<nlohmann::json> body = ParseJson(response.body, kProviderJsonOptions);
  if (!body.ok() || !body->is_object()) {
    return Unauthenticated(std::string(what) + " answered no JSON object");
  }
  return body;
}

std::string StringMember(const nlohmann::json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// An issuer without trailing slashes, for comparing the configured one with the document's.
std::string_view WithoutTrailingSlash(std::string_view issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return issuer;
}

bool Fresh(Instant fetched_at, Instant now) { return now - fetched_at < kOidcCacheMaxAge; }

Result<EngineContext::OidcEndpoints> Discover(EngineContext& ctx, const std::string& issuer) {
  const Instant now = ctx.Now();
  {
    std::lock_guard<std::mutex> lock(ctx.oidc_cache.mu);
    auto it = ctx.oidc_cache.discovery.find(issuer);
    if (it != ctx.oidc_cache.discovery.end() && Fresh(it->second.fetched_at, now)) {
      return it->second.endpoints;
    }
  }
  const std::string url =
      std::string(WithoutTrailingSlash(issuer)) + "/.well-known/openid-configuration";
  BULWARK_ASSIGN_OR_RETURN(
      HttpClientResponse response,
      Send(ctx, {.method = "GET", .url = url, .headers = {{"Accept", "application/json"}}}));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json document,
                           JsonObjectOf(ctx, response, "the discovery endpoint"));
  EngineContext::OidcEndpoints endpoints{
      .issuer = StringMember(document, "issuer"),
      .authorization_endpoint = StringMember(document, "authorization_endpoint"),
      .token_endpoint = StringMember(document, "token_endpoint"),
      .userinfo_endpoint = StringMember(document, "userinfo_endpoint"),
      .jwks_uri = StringMember(document, "jwks_uri")};
  if (endpoints.token_endpoint.empty()) {
    return Unauthenticated("the discovery document names no token endpoint");
  }
  // OpenID Connect Discovery §4.3: the document's issuer is the configured one.
  if (endpoints.issuer.empty()) endpoints.issuer = issuer;
  if (WithoutTrailingSlash(endpoints.issuer) != WithoutTrailingSlash(issuer)) {
    return Unauthenticated("the discovery document is for another issuer");
  }
  std::lock_guard<std::mutex> lock(ctx.oidc_cache.mu);
  ctx.oidc_cache.discovery.insert_or_assign(issuer, EngineContext::CachedEndpoints{endpoints, now});
  return endpoints;
}

// The provider's JWKS: cached, or fetched (again, when `refresh`).
Result<std::shared_ptr<const VerificationKeySet>> Jwks(EngineContext& ctx, const std::string& uri,
                                                       bool refresh) {
  const Instant now = ctx.Now();
  if (!refresh) {
    std::lock_guard<std::mutex> lock(ctx.oidc_cache.mu);
    auto it = ctx.oidc_cache.jwks.find(uri);
    if (it != ctx.oidc_cache.jwks.end() && Fresh(it->second.fetched_at, now)) {
      return it->second.keys;
    }
  }
  BULWARK_ASSIGN_OR_RETURN(
      HttpClientResponse response,
      Send(ctx, {.method = "GET", .url = uri, .headers = {{"Accept", "application/json"}}}));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json document, JsonObjectOf(ctx, response, "the JWKS"));
  auto keys = std::make_shared<VerificationKeySet>();
  auto list = document.find("keys");
  if (list != document.end() && list->is_array()) {
    for (const nlohmann::json& jwk : *list) {
      // Encryption keys and kinds bulwark cannot verify with are skipped, not fatal.
      Result<Key> key = KeyFromJwk(jwk);
      if (!key.ok()) continue;
      Result<VerificationKey> verifier = VerificationKey::FromKey(*key);
      if (verifier.ok()) keys->Add(*std::move(verifier));
    }
  }
  std::shared_ptr<const VerificationKeySet> shared = std::move(keys);
  std::lock_guard<std::mutex> lock(ctx.oidc_cache.mu);
  ctx.oidc_cache.jwks.insert_or_assign(uri, EngineContext::CachedJwks{shared, now});
  return shared;
}

struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
};

ClientCredentials CredentialsFor(const IdentityProvider& provider,
                                 const OpenIdConnectConfiguration& config,
                                 ApplicationId application_id) {
  ClientCredentials out{config.oauth2.client_id, config.oauth2.client_secret};
  auto app = provider.application_configuration.find(application_id);
  if (app == provider.application_configuration.end()) return out;
  const nlohmann::json& overrides = app->second.overrides;
  auto oauth2 = overrides.find("oauth2");
  if (oauth2 == overrides.end() || !oauth2->is_object()) return out;
  if (std::string id = StringMember(*oauth2, "client_id"); !id.empty()) out.client_id = id;
  if (std::string secret = StringMember(*oauth2, "client_secret"); !secret.empty()) {
    out.client_secret = secret;
  }
  return out;
}

std::string BasicCredentials(const ClientCredentials& credentials) {
  // RFC 6749 §2.3.1: each part form-urlencoded before Base64.
  auto encode = [](const std::string& text) {
    std::string encoded = FormUrlEncode({{text, ""}});
    encoded.pop_back();  // the '=' of the empty value
    return encoded;
  };
  const std::string pair = encode(credentials.client_id) + ":" + encode(credentials.client_secret);
  return "Basic " + Base64Encode(std::span<const std::uint8_t>(
                        reinterpret_cast<const std::uint8_t*>(pair.data()), pair.size()));
}

Result<Jwt> VerifyIdToken(EngineContext& ctx, std::string_view id_token,
                          const ClientCredentials& credentials, const std::string& issuer,
                          const std::string& jwks_uri, bool token_endpoint_is_https) {
  Result<Jwt> unverified = DecodeJwtUnverified(id_token);
  if (!unverified.ok()) return Unauthenticated("the id_token is malformed");
  JwtVerifyOptions options = ForeignTokenOptions(ctx.Now());
  options.audiences = {credentials.client_id};
  options.issuer = issuer;
  const std::string alg = StringMember(unverified->header, "alg");
  if (alg == "HS256" || alg == "HS384" || alg == "HS512") {
    // OpenID Connect Core §10.1: the client secret's octets are the MAC key.
    Key secret_key;
    secret_key.type = KeyType::kHmac;
    BULWARK_ASSIGN_OR_RETURN(secret_key.algorithm, ParseKeyAlgorithm(alg));
    secret_key.secret = SecretString(credentials.client_secret);
    Result<VerificationKey> key = VerificationKey::FromKey(secret_key);
    if (!key.ok()) return Unauthenticated("the client secret cannot verify the id_token");
    Result<Jwt> jwt = VerifyJwt(id_token, *key, options);
    if (!jwt.ok()) return Unauthenticated("the id_token does not verify");
    return jwt;
  }
  if (jwks_uri.empty()) {
    // No JWKS to check the signature with: OpenID Connect Core §3.1.3.7 (6) lets the TLS
    // connection to the token endpoint stand for it — only over https. The claims are
    // checked as for a signed token.
    if (!token_endpoint_is_https) {
      ctx.Log(LogLevel::kWarning,
              "an id_token without a JWKS to verify it came over plain http; refused");
      return Unauthenticated("the id_token cannot be verified");
    }
    if (!CheckJwtClaims(unverified->claims, options).ok()) {
      return Unauthenticated("the id_token's claims are not acceptable");
    }
    return unverified;
  }
  const std::string kid = StringMember(unverified->header, "kid");
  for (const bool refresh : {false, true}) {
    BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const VerificationKeySet> keys,
                             Jwks(ctx, jwks_uri, refresh));
    Result<Jwt> jwt = VerifyJwt(id_token, *keys, options);
    if (jwt.ok()) return jwt;
    // An unknown kid may be a key the provider rotated in since the JWKS was fetched: fetch
    // it once more, then give up.
    if (JwtErrorOf(jwt.status()) != JwtError::kUnknownKey) break;
  }
  return Unauthenticated("the id_token does not verify");
}

}  // namespace

AuthenticationType AuthenticationTypeOf(IdentityProviderType type) {
  return type == IdentityProviderType::kOpenIdConnect ? AuthenticationType::kOpenIdConnect
                                                      : AuthenticationType::kFederatedJwt;
}

std::optional<std::int64_t> LinkLimit(const IdentityProvider& provider, TenantId tenant_id) {
  auto it = provider.tenant_configuration.find(tenant_id);
  if (it == provider.tenant_configuration.end() || !it->second.limit_user_link_count_enabled) {
    return std::nullopt;
  }
  return it->second.limit_user_link_count_maximum_links;
}

Result<ExternalIdentity> IdentityFromClaims(nlohmann::json claims,
                                            const IdentityProviderOAuth2Configuration& names) {
  ExternalIdentity identity;
  std::optional<std::string> unique = ClaimText(claims, names.unique_id_claim);
  if (!unique.has_value() || unique->empty()) {
    return Unauthenticated("the identity has no unique id claim (" + names.unique_id_claim + ")");
  }
  identity.unique_id = *std::move(unique);
  identity.email = ClaimText(claims, names.email_claim).value_or("");
  identity.email_verified = ClaimBool(claims, names.email_verified_claim);
  identity.username = ClaimText(claims, names.username_claim).value_or("");
  identity.claims = std::move(claims);
  return identity;
}

bool EmailInDomains(const IdentityProvider& provider, std::string_view email) {
  if (provider.domains.empty() || email.empty()) return true;
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view domain = email.substr(at + 1);
  for (const std::string& managed : provider.domains) {
    if (CaseFoldEquals(managed, domain)) return true;
  }
  return false;
}

Result<ExternalIdentity> VerifyExternalJwt(EngineContext& ctx,
                                           const ExternalJwtConfiguration& config,
                                           std::string_view token) {
  Result<Jwt> unverified = DecodeJwtUnverified(token);
  if (!unverified.ok()) return Unauthenticated("the token is malformed");
  std::vector<KeyId> key_ids = config.verification_key_ids;
  if (key_ids.empty() && config.default_key_id.has_value())
    key_ids.push_back(*config.default_key_id);
  const std::string parameter =
      config.header_key_parameter.empty() ? std::string("kid") : config.header_key_parameter;
  const std::string named = StringMember(unverified->header, parameter);
  std::optional<VerificationKey> chosen;
  for (const KeyId& id : key_ids) {
    Result<ForeignVerificationKey> key = ctx.signing_keys.ForVerification(ctx, id);
    if (!key.ok()) {
      if (key.status().code() == StatusCode::kNotFound ||
          key.status().code() == StatusCode::kFailedPrecondition) {
        continue;  // a key deleted or unusable since the provider was saved
      }
      return key.status();
    }
    if (named.empty()) {
      if (key_ids.size() == 1) chosen = key->key;
      break;
    }
    const bool match = parameter == "x5t"
                           ? (!key->x5t.empty() ? key->x5t == named : key->kid == named)
                           : key->kid == named;
    if (match) {
      chosen = key->key;
      break;
    }
  }
  if (!chosen.has_value()) return Unauthenticated("no verification key of the provider matches");
  // The key is chosen already (by kid, x5t, ...): the header's kid need not be Key Master's.
  const VerificationKey key = *std::move(chosen);
  Result<Jwt> jwt = VerifyJwt(
      token, [&key](std::string_view) -> Result<VerificationKey> { return key; },
      ForeignTokenOptions(ctx.Now()));
  if (!jwt.ok()) {
    const std::optional<JwtError> error = JwtErrorOf(jwt.status());
    return Unauthenticated(error.has_value()
                               ? "the token was refused: " + std::string(ToString(*error))
                               : std::string("the token was refused"));
  }
  nlohmann::json claims = jwt->claims.ToJson();
  IdentityProviderOAuth2Configuration names = config.oauth2;
  // The deprecated uniqueIdentityClaim still names the unique id when the token lacks the
  // configured one.
  if (!config.unique_identity_claim.empty() && !claims.contains(names.unique_id_claim)) {
    names.unique_id_claim = config.unique_identity_claim;
  }
  BULWARK_ASSIGN_OR_RETURN(ExternalIdentity identity, IdentityFromClaims(std::move(claims), names));
  identity.token = std::string(token);
  identity.authentication_type = AuthenticationTypeOf(IdentityProviderType::kExternalJwt);
  return identity;
}

Result<ExternalIdentity> VerifyOpenIdConnect(EngineContext& ctx, const IdentityProvider& provider,
                                             const OpenIdConnectConfiguration& config,
                                             ApplicationId application_id, std::string_view code,
                                             std::string_view redirect_uri) {
  const IdentityProviderOAuth2Configuration& oauth2 = config.oauth2;
  EngineContext::OidcEndpoints endpoints{.issuer = oauth2.issuer,
                                         .authorization_endpoint = oauth2.authorization_endpoint,
                                         .token_endpoint = oauth2.token_endpoint,
                                         .userinfo_endpoint = oauth2.userinfo_endpoint,
                                         .jwks_uri = {}};
  if (!oauth2.issuer.empty()) {
    // The id_token's iss must then be the document's issuer (the configured one, up to a
    // trailing slash).
    BULWARK_ASSIGN_OR_RETURN(endpoints, Discover(ctx, oauth2.issuer));
  }
  if (endpoints.token_endpoint.empty()) {
    return Status::FailedPrecondition("the identity provider has no token endpoint");
  }
  const ClientCredentials credentials = CredentialsFor(provider, config, application_id);

  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "authorization_code"},
      {"code", std::string(code)},
      {"redirect_uri", std::string(redirect_uri)}};
  HttpClientRequest request{.method = "POST",
                            .url = endpoints.token_endpoint,
                            .headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                        {"Accept", "application/json"}}};
  switch (oauth2.client_authentication_method) {
    case ClientAuthenticationMethod::kClientSecretBasic:
      request.headers.emplace_back("Authorization", BasicCredentials(credentials));
      break;
    case ClientAuthenticationMethod::kClientSecretPost:
      form.emplace_back("client_id", credentials.client_id);
      form.emplace_back("client_secret", credentials.client_secret);
      break;
    case ClientAuthenticationMethod::kNone:
      form.emplace_back("client_id", credentials.client_id);
      break;
  }
  request.body = FormUrlEncode(form);
  BULWARK_ASSIGN_OR_RETURN(HttpClientResponse token_response, Send(ctx, request));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json tokens,
                           JsonObjectOf(ctx, token_response, "the token endpoint"));
  const std::string access_token = StringMember(tokens, "access_token");
  const std::string id_token = StringMember(tokens, "id_token");

  nlohmann::json claims = nlohmann::json::object();
  if (!id_token.empty()) {
    BULWARK_ASSIGN_OR_RETURN(
        Jwt jwt, VerifyIdToken(ctx, id_token, credentials, endpoints.issuer, endpoints.jwks_uri,
                               endpoints.token_endpoint.rfind("https://", 0) == 0));
    claims = jwt.claims.ToJson();
  } else if (endpoints.userinfo_endpoint.empty()) {
    return Unauthenticated("the token endpoint returned no id_token and there is no userinfo");
  }
  if (!endpoints.userinfo_endpoint.empty()) {
    if (access_token.empty()) return Unauthenticated("the token endpoint returned no access_token");
    BULWARK_ASSIGN_OR_RETURN(HttpClientResponse userinfo_response,
                             Send(ctx, {.method = "GET",
                                        .url = endpoints.userinfo_endpoint,
                                        .headers = {{"Authorization", "Bearer " + access_token},
                                                    {"Accept", "application/json"}}}));
    BULWARK_ASSIGN_OR_RETURN(nlohmann::json userinfo,
                             JsonObjectOf(ctx, userinfo_response, "the userinfo endpoint"));
    // OpenID Connect Core §5.3.2: userinfo must describe the id_token's subject.
    if (!id_token.empty() && (!userinfo.contains("sub") || !claims.contains("sub") ||
                              userinfo["sub"] != claims["sub"])) {
      return Unauthenticated("userinfo does not describe the id_token's subject");
    }
    for (auto& [name, value] : userinfo.items()) claims[name] = value;
  }
  BULWARK_ASSIGN_OR_RETURN(ExternalIdentity identity,
                           IdentityFromClaims(std::move(claims), oauth2));
  identity.token = id_token;
  identity.authentication_type = AuthenticationTypeOf(IdentityProviderType::kOpenIdConnect);
  return identity;
}

}  // namespace bulwark::internal
