// SPDX-License-Identifier: Apache-2.0
// Private: the Engine's parsed Key Master keys. Parsing PEM costs more than a signature, so
// SigningKey / VerificationKey objects are built once per key and kept until the key changes
// (KeyService calls Forget) or the store's configuration generation moves (ForgetAll).
//
// Thread-safe.
#ifndef BULWARK_ENGINE_SIGNING_KEYS_H_
#define BULWARK_ENGINE_SIGNING_KEYS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/crypto/jws_key.h"
#include "bulwark/ids.h"
#include "bulwark/model/application.h"
#include "bulwark/model/tenant.h"
#include "bulwark/result.h"

namespace bulwark::internal {

struct EngineContext;

// The name of the key generated on first use when a tenant names no access-token key.
inline constexpr std::string_view kDefaultSigningKeyName = "Default signing key";

// One tenant's or application's jwtConfiguration naming a key for access tokens (as its
// access-token key or an access-token verification key). `application` is set when an
// application names it; an application counts only while its jwtConfiguration is enabled,
// as only then does it sign with its own key.
struct AccessTokenKeyOwner {
  TenantId tenant;
  std::optional<ApplicationId> application;
};

// A key that verifies access tokens, with every tenant and application that names it: a
// token it verifies is ours only when its `tid` (and `applicationId`) is among them.
struct AccessTokenKey {
  VerificationKey key;
  KeyId id;
  std::vector<AccessTokenKeyOwner> owners;

  // True when `tenant`, or its application `application`, names the key.
  bool Serves(TenantId tenant, std::optional<ApplicationId> application) const;
};

// A stored key that verifies foreign tokens (an identity provider's verification key), with
// what a token header may name it by.
struct ForeignVerificationKey {
  VerificationKey key;
  std::string kid;
  std::string x5t;  // the certificate's SHA-1 thumbprint; empty without a certificate
};

class SigningKeys {
 public:
  // The key that signs access tokens for `application` (may be null) in `tenant`: the
  // application's accessTokenKeyId when its jwtConfiguration is enabled, else the tenant's,
  // else the default signing key (an RS256 key generated on first use and recorded as the
  // tenant's accessTokenKeyId).
  Result<SigningKey> ForAccessToken(EngineContext& ctx, const Tenant& tenant,
                                    const Application* application);
  // The key that signs OpenID Connect id tokens for `application` in `tenant`: the
  // application's idTokenKeyId when its jwtConfiguration is enabled, else the tenant's, else
  // the default signing key (the RS256 key above, generated on first use; not recorded on
  // the tenant).
  Result<SigningKey> ForIdToken(EngineContext& ctx, const Tenant& tenant,
                                const Application* application);
  Result<SigningKey> Signing(EngineContext& ctx, KeyId id);
  // The verification key for access tokens whose kid is `kid`: a stored key that some tenant
  // or application names as its access-token key or an access-token verification key (so
  // that an identity provider's key, also kept in Key Master, cannot vouch for our tokens),
  // with the tenants and applications that name it. kNotFound otherwise.
  Result<AccessTokenKey> AccessTokenKeyByKid(EngineContext& ctx, std::string_view kid);
  // The stored key `id`, parsed for verifying (identity providers' keys). kNotFound when it
  // does not exist; kFailedPrecondition when it cannot verify.
  Result<ForeignVerificationKey> ForVerification(EngineContext& ctx, KeyId id);
  // Drops a key from the cache (after it was changed or deleted). A lookup that was reading
  // the store while Forget ran does not put the old key back.
  void Forget(KeyId id);
  // Drops what was learnt about which tenants and applications name which keys: called after
  // every write of a tenant or an application (their jwtConfiguration may have changed).
  void ReferencesChanged();
  // Drops everything (the store's configuration generation moved: another Engine or process
  // may have changed any key or reference).
  void ForgetAll();

 private:
  Result<KeyId> DefaultKey(EngineContext& ctx, const Tenant& tenant);
  // The key named kDefaultSigningKeyName, generated (RS256) when there is none; the caller
  // holds default_mu_. `issuer` is the generated key's issuer.
  Result<KeyId> FindOrGenerateDefaultKey(EngineContext& ctx, const std::string& issuer);

  std::mutex mu_;
  std::uint64_t generation_ = 0;  // bumped by Forget, under mu_
  std::map<KeyId, SigningKey> signing_;
  std::map<std::string, AccessTokenKey, std::less<>> by_kid_;
  std::map<KeyId, std::string> kid_of_;
  std::map<KeyId, ForeignVerificationKey> verifying_;
  std::mutex default_mu_;  // serialises creating the default key
};

}  // namespace bulwark::internal

#endif  // BULWARK_ENGINE_SIGNING_KEYS_H_
