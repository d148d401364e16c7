// SPDX-License-Identifier: Apache-2.0
// FakeHttpClient: routing by method and URL without query, recording, injected transport
// failures, handlers that throw or call back into the client, and concurrent use.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/testing/fake_http_client.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark::testing {
namespace {


HttpClientRequest Get(std::string url) {
  HttpClientRequest request;
  request.method = "GET";
  request.url = std::move(url);
  return request;
}

HttpClientResponse Ok(std::string body) {
  HttpClientResponse response;
  response.status = 200;
  response.headers = {{"Content-Type", "text/plain"}};
  response.body = std::move(body);
  return response;
}

TEST_CASE("FakeHttpClient answers 404 with an empty body without a route", "[testing]") {
  FakeHttpClient client;
  Result<HttpClientResponse> response = client.Send(Get("https://nowhere.test/x"));
  REQUIRE_OK(response);
  CHECK(response->status == 404);
  CHECK(response->body.empty());
  CHECK(response->headers.empty());
}

TEST_CASE("FakeHttpClient routes by method and URL without the query", "[testing]") {
  FakeHttpClient client;
  client.On("GET", "https://a.test/path", Ok("get"));
  client.On("POST", "https://a.test/path", Ok("post"));

  CHECK(client.Send(Get("https://a.test/path"))->body == "get");
  CHECK(client.Send(Get("https://a.test/path?x=1&y=2"))->body == "get");
  CHECK(client.Send(Get("https://a.test/path#fragment"))->body == "get");
  HttpClientRequest post = Get("https://a.test/path?q");
  post.method = "POST";
  CHECK(client.Send(post)->body == "post");

  // Methods are case-sensitive; paths must match in full.
  HttpClientRequest lower = Get("https://a.test/path");
  lower.method = "get";
  CHECK(client.Send(lower)->status == 404);
  CHECK(client.Send(Get("https://a.test/path/"))->status == 404);
  CHECK(client.Send(Get("https://a.test/pat"))->status == 404);
  CHECK(client.Send(Get("https://b.test/path"))->status == 404);
  HttpClientRequest put = Get("https://a.test/path");
  put.method = "PUT";
  CHECK(client.Send(put)->status == 404);
}

TEST_CASE("FakeHttpClient: a later route replaces the earlier one", "[testing]") {
  FakeHttpClient client;
  client.On("GET", "https://a.test/", Ok("first"));
  client.On("GET", "https://a.test/",
            [](const HttpClientRequest& request) { return Ok("second " + request.url); });
  CHECK(client.Send(Get("https://a.test/?v=1"))->body == "second https://a.test/?v=1");
}

TEST_CASE("FakeHttpClient hands the whole request to the handler", "[testing]") {
  FakeHttpClient client;
  HttpClientRequest seen;
  client.On("POST", "https://a.test/token", [&seen](const HttpClientRequest& request) {
    seen = request;
    HttpClientResponse response;
    response.status = 201;
    response.headers = {{"X-Reply", "yes"}};
    return response;
  });
  HttpClientRequest request;
  request.method = "POST";
  request.url = "https://a.test/token?z=9";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-A", "1"}};
  request.body = "a=1&b=2";
  Result<HttpClientResponse> response = client.Send(request);
  REQUIRE_OK(response);
  CHECK(response->status == 201);
  CHECK(FindHeader(response->headers, "x-reply") == std::optional<std::string_view>("yes"));
  CHECK(seen == request);
}

TEST_CASE("FakeHttpClient records every request in order", "[testing]") {
  FakeHttpClient client;
  client.On("GET", "https://a.test/one", Ok("1"));
  client.FailTransport("https://a.test/down");
  HttpClientRequest post = Get("https://a.test/one?x=1");
  post.method = "POST";
  post.body = "payload";

  (void)client.Send(Get("https://a.test/one?page=2"));
  (void)client.Send(post);
  (void)client.Send(Get("https://a.test/missing"));
  (void)client.Send(Get("https://a.test/down"));
  (void)client.Send(Get("https://a.test/one"));

  const std::vector<HttpClientRequest> requests = client.requests();
  REQUIRE(requests.size() == 5);
  CHECK(requests[0].url == "https://a.test/one?page=2");  // the full URL is kept
  CHECK(requests[1] == post);
  CHECK(requests[2].url == "https://a.test/missing");
  CHECK(requests[3].url == "https://a.test/down");  // failed requests too
  CHECK(requests[4].url == "https://a.test/one");

  CHECK(client.CountRequests("GET", "https://a.test/one") == 2);
  CHECK(client.CountRequests("GET", "https://a.test/one?ignored") == 2);
  CHECK(client.CountRequests("POST", "https://a.test/one") == 1);
  CHECK(client.CountRequests("GET", "https://a.test/missing") == 1);
  CHECK(client.CountRequests("DELETE", "https://a.test/one") == 0);

  client.ClearRequests();
  CHECK(client.requests().empty());
  CHECK(client.CountRequests("GET", "https://a.test/one") == 0);
  (void)client.Send(Get("https://a.test/one"));
  CHECK(client.requests().size() == 1);
}

TEST_CASE("FakeHttpClient fails the transport on command", "[testing]") {
  FakeHttpClient client;
  client.On("GET", "https://a.test/jwks", Ok("{}"));
  client.On("GET", "https://a.test/other", Ok("other"));

  client.FailTransport("https://a.test/jwks");
  Result<HttpClientResponse> failed = client.Send(Get("https://a.test/jwks?x"));
  CHECK(failed.status().code() == StatusCode::kUnavailable);
  // Only that URL.
  CHECK(client.Send(Get("https://a.test/other"))->status == 200);

  client.FailTransport("https://a.test/jwks", false);
  Result<HttpClientResponse> restored = client.Send(Get("https://a.test/jwks"));
  REQUIRE_OK(restored);
  CHECK(restored->body == "{}");

  // A URL without a route fails too: the failure comes before routing.
  client.FailTransport("https://unrouted.test/");
  CHECK(client.Send(Get("https://unrouted.test/")).status().code() == StatusCode::kUnavailable);
}

TEST_CASE("FakeHttpClient turns a throwing handler into a 500", "[testing]") {
  FakeHttpClient client;
  client.On("GET", "https://a.test/std", [](const HttpClientRequest&) -> HttpClientResponse {
    throw std::runtime_error("boom");
  });
  client.On("GET", "https://a.test/int",
            [](const HttpClientRequest&) -> HttpClientResponse { throw 42; });
  client.On("GET", "https://a.test/empty", FakeHttpClient::Handler());

  Result<HttpClientResponse> std_throw = client.Send(Get("https://a.test/std"));
  REQUIRE_OK(std_throw);
  CHECK(std_throw->status == 500);
  CHECK(std_throw->body.find("boom") != std::string::npos);

  Result<HttpClientResponse> int_throw = client.Send(Get("https://a.test/int"));
  REQUIRE_OK(int_throw);
  CHECK(int_throw->status == 500);

  // An empty std::function is no route.
  CHECK(client.Send(Get("https://a.test/empty"))->status == 404);
  CHECK(client.requests().size() == 3);
}

TEST_CASE("FakeHttpClient handlers may call back into the client", "[testing]") {
  FakeHttpClient client;
  client.On("GET", "https://a.test/count", [&client](const HttpClientRequest&) {
    // The request being handled is already recorded.
    const std::size_t n = client.CountRequests("GET", "https://a.test/count");
    client.On("GET", "https://a.test/late", Ok("installed by a handler"));
    return Ok(std::to_string(n));
  });
  client.On("GET", "https://a.test/forward", [&client](const HttpClientRequest&) {
    Result<HttpClientResponse> inner = client.Send(Get("https://a.test/count"));
    return inner.ok() ? *inner : HttpClientResponse{.status = 599};
  });
  CHECK(client.Send(Get("https://a.test/count"))->body == "1");
  CHECK(client.Send(Get("https://a.test/forward"))->body == "2");
  CHECK(client.Send(Get("https://a.test/late"))->body == "installed by a handler");
  // A handler may replace its own route while it runs.
  client.On("GET", "https://a.test/self", [&client](const HttpClientRequest&) {
    client.On("GET", "https://a.test/self", Ok("replaced"));
    return Ok("original");
  });
  CHECK(client.Send(Get("https://a.test/self"))->body == "original");
  CHECK(client.Send(Get("https://a.test/self"))->body == "replaced");
}

TEST_CASE("FakeHttpClient is safe for concurrent use", "[testing]") {
  FakeHttpClient client;
  std::atomic<int> handled{0};
  client.On("GET", "https://a.test/x", [&handled](const HttpClientRequest&) {
    handled.fetch_add(1);
    return Ok("x");
  });
  constexpr int kThreads = 4;
  constexpr int kRequests = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&client] {
      for (int i = 0; i < kRequests; ++i) {
        Result<HttpClientResponse> r = client.Send(Get("https://a.test/x?i=" + std::to_string(i)));
        if (!r.ok() || r->status != 200) std::abort();
        (void)client.CountRequests("GET", "https://a.test/x");
      }
    });
  }
  // Meanwhile: routes come and go elsewhere, and transport failures are toggled.
  for (int i = 0; i < kRequests; ++i) {
    client.On("GET", "https://a.test/y" + std::to_string(i % 5), Ok("y"));
    client.FailTransport("https://a.test/z", i % 2 == 0);
    (void)client.requests();
  }
  for (std::thread& t : threads) t.join();
  CHECK(handled.load() == kThreads * kRequests);
  CHECK(client.CountRequests("GET", "https://a.test/x") == kThreads * kRequests);
}

}  // namespace
}  // namespace bulwark::testing
