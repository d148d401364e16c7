// SPDX-License-Identifier: Apache-2.0
#include "crypto/openssl_util.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>
#include <string>

#include "crypto/base64.h"

namespace bulwark::internal {
namespace {

// Bounds what is handed to the PEM and DER parsers (certificates and keys are a few KiB).
constexpr std::size_t kMaxPemBytes = 256 * 1024;

// One PEM block as read by PEM_read_bio; the data buffer is wiped on release because it may
// be a private key.
struct PemBlock {
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;  // NOLINT(google-runtime-int): OpenSSL's type
  PemBlock() = default;
  PemBlock(const PemBlock&) = delete;
  PemBlock& operator=(const PemBlock&) = delete;
  ~PemBlock() { Reset(); }
  void Reset() {
    OPENSSL_free(name);
    OPENSSL_free(header);
    if (data != nullptr) OPENSSL_clear_free(data, static_cast<std::size_t>(len));
    name = header = nullptr;
    data = nullptr;
    len = 0;
  }
};

Result<BioPtr> ReadOnlyBio(std::string_view text) {
  if (text.size() > kMaxPemBytes) return Status::InvalidArgument("the PEM text is too large");
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) return OpenSslError(StatusCode::kInternal, "BIO_new_mem_buf");
  return bio;
}

// Reads the next PEM block whose label is not in `skip`. kInvalidArgument when there is
// none, or when the block carries encryption headers.
Status NextPemBlock(BIO* bio, PemBlock& block, std::string_view what,
                    std::initializer_list<std::string_view> skip = {}) {
  for (;;) {
    block.Reset();
    if (PEM_read_bio(bio, &block.name, &block.header, &block.data, &block.len) != 1) {
      ClearOpenSslErrors();
      std::string message = "no ";
      message.append(what).append(" PEM block found");
      return Status::InvalidArgument(message);
    }
    bool skipped = false;
    for (std::string_view s : skip) skipped = skipped || s == block.name;
    if (skipped) continue;
    if (block.header != nullptr && block.header[0] != '\0') {
      return Status::InvalidArgument("encrypted PEM blocks are not supported");
    }
    return Status::Ok();
  }
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int)
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string_view JwkCurveName(std::string_view group) {
  if (group == "prime256v1" || group == "P-256") return "P-256";
  if (group == "secp384r1" || group == "P-384") return "P-384";
  if (group == "secp521r1" || group == "P-521") return "P-521";
  return "";
}

}  // namespace

EvpPkeyPtr UpRef(EVP_PKEY* pkey) {
  if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1) return nullptr;
  return EvpPkeyPtr(pkey);
}

Status OpenSslError(StatusCode code, std::string_view what) {
  std::string message(what);
  const unsigned long e = ERR_peek_error();  // NOLINT(google-runtime-int)
  if (e != 0) {
    const char* reason = ERR_reason_error_string(e);
    message.append(": ").append(reason != nullptr ? reason : "OpenSSL error");
  }
  ERR_clear_error();
  return Status(code, message);
}

void ClearOpenSslErrors() { ERR_clear_error(); }

SecretBytes::~SecretBytes() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::string_view AsText(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::vector<std::uint8_t> Digest(const EVP_MD* md, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr) != 1) {
    ClearOpenSslErrors();
    return {};
  }
  out.resize(n);
  return out;
}

std::string ColonHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xF]);
  }
  return out;
}

std::string LowerHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::vector<std::uint8_t> BignumBytes(const BIGNUM* bn, std::size_t width) {
  const std::size_t n = static_cast<std::size_t>(BN_num_bytes(bn));
  std::vector<std::uint8_t> out(width > n ? width : n);
  BN_bn2binpad(bn, out.data(), static_cast<int>(out.size()));
  return out;
}

namespace {

// The number of significant bits of a big-endian unsigned integer.
std::size_t BitLength(std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && bytes[i] == 0) ++i;
  if (i == bytes.size()) return 0;
  std::size_t bits = (bytes.size() - i - 1) * 8;
  for (unsigned top = bytes[i]; top != 0; top >>= 1) ++bits;
  return bits;
}

