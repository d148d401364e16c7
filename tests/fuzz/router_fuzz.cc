// SPDX-License-Identifier: Apache-2.0
// Request bodies, query strings and cookies through the Router, on an Engine over an
// in-memory SQLite store set up once (and again every kRequestsPerWorld inputs, so that the
// store does not grow without bound) by a kickstart: a tenant, an ES256 signing key, an
// application with roles and refresh tokens, a registered user, an ExternalJWT identity
// provider and an unrestricted key-manager API key. A login at setup gives an access and a
// refresh token for the cookie and Bearer variants.
//
// Input: byte 0 picks the route (kRoutes; the last entry takes "METHOD /path" from the first
// line), byte 1 the variant (content type, credentials, query, cookie, tenant header,
// scheme); then the optional lines (query, Cookie, the {fuzz} path segment) and the body.
//
// The finding: any 5xx but 503. Inputs that would only be slow — password factors or
// bcrypt / argon2id / scrypt costs beyond a few iterations, RSA key generation — are skipped,
// and the tenant's password configuration is put back after every tenant request, so that the
// fuzzer spends its time on parsing, not on hashing.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/engine.h"
#include "bulwark/http/kickstart.h"
#include "bulwark/http/router.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/manual_clock.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace http = bulwark::http;
using nlohmann::json;

constexpr int kRequestsPerWorld = 1000;

constexpr std::string_view kTenantId = "d7d09513-a3f5-401c-9685-34ab6c552453";
constexpr std::string_view kApplicationId = "85a03867-dccf-4882-adde-1a79aeec50df";
constexpr std::string_view kKeyId = "6b3b4a39-5c9a-4f6e-9b40-3c1f0f0b2d11";
constexpr std::string_view kProviderId = "5e1b9c6e-2f0a-4c8e-b6d4-7a3f1e9d2c44";
constexpr std::string_view kUserId = "00000000-0000-0000-0000-000000000001";
constexpr std::string_view kApiKey = "fuzz-api-key-0123456789-abcdefghijklmnop";
constexpr std::string_view kEmail = "richard@piedpiper.example";
constexpr std::string_view kPassword = "pied-piper-fuzz-password";

// The world, as a kickstart (the variables are the constants above).
constexpr std::string_view kKickstart = R"({
  "variables": {
    "defaultTenantId": "d7d09513-a3f5-401c-9685-34ab6c552453",
    "applicationId": "85a03867-dccf-4882-adde-1a79aeec50df",
    "signingKeyId": "6b3b4a39-5c9a-4f6e-9b40-3c1f0f0b2d11",
    "identityProviderId": "5e1b9c6e-2f0a-4c8e-b6d4-7a3f1e9d2c44",
    "userId": "00000000-0000-0000-0000-000000000001"
  },
  "apiKeys": [{"key": "fuzz-api-key-0123456789-abcdefghijklmnop", "keyManager": true}],
  "requests": [
    {"method": "PATCH", "url": "/api/tenant/#{defaultTenantId}",
     "body": {"tenant": {"issuer": "piedpiper.example",
              "passwordEncryptionConfiguration": {"encryptionSchemeFactor": 1}}}},
    {"method": "POST", "url": "/api/key/generate/#{signingKeyId}",
     "body": {"key": {"algorithm": "ES256", "name": "fuzz signing key"}}},
    {"method": "POST", "url": "/api/application/#{applicationId}",
     "tenantId": "#{defaultTenantId}",
     "body": {"application": {"name": "Pied Piper",
       "roles": [{"name": "admin", "isSuperRole": true}, {"name": "user", "isDefault": true}],
       "jwtConfiguration": {"enabled": true, "accessTokenKeyId": "#{signingKeyId}",
                            "timeToLiveInSeconds": 3600,
                            "refreshTokenTimeToLiveInMinutes": 43200},
       "loginConfiguration": {"allowTokenRefresh": true, "generateRefreshTokens": true,
                              "requireAuthentication": false}}}},
    {"method": "POST", "url": "/api/user/registration/#{userId}",
     "tenantId": "#{defaultTenantId}",
     "body": {"user": {"email": "richard@piedpiper.example",
                       "password": "pied-piper-fuzz-password", "firstName": "Richard"},
              "registration": {"applicationId": "#{applicationId}", "roles": ["admin"]}}},
    {"method": "POST", "url": "/api/identity-provider/#{identityProviderId}",
     "body": {"identityProvider": {"type": "ExternalJWT", "name": "partners", "enabled": true,
       "domains": ["partners.piedpiper.example"], "linkingStrategy": "LinkByEmail",
       "headerKeyParameter": "kid", "uniqueIdentityClaim": "sub",
       "verificationKeyIds": ["#{signingKeyId}"],
       "applicationConfiguration": {"#{applicationId}": {"enabled": true,
                                                         "createRegistration": true}}}}}
  ]
})";

