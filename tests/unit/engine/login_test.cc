// SPDX-License-Identifier: Apache-2.0
//
// The Login API and the JWT API in-process: every login outcome, lockout windows driven by the
// ManualClock, access-token claims, refresh-token policies, revocation and the default key.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/crypto/jwt.h"
#include "bulwark/http/wire_json.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using test::EngineFixture;

constexpr const char* kPassword = "correct horse battery";

struct LoginWorld {
  EngineFixture f;
  Application app;
  User user;
  Key key;

  explicit LoginWorld(bool refresh = true, bool hmac = true) {
    if (hmac) {
      // A fast key, so that the tests measure behaviour, not RSA key generation.
      Key request;
      request.name = "test HS256";
      request.algorithm = KeyAlgorithm::kHs256;
      key = REQUIRE_VALUE(f.engine->keys().Generate(request));
      Tenant tenant = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
      tenant.jwt_configuration.access_token_key_id = key.id;
      tenant.failed_authentication_configuration.user_action_id =
          REQUIRE_VALUE(UserActionId::Generate(*f.random));
      REQUIRE_OK(f.engine->tenants().Update(tenant));
    }
    Application a;
    a.name = "Hooli";
    ApplicationRole role;
    role.name = "member";
    role.is_default = true;
    a.roles = {role};
    a.login_configuration.generate_refresh_tokens = refresh;
    a.login_configuration.allow_token_refresh = refresh;
    app = REQUIRE_VALUE(f.engine->applications().Create(a));
    User u = EngineFixture::NewUser("gavin@hooli.example", kPassword);
    u.username = "gavin";
    Registration r;
    r.application_id = app.id;
    user = REQUIRE_VALUE(f.engine->registrations().Register(u, r)).user;
  }

  LoginRequest Request(std::string login_id = "gavin@hooli.example",
                       std::string password = kPassword) const {
    LoginRequest request;
    request.login_id = std::move(login_id);
    request.password = std::move(password);
    request.application_id = app.id;
    request.ip_address = "192.0.2.7";
    request.device.name = "laptop";
    return request;
  }
  LoginResponse Login(const LoginRequest& request) {
    Result<LoginResponse> r = f.engine->login().Login(request);
    REQUIRE_OK(r);
    return *std::move(r);
  }
  void UpdateApp(const std::function<void(Application&)>& change) {
    Application a = REQUIRE_VALUE(f.engine->applications().Retrieve(app.id));
    change(a);
    app = REQUIRE_VALUE(f.engine->applications().Update(a));
  }
  void UpdateTenant(const std::function<void(Tenant&)>& change) {
    Tenant t = REQUIRE_VALUE(f.engine->tenants().Retrieve(f.default_tenant()));
    change(t);
    REQUIRE_OK(f.engine->tenants().Update(t));
  }
};