constexpr std::size_t kMinRsaModulusBits = 1024;
constexpr std::size_t kMaxRsaModulusBits = 16384;
constexpr std::size_t kMaxRsaExponentBits = 256;

Status CheckRsaPkey(const EVP_PKEY* pkey) {
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  const bool read = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
                    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1;
  BignumPtr n_owned(n);
  BignumPtr e_owned(e);
  if (!read) return OpenSslError(StatusCode::kInvalidArgument, "reading the RSA key");
  const std::optional<RsaNumbersProblem> problem =
      CheckRsaNumbers(BignumBytes(n), BignumBytes(e));
  if (problem) return Status::InvalidArgument(problem->message);
  return Status::Ok();
}

}  // namespace

std::optional<RsaNumbersProblem> CheckRsaNumbers(std::span<const std::uint8_t> n,
                                                 std::span<const std::uint8_t> e) {
  const std::size_t n_bits = BitLength(n);
  const std::size_t e_bits = BitLength(e);
  if (n_bits < kMinRsaModulusBits || n_bits > kMaxRsaModulusBits || (n.back() & 1) == 0) {
    return RsaNumbersProblem{"n", "the RSA modulus must be odd and 1024 to 16384 bits"};
  }
  if (e_bits < 2 || e_bits > kMaxRsaExponentBits || e_bits >= n_bits || (e.back() & 1) == 0) {
    return RsaNumbersProblem{
        "e", "the RSA exponent must be odd, at least 3 and at most 256 bits"};
  }
  return std::nullopt;
}

Result<PkeyInfo> DescribePkey(const EVP_PKEY* pkey) {
  PkeyInfo info;
  info.base_id = EVP_PKEY_get_base_id(pkey);
  info.bits = EVP_PKEY_get_bits(pkey);
  switch (info.base_id) {
    case EVP_PKEY_RSA: {
      BULWARK_RETURN_IF_ERROR(CheckRsaPkey(pkey));
      BIGNUM* d = nullptr;
      info.has_private = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &d) == 1;
      BN_clear_free(d);
      break;
    }
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                         &len) != 1) {
        ClearOpenSslErrors();
        return Status::InvalidArgument("the EC key has no named curve");
      }
      info.curve = std::string(JwkCurveName(std::string_view(group, len)));
      if (info.curve.empty()) {
        return Status::InvalidArgument("EC keys must be on P-256, P-384 or P-521");
      }
      BIGNUM* priv = nullptr;
      info.has_private = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &priv) == 1;
      BN_clear_free(priv);
      break;
    }
    case EVP_PKEY_ED25519: {
      std::size_t len = 0;
      info.has_private = EVP_PKEY_get_raw_private_key(pkey, nullptr, &len) == 1;
      break;
    }
    default:
      return Status::InvalidArgument(
          "only RSA, EC (P-256, P-384, P-521) and Ed25519 keys are "
          "supported");
  }
  ClearOpenSslErrors();
  return info;
}

Result<EvpPkeyPtr> ParsePublicKeyPem(std::string_view pem) {
  ClearOpenSslErrors();
  BULWARK_ASSIGN_OR_RETURN(BioPtr bio, ReadOnlyBio(pem));
  PemBlock block;
  BULWARK_RETURN_IF_ERROR(NextPemBlock(bio.get(), block, "public key"));
  const std::string_view name = block.name;
  const unsigned char* p = block.data;
  EVP_PKEY* raw = nullptr;
  if (name == "PUBLIC KEY") {
    raw = d2i_PUBKEY(nullptr, &p, block.len);
  } else if (name == "RSA PUBLIC KEY") {
    raw = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, block.len);
  } else {
    return Status::InvalidArgument("expected a PUBLIC KEY PEM block");
  }
  EvpPkeyPtr pkey(raw);
  if (!pkey) return OpenSslError(StatusCode::kInvalidArgument, "the public key does not parse");
  if (p != block.data + block.len) {
    return Status::InvalidArgument("trailing bytes after the public key");
  }
  return pkey;
}

