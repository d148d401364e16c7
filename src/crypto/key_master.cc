// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/key_master.h"

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "crypto/algorithms.h"
#include "crypto/base64.h"
#include "crypto/key_material.h"
#include "crypto/openssl_util.h"

namespace bulwark {
namespace internal {
namespace {

constexpr std::size_t kMinHmacSecretBytes = 32;

std::string NameString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    ClearOpenSslErrors();
    return "";
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::optional<Instant> TimeOf(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    ClearOpenSslErrors();
    return std::nullopt;
  }
  using namespace std::chrono;
  const sys_days day =
      year_month_day(year(tm.tm_year + 1900), month(static_cast<unsigned>(tm.tm_mon + 1)),
                     std::chrono::day(static_cast<unsigned>(tm.tm_mday)));
  return Instant(duration_cast<milliseconds>(day.time_since_epoch() + hours(tm.tm_hour) +
                                             minutes(tm.tm_min) + seconds(tm.tm_sec)));
}

// Ten calendar years later (29 February becomes 28 February).
std::chrono::sys_seconds TenYearsAfter(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  year_month_day ymd = year_month_day(day) + years(10);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return sys_days(ymd) + (t - day);
}

Result<EvpPkeyPtr> GenerateKeyPair(const AlgorithmInfo& info, int bits) {
  ClearOpenSslErrors();
  EVP_PKEY* raw = nullptr;
  switch (info.type) {
    case KeyType::kRsa:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits));
      break;
    case KeyType::kEc:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", std::string(info.curve).c_str());
      break;
    default:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (raw == nullptr) return OpenSslError(StatusCode::kInternal, "generating the key pair");
  return EvpPkeyPtr(raw);
}

Result<X509Ptr> SelfSignedCertificate(EVP_PKEY* pkey, const AlgorithmInfo& info,
                                      std::span<const std::uint8_t> serial,
                                      std::string_view common_name, Instant now) {
  using namespace std::chrono;
  X509Ptr cert(X509_new());
  if (!cert) return OpenSslError(StatusCode::kInternal, "creating the certificate");
  BignumPtr serial_bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  const sys_seconds from = floor<seconds>(now);
  const sys_seconds to = TenYearsAfter(from);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn(common_name);
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 || !serial_bn ||
      BN_to_ASN1_INTEGER(serial_bn.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()),
                    static_cast<std::time_t>(from.time_since_epoch().count())) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                    static_cast<std::time_t>(to.time_since_epoch().count())) == nullptr ||
      X509_set_pubkey(cert.get(), pkey) != 1) {
    return OpenSslError(StatusCode::kInternal, "filling the certificate");
  }
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    ClearOpenSslErrors();
    return Status::FieldError("invalid", "key.issuer",
                              "the issuer cannot be a certificate common name (1-64 characters)");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1) {
    return OpenSslError(StatusCode::kInternal, "filling the certificate");
  }
  // The certificate is signed with the algorithm's hash; PKCS#1 v1.5 for RSA keys (PS* too:
  // PSS-signed certificates buy nothing here and trouble some parsers). Ed25519: no digest.
  const EVP_MD* md = info.type == KeyType::kOkp ? nullptr : DigestOf(info);
  if (X509_sign(cert.get(), pkey, md) <= 0) {
    return OpenSslError(StatusCode::kInternal, "signing the certificate");
  }
  return cert;
}

Status CheckLengthForGeneration(const Key& request, const AlgorithmInfo& info, int& bits) {
  switch (info.type) {
    case KeyType::kRsa:
      if (request.length == 0) {
        return Status::FieldError("missing", "key.length",
                                  "RSA keys need a length: 2048, 3072 or 4096");
      }
      if (request.length != 2048 && request.length != 3072 && request.length != 4096) {
        return Status::FieldError("invalid", "key.length", "RSA keys are 2048, 3072 or 4096 bits");
      }
      bits = request.length;
      return Status::Ok();
    case KeyType::kEc: {
      const int expected = info.ec_bytes == 66 ? 521 : static_cast<int>(info.ec_bytes * 8);
      if (request.length != 0 && request.length != expected) {
        return Status::FieldError("invalid", "key.length",
                                  "the length does not match the algorithm's curve");
      }
      bits = expected;
      return Status::Ok();
    }
    default:
      bits = 0;
      return Status::Ok();
  }
}

Result<std::string> RandomHex(Random& random, std::size_t bytes) {
  std::vector<std::uint8_t> buf(bytes);
  BULWARK_RETURN_IF_ERROR(random.Fill(std::as_writable_bytes(std::span(buf))));
  return LowerHex(buf);
}

Result<Key> GenerateHmac(const Key& request, const AlgorithmInfo& info, Random& random) {
  Key key = request;
  key.type = KeyType::kHmac;
  key.length = 0;
  key.issuer.clear();  // FusionAuth: does not apply to HMAC keys
  key.certificate.clear();
  key.certificate_information.reset();
  key.public_key.clear();
  key.private_key.clear();
  key.has_private_key = false;
  key.expiration_instant.reset();
  SecretBytes bytes(info.hash_bytes);
  BULWARK_RETURN_IF_ERROR(random.Fill(std::as_writable_bytes(std::span(bytes.bytes()))));
  key.secret = Base64Encode(bytes.bytes());  // the temporary is wiped by SecretString
  if (key.kid.empty()) {
    BULWARK_ASSIGN_OR_RETURN(key.kid, RandomHex(random, 5));
  }
  return key;
}

}  // namespace

