// SPDX-License-Identifier: Apache-2.0
//
// The one login pipeline (src/engine/login/pipeline.h) seen through every way in: the Login
// API's password, the ping and an identity provider's reconcile meet the same gate, name
// their authentication type the same way, and differ only where FusionAuth says they do.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/model/authentication_type.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;
using testing::HasCode;

constexpr const char* kPassword = "correct horse battery";

TEST_CASE("authentication types carry FusionAuth's wire names, casing included",
          "[engine][login][pipeline]") {
  CHECK(ToString(AuthenticationType::kPassword) == "PASSWORD");
  CHECK(ToString(AuthenticationType::kPing) == "PING");
  CHECK(ToString(AuthenticationType::kRefreshToken) == "REFRESH_TOKEN");
  CHECK(ToString(AuthenticationType::kJwtSso) == "JWT_SSO");
  CHECK(ToString(AuthenticationType::kFederatedJwt) == "FEDERATED_JWT");
  CHECK(ToString(AuthenticationType::kOpenIdConnect) == "OPENID_CONNECT");
  CHECK(ToString(AuthenticationType::kSamlV2) == "SAMLv2");
  CHECK(ToString(AuthenticationType::kSamlV2IdpInitiated) == "SAMLv2IdpInitiated");
  CHECK(ToString(AuthenticationType::kEpicGames) == "EpicGames");
  CHECK(ToString(AuthenticationType::kSonyPsn) == "SonyPSN");
  CHECK(ToString(AuthenticationType::kWebAuthn) == "WebAuthn");
  // Every value has a distinct name that parses back to it.
  std::vector<std::string> seen;
  for (int i = 0; i <= static_cast<int>(AuthenticationType::kWebAuthn); ++i) {
    const auto type = static_cast<AuthenticationType>(i);
    const std::string name(ToString(type));
    REQUIRE_FALSE(name.empty());
    CHECK(std::find(seen.begin(), seen.end(), name) == seen.end());
    seen.push_back(name);
    CHECK(REQUIRE_VALUE(ParseAuthenticationType(name)) == type);
  }
  CHECK(seen.size() == 28);
  CHECK_STATUS(ParseAuthenticationType("password"), HasCode(StatusCode::kInvalidArgument));
  CHECK_STATUS(ParseAuthenticationType("SAMLV2"), HasCode(StatusCode::kInvalidArgument));
  CHECK_STATUS(ParseAuthenticationType(""), HasCode(StatusCode::kInvalidArgument));
}

// A user with a password, registered for the fixture's application, and linked to an
// ExternalJWT provider by a first federated login (LinkByEmail).
struct ThreeWaysIn {
  FederationFixture f;
  IdentityProvider provider;
  User user;

  ThreeWaysIn() {
    f.app.login_configuration.generate_refresh_tokens = true;
    f.app = REQUIRE_VALUE(f.engine->applications().Update(f.app));
    User u = FederationFixture::NewUser("richard@piedpiper.com", kPassword);
    Registration r;
    r.application_id = f.app.id;
    user = REQUIRE_VALUE(f.engine->registrations().Register(u, r)).user;
    provider = f.CreateProvider(f.ExternalJwtProvider(LinkingStrategy::kLinkByEmail));
    LoginResponse linked = REQUIRE_VALUE(f.LoginWith(provider, Token()));
    REQUIRE(linked.outcome == LoginOutcome::kSuccess);
    REQUIRE(linked.user->id == user.id);
    f.events->Clear();
  }

  std::string Token() {
    return f.Mint(
        {{"sub", "richard-42"}, {"email", "richard@piedpiper.com"}, {"email_verified", true}});
  }
  Result<LoginResponse> Password(std::optional<bool> api_key = std::nullopt) {
    LoginRequest request;
    request.login_id = "richard@piedpiper.com";
    request.password = kPassword;
    request.application_id = f.app.id;
    request.api_key_authenticated = api_key;
    return f.engine->login().Login(request);
  }
  Result<LoginResponse> Ping() { return f.engine->login().Ping(user.id, f.app.id); }
  Result<LoginResponse> Federated() { return f.LoginWith(provider, Token()); }

  void ChangeUser(const std::function<void(User&)>& change) {
    User u = REQUIRE_VALUE(f.engine->users().Retrieve(user.id));
    change(u);
    u.password.clear();
    REQUIRE_OK(f.engine->users().Update(u));
  }
  void Act(std::optional<UserActionId> named) {
    UserActionLog action;
    action.id = REQUIRE_VALUE(UserActionLogId::Generate(*f.random));
    action.actionee_user_id = user.id;
    action.user_action_id = named;
    action.name = "Suspended";
    action.create_instant = f.clock->Now();
    action.prevent_login = true;
    WriteBatch batch;
    batch.Insert(action);
    REQUIRE_OK(f.store->Apply(batch));
  }
  // The authentication types of the user.login.failed events, oldest first.
  std::vector<std::string> FailedTypes() const {
    std::vector<std::string> types;
    for (const Event& e : f.events->events()) {
      if (e.type == EventType::kUserLoginFailed) types.push_back(e.authentication_type);
    }
    return types;
  }
};

