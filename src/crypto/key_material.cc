// SPDX-License-Identifier: Apache-2.0
#include "crypto/key_material.h"

#include <string>

namespace bulwark::internal {

Status FieldFailure(std::string_view kind, std::string_view field, const Status& cause) {
  return Status::FieldError(kind, field, cause.message());
}

Result<EvpPkeyPtr> PublicPkeyOf(const Key& key) {
  if (!key.public_key.empty()) {
    Result<EvpPkeyPtr> pkey = ParsePublicKeyPem(key.public_key);
    if (!pkey.ok()) return FieldFailure("invalid", "key.publicKey", pkey.status());
    return pkey;
  }
  if (!key.certificate.empty()) {
    Result<X509Ptr> cert = ParseCertificate(key.certificate);
    if (!cert.ok()) return FieldFailure("invalid", "key.certificate", cert.status());
    EvpPkeyPtr pkey = UpRef(X509_get0_pubkey(cert->get()));
    if (!pkey) return OpenSslError(StatusCode::kInvalidArgument, "the certificate has no key");
    return pkey;
  }
  if (!key.private_key.empty()) {
    BULWARK_ASSIGN_OR_RETURN(EvpPkeyPtr priv, PrivatePkeyOf(key));
    return PublicOnly(priv.get());
  }
  return Status::FieldError("missing", "key.publicKey", "the key has no public key");
}

Result<EvpPkeyPtr> PrivatePkeyOf(const Key& key) {
  if (key.private_key.empty()) {
    return Status::FieldError("missing", "key.privateKey", "the key has no private key");
  }
  Result<EvpPkeyPtr> pkey = ParsePrivateKeyPem(key.private_key.view());
  if (!pkey.ok()) return FieldFailure("invalid", "key.privateKey", pkey.status());
  return pkey;
}

}  // namespace bulwark::internal
