// SPDX-License-Identifier: Apache-2.0
// Private: RAII owners for OpenSSL handles, error-queue draining, digests and hex, and the
// PEM/DER codecs for keys and certificates. The only place (with its .cc files) where
// OpenSSL types appear.
//
// Error queue discipline: every public operation clears the thread's queue before calling
// OpenSSL and drains it into the Status it returns (OpenSslError), so nothing is left behind
// for the host to trip over.
#ifndef BULWARK_CRYPTO_OPENSSL_UTIL_H_
#define BULWARK_CRYPTO_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/secret_string.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark::internal {

// Stateless, noexcept deleters: the unique_ptr stays one word.
struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct EvpPkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct EvpMdFree {
  void operator()(EVP_MD* p) const noexcept { EVP_MD_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const noexcept { BIO_free_all(p); }
};
struct X509Free {
  void operator()(X509* p) const noexcept { X509_free(p); }
};
struct X509NameFree {
  void operator()(X509_NAME* p) const noexcept { X509_NAME_free(p); }
};
struct BignumFree {
  void operator()(BIGNUM* p) const noexcept { BN_clear_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
};
struct OsslParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
};
struct OsslParamFree {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct Asn1IntegerFree {
  void operator()(ASN1_INTEGER* p) const noexcept { ASN1_INTEGER_free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using EvpMdPtr = std::unique_ptr<EVP_MD, EvpMdFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509NamePtr = std::unique_ptr<X509_NAME, X509NameFree>;
using BignumPtr = std::unique_ptr<BIGNUM, BignumFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;
using OsslParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslParamBldFree>;
using OsslParamPtr = std::unique_ptr<OSSL_PARAM, OsslParamFree>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Asn1IntegerFree>;

// A new owning reference to `pkey` (EVP_PKEY is reference counted).
EvpPkeyPtr UpRef(EVP_PKEY* pkey);

// Drains the thread's OpenSSL error queue into a Status with `code` and the message
// "<what>: <first OpenSSL reason>". OpenSSL's reasons never contain key material.
Status OpenSslError(StatusCode code, std::string_view what);
// Clears the thread's error queue (before an operation, and after expected failures).
void ClearOpenSslErrors();

// A byte vector that is wiped when destroyed (private scalars, HMAC keys in flight).
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t n) : bytes_(n) {}
  explicit SecretBytes(std::vector<std::uint8_t>&& bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&&) = default;
  SecretBytes& operator=(SecretBytes&&) = default;
  ~SecretBytes();
  std::vector<std::uint8_t>& bytes() { return bytes_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

std::span<const std::uint8_t> AsBytes(std::string_view s);
std::string_view AsText(std::span<const std::uint8_t> b);

// Digests. `md` is one of EVP_md5(), EVP_sha1(), EVP_sha256(), ...
std::vector<std::uint8_t> Digest(const EVP_MD* md, std::span<const std::uint8_t> data);
// "FC:36:CD:..." (upper-case hex, colon separated), as FusionAuth's fingerprints.
std::string ColonHex(std::span<const std::uint8_t> bytes);
// "10d51735a5" (lower-case hex).
std::string LowerHex(std::span<const std::uint8_t> bytes);

// Big-endian magnitude of `bn`, left-padded with zeros to `width` (0: minimal length).
std::vector<std::uint8_t> BignumBytes(const BIGNUM* bn, std::size_t width = 0);

// ---- Keys ------------------------------------------------------------------------------

// Which key a parsed EVP_PKEY is.
struct PkeyInfo {
  int base_id = 0;    // EVP_PKEY_RSA, EVP_PKEY_EC, EVP_PKEY_ED25519, or another id
  int bits = 0;       // RSA modulus bits, EC field bits (256/384/521), 256 for Ed25519
  std::string curve;  // "P-256", "P-384", "P-521" for EC (JWK names); "" otherwise
  bool has_private = false;
};
// kInvalidArgument for key kinds bulwark does not handle (DSA, X25519, EC on other curves),
// and for RSA keys whose numbers CheckRsaNumbers refuses.
Result<PkeyInfo> DescribePkey(const EVP_PKEY* pkey);

// Why an RSA public key's numbers (big-endian modulus `n`, public exponent `e`) are unusable;
// nullopt when they are fine. `member` is "n" or "e". The rule is deterministic, unlike
// OpenSSL's SP 800-56B public-key check, which tests the modulus with random Miller-Rabin
// bases, so that a malformed modulus could pass one import and fail the next (a fuzzing
// finding: tests/fuzz/regressions/jwk/rsa-modulus-check-*). The modulus is odd and 1024 to
// 16384 bits (the JWS verifier's floor, OpenSSL's ceiling); the exponent is odd, at least 3,
// at most 256 bits (SP 800-56B's bound) and shorter than the modulus. Leading zero octets,
// which RFC 7518 forbids but some producers emit, are tolerated.
struct RsaNumbersProblem {
  const char* member;
  const char* message;
};
std::optional<RsaNumbersProblem> CheckRsaNumbers(std::span<const std::uint8_t> n,
                                                 std::span<const std::uint8_t> e);

// Public key from PEM: "PUBLIC KEY" (SubjectPublicKeyInfo) or "RSA PUBLIC KEY" (PKCS#1).
Result<EvpPkeyPtr> ParsePublicKeyPem(std::string_view pem);
// Private key from PEM: "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY", "EC PRIVATE KEY" (an "EC
// PARAMETERS" block before it is skipped). Encrypted keys are refused: bulwark never prompts.
Result<EvpPkeyPtr> ParsePrivateKeyPem(std::string_view pem);
// X.509 certificate from PEM, or from bare Base64 DER (as FusionAuth's import example sends).
Result<X509Ptr> ParseCertificate(std::string_view text);

// "-----BEGIN PUBLIC KEY-----..." (SubjectPublicKeyInfo) of `pkey`'s public half.
Result<std::string> PublicKeyPem(const EVP_PKEY* pkey);
// "-----BEGIN PRIVATE KEY-----..." (unencrypted PKCS#8).
Result<SecretString> PrivateKeyPem(const EVP_PKEY* pkey);
// A fresh EVP_PKEY holding only the public half of `pkey`.
Result<EvpPkeyPtr> PublicOnly(const EVP_PKEY* pkey);
// "-----BEGIN CERTIFICATE-----..." and the DER bytes.
Result<std::string> CertificatePem(const X509* cert);
std::vector<std::uint8_t> CertificateDer(const X509* cert);

// True when both hold the same public key.
bool SamePublicKey(const EVP_PKEY* a, const EVP_PKEY* b);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_OPENSSL_UTIL_H_
