// SPDX-License-Identifier: Apache-2.0
//
// bulwark-server: bulwark's FusionAuth-compatible REST API over HTTP, on an embedded SQLite
// file. bulwark::http::Router does the work; cpp-httplib (http_server.cc) carries the bytes.
// FusionAuth's client SDKs talk to it as they talk to FusionAuth.
//
//   bulwark-server --db bulwark.db --kickstart kickstart.json --listen 127.0.0.1:9011
//
// With --kickstart, an empty store is set up from a FusionAuth kickstart file (the file's
// `defaultTenantId` becomes the default tenant's id); a store that is not empty is left as it
// is. Once the socket listens, one line `bulwark-server listening on http://HOST:PORT` goes to
// stdout (with the port chosen when PORT was 0). Diagnostics and one line per request go to
// stderr, never a secret. SIGINT or SIGTERM stops it after the requests in flight; it then
// exits 0.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "bulwark/engine.h"
#include "bulwark/http/kickstart.h"
#include "bulwark/http/router.h"
#include "bulwark/logger.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/version.h"
#include "http_server.h"

namespace {

constexpr const char* kUsage =
    "usage: bulwark-server [--db PATH] [--kickstart FILE] [--listen HOST:PORT] [--base-url URL]\n"
    "\n"
    "Serves bulwark's FusionAuth-compatible REST API and its OAuth 2.0 / OpenID Connect\n"
    "endpoints over HTTP.\n"
    "\n"
    "  --db PATH           the SQLite file, created if missing (default: bulwark.db)\n"
    "  --kickstart FILE    a FusionAuth kickstart file, applied when the store is empty\n"
    "  --listen HOST:PORT  the address to listen on (default: 127.0.0.1:9011); port 0 picks a\n"
    "                      free port; IPv6 as [::1]:9011\n"
    "  --base-url URL      where browsers and clients reach the server, for the OAuth endpoints\n"
    "                      and discovery (default: http://HOST:PORT as listening)\n"
    "  --help              this text\n"
    "\n"
    "Prints `bulwark-server listening on http://HOST:PORT` once listening. SIGINT or SIGTERM\n"
    "stops it.\n";

// Writes one line per message to stderr. fprintf locks the stream, so lines from concurrent
// requests do not interleave.
class StderrLogger final : public bulwark::Logger {
 public:
  void Log(bulwark::LogLevel level, std::string_view message) noexcept override {
    std::fprintf(stderr, "bulwark-server [%s] %.*s\n", Name(level),
                 static_cast<int>(message.size()), message.data());
  }

 private:
  static const char* Name(bulwark::LogLevel level) {
    switch (level) {
      case bulwark::LogLevel::kDebug:
        return "debug";
      case bulwark::LogLevel::kInfo:
        return "info";
      case bulwark::LogLevel::kWarning:
        return "warning";
      case bulwark::LogLevel::kError:
        return "error";
    }
    return "?";
  }
};

struct Arguments {
  std::string db = "bulwark.db";
  std::optional<std::string> kickstart;
  std::string host = "127.0.0.1";
  int port = 9011;
  std::optional<std::string> base_url;
  bool help = false;
};

// "HOST:PORT" or "[IPV6]:PORT", PORT in 0..65535.
bool ParseListen(std::string_view text, std::string& host, int& port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string_view host_part = text.substr(0, colon);
  if (host_part.front() == '[') {
    if (host_part.size() < 3 || host_part.back() != ']') return false;
    host_part = host_part.substr(1, host_part.size() - 2);
  } else if (host_part.find(':') != std::string_view::npos) {
    return false;  // an IPv6 address needs brackets
  }
  const std::string_view port_part = text.substr(colon + 1);
  if (port_part.size() > 5) return false;
  int value = 0;
  for (const char c : port_part) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value > 65535) return false;
  host = std::string(host_part);
  port = value;
  return true;
}

// Returns an error message, or nothing when the arguments are valid.
std::optional<std::string> ParseArguments(int argc, char** argv, Arguments& args) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      args.help = true;
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (const std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (name != "--db" && name != "--kickstart" && name != "--listen" && name != "--base-url") {
      return "unknown argument: " + std::string(arg);
    }
    if (!value.has_value()) {
      if (i + 1 >= argc) return std::string(name) + " needs a value";
      value = argv[++i];
    }
    if (value->empty()) return std::string(name) + " needs a value";
    if (name == "--db") {
      args.db = std::string(*value);
    } else if (name == "--kickstart") {
      args.kickstart = std::string(*value);
    } else if (name == "--base-url") {
      args.base_url = std::string(*value);
    } else if (!ParseListen(*value, args.host, args.port)) {
      return "--listen wants HOST:PORT (e.g. 127.0.0.1:9011), not " + std::string(*value);
    }
  }
  return std::nullopt;
}

