// SPDX-License-Identifier: Apache-2.0
// Private: a Store that forwards every call to another Store through a policy, written once
// for every decorator of the storage contract (the Engine's exception guard, the testing
// FaultInjectingStore). A policy is a class with
//
//   template <typename F> auto Read(F&& call) -> decltype(call());   // repository reads
//   template <typename F> auto Write(F&& call) -> decltype(call());  // Apply, artefact writes
//
// and each forwarded call runs inside one of them; Name and SchemaVersion are forwarded as
// they are. A new Store method or repository is added here once, and every decorator has it.
//
// Thread-safety: as the wrapped Store and the policy; ForwardingStore adds no state.
#ifndef BULWARK_STORE_FORWARDING_STORE_H_
#define BULWARK_STORE_FORWARDING_STORE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/store/store.h"

namespace bulwark::internal {

template <typename Policy>
class ForwardingStore : public Store {
 public:
  // `base` must outlive this store. The policy is constructed from `policy_args`.
  template <typename... PolicyArgs>
  explicit ForwardingStore(Store& base, PolicyArgs&&... policy_args)
      : base_(base), policy_(std::forward<PolicyArgs>(policy_args)...) {}

  std::string_view Name() const override { return base_.Name(); }
  int SchemaVersion() const override { return base_.SchemaVersion(); }
  TenantRepository& tenants() override { return tenants_; }
  ApplicationRepository& applications() override { return applications_; }
  UserRepository& users() override { return users_; }
  RegistrationRepository& registrations() override { return registrations_; }
  KeyRepository& keys() override { return keys_; }
  RefreshTokenRepository& refresh_tokens() override { return refresh_tokens_; }
  UserActionRepository& user_actions() override { return user_actions_; }
  IdentityProviderRepository& identity_providers() override { return identity_providers_; }
  IdentityProviderLinkRepository& identity_provider_links() override { return links_; }
  ApiKeyRepository& api_keys() override { return api_keys_; }
  ArtefactStore& artefacts() override { return artefacts_; }
  Result<std::uint64_t> ConfigurationGeneration() override {
    return policy_.Read([&] { return base_.ConfigurationGeneration(); });
  }
  Status Apply(const WriteBatch& batch) override {
    return policy_.Write([&] { return base_.Apply(batch); });
  }

  Policy& policy() { return policy_; }
  Store& base() { return base_; }

 private:
  // What each forwarding repository holds: the store (for its base and policy).
  struct Part {
    explicit Part(ForwardingStore& s) : store(s) {}
    ForwardingStore& store;
    template <typename F>
    auto Read(F&& call) {
      return store.policy_.Read(std::forward<F>(call));
    }
    template <typename F>
    auto Write(F&& call) {
      return store.policy_.Write(std::forward<F>(call));
    }
  };

  struct Tenants final : TenantRepository, Part {
    using Part::Part;
    Result<Tenant> Get(TenantId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<std::vector<Tenant>> List() override {
      return this->Read([&] { return Base().List(); });
    }
    Result<TenantId> DefaultTenantId() override {
      return this->Read([&] { return Base().DefaultTenantId(); });
    }
    TenantRepository& Base() { return this->store.base_.tenants(); }
  };

  struct Applications final : ApplicationRepository, Part {
    using Part::Part;
    Result<Application> Get(ApplicationId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<std::vector<Application>> ListByTenant(TenantId tenant_id) override {
      return this->Read([&] { return Base().ListByTenant(tenant_id); });
    }
    ApplicationRepository& Base() { return this->store.base_.applications(); }
  };

  struct Users final : UserRepository, Part {
    using Part::Part;
    Result<User> Get(UserId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<User> FindByEmail(TenantId tenant_id, std::string_view email) override {
      return this->Read([&] { return Base().FindByEmail(tenant_id, email); });
    }
    Result<User> FindByUsername(TenantId tenant_id, std::string_view username) override {
      return this->Read([&] { return Base().FindByUsername(tenant_id, username); });
    }
    Result<std::int64_t> CountByTenant(TenantId tenant_id) override {
      return this->Read([&] { return Base().CountByTenant(tenant_id); });
    }
    Result<std::int64_t> Count() override {
      return this->Read([&] { return Base().Count(); });
    }
    UserRepository& Base() { return this->store.base_.users(); }
  };

  struct Registrations final : RegistrationRepository, Part {
    using Part::Part;
    Result<Registration> Get(UserId user_id, ApplicationId application_id) override {
      return this->Read([&] { return Base().Get(user_id, application_id); });
    }
    Result<std::vector<Registration>> ListByUser(UserId user_id) override {
      return this->Read([&] { return Base().ListByUser(user_id); });
    }
    RegistrationRepository& Base() { return this->store.base_.registrations(); }
  };

  struct Keys final : KeyRepository, Part {
    using Part::Part;
    Result<Key> Get(KeyId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<Key> FindByKid(std::string_view kid) override {
      return this->Read([&] { return Base().FindByKid(kid); });
    }
    Result<std::vector<Key>> List() override {
      return this->Read([&] { return Base().List(); });
    }
    KeyRepository& Base() { return this->store.base_.keys(); }
  };

