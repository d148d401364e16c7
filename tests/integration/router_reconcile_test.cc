// SPDX-License-Identifier: Apache-2.0
// POST /api/jwt/reconcile (FusionAuth's Reconcile API): the identity-provider login of an
// ExternalJWT provider under its older name, with the Reconcile API's response codes.
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

bool HasFieldError(const json& body, const std::string& field, const std::string& code) {
  if (!body.contains("fieldErrors") || !body["fieldErrors"].contains(field)) return false;
  for (const json& entry : body["fieldErrors"][field]) {
    if (entry["code"] == code) return true;
  }
  return false;
}

std::vector<std::string> CookieNames(const http::HttpResponse& response) {
  std::vector<std::string> names;
  for (const std::string& cookie : RouterFixture::Cookies(response)) {
    names.push_back(cookie.substr(0, cookie.find('=')));
  }
  return names;
}

// The response without what differs between two logins of the same user at the same instant:
// the tokens and the refresh token's id.
json WithoutTokens(json body) {
  body.erase("token");
  body.erase("refreshToken");
  body.erase("refreshTokenId");
  return body;
}

struct ReconcileFixture : RouterFixture {
  std::string provider_id;

  explicit ReconcileFixture(LinkingStrategy strategy = LinkingStrategy::kLinkByEmail) {
    provider_id = CreateProvider(ExternalJwtProvider(strategy)).id.ToString();
  }

  std::string Token(const std::string& sub, const std::string& email) {
    return Mint({{"sub", sub}, {"email", email}, {"email_verified", true}});
  }

  json Body(const std::string& encoded_jwt) const {
    return {{"applicationId", app.id.ToString()},
            {"identityProviderId", provider_id},
            {"encodedJWT", encoded_jwt}};
  }

  // Sent as the SDK's reconcileJWT does: no API key.
  http::HttpResponse Reconcile(const json& body, HttpHeaders headers = {}) const {
    return Api("POST", "/api/jwt/reconcile", body, std::move(headers), false);
  }
};

TEST_CASE_METHOD(ReconcileFixture,
                 "Reconcile: a valid encodedJWT is 200 with a token, cookies and the new user",
                 "[router][reconcile]") {
  http::HttpResponse response = Reconcile(Body(Token("gilfoyle-1", "gilfoyle@piedpiper.test")));
  REQUIRE(response.status == 200);
  const json body = Json(response);
  CHECK(body["token"].is_string());
  CHECK(body["user"]["email"] == "gilfoyle@piedpiper.test");
  CHECK(body["user"]["registrations"][0]["applicationId"] == app.id.ToString());
  CHECK(Header(response, "Cache-Control") == "no-store");
  CHECK(CookieNames(response) == std::vector<std::string>{"access_token"});

  // The token is the application's: /api/jwt/validate accepts it for that user.
  http::HttpResponse validated =
      Api("GET", "/api/jwt/validate", std::nullopt,
          {{"Authorization", "Bearer " + body["token"].get<std::string>()}}, false);
  REQUIRE(validated.status == 200);
  CHECK(Json(validated)["jwt"]["sub"] == body["user"]["id"]);
  CHECK(Json(validated)["jwt"]["authenticationType"] == "FEDERATED_JWT");
}

TEST_CASE_METHOD(ReconcileFixture, "Reconcile: an existing user is linked by email",
                 "[router][reconcile]") {
  const json user = RegisterUser("dinesh@piedpiper.test");
  http::HttpResponse response = Reconcile(Body(Token("dinesh-7", "dinesh@piedpiper.test")));
  REQUIRE(response.status == 200);
  CHECK(Json(response)["user"]["id"] == user["id"]);
  http::HttpResponse links =
      Api("GET", "/api/identity-provider/link?userId=" + user["id"].get<std::string>());
  REQUIRE(Json(links)["identityProviderLinks"].size() == 1);
  CHECK(Json(links)["identityProviderLinks"][0]["identityProviderUserId"] == "dinesh-7");
}

TEST_CASE_METHOD(ReconcileFixture, "Reconcile: data.token is accepted and wins over encodedJWT",
                 "[router][reconcile]") {
  const std::string good = Token("monica-2", "monica@piedpiper.test");
  const std::string bad = good + "x";
  json body = Body(bad);
  body["data"] = {{"token", good}};
  CHECK(Reconcile(body).status == 200);

  body = Body(good);
  body["data"] = {{"token", bad}};
  CHECK(Reconcile(body).status == 401);

  body = Body("");
  body.erase("encodedJWT");
  body["data"] = {{"token", good}};
  CHECK(Reconcile(body).status == 200);
}