std::int64_t Seconds(Instant t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

TEST_CASE("login: 200 with FusionAuth's claims, a refresh token and a validating token",
          "[engine][login]") {
  LoginWorld w;
  const Instant now = w.f.clock->Now();
  LoginResponse r = w.Login(w.Request());
  REQUIRE(r.outcome == LoginOutcome::kSuccess);
  REQUIRE(r.user.has_value());
  CHECK(r.user->password_hash.hash.empty());
  CHECK(r.user->password_hash.salt.empty());
  CHECK(r.user->last_login_instant == now);
  CHECK(r.token_expiration_instant == now + seconds(3600));
  REQUIRE_FALSE(r.refresh_token.empty());
  REQUIRE(r.refresh_token_id.has_value());

  // Independent of the service: verify with the key material itself.
  Key stored = REQUIRE_VALUE(w.f.store->keys().Get(w.key.id));
  VerificationKey vk = REQUIRE_VALUE(VerificationKey::FromKey(stored));
  Result<Jwt> jwt = VerifyJwt(
      r.token, vk, {.now = now, .audiences = {w.app.id.ToString()}, .issuer = "acme.com"});
  REQUIRE_OK(jwt);
  const nlohmann::json c = jwt->claims.ToJson();
  CHECK(jwt->header["typ"] == "JWT");
  CHECK(jwt->header["alg"] == "HS256");
  CHECK(jwt->header["kid"] == stored.kid);
  CHECK(c["sub"] == w.user.id.ToString());
  CHECK(c["aud"] == w.app.id.ToString());
  CHECK(c["applicationId"] == w.app.id.ToString());
  CHECK(c["roles"] == nlohmann::json::array({"member"}));
  CHECK(c["email"] == "gavin@hooli.example");
  CHECK(c["email_verified"] == false);
  CHECK(c["preferred_username"] == "gavin");
  CHECK(c["authenticationType"] == "PASSWORD");
  CHECK(c["tid"] == w.f.default_tenant().ToString());
  CHECK(c["sid"] == r.refresh_token_id->ToString());
  CHECK(c["iat"] == Seconds(now));
  CHECK(c["exp"] == Seconds(now) + 3600);
  CHECK(c["auth_time"] == Seconds(now));
  CHECK(c["jti"].is_string());

  Result<nlohmann::json> validated = w.f.engine->tokens().Validate(r.token);
  REQUIRE_OK(validated);
  CHECK((*validated)["sub"] == w.user.id.ToString());
  std::string tampered = r.token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(w.f.engine->tokens().Validate(tampered).status().code() == StatusCode::kUnauthenticated);
  w.f.clock->Advance(seconds(3600));
  CHECK(w.f.engine->tokens().Validate(r.token).status().code() == StatusCode::kUnauthenticated);

  // The refresh token is stored as a digest, never as its value.
  RefreshToken listed =
      REQUIRE_VALUE(w.f.engine->tokens().RetrieveRefreshToken(*r.refresh_token_id));
  CHECK(listed.token.empty());
  RefreshToken raw = REQUIRE_VALUE(w.f.store->refresh_tokens().Get(*r.refresh_token_id));
  CHECK(raw.token != r.refresh_token);
  CHECK(raw.meta_data.device.name == "laptop");
  CHECK(raw.meta_data.device.last_accessed_address == "192.0.2.7");
  CHECK(w.f.events->Count(EventType::kUserLoginSuccess) == 1);
  bool seen = false;
  for (const Event& e : w.f.events->events()) {
    if (e.type != EventType::kUserLoginSuccess) continue;
    seen = true;
    CHECK(e.ip_address == "192.0.2.7");
    CHECK(e.authentication_type == "PASSWORD");
    CHECK(e.user_id == w.user.id);
    CHECK(e.application_id == w.app.id);
  }
  CHECK(seen);

  // The login is on record, with its address.
  std::vector<LoginRecord> records =
      REQUIRE_VALUE(w.f.engine->login().RetrieveLoginRecords(w.user.id));
  REQUIRE(records.size() == 1);
  CHECK(records[0].ip_address == "192.0.2.7");
  CHECK(records[0].instant == now);
  CHECK(records[0].application_id == w.app.id);
  CHECK(ToJson(records[0])["ipAddress"] == "192.0.2.7");
}

TEST_CASE("login: 404 for an unknown login id and for a wrong password alike", "[engine][login]") {
  LoginWorld w;
  LoginResponse unknown = w.Login(w.Request("nobody@hooli.example"));
  LoginResponse wrong = w.Login(w.Request("gavin@hooli.example", "wrong password"));
  CHECK(unknown.outcome == LoginOutcome::kInvalidCredentials);
  CHECK(wrong.outcome == LoginOutcome::kInvalidCredentials);
  CHECK(ToJson(unknown) == ToJson(wrong));
  CHECK_FALSE(wrong.user.has_value());
  CHECK(wrong.token.empty());
  // Username works too (loginIdTypes), and only the types asked for.
  CHECK(w.Login(w.Request("gavin")).outcome == LoginOutcome::kSuccess);
  LoginRequest email_only = w.Request("gavin");
  email_only.login_id_types = {LoginIdType::kEmail};
  CHECK(w.Login(email_only).outcome == LoginOutcome::kInvalidCredentials);
  LoginRequest blank = w.Request("", "");
  Result<LoginResponse> bad = w.f.engine->login().Login(blank);
  CHECK(bad.status().errors().HasField("blank", "loginId"));
  CHECK(bad.status().errors().HasField("blank", "password"));
  LoginRequest ghost_app = w.Request();
  ghost_app.application_id = REQUIRE_VALUE(ApplicationId::Generate(*w.f.random));
  CHECK(
      w.f.engine->login().Login(ghost_app).status().errors().HasField("invalid", "applicationId"));
  CHECK(w.f.events->Count(EventType::kUserLoginFailed) == 3);
}

TEST_CASE("login: 202 when not registered, without application claims", "[engine][login]") {
  LoginWorld w;
  Application other;
  other.name = "Other";
  other = REQUIRE_VALUE(w.f.engine->applications().Create(other));
  LoginRequest request = w.Request();
  request.application_id = other.id;
  LoginResponse r = w.Login(request);
  CHECK(r.outcome == LoginOutcome::kNotRegistered);
  CHECK(r.refresh_token.empty());
  Jwt jwt = REQUIRE_VALUE(DecodeJwtUnverified(r.token));
  CHECK(jwt.claims.ToJson()["aud"] == other.id.ToString());
  CHECK_FALSE(jwt.claims.ToJson().contains("applicationId"));
  CHECK_FALSE(jwt.claims.ToJson().contains("roles"));
  request.no_jwt = true;
  LoginResponse quiet = w.Login(request);
  CHECK(quiet.token.empty());
}

TEST_CASE("login: lockout after too many failures, 409 while in force, released at expiry",
          "[engine][login]") {
  LoginWorld w;
  // Four failures, then the window (60 s) passes: the count starts again.
  for (int i = 0; i < 4; ++i) w.Login(w.Request("gavin", "nope"));
  w.f.clock->Advance(seconds(61));
  for (int i = 0; i < 4; ++i) w.Login(w.Request("gavin", "nope"));
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);  // clears the count
  for (int i = 0; i < 4; ++i) w.Login(w.Request("gavin", "nope"));
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);
  // Five within the window: locked for 3 minutes (the tenant's default).
  for (int i = 0; i < 5; ++i) w.Login(w.Request("gavin", "nope"));
  LoginResponse locked = w.Login(w.Request());
  CHECK(locked.outcome == LoginOutcome::kLoginPrevented);
  REQUIRE(locked.actions.size() == 1);
  CHECK(locked.actions[0].expiry == w.f.clock->Now() + minutes(3));
  CHECK(ToJson(locked)["actions"][0]["name"] == "Failed authentication");
  CHECK(locked.token.empty());
  w.f.clock->Advance(minutes(3) - seconds(1));
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kLoginPrevented);
  w.f.clock->Advance(seconds(1));
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);

  SECTION("without a userActionId the lock is 423") {
    w.UpdateTenant([](Tenant& t) { t.failed_authentication_configuration.user_action_id.reset(); });
    for (int i = 0; i < 5; ++i) w.Login(w.Request("gavin", "nope"));
    CHECK(w.Login(w.Request()).outcome == LoginOutcome::kLocked);
  }
  SECTION("a lock revokes refresh tokens (onLoginPrevented)") {
    LoginResponse ok = w.Login(w.Request());
    REQUIRE_FALSE(ok.refresh_token.empty());
    for (int i = 0; i < 5; ++i) w.Login(w.Request("gavin", "nope"));
    CHECK(w.f.engine->tokens().RetrieveRefreshTokens(w.user.id)->empty());
  }
}

