// SPDX-License-Identifier: Apache-2.0
// Out-of-line virtual destructors: they anchor each interface's vtable in the library.
#include "bulwark/store/store.h"

#include "bulwark/store/fault_injector.h"
#include "bulwark/store/repositories.h"

namespace bulwark {

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
