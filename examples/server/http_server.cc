// SPDX-License-Identifier: Apache-2.0
// The only file of bulwark-server that includes <httplib.h> (Debian's libcpp-httplib-dev 0.11).
#include "http_server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "bulwark/http/http_message.h"

namespace bulwark_server {
namespace {

using Clock = std::chrono::steady_clock;

// cpp-httplib stores the peer and local addresses among the request headers under these
// names; they are not headers the client sent.
bool IsPseudoHeader(std::string_view name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Headers that describe the connection or the framing: cpp-httplib writes its own.
bool IsHopByHop(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Keep-Alive");
}

// The request target's path as sent (still percent-encoded), without the query.
std::string_view RawPath(const httplib::Request& req) {
  const std::string_view target = req.target;
  return target.substr(0, target.find('?'));
}

std::string_view RawQuery(const httplib::Request& req) {
  const std::string_view target = req.target;
  const std::size_t question = target.find('?');
  return question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
}

// The path for the log: printable ASCII kept, every other byte as \xNN (no log injection).
std::string PrintablePath(std::string_view path) {
  if (path.empty()) return "-";
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7f && c != '\\') {
      out.push_back(c);
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

bulwark::http::HttpRequest ToBulwark(const httplib::Request& req, std::string body) {
  bulwark::http::HttpRequest request;
  request.method = req.method;
  request.path = bulwark::http::PercentDecode(RawPath(req), /*plus_is_space=*/false);
  // The raw target, not req.params: cpp-httplib also puts form-encoded body fields there.
  request.query = bulwark::http::ParseQueryString(RawQuery(req));
  request.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) {
    if (!IsPseudoHeader(name)) request.headers.emplace_back(name, value);
  }
  request.body = std::move(body);
  request.remote_address = req.remote_addr;
  request.scheme = "http";
  request.host = req.get_header_value("Host");
  return request;
}

void FromBulwark(bulwark::http::HttpResponse response, httplib::Response& res) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers) {
    // set_header adds (a multimap: Set-Cookie may repeat) and drops values with CR or LF.
    if (!IsHopByHop(name)) res.set_header(name.c_str(), value);
  }
  // Not set_content: it would add a Content-Type. cpp-httplib adds none for an empty body.
  res.body = std::move(response.body);
}

// The time spent in the handler, handed from the handler to the logger, which cpp-httplib calls
// on the same worker thread once the response is written.
thread_local double handler_milliseconds = -1;

}  // namespace

struct HttpServer::Impl {
  Impl(bulwark::Logger& l, HttpServerOptions o) : logger(l), options(o) {}

  // `start`: when the handler was entered (reading the body counts).
  void Answer(const httplib::Request& req, httplib::Response& res, std::string body,
              Clock::time_point start) {
    try {
      FromBulwark(router->Handle(ToBulwark(req, std::move(body))), res);
    } catch (const std::exception&) {
      // Router::Handle never throws; this is the copy in and out (allocation).
      res = httplib::Response();
      res.status = 500;
    }
    Finish(start);
  }

  static void Finish(Clock::time_point start) {
    handler_milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }

  // Methods without a body: cpp-httplib has read none.
  void HandleWithoutBody(const httplib::Request& req, httplib::Response& res) {
    Answer(req, res, std::string(), Clock::now());
  }

