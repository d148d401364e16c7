// SPDX-License-Identifier: Apache-2.0
//
// HttpServer: bulwark-server's HTTP front, cpp-httplib behind an interface that names no
// cpp-httplib type (http_server.cc is the only file that includes <httplib.h>). Every request,
// whatever its method and path, becomes a bulwark::http::HttpRequest for Router::Handle, and
// the Router's HttpResponse is written back as it is: status, every header (Set-Cookie may
// repeat) and the body, with no Content-Type added when the body is empty.
//
// One line per request goes to the logger: method, path (never the query string, which may
// carry a refresh token), status and the time spent in the handler. No header and no body is
// logged.
//
// Thread-safe: Stop() may be called from any thread while Run() serves on another; requests
// are handled on cpp-httplib's worker pool, and Router::Handle is thread-safe.
#ifndef BULWARK_EXAMPLES_SERVER_HTTP_SERVER_H_
#define BULWARK_EXAMPLES_SERVER_HTTP_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "bulwark/http/router.h"
#include "bulwark/logger.h"
#include "bulwark/result.h"

namespace bulwark_server {

struct HttpServerOptions {
  // Request bodies larger than this are refused with a bare 413 before they reach the Router.
  // Keep it above RouterOptions::max_body_bytes so that the Router answers 413 itself for
  // bodies between the two.
  std::size_t payload_max_length = std::size_t{4} << 20;
};

class HttpServer {
 public:
  // `logger` must outlive the server.
  explicit HttpServer(bulwark::Logger& logger, HttpServerOptions options = {});
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // Binds and listens on `host`:`port`; port 0 picks a free port. Returns the port bound, or
  // kUnavailable when the address cannot be bound. Call once, before Run().
  bulwark::Result<int> Bind(const std::string& host, int port);

  // Accepts connections and hands every request to `router` (which must outlive the call)
  // until Stop(); returns false when the accept loop failed. Returns at once when Stop() came
  // first. The Router may be made after Bind(), once the port is known (its OAuth base URL
  // names it).
  bool Run(const bulwark::http::Router& router);

  // Makes Run() return after the requests in flight are answered. Safe from any thread and
  // before Run() has started; not async-signal-safe (call it from a thread that waited for the
  // signal, e.g. with sigwait).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark_server

#endif  // BULWARK_EXAMPLES_SERVER_HTTP_SERVER_H_
