// SPDX-License-Identifier: Apache-2.0
// The login through an ExternalJWT provider: verification of the foreign token, the reconcile
// with a user, the login that follows, atomicity and concurrency.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwt.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;

nlohmann::json Richard() {
  return {{"sub", "richard-42"},     {"email", "richard@piedpiper.com"},
          {"email_verified", true},  {"preferred_username", "richard"},
          {"given_name", "Richard"}, {"family_name", "Hendricks"},
          {"dept", "engineering"}};
}

TEST_CASE("a new identity is created, registered, linked and logged in", "[engine][reconcile]") {
  FederationFixture f;
  f.app.login_configuration.generate_refresh_tokens = true;
  f.app = f.engine->applications().Update(f.app).value();
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  f.events->Clear();

  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE(r.ok());
  REQUIRE(r->outcome == LoginOutcome::kSuccess);
  REQUIRE(r->user.has_value());
  const User& user = *r->user;
  CHECK(user.email == "richard@piedpiper.com");
  CHECK(user.verified);
  CHECK(user.password_hash.hash.empty());
  REQUIRE(user.registrations.size() == 1);
  CHECK(user.registrations[0].application_id == f.app.id);
  // The application's default roles.
  CHECK(user.registrations[0].roles == std::vector<std::string>{"user", "viewer"});
  CHECK_FALSE(r->refresh_token.empty());

  // The access token is ours, says how the user came in, and validates.
  nlohmann::json claims = f.engine->tokens().Validate(r->token).value();
  CHECK(claims["sub"] == user.id.ToString());
  CHECK(claims["authenticationType"] == "FEDERATED_JWT");
  CHECK(claims["email"] == "richard@piedpiper.com");
  CHECK(claims["roles"] == nlohmann::json::array({"user", "viewer"}));

  // The link is stored with its login instant and the provider's token.
  IdentityProviderLink link =
      f.engine->identity_provider_links().Retrieve(provider.id, "richard-42").value();
  CHECK(link.user_id == user.id);
  CHECK(link.display_name == "richard@piedpiper.com");
  CHECK(link.identity_provider_name == "Pied Piper IdP");
  CHECK(link.identity_provider_type == IdentityProviderType::kExternalJwt);
  CHECK(link.last_login_instant == f.clock->Now());

  CHECK(f.events->Count(EventType::kUserCreate) == 1);
  CHECK(f.events->Count(EventType::kUserRegistrationCreate) == 1);
  CHECK(f.events->Count(EventType::kUserIdentityProviderLink) == 1);
  CHECK(f.events->Count(EventType::kUserLoginSuccess) == 1);
  for (const Event& e : f.events->events()) {
    if (e.type == EventType::kUserLoginSuccess) {
      CHECK(e.authentication_type == "FEDERATED_JWT");
      CHECK(e.ip_address == "203.0.113.7");
    }
  }

  SECTION("a returning identity logs in as the same user and updates the link") {
    f.clock->Advance(std::chrono::hours(2));
    f.events->Clear();
    const std::string token = f.Mint(Richard());
    Result<LoginResponse> again = f.LoginWith(provider, token);
    REQUIRE(again.ok());
    CHECK(again->outcome == LoginOutcome::kSuccess);
    CHECK(again->user->id == user.id);
    IdentityProviderLink updated =
        f.engine->identity_provider_links().Retrieve(provider.id, "richard-42").value();
    CHECK(updated.last_login_instant == f.clock->Now());
    CHECK(updated.token == token);
    CHECK(updated.insert_instant == link.insert_instant);
    CHECK(f.events->Count(EventType::kUserCreate) == 0);
    CHECK(f.events->Count(EventType::kUserIdentityProviderLink) == 0);
    CHECK(f.events->Count(EventType::kUserLoginSuccess) == 1);
    CHECK(f.engine->users().Retrieve(user.id)->last_login_instant == f.clock->Now());
  }
  SECTION("the existing link wins over the strategy, even when the email changed") {
    nlohmann::json moved = Richard();
    moved["email"] = "richard@hooli.test";
    Result<LoginResponse> again = f.LoginWith(provider, f.Mint(moved));
    REQUIRE(again.ok());
    CHECK(again->user->id == user.id);
    CHECK(f.engine->users()
              .RetrieveByEmail(f.default_tenant(), "richard@hooli.test")
              .status()
              .code() == StatusCode::kNotFound);
  }
  SECTION("noLink logs in a linked identity") {
    Result<LoginResponse> again = f.LoginWith(provider, f.Mint(Richard()), /*no_link=*/true);
    REQUIRE(again.ok());
    CHECK(again->outcome == LoginOutcome::kSuccess);
  }
}

