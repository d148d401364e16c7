// SPDX-License-Identifier: Apache-2.0
//
// HttpClient: bulwark's outbound transport, supplied by the host. bulwark calls it to reach
// other servers — an OpenID Connect provider's discovery document, token endpoint, userinfo
// endpoint and JWKS — and never opens a socket itself. A host wraps whatever client it
// already uses; tests use bulwark::testing::FakeHttpClient (no network).
//
//   class MyClient final : public bulwark::HttpClient {
//     bulwark::Result<bulwark::HttpClientResponse> Send(
//         const bulwark::HttpClientRequest& request) noexcept override { ... }
//   };
//
// Any HTTP status is a response, not an error: Send fails only when no response arrived
// (kUnavailable: cannot connect, TLS failure, reset; kDeadlineExceeded: timed out). The
// host decides timeouts, proxies, TLS verification and redirects (bulwark expects redirects
// not to be followed for token requests).
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not throw and must not call back into the Engine. They may block.
#ifndef BULWARK_HTTP_CLIENT_H_
#define BULWARK_HTTP_CLIENT_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/http_headers.h"
#include "bulwark/result.h"

namespace bulwark {

// Thread-compatible value type.
struct HttpClientRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme, host, path and query
  HttpHeaders headers = {};
  std::string body = {};

  friend bool operator==(const HttpClientRequest&, const HttpClientRequest&) = default;
};

// Thread-compatible value type.
struct HttpClientResponse {
  int status = 0;
  HttpHeaders headers = {};
  std::string body = {};

  friend bool operator==(const HttpClientResponse&, const HttpClientResponse&) = default;
};

class BULWARK_EXPORT HttpClient {
 public:
  HttpClient() = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  virtual ~HttpClient();

  virtual Result<HttpClientResponse> Send(const HttpClientRequest& request) noexcept = 0;
};

// application/x-www-form-urlencoded: `fields` percent-encoded (RFC 3986 unreserved
// characters kept, space as '+', everything else %XX), joined with '&'.
BULWARK_EXPORT std::string FormUrlEncode(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace bulwark

#endif  // BULWARK_HTTP_CLIENT_H_
