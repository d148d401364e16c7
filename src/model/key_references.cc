// SPDX-License-Identifier: Apache-2.0
#include "bulwark/model/key_references.h"

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace bulwark {
namespace {

class KeyList {
 public:
  void Add(const std::optional<KeyId>& id, std::string_view member) {
    if (id.has_value()) refs_.push_back({.key_id = *id, .member = member});
  }
  void Add(const std::vector<KeyId>& ids, std::string_view member) {
    for (const KeyId& id : ids) refs_.push_back({.key_id = id, .member = member});
  }
  void Add(const JwtConfiguration& jwt) {
    Add(jwt.access_token_key_id, "jwtConfiguration.accessTokenKeyId");
    Add(jwt.id_token_key_id, "jwtConfiguration.idTokenKeyId");
    Add(jwt.access_token_verification_key_ids, "jwtConfiguration.accessTokenVerificationKeyIds");
    Add(jwt.id_token_verification_key_ids, "jwtConfiguration.idTokenVerificationKeyIds");
  }
  std::vector<KeyReference> Take() { return std::move(refs_); }

 private:
  std::vector<KeyReference> refs_;
};

}  // namespace

std::vector<KeyReference> KeysNamedBy(const Tenant& tenant) {
  KeyList keys;
  keys.Add(tenant.jwt_configuration);
  return keys.Take();
}

std::vector<KeyReference> KeysNamedBy(const Application& application) {
  KeyList keys;
  keys.Add(application.jwt_configuration);
  const ApplicationSamlV2Configuration& saml = application.samlv2_configuration;
  keys.Add(saml.key_id, "samlv2Configuration.keyId");
  keys.Add(saml.default_verification_key_id, "samlv2Configuration.defaultVerificationKeyId");
  keys.Add(saml.verification_key_ids, "samlv2Configuration.verificationKeyIds");
  keys.Add(saml.logout.key_id, "samlv2Configuration.logout.keyId");
  keys.Add(saml.logout.default_verification_key_id,
           "samlv2Configuration.logout.defaultVerificationKeyId");
  keys.Add(saml.logout.verification_key_ids, "samlv2Configuration.logout.verificationKeyIds");
  keys.Add(saml.logout.single_logout.key_id, "samlv2Configuration.logout.singleLogout.keyId");
  keys.Add(saml.assertion_encryption_configuration.key_transport_encryption_key_id,
           "samlv2Configuration.assertionEncryptionConfiguration.keyTransportEncryptionKeyId");
  return keys.Take();
}

std::vector<KeyReference> KeysNamedBy(const IdentityProvider& provider) {
  KeyList keys;
  std::visit(
      [&](const auto& config) {
        using T = std::decay_t<decltype(config)>;
        if constexpr (std::is_same_v<T, ExternalJwtConfiguration>) {
          keys.Add(config.default_key_id, "defaultKeyId");
          keys.Add(config.verification_key_ids, "verificationKeyIds");
        } else if constexpr (std::is_same_v<T, SamlV2IdpConfiguration>) {
          keys.Add(config.key_id, "keyId");
          keys.Add(config.verification_key_ids, "verificationKeyIds");
          keys.Add(config.request_signing_key_id, "requestSigningKeyId");
          keys.Add(config.assertion_decryption_configuration.key_transport_decryption_key_id,
                   "assertionDecryptionConfiguration.keyTransportDecryptionKeyId");
        } else if constexpr (std::is_same_v<T, SamlV2IdpInitiatedConfiguration>) {
          keys.Add(config.key_id, "keyId");
          keys.Add(config.verification_key_ids, "verificationKeyIds");
          keys.Add(config.assertion_decryption_configuration.key_transport_decryption_key_id,
                   "assertionDecryptionConfiguration.keyTransportDecryptionKeyId");
        }
      },
      provider.config);
  return keys.Take();
}

}  // namespace bulwark
