// SPDX-License-Identifier: Apache-2.0
#include "engine/signing_keys.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "bulwark/crypto/key_master.h"
#include "engine/context.h"

namespace bulwark::internal {

Result<SigningKey> SigningKeys::ForAccessToken(EngineContext& ctx, const Tenant& tenant,
                                               const Application* application) {
  std::optional<KeyId> id;
  if (application != nullptr && application->jwt_configuration.enabled) {
    id = application->jwt_configuration.access_token_key_id;
  }
  if (!id.has_value()) id = tenant.jwt_configuration.access_token_key_id;
  if (!id.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(KeyId made, DefaultKey(ctx, tenant));
    id = made;
  }
  return Signing(ctx, *id);
}

Result<SigningKey> SigningKeys::ForIdToken(EngineContext& ctx, const Tenant& tenant,
                                           const Application* application) {
  std::optional<KeyId> id;
  if (application != nullptr && application->jwt_configuration.enabled) {
    id = application->jwt_configuration.id_token_key_id;
  }
  if (!id.has_value()) id = tenant.jwt_configuration.id_token_key_id;
  if (!id.has_value()) {
    std::lock_guard<std::mutex> lock(default_mu_);
    BULWARK_ASSIGN_OR_RETURN(KeyId made, FindOrGenerateDefaultKey(ctx, tenant.issuer));
    id = made;
  }
  return Signing(ctx, *id);
}

namespace {

bool Contains(const std::vector<KeyId>& ids, KeyId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Whether `config` names `id` as its access-token key or an access-token verification key.
bool NamesForAccessTokens(const JwtConfiguration& config, KeyId id) {
  return config.access_token_key_id == id || Contains(config.access_token_verification_key_ids, id);
}

// Every tenant and application whose jwtConfiguration names `id` for access tokens;
// applications count only while their jwtConfiguration is enabled (only then do they sign).
Result<std::vector<AccessTokenKeyOwner>> Owners(EngineContext& ctx, KeyId id) {
  std::vector<AccessTokenKeyOwner> owners;
  BULWARK_ASSIGN_OR_RETURN(std::vector<Tenant> tenants, ctx.store->tenants().List());
  for (const Tenant& tenant : tenants) {
    if (NamesForAccessTokens(tenant.jwt_configuration, id)) {
      owners.push_back({.tenant = tenant.id, .application = std::nullopt});
    }
    BULWARK_ASSIGN_OR_RETURN(std::vector<Application> apps,
                             ctx.store->applications().ListByTenant(tenant.id));
    for (const Application& app : apps) {
      if (app.jwt_configuration.enabled && NamesForAccessTokens(app.jwt_configuration, id)) {
        owners.push_back({.tenant = tenant.id, .application = app.id});
      }
    }
  }
  return owners;
}

}  // namespace

bool AccessTokenKey::Serves(TenantId tenant, std::optional<ApplicationId> application) const {
  return std::any_of(owners.begin(), owners.end(), [&](const AccessTokenKeyOwner& owner) {
    return owner.tenant == tenant &&
           (!owner.application.has_value() || owner.application == application);
  });
}

Result<SigningKey> SigningKeys::Signing(EngineContext& ctx, KeyId id) {
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = signing_.find(id);
    if (it != signing_.end()) return it->second;
    generation = generation_;
  }
  Result<Key> key = ctx.store->keys().Get(id);
  if (!key.ok()) {
    if (key.status().code() == StatusCode::kNotFound) {
      return Status::FailedPrecondition("the signing key " + id.ToString() + " does not exist");
    }
    return key.status();
  }
  Result<SigningKey> parsed = SigningKey::FromKey(*key);
  if (!parsed.ok()) {
    return Status::FailedPrecondition("the signing key " + id.ToString() +
                                      " cannot sign: " + parsed.status().message());
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) signing_.insert_or_assign(id, *parsed);
  return parsed;
}

Result<AccessTokenKey> SigningKeys::AccessTokenKeyByKid(EngineContext& ctx, std::string_view kid) {
  if (kid.empty()) return Status::NotFound("the token names no key");
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_kid_.find(kid);
    if (it != by_kid_.end()) return it->second;
    generation = generation_;
  }
  BULWARK_ASSIGN_OR_RETURN(Key key, ctx.store->keys().FindByKid(kid));
  BULWARK_ASSIGN_OR_RETURN(std::vector<AccessTokenKeyOwner> owners, Owners(ctx, key.id));
  if (owners.empty()) return Status::NotFound("the key does not sign access tokens");
  Result<VerificationKey> parsed = VerificationKey::FromKey(key);
  if (!parsed.ok()) return Status::NotFound("the key cannot verify tokens");
  AccessTokenKey out{.key = *std::move(parsed), .id = key.id, .owners = std::move(owners)};
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) {
    by_kid_.insert_or_assign(std::string(kid), out);
    kid_of_.insert_or_assign(key.id, std::string(kid));
  }
  return out;
}

