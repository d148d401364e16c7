// SPDX-License-Identifier: Apache-2.0
// The security catalogue, part 1: one test for each hole an outside attack run found against
// bulwark-server (issue 11). Each replays the attack and fails if it gets through again.
#include <climits>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/testing/status_matchers.h"
#include "bulwark/testing/test_issuer.h"
#include "crypto/base64.h"
#include "security/two_tenants.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

// An attacker's signing key: its private half stays with the attacker (the TestIssuer), its
// public half is what gets imported into Key Master.
testing::TestIssuer AttackerIssuer(const std::shared_ptr<testing::ManualClock>& clock) {
  return testing::TestIssuer::Create(
             {.issuer = "https://attacker.test", .algorithm = KeyAlgorithm::kEs256, .clock = clock})
      .value();
}

json ImportBody(const testing::TestIssuer& issuer) {
  return json{{"key",
               {{"name", "attacker"},
                {"algorithm", "ES256"},
                {"kid", issuer.kid()},
                {"publicKey", issuer.verification_key().public_key}}}};
}

TEST_CASE_METHOD(TwoTenants,
                 "hole 1: a key locked to tenant B cannot log in as tenant A's admin through an "
                 "identity provider it makes",
                 "[security][hole1]") {
  const testing::TestIssuer attacker = AttackerIssuer(clock);
  const json provider_body = {
      {"identityProvider",
       {{"type", "ExternalJWT"},
        {"name", "attacker"},
        {"enabled", true},
        {"linkingStrategy", "LinkByEmail"},
        {"headerKeyParameter", "kid"},
        {"uniqueIdentityClaim", "email"},
        {"applicationConfiguration", {{app_a, {{"enabled", true}, {"createRegistration", true}}}}}}}};

  SECTION("the first step, importing a key into Key Master, is refused") {
    CHECK(AsB("POST", "/api/key/import", ImportBody(attacker)).status == 401);
  }

  SECTION("with a key an administrator imported, the provider cannot be enabled for A") {
    const std::string key_id = Must(Api("POST", "/api/key/import", ImportBody(attacker)),
                                    "import")["key"]["id"];
    json body = provider_body;
    body["identityProvider"]["verificationKeyIds"] = {key_id};
    // Without a tenantId the provider would be global; the locked key's is B's, and A's
    // application is not in B.
    http::HttpResponse created = AsB("POST", "/api/identity-provider", body);
    CHECK(created.status == 400);
    CHECK(HasFieldError(created, "identityProvider.applicationConfiguration", "invalid"));

    // Enabled for B's application instead, the provider is B's and cannot reach A.
    body["identityProvider"]["applicationConfiguration"] = {
        {app_b, {{"enabled", true}, {"createRegistration", true}}}};
    created = AsB("POST", "/api/identity-provider", body);
    REQUIRE(created.status == 200);
    CHECK(Json(created)["identityProvider"]["tenantId"] == b);
    const std::string provider = Json(created)["identityProvider"]["id"];

    const std::string token =
        attacker.Mint({{"sub", "attacker-1"}, {"email", "richard@piedpiper.test"},
                       {"email_verified", true}})
            .value();
    http::HttpResponse login =
        Api("POST", "/api/identity-provider/login",
            json{{"applicationId", app_a}, {"identityProviderId", provider}, {"data", {{"token", token}}}},
            {}, false);
    CHECK(login.status != 200);
    CHECK(login.body.find("refreshToken") == std::string::npos);
    // Nothing was linked to A's admin.
    const json links = Must(Api("GET", "/api/identity-provider/link?userId=" +
                                           admin_a["id"].get<std::string>()),
                            "links");
    CHECK(links["identityProviderLinks"].empty());
  }

  SECTION("tenant A's global provider is not B's to change or delete") {
    const std::string key_id = Must(Api("POST", "/api/key/import", ImportBody(attacker)),
                                    "import")["key"]["id"];
    json body = provider_body;
    body["identityProvider"]["verificationKeyIds"] = {key_id};
    const json global = Must(Api("POST", "/api/identity-provider", body), "global provider");
    const std::string id = global["identityProvider"]["id"];
    CHECK(AsB("PATCH", "/api/identity-provider/" + id,
              json{{"identityProvider", {{"name", "taken over"}}}})
              .status == 401);
    CHECK(AsB("PUT", "/api/identity-provider/" + id, body).status == 401);
    CHECK(AsB("DELETE", "/api/identity-provider/" + id).status == 401);
    CHECK(Must(Api("GET", "/api/identity-provider/" + id), "provider")["identityProvider"]["name"] ==
          "attacker");
    // Reading it is still allowed: global providers serve every tenant.
    CHECK(AsB("GET", "/api/identity-provider/" + id).status == 200);
  }
}

