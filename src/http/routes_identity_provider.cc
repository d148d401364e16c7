// SPDX-License-Identifier: Apache-2.0
// /api/identity-provider (+ /lookup, /login, /link, /link/pending) and /api/jwt/reconcile.
#include <string>
#include <utility>
#include <vector>

#include "bulwark/http/wire_json.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/model/key_references.h"
#include "http/api_support.h"
#include "http/ownership.h"

namespace bulwark::http::internal {
namespace {

HttpResponse ProviderResponse(const IdentityProvider& provider) {
  return JsonResponse(200, {{"identityProvider", ToJson(provider)}});
}

Result<IdentityProvider> ProviderFromBody(const nlohmann::json& body) {
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "identityProvider"));
  return IdentityProviderFromJson(*member);
}

// A provider the call may see: global ones, and those of the call's tenant.
Status CheckProviderTenant(const Call& call, const IdentityProvider& provider) {
  if (provider.tenant_id.has_value()) return CheckTenant(call, *provider.tenant_id);
  return Status::Ok();
}

Result<IdentityProvider> ScopedProvider(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(IdentityProviderId id,
                           PathId<IdentityProviderId>(call.params[0], "identityProviderId"));
  BULWARK_ASSIGN_OR_RETURN(IdentityProvider provider,
                           call.engine.identity_providers().Retrieve(id));
  BULWARK_RETURN_IF_ERROR(CheckProviderTenant(call, provider));
  return provider;
}

// A provider the call may change: its tenant's; global ones only for callers not locked to
// a tenant.
Result<IdentityProvider> ChangeableProvider(Call& call) {
  BULWARK_ASSIGN_OR_RETURN(IdentityProvider provider, ScopedProvider(call));
  if (!provider.tenant_id.has_value()) BULWARK_RETURN_IF_ERROR(CheckMayChangeGlobal(call));
  return provider;
}

HttpResponse CreateProvider(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(IdentityProvider provider, ProviderFromBody(body));
  if (!call.params.empty()) {
    BULWARK_HTTP_TRY(provider.id, PathId<IdentityProviderId>(call.params[0], "identityProviderId"));
  }
  // A tenant-scoped caller creates providers of its own tenant only.
  if (call.tenant_id.has_value() && provider.tenant_id.has_value() &&
      *provider.tenant_id != *call.tenant_id) {
    return ErrorResponse(Status::FieldError("invalid", "identityProvider.tenantId",
                                            "The tenantId is not the request's tenant."));
  }
  // A tenant-locked key makes no global provider: what it creates is its tenant's.
  if (std::optional<TenantId> locked = LockedTenant(call)) provider.tenant_id = *locked;
  BULWARK_HTTP_CHECK(CheckKeysBorrowed(call, {}, KeysNamedBy(provider), "identityProvider"));
  BULWARK_HTTP_TRY(IdentityProvider created,
                   call.engine.identity_providers().Create(std::move(provider)));
  return ProviderResponse(created);
}

HttpResponse RetrieveProviders(Call& call) {
  std::optional<IdentityProviderType> type;
  if (std::optional<std::string_view> text = FindQuery(call.request.query, "type");
      text.has_value() && !text->empty()) {
    Result<IdentityProviderType> parsed = ParseIdentityProviderType(*text);
    if (!parsed.ok()) {
      return ErrorResponse(
          Status::FieldError("invalid", "type", "Unknown identity provider type."));
    }
    type = *parsed;
  }
  BULWARK_HTTP_TRY(std::vector<IdentityProvider> providers,
                   call.engine.identity_providers().RetrieveAll(type));
  nlohmann::json list = nlohmann::json::array();
  for (const IdentityProvider& provider : providers) {
    if (CheckProviderTenant(call, provider).ok()) list.push_back(ToJson(provider));
  }
  return JsonResponse(200, {{"identityProviders", std::move(list)}});
}

HttpResponse RetrieveProvider(Call& call) {
  BULWARK_HTTP_TRY(IdentityProvider provider, ScopedProvider(call));
  return ProviderResponse(provider);
}

