// SPDX-License-Identifier: Apache-2.0
#include "bulwark/identity_provider_link_service.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "engine/context.h"
#include "engine/external_identity.h"
#include "engine/login/pipeline.h"
#include "engine/token_issuer.h"

namespace bulwark {
namespace {

using internal::EngineContext;

// The link as the API shows it: with the provider's name and type.
Result<IdentityProviderLink> Described(EngineContext& ctx, IdentityProviderLink link) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<IdentityProvider> provider,
                           internal::IfFound(ctx.LoadIdentityProvider(link.identity_provider_id)));
  if (provider.has_value()) {
    link.identity_provider_name = provider->name;
    link.identity_provider_type = provider->type;
  }
  return link;
}

Result<std::vector<IdentityProviderLink>> DescribedAll(EngineContext& ctx,
                                                       std::vector<IdentityProviderLink> links) {
  std::map<IdentityProviderId, std::optional<IdentityProvider>> providers;
  for (IdentityProviderLink& link : links) {
    auto it = providers.find(link.identity_provider_id);
    if (it == providers.end()) {
      BULWARK_ASSIGN_OR_RETURN(
          std::optional<IdentityProvider> provider, internal::IfFound(ctx.LoadIdentityProvider(link.identity_provider_id)));
      it = providers.emplace(link.identity_provider_id, std::move(provider)).first;
    }
    if (it->second.has_value()) {
      link.identity_provider_name = it->second->name;
      link.identity_provider_type = it->second->type;
    }
  }
  return links;
}

// Writes a new link (with `extra` operations in the same write) and reports it.
Result<IdentityProviderLink> WriteLink(EngineContext& ctx, IdentityProviderLink link,
                                       const WriteBatch::Operation* extra) {
  Errors errors;
  if (link.identity_provider_id.IsNil()) {
    errors.AddField("blank", "identityProviderLink.identityProviderId",
                    "You must specify the [identityProviderLink.identityProviderId] property.");
  }
  if (link.identity_provider_user_id.empty()) {
    errors.AddField("blank", "identityProviderLink.identityProviderUserId",
                    "You must specify the [identityProviderLink.identityProviderUserId] property.");
  }
  if (link.user_id.IsNil()) {
    errors.AddField("blank", "identityProviderLink.userId",
                    "You must specify the [identityProviderLink.userId] property.");
  }
  if (!errors.empty()) return Status::Validation(std::move(errors));
  BULWARK_ASSIGN_OR_RETURN(std::optional<User> user,
                           internal::IfFound(ctx.store->users().Get(link.user_id)));
  if (!user.has_value()) {
    return Status::FieldError("invalid", "identityProviderLink.userId", "The user does not exist.");
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<IdentityProvider> provider,
                           internal::IfFound(ctx.LoadIdentityProvider(link.identity_provider_id)));
  if (!provider.has_value() ||
      (provider->tenant_id.has_value() && *provider->tenant_id != user->tenant_id)) {
    return Status::FieldError("invalid", "identityProviderLink.identityProviderId",
                              "The identity provider does not exist in the user's tenant.");
  }
  const Instant now = ctx.Now();
  link.tenant_id = user->tenant_id;
  link.insert_instant = now;
  link.last_login_instant.reset();
  link.identity_provider_name = provider->name;
  link.identity_provider_type = provider->type;
  WriteBatch batch;
  if (extra != nullptr) {
    std::visit([&](const auto& op) { batch.Add(op); }, *extra);
  }
  batch.Insert(link, internal::LinkLimit(*provider, user->tenant_id));
  Status applied = ctx.Apply(batch);
  if (!applied.ok()) {
    if (applied.code() == StatusCode::kFailedPrecondition &&
        applied.errors().HasGeneral("[LinkCountExceeded]")) {
      return Status::Validation(applied.errors());
    }
    return applied;
  }
  ctx.Emit(EventType::kUserIdentityProviderLink,
           {.tenant_id = user->tenant_id, .user_id = user->id});
  return link;
}

}  // namespace


Result<IdentityProviderLink> IdentityProviderLinkService::Link(IdentityProviderLink link) {
  return WriteLink(ctx_, std::move(link), nullptr);
}

Result<IdentityProviderLink> IdentityProviderLinkService::CompletePendingLink(
    std::string_view pending_idp_link_id, UserId user_id) {
  const std::string digest = internal::Sha256Base64Url(pending_idp_link_id);
  const Instant now = ctx_.Now();
  BULWARK_ASSIGN_OR_RETURN(
      std::optional<StoredPendingIdPLink> pending,
      internal::IfFound(ctx_.store->identity_provider_links().FindPending(digest, now)));
  if (!pending.has_value() || pending_idp_link_id.empty()) {
    return Status(StatusCode::kNotFound, "the pending link does not exist or has expired", [] {
      Errors errors;
      errors.AddField("invalid", "pendingIdPLinkId",
                      "The pending link does not exist or has expired.");
      return errors;
    }());
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<User> user,
                           internal::IfFound(ctx_.store->users().Get(user_id)));
  if (!user.has_value() || user->tenant_id != pending->tenant_id) {
    return Status::FieldError("invalid", "identityProviderLink.userId",
                              "The user does not exist in the pending link's tenant.");
  }
  IdentityProviderLink link;
  link.identity_provider_id = pending->link.identity_provider_id;
  link.identity_provider_user_id = pending->link.identity_provider_user_id;
  link.user_id = user_id;
  link.display_name = pending->link.display_name;
  // The pending link is consumed in the same write: of two completions, one wins.
  const WriteBatch::Operation consume = WriteBatch::DeletePendingIdPLink{digest, now};
  Result<IdentityProviderLink> linked = WriteLink(ctx_, std::move(link), &consume);
  if (!linked.ok() && linked.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("the pending link does not exist or has expired");
  }
  return linked;
}