TEST_CASE_METHOD(TwoTenants,
                 "hole 2: a token for tenant A's user signed by a key tenant B uses does not "
                 "validate",
                 "[security][hole2]") {
  const testing::TestIssuer attacker = AttackerIssuer(clock);
  const std::string key_id =
      Must(Api("POST", "/api/key/import", ImportBody(attacker)), "import")["key"]["id"];
  // B's access tokens are signed by that key (the attacker holds its private half).
  REQUIRE(InB("PATCH", "/api/tenant/" + b,
              json{{"tenant", {{"jwtConfiguration", {{"accessTokenKeyId", key_id}}}}}})
              .status == 200);

  const json forged_claims = {{"sub", admin_a["id"]},
                              {"tid", a},
                              {"aud", app_a},
                              {"applicationId", app_a},
                              {"roles", {"admin"}},
                              {"iss", "acme.com"}};
  const std::string forged = REQUIRE_VALUE(attacker.Mint(forged_claims));
  auto validate = [&](const std::string& token, HttpHeaders headers) {
    headers.emplace_back("Authorization", "Bearer " + token);
    return Api("GET", "/api/jwt/validate", std::nullopt, std::move(headers), false);
  };
  CHECK(validate(forged, {}).status == 401);
  CHECK(validate(forged, {{"X-FusionAuth-TenantId", a}}).status == 401);
  CHECK_FALSE(engine->tokens().Validate(forged).ok());

  // The same key does vouch for B's own tokens: it is the tenant binding that refuses.
  json own = forged_claims;
  own["tid"] = b;
  own["aud"] = app_b;
  own["applicationId"] = app_b;
  CHECK(validate(REQUIRE_VALUE(attacker.Mint(own)), {}).status == 200);

  // A token naming no tenant is refused too.
  json untenanted = own;
  untenanted.erase("tid");
  CHECK(validate(REQUIRE_VALUE(attacker.Mint(untenanted)), {}).status == 401);
}

TEST_CASE_METHOD(TwoTenants,
                 "hole 3: a key locked to tenant B cannot change, delete or borrow keys it does "
                 "not own",
                 "[security][hole3]") {
  // A's signing key: made by an administrator and named by tenant A.
  const json key_a = Must(Api("POST", "/api/key/generate",
                              json{{"key", {{"name", "A's signing key"}, {"algorithm", "ES256"}}}}),
                          "generate")["key"];
  const std::string key_a_id = key_a["id"];
  REQUIRE(Api("PATCH", "/api/tenant/" + a,
              json{{"tenant", {{"jwtConfiguration", {{"accessTokenKeyId", key_a_id}}}}}})
              .status == 200);

  CHECK(AsB("PUT", "/api/key/" + key_a_id, json{{"key", {{"name", "renamed"}}}}).status == 401);
  CHECK(AsB("DELETE", "/api/key/" + key_a_id).status == 401);
  CHECK(AsB("POST", "/api/key/generate", json{{"key", {{"name", "B's"}, {"algorithm", "ES256"}}}})
            .status == 401);
  CHECK(Must(Api("GET", "/api/key/" + key_a_id), "key")["key"]["name"] == "A's signing key");

  // Not visible to B either.
  CHECK(AsB("GET", "/api/key/" + key_a_id).status == 404);
  const json visible = Must(AsB("GET", "/api/key"), "keys");
  for (const json& listed : visible["keys"]) CHECK(listed["id"] != key_a_id);

  // B's applications and tenant cannot be pointed at A's key.
  http::HttpResponse borrowed =
      AsB("POST", "/api/application",
          json{{"application",
                {{"name", "Borrower"},
                 {"jwtConfiguration", {{"enabled", true}, {"accessTokenKeyId", key_a_id}}}}}});
  CHECK(borrowed.status == 400);
  CHECK(HasFieldError(borrowed, "application.jwtConfiguration.accessTokenKeyId", "invalid"));
  CHECK(AsB("PATCH", "/api/application/" + app_b,
            json{{"application",
                  {{"jwtConfiguration", {{"enabled", true}, {"idTokenKeyId", key_a_id}}}}}})
            .status == 400);
  http::HttpResponse tenant =
      AsB("PATCH", "/api/tenant/" + b,
          json{{"tenant", {{"jwtConfiguration", {{"accessTokenKeyId", key_a_id}}}}}});
  CHECK(tenant.status == 400);
  CHECK(HasFieldError(tenant, "tenant.jwtConfiguration.accessTokenKeyId", "invalid"));
  // So B's tokens never carry A's kid.
  const std::string token = LoginAs("gavin@hooli.test", app_b)["token"];
  const std::vector<std::uint8_t> header =
      REQUIRE_VALUE(internal::Base64UrlDecode(token.substr(0, token.find('.'))));
  CHECK(json::parse(header.begin(), header.end())["kid"] != key_a["kid"]);

  // An unrestricted key keeps every ability.
  CHECK(InB("PATCH", "/api/application/" + app_b,
            json{{"application",
                  {{"jwtConfiguration", {{"enabled", true}, {"accessTokenKeyId", key_a_id}}}}}})
            .status == 200);
  CHECK(Api("PUT", "/api/key/" + key_a_id, json{{"key", {{"name", "renamed"}}}}).status == 200);
}

