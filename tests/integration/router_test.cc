// SPDX-License-Identifier: Apache-2.0
// The Router's transport rules: dispatch, API keys, tenants, envelopes, errors, and the CRUD
// APIs for tenants, applications, roles, users, registrations and import.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

bool HasGeneralError(const json& body, const std::string& code) {
  if (!body.contains("generalErrors")) return false;
  for (const json& entry : body["generalErrors"]) {
    if (entry["code"] == code) return true;
  }
  return false;
}

TEST_CASE_METHOD(RouterFixture, "Router: unknown paths are 404 and other methods 405 with Allow",
                 "[router]") {
  http::HttpResponse missing = Api("GET", "/api/nothing-here");
  CHECK(missing.status == 404);
  CHECK(missing.body.empty());
  CHECK_FALSE(Header(missing, "Content-Type").has_value());

  http::HttpResponse wrong = Api("PATCH", "/api/user/import");
  CHECK(wrong.status == 405);
  CHECK(Header(wrong, "Allow") == "POST");

  // HEAD is GET without a body.
  http::HttpResponse head = Api("HEAD", "/.well-known/jwks.json", std::nullopt, {}, false);
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  // The most specific route decides: /api/user/registration is not a user id.
  http::HttpResponse registration = Api("GET", "/api/user/registration");
  CHECK(registration.status == 405);
}

TEST_CASE_METHOD(RouterFixture, "Router: bodies over the limit are refused with 413", "[router]") {
  router = std::make_unique<http::Router>(*engine, http::RouterOptions{.max_body_bytes = 64});
  http::HttpResponse response =
      Api("POST", "/api/user", json{{"user", {{"email", std::string(100, 'a') + "@x.test"}}}});
  CHECK(response.status == 413);
  CHECK(response.body.empty());
  CHECK(engine->users()
            .RetrieveByEmail(default_tenant(), std::string(100, 'a') + "@x.test")
            .status()
            .code() == StatusCode::kNotFound);
}

TEST_CASE_METHOD(RouterFixture, "Router: API keys are sent without a scheme and checked",
                 "[router][api-key]") {
  SECTION("no key") {
    http::HttpResponse response = Api("GET", "/api/tenant", std::nullopt, {}, false);
    CHECK(response.status == 401);
    CHECK(response.body.empty());
  }
  SECTION("unknown key") {
    http::HttpResponse response = Api("GET", "/api/tenant", std::nullopt,
                                      {{"Authorization", "not-a-key-at-all-really"}}, false);
    CHECK(response.status == 401);
  }
  SECTION("a Bearer scheme is not an API key") {
    http::HttpResponse response =
        Api("GET", "/api/tenant", std::nullopt, {{"Authorization", "Bearer " + key}}, false);
    CHECK(response.status == 401);
  }
  SECTION("the key") {
    http::HttpResponse response = Api("GET", "/api/tenant");
    CHECK(response.status == 200);
    CHECK(Header(response, "Content-Type") == "application/json;charset=UTF-8");
    REQUIRE(Json(response)["tenants"].size() == 1);
    CHECK(Json(response)["tenants"][0]["id"] == default_tenant().ToString());
  }
  SECTION("an expired key") {
    ApiKey expiring;
    expiring.name = "short-lived";
    expiring.expiration_instant = clock->Now() + std::chrono::minutes(5);
    const std::string value = REQUIRE_VALUE(engine->api_keys().Create(expiring)).key;
    CHECK(Api("GET", "/api/tenant", std::nullopt, {{"Authorization", value}}, false).status == 200);
    clock->Advance(std::chrono::minutes(6));
    CHECK(Api("GET", "/api/tenant", std::nullopt, {{"Authorization", value}}, false).status == 401);
  }
}

TEST_CASE_METHOD(RouterFixture, "Router: a key limited to endpoints and methods",
                 "[router][api-key]") {
  ApiKey limited;
  limited.name = "user reader";
  limited.endpoint_permissions["/api/user"] = {"GET"};
  const std::string value = REQUIRE_VALUE(engine->api_keys().Create(limited)).key;
  const json user = RegisterUser("richard@piedpiper.test");
  const std::string path = "/api/user/" + user["id"].get<std::string>();
  CHECK(Api("GET", path, std::nullopt, {{"Authorization", value}}, false).status == 200);
  CHECK(Api("DELETE", path, std::nullopt, {{"Authorization", value}}, false).status == 401);
  CHECK(Api("GET", "/api/tenant", std::nullopt, {{"Authorization", value}}, false).status == 401);
  CHECK(engine->users().Retrieve(REQUIRE_VALUE(UserId::Parse(user["id"].get<std::string>()))).ok());
}

