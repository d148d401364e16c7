#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How the key fixtures in this folder were made (OpenSSL 3.0, Debian 12). They are committed,
# not regenerated per test run: re-running this script changes every key, and the tests read
# their expectations (fingerprints) from the openssl CLI at test time, so they still pass.
set -euo pipefail
cd "$(dirname "$0")"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.key.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out rsa3072.key.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key.pem
openssl pkey -in rsa1024.key.pem -pubout -out rsa1024.pub.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec256.key.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec384.key.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out ec521.key.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out secp256k1.key.pem
openssl genpkey -algorithm ED25519 -out ed25519.key.pem
# Traditional ("RSA PRIVATE KEY" / "EC PRIVATE KEY") forms of the same keys.
openssl pkey -in rsa2048.key.pem -traditional -out rsa2048.traditional.pem
openssl pkey -in ec256.key.pem -traditional -out ec256.traditional.pem
# Self-signed certificates, as a partner IdP would hand them over.
openssl req -x509 -new -key rsa2048.key.pem -sha256 -days 3650 -subj "/CN=partner.example" \
  -set_serial 0x5a17 -out rsa2048.cert.pem
openssl req -x509 -new -key ec256.key.pem -sha256 -days 3650 -subj "/CN=acme.com/O=Acme" \
  -out ec256.cert.pem
# An encrypted private key, which import must refuse.
openssl pkey -in ec256.key.pem -aes256 -passout pass:fixture -out ec256.encrypted.pem
# Public keys that import must refuse: a 512-bit modulus, and rsa2048's modulus made even.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 | openssl pkey -pubout -out rsa512.pub.pem
n=$(openssl rsa -in rsa2048.key.pem -noout -modulus | cut -d= -f2)
printf 'asn1=SEQUENCE:pubkey\n[pubkey]\nn=INTEGER:0x%s\ne=INTEGER:65537\n' \
  "$(python3 -c "print('%X' % (int('$n', 16) & ~1))")" >even.cnf
openssl asn1parse -genconf even.cnf -out even.der >/dev/null
openssl rsa -RSAPublicKey_in -inform DER -in even.der -pubout -out rsa2048-even-modulus.pub.pem
rm even.cnf even.der