TEST_CASE("foreign tokens that do not verify are 401 and change nothing",
          "[engine][reconcile][security]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.domains = {"piedpiper.com"};
  provider = f.CreateProvider(provider);
  auto stranger = testing::TestIssuer::Create({.issuer = "https://evil.test", .clock = f.clock});
  REQUIRE(stranger.ok());

  std::string token;
  SECTION("tampered payload") {
    const std::string good = f.Mint(Richard());
    const std::size_t first = good.find('.');
    const std::size_t second = good.find('.', first + 1);
    nlohmann::json claims = Richard();
    claims["sub"] = "someone-else";
    // The other issuer's payload between our header and our signature.
    const std::string other = stranger->Mint(claims).value();
    const std::size_t o1 = other.find('.');
    const std::size_t o2 = other.find('.', o1 + 1);
    token = good.substr(0, first + 1) + other.substr(o1 + 1, o2 - o1 - 1) + good.substr(second);
  }
  SECTION("signed by another key with the same kid") {
    testing::TestIssuer::MintOptions options;
    options.kid_header = false;
    options.header_extras = {{"kid", f.issuer->kid()}};
    token = stranger->Mint(Richard(), options).value();
  }
  SECTION("an unknown kid") { token = stranger->Mint(Richard()).value(); }
  SECTION("expired") {
    token = f.Mint(Richard());
    f.clock->Advance(std::chrono::hours(2));
  }
  SECTION("no exp") {
    nlohmann::json claims = Richard();
    claims["exp"] = nullptr;
    token = f.Mint(claims);
  }
  SECTION("no unique id claim") {
    nlohmann::json claims = Richard();
    claims.erase("sub");
    token = f.Mint(claims);
  }
  SECTION("an email outside the provider's domains") {
    nlohmann::json claims = Richard();
    claims["email"] = "richard@hooli.test";
    token = f.Mint(claims);
  }
  SECTION("not a JWT") { token = "not.a.jwt"; }
  SECTION("alg none") {
    const std::string good = f.Mint(Richard());
    const std::size_t first = good.find('.');
    const std::size_t second = good.find('.', first + 1);
    // {"alg":"none"}, our payload, no signature.
    token = "eyJhbGciOiJub25lIn0." + good.substr(first + 1, second - first - 1) + ".";
  }
  f.events->Clear();
  Result<LoginResponse> r = f.LoginWith(provider, token);
  REQUIRE(r.ok());
  CHECK(r->outcome == LoginOutcome::kUnauthorized);
  CHECK(r->token.empty());
  CHECK_FALSE(r->user.has_value());
  CHECK(f.engine->users()
            .RetrieveByEmail(f.default_tenant(), "richard@piedpiper.com")
            .status()
            .code() == StatusCode::kNotFound);
  CHECK(f.events->Count(EventType::kUserLoginFailed) == 1);
  CHECK(f.events->Count(EventType::kUserCreate) == 0);
}