TEST_CASE_METHOD(RouterFixture, "Router: malformed and mistyped bodies are 400 naming the field",
                 "[router]") {
  SECTION("not JSON") {
    http::HttpResponse response =
        Send(Request("POST", "/api/user", "{\"user\": {\"email\": ", {{"Authorization", key}}));
    CHECK(response.status == 400);
    CHECK(HasGeneralError(Json(response), "[invalidJSON]"));
  }
  SECTION("nesting too deep") {
    std::string deep = "{\"user\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
    http::HttpResponse response =
        Send(Request("POST", "/api/user", deep, {{"Authorization", key}}));
    CHECK(response.status == 400);
    CHECK(HasGeneralError(Json(response), "[invalidJSON]"));
  }
  SECTION("a wrong type") {
    http::HttpResponse response = Api("POST", "/api/user", json{{"user", {{"email", 42}}}});
    CHECK(response.status == 400);
    CHECK(HasFieldError(Json(response), "user.email", "[couldNotConvert]user.email"));
  }
  SECTION("the object is missing") {
    http::HttpResponse response = Api("POST", "/api/user", json::object());
    CHECK(response.status == 400);
    CHECK(HasFieldError(Json(response), "user", "[missing]user"));
  }
  SECTION("a path id that is not a UUID") {
    http::HttpResponse response = Api("GET", "/api/user/not-a-uuid");
    CHECK(response.status == 400);
    CHECK(HasFieldError(Json(response), "userId", "[couldNotConvert]userId"));
  }
  SECTION("validation") {
    http::HttpResponse response =
        Api("POST", "/api/user", json{{"user", {{"email", "richard@piedpiper.test"}}}});
    CHECK(response.status == 400);
    CHECK(HasFieldError(Json(response), "user.password", "[blank]user.password"));
  }
}

TEST_CASE_METHOD(RouterFixture, "Router: user CRUD on the wire", "[router][user]") {
  http::HttpResponse created = Api("POST", "/api/user",
                                   json{{"user",
                                         {{"email", "Richard@PiedPiper.test"},
                                          {"password", "correct horse battery"},
                                          {"firstName", "Richard"}}}});
  REQUIRE(created.status == 200);
  const json user = Json(created)["user"];
  CHECK_FALSE(user.contains("password"));
  CHECK(user["insertInstant"].is_number_integer());
  CHECK(user["insertInstant"].get<std::int64_t>() ==
        std::chrono::duration_cast<std::chrono::milliseconds>(clock->Now().time_since_epoch())
            .count());
  const std::string id = user["id"];

  CHECK(Json(Api("GET", "/api/user/" + id))["user"]["firstName"] == "Richard");
  CHECK(Json(Api("GET", "/api/user?email=richard%40piedpiper.test"))["user"]["id"] == id);
  CHECK(Json(Api("GET", "/api/user?loginId=richard@piedpiper.test"))["user"]["id"] == id);
  CHECK(Api("GET", "/api/user?username=nobody").status == 404);

  http::HttpResponse patched =
      Api("PATCH", "/api/user/" + id, json{{"user", {{"lastName", "Hendricks"}}}});
  REQUIRE(patched.status == 200);
  CHECK(Json(patched)["user"]["lastName"] == "Hendricks");
  CHECK(Json(patched)["user"]["firstName"] == "Richard");

  http::HttpResponse json_patch = Send(Request(
      "PATCH", "/api/user/" + id, R"([{"op":"replace","path":"/user/firstName","value":"Rich"}])",
      {{"Authorization", key}, {"Content-Type", "application/json-patch+json"}}));
  REQUIRE(json_patch.status == 200);
  CHECK(Json(json_patch)["user"]["firstName"] == "Rich");

  http::HttpResponse put =
      Api("PUT", "/api/user/" + id, json{{"user", {{"email", "richard@piedpiper.test"}}}});
  REQUIRE(put.status == 200);
  CHECK_FALSE(Json(put)["user"].contains("lastName"));

  http::HttpResponse soft = Api("DELETE", "/api/user/" + id);
  CHECK(soft.status == 200);
  CHECK(soft.body.empty());
  CHECK_FALSE(Header(soft, "Content-Type").has_value());
  CHECK(Json(Api("GET", "/api/user/" + id))["user"]["active"] == false);
  CHECK(Json(Api("PUT", "/api/user/" + id + "?reactivate=true"))["user"]["active"] == true);
  CHECK(Api("DELETE", "/api/user/" + id + "?hardDelete=true").status == 200);
  CHECK(Api("GET", "/api/user/" + id).status == 404);

  // A client-chosen id.
  const std::string chosen = "00000000-0000-4000-8000-00000000abcd";
  http::HttpResponse with_id =
      Api("POST", "/api/user/" + chosen,
          json{{"user", {{"username", "gilfoyle"}, {"password", "correct horse battery"}}}});
  REQUIRE(with_id.status == 200);
  CHECK(Json(with_id)["user"]["id"] == chosen);
  http::HttpResponse duplicate =
      Api("POST", "/api/user",
          json{{"user", {{"username", "gilfoyle"}, {"password", "correct horse battery"}}}});
  CHECK(duplicate.status == 400);
  CHECK(HasFieldError(Json(duplicate), "user.username", "[duplicate]user.username"));
}

