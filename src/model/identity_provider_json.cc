// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <string>
#include <utility>

#include "bulwark/model/identity_provider.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

// Members every provider has; the rest belong to the provider's type.
constexpr std::string_view kCommonMembers[] = {"id",
                                               "name",
                                               "type",
                                               "enabled",
                                               "debug",
                                               "data",
                                               "source",
                                               "linkingStrategy",
                                               "applicationConfiguration",
                                               "tenantConfiguration",
                                               "lambdaConfiguration",
                                               "tenantId",
                                               "domains",
                                               "insertInstant",
                                               "lastUpdateInstant"};

}  // namespace

namespace {

// ---- oauth2 ----

void ReadOAuth2(ObjectReader& r, IdentityProviderOAuth2Configuration& v) {
  r.String("authorization_endpoint", v.authorization_endpoint);
  r.String("token_endpoint", v.token_endpoint);
  r.String("userinfo_endpoint", v.userinfo_endpoint);
  r.String("issuer", v.issuer);
  r.String("client_id", v.client_id);
  r.String("client_secret", v.client_secret);
  r.Enum("clientAuthenticationMethod", v.client_authentication_method,
         &ParseClientAuthenticationMethod);
  r.String("scope", v.scope);
  r.String("uniqueIdClaim", v.unique_id_claim);
  r.String("emailClaim", v.email_claim);
  r.String("emailVerifiedClaim", v.email_verified_claim);
  r.String("usernameClaim", v.username_claim);
}

// `openid_connect` adds the client members that ExternalJWT providers do not have.
void WriteOAuth2(ObjectWriter& w, const IdentityProviderOAuth2Configuration& v,
                 bool openid_connect) {
  w.String("authorization_endpoint", v.authorization_endpoint);
  w.String("token_endpoint", v.token_endpoint);
  if (openid_connect) {
    w.String("userinfo_endpoint", v.userinfo_endpoint);
    w.String("issuer", v.issuer);
    w.String("client_id", v.client_id);
    w.String("client_secret", v.client_secret);
    w.Enum("clientAuthenticationMethod", v.client_authentication_method);
    w.String("scope", v.scope);
  }
  w.String("uniqueIdClaim", v.unique_id_claim);
  w.String("emailClaim", v.email_claim);
  w.String("emailVerifiedClaim", v.email_verified_claim);
  w.String("usernameClaim", v.username_claim);
}

void ReadDecryption(ObjectReader& r, SamlV2AssertionDecryptionConfiguration& v) {
  r.Bool("enabled", v.enabled);
  r.OptionalId("keyTransportDecryptionKeyId", v.key_transport_decryption_key_id);
}
void WriteDecryption(ObjectWriter& w, const SamlV2AssertionDecryptionConfiguration& v) {
  w.Bool("enabled", v.enabled);
  w.OptionalId("keyTransportDecryptionKeyId", v.key_transport_decryption_key_id);
}

// ---- per type ----

void ReadConfig(ObjectReader& r, ExternalJwtConfiguration& v) {
  r.String("headerKeyParameter", v.header_key_parameter);
  r.OptionalId("defaultKeyId", v.default_key_id);
  r.Ids("verificationKeyIds", v.verification_key_ids);
  r.String("uniqueIdentityClaim", v.unique_identity_claim);
  if (const nlohmann::json* map = r.Find("claimMap")) {
    if (!map->is_object()) return r.AddError("couldNotConvert", "claimMap");
    for (auto it = map->begin(); it != map->end(); ++it) {
      if (!it->is_string()) return r.AddError("couldNotConvert", "claimMap");
      v.claim_map[it.key()] = it->get<std::string>();
    }
  }
  r.Nested("oauth2", v.oauth2, ReadOAuth2);
}
void WriteConfig(ObjectWriter& w, const ExternalJwtConfiguration& v) {
  w.String("headerKeyParameter", v.header_key_parameter);
  w.OptionalId("defaultKeyId", v.default_key_id);
  w.Ids("verificationKeyIds", v.verification_key_ids);
  w.String("uniqueIdentityClaim", v.unique_identity_claim);
  if (!v.claim_map.empty()) w.Any("claimMap", nlohmann::json(v.claim_map));
  w.Nested("oauth2", v.oauth2, [](ObjectWriter& c, const IdentityProviderOAuth2Configuration& o) {
    WriteOAuth2(c, o, /*openid_connect=*/false);
  });
}

void ReadConfig(ObjectReader& r, OpenIdConnectConfiguration& v) {
  r.Nested("oauth2", v.oauth2, ReadOAuth2);
  r.String("buttonText", v.button_text);
  r.String("buttonImageURL", v.button_image_url);
  r.Bool("postRequest", v.post_request);
}
void WriteConfig(ObjectWriter& w, const OpenIdConnectConfiguration& v) {
  w.Nested("oauth2", v.oauth2, [](ObjectWriter& c, const IdentityProviderOAuth2Configuration& o) {
    WriteOAuth2(c, o, /*openid_connect=*/true);
  });
  w.String("buttonText", v.button_text);
  w.String("buttonImageURL", v.button_image_url);
  w.Bool("postRequest", v.post_request);
}

void ReadConfig(ObjectReader& r, SamlV2IdpConfiguration& v) {
  r.String("idpEndpoint", v.idp_endpoint);
  r.String("issuer", v.issuer);
  r.OptionalId("keyId", v.key_id);
  r.Ids("verificationKeyIds", v.verification_key_ids);
  r.String("nameIdFormat", v.name_id_format);
  r.Bool("useNameIdForEmail", v.use_name_id_for_email);
  r.String("emailClaim", v.email_claim);
  r.String("uniqueIdClaim", v.unique_id_claim);
  r.String("usernameClaim", v.username_claim);
  r.Bool("postRequest", v.post_request);
  r.Bool("signRequest", v.sign_request);
  r.OptionalId("requestSigningKeyId", v.request_signing_key_id);
  r.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method, &ParseCanonicalizationMethod);
  r.Nested("assertionConfiguration", v.assertion_destination,
           [](ObjectReader& a, SamlV2IdpConfiguration::Destination& d) {
             a.Nested("destination", d,
                      [](ObjectReader& c, SamlV2IdpConfiguration::Destination& x) {
                        c.Enum("policy", x.policy, &ParseDestinationAssertionPolicy);
                        c.Strings("alternates", x.alternates);
                      });
           });
  r.Nested("assertionDecryptionConfiguration", v.assertion_decryption_configuration,
           ReadDecryption);
  r.Nested("idpInitiatedConfiguration", v.idp_initiated_configuration,
           [](ObjectReader& c, SamlV2IdpConfiguration::IdpInitiated& i) {
             c.Bool("enabled", i.enabled);
             c.String("issuer", i.issuer);
           });
  r.Nested("loginHintConfiguration", v.login_hint_configuration,
           [](ObjectReader& c, SamlV2IdpConfiguration::LoginHint& l) {
             c.Bool("enabled", l.enabled);
             c.String("parameterName", l.parameter_name);
           });
  r.String("buttonText", v.button_text);
  r.String("buttonImageURL", v.button_image_url);
}
void WriteConfig(ObjectWriter& w, const SamlV2IdpConfiguration& v) {
  w.String("idpEndpoint", v.idp_endpoint);
  w.String("issuer", v.issuer);
  w.OptionalId("keyId", v.key_id);
  w.Ids("verificationKeyIds", v.verification_key_ids);
  w.String("nameIdFormat", v.name_id_format);
  w.Bool("useNameIdForEmail", v.use_name_id_for_email);
  w.String("emailClaim", v.email_claim);
  w.String("uniqueIdClaim", v.unique_id_claim);
  w.String("usernameClaim", v.username_claim);
  w.Bool("postRequest", v.post_request);
  w.Bool("signRequest", v.sign_request);
  w.OptionalId("requestSigningKeyId", v.request_signing_key_id);
  w.Enum("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
  w.Any("assertionConfiguration",
        nlohmann::json{{"destination",
                        {{"policy", std::string(ToString(v.assertion_destination.policy))},
                         {"alternates", v.assertion_destination.alternates}}}});
  w.Nested("assertionDecryptionConfiguration", v.assertion_decryption_configuration,
           WriteDecryption);
  w.Nested("idpInitiatedConfiguration", v.idp_initiated_configuration,
           [](ObjectWriter& c, const SamlV2IdpConfiguration::IdpInitiated& i) {
             c.Bool("enabled", i.enabled);
             c.String("issuer", i.issuer);
           });
  w.Nested("loginHintConfiguration", v.login_hint_configuration,
           [](ObjectWriter& c, const SamlV2IdpConfiguration::LoginHint& l) {
             c.Bool("enabled", l.enabled);
             c.String("parameterName", l.parameter_name);
           });
  w.String("buttonText", v.button_text);
  w.String("buttonImageURL", v.button_image_url);
}

void ReadConfig(ObjectReader& r, SamlV2IdpInitiatedConfiguration& v) {
  r.String("issuer", v.issuer);
  r.OptionalId("keyId", v.key_id);
  r.Ids("verificationKeyIds", v.verification_key_ids);
  r.Bool("useNameIdForEmail", v.use_name_id_for_email);
  r.String("emailClaim", v.email_claim);
  r.String("uniqueIdClaim", v.unique_id_claim);
  r.String("usernameClaim", v.username_claim);
  r.Nested("assertionDecryptionConfiguration", v.assertion_decryption_configuration,
           ReadDecryption);
}
void WriteConfig(ObjectWriter& w, const SamlV2IdpInitiatedConfiguration& v) {
  w.String("issuer", v.issuer);
  w.OptionalId("keyId", v.key_id);
  w.Ids("verificationKeyIds", v.verification_key_ids);
  w.Bool("useNameIdForEmail", v.use_name_id_for_email);
  w.String("emailClaim", v.email_claim);
  w.String("uniqueIdClaim", v.unique_id_claim);
  w.String("usernameClaim", v.username_claim);
  w.Nested("assertionDecryptionConfiguration", v.assertion_decryption_configuration,
           WriteDecryption);
}

bool IsCommonMember(std::string_view key) {
  for (std::string_view m : kCommonMembers) {
    if (m == key) return true;
  }
  return false;
}

void ReadConfig(ObjectReader& r, OtherIdentityProviderConfiguration& v,
                const nlohmann::json& json) {
  (void)r;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (!IsCommonMember(it.key())) v.members[it.key()] = it.value();
  }
}