Result<EvpPkeyPtr> ParsePrivateKeyPem(std::string_view pem) {
  ClearOpenSslErrors();
  BULWARK_ASSIGN_OR_RETURN(BioPtr bio, ReadOnlyBio(pem));
  PemBlock block;
  BULWARK_RETURN_IF_ERROR(NextPemBlock(bio.get(), block, "private key", {"EC PARAMETERS"}));
  const std::string_view name = block.name;
  if (name == "ENCRYPTED PRIVATE KEY") {
    return Status::InvalidArgument("encrypted private keys are not supported");
  }
  if (name != "PRIVATE KEY" && name != "RSA PRIVATE KEY" && name != "EC PRIVATE KEY") {
    return Status::InvalidArgument("expected a PRIVATE KEY PEM block");
  }
  const unsigned char* p = block.data;
  EvpPkeyPtr pkey(d2i_AutoPrivateKey(nullptr, &p, block.len));
  if (!pkey) return OpenSslError(StatusCode::kInvalidArgument, "the private key does not parse");
  if (p != block.data + block.len) {
    return Status::InvalidArgument("trailing bytes after the private key");
  }
  return pkey;
}

Result<X509Ptr> ParseCertificate(std::string_view text) {
  ClearOpenSslErrors();
  std::vector<std::uint8_t> der;
  if (text.find("-----BEGIN") != std::string_view::npos) {
    BULWARK_ASSIGN_OR_RETURN(BioPtr bio, ReadOnlyBio(text));
    PemBlock block;
    BULWARK_RETURN_IF_ERROR(NextPemBlock(bio.get(), block, "certificate"));
    if (std::string_view(block.name) != "CERTIFICATE") {
      return Status::InvalidArgument("expected a CERTIFICATE PEM block");
    }
    der.assign(block.data, block.data + block.len);
  } else {
    if (text.size() > kMaxPemBytes) return Status::InvalidArgument("the certificate is too large");
    std::string compact;
    compact.reserve(text.size());
    for (char c : text) {
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact.push_back(c);
    }
    Result<std::vector<std::uint8_t>> decoded = Base64Decode(compact);
    if (!decoded.ok()) {
      return Status::InvalidArgument("the certificate is neither PEM nor Base64 DER");
    }
    der = std::move(decoded).value();
  }
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));  // NOLINT
  if (!cert) return OpenSslError(StatusCode::kInvalidArgument, "the certificate does not parse");
  if (p != der.data() + der.size()) {
    return Status::InvalidArgument("trailing bytes after the certificate");
  }
  return cert;
}

Result<std::string> PublicKeyPem(const EVP_PKEY* pkey) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), const_cast<EVP_PKEY*>(pkey)) != 1) {
    return OpenSslError(StatusCode::kInternal, "writing the public key PEM");
  }
  return BioContents(bio.get());
}

Result<SecretString> PrivateKeyPem(const EVP_PKEY* pkey) {
  // BIO_s_secmem wipes its buffer when freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), const_cast<EVP_PKEY*>(pkey), nullptr, nullptr, 0,
                                       nullptr, nullptr) != 1) {
    return OpenSslError(StatusCode::kInternal, "writing the private key PEM");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);  // NOLINT(google-runtime-int)
  return SecretString(std::string_view(data, n > 0 ? static_cast<std::size_t>(n) : 0));
}

Result<EvpPkeyPtr> PublicOnly(const EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(const_cast<EVP_PKEY*>(pkey), &der);
  if (n <= 0) return OpenSslError(StatusCode::kInternal, "extracting the public key");
  const unsigned char* p = der;
  EvpPkeyPtr pub(d2i_PUBKEY(nullptr, &p, n));
  OPENSSL_free(der);
  if (!pub) return OpenSslError(StatusCode::kInternal, "extracting the public key");
  return pub;
}

Result<std::string> CertificatePem(const X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), const_cast<X509*>(cert)) != 1) {
    return OpenSslError(StatusCode::kInternal, "writing the certificate PEM");
  }
  return BioContents(bio.get());
}

std::vector<std::uint8_t> CertificateDer(const X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0) {
    ClearOpenSslErrors();
    return {};
  }
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

bool SamePublicKey(const EVP_PKEY* a, const EVP_PKEY* b) {
  const bool same = EVP_PKEY_eq(a, b) == 1;
  ClearOpenSslErrors();
  return same;
}

}  // namespace bulwark::internal