HttpResponse Replace(Call& call, const IdentityProvider& current, IdentityProvider provider) {
  provider.id = current.id;
  BULWARK_HTTP_CHECK(CheckKeysBorrowed(call, KeysNamedBy(current), KeysNamedBy(provider),
                                       "identityProvider"));
  BULWARK_HTTP_TRY(IdentityProvider updated,
                   call.engine.identity_providers().Update(std::move(provider)));
  return ProviderResponse(updated);
}

HttpResponse UpdateProvider(Call& call) {
  BULWARK_HTTP_TRY(IdentityProvider current, ChangeableProvider(call));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(IdentityProvider provider, ProviderFromBody(body));
  return Replace(call, current, std::move(provider));
}

HttpResponse PatchProvider(Call& call) {
  BULWARK_HTTP_TRY(IdentityProvider current, ChangeableProvider(call));
  BULWARK_HTTP_TRY(nlohmann::json patched,
                   ApplyPatch(call.request, {{"identityProvider", ToJson(current)}}));
  BULWARK_HTTP_TRY(IdentityProvider provider, ProviderFromBody(patched));
  return Replace(call, current, std::move(provider));
}

HttpResponse DeleteProvider(Call& call) {
  BULWARK_HTTP_TRY(IdentityProvider current, ChangeableProvider(call));
  BULWARK_HTTP_CHECK(call.engine.identity_providers().Delete(current.id));
  return EmptyResponse(200);
}

// GET /api/identity-provider/lookup?domain=[&tenantId=]
HttpResponse Lookup(Call& call) {
  std::optional<std::string_view> domain = FindQuery(call.request.query, "domain");
  if (!domain.has_value() || domain->empty()) {
    return ErrorResponse(Status::FieldError("blank", "domain", "You must specify the [domain]."));
  }
  BULWARK_HTTP_TRY(std::optional<TenantId> tenant, QueryId<TenantId>(call.request, "tenantId"));
  if (!tenant.has_value()) tenant = call.tenant_id;
  BULWARK_HTTP_TRY(IdentityProviderLookup lookup,
                   call.engine.identity_providers().Lookup(*domain, tenant));
  return JsonResponse(200, ToJson(lookup));
}

// POST /api/identity-provider/login
HttpResponse ProviderLogin(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(IdentityProviderLoginRequest request,
                   IdentityProviderLoginRequestFromJson(body));
  request.tenant_id = call.tenant_id;
  request.ip_address = LoginAddress(call.request, request.ip_address);
  BULWARK_HTTP_TRY(LoginResponse response, call.engine.identity_providers().Login(request));
  return LoginHttpResponse(call, response);
}

// POST /api/jwt/reconcile: FusionAuth's Reconcile API, the older name of the identity-provider
// login for ExternalJWT providers. The same body (encodedJWT or data.token; data.token wins
// when both are given, as on /api/identity-provider/login), the same engine call and the same
// LoginResponse. Where the Reconcile API documents otherwise: all three of applicationId,
// identityProviderId and the token are checked together (400 [blank]...), and an
// identityProviderId or applicationId that names no provider or application, a provider that
// is not an enabled ExternalJWT provider of the application, is 401 rather than 400.
HttpResponse ReconcileJwt(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(IdentityProviderLoginRequest request,
                   IdentityProviderLoginRequestFromJson(body));
  Errors errors;
  if (request.application_id.IsNil()) {
    errors.AddField("blank", "applicationId", "You must specify the [applicationId] property.");
  }
  if (request.identity_provider_id.IsNil()) {
    errors.AddField("blank", "identityProviderId",
                    "You must specify the [identityProviderId] property.");
  }
  const auto token = request.data.find("token");
  if ((token == request.data.end() || token->second.empty()) && request.encoded_jwt.empty()) {
    errors.AddField("blank", "encodedJWT", "You must specify the [encodedJWT] property.");
  }
  if (!errors.empty()) return ErrorResponse(Status::Validation(std::move(errors)));

  Result<IdentityProvider> provider =
      call.engine.identity_providers().Retrieve(request.identity_provider_id);
  if (!provider.ok()) {
    if (provider.status().code() == StatusCode::kNotFound) return EmptyResponse(401);
    return ErrorResponse(provider.status());
  }
  if (provider->type != IdentityProviderType::kExternalJwt) return EmptyResponse(401);
  request.tenant_id = call.tenant_id;
  request.ip_address = LoginAddress(call.request, request.ip_address);
  Result<LoginResponse> response = call.engine.identity_providers().Login(request);
  if (!response.ok()) {
    const Errors& refused = response.status().errors();
    if (refused.HasField("invalid", "identityProviderId") ||
        refused.HasField("invalid", "applicationId")) {
      return EmptyResponse(401);
    }
    return ErrorResponse(response.status());
  }
  return LoginHttpResponse(call, *response);
}

