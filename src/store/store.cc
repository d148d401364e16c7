// SPDX-License-Identifier: Apache-2.0
// Out-of-line virtual destructors: they anchor each interface's vtable in the library.
#include "bulwark/store/store.h"

#include "bulwark/store/fault_injector.h"
#include "bulwark/store/repositories.h"

namespace bulwark {
namespace {

// What Store::artefacts() gives a Store that has none. Stateless, hence thread-safe.
class NoArtefacts final : public ArtefactStore {
 public:
  Status Put(const Artefact&, Instant) override { return Missing(); }
  Result<Artefact> Get(TenantId, std::string_view, std::string_view, Instant) override {
    return Missing();
  }
  Result<ConsumedArtefact> Consume(TenantId, std::string_view, std::string_view,
                                   Instant) override {
    return Missing();
  }
  Result<std::int64_t> RevokeByGrant(TenantId, std::string_view) override { return Missing(); }
  Result<std::int64_t> RevokeByUser(TenantId, UserId) override { return Missing(); }
  Result<std::int64_t> DeleteExpired(Instant) override { return Missing(); }

 private:
  static Status Missing() {
    return Status::Unimplemented("this Store keeps no artefacts (Store::artefacts)");
  }
};

}  // namespace

ArtefactStore& Store::artefacts() {
  static NoArtefacts none;
  return none;
}

Result<std::uint64_t> Store::ConfigurationGeneration() {
  return Status::Unimplemented("this Store keeps no configuration generation");
}

ArtefactStore::~ArtefactStore() = default;

TenantRepository::~TenantRepository() = default;
ApplicationRepository::~ApplicationRepository() = default;
UserRepository::~UserRepository() = default;
RegistrationRepository::~RegistrationRepository() = default;
KeyRepository::~KeyRepository() = default;
RefreshTokenRepository::~RefreshTokenRepository() = default;
UserActionRepository::~UserActionRepository() = default;
IdentityProviderRepository::~IdentityProviderRepository() = default;
IdentityProviderLinkRepository::~IdentityProviderLinkRepository() = default;
ApiKeyRepository::~ApiKeyRepository() = default;
Store::~Store() = default;
StoreFaultInjector::~StoreFaultInjector() = default;

}  // namespace bulwark
