// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "bulwark/model/identity_provider_link.h"
#include "core/ascii.h"
#include "json/json_io.h"

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

void Read(ObjectReader& r, IdentityProviderLink& v) {
  r.Id("identityProviderId", v.identity_provider_id);
  r.String("identityProviderUserId", v.identity_provider_user_id);
  r.Id("userId", v.user_id);
  r.String("displayName", v.display_name);
  r.String("identityProviderName", v.identity_provider_name);
  r.OptionalEnum("identityProviderType", v.identity_provider_type, &ParseIdentityProviderType);
  r.OptionalId("tenantId", v.tenant_id);
  r.String("token", v.token);
  r.Object("data", v.data);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastLoginInstant", v.last_login_instant);
}

void Write(ObjectWriter& w, const IdentityProviderLink& v) {
  w.Id("identityProviderId", v.identity_provider_id);
  w.String("identityProviderUserId", v.identity_provider_user_id);
  w.Id("userId", v.user_id);
  w.String("displayName", v.display_name);
  w.String("identityProviderName", v.identity_provider_name);
  w.OptionalEnum("identityProviderType", v.identity_provider_type);
  w.OptionalId("tenantId", v.tenant_id);
  w.String("token", v.token);
  w.Object("data", v.data);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastLoginInstant", v.last_login_instant);
}

void Read(ObjectReader& r, PendingIdPLink& v) {
  r.String("displayName", v.display_name);
  r.String("email", v.email);
  r.Id("identityProviderId", v.identity_provider_id);
  r.String("identityProviderName", v.identity_provider_name);
  r.OptionalEnum("identityProviderType", v.identity_provider_type, &ParseIdentityProviderType);
  r.String("identityProviderUserId", v.identity_provider_user_id);
  r.String("username", v.username);
  r.NestedList("identityProviderLinks", v.identity_provider_links,
               [](ObjectReader& c, IdentityProviderLink& l) { Read(c, l); });
  if (const nlohmann::json* user = r.Find("user")) {
    Result<User> parsed = UserFromJson(*user, r.PathOf("user"));
    if (parsed.ok()) {
      v.user = std::move(*parsed);
    } else {
      r.AddError("couldNotConvert", "user");
    }
  }
}

void Write(ObjectWriter& w, const PendingIdPLink& v) {
  w.String("displayName", v.display_name);
  w.String("email", v.email);
  w.Id("identityProviderId", v.identity_provider_id);
  w.String("identityProviderName", v.identity_provider_name);
  w.OptionalEnum("identityProviderType", v.identity_provider_type);
  w.String("identityProviderUserId", v.identity_provider_user_id);
  w.String("username", v.username);
  w.NestedList("identityProviderLinks", v.identity_provider_links,
               [](ObjectWriter& c, const IdentityProviderLink& l) { Write(c, l); });
  if (v.user) w.Any("user", ToJson(*v.user));
}

}  // namespace

nlohmann::json ToJson(const IdentityProviderLink& link) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, link);
  return out;
}

Result<IdentityProviderLink> IdentityProviderLinkFromJson(const nlohmann::json& json,
                                                          std::string_view path) {
  return internal::ReadObject<IdentityProviderLink>(
      json, path, [](ObjectReader& r, IdentityProviderLink& v) { Read(r, v); });
}

Errors Validate(const IdentityProviderLink& link) {
  Errors errors;
  auto blank = [&](std::string_view member) {
    const std::string path = "identityProviderLink." + std::string(member);
    errors.AddField("blank", path, "You must specify the [" + path + "] property.");
  };
  if (link.identity_provider_id.IsNil()) blank("identityProviderId");
  if (internal::IsBlank(link.identity_provider_user_id)) {
    blank("identityProviderUserId");
  }
  if (link.user_id.IsNil()) blank("userId");
  return errors;
}

nlohmann::json ToJson(const PendingIdPLink& link) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, link);
  return out;
}

Result<PendingIdPLink> PendingIdPLinkFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<PendingIdPLink>(
      json, path, [](ObjectReader& r, PendingIdPLink& v) { Read(r, v); });
}

}  // namespace bulwark
