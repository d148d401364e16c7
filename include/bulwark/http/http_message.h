// SPDX-License-Identifier: Apache-2.0
//
// HttpRequest / HttpResponse: what a host's HTTP stack hands to bulwark::http::Router and
// gets back. They depend on no HTTP library; an adapter for any server is a few lines:
//
//   bulwark::http::HttpRequest request{
//       .method = req.method,
//       .path = req.path,                                  // already percent-decoded
//       .query = bulwark::http::ParseQueryString(raw_query),
//       .headers = {...},
//       .body = req.body,
//       .remote_address = req.remote_addr};
//   bulwark::http::HttpResponse response = router.Handle(request);
//
// Thread-compatible value types.
#ifndef BULWARK_HTTP_HTTP_MESSAGE_H_
#define BULWARK_HTTP_HTTP_MESSAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/http_headers.h"

namespace bulwark::http {

// Query parameters in order, percent-decoded; a name may repeat (`?ids=a&ids=b`).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // as sent; the Router compares it exactly ("GET", "POST", ...)
  std::string path = "/";      // percent-decoded, without the query string
  QueryParams query = {};
  HttpHeaders headers = {};
  std::string body = {};
  // The peer's address as the adapter saw it (login records fall back to it when neither the
  // body's ipAddress nor X-Forwarded-For names one).
  std::string remote_address = {};
  // "http" or "https", as the adapter decided (behind a proxy, from its configuration): the
  // Router marks cookies Secure on https.
  std::string scheme = "http";
  std::string host = {};  // the Host the request was addressed to, if known
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers = {};  // Content-Type is present exactly when `body` is not empty
  std::string body = {};
};

// The first value of query parameter `name` (compared exactly), if any.
BULWARK_EXPORT std::optional<std::string_view> FindQuery(const QueryParams& query,
                                                         std::string_view name);

// Decodes `%XX` escapes; with `plus_is_space` (query strings and form bodies) also `+`.
// Malformed escapes are kept as they are.
BULWARK_EXPORT std::string PercentDecode(std::string_view text, bool plus_is_space);

// Splits `a=1&b=2&b=3` (no leading '?') into decoded pairs; a name without '=' has an empty
// value; empty pieces are skipped. For query strings and application/x-www-form-urlencoded
// bodies.
BULWARK_EXPORT QueryParams ParseQueryString(std::string_view text);

}  // namespace bulwark::http

#endif  // BULWARK_HTTP_HTTP_MESSAGE_H_
