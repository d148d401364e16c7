// SPDX-License-Identifier: Apache-2.0
// An Engine (EngineFixture) wired for federation: a FakeHttpClient, registered reconcile
// callbacks, a TestIssuer whose key is imported into Key Master, and helpers that create an
// application and an ExternalJWT provider enabled for it.
#ifndef BULWARK_TESTS_UNIT_ENGINE_FEDERATION_FIXTURE_H_
#define BULWARK_TESTS_UNIT_ENGINE_FEDERATION_FIXTURE_H_

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/testing/fake_http_client.h"
#include "bulwark/testing/status_matchers.h"
#include "bulwark/testing/test_issuer.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark::test {

struct FederationFixture : EngineFixture {
  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
  std::map<LambdaId, ReconcileFn> reconcile_lambdas;
  std::unique_ptr<testing::TestIssuer> issuer;
  Key issuer_key;  // as imported into Key Master
  Application app;

  explicit FederationFixture(const std::string& path = ":memory:",
                             KeyAlgorithm algorithm = KeyAlgorithm::kEs256)
      : EngineFixture(path) {
    issuer = std::make_unique<testing::TestIssuer>(
        testing::TestIssuer::Create(
            {.issuer = "https://idp.piedpiper.test", .algorithm = algorithm, .clock = clock})
            .value());
    Reopen();
    Key key = issuer->verification_key();
    key.name = "Pied Piper IdP";
    issuer_key = REQUIRE_VALUE(engine->keys().Import(key));
    app = MakeApp();
  }

  // Opens the Engine again on the same store with the fixture's callbacks and HttpClient.
  void Reopen() {
    EngineOptions options = Options();
    options.http_client = http;
    options.reconcile_lambdas = reconcile_lambdas;
    engine = REQUIRE_VALUE(Engine::Open(std::move(options)));
  }

  // An enabled ExternalJWT provider for `app` verified by the issuer's key.
  IdentityProvider ExternalJwtProvider(LinkingStrategy strategy = LinkingStrategy::kLinkByEmail,
                                       std::string name = "Pied Piper IdP") {
    IdentityProvider provider;
    provider.name = std::move(name);
    provider.type = IdentityProviderType::kExternalJwt;
    provider.enabled = true;
    provider.linking_strategy = strategy;
    ExternalJwtConfiguration config;
    config.header_key_parameter = "kid";
    config.verification_key_ids = {issuer_key.id};
    provider.config = config;
    provider.application_configuration[app.id] = {.enabled = true, .create_registration = true};
    return provider;
  }

  IdentityProvider CreateProvider(IdentityProvider provider) {
    Result<IdentityProvider> created = engine->identity_providers().Create(std::move(provider));
    if (!created.ok()) throw std::runtime_error("provider: " + created.status().ToString());
    return *created;
  }

  std::string Mint(nlohmann::json claims) { return REQUIRE_VALUE(issuer->Mint(std::move(claims))); }

  Result<LoginResponse> LoginWith(const IdentityProvider& provider, const std::string& token,
                                  bool no_link = false) {
    IdentityProviderLoginRequest request;
    request.application_id = app.id;
    request.identity_provider_id = provider.id;
    request.data["token"] = token;
    request.no_link = no_link;
    request.ip_address = "203.0.113.7";
    return engine->identity_providers().Login(request);
  }
};

}  // namespace bulwark::test

#endif  // BULWARK_TESTS_UNIT_ENGINE_FEDERATION_FIXTURE_H_