Result<ForeignVerificationKey> SigningKeys::ForVerification(EngineContext& ctx, KeyId id) {
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = verifying_.find(id);
    if (it != verifying_.end()) return it->second;
    generation = generation_;
  }
  BULWARK_ASSIGN_OR_RETURN(Key key, ctx.store->keys().Get(id));
  Result<VerificationKey> parsed = VerificationKey::FromKey(key);
  if (!parsed.ok()) {
    return Status::FailedPrecondition("the key " + id.ToString() +
                                      " cannot verify: " + parsed.status().message());
  }
  ForeignVerificationKey out{.key = *std::move(parsed), .kid = key.kid, .x5t = {}};
  if (key.certificate_information.has_value()) {
    out.x5t = key.certificate_information->sha1_thumbprint;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) verifying_.insert_or_assign(id, out);
  return out;
}

void SigningKeys::Forget(KeyId id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  signing_.erase(id);
  verifying_.erase(id);
  auto it = kid_of_.find(id);
  if (it != kid_of_.end()) {
    by_kid_.erase(it->second);
    kid_of_.erase(it);
  }
}

void SigningKeys::ForgetAll() {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  signing_.clear();
  verifying_.clear();
  by_kid_.clear();
  kid_of_.clear();
}

void SigningKeys::ReferencesChanged() {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  by_kid_.clear();
  kid_of_.clear();
}

Result<KeyId> SigningKeys::DefaultKey(EngineContext& ctx, const Tenant& tenant) {
  std::lock_guard<std::mutex> lock(default_mu_);
  // Another thread may have recorded one meanwhile.
  BULWARK_ASSIGN_OR_RETURN(Tenant current, ctx.store->tenants().Get(tenant.id));
  if (current.jwt_configuration.access_token_key_id.has_value()) {
    return *current.jwt_configuration.access_token_key_id;
  }
  BULWARK_ASSIGN_OR_RETURN(KeyId existing, FindOrGenerateDefaultKey(ctx, current.issuer));
  WriteBatch batch;
  // Only the key id changes, inside the write: a concurrent tenant update is not undone.
  batch.SetAccessTokenKey(tenant.id, existing);
  Status applied = ctx.Apply(batch);
  ReferencesChanged();
  // Whatever happened (another process may have made it first), the tenant now decides.
  BULWARK_ASSIGN_OR_RETURN(Tenant again, ctx.store->tenants().Get(tenant.id));
  if (again.jwt_configuration.access_token_key_id.has_value()) {
    return *again.jwt_configuration.access_token_key_id;
  }
  return applied.ok() ? Status::Internal("the default signing key was not recorded") : applied;
}

Result<KeyId> SigningKeys::FindOrGenerateDefaultKey(EngineContext& ctx, const std::string& issuer) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<Key> keys, ctx.store->keys().List());
  for (const Key& key : keys) {
    if (key.name == kDefaultSigningKeyName) return key.id;
  }
  Key request;
  BULWARK_ASSIGN_OR_RETURN(request.id, ctx.NewId<KeyId>());
  request.name = std::string(kDefaultSigningKeyName);
  request.algorithm = KeyAlgorithm::kRs256;
  request.length = 2048;
  request.issuer = issuer;
  const Instant now = ctx.Now();
  request.insert_instant = now;
  request.last_update_instant = now;
  BULWARK_ASSIGN_OR_RETURN(Key made, GenerateKey(request, *ctx.random, now));
  const KeyId id = made.id;
  WriteBatch batch;
  batch.Insert(std::move(made));
  ctx.Log(LogLevel::kInfo, "generating the default signing key (RS256)");
  Status applied = ctx.Apply(batch);
  if (applied.ok()) return id;
  // Another process may have made it first (the name is unique): prefer what is stored.
  BULWARK_ASSIGN_OR_RETURN(keys, ctx.store->keys().List());
  for (const Key& key : keys) {
    if (key.name == kDefaultSigningKeyName) return key.id;
  }
  return applied;
}

}  // namespace bulwark::internal
