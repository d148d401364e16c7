// SPDX-License-Identifier: Apache-2.0
//
// FaultInjectingStore: a Store that forwards to another and fails on command, so that tests
// prove every storage failure surfaces as its documented Status and leaves no partial state
// (leveldb's ErrorEnv / SpecialEnv). It can fail reads, whole Applies, the commit, and — the
// case that matters most — the N-th write statement INSIDE an Apply, after earlier statements
// of the same batch have run.
//
//   auto store = bulwark::testing::FaultInjectingStore::OpenSqlite({.path = ":memory:"});
//   (*store)->FailWriteStatement(3);
//   Status s = (*store)->Apply(batch);   // kUnavailable "injected fault"; nothing written
//
// Every injected failure is kUnavailable with the message "injected fault". Faults stay set
// until cleared, except FailWriteStatement, which fires once.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation; faults may be set from any thread while others use the store.
#ifndef BULWARK_TESTING_FAULT_INJECTING_STORE_H_
#define BULWARK_TESTING_FAULT_INJECTING_STORE_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "bulwark/result.h"
#include "bulwark/status.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/store/store.h"

namespace bulwark::testing {

class FaultInjectingStore final : public Store {
 public:
  /// Opens a SqliteStore (OpenSqliteStore's outcomes) whose write statements this wrapper can
  /// fail; options.fault_injector is replaced by the wrapper's own.
  static Result<std::unique_ptr<FaultInjectingStore>> OpenSqlite(SqliteStoreOptions options);

  /// Wraps any store. Only FailReads and FailApply reach it: failing statements inside Apply
  /// needs a store opened with this wrapper's injector (OpenSqlite).
  explicit FaultInjectingStore(std::unique_ptr<Store> base);
  ~FaultInjectingStore() override;

  /// Every repository method, ArtefactStore::Get and ConfigurationGeneration fail while set.
  void FailReads(bool fail) noexcept;
  /// Apply, and every ArtefactStore call that writes, fails before touching the wrapped store
  /// while set.
  void FailApply(bool fail) noexcept;
  /// The n-th write statement (1-based, counted from this call, across Applies) fails, once.
  /// REQUIRES: n >= 1.
  void FailWriteStatement(std::int64_t n) noexcept;
  /// Every commit fails, after all of the batch's statements ran, while set.
  void FailCommit(bool fail) noexcept;
  /// Clears every fault.
  void ClearFaults() noexcept;

  /// Write statements the wrapped store has reached since this wrapper was created, failed
  /// ones included. Always 0 for a store opened without the wrapper's injector.
  std::int64_t write_statements() const noexcept;

  /// The wrapped store, to inspect state without faults. Lives as long as this wrapper.
  Store& base() noexcept { return *base_; }

  std::string_view Name() const override { return base_->Name(); }
  int SchemaVersion() const override { return base_->SchemaVersion(); }
  TenantRepository& tenants() override;
  ApplicationRepository& applications() override;
  UserRepository& users() override;
  RegistrationRepository& registrations() override;
  KeyRepository& keys() override;
  RefreshTokenRepository& refresh_tokens() override;
  UserActionRepository& user_actions() override;
  IdentityProviderRepository& identity_providers() override;
  IdentityProviderLinkRepository& identity_provider_links() override;
  ApiKeyRepository& api_keys() override;
  ArtefactStore& artefacts() override;
  /// Fails while FailReads is set.
  Result<std::uint64_t> ConfigurationGeneration() override;
  Status Apply(const WriteBatch& batch) override;

 private:
  class Faults;  // the fault plan
  class Policy;  // the faults, applied to each forwarded call
  class View;    // the wrapped store seen through Policy

  FaultInjectingStore(std::unique_ptr<Store> base, std::shared_ptr<Faults> faults);

  std::unique_ptr<Store> base_;
  std::shared_ptr<Faults> faults_;
  std::unique_ptr<View> view_;
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTING_FAULT_INJECTING_STORE_H_