Result<CertificateInformation> DescribeX509(const X509* cert) {
  CertificateInformation info;
  info.issuer = NameString(X509_get_issuer_name(cert));
  info.subject = NameString(X509_get_subject_name(cert));
  BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial) return OpenSslError(StatusCode::kInvalidArgument, "the serial number");
  std::vector<std::uint8_t> serial_bytes = BignumBytes(serial.get());
  // As the DER INTEGER (and Java's BigInteger.toByteArray): a leading 00 keeps it positive.
  if (serial_bytes.empty() || serial_bytes.front() >= 0x80) {
    serial_bytes.insert(serial_bytes.begin(), 0);
  }
  info.serial_number = ColonHex(serial_bytes);
  const std::vector<std::uint8_t> der = CertificateDer(cert);
  if (der.empty()) return Status::InvalidArgument("the certificate cannot be encoded");
  info.md5_fingerprint = ColonHex(Digest(EVP_md5(), der));
  const std::vector<std::uint8_t> sha1 = Digest(EVP_sha1(), der);
  const std::vector<std::uint8_t> sha256 = Digest(EVP_sha256(), der);
  info.sha1_fingerprint = ColonHex(sha1);
  info.sha1_thumbprint = Base64UrlEncode(sha1);
  info.sha256_fingerprint = ColonHex(sha256);
  info.sha256_thumbprint = Base64UrlEncode(sha256);
  info.valid_from = TimeOf(X509_get0_notBefore(cert));
  info.valid_to = TimeOf(X509_get0_notAfter(cert));
  return info;
}

std::string IssuerCommonName(const X509* cert) {
  const X509_NAME* name = X509_get_issuer_name(cert);
  const int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (i < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) {
    ClearOpenSslErrors();
    return "";
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

Status FillFromMaterial(Key& key, const EVP_PKEY* public_key, const EVP_PKEY* private_key,
                        const X509* cert) {
  Result<PkeyInfo> described = DescribePkey(public_key);
  if (!described.ok()) {
    return FieldFailure("invalid", cert != nullptr ? "key.certificate" : "key.publicKey",
                        described.status());
  }
  const PkeyInfo& info = *described;
  const std::optional<KeyType> type = KeyTypeOf(info);
  if (key.type.has_value() && key.type != type) {
    return Status::FieldError("invalid", "key.type", "the type does not match the key");
  }
  key.type = type;
  if (!key.algorithm.has_value()) key.algorithm = DefaultAlgorithmFor(info);
  BULWARK_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(*key.algorithm, info, 0));
  const int length = KeyLength(info);
  if (key.length != 0 && key.length != length) {
    return Status::FieldError("invalid", "key.length", "the length does not match the key");
  }
  key.length = length;
  BULWARK_ASSIGN_OR_RETURN(key.public_key, PublicKeyPem(public_key));
  key.has_private_key = private_key != nullptr;
  if (private_key != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(key.private_key, PrivateKeyPem(private_key));
  } else {
    key.private_key.clear();
  }
  if (cert != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(key.certificate, CertificatePem(cert));
    BULWARK_ASSIGN_OR_RETURN(CertificateInformation ci, DescribeX509(cert));
    key.expiration_instant = ci.valid_to;
    if (key.kid.empty()) key.kid = ci.sha1_thumbprint;
    if (key.issuer.empty()) key.issuer = IssuerCommonName(cert);
    key.certificate_information = std::move(ci);
  } else {
    key.certificate.clear();
    key.certificate_information.reset();
    if (key.kid.empty()) {
      BULWARK_ASSIGN_OR_RETURN(key.kid, ThumbprintOf(public_key));
    }
  }
  return Status::Ok();
}

}  // namespace internal

Result<CertificateInformation> DescribeCertificate(std::string_view certificate) {
  BULWARK_ASSIGN_OR_RETURN(internal::X509Ptr cert, internal::ParseCertificate(certificate));
  return internal::DescribeX509(cert.get());
}