TEST_CASE("login: 410 expired, 203 change required, 212 email and 213 registration unverified",
          "[engine][login]") {
  LoginWorld w;
  SECTION("410") {
    User u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
    u.expiry = w.f.clock->Now();
    REQUIRE_OK(w.f.engine->users().Update(u));
    CHECK(w.Login(w.Request()).outcome == LoginOutcome::kExpired);
  }
  SECTION("203") {
    User u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
    u.password_change_required = true;
    u.password_change_reason = ChangePasswordReason::kExpired;
    REQUIRE_OK(w.f.engine->users().Update(u));
    LoginResponse r = w.Login(w.Request());
    CHECK(r.outcome == LoginOutcome::kPasswordChangeRequired);
    CHECK_FALSE(r.change_password_id.empty());
    CHECK(r.change_password_reason == ChangePasswordReason::kExpired);
    CHECK(r.token.empty());
    CHECK_FALSE(r.user.has_value());  // FusionAuth's 203 body has only the two fields
    CHECK(ToJson(r)["changePasswordReason"] == "Expired");
  }
  SECTION("212") {
    w.UpdateTenant([](Tenant& t) { t.email_configuration = {{"verifyEmail", true}}; });
    CHECK(w.Login(w.Request()).outcome == LoginOutcome::kEmailNotVerified);
    User u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
    u.verified = true;
    REQUIRE_OK(w.f.engine->users().Update(u));
    CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);
  }
  SECTION("213") {
    w.UpdateApp([](Application& a) { a.verify_registration = true; });
    CHECK(w.Login(w.Request()).outcome == LoginOutcome::kRegistrationNotVerified);
  }
  SECTION("a deactivated user is not found") {
    REQUIRE_OK(w.f.engine->users().Deactivate(w.user.id));
    CHECK(w.Login(w.Request()).outcome == LoginOutcome::kInvalidCredentials);
  }
}

