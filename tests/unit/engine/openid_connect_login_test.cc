// SPDX-License-Identifier: Apache-2.0
// The login through an OpenIDConnect provider, played by testing::FakeOpenIdProvider over
// testing::FakeHttpClient: code exchange, id_token verification, userinfo, discovery, JWKS.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bulwark/http_client.h"
#include "bulwark/testing/fake_openid_provider.h"
#include "bulwark/testing/status_matchers.h"
#include "crypto/base64.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;

constexpr const char* kRedirect = "https://app.piedpiper.test/callback";

struct OidcFixture : FederationFixture {
  std::unique_ptr<testing::FakeOpenIdProvider> op;

  explicit OidcFixture(testing::FakeOpenIdProviderOptions options = {}) {
    options.clock = clock;
    op = REQUIRE_VALUE(testing::FakeOpenIdProvider::Create(*http, std::move(options)));
  }

  // A provider configured with explicit endpoints, or with the issuer for discovery.
  IdentityProvider Provider(bool discovery, ClientAuthenticationMethod method) {
    IdentityProvider provider;
    provider.name = "Hooli";
    provider.type = IdentityProviderType::kOpenIdConnect;
    provider.enabled = true;
    OpenIdConnectConfiguration config;
    config.button_text = "Log in with Hooli";
    config.oauth2.client_id = "bulwark-client";
    config.oauth2.client_secret = "bulwark-secret";
    config.oauth2.client_authentication_method = method;
    if (discovery) {
      config.oauth2.issuer = op->issuer();
    } else {
      config.oauth2.authorization_endpoint = op->authorization_endpoint();
      config.oauth2.token_endpoint = op->token_endpoint();
      config.oauth2.userinfo_endpoint = op->userinfo_endpoint();
    }
    provider.config = config;
    provider.application_configuration[app.id] = {.enabled = true};
    return CreateProvider(provider);
  }

  Result<LoginResponse> LoginWithCode(const IdentityProvider& provider, const std::string& code,
                                      const std::string& redirect = kRedirect) {
    IdentityProviderLoginRequest request;
    request.application_id = app.id;
    request.identity_provider_id = provider.id;
    request.data["code"] = code;
    request.data["redirect_uri"] = redirect;
    return engine->identity_providers().Login(request);
  }
};

nlohmann::json Gilfoyle() {
  return {{"sub", "gilfoyle-7"},
          {"email", "gilfoyle@piedpiper.com"},
          {"email_verified", true},
          {"preferred_username", "gilfoyle"}};
}

TEST_CASE("an OpenID Connect login exchanges the code with each client authentication",
          "[engine][oidc]") {
  for (ClientAuthenticationMethod method :
       {ClientAuthenticationMethod::kClientSecretBasic,
        ClientAuthenticationMethod::kClientSecretPost, ClientAuthenticationMethod::kNone}) {
    INFO("method " << ToString(method));
    OidcFixture f({.client_authentication_method = method});
    IdentityProvider provider = f.Provider(/*discovery=*/false, method);
    const std::string code = f.op->IssueCode(kRedirect, Gilfoyle());
    Result<LoginResponse> r = f.LoginWithCode(provider, code);
    REQUIRE_OK(r);
    REQUIRE(r->outcome == LoginOutcome::kSuccess);
    CHECK(r->user->email == "gilfoyle@piedpiper.com");
    CHECK(REQUIRE_VALUE(f.engine->tokens().Validate(r->token))["authenticationType"] ==
          "OPENID_CONNECT");
    // What went over the wire.
    std::vector<HttpClientRequest> sent = f.http->requests();
    const HttpClientRequest* token_request = nullptr;
    for (const auto& request : sent) {
      if (request.url == f.op->token_endpoint()) token_request = &request;
    }
    REQUIRE(token_request != nullptr);
    CHECK(token_request->method == "POST");
    CHECK(FindHeader(token_request->headers, "content-type") ==
          "application/x-www-form-urlencoded");
    CHECK(token_request->body.find("grant_type=authorization_code") != std::string::npos);
    CHECK(token_request->body.find("redirect_uri=https%3A%2F%2Fapp.piedpiper.test%2Fcallback") !=
          std::string::npos);
    const auto authorization = FindHeader(token_request->headers, "Authorization");
    if (method == ClientAuthenticationMethod::kClientSecretBasic) {
      const std::string expected = "bulwark-client:bulwark-secret";
      REQUIRE(authorization.has_value());
      auto decoded = internal::Base64Decode(authorization->substr(6));
      REQUIRE_OK(decoded);
      CHECK(std::string(decoded->begin(), decoded->end()) == expected);
      CHECK(token_request->body.find("client_secret") == std::string::npos);
    } else {
      CHECK_FALSE(authorization.has_value());
      CHECK(token_request->body.find("client_id=bulwark-client") != std::string::npos);
      CHECK((token_request->body.find("client_secret=bulwark-secret") != std::string::npos) ==
            (method == ClientAuthenticationMethod::kClientSecretPost));
    }
    // A code works once.
    CHECK(f.LoginWithCode(provider, code)->outcome == LoginOutcome::kUnauthorized);
  }
}