TEST_CASE_METHOD(RouterFixture, "Router: registrations, combined and separate", "[router][user]") {
  const json user = RegisterUser("dinesh@piedpiper.test");
  const std::string user_id = user["id"];
  const std::string app_id = app.id.ToString();
  http::HttpResponse registration = Api("GET", "/api/user/registration/" + user_id + "/" + app_id);
  REQUIRE(registration.status == 200);
  const json roles = Json(registration)["registration"]["roles"];
  CHECK(roles == json::array({"user", "viewer"}));

  http::HttpResponse updated =
      Api("PUT", "/api/user/registration/" + user_id,
          json{{"registration", {{"applicationId", app_id}, {"roles", {"admin"}}}}});
  REQUIRE(updated.status == 200);
  CHECK(Json(updated)["registration"]["roles"] == json::array({"admin"}));

  http::HttpResponse duplicate = Api("POST", "/api/user/registration/" + user_id,
                                     json{{"registration", {{"applicationId", app_id}}}});
  CHECK(duplicate.status == 400);
  CHECK(HasFieldError(Json(duplicate), "registration", "[duplicate]registration"));

  CHECK(Api("DELETE", "/api/user/registration/" + user_id + "/" + app_id).status == 200);
  CHECK(Api("GET", "/api/user/registration/" + user_id + "/" + app_id).status == 404);

  // A bad registration creates no user.
  http::HttpResponse bad =
      Api("POST", "/api/user/registration",
          json{{"user", {{"email", "jared@piedpiper.test"}, {"password", "correct horse battery"}}},
               {"registration", {{"applicationId", "00000000-0000-4000-8000-000000000001"}}}});
  CHECK(bad.status == 400);
  CHECK(Api("GET", "/api/user?email=jared@piedpiper.test").status == 404);
}

TEST_CASE_METHOD(RouterFixture, "Router: tenants, applications and roles", "[router][tenant]") {
  http::HttpResponse tenant =
      Api("POST", "/api/tenant", json{{"tenant", {{"name", "Hooli"}, {"issuer", "hooli.test"}}}});
  REQUIRE(tenant.status == 200);
  const std::string hooli = Json(tenant)["tenant"]["id"];
  CHECK(Json(Api("GET", "/api/tenant"))["tenants"].size() == 2);
  CHECK(Json(Api("PATCH", "/api/tenant/" + hooli,
                 json{{"tenant", {{"issuer", "gavin.hooli.test"}}}}))["tenant"]["issuer"] ==
        "gavin.hooli.test");

  // With two tenants, creating an application or a user needs a tenant.
  http::HttpResponse ambiguous =
      Api("POST", "/api/application", json{{"application", {{"name", "Nucleus"}}}});
  CHECK(ambiguous.status == 400);
  CHECK(HasGeneralError(Json(ambiguous), "[TenantIdRequired]"));
  http::HttpResponse user =
      Api("POST", "/api/user",
          json{{"user", {{"email", "gavin@hooli.test"}, {"password", "correct horse battery"}}}});
  CHECK(HasGeneralError(Json(user), "[TenantIdRequired]"));

  const HttpHeaders in_hooli = {{"X-FusionAuth-TenantId", hooli}};
  http::HttpResponse nucleus =
      Api("POST", "/api/application", json{{"application", {{"name", "Nucleus"}}}}, in_hooli);
  REQUIRE(nucleus.status == 200);
  const std::string nucleus_id = Json(nucleus)["application"]["id"];
  CHECK(Json(nucleus)["application"]["tenantId"] == hooli);

  // Objects of another tenant are not found through a tenant-scoped call.
  const HttpHeaders in_default = {{"X-FusionAuth-TenantId", default_tenant().ToString()}};
  CHECK(Api("GET", "/api/application/" + nucleus_id, std::nullopt, in_default).status == 404);
  CHECK(Api("GET", "/api/application/" + nucleus_id, std::nullopt, in_hooli).status == 200);
  CHECK(Json(Api("GET", "/api/application", std::nullopt, in_hooli))["applications"].size() == 1);

  // Roles.
  http::HttpResponse role = Api("POST", "/api/application/" + nucleus_id + "/role",
                                json{{"role", {{"name", "engineer"}, {"isDefault", true}}}});
  REQUIRE(role.status == 200);
  const std::string role_id = Json(role)["role"]["id"];
  CHECK(
      Json(Api("PUT", "/api/application/" + nucleus_id + "/role/" + role_id,
               json{{"role",
                     {{"name", "engineer"}, {"description", "builds"}}}}))["role"]["description"] ==
      "builds");
  CHECK(Json(Api("GET", "/api/application/" + nucleus_id))["application"]["roles"].size() == 1);
  CHECK(Api("DELETE", "/api/application/" + nucleus_id + "/role?name=engineer").status == 200);
  CHECK(Json(Api("GET", "/api/application/" + nucleus_id))["application"]["roles"].empty());

  // Soft delete, inactive list, reactivate, hard delete.
  CHECK(Api("DELETE", "/api/application/" + nucleus_id).status == 200);
  CHECK(Json(Api("GET", "/api/application?inactive=true", std::nullopt, in_hooli))["applications"]
            .size() == 1);
  CHECK(Json(Api("PUT", "/api/application/" + nucleus_id +
                            "?reactivate=true"))["application"]["active"] == true);
  CHECK(Api("DELETE", "/api/application/" + nucleus_id + "?hardDelete=true").status == 200);
  CHECK(Api("GET", "/api/application/" + nucleus_id).status == 404);

  // The default tenant cannot be deleted; others can.
  CHECK(Api("DELETE", "/api/tenant/" + default_tenant().ToString()).status == 400);
  CHECK(Api("DELETE", "/api/tenant/" + hooli).status == 200);
  CHECK(Api("GET", "/api/tenant/" + hooli).status == 404);
}