TEST_CASE("login: modifyEncryptionSchemeOnLogin rehashes to the tenant's scheme",
          "[engine][login]") {
  LoginWorld w;
  w.UpdateTenant([](Tenant& t) {
    t.password_encryption_configuration.encryption_scheme = "salted-pbkdf2-hmac-sha512-512";
    t.password_encryption_configuration.encryption_scheme_factor = 1200;
  });
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);
  CHECK(w.f.store->users().Get(w.user.id)->password_hash.encryption_scheme ==
        "salted-pbkdf2-hmac-sha256");  // not asked to
  w.UpdateTenant([](Tenant& t) {
    t.password_encryption_configuration.modify_encryption_scheme_on_login = true;
  });
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);
  PasswordHash now = w.f.store->users().Get(w.user.id)->password_hash;
  CHECK(now.encryption_scheme == "salted-pbkdf2-hmac-sha512-512");
  CHECK(now.factor == 1200);
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kSuccess);  // the new hash verifies
  CHECK(w.Login(w.Request("gavin", "nope")).outcome == LoginOutcome::kInvalidCredentials);
}

TEST_CASE("login: a populate lambda adds claims but cannot change reserved ones",
          "[engine][login]") {
  const LambdaId lambda =
      REQUIRE_VALUE(LambdaId::Generate(*std::make_shared<testing::DeterministicRandom>(9)));
  LoginWorld w;
  // Reopen the engine with the lambda registered, on the same store.
  EngineOptions options = w.f.Options();
  options.jwt_populate_lambdas[lambda] = [](nlohmann::json& jwt, const User& user,
                                            const Registration* registration) {
    jwt["favoriteColor"] = "green";
    jwt["sub"] = "someone else";
    jwt["registered"] = registration != nullptr;
    jwt["first"] = user.first_name;
    jwt["sawHash"] = !user.password_hash.hash.empty() || !user.password_hash.salt.empty();
    return Status::Ok();
  };
  w.f.engine = REQUIRE_VALUE(Engine::Open(options));
  w.UpdateApp([&](Application& a) { a.lambda_configuration.access_token_populate_id = lambda; });
  LoginResponse r = w.Login(w.Request());
  Jwt jwt = REQUIRE_VALUE(DecodeJwtUnverified(r.token));
  CHECK(jwt.claims.ToJson()["favoriteColor"] == "green");
  CHECK(jwt.claims.ToJson()["registered"] == true);
  CHECK(jwt.claims.ToJson()["first"] == "Richard");
  CHECK(jwt.claims.ToJson()["sawHash"] == false);
  CHECK(jwt.claims.ToJson()["sub"] == w.user.id.ToString());
}

