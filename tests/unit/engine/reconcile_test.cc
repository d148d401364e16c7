// SPDX-License-Identifier: Apache-2.0
// The login through an ExternalJWT provider: verification of the foreign token, the reconcile
// with a user, the login that follows, atomicity and concurrency.
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwt.h"
#include "bulwark/testing/fault_injecting_store.h"
#include "bulwark/testing/status_matchers.h"
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
  f.app = REQUIRE_VALUE(f.engine->applications().Update(f.app));
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  f.events->Clear();

  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE_OK(r);
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
  nlohmann::json claims = REQUIRE_VALUE(f.engine->tokens().Validate(r->token));
  CHECK(claims["sub"] == user.id.ToString());
  CHECK(claims["authenticationType"] == "FEDERATED_JWT");
  CHECK(claims["email"] == "richard@piedpiper.com");
  CHECK(claims["roles"] == nlohmann::json::array({"user", "viewer"}));

  // The link is stored with its login instant and the provider's token.
  IdentityProviderLink link =
      REQUIRE_VALUE(f.engine->identity_provider_links().Retrieve(provider.id, "richard-42"));
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
    REQUIRE_OK(again);
    CHECK(again->outcome == LoginOutcome::kSuccess);
    CHECK(again->user->id == user.id);
    IdentityProviderLink updated =
        REQUIRE_VALUE(f.engine->identity_provider_links().Retrieve(provider.id, "richard-42"));
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
    REQUIRE_OK(again);
    CHECK(again->user->id == user.id);
    CHECK(f.engine->users()
              .RetrieveByEmail(f.default_tenant(), "richard@hooli.test")
              .status()
              .code() == StatusCode::kNotFound);
  }
  SECTION("noLink logs in a linked identity") {
    Result<LoginResponse> again = f.LoginWith(provider, f.Mint(Richard()), /*no_link=*/true);
    REQUIRE_OK(again);
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
  REQUIRE_OK(stranger);

  std::string token;
  SECTION("tampered payload") {
    const std::string good = f.Mint(Richard());
    const std::size_t first = good.find('.');
    const std::size_t second = good.find('.', first + 1);
    nlohmann::json claims = Richard();
    claims["sub"] = "someone-else";
    // The other issuer's payload between our header and our signature.
    const std::string other = REQUIRE_VALUE(stranger->Mint(claims));
    const std::size_t o1 = other.find('.');
    const std::size_t o2 = other.find('.', o1 + 1);
    token = good.substr(0, first + 1) + other.substr(o1 + 1, o2 - o1 - 1) + good.substr(second);
  }
  SECTION("signed by another key with the same kid") {
    testing::TestIssuer::MintOptions options;
    options.kid_header = false;
    options.header_extras = {{"kid", f.issuer->kid()}};
    token = REQUIRE_VALUE(stranger->Mint(Richard(), options));
  }
  SECTION("an unknown kid") { token = REQUIRE_VALUE(stranger->Mint(Richard())); }
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
  REQUIRE_OK(r);
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
    REQUIRE_OK(f.engine->identity_providers().Update(provider));
    CHECK(f.engine->identity_providers().Login(request).status().errors().HasField(
        "invalid", "identityProviderId"));
  }
  SECTION("an unknown provider") {
    request.identity_provider_id = REQUIRE_VALUE(IdentityProviderId::Generate(*f.random));
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
  Result<LoginResponse> r = f.LoginWith(provider, REQUIRE_VALUE(f.issuer->Mint(Richard(), x5t)));
  REQUIRE_OK(r);
  CHECK(r->outcome == LoginOutcome::kSuccess);
  // Under x5t, a kid of the provider's own naming beside it does not matter.
  testing::TestIssuer::MintOptions both;
  both.x5t_header = true;
  both.header_extras = {{"kid", "the-providers-own-kid"}};
  CHECK(f.LoginWith(provider, REQUIRE_VALUE(f.issuer->Mint(Richard(), both)))->outcome ==
        LoginOutcome::kSuccess);
  // A thumbprint of another certificate names no key.
  testing::TestIssuer::MintOptions wrong;
  wrong.kid_header = false;
  wrong.header_extras = {{"x5t", "AAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
  CHECK(f.LoginWith(provider, REQUIRE_VALUE(f.issuer->Mint(Richard(), wrong)))->outcome ==
        LoginOutcome::kUnauthorized);
}

TEST_CASE("claimMap and the reconcile callback shape the user and the registration",
          "[engine][reconcile]") {
  FederationFixture f;
  const LambdaId lambda = REQUIRE_VALUE(LambdaId::Generate(*f.random));
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
  REQUIRE_OK(r);
  REQUIRE(r->outcome == LoginOutcome::kSuccess);
  CHECK(calls == 1);
  User stored = REQUIRE_VALUE(f.engine->users().Retrieve(r->user->id));
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
  REQUIRE_OK(r);
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
    REQUIRE_OK(f.engine->users().Deactivate(id));
    CHECK(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kInvalidCredentials);
  }
  SECTION("expired") {
    User user = REQUIRE_VALUE(f.engine->users().Retrieve(id));
    user.expiry = f.clock->Now() + std::chrono::minutes(1);
    REQUIRE_OK(f.engine->users().Update(user));
    f.clock->Advance(std::chrono::minutes(2));
    CHECK(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kExpired);
  }
  SECTION("password change required") {
    User user = REQUIRE_VALUE(f.engine->users().Retrieve(id));
    user.password_change_required = true;
    REQUIRE_OK(f.engine->users().Update(user));
    Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
    CHECK(r->outcome == LoginOutcome::kPasswordChangeRequired);
    CHECK_FALSE(r->change_password_id.empty());
    CHECK_FALSE(r->user.has_value());
  }
}

TEST_CASE("a user locked by failed password logins gets 409 with the action, or 423",
          "[engine][reconcile]") {
  const bool named = GENERATE(true, false);
  FederationFixture f;
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  User richard = REQUIRE_VALUE(
      f.engine->users().Create(test::EngineFixture::NewUser("richard@piedpiper.com")));
  Tenant tenant = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
  tenant.failed_authentication_configuration.too_many_attempts = 2;
  if (named) {
    tenant.failed_authentication_configuration.user_action_id =
        REQUIRE_VALUE(UserActionId::Generate(*f.random));
  }
  REQUIRE_OK(f.engine->tenants().Update(tenant));
  LoginRequest wrong;
  wrong.login_id = "richard@piedpiper.com";
  wrong.password = "not the password";
  for (int i = 0; i < 2; ++i) REQUIRE_OK(f.engine->login().Login(wrong));
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE_OK(r);
  CHECK(r->outcome == (named ? LoginOutcome::kLoginPrevented : LoginOutcome::kLocked));
  CHECK(r->actions.size() == (named ? 1u : 0u));
  CHECK(r->token.empty());
  // Nothing was linked while the user was locked out.
  CHECK(f.engine->identity_provider_links().RetrieveByUser(richard.id)->empty());
}

TEST_CASE("the login's other outcomes: 212, 213", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  User richard = REQUIRE_VALUE(
      f.engine->users().Create(test::EngineFixture::NewUser("richard@piedpiper.com")));

  SECTION("the tenant requires verified email and the user's is not: 212") {
    Tenant tenant = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
    tenant.email_configuration = {{"verifyEmail", true}};
    REQUIRE_OK(f.engine->tenants().Update(tenant));
    Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
    REQUIRE_OK(r);
    CHECK(r->outcome == LoginOutcome::kEmailNotVerified);
    CHECK(r->token.empty());
    CHECK(r->user->id == richard.id);
  }
  SECTION("the application verifies registrations and the user's is not: 213") {
    f.app.verify_registration = true;
    f.app = REQUIRE_VALUE(f.engine->applications().Update(f.app));
    Registration registration;
    registration.application_id = f.app.id;
    REQUIRE_OK(f.engine->registrations().Create(richard.id, registration));
    Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
    REQUIRE_OK(r);
    CHECK(r->outcome == LoginOutcome::kRegistrationNotVerified);
    CHECK(r->token.empty());
  }
}

TEST_CASE("noLink refuses an identity that is not linked yet", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()), /*no_link=*/true);
  REQUIRE_OK(r);
  CHECK(r->outcome == LoginOutcome::kInvalidCredentials);
  CHECK(f.engine->users()
            .RetrieveByEmail(f.default_tenant(), "richard@piedpiper.com")
            .status()
            .code() == StatusCode::kNotFound);
}

