// SPDX-License-Identifier: Apache-2.0
// /api/login, /api/logout, /api/jwt/*, and /.well-known/jwks.json.
#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/http/wire_json.h"
#include "bulwark/model/application.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "bulwark/model/tenant.h"
#include "core/ascii.h"
#include "core/enum_table.h"
#include "http/api_support.h"
#include "json/json_io.h"
#include "json/write.h"

namespace bulwark::internal {

// The Login API's loginIdTypes, by FusionAuth's wire names.
template <>
struct EnumTraits<LoginIdType> {
  static constexpr std::string_view kTypeName = "loginIdType";
  static constexpr EnumEntry<LoginIdType> kTable[] = {{LoginIdType::kEmail, "email"},
                                                      {LoginIdType::kUsername, "username"}};
};

}  // namespace bulwark::internal

namespace bulwark::http::internal {
namespace {

void ReadDevice(bulwark::internal::ObjectReader& r, DeviceInfo& device) {
  r.Nested("metaData", device, [](bulwark::internal::ObjectReader& meta, DeviceInfo& out) {
    meta.Nested("device", out, [](bulwark::internal::ObjectReader& d, DeviceInfo& info) {
      d.String("name", info.name);
      d.String("description", info.description);
      d.String("type", info.type);
      d.String("lastAccessedAddress", info.last_accessed_address);
    });
  });
}

Result<LoginRequest> LoginRequestFromJson(const nlohmann::json& json) {
  return bulwark::internal::ReadObject<LoginRequest>(
      json, "", [](bulwark::internal::ObjectReader& r, LoginRequest& out) {
        r.String("loginId", out.login_id);
        r.Enums("loginIdTypes", out.login_id_types, &bulwark::internal::ParseEnum<LoginIdType>);
        r.String("password", out.password);
        r.OptionalId("applicationId", out.application_id);
        r.String("ipAddress", out.ip_address);
        r.Bool("noJWT", out.no_jwt);
        ReadDevice(r, out.device);
      });
}

// Seconds from now until `expiry`, for the refresh_token cookie's Max-Age.
std::int64_t SecondsUntil(Call& call, std::optional<Instant> expiry) {
  if (!expiry.has_value()) return 0;
  const auto left =
      std::chrono::duration_cast<std::chrono::seconds>(*expiry - call.engine.clock().Now());
  return std::max<std::int64_t>(0, left.count());
}

HttpResponse Login(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(LoginRequest request, LoginRequestFromJson(body));
  // A key that was presented must be valid; whether one is needed at all
  // (requireAuthentication) the engine decides from the application or tenant it loads.
  if (call.api_key_presented && !call.api_key.has_value()) return EmptyResponse(401);
  request.api_key_authenticated = call.api_key.has_value();
  if (!request.application_id.has_value() && !call.tenant_id.has_value()) {
    BULWARK_HTTP_TRY(call.tenant_id, RequireTenant(call));
  }
  request.tenant_id = call.tenant_id;
  request.ip_address = LoginAddress(call.request, request.ip_address);
  BULWARK_HTTP_TRY(LoginResponse response, call.engine.login().Login(request));
  return LoginHttpResponse(call, response);
}

struct PingRequest {
  UserId user_id;
  ApplicationId application_id;
  std::string ip_address;
  bool no_jwt = false;
};

HttpResponse Ping(Call& call, const PingRequest& ping) {
  BULWARK_HTTP_TRY(User user, call.engine.users().Retrieve(ping.user_id));
  BULWARK_HTTP_CHECK(CheckTenant(call, user.tenant_id));
  BULWARK_HTTP_TRY(
      LoginResponse response,
      call.engine.login().Ping(ping.user_id, ping.application_id,
                               LoginAddress(call.request, ping.ip_address), ping.no_jwt));
  return LoginHttpResponse(call, response);
}

// PUT /api/login/{userId}/{applicationId}?ipAddress=
HttpResponse PingByPath(Call& call) {
  PingRequest ping;
  BULWARK_HTTP_TRY(ping.user_id, PathId<UserId>(call.params[0], "userId"));
  BULWARK_HTTP_TRY(ping.application_id, PathId<ApplicationId>(call.params[1], "applicationId"));
  ping.ip_address = std::string(FindQuery(call.request.query, "ipAddress").value_or(""));
  return Ping(call, ping);
}

// PUT /api/login with {userId, applicationId, ipAddress, noJWT}
HttpResponse PingByBody(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(PingRequest ping,
                   bulwark::internal::ReadObject<PingRequest>(
                       body, "", [](bulwark::internal::ObjectReader& r, PingRequest& out) {
                         r.Id("userId", out.user_id);
                         r.Id("applicationId", out.application_id);
                         r.String("ipAddress", out.ip_address);
                         r.Bool("noJWT", out.no_jwt);
                       }));
  Errors errors;
  if (ping.user_id.IsNil()) errors.AddField("blank", "userId", "You must specify the [userId].");
  if (ping.application_id.IsNil()) {
    errors.AddField("blank", "applicationId", "You must specify the [applicationId].");
  }
  if (!errors.empty()) return ErrorResponse(Status::Validation(std::move(errors)));
  return Ping(call, ping);
}

// POST /api/logout?global=&refreshToken= or {global, refreshToken}; the refresh_token cookie
// when neither names one.
HttpResponse Logout(Call& call) {
  bool global = false;
  std::string refresh_token;
  std::optional<std::string_view> content_type = FindHeader(call.request.headers, "Content-Type");
  if (content_type.has_value() && content_type->find("json") != std::string_view::npos) {
    BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
    if (auto g = body.find("global"); g != body.end() && g->is_boolean()) global = g->get<bool>();
    if (auto t = body.find("refreshToken"); t != body.end() && t->is_string()) {
      refresh_token = t->get<std::string>();
    }
  }
  BULWARK_HTTP_TRY(std::optional<bool> global_param, QueryBool(call.request, "global"));
  if (global_param.has_value()) global = *global_param;
  if (std::optional<std::string_view> param = FindQuery(call.request.query, "refreshToken");
      param.has_value() && !param->empty()) {
    refresh_token = std::string(*param);
  }
  if (refresh_token.empty()) refresh_token = FindCookie(call.request, "refresh_token").value_or("");
  if (!refresh_token.empty()) {
    BULWARK_HTTP_CHECK(call.engine.tokens().Logout(refresh_token, global, call.tenant_id));
  }
  HttpResponse response = EmptyResponse(200);
  ClearTokenCookies(response, call.request);
  return response;
}

// GET /api/jwt/validate
HttpResponse ValidateJwt(Call& call) {
  std::optional<std::string> token = BearerOrCookieToken(call.request);
  if (!token.has_value() || token->empty()) return EmptyResponse(401);
  // A call scoped to a tenant (header or tenant-locked key) validates only its tenant's tokens.
  BULWARK_HTTP_TRY(nlohmann::json claims,
                   call.engine.tokens().Validate(*token, {.tenant_id = call.tenant_id}));
  HttpResponse response = JsonResponse(200, {{"jwt", std::move(claims)}});
  AddNoStore(response);
  return response;
}

// 200 with {refreshToken, refreshTokenId, token}: the text JsonResponse makes of that object
// (members in name order), written without the DOM.
HttpResponse RefreshResponseBody(const RefreshResponse& refreshed) {
  std::string body;
  body.reserve(refreshed.token.size() + refreshed.refresh_token.size() + 96);
  body.append(R"({"refreshToken":)");
  Status written = bulwark::internal::AppendJsonString(refreshed.refresh_token, body);
  body.append(R"(,"refreshTokenId":")");
  body.append(refreshed.refresh_token_id.ToString());
  body.append(R"(","token":)");
  if (written.ok()) written = bulwark::internal::AppendJsonString(refreshed.token, body);
  body.push_back('}');
  if (!written.ok()) {
    // Not UTF-8 (no token bulwark issues is): JsonResponse replaces what it cannot write.
    return JsonResponse(200, {{"token", refreshed.token},
                              {"refreshToken", refreshed.refresh_token},
                              {"refreshTokenId", refreshed.refresh_token_id.ToString()}});
  }
  return JsonTextResponse(200, std::move(body));
}

// POST /api/jwt/refresh: {refreshToken, token} or the cookies (the cookies win).
HttpResponse RefreshJwt(Call& call) {
  RefreshRequest request;
  std::optional<std::string_view> content_type = FindHeader(call.request.headers, "Content-Type");
  if (!call.request.body.empty() &&
      (!content_type.has_value() || content_type->find("json") != std::string_view::npos)) {
    BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
    BULWARK_HTTP_TRY(request,
                     bulwark::internal::ReadObject<RefreshRequest>(
                         body, "", [](bulwark::internal::ObjectReader& r, RefreshRequest& out) {
                           r.String("refreshToken", out.refresh_token);
                           r.String("token", out.token);
                         }));
  }
  if (std::optional<std::string> cookie = FindCookie(call.request, "refresh_token");
      cookie.has_value() && !cookie->empty()) {
    request.refresh_token = *cookie;
    request.token = FindCookie(call.request, "access_token").value_or(request.token);
  }
  if (request.refresh_token.empty()) {
    return ErrorResponse(
        Status::FieldError("blank", "refreshToken", "You must specify the [refreshToken]."));
  }
  request.ip_address = ClientAddress(call.request);
  request.tenant_id = call.tenant_id;
  BULWARK_HTTP_TRY(RefreshResponse refreshed, call.engine.tokens().Refresh(request));
  HttpResponse response = RefreshResponseBody(refreshed);
  const std::int64_t lifetime = SecondsUntil(call, refreshed.refresh_token_expiration_instant);
  SetTokenCookies(response, call.request, refreshed.token, refreshed.refresh_token, lifetime);
  AddNoStore(response);
  return response;
}

// GET /api/jwt/refresh?userId=
HttpResponse RetrieveRefreshTokens(Call& call) {
  BULWARK_HTTP_TRY(std::optional<UserId> user_id, QueryId<UserId>(call.request, "userId"));
  if (!user_id.has_value()) {
    return ErrorResponse(Status::FieldError("blank", "userId", "You must specify the [userId]."));
  }
  BULWARK_HTTP_TRY(User user, call.engine.users().Retrieve(*user_id));
  BULWARK_HTTP_CHECK(CheckTenant(call, user.tenant_id));
  BULWARK_HTTP_TRY(std::vector<RefreshToken> tokens,
                   call.engine.tokens().RetrieveRefreshTokens(user.id));
  nlohmann::json list = nlohmann::json::array();
  for (const RefreshToken& token : tokens) list.push_back(ToJson(token));
  HttpResponse response = JsonResponse(200, {{"refreshTokens", std::move(list)}});
  AddNoStore(response);
  return response;
}

// GET /api/jwt/refresh/{tokenId}
HttpResponse RetrieveRefreshToken(Call& call) {
  BULWARK_HTTP_TRY(RefreshTokenId id, PathId<RefreshTokenId>(call.params[0], "tokenId"));
  BULWARK_HTTP_TRY(RefreshToken token, call.engine.tokens().RetrieveRefreshToken(id));
  BULWARK_HTTP_CHECK(CheckTenant(call, token.tenant_id));
  HttpResponse response = JsonResponse(200, {{"refreshToken", ToJson(token)}});
  AddNoStore(response);
  return response;
}

// The subject of a valid access token in the request (Bearer or cookie), if any.
std::optional<UserId> TokenSubject(Call& call) {
  std::optional<std::string> token = BearerOrCookieToken(call.request);
  if (!token.has_value() || token->empty()) return std::nullopt;
  Result<nlohmann::json> claims =
      call.engine.tokens().Validate(*token, {.tenant_id = call.tenant_id});
  if (!claims.ok()) return std::nullopt;
  auto sub = claims->find("sub");
  if (sub == claims->end() || !sub->is_string()) return std::nullopt;
  Result<UserId> id = UserId::Parse(sub->get<std::string>());
  if (!id.ok()) return std::nullopt;
  return *id;
}

// DELETE /api/jwt/refresh/{tokenId}: an API key, or the owner's access token.
HttpResponse RevokeRefreshTokenById(Call& call) {
  BULWARK_HTTP_TRY(RefreshTokenId id, PathId<RefreshTokenId>(call.params[0], "tokenId"));
  if (!call.api_key.has_value()) {
    std::optional<UserId> subject = TokenSubject(call);
    if (!subject.has_value()) return EmptyResponse(401);
    BULWARK_HTTP_TRY(RefreshToken token, call.engine.tokens().RetrieveRefreshToken(id));
    if (token.user_id != *subject) return EmptyResponse(401);
  } else {
    BULWARK_HTTP_TRY(RefreshToken token, call.engine.tokens().RetrieveRefreshToken(id));
    BULWARK_HTTP_CHECK(CheckTenant(call, token.tenant_id));
  }
  BULWARK_HTTP_CHECK(call.engine.tokens().RevokeRefreshTokenById(id));
  return EmptyResponse(200);
}

// DELETE /api/jwt/refresh ?applicationId= | ?userId=[&applicationId=] | ?token=, or the same
// as a JSON body {applicationId, userId, token} or a form body token=.
HttpResponse RevokeRefreshTokens(Call& call) {
  std::optional<ApplicationId> application_id;
  std::optional<UserId> user_id;
  std::string token;
  std::optional<std::string_view> content_type = FindHeader(call.request.headers, "Content-Type");
  const bool form = content_type.has_value() &&
                    content_type->find("x-www-form-urlencoded") != std::string_view::npos;
  if (form) {
    QueryParams fields = ParseQueryString(call.request.body);
    token = std::string(FindQuery(fields, "token").value_or(""));
  } else if (!bulwark::internal::IsBlank(call.request.body)) {
    BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
    struct Body {
      std::optional<ApplicationId> application_id;
      std::optional<UserId> user_id;
      std::string token;
    };
    BULWARK_HTTP_TRY(Body parsed, bulwark::internal::ReadObject<Body>(
                                      body, "", [](bulwark::internal::ObjectReader& r, Body& out) {
                                        r.OptionalId("applicationId", out.application_id);
                                        r.OptionalId("userId", out.user_id);
                                        r.String("token", out.token);
                                      }));
    application_id = parsed.application_id;
    user_id = parsed.user_id;
    token = parsed.token;
  }
  BULWARK_HTTP_TRY(std::optional<ApplicationId> query_application,
                   QueryId<ApplicationId>(call.request, "applicationId"));
  BULWARK_HTTP_TRY(std::optional<UserId> query_user, QueryId<UserId>(call.request, "userId"));
  if (query_application.has_value()) application_id = query_application;
  if (query_user.has_value()) user_id = query_user;
  if (std::optional<std::string_view> t = FindQuery(call.request.query, "token");
      t.has_value() && !t->empty()) {
    token = std::string(*t);
  }

  TokenService& tokens = call.engine.tokens();
  if (!token.empty()) {
    // By value: an API key, or anyone holding the token itself (it is the credential).
    BULWARK_HTTP_CHECK(tokens.RevokeRefreshToken(token, call.tenant_id));
    return EmptyResponse(200);
  }
  if (!call.api_key.has_value()) return EmptyResponse(401);
  if (user_id.has_value()) {
    BULWARK_HTTP_TRY(User user, call.engine.users().Retrieve(*user_id));
    BULWARK_HTTP_CHECK(CheckTenant(call, user.tenant_id));
    BULWARK_HTTP_CHECK(tokens.RevokeRefreshTokensOfUser(user.id, application_id));
    return EmptyResponse(200);
  }
  if (application_id.has_value()) {
    BULWARK_HTTP_TRY(Application application, call.engine.applications().Retrieve(*application_id));
    BULWARK_HTTP_CHECK(CheckTenant(call, application.tenant_id));
    BULWARK_HTTP_CHECK(tokens.RevokeRefreshTokensOfApplication(application.id));
    return EmptyResponse(200);
  }
  return ErrorResponse(Status::FieldError(
      "missing", "applicationId",
      "You must specify an applicationId, a userId or a token to revoke refresh tokens."));
}

bool HasPublicKey(const Key& key) { return !key.public_key.empty(); }

// GET /api/jwt/public-key[?applicationId=|?kid=]
HttpResponse RetrievePublicKeys(Call& call) {
  BULWARK_HTTP_TRY(std::optional<ApplicationId> application_id,
                   QueryId<ApplicationId>(call.request, "applicationId"));
  std::optional<std::string_view> kid = FindQuery(call.request.query, "kid");
  BULWARK_HTTP_TRY(std::vector<Key> keys, call.engine.keys().RetrieveAll());
  if (kid.has_value() && !kid->empty()) {
    for (const Key& key : keys) {
      if (key.kid == *kid && HasPublicKey(key)) {
        return JsonResponse(200, {{"publicKey", key.public_key}});
      }
    }
    return EmptyResponse(404);
  }
  if (application_id.has_value()) {
    BULWARK_HTTP_TRY(Application application, call.engine.applications().Retrieve(*application_id));
    std::optional<KeyId> key_id;
    if (application.jwt_configuration.enabled) {
      key_id = application.jwt_configuration.access_token_key_id;
    }
    if (!key_id.has_value()) {
      BULWARK_HTTP_TRY(Tenant tenant, call.engine.tenants().Retrieve(application.tenant_id));
      key_id = tenant.jwt_configuration.access_token_key_id;
    }
    for (const Key& key : keys) {
      if (key_id.has_value() && key.id == *key_id && HasPublicKey(key)) {
        return JsonResponse(200, {{"publicKey", key.public_key}});
      }
    }
    return EmptyResponse(404);
  }
  nlohmann::json map = nlohmann::json::object();
  for (const Key& key : keys) {
    if (HasPublicKey(key) && !key.kid.empty()) map[key.kid] = key.public_key;
  }
  return JsonResponse(200, {{"publicKeys", std::move(map)}});
}

HttpResponse Jwks(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json jwks, call.engine.keys().Jwks());
  return JsonResponse(200, jwks);
}

}  // namespace

