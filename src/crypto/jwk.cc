// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/jwk.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/algorithms.h"
#include "crypto/base64.h"
#include "crypto/jose_json.h"
#include "crypto/key_material.h"
#include "crypto/openssl_util.h"

namespace bulwark {
namespace internal {
namespace {

std::size_t CoordinateBytes(std::string_view curve) {
  if (curve == "P-256") return 32;
  if (curve == "P-384") return 48;
  if (curve == "P-521") return 66;
  return 0;
}

std::string_view GroupName(std::string_view curve) {
  if (curve == "P-256") return "prime256v1";
  if (curve == "P-384") return "secp384r1";
  if (curve == "P-521") return "secp521r1";
  return "";
}

Result<std::string> BnMember(const EVP_PKEY* pkey, const char* param, std::size_t width = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1) {
    return OpenSslError(StatusCode::kInvalidArgument, "reading the key");
  }
  BignumPtr bn(raw);
  return Base64UrlEncode(BignumBytes(bn.get(), width));
}

Status JwkError(std::string_view member, std::string_view message) {
  std::string path = "jwk.";
  path.append(member);
  return Status::FieldError("invalid", path, message);
}

// A required base64url member's bytes.
Result<std::vector<std::uint8_t>> Member(const nlohmann::json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return JwkError(name, "missing or not a string");
  Result<std::vector<std::uint8_t>> bytes = Base64UrlDecode(it->get_ref<const std::string&>());
  if (!bytes.ok() || bytes->empty()) return JwkError(name, "not base64url");
  return bytes;
}

std::string StringMember(const nlohmann::json& jwk, const char* name) {
  const auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What FromParams checks of the key it builds.
enum class KeyCheck {
  kOpenSsl,   // OpenSSL's public-key (with_private: pairwise) check
  kNone,      // the caller checked the parameters itself
};

Result<EvpPkeyPtr> FromParams(const char* type, OSSL_PARAM_BLD* bld, bool with_private,
                              KeyCheck key_check = KeyCheck::kOpenSsl) {
  OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1) {
    return OpenSslError(StatusCode::kInvalidArgument, "the JWK is not a valid key");
  }
  EvpPkeyPtr pkey(raw);
  if (key_check == KeyCheck::kNone) return pkey;
  // The public point must be on the curve, the key pair consistent.
  EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || (with_private ? EVP_PKEY_pairwise_check(check.get())
                              : EVP_PKEY_public_check(check.get())) != 1) {
    return OpenSslError(StatusCode::kInvalidArgument, "the JWK fails the key check");
  }
  return pkey;
}

bool PushBn(OSSL_PARAM_BLD* bld, const char* name, const std::vector<std::uint8_t>& bytes,
            std::vector<BignumPtr>& keep) {
  BignumPtr bn(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  if (!bn || OSSL_PARAM_BLD_push_BN(bld, name, bn.get()) != 1) return false;
  keep.push_back(std::move(bn));  // the builder refers to it until to_param
  return true;
}

Result<EvpPkeyPtr> RsaFromJwk(const nlohmann::json& jwk, bool with_private) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> n, Member(jwk, "n"));
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> e, Member(jwk, "e"));
  // Checked here, not by OpenSSL's public-key check (see CheckRsaNumbers).
  if (const std::optional<RsaNumbersProblem> problem = CheckRsaNumbers(n, e)) {
    return JwkError(problem->member, problem->message);
  }
  OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BignumPtr> keep;
  if (!bld || !PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_N, n, keep) ||
      !PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_E, e, keep)) {
    return OpenSslError(StatusCode::kInternal, "building the RSA key");
  }
  if (with_private) {
    BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> d_bytes, Member(jwk, "d"));
    SecretBytes d(std::move(d_bytes));
    bool ok = PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.bytes(), keep);
    static constexpr std::pair<const char*, const char*> kCrt[] = {
        {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
        {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
        {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
        {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
        {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
    bool all_crt = true;
    for (const auto& [member, param] : kCrt) all_crt = all_crt && jwk.contains(member);
    for (const auto& [member, param] : kCrt) {
      if (!all_crt) break;
      BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> v, Member(jwk, member));
      SecretBytes secret(std::move(v));
      ok = ok && PushBn(bld.get(), param, secret.bytes(), keep);
    }
    if (!ok) return OpenSslError(StatusCode::kInternal, "building the RSA key");
  }
  // A key pair keeps OpenSSL's pairwise check (d must fit n and e).
  return FromParams("RSA", bld.get(), with_private,
                    with_private ? KeyCheck::kOpenSsl : KeyCheck::kNone);
}

Result<EvpPkeyPtr> EcFromJwk(const nlohmann::json& jwk, bool with_private) {
  const std::string crv = StringMember(jwk, "crv");
  const std::size_t width = CoordinateBytes(crv);
  if (width == 0) return JwkError("crv", "EC keys must be on P-256, P-384 or P-521");
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> x, Member(jwk, "x"));
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> y, Member(jwk, "y"));
  // RFC 7518 §6.2.1.2: full-length coordinates.
  if (x.size() != width) return JwkError("x", "the coordinate has the wrong length");
  if (y.size() != width) return JwkError("y", "the coordinate has the wrong length");
  std::vector<std::uint8_t> point{0x04};
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  const std::string group(GroupName(crv));
  OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BignumPtr> keep;
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return OpenSslError(StatusCode::kInternal, "building the EC key");
  }
  if (with_private) {
    BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> d_bytes, Member(jwk, "d"));
    SecretBytes d(std::move(d_bytes));
    if (d.bytes().size() != width) return JwkError("d", "the private key has the wrong length");
    if (!PushBn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.bytes(), keep)) {
      return OpenSslError(StatusCode::kInternal, "building the EC key");
    }
  }
  return FromParams("EC", bld.get(), with_private);
}

