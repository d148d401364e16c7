// SPDX-License-Identifier: Apache-2.0
// Logins through an ExternalJWT identity provider beside the cryptography they cannot avoid:
//   Reconcile/NewUser        each login a new identity: verify the ES256 foreign token,
//                            create user, registration and link, sign the access token
//                            (RS256, the default key), one store write;
//   Reconcile/ReturningUser  the same identity again: verify, find the link, update the
//                            link's and the user's login instants, sign;
//   RawVerifyEs256PlusSignRs256  VerifyJwt of the same foreign token plus SignJwt of an
//                            access-token-sized claims set: the floor for both.
// Reported as items (logins) per second; the ratio of a Reconcile time to the raw time is
// what bulwark adds.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwt.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/engine.h"
#include "bulwark/random.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/test_issuer.h"

#include "benchmark_support.h"

namespace {

using namespace bulwark;  // NOLINT: a benchmark file

using bulwark::bench::Die;
using bulwark::bench::Must;

nlohmann::json Claims(std::int64_t n) {
  const std::string id = std::to_string(n);
  return {{"sub", "user-" + id},
          {"email", "user-" + id + "@piedpiper.com"},
          {"email_verified", true},
          {"given_name", "Richard"}};
}

struct FederationWorld {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<testing::TestIssuer> issuer;
  Application app;
  IdentityProvider provider;

  FederationWorld() {
    std::shared_ptr<Store> store = Must(OpenSqliteStore({.path = ":memory:"}), "store");
    engine = Must(Engine::Open({.store = store}), "engine");
    issuer = std::make_unique<testing::TestIssuer>(
        Must(testing::TestIssuer::Create({.algorithm = KeyAlgorithm::kEs256}), "issuer"));
    Key key = issuer->verification_key();
    key.name = "idp";
    key = Must(engine->keys().Import(key), "key");
    Application a;
    a.name = "bench";
    app = Must(engine->applications().Create(a), "application");
    IdentityProvider p;
    p.name = "idp";
    p.type = IdentityProviderType::kExternalJwt;
    p.enabled = true;
    ExternalJwtConfiguration config;
    config.header_key_parameter = "kid";
    config.verification_key_ids = {key.id};
    p.config = config;
    p.application_configuration[app.id] = {.enabled = true};
    provider = Must(engine->identity_providers().Create(p), "provider");
    // The first login makes the tenant's RS256 signing key (an RSA key generation): done
    // here, outside every timed region, by an identity no benchmark uses.
    const std::string warm = Must(issuer->Mint(Claims(-1)), "mint");
    Result<LoginResponse> first = engine->identity_providers().Login(Request(warm));
    if (!first.ok() || first->outcome != LoginOutcome::kSuccess) Die("the warm-up login failed");
  }

  IdentityProviderLoginRequest Request(std::string token) const {
    IdentityProviderLoginRequest request;
    request.application_id = app.id;
    request.identity_provider_id = provider.id;
    request.data["token"] = std::move(token);
    return request;
  }
};

void Check(const Result<LoginResponse>& r, benchmark::State& state) {
  if (!r.ok() || r->outcome != LoginOutcome::kSuccess) {
    state.SkipWithError(r.ok() ? "unexpected outcome" : r.status().ToString().c_str());
  }
}

void BM_ReconcileNewUser(benchmark::State& state) {
  FederationWorld world;
  std::int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string token = Must(world.issuer->Mint(Claims(n++)), "mint");
    state.ResumeTiming();
    Result<LoginResponse> r = world.engine->identity_providers().Login(world.Request(token));
    Check(r, state);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReconcileNewUser)->Name("Reconcile/NewUser")->Unit(benchmark::kMicrosecond);

void BM_ReconcileReturningUser(benchmark::State& state) {
  FederationWorld world;
  const std::string token = Must(world.issuer->Mint(Claims(0)), "mint");
  Check(world.engine->identity_providers().Login(world.Request(token)), state);
  for (auto _ : state) {
    Result<LoginResponse> r = world.engine->identity_providers().Login(world.Request(token));
    Check(r, state);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReconcileReturningUser)
    ->Name("Reconcile/ReturningUser")
    ->Unit(benchmark::kMicrosecond);

void BM_RawVerifyPlusSign(benchmark::State& state) {
  auto issuer = Must(testing::TestIssuer::Create({.algorithm = KeyAlgorithm::kEs256}), "issuer");
  const std::string token = Must(issuer.Mint(Claims(0)), "mint");
  VerificationKey verifier = Must(VerificationKey::FromKey(issuer.verification_key()), "verifier");
  Key request;
  request.name = "rs";
  request.algorithm = KeyAlgorithm::kRs256;
  request.length = 2048;
  request.issuer = "acme.com";
  Key rsa = Must(GenerateKey(request, Random::Default(), Clock::Default().Now()), "rsa");
  SigningKey signer = Must(SigningKey::FromKey(rsa), "signer");
  // About what an access token carries.
  const nlohmann::json claims = {{"aud", "85a03867-dccf-4882-adde-1a79aeec50df"},
                                 {"exp", 1700003600},
                                 {"iat", 1700000000},
                                 {"iss", "acme.com"},
                                 {"sub", "2fa4d7d4-6c2f-4d7e-a0b5-2d86b1d7b5ea"},
                                 {"jti", "0a2e1f5c-6d1b-4b3e-9a3f-2f1a5b6c7d8e"},
                                 {"authenticationType", "FEDERATED_JWT"},
                                 {"email", "user-0@piedpiper.com"},
                                 {"email_verified", true},
                                 {"applicationId", "85a03867-dccf-4882-adde-1a79aeec50df"},
                                 {"roles", nlohmann::json::array()},
                                 {"tid", "30663132-6464-6665-3032-326466613934"}};
  JwtVerifyOptions options;
  options.now = Clock::Default().Now();
  for (auto _ : state) {
    Result<Jwt> verified = VerifyJwt(token, verifier, options);
    if (!verified.ok()) state.SkipWithError("verify failed");
    Result<std::string> signed_token = SignJwt(claims, signer);
    benchmark::DoNotOptimize(signed_token);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawVerifyPlusSign)->Name("RawVerifyEs256PlusSignRs256")->Unit(benchmark::kMicrosecond);

}  // namespace