  // POST, PUT, PATCH and DELETE read their body here rather than in cpp-httplib, which would
  // also parse form bodies into req.params and refuse those over 8 KB.
  void HandleWithBody(const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& content_reader) {
    const Clock::time_point start = Clock::now();
    if (req.is_multipart_form_data()) {
      // No API of FusionAuth's takes multipart; drain it so the connection stays usable.
      content_reader([](const httplib::MultipartFormData&) { return true; },
                     [](const char*, std::size_t) { return true; });
      res.status = 415;
      Finish(start);
      return;
    }
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      // No body (RFC 9112 §6.3); cpp-httplib 0.11 would read until the peer closes.
      Answer(req, res, std::string(), start);
      return;
    }
    std::string body;
    bool too_large = false;
    const bool read = content_reader([&](const char* data, std::size_t length) {
      // cpp-httplib 0.11 checks payload_max_length against Content-Length only, not against
      // a chunked body.
      if (length > options.payload_max_length - body.size()) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    if (!read || too_large) {
      // 413 (over payload_max_length) or cpp-httplib's 400 (a broken body).
      if (too_large) {
        // The rest of the body is still on the connection: tell the peer (and any proxy) not
        // to send another request on it.
        res.status = 413;
        res.set_header("Connection", "close");
      }
      if (res.status < 400) res.status = 400;
      Finish(start);
      return;
    }
    Answer(req, res, std::move(body), start);
  }

  void LogRequest(const httplib::Request& req, const httplib::Response& res) {
    const std::string path = PrintablePath(RawPath(req));
    const std::string method = req.method.empty() ? "-" : PrintablePath(req.method);
    char elapsed[32] = "-";
    if (handler_milliseconds >= 0) {
      std::snprintf(elapsed, sizeof elapsed, "%.1f ms", handler_milliseconds);
    }
    handler_milliseconds = -1;
    const std::string line = method + " " + path + " " + std::to_string(res.status) + " " + elapsed;
    logger.Log(bulwark::LogLevel::kInfo, line);
  }

  // Set by Run() before the first connection is accepted, then read-only.
  const bulwark::http::Router* router = nullptr;
  bulwark::Logger& logger;
  HttpServerOptions options;
  httplib::Server server;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> run_finished{false};
};

HttpServer::HttpServer(bulwark::Logger& logger, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(logger, options)) {
  Impl& impl = *impl_;
  httplib::Server& server = impl.server;
  const std::string any = ".*";
  const auto without_body = [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.HandleWithoutBody(req, res);
  };
  const auto with_body = [&impl](const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& reader) {
    impl.HandleWithBody(req, res, reader);
  };
  server.Get(any, without_body);  // also HEAD
  server.Options(any, without_body);
  server.Post(any, httplib::Server::HandlerWithContentReader(with_body));
  server.Put(any, httplib::Server::HandlerWithContentReader(with_body));
  server.Patch(any, httplib::Server::HandlerWithContentReader(with_body));
  server.Delete(any, httplib::Server::HandlerWithContentReader(with_body));
  // The methods cpp-httplib parses but cannot route (CONNECT, TRACE, PRI) go to the Router too,
  // which answers them (405) like any other method it does not serve.
  server.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "CONNECT" || req.method == "TRACE" || req.method == "PRI") {
      impl.HandleWithoutBody(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([&impl](const httplib::Request& req, const httplib::Response& res) {
    impl.LogRequest(req, res);
  });
  server.set_payload_max_length(options.payload_max_length);
}

HttpServer::~HttpServer() = default;

bulwark::Result<int> HttpServer::Bind(const std::string& host, int port) {
  httplib::Server& server = impl_->server;
  if (port == 0) {
    const int bound = server.bind_to_any_port(host);
    if (bound > 0) return bound;
  } else if (server.bind_to_port(host, port)) {
    return port;
  }
  return bulwark::Status::Unavailable("cannot listen on " + host + ":" + std::to_string(port));
}

bool HttpServer::Run(const bulwark::http::Router& router) {
  impl_->router = &router;
  bool ok = true;
  if (!impl_->stop_requested.load()) ok = impl_->server.listen_after_bind();
  impl_->run_finished.store(true);
  return ok;
}

void HttpServer::Stop() {
  impl_->stop_requested.store(true);
  // httplib::Server::stop() does nothing until the accept loop runs: wait for it (or for Run()
  // to have returned without one).
  while (!impl_->run_finished.load()) {
    if (impl_->server.is_running()) {
      impl_->server.stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace bulwark_server
