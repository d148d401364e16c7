// SPDX-License-Identifier: Apache-2.0
// The OAuth 2.0 token endpoint's grants, in-process (AuthorizationServer::Token) and through
// the Router (POST /oauth2/token with a form body and Basic credentials). Every access token
// is signed with an ES256 key: read each figure as a ratio to RawSign/ES256 of the same run.
//
//   OAuth2/CodeExchange/{InProcess,Router}       authorization_code (scope offline_access:
//                                                 an access token and a refresh token)
//   OAuth2/Refresh/{InProcess,Router}            refresh_token (a reusable token)
//   OAuth2/ClientCredentials/{InProcess,Router}  client_credentials
//
// Codes are minted outside the timed region, a batch at a time, through the SSO session as a
// browser coming back for a second authorization would get them.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "benchmark_support.h"
#include "bulwark/engine.h"
#include "bulwark/http/router.h"
#include "bulwark/http_client.h"  // FormUrlEncode
#include "bulwark/oauth2/authorization_server.h"

namespace {

using namespace bulwark;  // NOLINT: a benchmark file

using bulwark::bench::Die;
using bulwark::bench::Must;

constexpr const char* kRedirect = "https://app.example/cb";
constexpr const char* kSecret = "bench-client-secret";
constexpr const char* kPassword = "correct horse battery staple";

std::string Base64(const std::string& in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? alphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < in.size() ? alphabet[n & 63] : '=');
  }
  return out;
}

struct OAuthWorld {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<oauth2::AuthorizationServer> server;
  std::unique_ptr<http::Router> router;
  Application app;
  std::string sso_cookie;
  std::string refresh_token;

  OAuthWorld() {
    engine = bench::Es256Engine();
    Application a;
    a.name = "bench";
    a.oauth_configuration.client_secret = kSecret;
    a.oauth_configuration.authorized_redirect_urls = {kRedirect};
    a.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode, GrantType::kRefreshToken,
                                            GrantType::kPassword, GrantType::kClientCredentials};
    app = Must(engine->applications().Create(a), "application");
    User u;
    u.email = "bench@example.com";
    u.password = kPassword;
    Registration r;
    r.application_id = app.id;
    Must(engine->registrations().Register(u, r), "register");
    server =
        Must(oauth2::AuthorizationServer::Create(*engine, {.base_url = "https://login.example"}),
             "authorization server");
    router = std::make_unique<http::Router>(
        *engine, http::RouterOptions{.oauth = {.base_url = "https://login.example"}});

    // A browser's SSO session: the login form once.
    oauth2::AuthorizeResult page = server->Authorize(Authorize());
    std::string csrf;
    for (const std::string& cookie : page.set_cookies) {
      if (cookie.rfind("bulwark.csrf=", 0) == 0) csrf = cookie.substr(13, cookie.find(';') - 13);
    }
    oauth2::AuthorizeRequest post = Authorize();
    post.post = true;
    post.login_id = "bench@example.com";
    post.password = kPassword;
    post.csrf_token = csrf;
    post.csrf_cookie = csrf;
    oauth2::AuthorizeResult logged_in = server->Authorize(post);
    for (const std::string& cookie : logged_in.set_cookies) {
      if (cookie.rfind("bulwark.sso=", 0) == 0) {
        sso_cookie = cookie.substr(12, cookie.find(';') - 12);
      }
    }
    if (sso_cookie.empty()) Die("the login form did not start a session");
    oauth2::TokenResult first = server->Token(CodeRequest(NewCode()));
    if (!std::holds_alternative<oauth2::TokenResponse>(first)) Die("code exchange failed");
    refresh_token = std::get<oauth2::TokenResponse>(first).refresh_token;
  }

  oauth2::AuthorizeRequest Authorize() const {
    oauth2::AuthorizeRequest r;
    r.client_id = app.id.ToString();
    r.redirect_uri = kRedirect;
    r.response_type = "code";
    r.scope = "offline_access";
    r.state = "s";
    return r;
  }

  std::string NewCode() const {
    oauth2::AuthorizeRequest r = Authorize();
    r.sso_cookie = sso_cookie;
    oauth2::AuthorizeResult result = server->Authorize(r);
    const auto* redirect = std::get_if<oauth2::Redirect>(&result.response);
    if (redirect == nullptr) Die("no code from the SSO session");
    const std::size_t at = redirect->location.find("code=");
    return redirect->location.substr(at + 5, redirect->location.find('&', at) - at - 5);
  }

  // A token request of `grant_type` from the application, its secret in the form.
  oauth2::TokenRequest ClientRequest(std::string grant_type) const {
    oauth2::TokenRequest t;
    t.grant_type = std::move(grant_type);
    t.client_id = app.id.ToString();
    t.client_secret = kSecret;
    return t;
  }

  oauth2::TokenRequest CodeRequest(std::string code) const {
    oauth2::TokenRequest t = ClientRequest("authorization_code");
    t.code = std::move(code);
    t.redirect_uri = kRedirect;
    return t;
  }

  oauth2::TokenRequest RefreshRequest() const {
    oauth2::TokenRequest t = ClientRequest("refresh_token");
    t.refresh_token = refresh_token;
    return t;
  }

  oauth2::TokenRequest ClientCredentialsRequest() const {
    return ClientRequest("client_credentials");
  }

  // The same request as a client sends it: a form with Basic credentials.
  http::HttpRequest Http(const oauth2::TokenRequest& t) const {
    std::vector<std::pair<std::string, std::string>> fields = {{"grant_type", *t.grant_type}};
    if (t.code) fields.emplace_back("code", *t.code);
    if (t.redirect_uri) fields.emplace_back("redirect_uri", *t.redirect_uri);
    if (t.refresh_token) fields.emplace_back("refresh_token", *t.refresh_token);
    http::HttpRequest request;
    request.method = "POST";
    request.path = "/oauth2/token";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Authorization", "Basic " + Base64(*t.client_id + ":" + kSecret)}};
    request.body = FormUrlEncode(fields);
    request.remote_address = "127.0.0.1";
    return request;
  }
};

