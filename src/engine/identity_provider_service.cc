// SPDX-License-Identifier: Apache-2.0
// IdentityProviderService: provider CRUD and the Lookup API. The login through a provider
// lives in identity_provider_login.cc.
#include "bulwark/identity_provider_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "core/case_folding.h"
#include "engine/context.h"

namespace bulwark {
namespace {

using internal::EngineContext;

// A host name: labels of letters, digits and hyphens, separated by dots. A label may also
// hold non-ASCII characters in UTF-8, as an internationalised domain name's labels do
// ("bücher.example"; no C1 control or no-break space), which are compared case-folded.
// Lengths count bytes.
bool IsDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.front() == '.' || domain.back() == '.' ||
      !internal::IsWellFormedUtf8(domain)) {
    return false;
  }
  std::size_t label = 0;
  for (std::size_t i = 0; i < domain.size(); ++i) {
    const char c = domain[i];
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    // U+0080..U+00A0 are C2 80..C2 A0.
    const bool control_or_space = byte == 0xC2 && static_cast<unsigned char>(domain[i + 1]) <= 0xA0;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || (byte >= 0x80 && !control_or_space);
    if (!ok || ++label > 63) return false;
  }
  return true;
}

// The verification keys of the provider's type, with defaultKeyId / keyId mirrored as the
// first of them (FusionAuth 1.69).
std::vector<KeyId>* VerificationKeys(IdentityProvider& provider, std::optional<KeyId>** mirror) {
  *mirror = nullptr;
  if (auto* jwt = std::get_if<ExternalJwtConfiguration>(&provider.config)) {
    *mirror = &jwt->default_key_id;
    return &jwt->verification_key_ids;
  }
  if (auto* saml = std::get_if<SamlV2IdpConfiguration>(&provider.config)) {
    *mirror = &saml->key_id;
    return &saml->verification_key_ids;
  }
  if (auto* initiated = std::get_if<SamlV2IdpInitiatedConfiguration>(&provider.config)) {
    *mirror = &initiated->key_id;
    return &initiated->verification_key_ids;
  }
  return nullptr;
}

// Normalises and validates a provider for Create and Update (everything but the store's own
// rules).
Status Prepare(EngineContext& ctx, IdentityProvider& provider) {
  Errors errors = Validate(provider);
  if (provider.linking_strategy == LinkingStrategy::kUnsupported) {
    errors.AddField("invalid", "identityProvider.linkingStrategy",
                    "Unsupported is not a linking strategy.");
  }
  // Domains: host names, stored case-folded, each once.
  std::vector<std::string> domains;
  for (const std::string& domain : provider.domains) {
    if (!IsDomain(domain)) {
      errors.AddField("invalid", "identityProvider.domains",
                      "A domain must be a host name such as piedpiper.com.");
      break;
    }
    std::string lower = internal::CaseFold(domain);
    if (std::find(domains.begin(), domains.end(), lower) == domains.end()) {
      domains.push_back(std::move(lower));
    }
  }
  provider.domains = std::move(domains);
  // Verification keys: exist and can verify.
  std::optional<KeyId>* mirror = nullptr;
  if (std::vector<KeyId>* keys = VerificationKeys(provider, &mirror)) {
    if (mirror->has_value() && std::find(keys->begin(), keys->end(), **mirror) == keys->end()) {
      keys->insert(keys->begin(), **mirror);
    }
    if (!keys->empty()) *mirror = keys->front();
    for (const KeyId& id : *keys) {
      Result<internal::ForeignVerificationKey> key = ctx.signing_keys.ForVerification(ctx, id);
      if (key.ok()) continue;
      if (key.status().code() != StatusCode::kNotFound &&
          key.status().code() != StatusCode::kFailedPrecondition) {
        return key.status();
      }
      errors.AddField("invalid", "identityProvider.verificationKeyIds",
                      "The key " + id.ToString() + " does not exist or cannot verify.");
    }
  }
  if (provider.reconcile_lambda_id.has_value() &&
      !ctx.reconcile_lambdas.contains(*provider.reconcile_lambda_id)) {
    errors.AddField("invalid", "identityProvider.lambdaConfiguration.reconcileId",
                    "No reconcile callback is registered under this id.");
  }
  if (const auto* oidc = std::get_if<OpenIdConnectConfiguration>(&provider.config)) {
    if (oidc->oauth2.issuer.empty() && oidc->oauth2.token_endpoint.empty()) {
      errors.AddField("blank", "identityProvider.oauth2.token_endpoint",
                      "You must specify the [identityProvider.oauth2.token_endpoint] property, "
                      "or [identityProvider.oauth2.issuer] for discovery.");
    }
  }
  for (const auto& [application_id, config] : provider.application_configuration) {
    Result<Application> app = ctx.LoadApplication(application_id);
    if (app.ok()) {
      if (provider.tenant_id.has_value() && app->tenant_id != *provider.tenant_id) {
        errors.AddField(
            "invalid", "identityProvider.applicationConfiguration",
            "The application " + application_id.ToString() + " is not in the provider's tenant.");
      }
      continue;
    }
    if (app.status().code() != StatusCode::kNotFound) return app.status();
    errors.AddField("invalid", "identityProvider.applicationConfiguration",
                    "The application " + application_id.ToString() + " does not exist.");
  }
  std::set<TenantId> tenants;
  for (const auto& [tenant_id, config] : provider.tenant_configuration) tenants.insert(tenant_id);
  for (const TenantId& tenant_id : tenants) {
    Result<Tenant> tenant = ctx.LoadTenant(tenant_id);
    if (tenant.ok()) continue;
    if (tenant.status().code() != StatusCode::kNotFound) return tenant.status();
    errors.AddField("invalid", "identityProvider.tenantConfiguration",
                    "The tenant " + tenant_id.ToString() + " does not exist.");
  }
  if (!errors.empty()) return Status::Validation(std::move(errors));
  return Status::Ok();
}

