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

namespace bulwark {
namespace {

using internal::ObjectReader;
using internal::ObjectWriter;

}  // namespace

// ---------------------------------------------------------------------------------------
// Key

namespace {

void ReadCertificateInformation(ObjectReader& r, CertificateInformation& v) {
  r.String("issuer", v.issuer);
  r.String("md5Fingerprint", v.md5_fingerprint);
  r.String("serialNumber", v.serial_number);
  r.String("sha1Fingerprint", v.sha1_fingerprint);
  r.String("sha1Thumbprint", v.sha1_thumbprint);
  r.String("sha256Fingerprint", v.sha256_fingerprint);
  r.String("sha256Thumbprint", v.sha256_thumbprint);
  r.String("subject", v.subject);
  r.Instant("validFrom", v.valid_from);
  r.Instant("validTo", v.valid_to);
}

void WriteCertificateInformation(ObjectWriter& w, const CertificateInformation& v) {
  w.String("issuer", v.issuer);
  w.String("md5Fingerprint", v.md5_fingerprint);
  w.String("serialNumber", v.serial_number);
  w.String("sha1Fingerprint", v.sha1_fingerprint);
  w.String("sha1Thumbprint", v.sha1_thumbprint);
  w.String("sha256Fingerprint", v.sha256_fingerprint);
  w.String("sha256Thumbprint", v.sha256_thumbprint);
  w.String("subject", v.subject);
  w.Instant("validFrom", v.valid_from);
  w.Instant("validTo", v.valid_to);
}

void ReadSecret(ObjectReader& r, std::string_view key, SecretString& out) {
  std::string text;
  r.String(key, text);
  if (!text.empty()) out = std::move(text);  // wipes `text`
}

void Read(ObjectReader& r, Key& v) {
  r.Id("id", v.id);
  r.String("name", v.name);
  r.OptionalEnum("algorithm", v.algorithm, &ParseKeyAlgorithm);
  r.OptionalEnum("type", v.type, &ParseKeyType);
  r.String("kid", v.kid);
  r.Int("length", v.length);
  r.String("certificate", v.certificate);
  if (r.Find("certificateInformation") != nullptr) {
    CertificateInformation info;
    r.Nested("certificateInformation", info, ReadCertificateInformation);
    v.certificate_information = info;
  }
  r.String("publicKey", v.public_key);
  ReadSecret(r, "privateKey", v.private_key);
  ReadSecret(r, "secret", v.secret);
  r.Bool("hasPrivateKey", v.has_private_key);
  r.String("issuer", v.issuer);
  r.Instant("expirationInstant", v.expiration_instant);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
}

void Write(ObjectWriter& w, const Key& v, const KeyJsonOptions& options) {
  w.Id("id", v.id);
  w.String("name", v.name);
  w.OptionalEnum("algorithm", v.algorithm);
  w.OptionalEnum("type", v.type);
  w.String("kid", v.kid);
  if (v.length > 0) w.Int("length", v.length);
  w.String("certificate", v.certificate);
  if (v.certificate_information) {
    w.Nested("certificateInformation", *v.certificate_information, WriteCertificateInformation);
  }
  w.String("publicKey", v.public_key);
  if (options.include_secrets) {
    // The JSON document now holds a plain copy: storage's to keep short-lived.
    if (!v.private_key.empty()) w.String("privateKey", std::string(v.private_key.view()));
    if (!v.secret.empty()) w.String("secret", std::string(v.secret.view()));
  }
  // HMAC keys carry no public half to speak of; FusionAuth omits the flag for them.
  if (v.type != KeyType::kHmac) w.Bool("hasPrivateKey", v.has_private_key);
  w.String("issuer", v.issuer);
  w.Instant("expirationInstant", v.expiration_instant);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
}

}  // namespace

nlohmann::json ToJson(const Key& key, const KeyJsonOptions& options) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, key, options);
  return out;
}

Result<Key> KeyFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<Key>(json, path, [](ObjectReader& r, Key& v) { Read(r, v); });
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

// ---------------------------------------------------------------------------------------
// RefreshToken

