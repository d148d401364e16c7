// SPDX-License-Identifier: Apache-2.0
#include "bulwark/testing/fake_openid_provider.h"

#include <map>
#include <mutex>
#include <string_view>
#include <utility>

#include "bulwark/random.h"
#include "core/ascii.h"
#include "testing/form_codec.h"

namespace bulwark::testing {
namespace {

constexpr std::int64_t kAccessTokenSeconds = 3600;

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpClientResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpClientResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json;charset=UTF-8"}};
  response.body = Dump(body);
  return response;
}

// RFC 6749 §5.2.
HttpClientResponse OAuthError(int status, std::string_view error,
                                    std::string_view description) {
  HttpClientResponse response =
      JsonResponse(status, {{"error", error}, {"error_description", description}});
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Pragma", "no-cache");
  return response;
}

HttpClientResponse NotFound() {
  HttpClientResponse response;
  response.status = 404;
  return response;
}

// The media type of a Content-Type value, parameters and case aside.
bool IsFormContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  return bulwark::internal::AsciiEqualsIgnoreCase(media, "application/x-www-form-urlencoded");
}

using Params = std::map<std::string, std::string, std::less<>>;

const std::string* Param(const Params& params, std::string_view name) {
  const auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

}  // namespace

struct FakeOpenIdProvider::State {
  struct Grant {
    std::string redirect_uri;
    nlohmann::json id_token_claims;
    nlohmann::json userinfo_claims;
    bool used = false;
    std::string access_token = {};  // set by the exchange
  };

  State(FakeOpenIdProviderOptions o, TestIssuer s) : options(std::move(o)), signer(std::move(s)) {}

  std::string Url(std::string_view path) const { return options.issuer + std::string(path); }

  HttpClientResponse Discovery() const;
  HttpClientResponse Jwks() const;
  HttpClientResponse Token(const HttpClientRequest& request);
  HttpClientResponse Userinfo(const HttpClientRequest& request);
  std::optional<HttpClientResponse> AuthenticateClient(const HttpClientRequest& request,
                                                             const Params& params) const;

  const FakeOpenIdProviderOptions options;
  TestIssuer signer;
  std::mutex mu;
  std::map<std::string, Grant> codes;                   // guarded by mu
  std::map<std::string, nlohmann::json> access_tokens;  // guarded by mu; token -> userinfo
};

HttpClientResponse FakeOpenIdProvider::State::Discovery() const {
  nlohmann::json doc = {
      {"issuer", options.issuer},
      {"authorization_endpoint", Url("/oauth2/authorize")},
      {"token_endpoint", Url("/oauth2/token")},
      {"jwks_uri", Url("/.well-known/jwks.json")},
      {"response_types_supported", {"code"}},
      {"subject_types_supported", {"public"}},
      {"id_token_signing_alg_values_supported", {std::string(ToString(options.algorithm))}},
      {"token_endpoint_auth_methods_supported",
       {std::string(ToString(options.client_authentication_method))}}};
  if (options.serve_userinfo) doc["userinfo_endpoint"] = Url("/oauth2/userinfo");
  return JsonResponse(200, doc);
}

HttpClientResponse FakeOpenIdProvider::State::Jwks() const {
  return JsonResponse(200, signer.Jwks());
}

std::optional<HttpClientResponse> FakeOpenIdProvider::State::AuthenticateClient(
    const HttpClientRequest& request, const Params& params) const {
  const std::optional<std::string_view> authorization =
      FindHeader(request.headers, "Authorization");
  const std::string* body_id = Param(params, "client_id");
  const std::string* body_secret = Param(params, "client_secret");
  const bool basic =
      options.client_authentication_method == ClientAuthenticationMethod::kClientSecretBasic;
  auto invalid_client = [&](std::string_view description) {
    HttpClientResponse response = OAuthError(401, "invalid_client", description);
    if (basic || authorization.has_value()) {
      response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"" + options.issuer + "\"");
    }
    return response;
  };

  if (authorization.has_value() && body_secret != nullptr) {
    return OAuthError(400, "invalid_request", "more than one client authentication method");
  }
  if (body_id != nullptr && *body_id != options.client_id) {
    return invalid_client("unknown client_id");
  }
  switch (options.client_authentication_method) {
    case ClientAuthenticationMethod::kClientSecretBasic: {
      if (!authorization.has_value()) return invalid_client("client_secret_basic is required");
      const std::optional<detail::BasicCredentials> credentials =
          detail::ParseBasicAuthorization(*authorization);
      if (!credentials.has_value()) return invalid_client("malformed Basic credentials");
      if (credentials->user != options.client_id ||
          credentials->password != options.client_secret) {
        return invalid_client("client authentication failed");
      }
      return std::nullopt;
    }
    case ClientAuthenticationMethod::kClientSecretPost:
      if (authorization.has_value()) return invalid_client("client_secret_post is required");
      if (body_id == nullptr || body_secret == nullptr) {
        return invalid_client("client_id and client_secret are required in the body");
      }
      if (*body_secret != options.client_secret) {
        return invalid_client("client authentication failed");
      }
      return std::nullopt;
    case ClientAuthenticationMethod::kNone:
      if (authorization.has_value() || body_secret != nullptr) {
        return invalid_client("the client is public: no secret");
      }
      if (body_id == nullptr) return invalid_client("client_id is required");
      return std::nullopt;
  }
  return invalid_client("unsupported client authentication method");
}

