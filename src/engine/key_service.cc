// SPDX-License-Identifier: Apache-2.0
#include "bulwark/key_service.h"

#include <algorithm>
#include <utility>

#include "bulwark/crypto/jwk.h"
#include "bulwark/crypto/key_master.h"
#include "bulwark/model/key_references.h"
#include "engine/context.h"

namespace bulwark {
namespace {

// What a retrieval shows: never private material.
Key Public(Key key) {
  key.has_private_key = key.has_private_key || !key.private_key.empty();
  key.private_key = SecretString();
  key.secret = SecretString();
  return key;
}

}  // namespace

Result<Key> KeyService::Generate(Key request) {
  if (request.name.empty()) {
    return Status::FieldError("blank", "key.name", "You must specify the [key.name] property.");
  }
  if (request.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(request.id, ctx_.NewId<KeyId>());
  }
  if (request.issuer.empty()) {
    BULWARK_ASSIGN_OR_RETURN(Tenant tenant, ctx_.LoadTenant(ctx_.default_tenant_id));
    request.issuer = tenant.issuer;
  }
  const Instant now = ctx_.Now();
  request.insert_instant = now;
  request.last_update_instant = now;
  BULWARK_ASSIGN_OR_RETURN(Key key, GenerateKey(request, *ctx_.random, now));
  WriteBatch batch;
  batch.Insert(key);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return Public(std::move(key));
}

Result<Key> KeyService::Import(Key request) {
  if (request.name.empty()) {
    return Status::FieldError("blank", "key.name", "You must specify the [key.name] property.");
  }
  if (request.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(request.id, ctx_.NewId<KeyId>());
  }
  const Instant now = ctx_.Now();
  BULWARK_ASSIGN_OR_RETURN(Key key, ImportKey(request, *ctx_.random));
  key.insert_instant = now;
  key.last_update_instant = now;
  WriteBatch batch;
  batch.Insert(key);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return Public(std::move(key));
}

Result<Key> KeyService::Retrieve(KeyId id) {
  BULWARK_ASSIGN_OR_RETURN(Key key, ctx_.store->keys().Get(id));
  return Public(std::move(key));
}

Result<std::vector<Key>> KeyService::RetrieveAll() {
  BULWARK_ASSIGN_OR_RETURN(std::vector<Key> keys, ctx_.store->keys().List());
  for (Key& key : keys) key = Public(std::move(key));
  return keys;
}

Result<Key> KeyService::Update(KeyId id, std::string name) {
  if (name.empty()) {
    return Status::FieldError("blank", "key.name", "You must specify the [key.name] property.");
  }
  BULWARK_ASSIGN_OR_RETURN(Key key, ctx_.store->keys().Get(id));
  key.name = std::move(name);
  key.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(key);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return Public(std::move(key));
}

Status KeyService::Delete(KeyId id) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<KeyUse> uses, RetrieveUses());
  auto use = std::find_if(uses.begin(), uses.end(), [&](const KeyUse& u) { return u.key_id == id; });
  if (use != uses.end()) {
    return Status::FieldError(
        "inUse", "keyId",
        use->identity_provider_id.has_value()
            ? "The key verifies, signs or decrypts for the identity provider " +
                  use->identity_provider_id->ToString() + "."
            : "The key signs or verifies tokens for a tenant or an application.");
  }
  WriteBatch batch;
  batch.Delete(id);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.signing_keys.Forget(id);
  return Status::Ok();
}

Result<std::vector<KeyUse>> KeyService::RetrieveUses() {
  std::vector<KeyUse> uses;
  BULWARK_ASSIGN_OR_RETURN(std::vector<Tenant> tenants, ctx_.store->tenants().List());
  for (const Tenant& tenant : tenants) {
    for (const KeyReference& ref : KeysNamedBy(tenant)) {
      uses.push_back({.key_id = ref.key_id, .tenant_id = tenant.id});
    }
    BULWARK_ASSIGN_OR_RETURN(std::vector<Application> apps,
                             ctx_.store->applications().ListByTenant(tenant.id));
    for (const Application& app : apps) {
      for (const KeyReference& ref : KeysNamedBy(app)) {
        uses.push_back({.key_id = ref.key_id, .tenant_id = tenant.id, .application_id = app.id});
      }
    }
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<IdentityProvider> providers,
                           ctx_.store->identity_providers().List());
  for (const IdentityProvider& provider : providers) {
    for (const KeyReference& ref : KeysNamedBy(provider)) {
      uses.push_back({.key_id = ref.key_id,
                      .tenant_id = provider.tenant_id,
                      .identity_provider_id = provider.id});
    }
  }
  return uses;
}

Result<nlohmann::json> KeyService::Jwks() {
  BULWARK_ASSIGN_OR_RETURN(std::vector<Key> keys, ctx_.store->keys().List());
  for (Key& key : keys) key = Public(std::move(key));
  return ToJwks(keys);
}

}  // namespace bulwark