const std::vector<std::string> kThreeTypes = {"PASSWORD", "PING", "FEDERATED_JWT"};

TEST_CASE("every way in meets the same gate, and each refusal is a login.failed event",
          "[engine][login][pipeline]") {
  ThreeWaysIn w;
  SECTION("an expired user: 410") {
    w.ChangeUser([&](User& u) { u.expiry = w.f.clock->Now() - std::chrono::seconds(1); });
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kExpired);
    CHECK(REQUIRE_VALUE(w.Ping()).outcome == LoginOutcome::kExpired);
    CHECK(REQUIRE_VALUE(w.Federated()).outcome == LoginOutcome::kExpired);
    CHECK(w.FailedTypes() == kThreeTypes);
    CHECK(w.f.events->Count(EventType::kUserLoginSuccess) == 0);
  }
  SECTION("an action in force that names no user action: 423") {
    w.Act(std::nullopt);
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kLocked);
    CHECK(REQUIRE_VALUE(w.Ping()).outcome == LoginOutcome::kLocked);
    CHECK(REQUIRE_VALUE(w.Federated()).outcome == LoginOutcome::kLocked);
    CHECK(w.FailedTypes() == kThreeTypes);
    CHECK(w.f.events->Count(EventType::kUserLoginSuccess) == 0);
  }
  SECTION("an action in force that names a user action: 409 with the action") {
    const UserActionId named = REQUIRE_VALUE(UserActionId::Generate(*w.f.random));
    w.Act(named);
    for (const Result<LoginResponse>& r : {w.Password(), w.Ping(), w.Federated()}) {
      REQUIRE_OK(r);
      CHECK(r->outcome == LoginOutcome::kLoginPrevented);
      REQUIRE(r->actions.size() == 1);
      CHECK(r->actions[0].user_action_id == named);
      CHECK(r->token.empty());
      CHECK_FALSE(r->user.has_value());
    }
    CHECK(w.FailedTypes() == kThreeTypes);
    CHECK(w.f.events->Count(EventType::kUserLoginSuccess) == 0);
  }
  SECTION("an action that has ended no longer stops anyone") {
    UserActionLog ended;
    ended.id = REQUIRE_VALUE(UserActionLogId::Generate(*w.f.random));
    ended.actionee_user_id = w.user.id;
    ended.name = "Suspended";
    ended.create_instant = w.f.clock->Now();
    ended.expiry = w.f.clock->Now() + std::chrono::minutes(5);
    WriteBatch batch;
    batch.Insert(ended);
    REQUIRE_OK(w.f.store->Apply(batch));
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kLocked);
    w.f.clock->Advance(std::chrono::minutes(5));
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kSuccess);
    CHECK(REQUIRE_VALUE(w.Ping()).outcome == LoginOutcome::kSuccess);
    CHECK(REQUIRE_VALUE(w.Federated()).outcome == LoginOutcome::kSuccess);
  }
  SECTION("a deactivated user is not found") {
    REQUIRE_OK(w.f.engine->users().Deactivate(w.user.id));
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kInvalidCredentials);
    CHECK(REQUIRE_VALUE(w.Federated()).outcome == LoginOutcome::kInvalidCredentials);
    // The ping names its user by id: an error of the call.
    CHECK_STATUS(w.Ping(), HasCode(StatusCode::kNotFound));
    CHECK(w.FailedTypes() == std::vector<std::string>{"PASSWORD", "FEDERATED_JWT"});
    CHECK(w.f.events->Count(EventType::kUserLoginSuccess) == 0);
  }
}

TEST_CASE("every way in completes the same way: claims, login record, success event",
          "[engine][login][pipeline]") {
  ThreeWaysIn w;
  const std::vector<std::pair<std::string, Result<LoginResponse>>> ways = {
      {"PASSWORD", w.Password()}, {"PING", w.Ping()}, {"FEDERATED_JWT", w.Federated()}};
  for (const auto& [type, r] : ways) {
    INFO(type);
    REQUIRE_OK(r);
    CHECK(r->outcome == LoginOutcome::kSuccess);
    REQUIRE(r->user.has_value());
    CHECK(r->user->password_hash.hash.empty());
    REQUIRE(r->user->registrations.size() == 1);
    CHECK(r->user->registrations[0].last_login_instant == w.f.clock->Now());
    nlohmann::json claims = REQUIRE_VALUE(w.f.engine->tokens().Validate(r->token));
    CHECK(claims["authenticationType"] == type);
    CHECK(claims["sub"] == w.user.id.ToString());
    CHECK(claims["aud"] == w.f.app.id.ToString());
  }
  CHECK(REQUIRE_VALUE(w.f.engine->login().RetrieveLoginRecords(w.user.id)).size() >= 3);
  std::vector<std::string> succeeded;
  for (const Event& e : w.f.events->events()) {
    if (e.type == EventType::kUserLoginSuccess) succeeded.push_back(e.authentication_type);
  }
  CHECK(succeeded == kThreeTypes);
}

