// SPDX-License-Identifier: Apache-2.0
//
// IdentityProviderLinkService: links between users and their identities at identity
// providers, and pending links (FusionAuth's Link API, /api/identity-provider/link). Obtain
// it from Engine::identity_provider_links().
//
//   // An identity logged in under CreatePendingLink and got 232 with a pendingIdPLinkId;
//   // once the person proves who they are here, tie it to their account:
//   Result<IdentityProviderLink> link =
//       links.CompletePendingLink(pending_id, user.id);
//
// A link belongs to the user's tenant; a provider's user id has at most one link per tenant.
// The provider's tenantConfiguration[tenant].limitUserLinkCount caps how many links a user
// may have to one provider ([LinkCountExceeded], checked inside the store's write).
// Returned links carry identityProviderName and identityProviderType. Events:
// user.identity-provider.link, user.identity-provider.unlink.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_IDENTITY_PROVIDER_LINK_SERVICE_H_
#define BULWARK_IDENTITY_PROVIDER_LINK_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/identity_provider_link.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// GET /api/identity-provider/link/pending/{id}: the pending link, the provider's link limit
// in the pending link's tenant and, when a user was named, how many links that user has to
// the provider.
struct PendingIdPLinkResponse {
  IdentityProviderTenantConfiguration identity_provider_tenant_configuration = {};
  std::optional<std::int64_t> link_count = {};
  PendingIdPLink pending_idp_link = {};
};

class BULWARK_EXPORT IdentityProviderLinkService {
 public:
  IdentityProviderLinkService(const IdentityProviderLinkService&) = delete;
  IdentityProviderLinkService& operator=(const IdentityProviderLinkService&) = delete;

  // Links `link.user_id` to the provider's user `link.identity_provider_user_id` (with
  // displayName and token as given). Errors: [blank]identityProviderLink.identityProviderId
  // / .identityProviderUserId / .userId, [invalid]identityProviderLink.userId (no such
  // user), [invalid]identityProviderLink.identityProviderId (no such provider, or one scoped
  // to another tenant), [duplicate]identityProviderLink (kAlreadyExists: the provider's user
  // is linked already), [LinkCountExceeded].
  Result<IdentityProviderLink> Link(IdentityProviderLink link);

  // Links the identity of a pending link (232 of an identity-provider login) to `user_id`,
  // which must be in the pending link's tenant, and consumes the pending link: it completes
  // once. kNotFound ([invalid]pendingIdPLinkId) when it does not exist or has expired; the
  // errors of Link otherwise.
  Result<IdentityProviderLink> CompletePendingLink(std::string_view pending_idp_link_id,
                                                   UserId user_id);

  // The link of the provider's user, in `tenant_id` (default: the default tenant; when
  // `user_id` is given, that user's tenant). kNotFound when there is none, or when `user_id`
  // is given and the link is another user's.
  Result<IdentityProviderLink> Retrieve(IdentityProviderId identity_provider_id,
                                        std::string_view identity_provider_user_id,
                                        std::optional<UserId> user_id = std::nullopt,
                                        std::optional<TenantId> tenant_id = std::nullopt);
  // The user's links, oldest first; only those to `identity_provider_id` when given.
  Result<std::vector<IdentityProviderLink>> RetrieveByUser(
      UserId user_id, std::optional<IdentityProviderId> identity_provider_id = std::nullopt);

  // Removes the user's link to the provider's user and returns it. kNotFound when the user
  // has no such link.
  Result<IdentityProviderLink> Unlink(IdentityProviderId identity_provider_id,
                                      std::string_view identity_provider_user_id, UserId user_id);

  // The pending link; with `user_id`, also that user's link count to the provider (the
  // user must be in the pending link's tenant). `pendingIdPLink.user` is the user whose
  // email is the pending identity's, if any, with `identityProviderLinks` its links.
  // kNotFound when it does not exist or has expired.
  Result<PendingIdPLinkResponse> RetrievePending(std::string_view pending_idp_link_id,
                                                 std::optional<UserId> user_id = std::nullopt);

 private:
  friend class Engine;
  explicit IdentityProviderLinkService(internal::EngineContext& context) : ctx_(context) {}
  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_IDENTITY_PROVIDER_LINK_SERVICE_H_