Result<Key> GenerateKey(const Key& request, Random& random, Instant now) {
  using namespace internal;
  if (!request.algorithm.has_value()) {
    return Status::FieldError("missing", "key.algorithm", "the key needs an algorithm");
  }
  const AlgorithmInfo& info = InfoOf(*request.algorithm);
  if (request.type.has_value() && *request.type != info.type) {
    return Status::FieldError("invalid", "key.type", "the type does not match the algorithm");
  }
  if (info.type == KeyType::kHmac) return GenerateHmac(request, info, random);

  int bits = 0;
  BULWARK_RETURN_IF_ERROR(CheckLengthForGeneration(request, info, bits));
  if (request.issuer.empty()) {
    return Status::FieldError("missing", "key.issuer",
                              "key pairs need an issuer for their certificate");
  }
  BULWARK_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, GenerateKeyPair(info, bits));

  std::vector<std::uint8_t> serial(request.id.uuid().bytes().begin(),
                                   request.id.uuid().bytes().end());
  if (request.id.IsNil()) {
    BULWARK_RETURN_IF_ERROR(random.Fill(std::as_writable_bytes(std::span(serial))));
    serial[0] &= 0x7F;
    serial[0] |= 0x01;  // never zero, never negative
  }
  BULWARK_ASSIGN_OR_RETURN(X509Ptr cert,
                           SelfSignedCertificate(pkey.get(), info, serial, request.issuer, now));
  Key key = request;
  key.type.reset();
  key.length = 0;
  key.secret.clear();
  BULWARK_RETURN_IF_ERROR(FillFromMaterial(key, pkey.get(), pkey.get(), cert.get()));
  return key;
}

Result<Key> ImportKey(const Key& request, Random& random) {
  using namespace internal;
  Key key = request;
  const bool has_pair_material =
      !key.certificate.empty() || !key.public_key.empty() || !key.private_key.empty();
  const bool hmac = key.type == KeyType::kHmac ||
                    (key.algorithm.has_value() && InfoOf(*key.algorithm).type == KeyType::kHmac) ||
                    (!key.secret.empty() && !has_pair_material);
  if (hmac) {
    if (has_pair_material) {
      return Status::FieldError("invalid",
                                !key.certificate.empty()  ? "key.certificate"
                                : !key.public_key.empty() ? "key.publicKey"
                                                          : "key.privateKey",
                                "HMAC keys hold a secret only");
    }
    if (!key.algorithm.has_value()) {
      return Status::FieldError("missing", "key.algorithm",
                                "HMAC keys need an algorithm: HS256, HS384 or HS512");
    }
    if (InfoOf(*key.algorithm).type != KeyType::kHmac || key.type == KeyType::kRsa ||
        key.type == KeyType::kEc || key.type == KeyType::kOkp) {
      return Status::FieldError("invalid", "key.algorithm",
                                "a secret can only be used with HS256, HS384 or HS512");
    }
    if (key.secret.empty()) {
      return Status::FieldError("blank", "key.secret", "HMAC keys need a secret");
    }
    if (key.secret.size() < kMinHmacSecretBytes) {
      return Status::FieldError("tooShort", "key.secret",
                                "the HMAC secret must be at least 32 bytes");
    }
    key.type = KeyType::kHmac;
    key.length = 0;
    key.has_private_key = false;
    key.certificate_information.reset();
    key.expiration_instant.reset();
    if (key.kid.empty()) {
      BULWARK_ASSIGN_OR_RETURN(key.kid, RandomHex(random, 5));
    }
    Errors errors = Validate(key);
    if (!errors.empty()) return Status::Validation(std::move(errors));
    return key;
  }

  if (!key.secret.empty()) {
    return Status::FieldError("invalid", "key.secret", "a key pair has no secret");
  }
  if (!has_pair_material) {
    return Status::FieldError("missing", "key.publicKey",
                              "import needs a certificate, a public key, a private key or a "
                              "secret");
  }
  X509Ptr cert;
  EvpPkeyPtr public_key;
  EvpPkeyPtr private_key;
  if (!key.certificate.empty()) {
    Result<X509Ptr> parsed = ParseCertificate(key.certificate);
    if (!parsed.ok()) return FieldFailure("invalid", "key.certificate", parsed.status());
    cert = std::move(parsed).value();
    public_key = UpRef(X509_get0_pubkey(cert.get()));
    if (!public_key) return Status::FieldError("invalid", "key.certificate", "no public key");
  }
  if (!key.public_key.empty()) {
    Result<EvpPkeyPtr> parsed = ParsePublicKeyPem(key.public_key);
    if (!parsed.ok()) return FieldFailure("invalid", "key.publicKey", parsed.status());
    if (public_key && !SamePublicKey(public_key.get(), parsed->get())) {
      return Status::FieldError("invalid", "key.publicKey",
                                "the public key is not the certificate's key");
    }
    if (!public_key) public_key = std::move(parsed).value();
  }
  if (!key.private_key.empty()) {
    BULWARK_ASSIGN_OR_RETURN(private_key, PrivatePkeyOf(key));
    if (public_key && !SamePublicKey(public_key.get(), private_key.get())) {
      return Status::FieldError("invalid", "key.privateKey",
                                cert ? "the private key does not match the certificate"
                                     : "the private key does not match the public key");
    }
    if (!public_key) {
      BULWARK_ASSIGN_OR_RETURN(public_key, PublicOnly(private_key.get()));
    }
  }
  BULWARK_RETURN_IF_ERROR(FillFromMaterial(key, public_key.get(), private_key.get(), cert.get()));
  Errors errors = Validate(key);
  if (!errors.empty()) return Status::Validation(std::move(errors));
  return key;
}

}  // namespace bulwark
