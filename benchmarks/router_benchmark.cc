// SPDX-License-Identifier: Apache-2.0
// The Router's overhead over in-process calls, for the two hottest wire calls:
//   Router/Login      POST /api/login (API key check, JSON parse, login, response JSON and
//                     cookies) beside InProcess/Login, the same LoginService::Login call;
//   Router/Refresh    POST /api/jwt/refresh beside InProcess/Refresh.
// Both use FusionAuth's default password scheme (salted-pbkdf2-hmac-sha256, 24000) and an
// ES256 access-token key, on an in-memory SQLite store. items_per_second is logins/s or
// refreshes/s on one thread.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/api_key_service.h"
#include "bulwark/engine.h"
#include "bulwark/http/router.h"

#include "benchmark_support.h"

namespace {

using namespace bulwark;  // NOLINT: a benchmark file

using bulwark::bench::Die;
using bulwark::bench::Must;

constexpr const char* kEmail = "bench@example.com";
constexpr const char* kPassword = "correct horse battery staple";

struct RouterWorld {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<http::Router> router;
  Application app;
  std::string api_key;
  std::string refresh_token;

  RouterWorld() {
    engine = bench::Es256Engine();
    Application a;
    a.name = "bench";
    a.login_configuration.generate_refresh_tokens = true;
    a.login_configuration.allow_token_refresh = true;
    app = Must(engine->applications().Create(a), "application");
    User u;
    u.email = kEmail;
    u.password = kPassword;
    Registration r;
    r.application_id = app.id;
    Must(engine->registrations().Register(u, r), "register");
    ApiKey k;
    k.name = "bench";
    api_key = Must(engine->api_keys().Create(k), "api key").key;
    router = std::make_unique<http::Router>(*engine);
    refresh_token = Must(engine->login().Login(LoginRequestFor()), "login").refresh_token;
  }

  LoginRequest LoginRequestFor() const {
    LoginRequest request;
    request.login_id = kEmail;
    request.password = kPassword;
    request.application_id = app.id;
    return request;
  }

  http::HttpRequest HttpLogin() const {
    http::HttpRequest request;
    request.method = "POST";
    request.path = "/api/login";
    request.headers = {{"Authorization", api_key}, {"Content-Type", "application/json"}};
    request.body =
        nlohmann::json{
            {"loginId", kEmail}, {"password", kPassword}, {"applicationId", app.id.ToString()}}
            .dump();
    request.remote_address = "127.0.0.1";
    return request;
  }

  http::HttpRequest HttpRefresh() const {
    http::HttpRequest request;
    request.method = "POST";
    request.path = "/api/jwt/refresh";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = nlohmann::json{{"refreshToken", refresh_token}}.dump();
    request.remote_address = "127.0.0.1";
    return request;
  }
};

// Worlds are made on their first use, outside the timed loop. Each login benchmark has one
// of its own: a login adds a login record, so a shared store would let the benchmark that
// ran first weigh on the one after. The two refresh benchmarks share one: a refresh of the
// same token rewrites its row in place and leaves the store as it found it, so both then
// measure the same refresh on the same store, keys and caches, and their ratio is the
// Router's cost alone, not the difference between two stores and two ES256 keys.
template <int kWhich>
RouterWorld& World() {
  static RouterWorld* const world = new RouterWorld();  // lives as long as the process
  return *world;
}

void BM_RouterLogin(benchmark::State& state) {
  RouterWorld& world = World<0>();
  const http::HttpRequest request = world.HttpLogin();
  for (auto _ : state) {
    http::HttpResponse response = world.router->Handle(request);
    if (response.status != 200) Die("router login: " + std::to_string(response.status));
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouterLogin)->Name("Router/Login")->Unit(benchmark::kMillisecond);

void BM_InProcessLogin(benchmark::State& state) {
  RouterWorld& world = World<1>();
  const LoginRequest request = world.LoginRequestFor();
  for (auto _ : state) {
    Result<LoginResponse> response = world.engine->login().Login(request);
    if (!response.ok() || response->outcome != LoginOutcome::kSuccess) Die("login");
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InProcessLogin)->Name("InProcess/Login")->Unit(benchmark::kMillisecond);

void BM_RouterRefresh(benchmark::State& state) {
  RouterWorld& world = World<2>();
  const http::HttpRequest request = world.HttpRefresh();
  for (auto _ : state) {
    http::HttpResponse response = world.router->Handle(request);
    if (response.status != 200) Die("router refresh: " + std::to_string(response.status));
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouterRefresh)->Name("Router/Refresh")->Unit(benchmark::kMicrosecond);

void BM_InProcessRefresh(benchmark::State& state) {
  RouterWorld& world = World<2>();  // Router/Refresh's (see World)
  RefreshRequest request;
  request.refresh_token = world.refresh_token;
  for (auto _ : state) {
    Result<RefreshResponse> response = world.engine->tokens().Refresh(request);
    if (!response.ok()) Die("refresh");
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InProcessRefresh)->Name("InProcess/Refresh")->Unit(benchmark::kMicrosecond);

}  // namespace