OAuthWorld& World() {
  static OAuthWorld* world = new OAuthWorld();
  return *world;
}

void Check(const oauth2::TokenResult& result) {
  if (!std::holds_alternative<oauth2::TokenResponse>(result)) Die("token request failed");
}

void Check(const http::HttpResponse& response) {
  if (response.status != 200) Die("token request failed: " + response.body);
}

// Codes for the next `n` iterations, minted with the timer paused.
std::vector<std::string> Codes(benchmark::State& state, std::size_t n) {
  state.PauseTiming();
  std::vector<std::string> codes;
  codes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) codes.push_back(World().NewCode());
  state.ResumeTiming();
  return codes;
}

constexpr std::size_t kBatch = 256;

void BM_CodeExchangeInProcess(benchmark::State& state) {
  OAuthWorld& world = World();
  std::vector<std::string> codes;
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == codes.size()) {
      codes = Codes(state, kBatch);
      next = 0;
    }
    Check(world.server->Token(world.CodeRequest(codes[next++])));
  }
}
BENCHMARK(BM_CodeExchangeInProcess)
    ->Name("OAuth2/CodeExchange/InProcess")
    ->Unit(benchmark::kMicrosecond);

void BM_CodeExchangeRouter(benchmark::State& state) {
  OAuthWorld& world = World();
  std::vector<std::string> codes;
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == codes.size()) {
      codes = Codes(state, kBatch);
      next = 0;
    }
    Check(world.router->Handle(world.Http(world.CodeRequest(codes[next++]))));
  }
}
BENCHMARK(BM_CodeExchangeRouter)->Name("OAuth2/CodeExchange/Router")->Unit(benchmark::kMicrosecond);

void BM_RefreshInProcess(benchmark::State& state) {
  OAuthWorld& world = World();
  const oauth2::TokenRequest request = world.RefreshRequest();
  for (auto _ : state) Check(world.server->Token(request));
}
BENCHMARK(BM_RefreshInProcess)->Name("OAuth2/Refresh/InProcess")->Unit(benchmark::kMicrosecond);

void BM_RefreshRouter(benchmark::State& state) {
  OAuthWorld& world = World();
  const http::HttpRequest request = world.Http(world.RefreshRequest());
  for (auto _ : state) Check(world.router->Handle(request));
}
BENCHMARK(BM_RefreshRouter)->Name("OAuth2/Refresh/Router")->Unit(benchmark::kMicrosecond);

void BM_ClientCredentialsInProcess(benchmark::State& state) {
  OAuthWorld& world = World();
  const oauth2::TokenRequest request = world.ClientCredentialsRequest();
  for (auto _ : state) Check(world.server->Token(request));
}
BENCHMARK(BM_ClientCredentialsInProcess)
    ->Name("OAuth2/ClientCredentials/InProcess")
    ->Unit(benchmark::kMicrosecond);

void BM_ClientCredentialsRouter(benchmark::State& state) {
  OAuthWorld& world = World();
  const http::HttpRequest request = world.Http(world.ClientCredentialsRequest());
  for (auto _ : state) Check(world.router->Handle(request));
}
BENCHMARK(BM_ClientCredentialsRouter)
    ->Name("OAuth2/ClientCredentials/Router")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
