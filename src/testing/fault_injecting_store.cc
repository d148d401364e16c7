// SPDX-License-Identifier: Apache-2.0
#include "bulwark/testing/fault_injecting_store.h"

#include <atomic>
#include <optional>
#include <utility>
#include <vector>

#include "bulwark/store/fault_injector.h"
#include "store/forwarding_store.h"

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

// Reads fail while fail_reads_ is set; Apply and the artefact writes while fail_apply_ is.
class FaultInjectingStore::Policy {
 public:
  explicit Policy(const Faults& faults) : faults_(faults) {}
  template <typename F>
  auto Read(F&& call) -> decltype(call()) {
    if (faults_.fail_reads_.load()) return Injected();
    return call();
  }
  template <typename F>
  auto Write(F&& call) -> decltype(call()) {
    if (faults_.fail_apply_.load()) return Injected();
    return call();
  }

 private:
  const Faults& faults_;
};

class FaultInjectingStore::View final : public internal::ForwardingStore<Policy> {
 public:
  using ForwardingStore::ForwardingStore;
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
      view_(std::make_unique<View>(*base_, *faults_)) {}

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

TenantRepository& FaultInjectingStore::tenants() { return view_->tenants(); }
ApplicationRepository& FaultInjectingStore::applications() { return view_->applications(); }
UserRepository& FaultInjectingStore::users() { return view_->users(); }
RegistrationRepository& FaultInjectingStore::registrations() { return view_->registrations(); }
KeyRepository& FaultInjectingStore::keys() { return view_->keys(); }
RefreshTokenRepository& FaultInjectingStore::refresh_tokens() { return view_->refresh_tokens(); }
UserActionRepository& FaultInjectingStore::user_actions() { return view_->user_actions(); }
IdentityProviderRepository& FaultInjectingStore::identity_providers() {
  return view_->identity_providers();
}
IdentityProviderLinkRepository& FaultInjectingStore::identity_provider_links() {
  return view_->identity_provider_links();
}
ApiKeyRepository& FaultInjectingStore::api_keys() { return view_->api_keys(); }
ArtefactStore& FaultInjectingStore::artefacts() { return view_->artefacts(); }
Result<std::uint64_t> FaultInjectingStore::ConfigurationGeneration() {
  return view_->ConfigurationGeneration();
}
Status FaultInjectingStore::Apply(const WriteBatch& batch) { return view_->Apply(batch); }

}  // namespace bulwark::testing
