// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "bulwark/model/identity_provider_link.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"

namespace bulwark::internal {

template <class IO>
void Map(IO& io, Mapped<IO, IdentityProviderLink>& v) {
  io("identityProviderId", v.identity_provider_id);
  io("identityProviderUserId", v.identity_provider_user_id);
  io("userId", v.user_id);
  io("displayName", v.display_name);
  io("identityProviderName", v.identity_provider_name);
  io("identityProviderType", v.identity_provider_type);
  io("tenantId", v.tenant_id);
  io("token", v.token);
  io.Object("data", v.data);
  io("insertInstant", v.insert_instant);
  io("lastLoginInstant", v.last_login_instant);
}

template <class IO>
void Map(IO& io, Mapped<IO, PendingIdPLink>& v) {
  io("displayName", v.display_name);
  io("email", v.email);
  io("identityProviderId", v.identity_provider_id);
  io("identityProviderName", v.identity_provider_name);
  io("identityProviderType", v.identity_provider_type);
  io("identityProviderUserId", v.identity_provider_user_id);
  io("username", v.username);
  io.List("identityProviderLinks", v.identity_provider_links);
  // The candidate user, in the User API's public shape; any error in it is one
  // [couldNotConvert] on `user`.
  if constexpr (IO::kReading) {
    if (const nlohmann::json* user = io.reader().Find("user")) {
      Result<User> parsed = UserFromJson(*user, io.reader().PathOf("user"));
      if (parsed.ok()) {
        v.user = std::move(*parsed);
      } else {
        io.reader().AddError("couldNotConvert", "user");
      }
    }
  } else {
    if (v.user) io.Any("user", ToJson(*v.user));
  }
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const IdentityProviderLink& link) { return internal::WriteMapped(link); }

Result<IdentityProviderLink> IdentityProviderLinkFromJson(const nlohmann::json& json,
                                                          std::string_view path) {
  return internal::ReadMapped<IdentityProviderLink>(json, path);
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

nlohmann::json ToJson(const PendingIdPLink& link) { return internal::WriteMapped(link); }

Result<PendingIdPLink> PendingIdPLinkFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<PendingIdPLink>(json, path);
}

}  // namespace bulwark