Result<IdentityProviderLink> IdentityProviderLinkService::Retrieve(
    IdentityProviderId identity_provider_id, std::string_view identity_provider_user_id,
    std::optional<UserId> user_id, std::optional<TenantId> tenant_id) {
  if (user_id.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(*user_id));
    tenant_id = user.tenant_id;
  }
  BULWARK_ASSIGN_OR_RETURN(IdentityProviderLink link,
                           ctx_.store->identity_provider_links().Find(
                               identity_provider_id, tenant_id.value_or(ctx_.default_tenant_id),
                               identity_provider_user_id));
  if (user_id.has_value() && link.user_id != *user_id) {
    return Status::NotFound("the identity is linked to another user");
  }
  return Described(ctx_, std::move(link));
}

Result<std::vector<IdentityProviderLink>> IdentityProviderLinkService::RetrieveByUser(
    UserId user_id, std::optional<IdentityProviderId> identity_provider_id) {
  BULWARK_ASSIGN_OR_RETURN(
      std::vector<IdentityProviderLink> links,
      ctx_.store->identity_provider_links().ListByUser(user_id, identity_provider_id));
  return DescribedAll(ctx_, std::move(links));
}

Result<IdentityProviderLink> IdentityProviderLinkService::Unlink(
    IdentityProviderId identity_provider_id, std::string_view identity_provider_user_id,
    UserId user_id) {
  BULWARK_ASSIGN_OR_RETURN(IdentityProviderLink link,
                           Retrieve(identity_provider_id, identity_provider_user_id, user_id));
  WriteBatch batch;
  batch.Add(WriteBatch::DeleteIdentityProviderLink{
      .provider_id = identity_provider_id,
      .tenant_id = link.tenant_id.value_or(ctx_.default_tenant_id),
      .identity_provider_user_id = std::string(identity_provider_user_id)});
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kUserIdentityProviderUnlink,
            {.tenant_id = link.tenant_id, .user_id = user_id});
  return link;
}

Result<PendingIdPLinkResponse> IdentityProviderLinkService::RetrievePending(
    std::string_view pending_idp_link_id, std::optional<UserId> user_id) {
  const std::string digest = internal::Sha256Base64Url(pending_idp_link_id);
  BULWARK_ASSIGN_OR_RETURN(StoredPendingIdPLink pending,
                           ctx_.store->identity_provider_links().FindPending(digest, ctx_.Now()));
  PendingIdPLinkResponse out;
  out.pending_idp_link = pending.link;
  BULWARK_ASSIGN_OR_RETURN(
      std::optional<IdentityProvider> provider, internal::IfFound(ctx_.LoadIdentityProvider(pending.link.identity_provider_id)));
  if (provider.has_value()) {
    auto config = provider->tenant_configuration.find(pending.tenant_id);
    if (config != provider->tenant_configuration.end()) {
      out.identity_provider_tenant_configuration = config->second;
    }
    out.pending_idp_link.identity_provider_name = provider->name;
    out.pending_idp_link.identity_provider_type = provider->type;
  }
  if (user_id.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(*user_id));
    if (user.tenant_id != pending.tenant_id) {
      return Status::NotFound("the user is not in the pending link's tenant");
    }
    BULWARK_ASSIGN_OR_RETURN(std::vector<IdentityProviderLink> links,
                             ctx_.store->identity_provider_links().ListByUser(
                                 *user_id, pending.link.identity_provider_id));
    out.link_count = static_cast<std::int64_t>(links.size());
  }
  // The candidate: the user whose email is the pending identity's.
  if (!pending.link.email.empty()) {
    BULWARK_ASSIGN_OR_RETURN(
        std::optional<User> candidate,
        internal::IfFound(ctx_.store->users().FindByEmail(pending.tenant_id, pending.link.email)));
    if (candidate.has_value()) {
      BULWARK_ASSIGN_OR_RETURN(
          std::vector<IdentityProviderLink> links,
          ctx_.store->identity_provider_links().ListByUser(candidate->id, std::nullopt));
      BULWARK_ASSIGN_OR_RETURN(out.pending_idp_link.identity_provider_links,
                               DescribedAll(ctx_, std::move(links)));
      out.pending_idp_link.user = internal::Presentable(*std::move(candidate));
    }
  }
  return out;
}

}  // namespace bulwark