// ---- links -----------------------------------------------------------------------------

HttpResponse LinkResponse(const IdentityProviderLink& link) {
  return JsonResponse(200, {{"identityProviderLink", ToJson(link)}});
}

Status CheckUserTenant(Call& call, UserId user_id) {
  if (!call.tenant_id.has_value() || user_id.IsNil()) return Status::Ok();
  Result<User> user = call.engine.users().Retrieve(user_id);
  if (!user.ok())
    return user.status().code() == StatusCode::kNotFound ? Status::Ok() : user.status();
  return CheckTenant(call, user->tenant_id);
}

// POST /api/identity-provider/link: a new link, or the completion of a pending one; each in
// the 1.43 shape ({identityProviderLink: {...}}) or the older flat one.
HttpResponse CreateLink(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  const auto nested = body.find("identityProviderLink");
  const bool has_nested = nested != body.end() && !nested->is_null();
  if (auto pending = body.find("pendingIdPLinkId"); pending != body.end() && !pending->is_null()) {
    if (!pending->is_string()) {
      return ErrorResponse(
          Status::FieldError("couldNotConvert", "pendingIdPLinkId", "Invalid [pendingIdPLinkId]."));
    }
    const nlohmann::json& holder = has_nested ? *nested : body;
    const std::string user_path = has_nested ? "identityProviderLink.userId" : "userId";
    UserId user_id;
    if (!holder.is_object()) {
      return ErrorResponse(Status::FieldError("couldNotConvert", "identityProviderLink",
                                              "Invalid [identityProviderLink]."));
    }
    if (auto user = holder.find("userId"); user != holder.end() && user->is_string()) {
      Result<UserId> parsed = UserId::Parse(user->get<std::string>());
      if (!parsed.ok()) {
        return ErrorResponse(
            Status::FieldError("couldNotConvert", user_path, "Invalid [" + user_path + "]."));
      }
      user_id = *parsed;
    } else {
      return ErrorResponse(
          Status::FieldError("blank", user_path, "You must specify the [" + user_path + "]."));
    }
    BULWARK_HTTP_CHECK(CheckUserTenant(call, user_id));
    BULWARK_HTTP_TRY(IdentityProviderLink link,
                     call.engine.identity_provider_links().CompletePendingLink(
                         pending->get<std::string>(), user_id));
    return LinkResponse(link);
  }
  Result<IdentityProviderLink> parsed =
      has_nested ? IdentityProviderLinkFromJson(*nested) : IdentityProviderLinkFromJson(body, "");
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  IdentityProviderLink link = std::move(parsed).value();
  BULWARK_HTTP_CHECK(CheckUserTenant(call, link.user_id));
  BULWARK_HTTP_TRY(IdentityProviderLink created,
                   call.engine.identity_provider_links().Link(std::move(link)));
  return LinkResponse(created);
}

// GET /api/identity-provider/link?identityProviderId&identityProviderUserId[&userId], or
// ?userId[&identityProviderId] for the user's links.
HttpResponse RetrieveLinks(Call& call) {
  BULWARK_HTTP_TRY(std::optional<IdentityProviderId> provider,
                   QueryId<IdentityProviderId>(call.request, "identityProviderId"));
  BULWARK_HTTP_TRY(std::optional<UserId> user, QueryId<UserId>(call.request, "userId"));
  std::optional<std::string_view> provider_user =
      FindQuery(call.request.query, "identityProviderUserId");
  IdentityProviderLinkService& links = call.engine.identity_provider_links();
  if (user.has_value()) BULWARK_HTTP_CHECK(CheckUserTenant(call, *user));
  if (provider.has_value() && provider_user.has_value() && !provider_user->empty()) {
    BULWARK_HTTP_TRY(IdentityProviderLink link,
                     links.Retrieve(*provider, *provider_user, user, call.tenant_id));
    return LinkResponse(link);
  }
  if (!user.has_value()) {
    return ErrorResponse(
        Status::FieldError("blank", "userId",
                           "You must specify a userId, or an identityProviderId and an "
                           "identityProviderUserId."));
  }
  BULWARK_HTTP_TRY(std::vector<IdentityProviderLink> found, links.RetrieveByUser(*user, provider));
  nlohmann::json list = nlohmann::json::array();
  for (const IdentityProviderLink& link : found) list.push_back(ToJson(link));
  return JsonResponse(200, {{"identityProviderLinks", std::move(list)}});
}