TEST_CASE("a ping answers only 200 or 202 and opens no refresh-token session",
          "[engine][login][pipeline]") {
  ThreeWaysIn w;
  SECTION("a user who must change the password: a login answers 203, a ping 200") {
    w.ChangeUser([](User& u) {
      u.password_change_required = true;
      u.password_change_reason = ChangePasswordReason::kAdministrative;
    });
    LoginResponse login = REQUIRE_VALUE(w.Password());
    CHECK(login.outcome == LoginOutcome::kPasswordChangeRequired);
    CHECK(login.token.empty());
    LoginResponse ping = REQUIRE_VALUE(w.Ping());
    CHECK(ping.outcome == LoginOutcome::kSuccess);
    CHECK_FALSE(ping.token.empty());
    CHECK(ping.refresh_token.empty());
  }
  SECTION("a tenant that requires verified email: a login answers 212, a ping 200") {
    Tenant t = REQUIRE_VALUE(w.f.engine->tenants().Retrieve(w.f.default_tenant()));
    t.email_configuration["verifyEmail"] = true;
    REQUIRE_OK(w.f.engine->tenants().Update(t));
    w.ChangeUser([](User& u) { u.verified = false; });
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kEmailNotVerified);
    CHECK(REQUIRE_VALUE(w.Ping()).outcome == LoginOutcome::kSuccess);
  }
  SECTION("the application generates refresh tokens: a login gets one, a ping none") {
    CHECK_FALSE(REQUIRE_VALUE(w.Password()).refresh_token.empty());
    LoginResponse ping = REQUIRE_VALUE(w.Ping());
    CHECK(ping.refresh_token.empty());
    CHECK_FALSE(ping.refresh_token_id.has_value());
  }
}

TEST_CASE("requireAuthentication is decided by the engine from what it loaded",
          "[engine][login][pipeline]") {
  ThreeWaysIn w;
  REQUIRE(w.f.app.login_configuration.require_authentication);  // FusionAuth's default
  SECTION("without a key the login is refused before any user is looked up") {
    CHECK_STATUS(w.Password(false), HasCode(StatusCode::kUnauthenticated));
    CHECK(w.f.events->events().empty());
    // Nor does a wrong password count towards a lock.
    Tenant t = REQUIRE_VALUE(w.f.engine->tenants().Retrieve(w.f.default_tenant()));
    t.failed_authentication_configuration.too_many_attempts = 1;
    REQUIRE_OK(w.f.engine->tenants().Update(t));
    LoginRequest wrong;
    wrong.login_id = "richard@piedpiper.com";
    wrong.password = "wrong";
    wrong.application_id = w.f.app.id;
    wrong.api_key_authenticated = false;
    CHECK_STATUS(w.f.engine->login().Login(wrong), HasCode(StatusCode::kUnauthenticated));
    CHECK(REQUIRE_VALUE(w.Password(true)).outcome == LoginOutcome::kSuccess);
  }
  SECTION("with a key, or in-process (unset), it goes on") {
    CHECK(REQUIRE_VALUE(w.Password(true)).outcome == LoginOutcome::kSuccess);
    CHECK(REQUIRE_VALUE(w.Password()).outcome == LoginOutcome::kSuccess);
  }
  SECTION("an application that does not require it needs no key") {
    w.f.app.login_configuration.require_authentication = false;
    w.f.app = REQUIRE_VALUE(w.f.engine->applications().Update(w.f.app));
    CHECK(REQUIRE_VALUE(w.Password(false)).outcome == LoginOutcome::kSuccess);
  }
  SECTION("without an application the tenant decides") {
    Tenant t = REQUIRE_VALUE(w.f.engine->tenants().Retrieve(w.f.default_tenant()));
    LoginRequest request;
    request.login_id = "richard@piedpiper.com";
    request.password = kPassword;
    request.api_key_authenticated = false;
    t.login_configuration.require_authentication = true;
    REQUIRE_OK(w.f.engine->tenants().Update(t));
    CHECK_STATUS(w.f.engine->login().Login(request), HasCode(StatusCode::kUnauthenticated));
    t.login_configuration.require_authentication = false;
    REQUIRE_OK(w.f.engine->tenants().Update(t));
    CHECK(REQUIRE_VALUE(w.f.engine->login().Login(request)).outcome == LoginOutcome::kSuccess);
  }
}

}  // namespace
}  // namespace bulwark