Result<EvpPkeyPtr> OkpFromJwk(const nlohmann::json& jwk, bool with_private) {
  if (StringMember(jwk, "crv") != "Ed25519") return JwkError("crv", "OKP keys must be Ed25519");
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> x, Member(jwk, "x"));
  if (x.size() != 32) return JwkError("x", "an Ed25519 public key is 32 bytes");
  if (with_private) {
    BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> d_bytes, Member(jwk, "d"));
    SecretBytes d(std::move(d_bytes));
    if (d.bytes().size() != 32) return JwkError("d", "an Ed25519 private key is 32 bytes");
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, d.bytes().data(), 32));
    if (!pkey) return OpenSslError(StatusCode::kInvalidArgument, "the JWK is not a valid key");
    std::vector<std::uint8_t> derived(32);
    std::size_t len = derived.size();
    if (EVP_PKEY_get_raw_public_key(pkey.get(), derived.data(), &len) != 1 || derived != x) {
      ClearOpenSslErrors();
      return JwkError("d", "the private key does not match \"x\"");
    }
    return pkey;
  }
  EvpPkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, x.data(), x.size()));
  if (!pkey) return OpenSslError(StatusCode::kInvalidArgument, "the JWK is not a valid key");
  return pkey;
}

bool IsHmac(const Key& key) {
  return key.type == KeyType::kHmac ||
         (key.algorithm.has_value() && InfoOf(*key.algorithm).type == KeyType::kHmac);
}

}  // namespace

