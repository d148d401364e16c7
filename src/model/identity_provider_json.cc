// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <string>
#include <utility>

#include "bulwark/model/identity_provider.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"

namespace bulwark::internal {
namespace {

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

bool IsCommonMember(std::string_view key) {
  for (std::string_view m : kCommonMembers) {
    if (m == key) return true;
  }
  return false;
}

}  // namespace

// ---- per type ----

// `openid_connect`: the client members, which ExternalJWT providers do not have, are written.
template <class IO>
void Map(IO& io, Mapped<IO, IdentityProviderOAuth2Configuration>& v, bool openid_connect) {
  io("authorization_endpoint", v.authorization_endpoint);
  io("token_endpoint", v.token_endpoint);
  if (IO::kReading || openid_connect) {
    io("userinfo_endpoint", v.userinfo_endpoint);
    io("issuer", v.issuer);
    io("client_id", v.client_id);
    io("client_secret", v.client_secret);
    io("clientAuthenticationMethod", v.client_authentication_method);
    io("scope", v.scope);
  }
  io("uniqueIdClaim", v.unique_id_claim);
  io("emailClaim", v.email_claim);
  io("emailVerifiedClaim", v.email_verified_claim);
  io("usernameClaim", v.username_claim);
}

template <class IO>
void Map(IO& io, Mapped<IO, SamlV2AssertionDecryptionConfiguration>& v) {
  io("enabled", v.enabled);
  io("keyTransportDecryptionKeyId", v.key_transport_decryption_key_id);
}

template <class IO>
void Map(IO& io, Mapped<IO, ExternalJwtConfiguration>& v) {
  io("headerKeyParameter", v.header_key_parameter);
  io("defaultKeyId", v.default_key_id);
  io("verificationKeyIds", v.verification_key_ids);
  io("uniqueIdentityClaim", v.unique_identity_claim);
  if constexpr (IO::kReading) {
    // A malformed claimMap ends the reading of this configuration (oauth2 is not read).
    const std::size_t before = io.reader().ErrorCount();
    io("claimMap", v.claim_map);
    if (io.reader().ErrorCount() != before) return;
  } else {
    io("claimMap", v.claim_map);
  }
  io.Nested("oauth2", v.oauth2, [](IO& c, auto& o) { Map(c, o, /*openid_connect=*/false); });
}

template <class IO>
void Map(IO& io, Mapped<IO, OpenIdConnectConfiguration>& v) {
  io.Nested("oauth2", v.oauth2, [](IO& c, auto& o) { Map(c, o, /*openid_connect=*/true); });
  io("buttonText", v.button_text);
  io("buttonImageURL", v.button_image_url);
  io("postRequest", v.post_request);
}

template <class IO>
void Map(IO& io, Mapped<IO, SamlV2IdpConfiguration>& v) {
  io("idpEndpoint", v.idp_endpoint);
  io("issuer", v.issuer);
  io("keyId", v.key_id);
  io("verificationKeyIds", v.verification_key_ids);
  io("nameIdFormat", v.name_id_format);
  io("useNameIdForEmail", v.use_name_id_for_email);
  io("emailClaim", v.email_claim);
  io("uniqueIdClaim", v.unique_id_claim);
  io("usernameClaim", v.username_claim);
  io("postRequest", v.post_request);
  io("signRequest", v.sign_request);
  io("requestSigningKeyId", v.request_signing_key_id);
  io("xmlSignatureC14nMethod", v.xml_signature_c14n_method);
  io.Nested("assertionConfiguration", v.assertion_destination, [](IO& a, auto& d) {
    a.Nested("destination", d, [](IO& c, auto& x) {
      c("policy", x.policy);
      c("alternates", x.alternates, kKeepEmpty);
    });
  });
  io.Nested("assertionDecryptionConfiguration", v.assertion_decryption_configuration);
  io.Nested("idpInitiatedConfiguration", v.idp_initiated_configuration, [](IO& c, auto& i) {
    c("enabled", i.enabled);
    c("issuer", i.issuer);
  });
  io.Nested("loginHintConfiguration", v.login_hint_configuration, [](IO& c, auto& l) {
    c("enabled", l.enabled);
    c("parameterName", l.parameter_name);
  });
  io("buttonText", v.button_text);
  io("buttonImageURL", v.button_image_url);
}

template <class IO>
void Map(IO& io, Mapped<IO, SamlV2IdpInitiatedConfiguration>& v) {
  io("issuer", v.issuer);
  io("keyId", v.key_id);
  io("verificationKeyIds", v.verification_key_ids);
  io("useNameIdForEmail", v.use_name_id_for_email);
  io("emailClaim", v.email_claim);
  io("uniqueIdClaim", v.unique_id_claim);
  io("usernameClaim", v.username_claim);
  io.Nested("assertionDecryptionConfiguration", v.assertion_decryption_configuration);
}

// The members of a type bulwark does not model pass through: every member of the provider's
// object that is not a common one.
template <class IO>
void Map(IO& io, Mapped<IO, OtherIdentityProviderConfiguration>& v) {
  if constexpr (IO::kReading) {
    const nlohmann::json& json = io.reader().object();
    for (auto it = json.begin(); it != json.end(); ++it) {
      if (!IsCommonMember(it.key())) v.members[it.key()] = it.value();
    }
  } else {
    if (!v.members.is_object()) return;
    for (auto it = v.members.begin(); it != v.members.end(); ++it) {
      if (!IsCommonMember(it.key())) io.writer().object()[it.key()] = it.value();
    }
  }
}

// ---- common ----

template <class IO>
void Map(IO& io, Mapped<IO, IdentityProviderApplicationConfiguration>& v) {
  // The type-specific overrides are the entry's other members (read with the provider).
  if constexpr (IO::kWriting) {
    if (v.overrides.is_object()) io.writer().object() = v.overrides;
  }
  io("enabled", v.enabled);
  io("createRegistration", v.create_registration);
  if (IO::kReading || !v.data.empty()) io.Object("data", v.data);
}

template <class IO>
void Map(IO& io, Mapped<IO, IdentityProviderTenantConfiguration>& v) {
  io.Nested("limitUserLinkCount", v, [](IO& l, auto& t) {
    l("enabled", t.limit_user_link_count_enabled);
    l("maximumLinks", t.limit_user_link_count_maximum_links);
  });
  if (IO::kReading || !v.data.empty()) io.Object("data", v.data);
}

namespace {

// An object keyed by ids (applicationConfiguration, tenantConfiguration). On reading, a key
// that is no id, or any error inside an entry, is one [couldNotConvert] on the whole member.
template <typename Key, typename T>
void IdMap(ReadArchive& io, std::string_view key, std::map<Key, T>& out) {
  ObjectReader& r = io.reader();
  const nlohmann::json* map = r.Find(key);
  if (map == nullptr) return;
  if (!map->is_object()) return r.AddError("couldNotConvert", key);
  for (auto it = map->begin(); it != map->end(); ++it) {
    Result<Key> id = Key::Parse(it.key());
    if (!id.ok()) return r.AddError("couldNotConvert", key);
    Errors nested;
    ObjectReader child(it.value(), r.PathOf(key) + "." + it.key(), nested);
    T element{};
    if (child.valid()) {
      ReadArchive child_io(child);
      Map(child_io, element);
    }
    if (!nested.empty()) return r.AddError("couldNotConvert", key);
    out.emplace(*id, std::move(element));
  }
}

template <typename Key, typename T>
void IdMap(WriteArchive& io, std::string_view key, const std::map<Key, T>& v) {
  if (v.empty()) return;
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [id, element] : v) {
    nlohmann::json entry = nlohmann::json::object();
    ObjectWriter w(entry);
    WriteArchive entry_io(w);
    Map(entry_io, element);
    entries[id.ToString()] = std::move(entry);
  }
  io.Any(key, entries);
}

// Keeps each application's type-specific overrides as given. The members are walked in the
// order IdMap took them, so that of two spellings of one id ("817A..." and "817a..."), the
// overrides come from the entry whose configuration was kept. (Looking the entry up by
// id.ToString() missed upper-case spellings and read past the object: a fuzzing finding,
// tests/fuzz/regressions/router/idp-uppercase-application-id-8e9738f2.)
void ReadOverrides(ObjectReader& r, IdentityProvider& v) {
  const nlohmann::json* apps = r.Find("applicationConfiguration");
  if (apps == nullptr || !apps->is_object()) return;
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

// The type's configuration members sit beside the common ones.
template <typename Config>
void ReadConfig(ReadArchive& io, IdentityProvider& v) {
  Config config;
  Map(io, config);
  v.config = std::move(config);
}

}  // namespace

template <class IO>
void Map(IO& io, Mapped<IO, IdentityProvider>& v) {
  io("id", v.id);
  io("name", v.name);
  if constexpr (IO::kReading) {
    if (io.reader().Find("type") == nullptr) io.reader().AddError("blank", "type");
  }
  io("type", v.type);
  io("enabled", v.enabled);
  io("debug", v.debug);
  io.Data("data", v.data);
  io("source", v.source);
  io("linkingStrategy", v.linking_strategy);
  IdMap(io, "applicationConfiguration", v.application_configuration);
  if constexpr (IO::kReading) ReadOverrides(io.reader(), v);
  IdMap(io, "tenantConfiguration", v.tenant_configuration);
  if (IO::kReading || v.reconcile_lambda_id) {
    io.Nested("lambdaConfiguration", v,
              [](IO& c, auto& p) { c("reconcileId", p.reconcile_lambda_id); });
  }
  io("tenantId", v.tenant_id);
  io("domains", v.domains, kKeepEmpty);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
  if constexpr (IO::kReading) {
    switch (v.type) {
      case IdentityProviderType::kExternalJwt:
        return ReadConfig<ExternalJwtConfiguration>(io, v);
      case IdentityProviderType::kOpenIdConnect:
        return ReadConfig<OpenIdConnectConfiguration>(io, v);
      case IdentityProviderType::kSamlV2:
        return ReadConfig<SamlV2IdpConfiguration>(io, v);
      case IdentityProviderType::kSamlV2IdpInitiated:
        return ReadConfig<SamlV2IdpInitiatedConfiguration>(io, v);
      default:
        return ReadConfig<OtherIdentityProviderConfiguration>(io, v);
    }
  } else {
    std::visit([&](const auto& config) { Map(io, config); }, v.config);
  }
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const IdentityProvider& provider) { return internal::WriteMapped(provider); }

Result<IdentityProvider> IdentityProviderFromJson(const nlohmann::json& json,
                                                  std::string_view path) {
  return internal::ReadMapped<IdentityProvider>(json, path);
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
