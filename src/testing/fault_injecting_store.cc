// SPDX-License-Identifier: Apache-2.0
#include "bulwark/testing/fault_injecting_store.h"

#include <atomic>
#include <optional>
#include <utility>
#include <vector>

#include "bulwark/store/fault_injector.h"

namespace bulwark::testing {
namespace {

Status Injected() { return Status::Unavailable("injected fault"); }

}  // namespace

// The fault plan, shared with the wrapped store as its StoreFaultInjector.
class FaultInjectingStore::Faults final : public StoreFaultInjector {
 public:
  Status BeforeWriteStatement() override {
    const std::int64_t n = statements_.fetch_add(1) + 1;
    std::int64_t target = n;
    // Fires once: only the call that matches disarms it.
    if (fail_at_statement_.compare_exchange_strong(target, 0)) return Injected();
    return Status::Ok();
  }
  Status BeforeCommit() override { return fail_commit_.load() ? Injected() : Status::Ok(); }

  std::atomic<bool> fail_reads_{false};
  std::atomic<bool> fail_apply_{false};
  std::atomic<bool> fail_commit_{false};
  // The statement number that fails, 0 for none.
  std::atomic<std::int64_t> fail_at_statement_{0};
  std::atomic<std::int64_t> statements_{0};
};

class FaultInjectingStore::Tenants final : public TenantRepository {
 public:
  Tenants(TenantRepository& base, const Faults& faults) : base_(base), faults_(faults) {}
  Result<Tenant> Get(TenantId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<std::vector<Tenant>> List() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.List();
  }
  Result<TenantId> DefaultTenantId() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.DefaultTenantId();
  }

 private:
  TenantRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::Applications final : public ApplicationRepository {
 public:
  Applications(ApplicationRepository& base, const Faults& faults) : base_(base), faults_(faults) {}
  Result<Application> Get(ApplicationId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<std::vector<Application>> ListByTenant(TenantId tenant_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.ListByTenant(tenant_id);
  }

 private:
  ApplicationRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::Users final : public UserRepository {
 public:
  Users(UserRepository& base, const Faults& faults) : base_(base), faults_(faults) {}
  Result<User> Get(UserId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<User> FindByEmail(TenantId tenant_id, std::string_view email) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByEmail(tenant_id, email);
  }
  Result<User> FindByUsername(TenantId tenant_id, std::string_view username) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByUsername(tenant_id, username);
  }
  Result<std::int64_t> CountByTenant(TenantId tenant_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.CountByTenant(tenant_id);
  }
  Result<std::int64_t> Count() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Count();
  }

 private:
  UserRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::Registrations final : public RegistrationRepository {
 public:
  Registrations(RegistrationRepository& base, const Faults& faults)
      : base_(base), faults_(faults) {}
  Result<Registration> Get(UserId user_id, ApplicationId application_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(user_id, application_id);
  }
  Result<std::vector<Registration>> ListByUser(UserId user_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.ListByUser(user_id);
  }

 private:
  RegistrationRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::Keys final : public KeyRepository {
 public:
  Keys(KeyRepository& base, const Faults& faults) : base_(base), faults_(faults) {}
  Result<Key> Get(KeyId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<Key> FindByKid(std::string_view kid) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByKid(kid);
  }
  Result<std::vector<Key>> List() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.List();
  }

 private:
  KeyRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::RefreshTokens final : public RefreshTokenRepository {
 public:
  RefreshTokens(RefreshTokenRepository& base, const Faults& faults)
      : base_(base), faults_(faults) {}
  Result<RefreshToken> Get(RefreshTokenId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<RefreshToken> FindByToken(std::string_view stored_token) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByToken(stored_token);
  }
  Result<RotatedRefreshToken> FindByPreviousToken(std::string_view stored_token) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByPreviousToken(stored_token);
  }
  Result<std::vector<RefreshToken>> ListByUser(UserId user_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.ListByUser(user_id);
  }

 private:
  RefreshTokenRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::UserActions final : public UserActionRepository {
 public:
  UserActions(UserActionRepository& base, const Faults& faults) : base_(base), faults_(faults) {}
  Result<std::vector<UserActionLog>> ListInForce(UserId user_id, Instant now) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.ListInForce(user_id, now);
  }
  Result<std::int64_t> CountLoginFailuresSince(UserId user_id, Instant since) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.CountLoginFailuresSince(user_id, since);
  }
  Result<std::vector<LoginRecord>> ListLoginRecords(UserId user_id, std::size_t limit) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.ListLoginRecords(user_id, limit);
  }