TEST_CASE("userinfo claims win over the id_token's", "[engine][oidc]") {
  OidcFixture f;
  IdentityProvider provider = f.Provider(false, ClientAuthenticationMethod::kClientSecretBasic);
  nlohmann::json userinfo = Gilfoyle();
  userinfo["email"] = "bertram@piedpiper.com";
  Result<LoginResponse> r =
      f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle(), userinfo));
  REQUIRE_OK(r);
  CHECK(r->user->email == "bertram@piedpiper.com");

  SECTION("userinfo about another subject is refused") {
    nlohmann::json other = Gilfoyle();
    other["sub"] = "dinesh-1";
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle(), other))->outcome ==
          LoginOutcome::kUnauthorized);
  }
}

TEST_CASE("endpoints are discovered from the issuer and cached", "[engine][oidc]") {
  OidcFixture f;
  IdentityProvider provider =
      f.Provider(/*discovery=*/true, ClientAuthenticationMethod::kClientSecretBasic);
  const std::string discovery = f.op->issuer() + "/.well-known/openid-configuration";
  REQUIRE(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
          LoginOutcome::kSuccess);
  REQUIRE(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
          LoginOutcome::kSuccess);
  CHECK(f.http->CountRequests("GET", discovery) == 1);
  CHECK(f.http->CountRequests("GET", f.op->jwks_uri()) == 1);
  CHECK(f.http->CountRequests("POST", f.op->token_endpoint()) == 2);
  CHECK(f.http->CountRequests("GET", f.op->userinfo_endpoint()) == 2);
}

TEST_CASE("the JWKS is fetched again once for an unknown kid", "[engine][oidc][security]") {
  OidcFixture f;
  IdentityProvider provider = f.Provider(true, ClientAuthenticationMethod::kClientSecretBasic);
  REQUIRE(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
          LoginOutcome::kSuccess);
  REQUIRE_OK(f.op->signer().Rotate());
  REQUIRE(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
          LoginOutcome::kSuccess);
  CHECK(f.http->CountRequests("GET", f.op->jwks_uri()) == 2);

  SECTION("a kid the provider does not publish fails after one refetch") {
    // The provider signs with a key it no longer publishes.
    REQUIRE_OK(f.op->signer().Rotate(/*keep_old=*/false));
    f.http->On("GET", f.op->jwks_uri(),
               HttpClientResponse{.status = 200, .body = R"({"keys":[]})"});
    f.http->ClearRequests();
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
          LoginOutcome::kUnauthorized);
    CHECK(f.http->CountRequests("GET", f.op->jwks_uri()) == 1);
  }
}