TEST_CASE("refresh: reusable tokens, fixed and sliding expiry", "[engine][tokens]") {
  LoginWorld w;
  LoginResponse r = w.Login(w.Request());
  w.f.clock->Advance(minutes(10));
  Result<RefreshResponse> refreshed =
      w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token});
  REQUIRE_OK(refreshed);
  CHECK(refreshed->refresh_token == r.refresh_token);
  CHECK(refreshed->refresh_token_id == *r.refresh_token_id);
  Jwt jwt = REQUIRE_VALUE(DecodeJwtUnverified(refreshed->token));
  CHECK(jwt.claims.ToJson()["authenticationType"] == "REFRESH_TOKEN");
  CHECK(jwt.claims.ToJson()["auth_time"] ==
        REQUIRE_VALUE(DecodeJwtUnverified(r.token)).claims.ToJson()["auth_time"]);
  CHECK(w.f.events->Count(EventType::kJwtRefresh) == 1);

  SECTION("Fixed: expires 30 days after issue whatever the use") {
    w.f.clock->Advance(minutes(43200 - 10) - seconds(1));
    CHECK_OK(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
    w.f.clock->Advance(seconds(1));
    Result<RefreshResponse> late = w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token});
    CHECK(late.status().errors().HasField("invalid", "refreshToken"));
  }
  SECTION("SlidingWindow: each use extends it") {
    w.UpdateTenant([](Tenant& t) {
      t.jwt_configuration.refresh_token_expiration_policy =
          RefreshTokenExpirationPolicy::kSlidingWindow;
      t.jwt_configuration.refresh_token_time_to_live_in_minutes = 60;
    });
    for (int i = 0; i < 5; ++i) {
      w.f.clock->Advance(minutes(59));
      REQUIRE_OK(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
    }
    w.f.clock->Advance(minutes(60));
    CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
  }
  SECTION("SlidingWindowWithMaximumLifetime: capped") {
    w.UpdateTenant([](Tenant& t) {
      t.jwt_configuration.refresh_token_expiration_policy =
          RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime;
      t.jwt_configuration.refresh_token_time_to_live_in_minutes = 60;
      t.jwt_configuration.refresh_token_sliding_window_configuration
          .maximum_time_to_live_in_minutes = 120;
    });
    w.f.clock->Advance(minutes(50));  // 60 min since issue
    REQUIRE_OK(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
    w.f.clock->Advance(minutes(50));  // 110
    REQUIRE_OK(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
    w.f.clock->Advance(minutes(10));  // 120: the cap
    CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
  }
  SECTION("the application must allow refresh") {
    w.UpdateApp([](Application& a) { a.login_configuration.allow_token_refresh = false; });
    CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
  }
  SECTION("unknown tokens are invalid") {
    CHECK(w.f.engine->tokens()
              .Refresh({.refresh_token = "not-a-token"})
              .status()
              .errors()
              .HasField("invalid", "refreshToken"));
  }
}

TEST_CASE("refresh: one-time tokens rotate; reuse within the grace period, then refused",
          "[engine][tokens]") {
  LoginWorld w;
  w.UpdateTenant([](Tenant& t) {
    t.jwt_configuration.refresh_token_usage_policy = RefreshTokenUsagePolicy::kOneTimeUse;
    t.jwt_configuration.refresh_token_one_time_use_configuration.grace_period_in_seconds = 30;
    t.jwt_configuration.refresh_token_revocation_policy.on_one_time_token_reuse = true;
  });
  LoginResponse r = w.Login(w.Request());
  RefreshResponse first =
      REQUIRE_VALUE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
  CHECK(first.refresh_token != r.refresh_token);
  CHECK(first.refresh_token_id == *r.refresh_token_id);  // the id is stable
  w.f.clock->Advance(seconds(30));
  // Within the grace period the previous value gets the current one, not a new rotation.
  Result<RefreshResponse> grace = w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token});
  REQUIRE_OK(grace);
  CHECK(grace->refresh_token == first.refresh_token);
  w.f.clock->Advance(seconds(1));
  Result<RefreshResponse> reused = w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token});
  CHECK(reused.status().errors().HasField("invalid", "refreshToken"));
  // onOneTimeTokenReuse: the token itself is revoked, so its current value is dead too.
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = first.refresh_token}).ok());
  CHECK(w.f.events->Count(EventType::kJwtRefreshTokenRevoke) == 1);
}

TEST_CASE("refresh: concurrent refreshes of one one-time token rotate it once",
          "[engine][tokens][concurrency]") {
  LoginWorld w;
  w.UpdateTenant([](Tenant& t) {
    t.jwt_configuration.refresh_token_usage_policy = RefreshTokenUsagePolicy::kOneTimeUse;
    t.jwt_configuration.refresh_token_one_time_use_configuration.grace_period_in_seconds = 60;
  });
  LoginResponse r = w.Login(w.Request());
  constexpr int kThreads = 4;
  std::vector<Result<RefreshResponse>> results(kThreads, Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}); });
  }
  for (std::thread& t : threads) t.join();
  // One rotation; every caller holds the winner's value (the losers were inside the grace
  // period), and that value works.
  std::string winner;
  for (const auto& result : results) {
    REQUIRE_OK(result);
    CHECK(result->refresh_token != r.refresh_token);
    if (winner.empty()) winner = result->refresh_token;
    CHECK(result->refresh_token == winner);
  }
  w.f.clock->Advance(seconds(61));
  CHECK_OK(w.f.engine->tokens().Refresh({.refresh_token = winner}));
}