 private:
  UserActionRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::IdentityProviders final : public IdentityProviderRepository {
 public:
  IdentityProviders(IdentityProviderRepository& base, const Faults& faults)
      : base_(base), faults_(faults) {}
  Result<IdentityProvider> Get(IdentityProviderId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<std::vector<IdentityProvider>> List() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.List();
  }
  Result<IdentityProvider> FindByDomain(std::string_view domain,
                                        std::optional<TenantId> tenant_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByDomain(domain, tenant_id);
  }

 private:
  IdentityProviderRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::IdentityProviderLinks final : public IdentityProviderLinkRepository {
 public:
  IdentityProviderLinks(IdentityProviderLinkRepository& base, const Faults& faults)
      : base_(base), faults_(faults) {}
  Result<IdentityProviderLink> Find(IdentityProviderId provider_id, TenantId tenant_id,
                                    std::string_view identity_provider_user_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Find(provider_id, tenant_id, identity_provider_user_id);
  }
  Result<std::vector<IdentityProviderLink>> ListByUser(
      UserId user_id, std::optional<IdentityProviderId> provider_id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.ListByUser(user_id, provider_id);
  }
  Result<StoredPendingIdPLink> FindPending(std::string_view id_digest, Instant now) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindPending(id_digest, now);
  }

 private:
  IdentityProviderLinkRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::ApiKeys final : public ApiKeyRepository {
 public:
  ApiKeys(ApiKeyRepository& base, const Faults& faults) : base_(base), faults_(faults) {}
  Result<ApiKey> Get(ApiKeyId id) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(id);
  }
  Result<ApiKey> FindByKeyDigest(std::string_view key_digest) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.FindByKeyDigest(key_digest);
  }
  Result<std::vector<ApiKey>> List() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.List();
  }
  Result<std::int64_t> Count() override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Count();
  }

 private:
  ApiKeyRepository& base_;
  const Faults& faults_;
};

class FaultInjectingStore::Artefacts final : public ArtefactStore {
 public:
  Artefacts(ArtefactStore& base, const Faults& faults) : base_(base), faults_(faults) {}
  Status Put(const Artefact& artefact, Instant now) override {
    if (faults_.fail_apply_.load()) return Injected();
    return base_.Put(artefact, now);
  }
  Result<Artefact> Get(TenantId tenant_id, std::string_view kind, std::string_view key,
                       Instant now) override {
    if (faults_.fail_reads_.load()) return Injected();
    return base_.Get(tenant_id, kind, key, now);
  }
  Result<ConsumedArtefact> Consume(TenantId tenant_id, std::string_view kind,
                                   std::string_view key, Instant now) override {
    if (faults_.fail_apply_.load()) return Injected();
    return base_.Consume(tenant_id, kind, key, now);
  }
  Result<std::int64_t> RevokeByGrant(TenantId tenant_id, std::string_view grant_id) override {
    if (faults_.fail_apply_.load()) return Injected();
    return base_.RevokeByGrant(tenant_id, grant_id);
  }
  Result<std::int64_t> RevokeByUser(TenantId tenant_id, UserId user_id) override {
    if (faults_.fail_apply_.load()) return Injected();
    return base_.RevokeByUser(tenant_id, user_id);
  }
  Result<std::int64_t> DeleteExpired(Instant now) override {
    if (faults_.fail_apply_.load()) return Injected();
    return base_.DeleteExpired(now);
  }

 private:
  ArtefactStore& base_;
  const Faults& faults_;
};