HttpClientResponse FakeOpenIdProvider::State::Token(const HttpClientRequest& request) {
  const std::optional<std::string_view> content_type =
      FindHeader(request.headers, "Content-Type");
  if (!content_type.has_value() || !IsFormContentType(*content_type)) {
    return OAuthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  }
  const std::optional<detail::FormFields> fields = detail::FormUrlDecode(request.body);
  if (!fields.has_value()) return OAuthError(400, "invalid_request", "malformed form body");
  Params params;
  for (const auto& [name, value] : *fields) {
    if (!params.emplace(name, value).second) {
      return OAuthError(400, "invalid_request", "repeated parameter: " + name);
    }
  }
  const std::string* grant_type = Param(params, "grant_type");
  if (grant_type == nullptr) return OAuthError(400, "invalid_request", "grant_type is required");
  if (std::optional<HttpClientResponse> refused = AuthenticateClient(request, params)) {
    return *refused;
  }
  if (*grant_type != "authorization_code") {
    return OAuthError(400, "unsupported_grant_type", "only authorization_code is supported");
  }
  const std::string* code = Param(params, "code");
  const std::string* redirect_uri = Param(params, "redirect_uri");
  if (code == nullptr || redirect_uri == nullptr) {
    return OAuthError(400, "invalid_request", "code and redirect_uri are required");
  }

  nlohmann::json claims;
  std::string access_token;
  {
    std::lock_guard<std::mutex> lock(mu);
    const auto grant = codes.find(*code);
    if (grant == codes.end()) return OAuthError(400, "invalid_grant", "unknown code");
    if (grant->second.used) {
      // RFC 6749 §4.1.2: a code used twice revokes what it produced.
      access_tokens.erase(grant->second.access_token);
      return OAuthError(400, "invalid_grant", "the code was already used");
    }
    grant->second.used = true;
    if (grant->second.redirect_uri != *redirect_uri) {
      return OAuthError(400, "invalid_grant", "redirect_uri does not match the code's");
    }
    Result<std::string> token = detail::RandomHex(Random::Default(), 32);
    if (!token.ok()) return OAuthError(500, "server_error", "no randomness");
    access_token = *token;
    grant->second.access_token = access_token;
    access_tokens[access_token] = grant->second.userinfo_claims;
    claims = grant->second.id_token_claims;
  }
  if (claims.is_object() && !claims.contains("aud")) claims["aud"] = options.client_id;
  Result<std::string> id_token = signer.Mint(std::move(claims));
  if (!id_token.ok()) {
    return OAuthError(500, "server_error", "the id_token could not be signed");
  }
  HttpClientResponse response = JsonResponse(200, {{"access_token", access_token},
                                                         {"token_type", "Bearer"},
                                                         {"expires_in", kAccessTokenSeconds},
                                                         {"id_token", *id_token}});
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Pragma", "no-cache");
  return response;
}

HttpClientResponse FakeOpenIdProvider::State::Userinfo(
    const HttpClientRequest& request) {
  const std::optional<std::string_view> authorization =
      FindHeader(request.headers, "Authorization");
  const std::optional<std::string> token =
      authorization ? detail::ParseBearerAuthorization(*authorization) : std::nullopt;
  if (!token.has_value()) {
    HttpClientResponse response;
    response.status = 401;
    response.headers = {{"WWW-Authenticate", "Bearer"}};
    return response;
  }
  nlohmann::json claims;
  {
    std::lock_guard<std::mutex> lock(mu);
    const auto it = access_tokens.find(*token);
    if (it == access_tokens.end()) {
      HttpClientResponse response;
      response.status = 401;
      response.headers = {{"WWW-Authenticate",
                           "Bearer error=\"invalid_token\", "
                           "error_description=\"unknown access token\""}};
      return response;
    }
    claims = it->second;
  }
  return JsonResponse(200, claims);
}