[[noreturn]] void SetupFailed(const char* what, const std::string& detail) {
  std::fprintf(stderr, "router fuzz setup: %s: %s\n", what, detail.c_str());
  std::abort();
}

struct World {
  std::shared_ptr<bulwark::testing::ManualClock> clock =
      std::make_shared<bulwark::testing::ManualClock>();
  std::shared_ptr<bulwark::testing::DeterministicRandom> random =
      std::make_shared<bulwark::testing::DeterministicRandom>(5);
  std::unique_ptr<bulwark::Engine> engine;
  std::unique_ptr<http::Router> router;
  bulwark::PasswordEncryptionConfiguration password_config;
  std::string access_token;
  std::string refresh_token;

  World() {
    bulwark::testing::DeterministicRandom uuids(9);
    bulwark::Result<http::KickstartPlan> plan =
        http::ParseKickstart(kKickstart, ".", {.environment = nullptr, .random = &uuids});
    if (!plan.ok()) SetupFailed("kickstart", plan.status().ToString());
    bulwark::Result<std::unique_ptr<bulwark::Store>> store = bulwark::OpenSqliteStore({});
    if (!store.ok()) SetupFailed("store", store.status().ToString());
    bulwark::Result<std::unique_ptr<bulwark::Engine>> opened =
        bulwark::Engine::Open({.store = std::move(*store),
                               .clock = clock,
                               .random = random,
                               .default_tenant_id = plan->default_tenant_id});
    if (!opened.ok()) SetupFailed("engine", opened.status().ToString());
    engine = std::move(*opened);
    if (bulwark::Status applied = http::ApplyKickstart(*engine, *plan); !applied.ok()) {
      SetupFailed("apply", applied.ToString());
    }
    password_config =
        engine->tenants().Retrieve(engine->default_tenant_id()).value().password_encryption_configuration;
    router = std::make_unique<http::Router>(*engine);

    http::HttpRequest login;
    login.method = "POST";
    login.path = "/api/login";
    login.headers = {{"Content-Type", "application/json"}};
    login.body = json{{"loginId", kEmail},
                      {"password", kPassword},
                      {"applicationId", kApplicationId}}
                     .dump();
    const http::HttpResponse response = router->Handle(login);
    const json body = json::parse(response.body, nullptr, false);
    if (response.status != 200 || !body.is_object()) SetupFailed("login", response.body);
    access_token = body.value("token", "");
    refresh_token = body.value("refreshToken", "");
  }

  // Puts the tenant's password configuration back if a request changed it.
  void RestorePasswordConfig() {
    bulwark::Result<bulwark::Tenant> tenant = engine->tenants().Retrieve(engine->default_tenant_id());
    if (!tenant.ok()) return;  // deleted: the world is remade below
    if (tenant->password_encryption_configuration == password_config) return;
    tenant->password_encryption_configuration = password_config;
    (void)engine->tenants().Update(*tenant);
  }
};

struct RouteTemplate {
  std::string_view method;
  std::string_view path;  // {tenant} {app} {user} {key} {idp} {fuzz} are replaced
};