Result<nlohmann::json> PublicJwkMembers(const EVP_PKEY* pkey) {
  BULWARK_ASSIGN_OR_RETURN(PkeyInfo info, DescribePkey(pkey));
  nlohmann::json jwk = nlohmann::json::object();
  switch (info.base_id) {
    case EVP_PKEY_RSA: {
      jwk["kty"] = "RSA";
      BULWARK_ASSIGN_OR_RETURN(jwk["n"], BnMember(pkey, OSSL_PKEY_PARAM_RSA_N));
      BULWARK_ASSIGN_OR_RETURN(jwk["e"], BnMember(pkey, OSSL_PKEY_PARAM_RSA_E));
      break;
    }
    case EVP_PKEY_EC: {
      const std::size_t width = CoordinateBytes(info.curve);
      jwk["kty"] = "EC";
      jwk["crv"] = info.curve;
      BULWARK_ASSIGN_OR_RETURN(jwk["x"], BnMember(pkey, OSSL_PKEY_PARAM_EC_PUB_X, width));
      BULWARK_ASSIGN_OR_RETURN(jwk["y"], BnMember(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, width));
      break;
    }
    default: {
      std::vector<std::uint8_t> x(32);
      std::size_t len = x.size();
      if (EVP_PKEY_get_raw_public_key(pkey, x.data(), &len) != 1 || len != 32) {
        return OpenSslError(StatusCode::kInvalidArgument, "reading the Ed25519 key");
      }
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = Base64UrlEncode(x);
      break;
    }
  }
  ClearOpenSslErrors();
  return jwk;
}

Result<std::string> ThumbprintOf(const EVP_PKEY* pkey) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json jwk, PublicJwkMembers(pkey));
  return JwkThumbprint(jwk);
}

}  // namespace internal

Result<std::string> JwkThumbprint(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return Status::InvalidArgument("a JWK is a JSON object");
  const std::string kty = internal::StringMember(jwk, "kty");
  std::vector<const char*> required;
  if (kty == "RSA") {
    required = {"e", "kty", "n"};
  } else if (kty == "EC") {
    required = {"crv", "kty", "x", "y"};
  } else if (kty == "OKP") {
    required = {"crv", "kty", "x"};  // RFC 8037 §2
  } else if (kty == "oct") {
    required = {"k", "kty"};
  } else {
    return internal::JwkError("kty", "unknown key type");
  }
  // RFC 7638 §3.2: the required members only, names in lexicographic order (std::map order
  // in nlohmann::json), no whitespace.
  nlohmann::json canonical = nlohmann::json::object();
  for (const char* name : required) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
      return internal::JwkError(name, "a required member is missing");
    }
    canonical[name] = *it;
  }
  BULWARK_ASSIGN_OR_RETURN(std::string text, internal::DumpJson(canonical));
  return internal::Base64UrlEncode(internal::Digest(EVP_sha256(), internal::AsBytes(text)));
}

Result<nlohmann::json> ToJwk(const Key& key) {
  using namespace internal;
  if (IsHmac(key)) return Status::InvalidArgument("HMAC keys have no public JWK");
  BULWARK_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, PublicPkeyOf(key));
  BULWARK_ASSIGN_OR_RETURN(PkeyInfo info, DescribePkey(pkey.get()));
  std::optional<KeyAlgorithm> algorithm = key.algorithm;
  if (!algorithm) algorithm = DefaultAlgorithmFor(info);
  BULWARK_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(*algorithm, info, 0));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json jwk, PublicJwkMembers(pkey.get()));
  jwk["use"] = "sig";
  jwk["alg"] = std::string(InfoOf(*algorithm).jose_name);
  if (!key.kid.empty()) {
    jwk["kid"] = key.kid;
  } else {
    BULWARK_ASSIGN_OR_RETURN(jwk["kid"], JwkThumbprint(jwk));
  }
  if (!key.certificate.empty()) {
    Result<X509Ptr> cert = ParseCertificate(key.certificate);
    if (!cert.ok()) return FieldFailure("invalid", "key.certificate", cert.status());
    const std::vector<std::uint8_t> der = CertificateDer(cert->get());
    jwk["x5c"] = nlohmann::json::array({Base64Encode(der)});  // RFC 7517 §4.7: not base64url
    jwk["x5t"] = Base64UrlEncode(Digest(EVP_sha1(), der));
    jwk["x5t#S256"] = Base64UrlEncode(Digest(EVP_sha256(), der));
  }
  return jwk;
}

