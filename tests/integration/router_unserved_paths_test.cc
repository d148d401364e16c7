// SPDX-License-Identifier: Apache-2.0
// FusionAuth's endpoints that the Router does not serve are 404 with an empty body, before
// any API key check — never a call of the /{id} route beside them — and the served paths
// around them keep their routes.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "integration/router_fixture.h"

namespace bulwark::test {
namespace {

using nlohmann::json;

constexpr const char* kUuid = "5c1b6a0e-3f0d-4b8e-9d6a-2f1e7c9a4b31";

// FusionAuth's endpoints under the prefixes the Router serves that it does not serve, from
// the reference's endpoint list and the TypeScript client's paths; {id} is any UUID.
const std::vector<std::string>& UnservedPaths() {
  static const std::vector<std::string> paths = {
      "/api/application/search",
      "/api/application/{id}/oauth-configuration",
      "/api/application/{id}/scope",
      "/api/application/{id}/scope/{id}",
      "/api/identity-provider/search",
      "/api/identity-provider/start",
      "/api/identity-provider/test",
      "/api/jwt/issue",
      "/api/jwt/vend",
      "/api/key/search",
      "/api/tenant/password-validation-rules",
      "/api/tenant/password-validation-rules/{id}",
      "/api/tenant/search",
      "/api/user/action",
      "/api/user/action/{id}",
      "/api/user/bulk",
      "/api/user/change-password",
      "/api/user/change-password/{id}",
      "/api/user/comment",
      "/api/user/comment/search",
      "/api/user/comment/{id}",
      "/api/user/consent",
      "/api/user/consent/{id}",
      "/api/user/family",
      "/api/user/family/pending",
      "/api/user/family/request",
      "/api/user/family/{id}",
      "/api/user/family/{id}/{id}",
      "/api/user/forgot-password",
      "/api/user/recent-login",
      "/api/user/refresh-token/import",
      "/api/user/search",
      "/api/user/two-factor",
      "/api/user/two-factor/{id}",
      "/api/user/two-factor/recovery-code/{id}",
      "/api/user/verify-email",
      "/api/user/verify-email/{id}",
      "/api/user/verify-registration",
      "/api/user/verify-registration/{id}",
  };
  return paths;
}

std::string WithIds(std::string path) {
  for (std::size_t at = path.find("{id}"); at != std::string::npos; at = path.find("{id}")) {
    path.replace(at, 4, kUuid);
  }
  return path;
}

void CheckNotFound(const http::HttpResponse& response) {
  CHECK(response.status == 404);
  CHECK(response.body.empty());
  CHECK(response.headers.empty());
}

TEST_CASE_METHOD(RouterFixture, "Unserved paths: the examples are 404 with and without an API key",
                 "[router][unserved]") {
  const json body = {
      {"loginId", "richard@piedpiper.test"}, {"currentPassword", "a"}, {"password", "b"}};
  for (bool with_key : {false, true}) {
    INFO("with key: " << with_key);
    CheckNotFound(Api("POST", "/api/user/change-password", body, {}, with_key));
    CheckNotFound(Api("POST", "/api/user/forgot-password", json{{"loginId", "x"}}, {}, with_key));
    CheckNotFound(Api("GET", "/api/user/search?queryString=*", std::nullopt, {}, with_key));
    CheckNotFound(
        Api("POST", "/api/user/search", json{{"search", {{"queryString", "*"}}}}, {}, with_key));
    CheckNotFound(Api("POST", "/api/application/search", json::object(), {}, with_key));
    CheckNotFound(Api("POST", "/api/identity-provider/start",
                      json{{"applicationId", app.id.ToString()}, {"identityProviderId", kUuid}}, {},
                      with_key));
  }
  // Nothing was created through POST /api/{user,application,identity-provider}/{id}.
  CHECK(Json(Api("GET", "/api/identity-provider"))["identityProviders"].empty());
  CHECK(Json(Api("GET", "/api/application"))["applications"].size() == 1);
}

TEST_CASE_METHOD(RouterFixture,
                 "Unserved paths: a sweep of FusionAuth's sub-paths under each served prefix",
                 "[router][unserved]") {
  for (const std::string& pattern : UnservedPaths()) {
    const std::string path = WithIds(pattern);
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}) {
      for (bool with_key : {false, true}) {
        INFO(method << " " << path << " with key: " << with_key);
        CheckNotFound(Api(method, path, json::object(), {}, with_key));
      }
    }
  }
}

TEST_CASE_METHOD(RouterFixture, "Unserved paths: the served routes beside them still answer",
                 "[router][unserved]") {
  // Without a key, each served API-key route is reached and refuses: 401, not 404.
  const std::vector<std::pair<std::string, std::string>> keyed = {
      {"GET", "/api/user/{id}"},
      {"PUT", "/api/user/{id}"},
      {"POST", "/api/user/{id}"},
      {"DELETE", "/api/user/{id}"},
      {"POST", "/api/user/registration"},
      {"POST", "/api/user/registration/{id}"},
      {"GET", "/api/user/registration/{id}/{id}"},
      {"POST", "/api/user/import"},
      {"GET", "/api/application/{id}"},
      {"POST", "/api/application/{id}/role"},
      {"DELETE", "/api/application/{id}/role/{id}"},
      {"GET", "/api/tenant/{id}"},
      {"GET", "/api/key/{id}"},
      {"POST", "/api/key/generate"},
      {"POST", "/api/key/import/{id}"},
      {"GET", "/api/identity-provider/{id}"},
      {"POST", "/api/identity-provider/{id}"},
      {"GET", "/api/identity-provider/link"},
      {"GET", "/api/identity-provider/link/pending/some-pending-id"},
      {"GET", "/api/jwt/refresh/{id}"},
      {"PUT", "/api/login/{id}/{id}"},
      {"GET", "/api/api-key/{id}"},
  };
  for (const auto& [method, pattern] : keyed) {
    INFO(method << " " << pattern);
    CHECK(Api(method, WithIds(pattern), json::object(), {}, false).status == 401);
  }
  // An id that is not a UUID still reaches its route.
  http::HttpResponse bad_id = Api("GET", "/api/user/not-a-uuid");
  CHECK(bad_id.status == 400);
  // Other methods on a served literal path are still 405 with Allow.
  http::HttpResponse wrong = Api("GET", "/api/key/generate");
  CHECK(wrong.status == 405);
  CHECK(Header(wrong, "Allow") == "POST");
  CHECK(Api("PUT", "/api/identity-provider/login").status == 405);
  // The public routes beside the unserved ones.
  CHECK(Api("GET", "/api/identity-provider/lookup?domain=nowhere.test", std::nullopt, {}, false)
            .status == 404);
  CHECK(Api("GET", "/api/jwt/public-key", std::nullopt, {}, false).status == 200);
}

}  // namespace
}  // namespace bulwark::test