TEST_CASE("the provider's claim names pick the identity", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  auto& oauth2 = std::get<ExternalJwtConfiguration>(provider.config).oauth2;
  oauth2.unique_id_claim = "oid";
  oauth2.email_claim = "upn";
  oauth2.email_verified_claim = "upn_verified";
  provider = f.CreateProvider(provider);
  nlohmann::json claims = {{"sub", "ignored"},
                           {"oid", 90210},
                           {"upn", "jared@piedpiper.com"},
                           {"upn_verified", "false"},
                           {"email", "someone@else.test"}};
  // upn_verified says the email is unverified: LinkByEmail refuses.
  Result<LoginResponse> refused = f.LoginWith(provider, f.Mint(claims));
  CHECK(refused.status().errors().HasGeneral("[IdentityProviderEmailNotVerified]"));
  claims["upn_verified"] = true;
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(claims));
  REQUIRE_OK(r);
  CHECK(r->user->email == "jared@piedpiper.com");
  // A numeric unique id is kept as its decimal text.
  CHECK(f.engine->identity_provider_links().Retrieve(provider.id, "90210")->user_id == r->user->id);
}

TEST_CASE("an HMAC verification key verifies HS256 foreign tokens", "[engine][reconcile]") {
  FederationFixture f(":memory:", KeyAlgorithm::kHs256);
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
  REQUIRE_OK(r);
  CHECK(r->outcome == LoginOutcome::kSuccess);
  // Another secret under the same kid does not.
  auto other = testing::TestIssuer::Create({.algorithm = KeyAlgorithm::kHs256, .clock = f.clock});
  REQUIRE_OK(other);
  testing::TestIssuer::MintOptions same_kid;
  same_kid.header_extras = {{"kid", f.issuer->kid()}};
  CHECK(f.LoginWith(provider, REQUIRE_VALUE(other->Mint(Richard(), same_kid)))->outcome ==
        LoginOutcome::kUnauthorized);
}

