// SPDX-License-Identifier: Apache-2.0
// ApplyKickstart and KickstartCanRun: replaying a kickstart plan through the Router.
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "bulwark/api_key_service.h"
#include "bulwark/engine.h"
#include "bulwark/http/kickstart.h"
#include "bulwark/http/router.h"
#include "bulwark/model/api_key.h"
#include "json/parse.h"

namespace bulwark::http {
namespace {

// The Router's own responses: nlohmann's output, so no duplicate members, and bounded by what
// the Router accepted (64 levels per request body plus the envelope). No extra limit, as
// before: the parser and the value's destructor do not recurse, whatever the depth.
constexpr bulwark::internal::ParseOptions kResponseJsonOptions{
    .max_depth = std::numeric_limits<int>::max(),
    .reject_duplicate_keys = false,
    .max_bytes = std::numeric_limits<std::size_t>::max()};

// An API key body is read as the Router reads a request body (api_support.cc). The loader
// writes it from strict JSON, but a host may build a KickstartPlan itself.
constexpr bulwark::internal::ParseOptions kApiKeyJsonOptions{
    .max_depth = 64,
    .reject_duplicate_keys = false,
    .max_bytes = std::numeric_limits<std::size_t>::max()};

// The parsed response body; null when it is not JSON.
nlohmann::json ResponseJson(const HttpResponse& response) {
  Result<nlohmann::json> body = bulwark::internal::ParseJson(response.body, kResponseJsonOptions);
  return body.ok() ? std::move(body).value() : nlohmann::json();
}

// What the kickstart created, to delete again when a later request fails.
struct Created {
  enum class Kind { kApiKey, kTenant, kApplication, kUser, kKey, kIdentityProvider };
  Kind kind;
  std::string id;
};

void RecordCreated(const nlohmann::json& body, std::vector<Created>& created) {
  static constexpr std::pair<std::string_view, Created::Kind> kEnvelopes[] = {
      {"tenant", Created::Kind::kTenant},
      {"application", Created::Kind::kApplication},
      {"user", Created::Kind::kUser},
      {"key", Created::Kind::kKey},
      {"identityProvider", Created::Kind::kIdentityProvider},
      {"apiKey", Created::Kind::kApiKey},
  };
  for (const auto& [name, kind] : kEnvelopes) {
    auto object = body.find(name);
    if (object == body.end() || !object->is_object()) continue;
    auto id = object->find("id");
    if (id != object->end() && id->is_string()) {
      created.push_back({kind, id->get<std::string>()});
    }
  }
}

template <typename IdT, typename Fn>
void DeleteIfParsed(const std::string& text, Fn&& remove) {
  Result<IdT> id = IdT::Parse(text);
  if (id.ok()) (void)remove(*id);
}

// Puts the default tenant back, then deletes, newest first, what the kickstart created.
void Undo(Engine& engine, const std::vector<Created>& created, const Tenant& default_tenant) {
  (void)engine.tenants().Update(default_tenant);
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    switch (it->kind) {
      case Created::Kind::kApiKey:
        DeleteIfParsed<ApiKeyId>(it->id, [&](ApiKeyId id) { return engine.api_keys().Delete(id); });
        break;
      case Created::Kind::kTenant:
        DeleteIfParsed<TenantId>(it->id, [&](TenantId id) {
          return id == default_tenant.id ? Status::Ok() : engine.tenants().Delete(id);
        });
        break;
      case Created::Kind::kApplication:
        DeleteIfParsed<ApplicationId>(
            it->id, [&](ApplicationId id) { return engine.applications().Delete(id); });
        break;
      case Created::Kind::kUser:
        DeleteIfParsed<UserId>(it->id, [&](UserId id) { return engine.users().Delete(id); });
        break;
      case Created::Kind::kKey:
        DeleteIfParsed<KeyId>(it->id, [&](KeyId id) { return engine.keys().Delete(id); });
        break;
      case Created::Kind::kIdentityProvider:
        DeleteIfParsed<IdentityProviderId>(
            it->id, [&](IdentityProviderId id) { return engine.identity_providers().Delete(id); });
        break;
    }
  }
}

// The errors of a failed response's body, when it has FusionAuth's envelope.
Errors ErrorsOf(const HttpResponse& response) {
  Errors errors;
  const nlohmann::json body = ResponseJson(response);
  if (!body.is_object()) return errors;
  if (auto fields = body.find("fieldErrors"); fields != body.end() && fields->is_object()) {
    for (const auto& [path, entries] : fields->items()) {
      if (!entries.is_array()) continue;
      for (const nlohmann::json& entry : entries) {
        if (!entry.is_object()) continue;
        errors.field_errors[path].push_back({entry.value("code", ""), entry.value("message", "")});
      }
    }
  }
  if (auto general = body.find("generalErrors"); general != body.end() && general->is_array()) {
    for (const nlohmann::json& entry : *general) {
      if (!entry.is_object()) continue;
      errors.AddGeneral(entry.value("code", ""), entry.value("message", ""));
    }
  }
  return errors;
}

Status Failure(std::string message, Errors errors) {
  if (errors.empty()) errors.AddGeneral("[KickstartFailed]", message);
  return Status(StatusCode::kInvalidArgument, message, std::move(errors));
}

}  // namespace