constexpr RouteTemplate kRoutes[] = {
    {"POST", "/api/user"},
    {"POST", "/api/user/{fuzz}"},
    {"PUT", "/api/user/{user}"},
    {"PATCH", "/api/user/{user}"},
    {"GET", "/api/user/{user}"},
    {"GET", "/api/user"},
    {"DELETE", "/api/user/{fuzz}"},
    {"POST", "/api/user/registration"},
    {"POST", "/api/user/registration/{user}"},
    {"PUT", "/api/user/registration/{user}/{app}"},
    {"PATCH", "/api/user/registration/{user}/{app}"},
    {"GET", "/api/user/registration/{user}/{app}"},
    {"POST", "/api/user/import"},
    {"POST", "/api/application"},
    {"POST", "/api/application/{fuzz}"},
    {"PUT", "/api/application/{app}"},
    {"PATCH", "/api/application/{app}"},
    {"POST", "/api/application/{app}/role"},
    {"PATCH", "/api/application/{app}/role/{fuzz}"},
    {"POST", "/api/tenant"},
    {"PUT", "/api/tenant/{tenant}"},
    {"PATCH", "/api/tenant/{tenant}"},
    {"POST", "/api/login"},
    {"PUT", "/api/login"},
    {"PUT", "/api/login/{user}/{app}"},
    {"POST", "/api/logout"},
    {"POST", "/api/jwt/refresh"},
    {"DELETE", "/api/jwt/refresh"},
    {"GET", "/api/jwt/refresh"},
    {"GET", "/api/jwt/validate"},
    {"GET", "/api/jwt/public-key"},
    {"POST", "/api/identity-provider"},
    {"PUT", "/api/identity-provider/{idp}"},
    {"PATCH", "/api/identity-provider/{idp}"},
    {"GET", "/api/identity-provider/lookup"},
    {"POST", "/api/identity-provider/login"},
    {"POST", "/api/identity-provider/link"},
    {"GET", "/api/identity-provider/link"},
    {"POST", "/api/key/generate"},
    {"POST", "/api/key/import"},
    {"PUT", "/api/key/{key}"},
    {"GET", "/api/key/{fuzz}"},
    {"POST", "/api/api-key"},
    {"PUT", "/api/api-key/{fuzz}"},
    {"GET", "/.well-known/jwks.json"},
    {"", ""},  // method and path from the input
};

std::string Expand(std::string_view path, std::string_view fuzz) {
  std::string out;
  while (!path.empty()) {
    const std::size_t open = path.find('{');
    out += path.substr(0, open);
    if (open == std::string_view::npos) break;
    const std::size_t close = path.find('}', open);
    const std::string_view name = path.substr(open + 1, close - open - 1);
    if (name == "tenant") out += kTenantId;
    if (name == "app") out += kApplicationId;
    if (name == "user") out += kUserId;
    if (name == "key") out += kKeyId;
    if (name == "idp") out += kProviderId;
    if (name == "fuzz") out += fuzz;
    path.remove_prefix(close + 1);
  }
  return out;
}

// ---- what would only be slow ----------------------------------------------------------

struct CostScan {
  long long max_factor = -1;  // the largest factor-like number; -1 when none
  bool slow_scheme = false;   // a scheme whose default factor is not cheap
  bool bcrypt = false;
  bool never = false;         // argon2id / scrypt (fixed large memory), costly bcrypt strings
  bool rsa = false;           // a string starting RS / PS (key generation)
};

bool FactorName(std::string_view name) {
  return name.find("actor") != std::string_view::npos;  // factor, encryptionSchemeFactor
}

void NoteFactor(CostScan& scan, const json& value) {
  long long v = -1;
  if (value.is_number_integer()) v = value.get<long long>();
  if (value.is_number_unsigned()) v = static_cast<long long>(std::min<std::uint64_t>(
                                      value.get<std::uint64_t>(), 1ULL << 62));
  if (value.is_number_float()) v = value.get<double>() > 1e15 ? (1LL << 50) : static_cast<long long>(value.get<double>());
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') break;
      if (v < (1LL << 40)) v = v * 10 + (c - '0');
    }
  }
  scan.max_factor = std::max(scan.max_factor, v);
}

void Scan(CostScan& scan, const json& value) {
  if (value.is_object()) {
    // A JSON Patch operation on a factor: {"op": ..., "path": ".../factor", "value": n}.
    auto path = value.find("path");
    if (path != value.end() && path->is_string() &&
        FactorName(path->get_ref<const std::string&>())) {
      if (auto v = value.find("value"); v != value.end()) NoteFactor(scan, *v);
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (FactorName(it.key())) NoteFactor(scan, it.value());
      Scan(scan, it.value());
    }
  } else if (value.is_array()) {
    for (const json& item : value) Scan(scan, item);
  } else if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s == "argon2id" || s == "scrypt" || s == "firebase-scrypt") scan.never = true;
    if (s == "bcrypt") scan.bcrypt = scan.slow_scheme = true;
    if (s.rfind("salted-pbkdf2", 0) == 0 || s == "salted-md5" || s == "salted-sha256" ||
        s.rfind("phpass", 0) == 0) {
      scan.slow_scheme = true;
    }
    if (s.size() >= 7 && s[0] == '$' && s[1] == '2' && s[3] == '$' &&
        !(s[4] == '0' && s[5] <= '4')) {
      scan.never = true;
    }
    if (s.rfind("$argon2", 0) == 0 || s.rfind("$scrypt", 0) == 0) scan.never = true;
    if (s.rfind("RS", 0) == 0 || s.rfind("PS", 0) == 0) scan.rsa = true;
  }
}