TEST_CASE("revoke and logout", "[engine][tokens]") {
  LoginWorld w;
  LoginResponse a = w.Login(w.Request());
  LoginResponse b = w.Login(w.Request());
  LoginResponse c = w.Login(w.Request());
  CHECK(w.f.engine->tokens().RetrieveRefreshTokens(w.user.id)->size() == 3);
  REQUIRE_OK(w.f.engine->tokens().RevokeRefreshToken(a.refresh_token));
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = a.refresh_token}).ok());
  CHECK(w.f.engine->tokens().RevokeRefreshToken(a.refresh_token).code() == StatusCode::kNotFound);
  REQUIRE_OK(w.f.engine->tokens().Logout(b.refresh_token));
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = b.refresh_token}).ok());
  CHECK_OK(w.f.engine->tokens().Refresh({.refresh_token = c.refresh_token}));
  CHECK(w.f.engine->tokens().Logout("unknown").ok());
  LoginResponse d = w.Login(w.Request());
  REQUIRE_OK(w.f.engine->tokens().Logout(d.refresh_token, /*global=*/true));
  CHECK(w.f.engine->tokens().RetrieveRefreshTokens(w.user.id)->empty());
  LoginResponse e = w.Login(w.Request());
  REQUIRE_OK(w.f.engine->tokens().RevokeRefreshTokensOfApplication(w.app.id));
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = e.refresh_token}).ok());
  LoginResponse g = w.Login(w.Request());
  REQUIRE_OK(w.f.engine->tokens().RevokeRefreshTokenById(*g.refresh_token_id));
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = g.refresh_token}).ok());
}

TEST_CASE("keys: a default RS256 signing key is generated on first use and published",
          "[engine][keys]") {
  LoginWorld w(/*refresh=*/false, /*hmac=*/false);
  LoginResponse r = w.Login(w.Request());
  REQUIRE(r.outcome == LoginOutcome::kSuccess);
  Jwt jwt = REQUIRE_VALUE(DecodeJwtUnverified(r.token));
  CHECK(jwt.header["alg"] == "RS256");
  const Tenant tenant = REQUIRE_VALUE(w.f.engine->tenants().Retrieve(w.f.default_tenant()));
  REQUIRE(tenant.jwt_configuration.access_token_key_id.has_value());
  Key key =
      REQUIRE_VALUE(w.f.engine->keys().Retrieve(*tenant.jwt_configuration.access_token_key_id));
  CHECK(key.name == "Default signing key");
  CHECK(key.private_key.empty());  // never returned
  CHECK(key.has_private_key);
  CHECK(jwt.header["kid"] == key.kid);
  nlohmann::json jwks = REQUIRE_VALUE(w.f.engine->keys().Jwks());
  REQUIRE(jwks["keys"].size() == 1);
  CHECK(jwks["keys"][0]["kid"] == key.kid);
  CHECK_FALSE(jwks["keys"][0].contains("d"));
  CHECK_OK(w.f.engine->tokens().Validate(r.token));
  // A second login reuses it.
  LoginResponse again = w.Login(w.Request());
  CHECK(REQUIRE_VALUE(DecodeJwtUnverified(again.token)).header["kid"] == key.kid);
  CHECK(w.f.engine->keys().RetrieveAll()->size() == 1);
}

TEST_CASE("login ping records a login without a password", "[engine][login]") {
  LoginWorld w;
  w.f.clock->Advance(minutes(5));
  Result<LoginResponse> ping = w.f.engine->login().Ping(w.user.id, w.app.id);
  REQUIRE_OK(ping);
  CHECK(ping->outcome == LoginOutcome::kSuccess);
  CHECK(REQUIRE_VALUE(DecodeJwtUnverified(ping->token)).claims.ToJson()["authenticationType"] ==
        "PING");
  CHECK(w.f.store->users().Get(w.user.id)->last_login_instant == w.f.clock->Now());
  CHECK(w.f.engine->login().RetrieveLoginRecords(w.user.id, 1)->front().instant ==
        w.f.clock->Now());  // newest first
  CHECK(w.f.engine->login()
            .Ping(REQUIRE_VALUE(UserId::Generate(*w.f.random)), w.app.id)
            .status()
            .code() == StatusCode::kNotFound);
}

TEST_CASE("a new password revokes refresh tokens (onPasswordChanged)", "[engine][tokens]") {
  LoginWorld w;
  LoginResponse r = w.Login(w.Request());
  User u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
  u.first_name = "Gavin";
  REQUIRE_OK(w.f.engine->users().Update(u));  // no password: tokens stay
  CHECK_OK(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
  CHECK(w.f.events->Count(EventType::kUserPasswordUpdate) == 0);
  u.password = "a brand new password";
  REQUIRE_OK(w.f.engine->users().Update(u));
  CHECK(w.f.events->Count(EventType::kUserPasswordUpdate) == 1);
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kInvalidCredentials);
  CHECK(w.Login(w.Request("gavin", "a brand new password")).outcome == LoginOutcome::kSuccess);

  SECTION("unless the tenant says otherwise") {
    w.UpdateTenant([](Tenant& t) {
      t.jwt_configuration.refresh_token_revocation_policy.on_password_changed = false;
    });
    LoginResponse again = w.Login(w.Request("gavin", "a brand new password"));
    u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
    u.password = "yet another password";
    REQUIRE_OK(w.f.engine->users().Update(u));
    CHECK_OK(w.f.engine->tokens().Refresh({.refresh_token = again.refresh_token}));
  }
}