int Fail(const char* what, const bulwark::Status& status) {
  std::fprintf(stderr, "bulwark-server: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

int Serve(const Arguments& args, const sigset_t& stop_signals) {
  auto logger = std::make_shared<StderrLogger>();

  // The kickstart file first: its defaultTenantId names the tenant the Engine creates.
  std::optional<bulwark::http::KickstartPlan> plan;
  if (args.kickstart.has_value()) {
    bulwark::Result<bulwark::http::KickstartPlan> loaded =
        bulwark::http::LoadKickstart(*args.kickstart);
    if (!loaded.ok()) return Fail("kickstart", loaded.status());
    plan = *std::move(loaded);
  }

  bulwark::Result<std::unique_ptr<bulwark::Store>> store =
      bulwark::OpenSqliteStore({.path = args.db});
  if (!store.ok()) return Fail(("open " + args.db).c_str(), store.status());
  bulwark::Result<std::unique_ptr<bulwark::Engine>> opened = bulwark::Engine::Open({
      .store = std::move(*store),
      .logger = logger,
      .default_tenant_id = plan.has_value() ? plan->default_tenant_id : std::nullopt,
  });
  if (!opened.ok()) return Fail("open engine", opened.status());
  bulwark::Engine& engine = **opened;

  if (plan.has_value()) {
    bulwark::Result<bool> can_run = bulwark::http::KickstartCanRun(engine);
    if (!can_run.ok()) return Fail("kickstart", can_run.status());
    if (*can_run) {
      const bulwark::Status applied = bulwark::http::ApplyKickstart(engine, *plan);
      if (!applied.ok()) return Fail("kickstart", applied);
      logger->Log(bulwark::LogLevel::kInfo,
                  "kickstart applied: " + std::to_string(plan->api_keys.size()) + " API key(s), " +
                      std::to_string(plan->requests.size()) + " request(s)");
    } else {
      logger->Log(bulwark::LogLevel::kInfo, "kickstart skipped: the store is not empty");
    }
  }

  bulwark::http::RouterOptions router_options{.logger = logger};
  bulwark_server::HttpServer server(
      *logger, {.payload_max_length = router_options.max_body_bytes + (64 << 10)});
  bulwark::Result<int> port = server.Bind(args.host, args.port);
  if (!port.ok()) return Fail("listen", port.status());
  const bool ipv6 = args.host.find(':') != std::string::npos;
  const std::string listening = std::string("http://") + (ipv6 ? "[" : "") + args.host +
                                (ipv6 ? "]" : "") + ":" + std::to_string(*port);
  // The OAuth endpoints name themselves by the base URL, known once the port is.
  router_options.oauth.base_url = args.base_url.value_or(listening);
  bulwark::http::Router router(engine, router_options);
  std::printf("bulwark-server listening on %s\n", listening.c_str());
  std::fflush(stdout);

  // SIGINT and SIGTERM are blocked in every thread (main() blocked them before any thread
  // started); this one waits for them and stops the server from ordinary thread context.
  std::atomic<bool> exiting{false};
  std::thread watcher([&] {
    int signal_number = 0;
    while (sigwait(&stop_signals, &signal_number) != 0) {
    }
    if (exiting.load()) return;  // woken by main() below
    logger->Log(bulwark::LogLevel::kInfo,
                std::string("stopping on ") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
    server.Stop();
  });
  const bool served = server.Run(router);
  exiting.store(true);
  pthread_kill(watcher.native_handle(), SIGTERM);  // pending for the watcher, which returns
  watcher.join();
  if (!served) {
    std::fprintf(stderr, "bulwark-server: the accept loop failed\n");
    return 1;
  }
  logger->Log(bulwark::LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so that every thread inherits the mask and only the watcher in
  // Serve() receives these signals (through sigwait).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A peer that closes early must not kill the process: cpp-httplib writes without
  // MSG_NOSIGNAL.
  signal(SIGPIPE, SIG_IGN);

  Arguments args;
  if (const std::optional<std::string> error = ParseArguments(argc, argv, args)) {
    std::fprintf(stderr, "bulwark-server: %s (see --help)\n", error->c_str());
    return 2;
  }
  if (args.help) {
    std::printf("bulwark-server %s\n\n%s", BULWARK_VERSION_STRING, kUsage);
    return 0;
  }
  try {
    return Serve(args, stop_signals);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bulwark-server: %s\n", e.what());
    return 1;
  }
}