Result<std::unique_ptr<FaultInjectingStore>> FaultInjectingStore::OpenSqlite(
    SqliteStoreOptions options) {
  auto faults = std::make_shared<Faults>();
  options.fault_injector = faults;
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Store> base, OpenSqliteStore(options));
  return std::unique_ptr<FaultInjectingStore>(
      new FaultInjectingStore(std::move(base), std::move(faults)));
}

FaultInjectingStore::FaultInjectingStore(std::unique_ptr<Store> base)
    : FaultInjectingStore(std::move(base), std::make_shared<Faults>()) {}

FaultInjectingStore::FaultInjectingStore(std::unique_ptr<Store> base,
                                         std::shared_ptr<Faults> faults)
    : base_(std::move(base)),
      faults_(std::move(faults)),
      tenants_(std::make_unique<Tenants>(base_->tenants(), *faults_)),
      applications_(std::make_unique<Applications>(base_->applications(), *faults_)),
      users_(std::make_unique<Users>(base_->users(), *faults_)),
      registrations_(std::make_unique<Registrations>(base_->registrations(), *faults_)),
      keys_(std::make_unique<Keys>(base_->keys(), *faults_)),
      refresh_tokens_(std::make_unique<RefreshTokens>(base_->refresh_tokens(), *faults_)),
      user_actions_(std::make_unique<UserActions>(base_->user_actions(), *faults_)),
      identity_providers_(
          std::make_unique<IdentityProviders>(base_->identity_providers(), *faults_)),
      identity_provider_links_(
          std::make_unique<IdentityProviderLinks>(base_->identity_provider_links(), *faults_)),
      api_keys_(std::make_unique<ApiKeys>(base_->api_keys(), *faults_)),
      artefacts_(std::make_unique<Artefacts>(base_->artefacts(), *faults_)) {}

FaultInjectingStore::~FaultInjectingStore() = default;

void FaultInjectingStore::FailReads(bool fail) noexcept { faults_->fail_reads_.store(fail); }
void FaultInjectingStore::FailApply(bool fail) noexcept { faults_->fail_apply_.store(fail); }
void FaultInjectingStore::FailCommit(bool fail) noexcept { faults_->fail_commit_.store(fail); }

void FaultInjectingStore::FailWriteStatement(std::int64_t n) noexcept {
  faults_->fail_at_statement_.store(faults_->statements_.load() + n);
}

void FaultInjectingStore::ClearFaults() noexcept {
  faults_->fail_reads_.store(false);
  faults_->fail_apply_.store(false);
  faults_->fail_commit_.store(false);
  faults_->fail_at_statement_.store(0);
}

std::int64_t FaultInjectingStore::write_statements() const noexcept {
  return faults_->statements_.load();
}

TenantRepository& FaultInjectingStore::tenants() { return *tenants_; }
ApplicationRepository& FaultInjectingStore::applications() { return *applications_; }
UserRepository& FaultInjectingStore::users() { return *users_; }
RegistrationRepository& FaultInjectingStore::registrations() { return *registrations_; }
KeyRepository& FaultInjectingStore::keys() { return *keys_; }
RefreshTokenRepository& FaultInjectingStore::refresh_tokens() { return *refresh_tokens_; }
UserActionRepository& FaultInjectingStore::user_actions() { return *user_actions_; }
IdentityProviderRepository& FaultInjectingStore::identity_providers() {
  return *identity_providers_;
}
IdentityProviderLinkRepository& FaultInjectingStore::identity_provider_links() {
  return *identity_provider_links_;
}
ApiKeyRepository& FaultInjectingStore::api_keys() { return *api_keys_; }
ArtefactStore& FaultInjectingStore::artefacts() { return *artefacts_; }

Result<std::uint64_t> FaultInjectingStore::ConfigurationGeneration() {
  if (faults_->fail_reads_.load()) return Injected();
  return base_->ConfigurationGeneration();
}

Status FaultInjectingStore::Apply(const WriteBatch& batch) {
  if (faults_->fail_apply_.load()) return Injected();
  return base_->Apply(batch);
}

}  // namespace bulwark::testing
