// SPDX-License-Identifier: Apache-2.0
//
// Key Master operations on the Key value type (bulwark/model/key.h), as FusionAuth's
// POST /api/key/generate and POST /api/key/import do them. They build Keys; storing them is
// the store's job, and signing with them is SigningKey's (jws_key.h).
//
// Key identifiers (`kid`) when the request has none:
//   - a key with a certificate: the certificate's SHA-1 thumbprint, BASE64URL(SHA-1(DER)),
//     which is also its `x5t` and certificateInformation.sha1Thumbprint. This is what
//     FusionAuth does: in its documented RSA, EC and Ed25519 keys kid == sha1Thumbprint
//     (27 characters, e.g. "zamAX0036820RULfdjUV6YkhYbY").
//   - an RSA, EC or Ed25519 key without a certificate: the RFC 7638 JWK thumbprint (SHA-256,
//     43 characters). NOTE(compat): FusionAuth's scheme for this case is not documented.
//   - an HMAC key: 10 lower-case hex characters drawn from `random` (FusionAuth's shape,
//     e.g. "10d51735a5").
//
// Failures are kInvalidArgument carrying FusionAuth field errors ("[missing]key.algorithm",
// "[invalid]key.publicKey", ...), so the API layer can return them as they are. Messages
// never contain key material.
//
// Thread-safe: the functions are safe for concurrent use from multiple threads (given a
// thread-safe Random).
#ifndef BULWARK_CRYPTO_KEY_MASTER_H_
#define BULWARK_CRYPTO_KEY_MASTER_H_

#include <string_view>

#include "bulwark/clock.h"
#include "bulwark/export.h"
#include "bulwark/model/key.h"
#include "bulwark/random.h"
#include "bulwark/result.h"

namespace bulwark {

// Generates a key for `request.algorithm` (required):
//   - RS256/384/512 and PS256/384/512: an RSA key pair of `request.length` bits (required;
//     2048, 3072 or 4096);
//   - ES256/384/512: an EC key pair on P-256/P-384/P-521 (`length`, if given, must be
//     256/384/521 to match);
//   - Ed25519: an Ed25519 key pair (length 32, as FusionAuth reports it);
//   - HS256/384/512: a secret of as many random bytes as the hash (32/48/64), Base64 encoded
//     (44/64/88 characters); the secret's characters are the MAC key, as in FusionAuth.
// Key pairs get a self-signed X.509 v3 certificate: subject and issuer "CN=<request.issuer>"
// (required for key pairs; the engine passes the tenant's issuer), serial number the key's
// id (random when the id is nil), valid from `now` for ten years, signed with the
// algorithm's hash (PKCS#1 v1.5 for RSA); `certificate_information`, `expiration_instant`
// (= validTo), `public_key`, `private_key` (PKCS#8 PEM) and `has_private_key` are filled.
// `id`, `name`, `issuer`, `kid` (when given) and the instants are copied from the request.
// Key pairs come from OpenSSL's own generator; `random` supplies secrets, kids and serials.
BULWARK_EXPORT Result<Key> GenerateKey(const Key& request, Random& random, Instant now);

// Imports `request`, which holds any of:
//   - `secret` (HMAC; `algorithm` HS256/384/512 required; at least 32 bytes);
//   - `certificate` (PEM, or bare Base64 DER as FusionAuth's example sends): the public key
//     comes from it, and certificate_information and expiration_instant are filled;
//   - `public_key` (PEM "PUBLIC KEY" or "RSA PUBLIC KEY");
//   - `private_key` (PEM "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"; not
//     encrypted): the public key is derived when not given.
// The material must agree (private key, public key and certificate of one key pair:
// [invalid]key.privateKey / key.publicKey otherwise). `type` and `algorithm` are inferred
// when omitted (RSA -> RS256, EC -> ES256/384/512 by curve, Ed25519) and must fit the key
// when given ([invalid]key.type, [invalid]key.algorithm: HS with an RSA key, ES256 with a
// P-384 key, ...); `length` is measured ([invalid]key.length when a given one differs, and
// for RSA keys other than 2048/3072/4096 bits, 1024 being accepted for a public key alone);
// [blank]key.name as Validate. The output is normalised: public_key as SubjectPublicKeyInfo
// PEM, private_key as PKCS#8 PEM, certificate as PEM.
BULWARK_EXPORT Result<Key> ImportKey(const Key& request, Random& random);

// FusionAuth's certificateInformation for a certificate (PEM or Base64 DER): issuer and
// subject as RFC 2253 strings ("CN=acme.com"), serialNumber and md5/sha1/sha256Fingerprint as
// upper-case colon-separated hex, sha1/sha256Thumbprint as base64url, validFrom/validTo at
// the certificate's (second) precision. InvalidArgument when the text is not a certificate.
BULWARK_EXPORT Result<CertificateInformation> DescribeCertificate(std::string_view certificate);

}  // namespace bulwark

#endif  // BULWARK_CRYPTO_KEY_MASTER_H_