// ---- common ----

template <typename Key, typename T, typename F>
void ReadIdMap(ObjectReader& r, std::string_view key, std::map<Key, T>& out, F&& read) {
  const nlohmann::json* map = r.Find(key);
  if (map == nullptr) return;
  if (!map->is_object()) return r.AddError("couldNotConvert", key);
  for (auto it = map->begin(); it != map->end(); ++it) {
    Result<Key> id = Key::Parse(it.key());
    if (!id.ok()) return r.AddError("couldNotConvert", key);
    Errors nested;
    ObjectReader child(it.value(), r.PathOf(key) + "." + it.key(), nested);
    T element{};
    if (child.valid()) read(child, element);
    if (!nested.empty()) return r.AddError("couldNotConvert", key);
    out.emplace(*id, std::move(element));
  }
}

void ReadApplicationConfiguration(ObjectReader& r, IdentityProviderApplicationConfiguration& v) {
  r.Bool("enabled", v.enabled);
  r.Bool("createRegistration", v.create_registration);
  r.Object("data", v.data);
  // The rest are the type-specific overrides; the reader's object is reachable via Find.
}

void Read(ObjectReader& r, IdentityProvider& v, const nlohmann::json& json) {
  r.Id("id", v.id);
  r.String("name", v.name);
  if (r.Find("type") == nullptr) {
    r.AddError("blank", "type");
  } else {
    r.Enum("type", v.type, &ParseIdentityProviderType);
  }
  r.Bool("enabled", v.enabled);
  r.Bool("debug", v.debug);
  r.Object("data", v.data);
  r.String("source", v.source);
  r.Enum("linkingStrategy", v.linking_strategy, &ParseLinkingStrategy);
  ReadIdMap(r, "applicationConfiguration", v.application_configuration,
            [](ObjectReader& c, IdentityProviderApplicationConfiguration& a) {
              ReadApplicationConfiguration(c, a);
            });
  // Keep each application's type-specific overrides as given. The members are walked in the
  // order ReadIdMap took them, so that of two spellings of one id ("817A..." and "817a..."),
  // the overrides come from the entry whose configuration was kept. (Looking the entry up by
  // id.ToString() missed upper-case spellings and read past the object: a fuzzing finding,
  // tests/fuzz/regressions/router/idp-uppercase-application-id-8e9738f2.)
  if (const nlohmann::json* apps = r.Find("applicationConfiguration"); apps && apps->is_object()) {
    std::set<ApplicationId> taken;
    for (auto member = apps->begin(); member != apps->end(); ++member) {
      Result<ApplicationId> id = ApplicationId::Parse(member.key());
      if (!id.ok() || !member->is_object() || !taken.insert(*id).second) continue;
      auto config = v.application_configuration.find(*id);
      if (config == v.application_configuration.end()) continue;
      for (auto it = member->begin(); it != member->end(); ++it) {
        if (it.key() != "enabled" && it.key() != "createRegistration" && it.key() != "data") {
          config->second.overrides[it.key()] = it.value();
        }
      }
    }
  }
  ReadIdMap(r, "tenantConfiguration", v.tenant_configuration,
            [](ObjectReader& c, IdentityProviderTenantConfiguration& t) {
              c.Nested("limitUserLinkCount", t,
                       [](ObjectReader& l, IdentityProviderTenantConfiguration& x) {
                         l.Bool("enabled", x.limit_user_link_count_enabled);
                         l.Int("maximumLinks", x.limit_user_link_count_maximum_links);
                       });
              c.Object("data", t.data);
            });
  r.Nested("lambdaConfiguration", v, [](ObjectReader& c, IdentityProvider& p) {
    c.OptionalId("reconcileId", p.reconcile_lambda_id);
  });
  r.OptionalId("tenantId", v.tenant_id);
  r.Strings("domains", v.domains);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);

  switch (v.type) {
    case IdentityProviderType::kExternalJwt: {
      ExternalJwtConfiguration c;
      ReadConfig(r, c);
      v.config = std::move(c);
      break;
    }
    case IdentityProviderType::kOpenIdConnect: {
      OpenIdConnectConfiguration c;
      ReadConfig(r, c);
      v.config = std::move(c);
      break;
    }
    case IdentityProviderType::kSamlV2: {
      SamlV2IdpConfiguration c;
      ReadConfig(r, c);
      v.config = std::move(c);
      break;
    }
    case IdentityProviderType::kSamlV2IdpInitiated: {
      SamlV2IdpInitiatedConfiguration c;
      ReadConfig(r, c);
      v.config = std::move(c);
      break;
    }
    default: {
      OtherIdentityProviderConfiguration c;
      ReadConfig(r, c, json);
      v.config = std::move(c);
      break;
    }
  }
}