TEST_CASE_METHOD(ReconcileFixture,
                 "Reconcile: a token that does not verify is 401 with an empty body",
                 "[router][reconcile]") {
  const std::string token = Token("big-head", "bighead@piedpiper.test");
  for (const std::string& bad :
       {token + "x", token.substr(0, token.rfind('.')), std::string("not-a-jwt"),
        Mint({{"sub", "big-head"}, {"email", "bighead@piedpiper.test"}, {"exp", 1}})}) {
    http::HttpResponse response = Reconcile(Body(bad));
    CHECK(response.status == 401);
    CHECK(response.body.empty());
    CHECK(Cookies(response).empty());
  }
  CHECK_FALSE(engine->users().RetrieveByEmail(default_tenant(), "bighead@piedpiper.test").ok());
}

TEST_CASE_METHOD(ReconcileFixture,
                 "Reconcile: an identityProviderId or applicationId that names nothing is 401",
                 "[router][reconcile]") {
  const std::string token = Token("jian-yang", "jianyang@piedpiper.test");
  const std::string nobody = "7c1e9d52-5f43-4a44-9a3f-0d1f4c6f7b10";
  json body = Body(token);
  SECTION("unknown provider") { body["identityProviderId"] = nobody; }
  SECTION("unknown application") { body["applicationId"] = nobody; }
  SECTION("a provider not enabled for the application") {
    IdentityProvider other = ExternalJwtProvider(LinkingStrategy::kLinkByEmail, "Hooli IdP");
    other.application_configuration.clear();
    body["identityProviderId"] = CreateProvider(other).id.ToString();
  }
  SECTION("a provider that is not an ExternalJWT provider") {
    IdentityProvider oidc;
    oidc.name = "Hooli OIDC";
    oidc.type = IdentityProviderType::kOpenIdConnect;
    oidc.enabled = true;
    OpenIdConnectConfiguration config;
    config.button_text = "Log in with Hooli";
    config.oauth2.client_id = "bulwark-client";
    config.oauth2.client_secret = "bulwark-secret";
    config.oauth2.authorization_endpoint = "https://hooli.test/authorize";
    config.oauth2.token_endpoint = "https://hooli.test/token";
    oidc.config = config;
    oidc.application_configuration[app.id] = {.enabled = true};
    body["identityProviderId"] = CreateProvider(oidc).id.ToString();
  }
  SECTION("an application of another tenant than the request's") {
    http::HttpResponse tenant = Api("POST", "/api/tenant", json{{"tenant", {{"name", "Hooli"}}}});
    REQUIRE(tenant.status == 200);
    const std::string hooli = Json(tenant)["tenant"]["id"];
    http::HttpResponse response = Reconcile(body, {{"X-FusionAuth-TenantId", hooli}});
    CHECK(response.status == 401);
    CHECK(response.body.empty());
    return;
  }
  http::HttpResponse response = Reconcile(body);
  CHECK(response.status == 401);
  CHECK(response.body.empty());
  CHECK_FALSE(engine->users().RetrieveByEmail(default_tenant(), "jianyang@piedpiper.test").ok());
}

TEST_CASE_METHOD(ReconcileFixture,
                 "Reconcile: missing or malformed members are 400 naming each field",
                 "[router][reconcile]") {
  http::HttpResponse empty = Reconcile(json::object());
  REQUIRE(empty.status == 400);
  const json errors = Json(empty);
  CHECK(HasFieldError(errors, "applicationId", "[blank]applicationId"));
  CHECK(HasFieldError(errors, "identityProviderId", "[blank]identityProviderId"));
  CHECK(HasFieldError(errors, "encodedJWT", "[blank]encodedJWT"));

  json body = Body("");
  http::HttpResponse no_token = Reconcile(body);
  REQUIRE(no_token.status == 400);
  CHECK(HasFieldError(Json(no_token), "encodedJWT", "[blank]encodedJWT"));
  CHECK(Json(no_token)["fieldErrors"].size() == 1);

  body = Body(Token("richard-1", "richard@piedpiper.test"));
  body.erase("applicationId");
  http::HttpResponse no_app = Reconcile(body);
  REQUIRE(no_app.status == 400);
  CHECK(HasFieldError(Json(no_app), "applicationId", "[blank]applicationId"));

  body = Body(Token("richard-1", "richard@piedpiper.test"));
  body["applicationId"] = "not-a-uuid";
  http::HttpResponse bad_id = Reconcile(body);
  REQUIRE(bad_id.status == 400);
  CHECK(HasFieldError(Json(bad_id), "applicationId", "[couldNotConvert]applicationId"));

  body = Body(Token("richard-1", "richard@piedpiper.test"));
  body["encodedJWT"] = 42;
  http::HttpResponse wrong_type = Reconcile(body);
  REQUIRE(wrong_type.status == 400);
  CHECK(HasFieldError(Json(wrong_type), "encodedJWT", "[couldNotConvert]encodedJWT"));

  http::HttpResponse not_json =
      Send(Request("POST", "/api/jwt/reconcile", "{", {{"Content-Type", "application/json"}}));
  CHECK(not_json.status == 400);
  CHECK_FALSE(engine->users().RetrieveByEmail(default_tenant(), "richard@piedpiper.test").ok());
}