TEST_CASE("the request is checked before anything is verified", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  IdentityProviderLoginRequest request;
  CHECK(f.engine->identity_providers().Login(request).status().errors().HasField("blank",
                                                                                 "applicationId"));
  request.application_id = f.app.id;
  request.identity_provider_id = provider.id;
  CHECK(f.engine->identity_providers().Login(request).status().errors().HasField("blank",
                                                                                 "data.token"));
  request.encoded_jwt = f.Mint(Richard());  // the older member still works
  CHECK(f.engine->identity_providers().Login(request)->outcome == LoginOutcome::kSuccess);

  SECTION("a provider not enabled for the application") {
    Application other = f.MakeApp("Hooli");
    request.application_id = other.id;
    CHECK(f.engine->identity_providers().Login(request).status().errors().HasField(
        "invalid", "identityProviderId"));
  }
  SECTION("a disabled provider") {
    provider.enabled = false;
    REQUIRE(f.engine->identity_providers().Update(provider).ok());
    CHECK(f.engine->identity_providers().Login(request).status().errors().HasField(
        "invalid", "identityProviderId"));
  }
  SECTION("an unknown provider") {
    request.identity_provider_id = IdentityProviderId::Generate(*f.random).value();
    CHECK(f.engine->identity_providers().Login(request).status().errors().HasField(
        "invalid", "identityProviderId"));
  }
}

