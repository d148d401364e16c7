// SPDX-License-Identifier: Apache-2.0
// Private: the key material of a Key Master Key, parsed. Parse failures are FusionAuth field
// errors on the field that held the material ([invalid]key.publicKey, ...).
#ifndef BULWARK_CRYPTO_KEY_MATERIAL_H_
#define BULWARK_CRYPTO_KEY_MATERIAL_H_

#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/model/key.h"
#include "bulwark/result.h"
#include "crypto/openssl_util.h"

namespace bulwark::internal {

// The public key: `public_key` PEM if present, else the certificate's key, else the public
// half of `private_key`. [missing]key.publicKey when there is none.
Result<EvpPkeyPtr> PublicPkeyOf(const Key& key);
// The private key from `private_key`. [missing]key.privateKey when absent.
Result<EvpPkeyPtr> PrivatePkeyOf(const Key& key);

// certificateInformation of a parsed certificate.
Result<CertificateInformation> DescribeX509(const X509* cert);
// The common name of the certificate's issuer; "" when there is none.
std::string IssuerCommonName(const X509* cert);

// The public JWK members of `pkey` (kty, n/e, crv/x/y, crv/x).
Result<nlohmann::json> PublicJwkMembers(const EVP_PKEY* pkey);
// RFC 7638 thumbprint of `pkey`'s public JWK.
Result<std::string> ThumbprintOf(const EVP_PKEY* pkey);

// Fills type, algorithm (inferred when absent; [invalid]key.algorithm / key.type when the
// given ones do not fit), length, public_key, has_private_key, certificate and its
// information, expiration_instant and kid (when empty) from parsed material. `cert` may be
// null; `private_key` may be null.
Status FillFromMaterial(Key& key, const EVP_PKEY* public_key, const EVP_PKEY* private_key,
                        const X509* cert);

Status FieldFailure(std::string_view kind, std::string_view field, const Status& cause);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_KEY_MATERIAL_H_
