// SPDX-License-Identifier: Apache-2.0
//
// IdentityProviderLink: the tie between a user and their identity at an identity provider
// (FusionAuth's Link API, §2.8 of the API reference); on the wire
// `{"identityProviderLink": {...}}`. PendingIdPLink: an identity that logged in under the
// CreatePendingLink strategy and waits to be linked to a user (`{"pendingIdPLink": {...}}`).
//
// Thread-compatible value types.
#ifndef BULWARK_MODEL_IDENTITY_PROVIDER_LINK_H_
#define BULWARK_MODEL_IDENTITY_PROVIDER_LINK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/user.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {

struct IdentityProviderLink {
  IdentityProviderId identity_provider_id;  // required
  std::string identity_provider_user_id;    // required: the user's id at the provider
  UserId user_id;                           // required
  std::string display_name;
  std::string identity_provider_name;                          // read-only, 1.47+
  std::optional<IdentityProviderType> identity_provider_type;  // read-only
  std::optional<TenantId> tenant_id;
  std::string token;  // the provider's token from the last login, if kept
  nlohmann::json data = nlohmann::json::object();
  std::optional<Instant> insert_instant;
  std::optional<Instant> last_login_instant;

  friend bool operator==(const IdentityProviderLink&, const IdentityProviderLink&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const IdentityProviderLink& link);
BULWARK_EXPORT Result<IdentityProviderLink> IdentityProviderLinkFromJson(
    const nlohmann::json& json, std::string_view path = "identityProviderLink");
// [blank]identityProviderLink.identityProviderId / .identityProviderUserId / .userId.
BULWARK_EXPORT Errors Validate(const IdentityProviderLink& link);

struct PendingIdPLink {
  std::string display_name;
  std::string email;
  IdentityProviderId identity_provider_id;
  std::string identity_provider_name;
  std::optional<IdentityProviderType> identity_provider_type;
  std::string identity_provider_user_id;
  std::string username;
  std::vector<IdentityProviderLink> identity_provider_links;  // the user's existing links
  std::optional<User> user;                                   // the candidate user, if any

  friend bool operator==(const PendingIdPLink&, const PendingIdPLink&) = default;
};

BULWARK_EXPORT nlohmann::json ToJson(const PendingIdPLink& link);
BULWARK_EXPORT Result<PendingIdPLink> PendingIdPLinkFromJson(
    const nlohmann::json& json, std::string_view path = "pendingIdPLink");

// A pending link as the Store keeps it: the Engine stores a digest of the pendingIdPLinkId,
// never the id itself (as for refresh tokens). `link.identity_provider_links` and `link.user`
// are not stored.
struct StoredPendingIdPLink {
  std::string id_digest;
  TenantId tenant_id;
  std::optional<ApplicationId> application_id = std::nullopt;
  Instant insert_instant{};
  Instant expiry{};  // gone once the clock reaches it
  PendingIdPLink link;

  friend bool operator==(const StoredPendingIdPLink&, const StoredPendingIdPLink&) = default;
};

}  // namespace bulwark

#endif  // BULWARK_MODEL_IDENTITY_PROVIDER_LINK_H_