TEST_CASE_METHOD(TwoTenants,
                 "hole 4: a deactivated application issues no tokens, exactly as a missing one",
                 "[security][hole4]") {
  const json session = LoginAs("richard@piedpiper.test", app_a);
  const std::string refresh_token = session["refreshToken"];
  REQUIRE(Api("DELETE", "/api/application/" + app_a).status == 200);  // a soft delete
  REQUIRE(Must(Api("GET", "/api/application/" + app_a), "app")["application"]["active"] == false);

  const json credentials = {{"loginId", "richard@piedpiper.test"},
                            {"password", "correct horse battery"},
                            {"applicationId", app_a}};
  http::HttpResponse login = Api("POST", "/api/login", credentials);
  json missing = credentials;
  missing["applicationId"] = "00000000-0000-4000-8000-00000000abcd";
  http::HttpResponse login_missing = Api("POST", "/api/login", missing);
  CHECK(login.status == 400);
  CHECK(login.status == login_missing.status);
  CHECK(Json(login) == Json(login_missing));

  http::HttpResponse refresh =
      Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh_token}});
  CHECK(refresh.status == 400);
  CHECK(HasFieldError(refresh, "refreshToken", "invalid"));

  http::HttpResponse ping =
      Api("PUT", "/api/login/" + admin_a["id"].get<std::string>() + "/" + app_a);
  CHECK(ping.status == 400);
  CHECK(ping.body.find("token") == std::string::npos);

  // In-process, the same.
  CHECK_FALSE(
      engine->login()
          .Ping(REQUIRE_VALUE(UserId::Parse(admin_a["id"].get<std::string>())), app.id, "", false)
          .ok());
  IdentityProvider provider = CreateProvider(ExternalJwtProvider());
  Result<LoginResponse> federated =
      LoginWith(provider, Mint({{"sub", "ext-1"}, {"email", "richard@piedpiper.test"},
                                {"email_verified", true}}));
  REQUIRE_FALSE(federated.ok());
  CHECK(federated.status().errors().HasField("invalid", "applicationId"));

  // Reactivated, it issues again.
  REQUIRE(Api("PUT", "/api/application/" + app_a + "?reactivate=true").status == 200);
  CHECK(Api("POST", "/api/login", credentials).status == 200);
}