TEST_CASE("id_tokens signed with the client secret verify", "[engine][oidc]") {
  OidcFixture f({.client_secret = "a-client-secret-of-at-least-32-bytes!",
                 .algorithm = KeyAlgorithm::kHs256});
  IdentityProvider provider = f.Provider(false, ClientAuthenticationMethod::kClientSecretBasic);
  auto& config = std::get<OpenIdConnectConfiguration>(provider.config);
  config.oauth2.client_secret = "a-client-secret-of-at-least-32-bytes!";
  provider = REQUIRE_VALUE(f.engine->identity_providers().Update(provider));
  CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
        LoginOutcome::kSuccess);
}

TEST_CASE("an id_token nobody can verify is refused over plain http", "[engine][oidc][security]") {
  OidcFixture f({.issuer = "http://op.test"});
  IdentityProvider provider =
      f.Provider(/*discovery=*/false, ClientAuthenticationMethod::kClientSecretBasic);
  CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
        LoginOutcome::kUnauthorized);
}

TEST_CASE("a discovery document for another issuer is refused", "[engine][oidc][security]") {
  OidcFixture f;
  IdentityProvider provider = f.Provider(true, ClientAuthenticationMethod::kClientSecretBasic);
  f.http->On(
      "GET", f.op->discovery_url(),
      HttpClientResponse{.status = 200,
                               .body = nlohmann::json{{"issuer", "https://evil.test"},
                                                      {"token_endpoint", f.op->token_endpoint()},
                                                      {"jwks_uri", f.op->jwks_uri()}}
                                           .dump()});
  CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
        LoginOutcome::kUnauthorized);
}

TEST_CASE("OpenID Connect failures", "[engine][oidc][security]") {
  OidcFixture f;
  IdentityProvider provider = f.Provider(true, ClientAuthenticationMethod::kClientSecretBasic);

  SECTION("a wrong client secret is refused by the token endpoint: 401") {
    auto& config = std::get<OpenIdConnectConfiguration>(provider.config);
    config.oauth2.client_secret = "wrong";
    provider = REQUIRE_VALUE(f.engine->identity_providers().Update(provider));
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()))->outcome ==
          LoginOutcome::kUnauthorized);
  }
  SECTION("a redirect_uri other than the code's: 401") {
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle()),
                          "https://evil.test/callback")
              ->outcome == LoginOutcome::kUnauthorized);
  }
  SECTION("an id_token for another audience: 401") {
    nlohmann::json claims = Gilfoyle();
    claims["aud"] = "someone-else";
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, claims))->outcome ==
          LoginOutcome::kUnauthorized);
  }
  SECTION("an id_token from another issuer: 401") {
    nlohmann::json claims = Gilfoyle();
    claims["iss"] = "https://evil.test";
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, claims))->outcome ==
          LoginOutcome::kUnauthorized);
  }
  SECTION("an expired id_token: 401") {
    nlohmann::json claims = Gilfoyle();
    claims["exp"] = ToEpochMillis(f.clock->Now()) / 1000 - 3600;
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, claims))->outcome ==
          LoginOutcome::kUnauthorized);
  }
  SECTION("an unreachable provider is kUnavailable") {
    f.http->FailTransport(f.op->token_endpoint());
    CHECK(f.LoginWithCode(provider, f.op->IssueCode(kRedirect, Gilfoyle())).status().code() ==
          StatusCode::kUnavailable);
  }
  SECTION("no code is a field error") {
    CHECK(f.LoginWithCode(provider, "").status().errors().HasField("blank", "data.code"));
  }
  SECTION("without an HttpClient the login cannot run") {
    EngineOptions options = f.Options();
    options.reconcile_lambdas = f.reconcile_lambdas;
    f.engine = REQUIRE_VALUE(Engine::Open(std::move(options)));
    CHECK(f.LoginWithCode(provider, "some-code").status().code() ==
          StatusCode::kFailedPrecondition);
  }
  CHECK(f.engine->users()
            .RetrieveByEmail(f.default_tenant(), "gilfoyle@piedpiper.com")
            .status()
            .code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace bulwark