Status ProviderNotFound(const Status& status) {
  if (status.code() != StatusCode::kNotFound) return status;
  return Status::NotFound("the identity provider does not exist");
}

}  // namespace


Result<IdentityProvider> IdentityProviderService::Create(IdentityProvider provider) {
  if (provider.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(provider.id, ctx_.NewId<IdentityProviderId>());
  }
  BULWARK_RETURN_IF_ERROR(Prepare(ctx_, provider));
  const Instant now = ctx_.Now();
  provider.insert_instant = now;
  provider.last_update_instant = now;
  WriteBatch batch;
  batch.Insert(provider);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  return provider;
}

Result<IdentityProvider> IdentityProviderService::Retrieve(IdentityProviderId id) {
  Result<IdentityProvider> provider = ctx_.LoadIdentityProvider(id);
  if (!provider.ok()) return ProviderNotFound(provider.status());
  return provider;
}

Result<std::vector<IdentityProvider>> IdentityProviderService::RetrieveAll(
    std::optional<IdentityProviderType> type) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<IdentityProvider> providers,
                           ctx_.store->identity_providers().List());
  if (type.has_value()) {
    std::erase_if(providers, [&](const IdentityProvider& p) { return p.type != *type; });
  }
  return providers;
}

Result<IdentityProvider> IdentityProviderService::Update(IdentityProvider provider) {
  Result<IdentityProvider> stored = ctx_.store->identity_providers().Get(provider.id);
  if (!stored.ok()) return ProviderNotFound(stored.status());
  if (provider.type != stored->type) {
    return Status::FieldError("invalid", "identityProvider.type",
                              "The type of an identity provider cannot change.");
  }
  if (provider.tenant_id != stored->tenant_id) {
    return Status::FieldError("invalid", "identityProvider.tenantId",
                              "The tenant of an identity provider cannot change.");
  }
  BULWARK_RETURN_IF_ERROR(Prepare(ctx_, provider));
  provider.insert_instant = stored->insert_instant;
  provider.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(provider);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.oidc_cache.Clear();
  return provider;
}

Status IdentityProviderService::Delete(IdentityProviderId id) {
  WriteBatch batch;
  batch.Delete(id);
  Status status = ctx_.Apply(batch);
  if (!status.ok()) return ProviderNotFound(status);
  ctx_.oidc_cache.Clear();
  return status;
}

Result<IdentityProviderLookup> IdentityProviderService::Lookup(std::string_view domain_or_email,
                                                               std::optional<TenantId> tenant_id) {
  std::string_view domain = domain_or_email;
  if (const std::size_t at = domain.rfind('@'); at != std::string_view::npos) {
    domain = domain.substr(at + 1);
  }
  if (domain.empty()) return Status::NotFound("no identity provider manages the domain");
  // Managed domains are compared case-folded (Unicode simple folding), as the store keeps
  // them: BÜCHER.example is bücher.example.
  BULWARK_ASSIGN_OR_RETURN(IdentityProvider provider, ctx_.store->identity_providers().FindByDomain(
                                                          internal::CaseFold(domain), tenant_id));
  if (!provider.enabled) return Status::NotFound("no identity provider manages the domain");
  IdentityProviderLookup out;
  out.id = provider.id;
  out.name = provider.name;
  out.type = provider.type;
  for (const auto& [application_id, config] : provider.application_configuration) {
    if (config.enabled) out.application_ids.push_back(application_id);
  }
  if (const auto* jwt = std::get_if<ExternalJwtConfiguration>(&provider.config)) {
    out.authorization_endpoint = jwt->oauth2.authorization_endpoint;
    out.token_endpoint = jwt->oauth2.token_endpoint;
  } else if (const auto* oidc = std::get_if<OpenIdConnectConfiguration>(&provider.config)) {
    out.authorization_endpoint = oidc->oauth2.authorization_endpoint;
    out.token_endpoint = oidc->oauth2.token_endpoint;
  } else if (const auto* saml = std::get_if<SamlV2IdpConfiguration>(&provider.config)) {
    out.idp_endpoint = saml->idp_endpoint;
  }
  out.tenant_id = provider.tenant_id;
  out.insert_instant = provider.insert_instant;
  out.last_update_instant = provider.last_update_instant;
  return out;
}


}  // namespace bulwark