TEST_CASE_METHOD(TwoTenants,
                 "hole 5: lockout durations are bounded per unit and the largest lock ends in "
                 "the future",
                 "[security][hole5]") {
  auto configure = [&](long long duration, const std::string& unit) {
    return Api("PATCH", "/api/tenant/" + a,
               json{{"tenant",
                     {{"failedAuthenticationConfiguration",
                       {{"tooManyAttempts", 2},
                        {"resetCountInSeconds", 60},
                        {"actionDuration", duration},
                        {"actionDurationUnit", unit}}}}}});
  };
  // The attack's value: far more than fits in int64 milliseconds.
  CHECK(configure(INT_MAX, "YEARS").status == 400);
  CHECK(HasFieldError(configure(300'000'000, "YEARS"),
                      "tenant.failedAuthenticationConfiguration.actionDuration", "invalid"));
  // One past the largest accepted amount of each unit (10,000 years; minutes: the int limit).
  CHECK(configure(10'001, "YEARS").status == 400);
  CHECK(configure(121'667, "MONTHS").status == 400);
  CHECK(configure(521'429, "WEEKS").status == 400);
  CHECK(configure(3'650'001, "DAYS").status == 400);
  CHECK(configure(87'600'001, "HOURS").status == 400);
  CHECK(configure(2'147'483'648LL, "MINUTES").status == 400);  // not an int
  for (const auto& [amount, unit] : std::vector<std::pair<long long, std::string>>{
           {2'147'483'647LL, "MINUTES"},
           {87'600'000, "HOURS"},
           {3'650'000, "DAYS"},
           {521'428, "WEEKS"},
           {121'666, "MONTHS"}}) {
    INFO(unit);
    CHECK(configure(amount, unit).status == 200);
  }

  // The largest value: the lock lasts 10,000 years from now, not a moment in the past.
  REQUIRE(configure(10'000, "YEARS").status == 200);
  const json wrong = {{"loginId", "richard@piedpiper.test"},
                      {"password", "wrong password"},
                      {"applicationId", app_a}};
  CHECK(Api("POST", "/api/login", wrong).status == 404);
  CHECK(Api("POST", "/api/login", wrong).status == 404);
  const json right = {{"loginId", "richard@piedpiper.test"},
                      {"password", "correct horse battery"},
                      {"applicationId", app_a}};
  CHECK(Api("POST", "/api/login", right).status == 423);
  clock->Advance(std::chrono::hours(24 * 365 * 9'999));
  CHECK(Api("POST", "/api/login", right).status == 423);
  clock->Advance(std::chrono::hours(24 * 366));
  CHECK(Api("POST", "/api/login", right).status == 200);
}

TEST_CASE_METHOD(TwoTenants,
                 "hole 6: emails are one identity under Unicode simple case folding, and "
                 "look-alikes stay distinct",
                 "[security][hole6]") {
  auto create = [&](const std::string& email) {
    return Api("POST", "/api/user",
               json{{"user", {{"email", email}, {"password", "correct horse battery"}}}},
               {{"X-FusionAuth-TenantId", a}});
  };
  REQUIRE(create("\xC3\x9CNI@example.com").status == 200);  // ÜNI@
  http::HttpResponse folded = create("\xC3\xBCni@example.com");  // üni@
  CHECK(folded.status == 400);
  CHECK(HasFieldError(folded, "user.email", "duplicate"));
  CHECK(create("uNI@EXAMPLE.com").status == 200);  // u is not ü
  // Either case finds the one user, by lookup and by login.
  const json by_upper = Must(Api("GET", "/api/user?email=%C3%9CNI@example.com", std::nullopt,
                                 {{"X-FusionAuth-TenantId", a}}),
                             "by ÜNI");
  const json by_lower = Must(Api("GET", "/api/user?email=%C3%BCni@example.com", std::nullopt,
                                 {{"X-FusionAuth-TenantId", a}}),
                             "by üni");
  CHECK(by_upper["user"]["id"] == by_lower["user"]["id"]);
  CHECK(Api("POST", "/api/login",
            json{{"loginId", "\xC3\xBCNI@example.com"}, {"password", "correct horse battery"}},
            {{"X-FusionAuth-TenantId", a}})
            .status == 200);
  // Fullwidth letters (U+FF35 U+FF2E U+FF29) and a Cyrillic look-alike (U+0406) are other
  // addresses, as NFKC would not keep them.
  CHECK(create("\xEF\xBC\xB5\xEF\xBC\xAE\xEF\xBC\xA9@example.com").status == 200);
  CHECK(create("UN\xD0\x86@example.com").status == 200);
}

}  // namespace
}  // namespace bulwark::test