TEST_CASE("a reconcile writes only what it changed: a concurrent update stays",
          "[engine][reconcile]") {
  FederationFixture f;
  const LambdaId lambda = REQUIRE_VALUE(LambdaId::Generate(*f.random));
  std::function<void()> meanwhile;
  std::atomic<int> calls{0};
  f.reconcile_lambdas[lambda] = [&](User& user, Registration*, const nlohmann::json&) {
    ++calls;
    user.first_name = "Dick";
    if (meanwhile) meanwhile();  // another writer, while the login is between read and write
    return Status::Ok();
  };
  f.Reopen();
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.reconcile_lambda_id = lambda;
  provider = f.CreateProvider(provider);
  REQUIRE(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kSuccess);
  const User before =
      REQUIRE_VALUE(f.engine->users().RetrieveByEmail(f.default_tenant(), "richard@piedpiper.com"));

  SECTION("a password set meanwhile is kept") {
    User renamed = before;
    renamed.first_name = "Richard";
    REQUIRE_OK(f.engine->users().Update(renamed));
    meanwhile = [&] {
      User changed = REQUIRE_VALUE(f.engine->users().Retrieve(before.id));
      changed.password = "a brand new password";
      changed.last_name = "Hendricks";
      REQUIRE_OK(f.engine->users().Update(changed));
    };
    REQUIRE(f.LoginWith(provider, f.Mint(Richard()))->outcome == LoginOutcome::kSuccess);
    User after = REQUIRE_VALUE(f.engine->users().Retrieve(before.id));
    CHECK(after.first_name == "Dick");      // the login's change
    CHECK(after.last_name == "Hendricks");  // the other writer's change
    CHECK_FALSE(after.password_hash.hash.empty());
    LoginRequest login;
    login.login_id = "richard@piedpiper.com";
    login.password = "a brand new password";
    CHECK(f.engine->login().Login(login)->outcome == LoginOutcome::kSuccess);
  }
  SECTION("a callback that takes someone else's email fails the login, once") {
    REQUIRE(f.engine->users().Create(test::EngineFixture::NewUser("jared@piedpiper.com")).ok());
    f.reconcile_lambdas[lambda] = [&](User& user, Registration*, const nlohmann::json&) {
      ++calls;
      user.email = "jared@piedpiper.com";
      return Status::Ok();
    };
    f.Reopen();
    calls = 0;
    Result<LoginResponse> r = f.LoginWith(provider, f.Mint(Richard()));
    CHECK(r.status().code() == StatusCode::kAlreadyExists);
    CHECK(r.status().errors().HasField("duplicate", "user.email"));
    CHECK(calls == 1);
    CHECK(f.engine->users().Retrieve(before.id)->email == "richard@piedpiper.com");
  }
}