TEST_CASE("login: an enabled application jwtConfiguration overrides the tenant's",
          "[engine][login]") {
  LoginWorld w;
  w.UpdateApp([](Application& a) {
    a.jwt_configuration.enabled = true;
    a.jwt_configuration.time_to_live_in_seconds = 60;
  });
  const Instant now = w.f.clock->Now();
  LoginResponse r = w.Login(w.Request());
  // The application names no key of its own: the tenant's key signs.
  CHECK(r.token_expiration_instant == now + seconds(60));
  CHECK(REQUIRE_VALUE(DecodeJwtUnverified(r.token)).claims.ToJson()["exp"] == Seconds(now) + 60);
  w.f.clock->Advance(seconds(60));
  CHECK_FALSE(w.f.engine->tokens().Validate(r.token).ok());
}

TEST_CASE("login: concurrent logins and failures from many threads",
          "[engine][login][concurrency]") {
  LoginWorld w(/*refresh=*/true);
  w.UpdateTenant([](Tenant& t) { t.failed_authentication_configuration.too_many_attempts = 1000; });
  constexpr int kThreads = 6;
  std::vector<LoginOutcome> outcomes(kThreads);
  std::vector<std::string> refresh(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Result<LoginResponse> r = w.f.engine->login().Login(
          i % 2 == 0 ? w.Request() : w.Request("gavin", "wrong password"));
      outcomes[i] = r.ok() ? r->outcome : LoginOutcome::kLocked;
      if (r.ok()) refresh[i] = r->refresh_token;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    CHECK(outcomes[i] == (i % 2 == 0 ? LoginOutcome::kSuccess : LoginOutcome::kInvalidCredentials));
  }
  CHECK(w.f.engine->tokens().RetrieveRefreshTokens(w.user.id)->size() == kThreads / 2);
}

TEST_CASE("lockout: a locked user gets the same answer with a wrong password", "[engine][login]") {
  LoginWorld w;
  for (int i = 0; i < 5; ++i) w.Login(w.Request("gavin", "nope"));
  LoginResponse right = w.Login(w.Request());
  LoginResponse wrong = w.Login(w.Request("gavin", "still wrong"));
  CHECK(right.outcome == LoginOutcome::kLoginPrevented);
  CHECK(wrong.outcome == LoginOutcome::kLoginPrevented);
  CHECK(ToJson(right) == ToJson(wrong));
}

TEST_CASE("lockout: concurrent failures cannot slip past the limit",
          "[engine][login][concurrency]") {
  LoginWorld w;
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      Result<LoginResponse> r = w.f.engine->login().Login(w.Request("gavin", "nope"));
      CHECK_OK(r);
    });
  }
  for (std::thread& t : threads) t.join();
  // 8 failures within the window against a limit of 5: locked, with exactly one lock.
  CHECK(w.Login(w.Request()).outcome == LoginOutcome::kLoginPrevented);
  CHECK(w.f.store->user_actions().ListInForce(w.user.id, w.f.clock->Now())->size() == 1);
}

TEST_CASE("validate: only keys that sign access tokens, and never a deleted one",
          "[engine][tokens][keys]") {
  LoginWorld w;
  LoginResponse r = w.Login(w.Request());
  REQUIRE_OK(w.f.engine->tokens().Validate(r.token));

  // A key in Key Master that no tenant or application uses for access tokens (say an
  // identity provider's) cannot vouch for a token, even with a valid signature.
  Key other_request;
  other_request.name = "someone else's";
  other_request.algorithm = KeyAlgorithm::kHs256;
  Key other = REQUIRE_VALUE(w.f.engine->keys().Generate(other_request));
  SigningKey other_signer =
      REQUIRE_VALUE(SigningKey::FromKey(REQUIRE_VALUE(w.f.store->keys().Get(other.id))));
  nlohmann::json claims = REQUIRE_VALUE(DecodeJwtUnverified(r.token)).claims.ToJson();
  const std::string forged = REQUIRE_VALUE(SignJwt(claims, other_signer));
  CHECK(w.f.engine->tokens().Validate(forged).status().code() == StatusCode::kUnauthenticated);
  // A kid nobody has, and alg none.
  Jwt parts = REQUIRE_VALUE(DecodeJwtUnverified(r.token));
  CHECK(w.f.engine->tokens().Validate("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.e30.").status().code() !=
        StatusCode::kOk);
  CHECK_FALSE(w.f.engine->tokens().Validate("not a token").ok());

  // The key in use cannot be deleted; once replaced, deleting it ends its tokens.
  CHECK(w.f.engine->keys().Delete(w.key.id).errors().HasField("inUse", "keyId"));
  w.UpdateTenant([&](Tenant& t) { t.jwt_configuration.access_token_key_id = other.id; });
  REQUIRE_OK(w.f.engine->keys().Delete(w.key.id));
  CHECK(w.f.engine->tokens().Validate(r.token).status().code() == StatusCode::kUnauthenticated);
  LoginResponse again = w.Login(w.Request());
  CHECK_OK(w.f.engine->tokens().Validate(again.token));
  CHECK(REQUIRE_VALUE(DecodeJwtUnverified(again.token)).header["kid"] == other.kid);
}