void Write(ObjectWriter& w, const IdentityProvider& v, nlohmann::json& out) {
  w.Id("id", v.id);
  w.String("name", v.name);
  w.Enum("type", v.type);
  w.Bool("enabled", v.enabled);
  w.Bool("debug", v.debug);
  w.Any("data", v.data);
  w.String("source", v.source);
  w.Enum("linkingStrategy", v.linking_strategy);
  if (!v.application_configuration.empty()) {
    nlohmann::json apps = nlohmann::json::object();
    for (const auto& [id, config] : v.application_configuration) {
      nlohmann::json entry =
          config.overrides.is_object() ? config.overrides : nlohmann::json::object();
      entry["enabled"] = config.enabled;
      entry["createRegistration"] = config.create_registration;
      if (!config.data.empty()) entry["data"] = config.data;
      apps[id.ToString()] = std::move(entry);
    }
    w.Any("applicationConfiguration", apps);
  }
  if (!v.tenant_configuration.empty()) {
    nlohmann::json tenants = nlohmann::json::object();
    for (const auto& [id, config] : v.tenant_configuration) {
      nlohmann::json entry = {{"limitUserLinkCount",
                               {{"enabled", config.limit_user_link_count_enabled},
                                {"maximumLinks", config.limit_user_link_count_maximum_links}}}};
      if (!config.data.empty()) entry["data"] = config.data;
      tenants[id.ToString()] = std::move(entry);
    }
    w.Any("tenantConfiguration", tenants);
  }
  if (v.reconcile_lambda_id) {
    w.Any("lambdaConfiguration",
          nlohmann::json{{"reconcileId", v.reconcile_lambda_id->ToString()}});
  }
  w.OptionalId("tenantId", v.tenant_id);
  w.Any("domains", nlohmann::json(v.domains));
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
  std::visit(
      [&](const auto& config) {
        using T = std::decay_t<decltype(config)>;
        if constexpr (std::is_same_v<T, OtherIdentityProviderConfiguration>) {
          if (config.members.is_object()) {
            for (auto it = config.members.begin(); it != config.members.end(); ++it) {
              if (!IsCommonMember(it.key())) out[it.key()] = it.value();
            }
          }
        } else {
          WriteConfig(w, config);
        }
      },
      v.config);
}

}  // namespace

