// SPDX-License-Identifier: Apache-2.0
// FusionAuth's TypeScript client sends an absent optional query value as the text `null` or
// `undefined` (`revokeRefreshToken(token, null, null)` sends `&userId=null&applicationId=null`):
// every query-reading endpoint treats such a parameter as absent.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bulwark/model/login_record.h"
#include "bulwark/testing/status_matchers.h"
#include "integration/router_fixture.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

struct AbsentQueryFixture : RouterFixture {
  json user;
  std::string user_id;
  std::string app_id;

  AbsentQueryFixture() {
    user = RegisterUser("richard@piedpiper.test");
    user_id = user["id"];
    app_id = app.id.ToString();
    http::HttpResponse patched =
        Api("PATCH", "/api/application/" + app_id,
            json{{"application",
                  {{"loginConfiguration",
                    {{"generateRefreshTokens", true}, {"allowTokenRefresh", true}}}}}});
    if (patched.status != 200) throw std::runtime_error("patch: " + patched.body);
  }

  // A password login's refresh token.
  std::string RefreshToken() {
    http::HttpResponse login = Api("POST", "/api/login",
                                   json{{"loginId", "richard@piedpiper.test"},
                                        {"password", "correct horse battery"},
                                        {"applicationId", app_id}});
    if (login.status != 200) throw std::runtime_error("login: " + login.body);
    return Json(login)["refreshToken"];
  }

  bool Refreshes(const std::string& refresh_token) const {
    return Api("POST", "/api/jwt/refresh", json{{"refreshToken", refresh_token}}, {}, false)
               .status == 200;
  }

  // `with` (which sends null / undefined values) answers exactly as `without`.
  void CheckSameAsAbsent(const std::string& method, const std::string& with,
                         const std::string& without, bool with_key = true) const {
    http::HttpResponse a = Api(method, with, std::nullopt, {}, with_key);
    http::HttpResponse b = Api(method, without, std::nullopt, {}, with_key);
    INFO(method << " " << with << " vs " << without);
    CHECK(a.status == b.status);
    CHECK(a.body == b.body);
    CHECK(a.headers == b.headers);
  }
};

TEST_CASE_METHOD(AbsentQueryFixture,
                 "Absent query values: revokeRefreshToken(token, null, null) revokes the token",
                 "[router][query]") {
  for (const char* absent : {"null", "undefined"}) {
    const std::string token = RefreshToken();
    const std::string other = RefreshToken();
    http::HttpResponse revoked =
        Api("DELETE",
            "/api/jwt/refresh?token=" + token + "&userId=" + absent + "&applicationId=" + absent);
    CHECK(revoked.status == 200);
    CHECK_FALSE(Refreshes(token));
    CHECK(Refreshes(other));
  }
}

TEST_CASE_METHOD(AbsentQueryFixture,
                 "Absent query values: revokeRefreshToken(null, userId, null) revokes the user's",
                 "[router][query]") {
  const std::string token = RefreshToken();
  CHECK(Api("DELETE", "/api/jwt/refresh?token=null&userId=" + user_id + "&applicationId=null")
            .status == 200);
  CHECK_FALSE(Refreshes(token));
  // Everything absent is the missing-parameter error, not a conversion error.
  CheckSameAsAbsent("DELETE", "/api/jwt/refresh?token=null&userId=undefined&applicationId=null",
                    "/api/jwt/refresh");
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: GET /api/jwt/refresh?userId=null",
                 "[router][query]") {
  RefreshToken();
  CheckSameAsAbsent("GET", "/api/jwt/refresh?userId=null", "/api/jwt/refresh");
  http::HttpResponse blank = Api("GET", "/api/jwt/refresh?userId=undefined");
  CHECK(blank.status == 400);
  CHECK(Json(blank)["fieldErrors"].contains("userId"));
}