bool OnlySlow(std::string_view method, std::string_view path, std::string_view body) {
  if (!bulwark::fuzz::NestsWithin(body, 64)) return false;  // the Router refuses it at once
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return false;
  CostScan scan;
  Scan(scan, doc);
  if (scan.never || scan.max_factor > 64) return true;
  if (scan.slow_scheme && scan.max_factor < 1) return true;
  if (scan.bcrypt && scan.max_factor > 5) return true;
  if (scan.rsa && method == "POST" && path.find("/api/key/generate") != std::string_view::npos) {
    return true;
  }
  return false;
}

// ---- the request -----------------------------------------------------------------------

constexpr std::string_view kContentTypes[] = {
    "application/json", "application/merge-patch+json", "application/json-patch+json",
    "application/x-www-form-urlencoded"};

World* TheWorld(bool renew) {
  static std::unique_ptr<World> world;
  if (renew || world == nullptr) {
    world.reset();
    world = std::make_unique<World>();
  }
  return world.get();
}

}  // namespace

BULWARK_FUZZ_TARGET(router) {
  static int requests = 0;
  World* world = TheWorld(++requests % kRequestsPerWorld == 0);

  bulwark::fuzz::Reader in(data, size);
  const RouteTemplate& route = kRoutes[in.Byte() % std::size(kRoutes)];
  const std::uint8_t variant = in.Byte();

  http::HttpRequest request;
  request.remote_address = "198.51.100.20";
  request.scheme = (variant & 0x80) ? "https" : "http";
  std::string path_text;
  if (route.method.empty()) {
    const std::string_view line = in.Field();
    const std::size_t space = line.find(' ');
    request.method = std::string(line.substr(0, space));
    path_text = space == std::string_view::npos ? "/" : std::string(line.substr(space + 1));
  } else {
    request.method = std::string(route.method);
  }
  if (variant & 0x10) request.query = http::ParseQueryString(in.Field());
  std::string cookie;
  if (variant & 0x20) cookie = std::string(in.Field());
  if (!route.method.empty()) {
    const std::string_view fuzz =
        route.path.find("{fuzz}") != std::string_view::npos ? in.Field() : std::string_view();
    path_text = Expand(route.path, fuzz);
  }
  const std::size_t q = path_text.find('?');
  request.path = path_text.substr(0, q);
  if (q != std::string::npos) {
    http::QueryParams more = http::ParseQueryString(std::string_view(path_text).substr(q + 1));
    request.query.insert(request.query.end(), more.begin(), more.end());
  }
  request.body = std::string(in.Rest());
  if (OnlySlow(request.method, request.path, request.body)) return -1;

  request.headers.emplace_back("Content-Type", std::string(kContentTypes[variant & 3]));
  if ((variant & 0x04) == 0) request.headers.emplace_back("Authorization", std::string(kApiKey));
  if (variant & 0x08) request.headers.emplace_back("Authorization", "Bearer " + world->access_token);
  if ((variant & 0x40) == 0) request.headers.emplace_back("X-FusionAuth-TenantId", std::string(kTenantId));
  if (variant & 0x20) {
    // The input's cookie line, or the world's tokens when it is empty.
    if (cookie.empty()) {
      cookie = "access_token=" + world->access_token + "; refresh_token=" + world->refresh_token;
    }
    request.headers.emplace_back("Cookie", cookie);
  }

  const http::HttpResponse response = world->router->Handle(request);
  if (response.status >= 500 && response.status != 503) {
    std::fprintf(stderr, "router fuzz: %s %s answered %d: %s\n", request.method.c_str(),
                 request.path.c_str(), response.status, response.body.c_str());
    std::abort();
  }
  BULWARK_FUZZ_CHECK(response.status >= 200);
  // Content-Type is present exactly when there is a body (http_message.h).
  BULWARK_FUZZ_CHECK(response.body.empty() ==
                     !bulwark::FindHeader(response.headers, "Content-Type").has_value());
  if (!response.body.empty()) {
    BULWARK_FUZZ_CHECK(!json::parse(response.body, nullptr, false).is_discarded());
  }
  if (request.path.rfind("/api/tenant", 0) == 0) world->RestorePasswordConfig();
  return 0;
}
