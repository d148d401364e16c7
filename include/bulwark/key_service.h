// SPDX-License-Identifier: Apache-2.0
//
// KeyService: Key Master (FusionAuth's /api/key and the public-key endpoints). Obtain it
// from Engine::keys(). Keys are generated or imported by crypto/key_master.h and stored;
// private material (privateKey, secret) is never returned by this service.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation.
#ifndef BULWARK_KEY_SERVICE_H_
#define BULWARK_KEY_SERVICE_H_

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/model/key.h"
#include "bulwark/result.h"

namespace bulwark {

namespace internal {
struct EngineContext;
}  // namespace internal

// One object naming a Key Master key (model/key_references.h says which of its members).
struct KeyUse {
  KeyId key_id;
  // The tenant of the object; nullopt only for a global identity provider.
  std::optional<TenantId> tenant_id = std::nullopt;
  std::optional<ApplicationId> application_id = std::nullopt;               // an application's
  std::optional<IdentityProviderId> identity_provider_id = std::nullopt;     // a provider's

  friend bool operator==(const KeyUse&, const KeyUse&) = default;
};

class BULWARK_EXPORT KeyService {
 public:
  KeyService(const KeyService&) = delete;
  KeyService& operator=(const KeyService&) = delete;

  // POST /api/key/generate: `request` names the algorithm, name, length (RSA) and optionally
  // id, kid and issuer (default: the default tenant's issuer). Field errors as GenerateKey;
  // [duplicate]key.name / key.kid / key.id from the store.
  Result<Key> Generate(Key request);
  // POST /api/key/import: any of certificate, publicKey, privateKey, secret.
  Result<Key> Import(Key request);
  // Without privateKey and secret (hasPrivateKey tells whether there is one).
  Result<Key> Retrieve(KeyId id);
  Result<std::vector<Key>> RetrieveAll();
  // PUT /api/key/{id}: only the name changes (FusionAuth's rule). kNotFound when missing.
  Result<Key> Update(KeyId id, std::string name);
  // [inUse]keyId (kInvalidArgument) while a tenant, an application or an identity provider
  // names the key (KeysNamedBy); kNotFound when it does not exist.
  Status Delete(KeyId id);
  // Every tenant, application and identity provider that names a key, by key: what tells
  // whose a key is. One read of every tenant, application and provider.
  Result<std::vector<KeyUse>> RetrieveUses();
  // GET /.well-known/jwks.json: {"keys": [JWK...]} with every asymmetric public key.
  Result<nlohmann::json> Jwks();

 private:
  friend class Engine;
  explicit KeyService(internal::EngineContext& context) : ctx_(context) {}
  internal::EngineContext& ctx_;
};

}  // namespace bulwark

#endif  // BULWARK_KEY_SERVICE_H_