nlohmann::json ToJson(const IdentityProvider& provider) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, provider, out);
  return out;
}

Result<IdentityProvider> IdentityProviderFromJson(const nlohmann::json& json,
                                                  std::string_view path) {
  return internal::ReadObject<IdentityProvider>(
      json, path, [&](ObjectReader& r, IdentityProvider& v) { Read(r, v, json); });
}

Errors Validate(const IdentityProvider& provider) {
  Errors errors;
  auto blank = [&](std::string_view member) {
    const std::string path = "identityProvider." + std::string(member);
    errors.AddField("blank", path, "You must specify the [" + path + "] property.");
  };
  if (internal::IsBlank(provider.name)) blank("name");
  const bool matches = std::visit(
      [&](const auto& config) {
        using T = std::decay_t<decltype(config)>;
        switch (provider.type) {
          case IdentityProviderType::kExternalJwt:
            return std::is_same_v<T, ExternalJwtConfiguration>;
          case IdentityProviderType::kOpenIdConnect:
            return std::is_same_v<T, OpenIdConnectConfiguration>;
          case IdentityProviderType::kSamlV2:
            return std::is_same_v<T, SamlV2IdpConfiguration>;
          case IdentityProviderType::kSamlV2IdpInitiated:
            return std::is_same_v<T, SamlV2IdpInitiatedConfiguration>;
          default:
            return std::is_same_v<T, OtherIdentityProviderConfiguration>;
        }
      },
      provider.config);
  if (!matches) {
    errors.AddField("invalid", "identityProvider.config",
                    "The configuration does not match the type.");
    return errors;
  }
  if (const auto* jwt = std::get_if<ExternalJwtConfiguration>(&provider.config)) {
    if (internal::IsBlank(jwt->header_key_parameter)) blank("headerKeyParameter");
  } else if (const auto* oidc = std::get_if<OpenIdConnectConfiguration>(&provider.config)) {
    if (internal::IsBlank(oidc->oauth2.client_id)) blank("oauth2.client_id");
    if (internal::IsBlank(oidc->button_text)) blank("buttonText");
    if (oidc->oauth2.client_authentication_method != ClientAuthenticationMethod::kNone &&
        internal::IsBlank(oidc->oauth2.client_secret)) {
      blank("oauth2.client_secret");
    }
  } else if (const auto* saml = std::get_if<SamlV2IdpConfiguration>(&provider.config)) {
    if (internal::IsBlank(saml->idp_endpoint)) blank("idpEndpoint");
    if (internal::IsBlank(saml->button_text)) blank("buttonText");
    if (!saml->use_name_id_for_email && internal::IsBlank(saml->email_claim)) blank("emailClaim");
  } else if (const auto* initiated =
                 std::get_if<SamlV2IdpInitiatedConfiguration>(&provider.config)) {
    if (internal::IsBlank(initiated->issuer)) blank("issuer");
  }
  for (const auto& [tenant, config] : provider.tenant_configuration) {
    if (config.limit_user_link_count_enabled && config.limit_user_link_count_maximum_links < 1) {
      errors.AddField("invalid",
                      "identityProvider.tenantConfiguration." + tenant.ToString() +
                          ".limitUserLinkCount.maximumLinks",
                      "The maximum number of links must be at least 1.");
    }
  }
  return errors;
}

}  // namespace bulwark