Result<std::unique_ptr<FakeOpenIdProvider>> FakeOpenIdProvider::Create(
    FakeHttpClient& client, FakeOpenIdProviderOptions options) {
  TestIssuerOptions signer_options{.issuer = options.issuer,
                                   .algorithm = options.algorithm,
                                   .clock = options.clock,
                                   .lifetime = std::chrono::hours(1),
                                   .hmac_secret = {},
                                   .with_certificate = true};
  const bool hmac = options.algorithm == KeyAlgorithm::kHs256 ||
                    options.algorithm == KeyAlgorithm::kHs384 ||
                    options.algorithm == KeyAlgorithm::kHs512;
  if (hmac) {
    if (options.client_secret.empty()) {
      return Status::InvalidArgument("FakeOpenIdProvider: HS* id_tokens need a client_secret");
    }
    signer_options.hmac_secret = options.client_secret;
  }
  BULWARK_ASSIGN_OR_RETURN(TestIssuer signer, TestIssuer::Create(std::move(signer_options)));
  auto state = std::make_shared<State>(std::move(options), std::move(signer));
  const std::weak_ptr<State> weak = state;

  client.On("GET", state->Url("/.well-known/openid-configuration"),
            [weak](const HttpClientRequest&) {
              const std::shared_ptr<State> s = weak.lock();
              return s ? s->Discovery() : NotFound();
            });
  client.On("GET", state->Url("/.well-known/jwks.json"), [weak](const HttpClientRequest&) {
    const std::shared_ptr<State> s = weak.lock();
    return s ? s->Jwks() : NotFound();
  });
  client.On("POST", state->Url("/oauth2/token"), [weak](const HttpClientRequest& request) {
    const std::shared_ptr<State> s = weak.lock();
    return s ? s->Token(request) : NotFound();
  });
  if (state->options.serve_userinfo) {
    client.On("GET", state->Url("/oauth2/userinfo"),
              [weak](const HttpClientRequest& request) {
                const std::shared_ptr<State> s = weak.lock();
                return s ? s->Userinfo(request) : NotFound();
              });
  }
  return std::unique_ptr<FakeOpenIdProvider>(new FakeOpenIdProvider(std::move(state)));
}

FakeOpenIdProvider::FakeOpenIdProvider(std::shared_ptr<State> state) : state_(std::move(state)) {}
FakeOpenIdProvider::~FakeOpenIdProvider() = default;

std::string FakeOpenIdProvider::issuer() const { return state_->options.issuer; }
std::string FakeOpenIdProvider::authorization_endpoint() const {
  return state_->Url("/oauth2/authorize");
}
std::string FakeOpenIdProvider::token_endpoint() const { return state_->Url("/oauth2/token"); }
std::string FakeOpenIdProvider::userinfo_endpoint() const {
  return state_->options.serve_userinfo ? state_->Url("/oauth2/userinfo") : std::string();
}
std::string FakeOpenIdProvider::jwks_uri() const { return state_->Url("/.well-known/jwks.json"); }
std::string FakeOpenIdProvider::discovery_url() const {
  return state_->Url("/.well-known/openid-configuration");
}

std::string FakeOpenIdProvider::IssueCode(std::string redirect_uri, nlohmann::json id_token_claims,
                                          std::optional<nlohmann::json> userinfo_claims) {
  nlohmann::json userinfo;
  if (userinfo_claims.has_value()) {
    userinfo = std::move(*userinfo_claims);
  } else {
    userinfo = nlohmann::json::object();
    if (id_token_claims.is_object()) {
      for (auto it = id_token_claims.begin(); it != id_token_claims.end(); ++it) {
        const std::string& name = it.key();
        if (it->is_null() || name == "iss" || name == "aud" || name == "iat" || name == "exp" ||
            name == "nonce") {
          continue;
        }
        userinfo[name] = *it;
      }
    }
  }
  std::string code = detail::RandomHex(Random::Default(), 32).value();
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->codes.emplace(code, State::Grant{.redirect_uri = std::move(redirect_uri),
                                           .id_token_claims = std::move(id_token_claims),
                                           .userinfo_claims = std::move(userinfo)});
  return code;
}

TestIssuer& FakeOpenIdProvider::signer() { return state_->signer; }

}  // namespace bulwark::testing
