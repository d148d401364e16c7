// SPDX-License-Identifier: Apache-2.0
//
// JSON Web Keys (RFC 7517) for Key Master keys: the members FusionAuth serves at
// /.well-known/jwks.json, and the reverse conversion that the identity-provider work uses to
// turn an external issuer's JWKS into verification keys.
//
// ToJwk and ToJwks write public material only: never "d", "p", "q", "dp", "dq", "qi" or "k",
// whatever the Key holds.
//
// Thread-safe: the functions are safe for concurrent use from multiple threads.
#ifndef BULWARK_CRYPTO_JWK_H_
#define BULWARK_CRYPTO_JWK_H_

#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/export.h"
#include "bulwark/model/key.h"
#include "bulwark/result.h"

namespace bulwark {

// The public JWK of an RSA, EC or Ed25519 key: "kty", "use": "sig", "alg" (the key's
// algorithm; "Ed25519" as FusionAuth writes it), "kid" (the key's, else the RFC 7638
// thumbprint), RSA "n"/"e", EC "crv"/"x"/"y", OKP "crv"/"x", and, when the key has a
// certificate, "x5c" ([standard Base64 DER]), "x5t" and "x5t#S256". The public key is the
// Key's public_key, else the certificate's, else derived from private_key.
// InvalidArgument for HMAC keys and keys without usable public material.
BULWARK_EXPORT Result<nlohmann::json> ToJwk(const Key& key);

// {"keys": [...]} for every key that ToJwk accepts, in order; HMAC keys and keys without
// public material are skipped (as FusionAuth's JWKS endpoint: always a valid document).
BULWARK_EXPORT nlohmann::json ToJwks(std::span<const Key> keys);

struct JwkImportOptions {
  // Also import private members ("d" and the RSA CRT members) into Key::private_key (PKCS#8
  // PEM). When false they are ignored and the Key holds the public half only.
  // Default: false.
  bool include_private = false;
};

// A Key from a JWK: RSA ("n" odd and 1024..16384 bits, "e" odd, 3..2^256), EC (P-256/P-384/P-521, full-length "x" and "y", the point
// on the curve) or OKP Ed25519 ("x"). "alg" is used when present ("EdDSA" means Ed25519) and
// must fit the key; otherwise the algorithm is inferred as ImportKey does. "use", when
// present, must be "sig". "kid" is copied; when absent it is made as ImportKey makes it (the
// certificate's SHA-1 thumbprint with "x5c", else the RFC 7638 thumbprint). "x5c"
// becomes the certificate (its key must be the JWK's key, and "x5t", when present, its SHA-1
// thumbprint). The Key has public_key PEM, type, algorithm, length and kid; no id or name.
// InvalidArgument, with a field error "[invalid]jwk.<member>", otherwise ("oct" keys too).
BULWARK_EXPORT Result<Key> KeyFromJwk(const nlohmann::json& jwk,
                                      const JwkImportOptions& options = {});

// The RFC 7638 thumbprint (SHA-256, base64url) of a public JWK's required members. Works on
// JWKs with extra or private members (they are not hashed). InvalidArgument when a required
// member is missing.
BULWARK_EXPORT Result<std::string> JwkThumbprint(const nlohmann::json& jwk);

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_JWK_H_