TEST_CASE_METHOD(AbsentQueryFixture,
                 "Absent query values: logout(null, null) and logout(true, null) use the cookie",
                 "[router][query]") {
  for (const char* query : {"?global=null&refreshToken=null", "?global=true&refreshToken=null",
                            "?global=undefined&refreshToken=undefined"}) {
    const std::string token = RefreshToken();
    http::HttpResponse response =
        Send(Request("POST", std::string("/api/logout") + query, "",
                     {{"Content-Type", "text/plain"}, {"Cookie", "refresh_token=" + token}}));
    INFO(query);
    CHECK(response.status == 200);
    CHECK_FALSE(Refreshes(token));
  }
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: retrieving a user", "[router][query]") {
  REQUIRE(Api("PATCH", "/api/user/" + user_id, json{{"user", {{"username", "richard"}}}}).status ==
          200);
  CheckSameAsAbsent("GET", "/api/user?email=null", "/api/user");
  CheckSameAsAbsent("GET", "/api/user?email=undefined&username=richard",
                    "/api/user?username=richard");
  CheckSameAsAbsent("GET", "/api/user?username=null&email=richard@piedpiper.test",
                    "/api/user?email=richard@piedpiper.test");
  CheckSameAsAbsent("GET", "/api/user?loginId=richard&loginIdTypes=null",
                    "/api/user?loginId=richard");
  CHECK(Api("GET", "/api/user?loginId=richard&loginIdTypes=undefined").status == 200);
  // Only the exact texts: a username "NULL" is looked up (and not found).
  CHECK(Api("GET", "/api/user?username=NULL").status == 404);
  CHECK(Api("GET", "/api/user?username=nullable").status == 404);
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: user update and delete flags",
                 "[router][query]") {
  http::HttpResponse updated =
      Api("PUT", "/api/user/" + user_id + "?reactivate=null",
          json{{"user", {{"email", "richard@piedpiper.test"}, {"firstName", "Richard"}}}});
  REQUIRE(updated.status == 200);
  CHECK(Json(updated)["user"]["firstName"] == "Richard");
  // hardDelete=undefined is a soft delete: the user stays, deactivated.
  REQUIRE(Api("DELETE", "/api/user/" + user_id + "?hardDelete=undefined").status == 200);
  http::HttpResponse kept = Api("GET", "/api/user/" + user_id);
  REQUIRE(kept.status == 200);
  CHECK(Json(kept)["user"]["active"] == false);
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: applications and roles",
                 "[router][query]") {
  CheckSameAsAbsent("GET", "/api/application?inactive=null", "/api/application");
  // The application has the roles admin, user and viewer: name=null names none of them.
  CheckSameAsAbsent("DELETE", "/api/application/" + app_id + "/role?name=null",
                    "/api/application/" + app_id + "/role");
  CHECK(Json(Api("GET", "/api/application/" + app_id))["application"]["roles"].size() == 3);
  REQUIRE(Api("DELETE", "/api/application/" + app_id + "?hardDelete=null").status == 200);
  http::HttpResponse kept = Api("GET", "/api/application/" + app_id);
  REQUIRE(kept.status == 200);
  CHECK(Json(kept)["application"]["active"] == false);
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: public keys", "[router][query]") {
  CheckSameAsAbsent("GET", "/api/jwt/public-key?applicationId=null", "/api/jwt/public-key", false);
  CheckSameAsAbsent("GET", "/api/jwt/public-key?kid=undefined", "/api/jwt/public-key", false);
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: login ping with ipAddress=null",
                 "[router][query]") {
  REQUIRE(Api("PUT", "/api/login/" + user_id + "/" + app_id + "?ipAddress=null").status == 200);
  Result<std::vector<LoginRecord>> records =
      engine->login().RetrieveLoginRecords(REQUIRE_VALUE(UserId::Parse(user_id)));
  REQUIRE_OK(records);
  REQUIRE_FALSE(records->empty());
  // The peer's address, as without the parameter; never the text "null".
  CHECK(records->front().ip_address == "198.51.100.20");
}

TEST_CASE_METHOD(AbsentQueryFixture, "Absent query values: identity providers, lookup and links",
                 "[router][query]") {
  IdentityProvider provider = ExternalJwtProvider(LinkingStrategy::kLinkByEmail);
  provider.domains = {"piedpiper.test"};
  const std::string provider_id = CreateProvider(provider).id.ToString();
  CheckSameAsAbsent("GET", "/api/identity-provider?type=null", "/api/identity-provider");
  CheckSameAsAbsent("GET", "/api/identity-provider/lookup?domain=piedpiper.test&tenantId=null",
                    "/api/identity-provider/lookup?domain=piedpiper.test", false);
  CheckSameAsAbsent("GET", "/api/identity-provider/lookup?domain=null",
                    "/api/identity-provider/lookup", false);

  REQUIRE(Api("POST", "/api/identity-provider/link",
              json{{"identityProviderLink",
                    {{"identityProviderId", provider_id},
                     {"identityProviderUserId", "richard-1"},
                     {"userId", user_id}}}})
              .status == 200);
  const std::string link = "/api/identity-provider/link?identityProviderId=" + provider_id +
                           "&identityProviderUserId=richard-1";
  CheckSameAsAbsent("GET", link + "&userId=null", link);
  CheckSameAsAbsent("GET",
                    "/api/identity-provider/link?identityProviderId=undefined&userId=" + user_id,
                    "/api/identity-provider/link?userId=" + user_id);
  CHECK(Json(Api("GET", link + "&userId=undefined"))["identityProviderLink"]["userId"] == user_id);
}

TEST_CASE_METHOD(AbsentQueryFixture,
                 "Absent query values: endpoints that read no query answer as without it",
                 "[router][query]") {
  CheckSameAsAbsent("GET", "/api/user/registration/" + user_id + "/" + app_id + "?userId=null",
                    "/api/user/registration/" + user_id + "/" + app_id);
  CheckSameAsAbsent("GET", "/api/user/" + user_id + "?applicationId=undefined",
                    "/api/user/" + user_id);
  CheckSameAsAbsent("GET", "/api/tenant?tenantId=null", "/api/tenant");
  CheckSameAsAbsent("GET", "/api/key?keyId=null", "/api/key");
}

}  // namespace
}  // namespace bulwark::test
