// SPDX-License-Identifier: Apache-2.0
// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0, FusionAuth's /oauth2/logout):
// the SSO session ends, its cookie is cleared, and the browser goes on to where the client
// asked (an authorized redirect URL), else to the application's logoutURL, the tenant's, or
// the server's base URL. Under logoutBehavior AllApplications a page first loads every
// logoutURL of the tenant's applications in frames, so that each can end its own session.
#include <string>
#include <utility>
#include <vector>

#include "bulwark/crypto/jws.h"
#include "bulwark/http_client.h"  // FormUrlEncode
#include "oauth2/authorization_response.h"
#include "oauth2/authorized_url.h"
#include "oauth2/endpoints.h"
#include "oauth2/sso_session.h"

namespace bulwark::oauth2 {
namespace {

AuthorizeResult LogoutError(std::string reason, std::string description) {
  const std::string text = HtmlEscape(description);
  Page page{.status = 400,
            .html =
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                "Logout error</title></head><body><main><h1>Logout error</h1>"
                "<p role=\"alert\">" +
                text + "</p><p><code>invalid_request (" + HtmlEscape(reason) +
                ")</code></p></main></body></html>\n",
            .content_security_policy = "default-src 'none'; frame-ancestors 'none'",
            .frame_ancestors = {}};
  return AuthorizeResult{.response = std::move(page), .set_cookies = {}};
}

// `url` with `name`=`value` added to its query (before any fragment).
std::string WithParameter(std::string url, const std::string& name, const std::string& value) {
  const std::size_t hash = url.find('#');
  std::string fragment;
  if (hash != std::string::npos) {
    fragment = url.substr(hash);
    url.resize(hash);
  }
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += FormUrlEncode({{name, value}});
  return url + fragment;
}

// scheme://host[:port] of an absolute http(s) URL; "" for anything else, or for a URL with
// characters that could end a Content-Security-Policy source.
std::string OriginOf(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::string_view name = url.substr(0, scheme);
  if (name != "http" && name != "https") return {};
  const std::size_t end = url.find_first_of("/?#", scheme + 3);
  std::string origin(url.substr(0, end));
  if (origin.size() == scheme + 3 || origin.find_first_of(" ;,'\"\\\r\n") != std::string::npos) {
    return {};
  }
  return origin;
}

}  // namespace

AuthorizeResult Logout(ServerContext& server, const LogoutRequest& request) {
  internal::EngineContext& ctx = server.ctx;
  // The client: client_id, else the id_token_hint's audience.
  std::optional<ApplicationId> client;
  if (request.client_id.has_value() && !request.client_id->empty()) {
    Result<ApplicationId> id = ApplicationId::Parse(*request.client_id);
    if (!id.ok()) return LogoutError("invalid_client_id", "The client_id is not valid.");
    client = *id;
  }
  std::optional<nlohmann::json> hint;
  if (request.id_token_hint.has_value() && !request.id_token_hint->empty()) {
    Result<Jws> decoded = DecodeJwsUnverified(*request.id_token_hint);
    nlohmann::json claims =
        decoded.ok() ? nlohmann::json::parse(decoded->payload, nullptr, false) : nlohmann::json();
    const auto aud = claims.is_object() ? claims.find("aud") : claims.end();
    Result<ApplicationId> audience = aud != claims.end() && aud->is_string()
                                         ? ApplicationId::Parse(aud->get<std::string>())
                                         : Result<ApplicationId>(Status::InvalidArgument("aud"));
    if (!audience.ok() || (client.has_value() && *client != *audience)) {
      return LogoutError("unknown",
                         "The id_token_hint is not one this server issued to the "
                         "client.");
    }
    client = *audience;
    hint = std::move(claims);
  }
  std::optional<Application> application;
  if (client.has_value()) {
    Result<Application> found = ctx.LoadApplication(*client);
    if (!found.ok()) {
      if (found.status().code() != StatusCode::kNotFound) {
        ctx.Log(LogLevel::kError, "a logout failed: " + found.status().ToString());
      }
      return LogoutError("invalid_client_id", "The client_id is not valid.");
    }
    application = *std::move(found);
  }
  // The tenant: the application's; else tenantId; else the default.
  TenantId tenant_id = ctx.default_tenant_id;
  if (application.has_value()) {
    tenant_id = application->tenant_id;
  } else if (request.tenant_id.has_value()) {
    Result<TenantId> parsed = TenantId::Parse(*request.tenant_id);
    if (!parsed.ok()) return LogoutError("invalid_tenant_id", "The tenantId is not valid.");
    tenant_id = *parsed;
  }
  if (application.has_value() && request.tenant_id.has_value() &&
      request.tenant_id != tenant_id.ToString()) {
    return LogoutError("invalid_tenant_id", "The tenantId is not the client's.");
  }
  Result<Tenant> tenant = ctx.LoadTenant(tenant_id);
  if (!tenant.ok()) return LogoutError("invalid_tenant_id", "The tenant does not exist.");

  // The hint must carry this server's signature (its expiry does not matter: RP-initiated
  // logout often comes after the id token expired).
  if (hint.has_value()) {
    Result<SigningKey> key = ctx.signing_keys.ForIdToken(ctx, *tenant, &*application);
    if (!key.ok() || !VerifyJws(*request.id_token_hint, key->verification_key()).ok()) {
      return LogoutError("unknown", "The id_token_hint is not one this server issued.");
    }
  }

  std::string target;
  if (request.post_logout_redirect_uri.has_value()) {
    const auto& oauth = application.has_value() ? application->oauth_configuration
                                                : ApplicationOAuthConfiguration();
    if (!application.has_value() ||
        !IsAuthorizedUrl(*request.post_logout_redirect_uri, oauth.authorized_redirect_urls,
                         oauth.authorized_url_validation_policy)) {
      return LogoutError("invalid_post_logout_redirect_uri",
                         "The post_logout_redirect_uri is not one the application authorizes.");
    }
    target = *request.post_logout_redirect_uri;
    if (request.state.has_value()) target = WithParameter(target, "state", *request.state);
  } else if (application.has_value() && !application->oauth_configuration.logout_url.empty()) {
    target = application->oauth_configuration.logout_url;
  } else if (!tenant->logout_url.empty()) {
    target = tenant->logout_url;
  } else {
    target = server.base_url + "/";
  }

  // End the session the cookie names, whoever's it is in this tenant; clear the cookie.
  std::vector<std::string> cookies;
  if (request.sso_cookie.has_value() && !request.sso_cookie->empty()) {
    Result<std::optional<SsoSession>> session =
        FindSsoSession(ctx.store->artefacts(), tenant->id, *request.sso_cookie, ctx.Now());
    if (session.ok() && session->has_value()) {
      Status ended = EndSsoSession(ctx.store->artefacts(), tenant->id, (*session)->session_id);
      if (!ended.ok()) ctx.Log(LogLevel::kError, "an SSO session could not be ended");
    }
    cookies.push_back(SsoCookie("", server.secure, std::chrono::seconds(0)));
  }

  std::vector<std::string> logout_urls;
  if (application.has_value() &&
      application->oauth_configuration.logout_behavior == LogoutBehavior::kAllApplications) {
    Result<std::vector<Application>> all = ctx.store->applications().ListByTenant(tenant->id);
    if (all.ok()) {
      for (const Application& a : *all) {
        const std::string& url = a.oauth_configuration.logout_url;
        if (a.active && !url.empty() && !OriginOf(url).empty()) logout_urls.push_back(url);
      }
    }
  }
  if (logout_urls.empty()) {
    return AuthorizeResult{.response = Redirect{.location = std::move(target)},
                           .set_cookies = std::move(cookies)};
  }
  std::string frame_src;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"2;url=" +
      HtmlEscape(target) +
      "\"><title>Logging out</title></head><body><main><h1>Logging out</h1>"
      "<p><a href=\"" +
      HtmlEscape(target) + "\">Continue</a></p>";
  for (const std::string& url : logout_urls) {
    html += "<iframe hidden title=\"logout\" src=\"" + HtmlEscape(url) + "\"></iframe>";
    const std::string origin = OriginOf(url);
    if (frame_src.find(" " + origin) == std::string::npos) frame_src += " " + origin;
  }
  html += "</main></body></html>\n";
  Page page{.status = 200,
            .html = std::move(html),
            .content_security_policy =
                "default-src 'none'; frame-src" + frame_src + "; frame-ancestors 'none'",
            .frame_ancestors = {}};
  return AuthorizeResult{.response = std::move(page), .set_cookies = std::move(cookies)};
}

}  // namespace bulwark::oauth2