namespace {

void Read(ObjectReader& r, RefreshToken& v) {
  r.Id("id", v.id);
  r.String("token", v.token);
  r.Id("applicationId", v.application_id);
  r.Id("userId", v.user_id);
  r.Id("tenantId", v.tenant_id);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("startInstant", v.start_instant);
  r.Nested("metaData", v.meta_data, [](ObjectReader& m, RefreshTokenMetaData& md) {
    m.Nested("device", md.device, [](ObjectReader& d, DeviceInfo& di) {
      d.String("description", di.description);
      d.String("lastAccessedAddress", di.last_accessed_address);
      d.Instant("lastAccessedInstant", di.last_accessed_instant);
      d.String("name", di.name);
      d.String("type", di.type);
    });
    m.Strings("scopes", md.scopes);
    m.Object("data", md.data);
  });
  r.Object("data", v.data);
}

void Write(ObjectWriter& w, const RefreshToken& v) {
  w.Id("id", v.id);
  w.String("token", v.token);
  w.Id("applicationId", v.application_id);
  w.Id("userId", v.user_id);
  w.Id("tenantId", v.tenant_id);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("startInstant", v.start_instant);
  w.Nested("metaData", v.meta_data, [](ObjectWriter& m, const RefreshTokenMetaData& md) {
    m.Nested("device", md.device, [](ObjectWriter& d, const DeviceInfo& di) {
      d.String("description", di.description);
      d.String("lastAccessedAddress", di.last_accessed_address);
      d.Instant("lastAccessedInstant", di.last_accessed_instant);
      d.String("name", di.name);
      d.String("type", di.type);
    });
    m.Strings("scopes", md.scopes);
    m.Object("data", md.data);
  });
  w.Object("data", v.data);
}

}  // namespace

nlohmann::json ToJson(const RefreshToken& token) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, token);
  return out;
}

Result<RefreshToken> RefreshTokenFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<RefreshToken>(json, path,
                                            [](ObjectReader& r, RefreshToken& v) { Read(r, v); });
}

// ---------------------------------------------------------------------------------------
// ApiKey

namespace {

void Read(ObjectReader& r, ApiKey& v) {
  r.Id("id", v.id);
  r.String("key", v.key);
  r.String("name", v.name);
  r.Bool("keyManager", v.key_manager);
  r.Bool("retrievable", v.retrievable);
  r.Nested("permissions", v, [](ObjectReader& p, ApiKey& k) {
    const nlohmann::json* endpoints = p.Find("endpoints");
    if (endpoints == nullptr) return;
    if (!endpoints->is_object()) return p.AddError("couldNotConvert", "endpoints");
    for (auto it = endpoints->begin(); it != endpoints->end(); ++it) {
      std::vector<std::string> methods;
      if (!it->is_array()) return p.AddError("couldNotConvert", "endpoints");
      for (const nlohmann::json& m : *it) {
        if (!m.is_string()) return p.AddError("couldNotConvert", "endpoints");
        methods.push_back(m.get<std::string>());
      }
      k.endpoint_permissions[it.key()] = std::move(methods);
    }
  });
  r.OptionalId("tenantId", v.tenant_id);
  r.Nested("metaData", v, [](ObjectReader& m, ApiKey& k) {
    const nlohmann::json* attributes = m.Find("attributes");
    if (attributes == nullptr) return;
    if (!attributes->is_object()) return m.AddError("couldNotConvert", "attributes");
    for (auto it = attributes->begin(); it != attributes->end(); ++it) {
      if (!it->is_string()) return m.AddError("couldNotConvert", "attributes");
      k.meta_data_attributes[it.key()] = it->get<std::string>();
    }
  });
  r.OptionalId("ipAccessControlListId", v.ip_access_control_list_id);
  r.Instant("expirationInstant", v.expiration_instant);
  r.Instant("insertInstant", v.insert_instant);
  r.Instant("lastUpdateInstant", v.last_update_instant);
}

void Write(ObjectWriter& w, const ApiKey& v) {
  w.Id("id", v.id);
  w.String("key", v.key);
  w.String("name", v.name);
  w.Bool("keyManager", v.key_manager);
  w.Bool("retrievable", v.retrievable);
  if (!v.endpoint_permissions.empty()) {
    w.Any("permissions", nlohmann::json{{"endpoints", v.endpoint_permissions}});
  }
  w.OptionalId("tenantId", v.tenant_id);
  if (!v.meta_data_attributes.empty()) {
    w.Any("metaData", nlohmann::json{{"attributes", v.meta_data_attributes}});
  }
  w.OptionalId("ipAccessControlListId", v.ip_access_control_list_id);
  w.Instant("expirationInstant", v.expiration_instant);
  w.Instant("insertInstant", v.insert_instant);
  w.Instant("lastUpdateInstant", v.last_update_instant);
}

}  // namespace

nlohmann::json ToJson(const ApiKey& key) {
  nlohmann::json out = nlohmann::json::object();
  ObjectWriter w(out);
  Write(w, key);
  return out;
}

Result<ApiKey> ApiKeyFromJson(const nlohmann::json& json, std::string_view path) {
  return internal::ReadObject<ApiKey>(json, path, [](ObjectReader& r, ApiKey& v) { Read(r, v); });
}

}  // namespace bulwark