TEST_CASE_METHOD(RouterFixture, "Router: a tenant-locked key acts only in its tenant",
                 "[router][tenant][api-key]") {
  http::HttpResponse tenant =
      Api("POST", "/api/tenant", json{{"tenant", {{"name", "Hooli"}, {"issuer", "hooli.test"}}}});
  const std::string hooli = Json(tenant)["tenant"]["id"];
  ApiKey locked;
  locked.name = "hooli";
  locked.tenant_id = REQUIRE_VALUE(TenantId::Parse(hooli));
  const std::string value = REQUIRE_VALUE(engine->api_keys().Create(locked)).key;
  const HttpHeaders auth = {{"Authorization", value}};

  // The tenant is inferred from the key: no [TenantIdRequired].
  http::HttpResponse user =
      Api("POST", "/api/user",
          json{{"user", {{"email", "gavin@hooli.test"}, {"password", "correct horse battery"}}}},
          auth, false);
  REQUIRE(user.status == 200);
  CHECK(Json(user)["user"]["tenantId"] == hooli);

  const json other = RegisterUser("monica@piedpiper.test");
  CHECK(
      Api("GET", "/api/user/" + other["id"].get<std::string>(), std::nullopt, auth, false).status ==
      404);
  CHECK(Json(Api("GET", "/api/tenant", std::nullopt, auth, false))["tenants"].size() == 1);
  HttpHeaders mismatched = auth;
  mismatched.emplace_back("X-FusionAuth-TenantId", default_tenant().ToString());
  CHECK(Api("GET", "/api/tenant", std::nullopt, mismatched, false).status == 401);
  CHECK(Api("POST", "/api/tenant", json{{"tenant", {{"name", "Endframe"}}}}, auth, false).status ==
        401);
}

TEST_CASE_METHOD(RouterFixture, "Router: a bad X-FusionAuth-TenantId is a 400",
                 "[router][tenant]") {
  CHECK(Api("GET", "/api/tenant", std::nullopt, {{"X-FusionAuth-TenantId", "nope"}}).status == 400);
  CHECK(Api("GET", "/api/tenant", std::nullopt,
            {{"X-FusionAuth-TenantId", "00000000-0000-4000-8000-000000000009"}})
            .status == 400);
}

TEST_CASE_METHOD(RouterFixture, "Router: user import", "[router][user]") {
  json users = json::array();
  for (int i = 0; i < 3; ++i) {
    users.push_back({{"email", "import" + std::to_string(i) + "@piedpiper.test"},
                     {"password", "5f4dcc3b5aa765d61d8327deb882cf99"},
                     {"encryptionScheme", "salted-md5"},
                     {"factor", 1},
                     {"salt", ""},
                     {"registrations", {{{"applicationId", app.id.ToString()}}}}});
  }
  http::HttpResponse imported = Api("POST", "/api/user/import", json{{"users", users}});
  CHECK(imported.status == 200);
  CHECK(imported.body.empty());
  CHECK(Api("GET", "/api/user?email=import2@piedpiper.test").status == 200);

  http::HttpResponse again = Api("POST", "/api/user/import", json{{"users", users}});
  CHECK(again.status == 400);
  CHECK(HasFieldError(Json(again), "users[0].email", "[duplicate]users[0].email"));
}

}  // namespace
}  // namespace bulwark::test