std::string LoginAddress(const HttpRequest& request, std::string_view body_address) {
  if (!body_address.empty()) return std::string(body_address);
  return ClientAddress(request);
}

HttpResponse LoginHttpResponse(Call& call, const LoginResponse& response) {
  const int status = HttpStatusOf(response.outcome);
  switch (response.outcome) {
    case LoginOutcome::kInvalidCredentials:
    case LoginOutcome::kExpired:
    case LoginOutcome::kLocked:
    case LoginOutcome::kUnauthorized:
      return EmptyResponse(status);
    default:
      break;
  }
  if (response.outcome == LoginOutcome::kPasswordChangeRequired) {
    // FusionAuth's 203 carries only the change-password id and reason.
    nlohmann::json body = ToJson(response);
    body.erase("user");
    return JsonResponse(status, body);
  }
  HttpResponse out = JsonResponse(status, ToJson(response));
  if (!response.token.empty()) {
    const std::int64_t lifetime = SecondsUntil(call, response.refresh_token_expiration_instant);
    SetTokenCookies(out, call.request, response.token, response.refresh_token, lifetime);
    AddNoStore(out);
  }
  return out;
}

void AddLoginAndJwtRoutes(std::vector<Route>& routes) {
  routes.insert(
      routes.end(),
      {
          {"POST", "/api/login", "/api/login", Access::kOptionalKey, Login},
          {"PUT", "/api/login", "/api/login", Access::kApiKey, PingByBody},
          {"PUT", "/api/login/*/*", "/api/login", Access::kApiKey, PingByPath},
          {"POST", "/api/logout", "/api/logout", Access::kPublic, Logout},
          {"GET", "/api/jwt/validate", "/api/jwt/validate", Access::kPublic, ValidateJwt},
          {"POST", "/api/jwt/refresh", "/api/jwt/refresh", Access::kPublic, RefreshJwt},
          {"GET", "/api/jwt/refresh", "/api/jwt/refresh", Access::kApiKey, RetrieveRefreshTokens},
          {"GET", "/api/jwt/refresh/*", "/api/jwt/refresh", Access::kApiKey, RetrieveRefreshToken},
          {"DELETE", "/api/jwt/refresh", "/api/jwt/refresh", Access::kOptionalKey,
           RevokeRefreshTokens},
          {"DELETE", "/api/jwt/refresh/*", "/api/jwt/refresh", Access::kOptionalKey,
           RevokeRefreshTokenById},
          {"GET", "/api/jwt/public-key", "/api/jwt/public-key", Access::kPublic,
           RetrievePublicKeys},
          {"GET", "/.well-known/jwks.json", "/.well-known/jwks.json", Access::kPublic, Jwks},
      });
}

}  // namespace bulwark::http::internal