// DELETE /api/identity-provider/link?identityProviderId&identityProviderUserId&userId
HttpResponse DeleteLink(Call& call) {
  BULWARK_HTTP_TRY(std::optional<IdentityProviderId> provider,
                   QueryId<IdentityProviderId>(call.request, "identityProviderId"));
  BULWARK_HTTP_TRY(std::optional<UserId> user, QueryId<UserId>(call.request, "userId"));
  std::optional<std::string_view> provider_user =
      FindQuery(call.request.query, "identityProviderUserId");
  Errors errors;
  if (!provider.has_value()) {
    errors.AddField("blank", "identityProviderId", "You must specify the [identityProviderId].");
  }
  if (!provider_user.has_value() || provider_user->empty()) {
    errors.AddField("blank", "identityProviderUserId",
                    "You must specify the [identityProviderUserId].");
  }
  if (!user.has_value()) errors.AddField("blank", "userId", "You must specify the [userId].");
  if (!errors.empty()) return ErrorResponse(Status::Validation(std::move(errors)));
  BULWARK_HTTP_CHECK(CheckUserTenant(call, *user));
  BULWARK_HTTP_CHECK(
      call.engine.identity_provider_links().Unlink(*provider, *provider_user, *user).status());
  return EmptyResponse(200);
}

// GET /api/identity-provider/link/pending/{id}[?userId]
HttpResponse RetrievePendingLink(Call& call) {
  BULWARK_HTTP_TRY(std::optional<UserId> user, QueryId<UserId>(call.request, "userId"));
  if (user.has_value()) BULWARK_HTTP_CHECK(CheckUserTenant(call, *user));
  BULWARK_HTTP_TRY(PendingIdPLinkResponse pending,
                   call.engine.identity_provider_links().RetrievePending(call.params[0], user));
  return JsonResponse(200, ToJson(pending));
}

}  // namespace

void AddIdentityProviderRoutes(std::vector<Route>& routes) {
  constexpr std::string_view kProvider = "/api/identity-provider";
  constexpr std::string_view kLink = "/api/identity-provider/link";
  routes.insert(
      routes.end(),
      {
          {"POST", "/api/identity-provider", kProvider, Access::kApiKey, CreateProvider},
          {"POST", "/api/identity-provider/*", kProvider, Access::kApiKey, CreateProvider},
          {"GET", "/api/identity-provider", kProvider, Access::kApiKey, RetrieveProviders},
          {"GET", "/api/identity-provider/*", kProvider, Access::kApiKey, RetrieveProvider},
          {"PUT", "/api/identity-provider/*", kProvider, Access::kApiKey, UpdateProvider},
          {"PATCH", "/api/identity-provider/*", kProvider, Access::kApiKey, PatchProvider},
          {"DELETE", "/api/identity-provider/*", kProvider, Access::kApiKey, DeleteProvider},
          {"GET", "/api/identity-provider/lookup", "/api/identity-provider/lookup", Access::kPublic,
           Lookup},
          {"POST", "/api/identity-provider/login", "/api/identity-provider/login", Access::kPublic,
           ProviderLogin},
          {"POST", "/api/identity-provider/link", kLink, Access::kApiKey, CreateLink},
          {"GET", "/api/identity-provider/link", kLink, Access::kApiKey, RetrieveLinks},
          {"DELETE", "/api/identity-provider/link", kLink, Access::kApiKey, DeleteLink},
          {"GET", "/api/identity-provider/link/pending/*", "/api/identity-provider/link/pending",
           Access::kApiKey, RetrievePendingLink},
          // The Reconcile API is the identity-provider login under its older name.
          {"POST", "/api/jwt/reconcile", "/api/jwt/reconcile", Access::kPublic, ReconcileJwt},
      });
}

}  // namespace bulwark::http::internal