TEST_CASE_METHOD(ReconcileFixture, "Reconcile: noLink without a link is 404 with an empty body",
                 "[router][reconcile]") {
  json body = Body(Token("laurie-3", "laurie@piedpiper.test"));
  body["noLink"] = true;
  http::HttpResponse response = Reconcile(body);
  CHECK(response.status == 404);
  CHECK(response.body.empty());
  CHECK_FALSE(engine->users().RetrieveByEmail(default_tenant(), "laurie@piedpiper.test").ok());
}

TEST_CASE("Reconcile: LinkByEmailForExistingUser without the user is 404", "[router][reconcile]") {
  ReconcileFixture fixture(LinkingStrategy::kLinkByEmailForExistingUser);
  http::HttpResponse response =
      fixture.Reconcile(fixture.Body(fixture.Token("russ-1", "russ@hanneman.test")));
  CHECK(response.status == 404);
  CHECK(response.body.empty());
}

TEST_CASE_METHOD(ReconcileFixture,
                 "Reconcile: ipAddress, noJWT and an API key are honoured as on the IdP login",
                 "[router][reconcile]") {
  json body = Body(Token("carla-4", "carla@piedpiper.test"));
  body["noJWT"] = true;
  body["ipAddress"] = "203.0.113.9";
  // An API key is not needed; one that is sent is fine.
  http::HttpResponse response = Api("POST", "/api/jwt/reconcile", body);
  REQUIRE(response.status == 200);
  CHECK_FALSE(Json(response).contains("token"));
  CHECK(Cookies(response).empty());
  const UserId user = REQUIRE_VALUE(UserId::Parse(Json(response)["user"]["id"].get<std::string>()));
  Result<std::vector<LoginRecord>> records = engine->login().RetrieveLoginRecords(user);
  REQUIRE_OK(records);
  REQUIRE_FALSE(records->empty());
  CHECK(records->front().ip_address == "203.0.113.9");
}

TEST_CASE_METHOD(ReconcileFixture,
                 "Reconcile: answers as /api/identity-provider/login does for the same body",
                 "[router][reconcile]") {
  // Refresh tokens on, so both cookies and the refresh token are compared too.
  REQUIRE(Api("PATCH", "/api/application/" + app.id.ToString(),
              json{{"application", {{"loginConfiguration", {{"generateRefreshTokens", true}}}}}})
              .status == 200);
  const json body = Body(Token("jared-5", "jared@piedpiper.test"));
  // The first call creates and links the user; the two after it log in the same user at the
  // same (manual) instant.
  REQUIRE(Api("POST", "/api/identity-provider/login", body, {}, false).status == 200);
  http::HttpResponse login = Api("POST", "/api/identity-provider/login", body, {}, false);
  http::HttpResponse reconciled = Reconcile(body);
  REQUIRE(login.status == 200);
  REQUIRE(reconciled.status == 200);
  CHECK(Json(reconciled)["refreshToken"].is_string());
  CHECK(WithoutTokens(Json(reconciled)) == WithoutTokens(Json(login)));
  CHECK(CookieNames(reconciled) == CookieNames(login));
  CHECK(Header(reconciled, "Cache-Control") == Header(login, "Cache-Control"));
  CHECK(Header(reconciled, "Content-Type") == Header(login, "Content-Type"));

  // The same 404 for a missing link.
  json no_link = Body(Token("erlich-6", "erlich@piedpiper.test"));
  no_link["noLink"] = true;
  http::HttpResponse login_404 = Api("POST", "/api/identity-provider/login", no_link, {}, false);
  http::HttpResponse reconciled_404 = Reconcile(no_link);
  CHECK(login_404.status == 404);
  CHECK(reconciled_404.status == login_404.status);
  CHECK(reconciled_404.body == login_404.body);

  // The same 401 for a bad signature.
  const json bad = Body(Token("erlich-6", "erlich@piedpiper.test") + "x");
  http::HttpResponse login_401 = Api("POST", "/api/identity-provider/login", bad, {}, false);
  CHECK(login_401.status == 401);
  CHECK(Reconcile(bad).status == login_401.status);
}

TEST_CASE("Reconcile: 232 with only the pending link id, as the IdP login", "[router][reconcile]") {
  ReconcileFixture fixture(LinkingStrategy::kCreatePendingLink);
  http::HttpResponse response =
      fixture.Reconcile(fixture.Body(fixture.Token("gavin-8", "gavin@hooli.test")));
  REQUIRE(response.status == 232);
  const json body = RouterFixture::Json(response);
  CHECK(body.size() == 1);
  CHECK(body["pendingIdPLinkId"].is_string());
  CHECK(RouterFixture::Cookies(response).empty());
}

}  // namespace
}  // namespace bulwark::test