TEST_CASE("identities whose claims break the user's rules are refused", "[engine][reconcile]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  std::get<ExternalJwtConfiguration>(provider.config).claim_map = {{"dob", "birthDate"}};
  provider = f.CreateProvider(provider);
  nlohmann::json claims = Richard();
  claims["email"] = "not-an-email";
  CHECK(f.LoginWith(provider, f.Mint(claims)).status().errors().HasField("notEmail", "user.email"));
  claims = Richard();
  claims["dob"] = "03/04/1990";
  CHECK(f.LoginWith(provider, f.Mint(claims))
            .status()
            .errors()
            .HasField("invalid", "user.birthDate"));
  CHECK(f.engine->identity_provider_links().Retrieve(provider.id, "richard-42").status().code() ==
        StatusCode::kNotFound);
  claims["dob"] = "1990-03-04";
  Result<LoginResponse> r = f.LoginWith(provider, f.Mint(claims));
  REQUIRE_OK(r);
  CHECK(r->user->birth_date == "1990-03-04");
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
      REQUIRE_VALUE(testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"})));
  auto clock = std::make_shared<testing::ManualClock>();
  auto engine = REQUIRE_VALUE(Engine::Open({.store = store, .clock = clock}));
  auto issuer = REQUIRE_VALUE(testing::TestIssuer::Create({.clock = clock}));
  Key key = issuer.verification_key();
  key.name = "idp";
  key = REQUIRE_VALUE(engine->keys().Import(key));
  Application app;
  app.name = "App";
  app.login_configuration.generate_refresh_tokens = true;
  app = REQUIRE_VALUE(engine->applications().Create(app));
  IdentityProvider provider;
  provider.name = "IdP";
  provider.type = IdentityProviderType::kExternalJwt;
  provider.enabled = true;
  ExternalJwtConfiguration config;
  config.header_key_parameter = "kid";
  config.verification_key_ids = {key.id};
  provider.config = config;
  provider.application_configuration[app.id] = {.enabled = true};
  provider = REQUIRE_VALUE(engine->identity_providers().Create(provider));

  IdentityProviderLoginRequest request;
  request.application_id = app.id;
  request.identity_provider_id = provider.id;
  request.data["token"] = REQUIRE_VALUE(issuer.Mint(Richard()));
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
      REQUIRE_OK(r);
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