  struct RefreshTokens final : RefreshTokenRepository, Part {
    using Part::Part;
    Result<RefreshToken> Get(RefreshTokenId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<RefreshToken> FindByToken(std::string_view stored_token) override {
      return this->Read([&] { return Base().FindByToken(stored_token); });
    }
    Result<RotatedRefreshToken> FindByPreviousToken(std::string_view stored_token) override {
      return this->Read([&] { return Base().FindByPreviousToken(stored_token); });
    }
    Result<std::vector<RefreshToken>> ListByUser(UserId user_id) override {
      return this->Read([&] { return Base().ListByUser(user_id); });
    }
    RefreshTokenRepository& Base() { return this->store.base_.refresh_tokens(); }
  };

  struct UserActions final : UserActionRepository, Part {
    using Part::Part;
    Result<std::vector<UserActionLog>> ListInForce(UserId user_id, Instant now) override {
      return this->Read([&] { return Base().ListInForce(user_id, now); });
    }
    Result<std::int64_t> CountLoginFailuresSince(UserId user_id, Instant since) override {
      return this->Read([&] { return Base().CountLoginFailuresSince(user_id, since); });
    }
    Result<std::vector<LoginRecord>> ListLoginRecords(UserId user_id,
                                                      std::size_t limit) override {
      return this->Read([&] { return Base().ListLoginRecords(user_id, limit); });
    }
    UserActionRepository& Base() { return this->store.base_.user_actions(); }
  };

  struct IdentityProviders final : IdentityProviderRepository, Part {
    using Part::Part;
    Result<IdentityProvider> Get(IdentityProviderId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<std::vector<IdentityProvider>> List() override {
      return this->Read([&] { return Base().List(); });
    }
    Result<IdentityProvider> FindByDomain(std::string_view domain,
                                          std::optional<TenantId> tenant_id) override {
      return this->Read([&] { return Base().FindByDomain(domain, tenant_id); });
    }
    IdentityProviderRepository& Base() { return this->store.base_.identity_providers(); }
  };

  struct Links final : IdentityProviderLinkRepository, Part {
    using Part::Part;
    Result<IdentityProviderLink> Find(IdentityProviderId provider_id, TenantId tenant_id,
                                      std::string_view identity_provider_user_id) override {
      return this->Read(
          [&] { return Base().Find(provider_id, tenant_id, identity_provider_user_id); });
    }
    Result<std::vector<IdentityProviderLink>> ListByUser(
        UserId user_id, std::optional<IdentityProviderId> provider_id) override {
      return this->Read([&] { return Base().ListByUser(user_id, provider_id); });
    }
    Result<StoredPendingIdPLink> FindPending(std::string_view id_digest, Instant now) override {
      return this->Read([&] { return Base().FindPending(id_digest, now); });
    }
    IdentityProviderLinkRepository& Base() { return this->store.base_.identity_provider_links(); }
  };

  struct ApiKeys final : ApiKeyRepository, Part {
    using Part::Part;
    Result<ApiKey> Get(ApiKeyId id) override {
      return this->Read([&] { return Base().Get(id); });
    }
    Result<ApiKey> FindByKeyDigest(std::string_view key_digest) override {
      return this->Read([&] { return Base().FindByKeyDigest(key_digest); });
    }
    Result<std::vector<ApiKey>> List() override {
      return this->Read([&] { return Base().List(); });
    }
    Result<std::int64_t> Count() override {
      return this->Read([&] { return Base().Count(); });
    }
    ApiKeyRepository& Base() { return this->store.base_.api_keys(); }
  };

  // Get is a read; everything that changes the artefacts is a write.
  struct Artefacts final : ArtefactStore, Part {
    using Part::Part;
    Status Put(const Artefact& artefact, Instant now) override {
      return this->Write([&] { return Base().Put(artefact, now); });
    }
    Result<Artefact> Get(TenantId tenant_id, std::string_view kind, std::string_view key,
                         Instant now) override {
      return this->Read([&] { return Base().Get(tenant_id, kind, key, now); });
    }
    Result<ConsumedArtefact> Consume(TenantId tenant_id, std::string_view kind,
                                     std::string_view key, Instant now) override {
      return this->Write([&] { return Base().Consume(tenant_id, kind, key, now); });
    }
    Result<std::int64_t> RevokeByGrant(TenantId tenant_id, std::string_view grant_id) override {
      return this->Write([&] { return Base().RevokeByGrant(tenant_id, grant_id); });
    }
    Result<std::int64_t> RevokeByUser(TenantId tenant_id, UserId user_id) override {
      return this->Write([&] { return Base().RevokeByUser(tenant_id, user_id); });
    }
    Result<std::int64_t> DeleteExpired(Instant now) override {
      return this->Write([&] { return Base().DeleteExpired(now); });
    }
    ArtefactStore& Base() { return this->store.base_.artefacts(); }
  };

  Store& base_;
  Policy policy_;
  Tenants tenants_{*this};
  Applications applications_{*this};
  Users users_{*this};
  Registrations registrations_{*this};
  Keys keys_{*this};
  RefreshTokens refresh_tokens_{*this};
  UserActions user_actions_{*this};
  IdentityProviders identity_providers_{*this};
  Links links_{*this};
  ApiKeys api_keys_{*this};
  Artefacts artefacts_{*this};
};

}  // namespace bulwark::internal

#endif  // BULWARK_STORE_FORWARDING_STORE_H_
