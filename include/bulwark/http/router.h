// SPDX-License-Identifier: Apache-2.0
//
// Router: FusionAuth's REST API on top of an Engine, as a single function from HttpRequest to
// HttpResponse. A host mounts it on its own HTTP stack (examples/server does so with
// cpp-httplib); FusionAuth's client SDKs then work against it unchanged.
//
//   bulwark::http::Router router(*engine);
//   server.on_any_request([&](const Req& req, Res& res) {
//     bulwark::http::HttpResponse response = router.Handle(ToBulwark(req));
//     ...copy status, headers and body into res...
//   });
//
// Served: /api/tenant, /api/application (+ /role), /api/user, /api/user/registration,
// /api/user/import, /api/login, /api/logout, /api/jwt/validate, /api/jwt/refresh,
// /api/jwt/reconcile, /api/jwt/public-key, /api/key (+ /generate, /import),
// /api/identity-provider (+ /lookup, /login, /link, /link/pending), /api/api-key and
// /.well-known/jwks.json. FusionAuth's other endpoints under these prefixes
// (/api/user/search, /api/user/change-password, /api/identity-provider/start, ...) are 404,
// never a call of the /{id} route beside them.
//
// The wire follows FusionAuth (reference §0): API keys in `Authorization` with no scheme,
// `X-FusionAuth-TenantId`, singular and plural envelopes, errors as
// `{"fieldErrors":{...},"generalErrors":[...]}`, instants in epoch milliseconds, empty bodies
// (and no Content-Type) for 401 and 404, the `access_token` / `refresh_token` cookies, and
// `Cache-Control: no-store` on every response that carries a token.
//
// Hostile input is answered, never thrown: a body over `max_body_bytes` is 413, malformed
// JSON or a wrong type is 400 with the error naming the field, an unknown path 404 (before any
// API key check), a known path with another method 405 (with `Allow`). A query value of
// exactly `null` or `undefined` is an absent parameter: FusionAuth's TypeScript client sends
// absent optional values so. An exception escaping a handler becomes a bare
// 500 and one log line.
//
// Thread-safe: Handle may be called from any number of threads at once. The Engine must
// outlive the Router.
#ifndef BULWARK_HTTP_ROUTER_H_
#define BULWARK_HTTP_ROUTER_H_

#include <cstddef>
#include <memory>

#include "bulwark/export.h"
#include "bulwark/http/http_message.h"
#include "bulwark/logger.h"
#include "bulwark/oauth2/authorization_server.h"

namespace bulwark {
class Engine;
}  // namespace bulwark

namespace bulwark::http {

struct RouterOptions {
  // Larger request bodies are refused with 413 before they are parsed.
  std::size_t max_body_bytes = std::size_t{4} << 20;
  // Receives one line per handler failure that reached the Router as an exception or an
  // internal error; never secrets. Default: Logger::Null().
  std::shared_ptr<Logger> logger = nullptr;
  // The OAuth 2.0 / OpenID Connect endpoints (/oauth2/authorize, /oauth2/token,
  // /oauth2/userinfo, /.well-known/openid-configuration): their AuthorizationServer's
  // options. base_url is where browsers and clients reach this Router; the default suits a
  // server on FusionAuth's port on the local machine. An invalid base_url leaves the
  // endpoints unserved (404) and logs why.
  oauth2::AuthorizationServerOptions oauth = {.base_url = "http://localhost:9011"};
};

class BULWARK_EXPORT Router {
 public:
  explicit Router(Engine& engine, RouterOptions options = {});
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  ~Router();

  // Never throws.
  HttpResponse Handle(const HttpRequest& request) const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::http

#endif  // BULWARK_HTTP_ROUTER_H_