Result<bool> KickstartCanRun(Engine& engine) {
  Store& store = engine.store();
  BULWARK_ASSIGN_OR_RETURN(std::int64_t api_keys, store.api_keys().Count());
  BULWARK_ASSIGN_OR_RETURN(std::int64_t users, store.users().Count());
  BULWARK_ASSIGN_OR_RETURN(std::vector<Tenant> tenants, store.tenants().List());
  return api_keys == 0 && users == 0 && tenants.size() <= 1;
}

Status ApplyKickstart(Engine& engine, const KickstartPlan& plan) {
  BULWARK_ASSIGN_OR_RETURN(bool can_run, KickstartCanRun(engine));
  if (!can_run) {
    return Status::FailedPrecondition(
        "kickstart runs only into an empty store (no API keys, no users, one tenant)");
  }
  if (plan.api_keys.empty() && !plan.requests.empty()) {
    return Failure(fmt::format("{}: the requests need an API key in apiKeys", plan.source.string()),
                   {});
  }
  BULWARK_ASSIGN_OR_RETURN(Tenant default_tenant,
                           engine.tenants().Retrieve(engine.default_tenant_id()));
  std::vector<Created> created;
  std::string runner;
  for (std::size_t i = 0; i < plan.api_keys.size(); ++i) {
    const std::string where = fmt::format("{}: apiKeys[{}]", plan.source.string(), i);
    Result<nlohmann::json> body =
        bulwark::internal::ParseJson(plan.api_keys[i].body, kApiKeyJsonOptions);
    Result<ApiKey> key = !body.ok()            ? Result<ApiKey>(body.status())
                         : body->is_object() ? ApiKeyFromJson(*body, "apiKey")
                                             : Result<ApiKey>(Status::InvalidArgument("not JSON"));
    if (key.ok() && i == 0 && (key->tenant_id.has_value() || !key->endpoint_permissions.empty())) {
      key = Status::InvalidArgument("the first API key must be unrestricted");
    }
    if (key.ok()) key = engine.api_keys().Create(std::move(key).value());
    if (!key.ok()) {
      Undo(engine, created, default_tenant);
      return Failure(where + ": " + key.status().message(), key.status().errors());
    }
    created.push_back({Created::Kind::kApiKey, key->id.ToString()});
    if (i == 0) runner = key->key;
  }

  Router router(engine);
  for (std::size_t i = 0; i < plan.requests.size(); ++i) {
    const KickstartRequest& step = plan.requests[i];
    HttpRequest request;
    request.method = step.method;
    const std::size_t q = step.url.find('?');
    request.path = PercentDecode(std::string_view(step.url).substr(0, q), false);
    if (q != std::string::npos) request.query = ParseQueryString(step.url.substr(q + 1));
    request.headers.emplace_back("Authorization", runner);
    request.headers.emplace_back(
        "Content-Type", step.content_type.empty() ? "application/json" : step.content_type);
    if (!step.tenant_id.empty())
      request.headers.emplace_back("X-FusionAuth-TenantId", step.tenant_id);
    request.body = step.body;
    request.remote_address = "127.0.0.1";
    HttpResponse response = router.Handle(request);
    if (response.status < 200 || response.status > 299) {
      Undo(engine, created, default_tenant);
      return Failure(fmt::format("{}: requests[{}] ({} {}) failed with status {}",
                                 plan.source.string(), i, step.method, step.url, response.status),
                     ErrorsOf(response));
    }
    if (step.method == "POST") {
      const nlohmann::json body = ResponseJson(response);
      if (body.is_object()) RecordCreated(body, created);
    }
  }
  return Status::Ok();
}

}  // namespace bulwark::http
