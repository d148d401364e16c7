// SPDX-License-Identifier: Apache-2.0
// JSON for Key Master keys, refresh tokens and API keys.
#include <string>
#include <utility>

#include "bulwark/model/api_key.h"
#include "bulwark/model/key.h"
#include "bulwark/model/refresh_token.h"
#include "core/ascii.h"
#include "json/json_io.h"
#include "model/enum_traits.h"

namespace bulwark::internal {

template <class IO>
void Map(IO& io, Mapped<IO, CertificateInformation>& v) {
  io("issuer", v.issuer);
  io("md5Fingerprint", v.md5_fingerprint);
  io("serialNumber", v.serial_number);
  io("sha1Fingerprint", v.sha1_fingerprint);
  io("sha1Thumbprint", v.sha1_thumbprint);
  io("sha256Fingerprint", v.sha256_fingerprint);
  io("sha256Thumbprint", v.sha256_thumbprint);
  io("subject", v.subject);
  io("validFrom", v.valid_from);
  io("validTo", v.valid_to);
}

// The private key and secret are always read, and written only with `include_secrets`.
template <class IO>
void Map(IO& io, Mapped<IO, Key>& v, const KeyJsonOptions& options) {
  io("id", v.id);
  io("name", v.name);
  io("algorithm", v.algorithm);
  io("type", v.type);
  io("kid", v.kid);
  if (IO::kReading || v.length > 0) io("length", v.length);
  io("certificate", v.certificate);
  io.Nested("certificateInformation", v.certificate_information);
  io("publicKey", v.public_key);
  if (IO::kReading || options.include_secrets) {
    io("privateKey", v.private_key);
    io("secret", v.secret);
  }
  // HMAC keys carry no public half to speak of; FusionAuth omits the flag for them.
  if (IO::kReading || v.type != KeyType::kHmac) io("hasPrivateKey", v.has_private_key);
  io("issuer", v.issuer);
  io("expirationInstant", v.expiration_instant);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
}

template <class IO>
void Map(IO& io, Mapped<IO, DeviceInfo>& v) {
  io("description", v.description);
  io("lastAccessedAddress", v.last_accessed_address);
  io("lastAccessedInstant", v.last_accessed_instant);
  io("name", v.name);
  io("type", v.type);
}

template <class IO>
void Map(IO& io, Mapped<IO, RefreshToken>& v) {
  io("id", v.id);
  io("token", v.token);
  io("applicationId", v.application_id);
  io("userId", v.user_id);
  io("tenantId", v.tenant_id);
  io("insertInstant", v.insert_instant);
  io("startInstant", v.start_instant);
  io.Nested("metaData", v.meta_data, [](IO& m, auto& md) {
    m.Nested("device", md.device);
    m("scopes", md.scopes);
    m.Object("data", md.data);
  });
  io.Object("data", v.data);
}

template <class IO>
void Map(IO& io, Mapped<IO, ApiKey>& v) {
  io("id", v.id);
  io("key", v.key);
  io("name", v.name);
  io("keyManager", v.key_manager);
  io("retrievable", v.retrievable);
  if (IO::kReading || !v.endpoint_permissions.empty()) {
    io.Nested("permissions", v, [](IO& p, auto& k) { p("endpoints", k.endpoint_permissions); });
  }
  io("tenantId", v.tenant_id);
  if (IO::kReading || !v.meta_data_attributes.empty()) {
    io.Nested("metaData", v, [](IO& m, auto& k) { m("attributes", k.meta_data_attributes); });
  }
  io("ipAccessControlListId", v.ip_access_control_list_id);
  io("expirationInstant", v.expiration_instant);
  io("insertInstant", v.insert_instant);
  io("lastUpdateInstant", v.last_update_instant);
}

}  // namespace bulwark::internal

namespace bulwark {

nlohmann::json ToJson(const Key& key, const KeyJsonOptions& options) {
  return internal::WriteMapped(key, options);
}

Result<Key> KeyFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<Key>(json, path, KeyJsonOptions{});
}

Errors Validate(const Key& key) {
  Errors errors;
  if (internal::IsBlank(key.name))
    errors.AddField("blank", "key.name", "You must specify the [key.name] property.");
  if (key.algorithm && key.type) {
    const KeyAlgorithm a = *key.algorithm;
    const bool fits = [&] {
      switch (*key.type) {
        case KeyType::kRsa:
          return a == KeyAlgorithm::kRs256 || a == KeyAlgorithm::kRs384 ||
                 a == KeyAlgorithm::kRs512 || a == KeyAlgorithm::kPs256 ||
                 a == KeyAlgorithm::kPs384 || a == KeyAlgorithm::kPs512;
        case KeyType::kEc:
          return a == KeyAlgorithm::kEs256 || a == KeyAlgorithm::kEs384 ||
                 a == KeyAlgorithm::kEs512;
        case KeyType::kHmac:
          return a == KeyAlgorithm::kHs256 || a == KeyAlgorithm::kHs384 ||
                 a == KeyAlgorithm::kHs512;
        case KeyType::kOkp:
          return a == KeyAlgorithm::kEd25519;
      }
      return false;
    }();
    if (!fits) {
      errors.AddField("invalid", "key.algorithm", "The algorithm does not fit the key type.");
    }
  }
  if (key.type == KeyType::kRsa && key.length != 0) {
    const bool public_only = key.private_key.empty() && !key.has_private_key;
    const bool ok = key.length == 2048 || key.length == 3072 || key.length == 4096 ||
                    (public_only && key.length == 1024);
    if (!ok) errors.AddField("invalid", "key.length", "RSA keys are 2048, 3072 or 4096 bits.");
  }
  if (key.type == KeyType::kEc && key.length != 0 && key.length != 256 && key.length != 384 &&
      key.length != 521) {
    errors.AddField("invalid", "key.length", "EC keys are 256, 384 or 521 bits.");
  }
  return errors;
}

nlohmann::json ToJson(const RefreshToken& token) { return internal::WriteMapped(token); }

Result<RefreshToken> RefreshTokenFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<RefreshToken>(json, path);
}

nlohmann::json ToJson(const ApiKey& key) { return internal::WriteMapped(key); }

Result<ApiKey> ApiKeyFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadMapped<ApiKey>(json, path);
}

}  // namespace bulwark
