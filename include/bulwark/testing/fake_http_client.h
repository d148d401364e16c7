// SPDX-License-Identifier: Apache-2.0
//
// FakeHttpClient: an HttpClient that answers from routes the test installs, records
// every request, and never touches the network. Tests script the servers bulwark talks to
// (an OpenID Connect provider: see fake_openid_provider.h) and assert on what bulwark sent.
//
//   auto http = std::make_shared<bulwark::testing::FakeHttpClient>();
//   http->On("GET", "https://op.test/.well-known/jwks.json",
//            {.status = 200, .headers = {{"Content-Type", "application/json"}}, .body = jwks});
//   http->On("POST", "https://op.test/oauth2/token",
//            [](const bulwark::HttpClientRequest& request) { ... return response; });
//   http->FailTransport("https://op.test/oauth2/token");  // kUnavailable, no response
//   CHECK(http->CountRequests("POST", "https://op.test/oauth2/token") == 1);
//
// Routing: a route matches when the request's method equals the route's (HTTP methods are
// case-sensitive) and the request URL, without its query string and fragment, equals the
// route's URL. A later route for the same (method, url) replaces the earlier one. A request
// without a route gets a 404 response with an empty body.
//
// Handlers run without the client's lock held: they may call back into the client (record,
// install routes, count requests). A handler that throws produces a 500 response whose body
// names the exception; Send itself never throws.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation; handlers may be called concurrently and must be thread-safe themselves.
#ifndef BULWARK_TESTING_FAKE_HTTP_CLIENT_H_
#define BULWARK_TESTING_FAKE_HTTP_CLIENT_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/http_client.h"
#include "bulwark/result.h"

namespace bulwark::testing {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<HttpClientResponse(const HttpClientRequest&)>;

  FakeHttpClient() = default;
  ~FakeHttpClient() override;

  // Routes (method, url) to `handler`; `url` is compared with the request URL without its
  // query string. Replaces an earlier route for the same (method, url).
  void On(std::string method, std::string url, Handler handler);
  // Routes (method, url) to a fixed response (a copy is returned each time).
  void On(std::string method, std::string url, HttpClientResponse response);

  // While set, every request to `url` (without query) fails with kUnavailable and no
  // response, as a refused connection would; the request is still recorded.
  void FailTransport(std::string url, bool fail = true);

  // Every request received, oldest first, with its full URL.
  std::vector<HttpClientRequest> requests() const;
  // The number of requests received with `method` and `url` (both compared as routes are).
  std::size_t CountRequests(std::string_view method, std::string_view url) const;
  void ClearRequests();

  Result<HttpClientResponse> Send(const HttpClientRequest& request) noexcept override;

 private:
  mutable std::mutex mu_;
  // (method, url without query) -> handler. shared_ptr: Send copies the pointer, then calls
  // the handler outside the lock even if the route is replaced meanwhile.
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Handler>>
      routes_;                                       // guarded by mu_
  std::set<std::string, std::less<>> failing_urls_;  // guarded by mu_
  std::vector<HttpClientRequest> requests_;    // guarded by mu_
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_FAKE_HTTP_CLIENT_H_
