// SPDX-License-Identifier: Apache-2.0
#include "oauth2/device_grant.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/crypto/password_hasher.h"
#include "bulwark/token_service.h"
#include "crypto/random_secret.h"
#include "crypto/secrets.h"
#include "engine/login/pipeline.h"
#include "oauth2/authorization_response.h"  // HtmlEscape, CspHashSource
#include "oauth2/client_authentication.h"
#include "oauth2/login_page.h"  // DefaultLoginStylesheet
#include "oauth2/scopes.h"
#include "oauth2/sso_session.h"

namespace bulwark::oauth2 {
namespace {

constexpr std::string_view kDeviceCodeKind = "oauth2.device_code";
constexpr std::string_view kDeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";
constexpr std::string_view kUserCodeKind = "oauth2.user_code";
constexpr std::string_view kApprovalKind = "oauth2.device_grant";
constexpr std::string_view kPollKind = "oauth2.device_poll";
// Seconds a device waits between polls (RFC 8628 §3.2's default).
constexpr int kInterval = 5;

// What one device authorization asked for (the payload of its device and user codes).
struct DeviceRecord {
  ApplicationId client_id;
  std::vector<std::string> scopes;
  std::string device_key;  // the device code's address
  std::string user_code;   // as shown
  std::string grant_id;
  Instant expires_at;
};

std::string Payload(const DeviceRecord& record) {
  return nlohmann::json{{"clientId", record.client_id.ToString()},
                        {"scopes", record.scopes},
                        {"deviceKey", record.device_key},
                        {"userCode", record.user_code}}
      .dump();
}

std::optional<DeviceRecord> ParseRecord(const Artefact& artefact) {
  const nlohmann::json json = nlohmann::json::parse(artefact.payload, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  try {
    Result<ApplicationId> client = ApplicationId::Parse(json.at("clientId").get<std::string>());
    if (!client.ok()) return std::nullopt;
    return DeviceRecord{.client_id = *client,
                        .scopes = json.at("scopes").get<std::vector<std::string>>(),
                        .device_key = json.at("deviceKey").get<std::string>(),
                        .user_code = json.at("userCode").get<std::string>(),
                        .grant_id = artefact.grant_id,
                        .expires_at = artefact.expires_at};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

// The tenant's deviceUserCodeIdGenerator over alphabets without look-alikes.
Result<std::string> NewUserCode(Random& random, const SecureGeneratorConfiguration& generator) {
  std::string_view alphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";
  if (generator.type == SecureGeneratorType::kRandomDigits) alphabet = "0123456789";
  if (generator.type == SecureGeneratorType::kRandomAlpha) alphabet = "BCDFGHJKLMNPQRSTVWXZ";
  const std::size_t length = std::clamp<std::size_t>(generator.length, 6, 20);
  std::string code;
  // Rejection sampling keeps every symbol equally likely.
  const unsigned limit = 256 - 256 % alphabet.size();
  while (code.size() < length) {
    std::array<std::byte, 32> bytes{};
    Status filled;
    try {
      filled = random.Fill(bytes);
    } catch (...) {
      filled = Status::Internal("the Random implementation threw");
    }
    BULWARK_RETURN_IF_ERROR(filled);
    for (std::byte b : bytes) {
      const unsigned value = std::to_integer<unsigned>(b);
      if (value < limit && code.size() < length) code.push_back(alphabet[value % alphabet.size()]);
    }
  }
  return code;
}

// The application a device endpoint's client_id names, authenticated under its policy.
std::variant<Application, OAuthErrorResponse> DeviceClient(
    ServerContext& server, const std::optional<std::string>& id,
    const std::optional<std::string>& secret) {
  if (!id.has_value() || id->empty()) {
    return ErrorResponse("invalid_request", "missing_client_id",
                         "The request is missing a required parameter: client_id");
  }
  Result<ApplicationId> parsed = ApplicationId::Parse(*id);
  if (!parsed.ok()) return InvalidClient("invalid_client_id", "The client_id is not valid.");
  Result<Application> app = server.ctx.LoadApplication(*parsed);
  if (!app.ok()) {
    if (app.status().code() != StatusCode::kNotFound) return ServerError(server, app.status());
    return InvalidClient("invalid_client_id", "The client_id is not valid.");
  }
  if (!app->active) return InvalidClient("invalid_client_id", "The client_id is not valid.");
  PresentedSecret presented;
  if (secret.has_value()) presented.secret = *secret;
  ClientAuthentication checked =
      AuthenticateClient(*app, presented, GrantType::kDeviceCode, /*code_has_challenge=*/false);
  if (checked.error.has_value()) return ErrorResponse(*checked.error, 401);
  return *std::move(app);
}

bool GrantEnabled(const Application& app) {
  const auto& grants = app.oauth_configuration.enabled_grants;
  return std::find(grants.begin(), grants.end(), GrantType::kDeviceCode) != grants.end();
}

// The live authorization a user code names in the tenant, or nullopt.
Result<std::optional<DeviceRecord>> FindUserCode(ServerContext& server, TenantId tenant,
                                                 std::string_view entered) {
  const std::string code = NormaliseUserCode(entered);
  if (code.empty()) return std::optional<DeviceRecord>();
  Result<Artefact> found = server.ctx.store->artefacts().Get(
      tenant, kUserCodeKind, internal::Sha256Base64Url(code), server.ctx.Now());
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return std::optional<DeviceRecord>();
    return found.status();
  }
  std::optional<DeviceRecord> record = ParseRecord(*found);
  if (!record.has_value()) return Status::DataLoss("a stored user code cannot be read");
  return record;
}

// The user approves: the user code is consumed (once), and the approval waits for the poll.
// nullopt when done; the error otherwise.
Result<std::optional<OAuthError>> Approve(ServerContext& server, TenantId tenant,
                                          const Application& app, std::string_view entered,
                                          UserId user_id) {
  internal::EngineContext& ctx = server.ctx;
  const Instant now = ctx.Now();
  const auto invalid = [] {
    return std::optional<OAuthError>(OAuthError{.error = "invalid_request",
                                                .error_reason = "invalid_user_code",
                                                .error_description = "The user code is not "
                                                                     "valid."});
  };
  Result<ConsumedArtefact> consumed = ctx.store->artefacts().Consume(
      tenant, kUserCodeKind, internal::Sha256Base64Url(NormaliseUserCode(entered)), now);
  if (!consumed.ok()) {
    if (consumed.status().code() == StatusCode::kNotFound) return invalid();
    return consumed.status();
  }
  if (consumed->replayed) return invalid();
  std::optional<DeviceRecord> record = ParseRecord(consumed->artefact);
  if (!record.has_value()) return Status::DataLoss("a stored user code cannot be read");
  if (record->client_id != app.id) return invalid();
  const Artefact approval{.tenant_id = tenant,
                          .kind = std::string(kApprovalKind),
                          .key = record->device_key,
                          .user_id = user_id,
                          .grant_id = record->grant_id,
                          .expires_at = record->expires_at,
                          .payload = nlohmann::json{{"authTime", ToEpochMillis(now)}}.dump()};
  BULWARK_RETURN_IF_ERROR(ctx.store->artefacts().Put(approval, now));
  return std::optional<OAuthError>();
}

// ---- the device page ----------------------------------------------------------------------------

enum class DevicePageState { kAsk, kWrongCode, kWrongCredentials, kRefused, kFormExpired, kDone };

AuthorizeResult DevicePageOf(ServerContext& server, const DevicePageRequest& request,
                             DevicePageState state, bool logged_in) {
  const std::string& css =
      server.options.stylesheet.empty() ? DefaultLoginStylesheet() : server.options.stylesheet;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>Connect a device</title>\n"
      "<style>" +
      css + "</style>\n</head>\n<body>\n<main>\n<h1>Connect a device</h1>\n";
  const char* message = nullptr;
  switch (state) {
    case DevicePageState::kWrongCode:
      message = "That code is not valid, or it has expired.";
      break;
    case DevicePageState::kWrongCredentials:
      message = "Invalid login credentials.";
      break;
    case DevicePageState::kRefused:
      message = "You cannot log in to connect this device.";
      break;
    case DevicePageState::kFormExpired:
      message = "The form expired. Please try again.";
      break;
    default:
      break;
  }
  const auto page = [&](std::vector<std::string> cookies) {
    return AuthorizeResult{
        .response =
            Page{.status = 200,
                 .html = std::move(html),
                 .content_security_policy = "default-src 'none'; style-src " + CspHashSource(css) +
                                            "; base-uri 'none'; frame-ancestors 'none'",
                 .frame_ancestors = {}},
        .set_cookies = std::move(cookies)};
  };
  if (state == DevicePageState::kDone) {
    html += "<p role=\"status\">Your device is connected. You may close this window.</p>\n";
    html += "</main>\n</body>\n</html>\n";
    return page({});
  }
  if (message != nullptr) {
    html += "<p class=\"error\" role=\"alert\" id=\"device-error\">";
    html += message;
    html += "</p>\n";
  }
  Result<std::string> csrf = internal::NewRandomSecret(*server.ctx.random, 32);
  if (!csrf.ok()) {
    return AuthorizeResult{.response = Page{.status = 500,
                                            .html = "<!DOCTYPE html>\n<title>Error</title>\n",
                                            .content_security_policy = "default-src 'none'",
                                            .frame_ancestors = {}},
                           .set_cookies = {}};
  }
  html += "<form method=\"post\" action=\"" + HtmlEscape(server.base_url + "/oauth2/device") +
          "\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"" + HtmlEscape(*csrf) + "\">\n";
  if (request.client_id.has_value()) {
    html += "<input type=\"hidden\" name=\"client_id\" value=\"" + HtmlEscape(*request.client_id) +
            "\">\n";
  }
  const char* described = message != nullptr ? " aria-describedby=\"device-error\"" : "";
  html +=
      "<label for=\"user_code\">Code shown on your device</label>\n"
      "<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"" +
      HtmlEscape(request.user_code.value_or("")) +
      "\" autocomplete=\"one-time-code\" autocapitalize=\"characters\" spellcheck=\"false\" "
      "required autofocus" +
      described + ">\n";
  if (!logged_in) {
    html += "<label for=\"loginId\">" + HtmlEscape(server.options.strings.login_id_label) +
            "</label>\n<input type=\"text\" id=\"loginId\" name=\"loginId\" value=\"" +
            HtmlEscape(request.login_id.value_or("")) +
            "\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" "
            "required>\n<label for=\"password\">" +
            HtmlEscape(server.options.strings.password_label) +
            "</label>\n<input type=\"password\" id=\"password\" name=\"password\" "
            "autocomplete=\"current-password\" required>\n";
  }
  html += "<button type=\"submit\">Connect</button>\n</form>\n</main>\n</body>\n</html>\n";
  // The cookie's path: the device page's, under any prefix the base URL has.
  const std::string prefix = server.authorize_path.substr(
      0, server.authorize_path.size() - std::string_view("/oauth2/authorize").size());
  std::string cookie = std::string(kCsrfCookieName) + "=" + *csrf + "; Path=" + prefix +
                       "/oauth2/device; Max-Age=3600; HttpOnly; SameSite=Strict";
  if (server.secure) cookie += "; Secure";
  return page({std::move(cookie)});
}

}  // namespace

std::string NormaliseUserCode(std::string_view entered) {
  std::string code;
  for (char c : entered) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    code.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return code;
}

std::variant<nlohmann::json, OAuthErrorResponse> DeviceAuthorize(
    ServerContext& server, const DeviceAuthorizationRequest& request) {
  internal::EngineContext& ctx = server.ctx;
  std::variant<Application, OAuthErrorResponse> client =
      DeviceClient(server, request.client_id, request.client_secret);
  if (auto* error = std::get_if<OAuthErrorResponse>(&client)) return *error;
  const Application& app = std::get<Application>(client);
  if (request.tenant_id.has_value() && *request.tenant_id != app.tenant_id.ToString()) {
    return InvalidClient("invalid_client_id", "The client_id is not valid.");
  }
  if (!GrantEnabled(app)) {
    return ErrorResponse("unauthorized_client", "grant_type_disabled",
                         "The device grant is not enabled for this application.");
  }
  ScopeResolution scopes = ResolveScopes(request.scope.value_or(""), app);
  if (scopes.error.has_value()) return ErrorResponse(*scopes.error);
  Result<Tenant> tenant = ctx.LoadTenant(app.tenant_id);
  if (!tenant.ok()) return ServerError(server, tenant.status());
  const Instant now = ctx.Now();
  const std::chrono::seconds lifetime(
      tenant->external_identifier_configuration.device_code_time_to_live_in_seconds);
  Result<std::string> device_code = internal::NewRandomSecret(*ctx.random, 32);
  if (!device_code.ok()) return ServerError(server, device_code.status());
  Result<RefreshTokenId> grant_id = ctx.NewId<RefreshTokenId>();
  if (!grant_id.ok()) return ServerError(server, grant_id.status());
  DeviceRecord record{.client_id = app.id,
                      .scopes = scopes.scopes,
                      .device_key = internal::Sha256Base64Url(*device_code),
                      .user_code = {},
                      .grant_id = grant_id->ToString(),
                      .expires_at = now + lifetime};
  // A user code is short: draw again when one is live already.
  Status put = Status::Internal("no free user code");
  for (int attempt = 0; attempt < 8 && !put.ok(); ++attempt) {
    Result<std::string> code = NewUserCode(
        *ctx.random, tenant->external_identifier_configuration.device_user_code_id_generator);
    if (!code.ok()) return ServerError(server, code.status());
    record.user_code = *code;
    put = ctx.store->artefacts().Put(Artefact{.tenant_id = app.tenant_id,
                                              .kind = std::string(kUserCodeKind),
                                              .key = internal::Sha256Base64Url(*code),
                                              .user_id = std::nullopt,
                                              .grant_id = record.grant_id,
                                              .expires_at = record.expires_at,
                                              .payload = Payload(record)},
                                     now);
    if (!put.ok() && put.code() != StatusCode::kAlreadyExists) return ServerError(server, put);
  }
  if (!put.ok()) return ServerError(server, put);
  put = ctx.store->artefacts().Put(Artefact{.tenant_id = app.tenant_id,
                                            .kind = std::string(kDeviceCodeKind),
                                            .key = record.device_key,
                                            .user_id = std::nullopt,
                                            .grant_id = record.grant_id,
                                            .expires_at = record.expires_at,
                                            .payload = Payload(record)},
                                   now);
  if (!put.ok()) return ServerError(server, put);
  std::string uri = app.oauth_configuration.device_verification_url;
  if (uri.empty()) uri = server.base_url + "/oauth2/device?client_id=" + app.id.ToString();
  std::string complete = uri;
  complete += complete.find('?') == std::string::npos ? '?' : '&';
  complete += "user_code=" + record.user_code;
  return nlohmann::json{{"device_code", *device_code}, {"expires_in", lifetime.count()},
                        {"interval", kInterval},       {"user_code", record.user_code},
                        {"verification_uri", uri},     {"verification_uri_complete", complete}};
}

TokenResult DeviceCodeGrant(ServerContext& server, const GrantRequest& grant) {
  internal::EngineContext& ctx = server.ctx;
  const TokenRequest& request = grant.request;
  const Application& app = grant.application;
  if (std::optional<OAuthErrorResponse> refused =
          AuthenticateGrantClient(grant, GrantType::kDeviceCode)) {
    return *refused;
  }
  if (!request.device_code.has_value() || request.device_code->empty()) {
    return ErrorResponse("invalid_request", "unknown",
                         "The request is missing a required parameter: device_code");
  }
  const Instant now = ctx.Now();
  const std::string key = internal::Sha256Base64Url(*request.device_code);
  Result<Artefact> device = ctx.store->artefacts().Get(grant.tenant.id, kDeviceCodeKind, key, now);
  if (!device.ok()) {
    if (device.status().code() != StatusCode::kNotFound) {
      return ServerError(server, device.status());
    }
    return ErrorResponse("expired_token", "invalid_device_code",
                         "The device code is not valid: unknown, expired or already used.");
  }
  std::optional<DeviceRecord> record = ParseRecord(*device);
  if (!record.has_value()) {
    return ServerError(server, Status::DataLoss("a stored device code cannot be read"));
  }
  if (record->client_id != app.id) {
    return ErrorResponse("invalid_grant", "client_id_mismatch",
                         "The device code was issued to another client.");
  }
  Result<ConsumedArtefact> approval =
      ctx.store->artefacts().Consume(grant.tenant.id, kApprovalKind, key, now);
  if (!approval.ok()) {
    if (approval.status().code() != StatusCode::kNotFound) {
      return ServerError(server, approval.status());
    }
    // Not approved yet. A poll within the interval of the last one is too fast.
    Status marked =
        ctx.store->artefacts().Put(Artefact{.tenant_id = grant.tenant.id,
                                            .kind = std::string(kPollKind),
                                            .key = key,
                                            .user_id = std::nullopt,
                                            .grant_id = record->grant_id,
                                            .expires_at = now + std::chrono::seconds(kInterval),
                                            .payload = "{}"},
                                   now);
    if (marked.code() == StatusCode::kAlreadyExists) {
      return ErrorResponse("slow_down", "unknown", "Poll no more often than every interval.");
    }
    if (!marked.ok()) return ServerError(server, marked);
    return ErrorResponse("authorization_pending", "unknown",
                         "The user has not approved the device yet.");
  }
  if (approval->replayed || !approval->artefact.user_id.has_value()) {
    return ErrorResponse("expired_token", "invalid_device_code",
                         "The device code was already used.");
  }
  // The device code is done with once its tokens are issued.
  Result<ConsumedArtefact> used =
      ctx.store->artefacts().Consume(grant.tenant.id, kDeviceCodeKind, key, now);
  if (!used.ok() || used->replayed) {
    return ErrorResponse("expired_token", "invalid_device_code",
                         "The device code was already used.");
  }
  const nlohmann::json payload = nlohmann::json::parse(approval->artefact.payload, nullptr, false);
  Instant auth_time = now;
  if (payload.is_object() && payload.contains("authTime") && payload["authTime"].is_number()) {
    auth_time = FromEpochMillis(payload["authTime"].get<std::int64_t>());
  }
  std::optional<RefreshTokenId> refresh_id;
  if (Result<RefreshTokenId> parsed = RefreshTokenId::Parse(record->grant_id); parsed.ok()) {
    refresh_id = *parsed;
  }
  Result<std::variant<LoginResponse, OAuthError>> continued =
      ContinueLogin(server, EarlierLogin{.tenant = &grant.tenant,
                                         .application = &app,
                                         .user_id = *approval->artefact.user_id,
                                         .authentication_type = AuthenticationType::kPassword,
                                         .auth_time = auth_time,
                                         .scopes = &record->scopes,
                                         .refresh_token = IssuesRefreshToken(app, record->scopes),
                                         .refresh_token_id = refresh_id,
                                         .ip_address = request.ip_address,
                                         .grant_type = kDeviceCodeGrantType});
  if (!continued.ok()) return ServerError(server, continued.status());
  if (const OAuthError* error = std::get_if<OAuthError>(&*continued)) return ErrorResponse(*error);
  LoginResponse& login = std::get<LoginResponse>(*continued);
  return UserTokens(server, grant.tenant, app, login, *approval->artefact.user_id,
                    IdTokenFacts{.scopes = &record->scopes,
                                 .auth_time = auth_time,
                                 .authentication_type = AuthenticationType::kPassword});
}

bool ValidateUserCode(ServerContext& server, std::string_view client_id,
                      std::string_view user_code) {
  Result<ApplicationId> id = ApplicationId::Parse(client_id);
  if (!id.ok()) return false;
  Result<Application> app = server.ctx.LoadApplication(*id);
  if (!app.ok() || !app->active) return false;
  Result<std::optional<DeviceRecord>> record = FindUserCode(server, app->tenant_id, user_code);
  return record.ok() && record->has_value() && (*record)->client_id == app->id;
}

std::variant<nlohmann::json, OAuthErrorResponse> RetrieveUserCode(
    ServerContext& server, const DeviceUserCodeRequest& request) {
  std::variant<Application, OAuthErrorResponse> client =
      DeviceClient(server, request.client_id, request.client_secret);
  if (auto* error = std::get_if<OAuthErrorResponse>(&client)) return *error;
  const Application& app = std::get<Application>(client);
  Result<std::optional<DeviceRecord>> record =
      FindUserCode(server, app.tenant_id, request.user_code.value_or(""));
  if (!record.ok()) return ServerError(server, record.status());
  if (!record->has_value() || (*record)->client_id != app.id) {
    return ErrorResponse("invalid_request", "invalid_user_code", "The user code is not valid.");
  }
  return nlohmann::json{{"client_id", app.id.ToString()},
                        {"deviceInfo", nlohmann::json::object()},
                        {"expires_in", SecondsUntil(server, (*record)->expires_at)},
                        {"scope", JoinScopes((*record)->scopes)},
                        {"tenantId", app.tenant_id.ToString()},
                        {"user_code", (*record)->user_code}};
}

std::variant<nlohmann::json, OAuthErrorResponse> ApproveDevice(
    ServerContext& server, const DeviceApprovalRequest& request) {
  std::variant<Application, OAuthErrorResponse> client =
      DeviceClient(server, request.client_id, request.client_secret);
  if (auto* error = std::get_if<OAuthErrorResponse>(&client)) return *error;
  const Application& app = std::get<Application>(client);
  // The user: the one the access token names, in the application's tenant.
  Result<nlohmann::json> claims =
      server.engine.tokens().Validate(request.token.value_or(""), {.tenant_id = app.tenant_id});
  if (!claims.ok()) {
    if (claims.status().code() != StatusCode::kUnauthenticated) {
      return ServerError(server, claims.status());
    }
    return ErrorResponse("invalid_token", "access_token_invalid", "The access token is not valid.",
                         401);
  }
  const auto sub = claims->find("sub");
  Result<UserId> user_id = sub != claims->end() && sub->is_string()
                               ? UserId::Parse(sub->get<std::string>())
                               : Result<UserId>(Status::InvalidArgument("sub"));
  if (!user_id.ok()) {
    return ErrorResponse("invalid_token", "access_token_invalid", "The access token names no user.",
                         401);
  }
  Result<std::optional<OAuthError>> approved =
      Approve(server, app.tenant_id, app, request.user_code.value_or(""), *user_id);
  if (!approved.ok()) return ServerError(server, approved.status());
  if (approved->has_value()) return ErrorResponse(**approved);
  return nlohmann::json{{"deviceGrantStatus", "Approved"},
                        {"deviceInfo", nlohmann::json::object()},
                        {"tenantId", app.tenant_id.ToString()},
                        {"userId", user_id->ToString()}};
}

AuthorizeResult DevicePage(ServerContext& server, const DevicePageRequest& request) {
  internal::EngineContext& ctx = server.ctx;
  // The application: the page's client_id.
  std::optional<Application> app;
  if (request.client_id.has_value()) {
    if (Result<ApplicationId> id = ApplicationId::Parse(*request.client_id); id.ok()) {
      if (Result<Application> found = ctx.LoadApplication(*id); found.ok() && found->active) {
        app = *std::move(found);
      }
    }
  }
  if (!app.has_value()) {
    return AuthorizeResult{
        .response = Page{.status = 400,
                         .html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<title>Connect a device</title></head><body><main><h1>Connect "
                                 "a device</h1><p role=\"alert\">This link names no application."
                                 "</p></main></body></html>\n",
                         .content_security_policy = "default-src 'none'; frame-ancestors 'none'",
                         .frame_ancestors = {}},
        .set_cookies = {}};
  }
  const Instant now = ctx.Now();
  std::optional<SsoSession> session;
  if (request.sso_cookie.has_value()) {
    Result<std::optional<SsoSession>> found =
        FindSsoSession(ctx.store->artefacts(), app->tenant_id, *request.sso_cookie, now);
    if (found.ok()) session = *std::move(found);
  }
  if (!request.post) {
    return DevicePageOf(server, request, DevicePageState::kAsk, session.has_value());
  }
  const bool csrf_ok =
      request.csrf_token.has_value() && request.csrf_cookie.has_value() &&
      !request.csrf_token->empty() &&
      PasswordHasher::ConstantTimeEquals(*request.csrf_token, *request.csrf_cookie);
  if (!csrf_ok) {
    return DevicePageOf(server, request, DevicePageState::kFormExpired, session.has_value());
  }
  Result<std::optional<DeviceRecord>> record =
      FindUserCode(server, app->tenant_id, request.user_code.value_or(""));
  if (!record.ok() || !record->has_value() || (*record)->client_id != app->id) {
    return DevicePageOf(server, request, DevicePageState::kWrongCode, session.has_value());
  }
  UserId user_id;
  if (session.has_value()) {
    user_id = session->user_id;
  } else {
    Result<LoginResponse> login = internal::PasswordLogin(
        ctx,
        LoginRequest{.login_id = request.login_id.value_or(""),
                     .password = request.password.value_or(""),
                     .application_id = app->id,
                     .tenant_id = app->tenant_id,
                     .ip_address = request.ip_address,
                     .no_jwt = true},
        {.type = AuthenticationType::kPassword, .refresh_token = false, .oauth = true});
    if (!login.ok() || login->outcome == LoginOutcome::kInvalidCredentials) {
      return DevicePageOf(server, request, DevicePageState::kWrongCredentials, false);
    }
    const bool proceeds = login->outcome == LoginOutcome::kSuccess ||
                          (login->outcome == LoginOutcome::kNotRegistered &&
                           !app->oauth_configuration.require_registration);
    if (!proceeds || !login->user.has_value()) {
      return DevicePageOf(server, request, DevicePageState::kRefused, false);
    }
    user_id = login->user->id;
  }
  Result<std::optional<OAuthError>> approved =
      Approve(server, app->tenant_id, *app, request.user_code.value_or(""), user_id);
  if (!approved.ok() || approved->has_value()) {
    return DevicePageOf(server, request, DevicePageState::kWrongCode, session.has_value());
  }
  return DevicePageOf(server, request, DevicePageState::kDone, true);
}

}  // namespace bulwark::oauth2