TEST_CASE("refresh: refused for users who can no longer log in", "[engine][tokens]") {
  LoginWorld w;
  LoginResponse r = w.Login(w.Request());
  SECTION("deactivated") {
    REQUIRE_OK(w.f.engine->users().Deactivate(w.user.id));
    CHECK(w.f.engine->tokens()
              .Refresh({.refresh_token = r.refresh_token})
              .status()
              .errors()
              .HasField("invalid", "refreshToken"));
  }
  SECTION("no longer registered") {
    REQUIRE_OK(w.f.engine->registrations().Delete(w.user.id, w.app.id));
    CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
  }
  SECTION("expired") {
    User u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
    u.expiry = w.f.clock->Now();
    REQUIRE_OK(w.f.engine->users().Update(u));
    CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
  }
  SECTION("a ping for a locked user is refused too") {
    w.UpdateTenant([](Tenant& t) {
      t.jwt_configuration.refresh_token_revocation_policy.on_login_prevented = false;
    });
    for (int i = 0; i < 5; ++i) w.Login(w.Request("gavin", "nope"));
    CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());
    CHECK(w.f.engine->login().Ping(w.user.id, w.app.id)->outcome == LoginOutcome::kLoginPrevented);
  }
}

TEST_CASE(
    "refresh: one-time tokens without a grace period refuse any replay; logout with a "
    "superseded value ends the session",
    "[engine][tokens]") {
  LoginWorld w;
  w.UpdateTenant([](Tenant& t) {
    t.jwt_configuration.refresh_token_usage_policy = RefreshTokenUsagePolicy::kOneTimeUse;
  });
  LoginResponse r = w.Login(w.Request());
  RefreshResponse next =
      REQUIRE_VALUE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}));
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = r.refresh_token}).ok());  // same ms
  CHECK_OK(w.f.engine->tokens().Refresh({.refresh_token = next.refresh_token}));
  LoginResponse s = w.Login(w.Request());
  RefreshResponse s2 =
      REQUIRE_VALUE(w.f.engine->tokens().Refresh({.refresh_token = s.refresh_token}));
  REQUIRE_OK(w.f.engine->tokens().Logout(s.refresh_token));  // the superseded value
  CHECK_FALSE(w.f.engine->tokens().Refresh({.refresh_token = s2.refresh_token}).ok());
}

TEST_CASE("login: the response and the populate lambda never see credentials", "[engine][login]") {
  LoginWorld w;
  User u = REQUIRE_VALUE(w.f.engine->users().Retrieve(w.user.id));
  UserTwoFactorMethod method;
  method.id = "m1";
  method.method = "authenticator";
  method.secret = "JBSWY3DPEHPK3PXP";
  u.two_factor.methods = {method};
  u.two_factor.recovery_codes = {"recovery-1"};
  REQUIRE_OK(w.f.engine->users().Update(u));
  LoginResponse r = w.Login(w.Request());
  REQUIRE(r.user.has_value());
  CHECK(r.user->two_factor.methods.at(0).secret.empty());
  CHECK(r.user->two_factor.recovery_codes.empty());
  CHECK(r.user->password_hash.hash.empty());
  const std::string body = ToJson(r).dump();
  CHECK(body.find("JBSWY3DPEHPK3PXP") == std::string::npos);
  CHECK(body.find("recovery-1") == std::string::npos);
  CHECK(body.find(r.refresh_token) != std::string::npos);  // the owner gets its token
}

}  // namespace
}  // namespace bulwark