TEST_CASE("headerKeyParameter x5t picks the key by certificate thumbprint", "[engine][reconcile]") {
  FederationFixture f(":memory:", KeyAlgorithm::kRs256);
  IdentityProvider provider = f.ExternalJwtProvider();
  std::get<ExternalJwtConfiguration>(provider.config).header_key_parameter = "x5t";
  provider = f.CreateProvider(provider);
  REQUIRE_FALSE(f.issuer->x5t().empty());
  testing::TestIssuer::MintOptions x5t;
  x5t.kid_header = false;
  x5t.x5t_header = true;
  Result<LoginResponse> r = f.LoginWith(provider, f.issuer->Mint(Richard(), x5t).value());
  REQUIRE(r.ok());
  CHECK(r->outcome == LoginOutcome::kSuccess);
  // A kid alone does not name the key under x5t... unless it equals the thumbprint.
  testing::TestIssuer::MintOptions wrong;
  wrong.kid_header = false;
  wrong.header_extras = {{"x5t", "AAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
  CHECK(f.LoginWith(provider, f.issuer->Mint(Richard(), wrong).value())->outcome ==
        LoginOutcome::kUnauthorized);
}

TEST_CASE("claimMap and the reconcile callback shape the user and the registration",
          "[engine][reconcile]") {
  FederationFixture f;
  const LambdaId lambda = LambdaId::Generate(*f.random).value();
  std::atomic<int> calls{0};
  f.reconcile_lambdas[lambda] = [&calls](User& user, Registration* registration,
                                         const nlohmann::json& claims) {
    ++calls;
    user.data["department"] = claims.value("dept", "");
    user.tenant_id = TenantId();  // not the callback's to change: put back
    if (registration != nullptr) registration->roles.push_back("admin");
    return Status::Ok();
  };
  f.Reopen();
  IdentityProvider provider = f.ExternalJwtProvider();
  auto& config = std::get<ExternalJwtConfiguration>(provider.config);
  config.claim_map = {{"given_name", "firstName"},
                      {"family_name", "lastName"},
                      {"dept", "RegistrationData"},
                      {"preferred_username", "UserData"}};
  provider.reconcile_lambda_id = lambda;
  provider = f.CreateProvider(provider);

  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE(r.ok());
  REQUIRE(r->outcome == LoginOutcome::kSuccess);
  CHECK(calls == 1);
  User stored = f.engine->users().Retrieve(r->user->id).value();
  CHECK(stored.first_name == "Richard");
  CHECK(stored.last_name == "Hendricks");
  CHECK(stored.data["preferred_username"] == "richard");
  CHECK(stored.data["department"] == "engineering");
  CHECK(stored.tenant_id == f.default_tenant());
  REQUIRE(stored.registrations.size() == 1);
  CHECK(stored.registrations[0].data["dept"] == "engineering");
  CHECK(stored.registrations[0].roles == std::vector<std::string>{"user", "viewer", "admin"});

  SECTION("on later logins too") {
    nlohmann::json claims = Richard();
    claims["given_name"] = "Dick";
    REQUIRE(f.LoginWith(provider, f.Mint(claims))->outcome == LoginOutcome::kSuccess);
    CHECK(calls == 2);
    CHECK(f.engine->users().Retrieve(stored.id)->first_name == "Dick");
  }
  SECTION("a failing callback fails the login and writes nothing") {
    f.reconcile_lambdas[lambda] = [](User&, Registration*, const nlohmann::json&) {
      return Status::Internal("lambda exploded");
    };
    f.Reopen();
    nlohmann::json claims = Richard();
    claims["sub"] = "erlich-1";
    claims["email"] = "erlich@piedpiper.com";
    Result<LoginResponse> failed = f.LoginWith(provider, f.Mint(claims));
    CHECK(failed.status().code() == StatusCode::kInternal);
    CHECK(failed.status().message().find("exploded") == std::string::npos);
    CHECK(f.engine->users()
              .RetrieveByEmail(f.default_tenant(), "erlich@piedpiper.com")
              .status()
              .code() == StatusCode::kNotFound);
  }
}

TEST_CASE("createRegistration off answers 202 without registering", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.application_configuration[f.app.id].create_registration = false;
  provider = f.CreateProvider(provider);
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE(r.ok());
  CHECK(r->outcome == LoginOutcome::kNotRegistered);
  CHECK(r->user->registrations.empty());
  CHECK_FALSE(r->token.empty());
  CHECK(f.engine->identity_provider_links().RetrieveByUser(r->user->id)->size() == 1);
}

TEST_CASE("a linked user who may not log in is refused as a login would be",
          "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  Result<LoginResponse> first = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE(first->outcome == LoginOutcome::kSuccess);
  const UserId id = first->user->id;

  SECTION("deactivated") {
    REQUIRE(f.engine->users().Deactivate(id).ok());
    CHECK(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kInvalidCredentials);
  }
  SECTION("expired") {
    User user = f.engine->users().Retrieve(id).value();
    user.expiry = f.clock->Now() + std::chrono::minutes(1);
    REQUIRE(f.engine->users().Update(user).ok());
    f.clock->Advance(std::chrono::minutes(2));
    CHECK(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kExpired);
  }
  SECTION("password change required") {
    User user = f.engine->users().Retrieve(id).value();
    user.password_change_required = true;
    REQUIRE(f.engine->users().Update(user).ok());
    Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
    CHECK(r->outcome == LoginOutcome::kPasswordChangeRequired);
    CHECK_FALSE(r->change_password_id.empty());
    CHECK_FALSE(r->user.has_value());
  }
}

TEST_CASE("the tenant's link limit is enforced", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider(LinkingStrategy::kLinkByEmail);
  provider.tenant_configuration[f.default_tenant()] = {.limit_user_link_count_enabled = true,
                                                       .limit_user_link_count_maximum_links = 1};
  provider = f.CreateProvider(provider);
  REQUIRE(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kSuccess);
  // A second identity at the same provider with the same email would be a second link.
  nlohmann::json second = Richard();
  second["sub"] = "richard-43";
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(second));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().errors().HasGeneral("[LinkCountExceeded]"));
  CHECK(f.engine->identity_provider_links().Retrieve(provider.id, "richard-43").status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("a failure at any write of a reconcile leaves no user, link or registration",
          "[engine][reconcile][fault]") {
  auto store = std::shared_ptr<testing::FaultInjectingStore>(
      testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"}).value());
  auto clock = std::make_shared<testing::ManualClock>();
  auto engine = Engine::Open({.store = store, .clock = clock}).value();
  auto issuer = testing::TestIssuer::Create({.clock = clock}).value();
  Key key = issuer.verification_key();
  key.name = "idp";
  key = engine->keys().Import(key).value();
  Application app;
  app.name = "App";
  app.login_configuration.generate_refresh_tokens = true;
  app = engine->applications().Create(app).value();
  IdentityProvider provider;
  provider.name = "IdP";
  provider.type = IdentityProviderType::kExternalJwt;
  provider.enabled = true;
  ExternalJwtConfiguration config;
  config.header_key_parameter = "kid";
  config.verification_key_ids = {key.id};
  provider.config = config;
  provider.application_configuration[app.id] = {.enabled = true};
  provider = engine->identity_providers().Create(provider).value();

  IdentityProviderLoginRequest request;
  request.application_id = app.id;
  request.identity_provider_id = provider.id;
  request.data["token"] = issuer.Mint(Richard()).value();
  int failures = 0;
  bool succeeded = false;
  for (std::int64_t n = 1; n < 50 && !succeeded; ++n) {
    INFO("failing write statement " << n);
    store->ClearFaults();
    store->FailWriteStatement(n);
    Result<LoginResponse> r = engine->identity_providers().Login(request);
    if (r.ok()) {
      succeeded = true;
      CHECK(r->outcome == LoginOutcome::kSuccess);
      break;
    }
    ++failures;
    CHECK(r.status().code() == StatusCode::kUnavailable);
    store->ClearFaults();
    CHECK(store->base()
              .users()
              .FindByEmail(engine->default_tenant_id(), "richard@piedpiper.com")
              .status()
              .code() == StatusCode::kNotFound);
    CHECK(store->base()
              .identity_provider_links()
              .Find(provider.id, engine->default_tenant_id(), "richard-42")
              .status()
              .code() == StatusCode::kNotFound);
  }
  CHECK(succeeded);
  // User, registration, link, login record and refresh token: several statements, each of
  // which was failed once.
  CHECK(failures >= 5);
  store->ClearFaults();
  User user = store->base()
                  .users()
                  .FindByEmail(engine->default_tenant_id(), "richard@piedpiper.com")
                  .value();
  CHECK(store->base().registrations().ListByUser(user.id)->size() == 1);
  CHECK(store->base().identity_provider_links().ListByUser(user.id, std::nullopt)->size() == 1);
}

TEST_CASE("concurrent logins of one new identity make one user and one link",
          "[engine][reconcile][concurrency]") {
  for (LinkingStrategy strategy : {LinkingStrategy::kLinkByEmail, LinkingStrategy::kLinkAnonymously,
                                   LinkingStrategy::kLinkByUsername}) {
    INFO("strategy " << ToString(strategy));
    test::TempDbPath path;
    FederationFixture f(path.str());
    IdentityProvider provider =
        f.CreateProvider(f.ExternalJwtProvider(strategy, std::string(ToString(strategy))));
    nlohmann::json claims = Richard();
    claims["sub"] = "racer-" + std::string(ToString(strategy));
    claims["email"] = "racer-" + std::string(ToString(strategy)) + "@piedpiper.com";
    claims["preferred_username"] = "racer-" + std::string(ToString(strategy));
    const std::string token = f.Mint(claims);
    constexpr int kThreads = 6;
    std::vector<Result<LoginResponse>> results(kThreads, Status::Internal("not run"));
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] { results[i] = f.LoginWith(provider, token); });
    }
    for (std::thread& t : threads) t.join();
    std::set<UserId> users;
    for (const Result<LoginResponse>& r : results) {
      REQUIRE(r.ok());
      CHECK(r->outcome == LoginOutcome::kSuccess);
      users.insert(r->user->id);
    }
    CHECK(users.size() == 1);
    IdentityProviderLink link = f.engine->identity_provider_links()
                                    .Retrieve(provider.id, claims["sub"].get<std::string>())
                                    .value();
    CHECK(link.user_id == *users.begin());
    CHECK(f.engine->identity_provider_links().RetrieveByUser(link.user_id)->size() == 1);
    CHECK(f.events->Count(EventType::kUserCreate) == 1);
    f.events->Clear();
  }
}

}  // namespace
}  // namespace bulwark
