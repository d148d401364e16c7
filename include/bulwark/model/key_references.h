// SPDX-License-Identifier: Apache-2.0
//
// The Key Master keys an object names: every key id in a tenant's, an application's or an
// identity provider's configuration (JWT signing and verification, SAML signing,
// verification, encryption and decryption), with the member that names it. Used to tell
// which tenant a key serves (a key named by a tenant's objects is that tenant's), to refuse
// deleting a key in use, and to keep a tenant-scoped caller from borrowing another tenant's
// key.
//
// Pure functions over value types: safe to call from any thread.
#ifndef BULWARK_MODEL_KEY_REFERENCES_H_
#define BULWARK_MODEL_KEY_REFERENCES_H_

#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/application.h"
#include "bulwark/model/identity_provider.h"
#include "bulwark/model/tenant.h"

namespace bulwark {

struct KeyReference {
  KeyId key_id;
  // The member naming it, as a FusionAuth JSON path inside the object, e.g.
  // "jwtConfiguration.accessTokenKeyId" or "samlv2Configuration.verificationKeyIds".
  std::string_view member;
};

// In the order the configuration lists them; a key named by two members appears twice.
BULWARK_EXPORT std::vector<KeyReference> KeysNamedBy(const Tenant& tenant);
BULWARK_EXPORT std::vector<KeyReference> KeysNamedBy(const Application& application);
BULWARK_EXPORT std::vector<KeyReference> KeysNamedBy(const IdentityProvider& provider);

}  // namespace bulwark

#endif  // BULWARK_MODEL_KEY_REFERENCES_H_