nlohmann::json ToJwks(std::span<const Key> keys) {
  nlohmann::json list = nlohmann::json::array();
  for (const Key& key : keys) {
    if (internal::IsHmac(key)) continue;
    Result<nlohmann::json> jwk = ToJwk(key);
    if (jwk.ok()) list.push_back(std::move(jwk).value());
  }
  return nlohmann::json{{"keys", std::move(list)}};
}

Result<Key> KeyFromJwk(const nlohmann::json& jwk, const JwkImportOptions& options) {
  using namespace internal;
  if (!jwk.is_object()) return Status::InvalidArgument("a JWK is a JSON object");
  const auto use = jwk.find("use");
  if (use != jwk.end() && (!use->is_string() || *use != "sig")) {
    return JwkError("use", "only signature keys (\"use\": \"sig\") are imported");
  }
  const std::string kty = StringMember(jwk, "kty");
  const bool with_private = options.include_private && jwk.contains("d");
  Result<EvpPkeyPtr> pkey = Status::Internal("unset");
  if (kty == "RSA") {
    pkey = RsaFromJwk(jwk, with_private);
  } else if (kty == "EC") {
    pkey = EcFromJwk(jwk, with_private);
  } else if (kty == "OKP") {
    pkey = OkpFromJwk(jwk, with_private);
  } else {
    return JwkError("kty", "only RSA, EC and OKP (Ed25519) JWKs are imported");
  }
  if (!pkey.ok()) return pkey.status();

  Key key;
  const auto alg = jwk.find("alg");
  if (alg != jwk.end()) {
    if (!alg->is_string()) return JwkError("alg", "not a string");
    const std::string& name = alg->get_ref<const std::string&>();
    std::optional<KeyAlgorithm> a =
        name == "EdDSA" ? std::optional(KeyAlgorithm::kEd25519) : AlgorithmFromJoseName(name);
    if (!a) return JwkError("alg", "not a supported signature algorithm");
    key.algorithm = a;
  }
  const auto kid = jwk.find("kid");
  if (kid != jwk.end()) {
    if (!kid->is_string()) return JwkError("kid", "not a string");
    key.kid = kid->get<std::string>();
  }
  X509Ptr cert;
  const auto x5c = jwk.find("x5c");
  if (x5c != jwk.end()) {
    if (!x5c->is_array() || x5c->empty() || !(*x5c)[0].is_string()) {
      return JwkError("x5c", "not an array of Base64 certificates");
    }
    Result<X509Ptr> parsed = ParseCertificate((*x5c)[0].get_ref<const std::string&>());
    if (!parsed.ok()) return JwkError("x5c", parsed.status().message());
    cert = std::move(parsed).value();
    if (!SamePublicKey(X509_get0_pubkey(cert.get()), pkey->get())) {
      return JwkError("x5c", "the certificate's key is not the JWK's key");
    }
    const std::string x5t = StringMember(jwk, "x5t");
    if (!x5t.empty() && x5t != Base64UrlEncode(Digest(EVP_sha1(), CertificateDer(cert.get())))) {
      return JwkError("x5t", "not the certificate's SHA-1 thumbprint");
    }
  }
  EvpPkeyPtr public_only;
  if (with_private) {
    BULWARK_ASSIGN_OR_RETURN(public_only, PublicOnly(pkey->get()));
  }
  Status filled = FillFromMaterial(key, with_private ? public_only.get() : pkey->get(),
                                   with_private ? pkey->get() : nullptr, cert.get());
  if (!filled.ok()) {
    // Re-home the field error on the JWK member it came from.
    if (filled.errors().HasField("invalid", "key.algorithm")) {
      return JwkError("alg", "the algorithm does not fit the key");
    }
    return JwkError("kty", filled.message());
  }
  return key;
}

}  // namespace bulwark
