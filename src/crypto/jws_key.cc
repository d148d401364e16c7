// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/jws_key.h"

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "crypto/jws_key_state.h"
#include "crypto/key_material.h"

namespace bulwark {
namespace internal {
namespace {

// JWA §3.2 asks for an HMAC key at least as long as the hash. FusionAuth's own HMAC keys
// use the application's client secret (43 characters) for HS384/HS512 too, so bulwark asks
// for 32 bytes whatever the hash; GenerateKey always makes secrets of the full hash length.
// NOTE(compat): FusionAuth's exact minimum for imported secrets is not documented.
constexpr std::size_t kMinHmacSecretBytes = 32;
constexpr int kMinRsaBitsToSign = 2048;
constexpr int kMinRsaBitsToVerify = 1024;  // FusionAuth imports 1024-bit public keys

Result<std::shared_ptr<JwsKeyState>> BuildHmac(const Key& key, const AlgorithmInfo& info) {
  if (key.type.has_value() && *key.type != KeyType::kHmac) {
    return Status::FieldError("invalid", "key.algorithm",
                              "an HMAC algorithm needs an HMAC key (a secret)");
  }
  if (key.secret.empty()) {
    return Status::FieldError("missing", "key.secret", "the HMAC key has no secret");
  }
  if (key.secret.size() < kMinHmacSecretBytes) {
    return Status::FieldError("invalid", "key.secret", "the HMAC secret is shorter than 32 bytes");
  }
  auto state = std::make_shared<JwsKeyState>();
  state->info = &info;
  state->kid = key.kid;
  state->can_sign = true;
  state->signature_bytes = info.hash_bytes;
  ClearOpenSslErrors();
  state->md.reset(EVP_MD_fetch(nullptr, std::string(info.digest).c_str(), nullptr));
  if (!state->md) return OpenSslError(StatusCode::kInternal, "fetching the HMAC digest");
  // K0 (RFC 2104 §2): the secret, or its digest when longer than a block, zero-padded to a
  // block; then the inner and outer states after absorbing K0 XOR ipad and K0 XOR opad.
  constexpr std::size_t kMaxBlock = 128;  // SHA-512's
  const int block_size = EVP_MD_get_block_size(state->md.get());
  if (block_size <= 0 || static_cast<std::size_t>(block_size) > kMaxBlock) {
    return Status::Internal("unexpected HMAC digest block size");
  }
  const auto block = static_cast<std::size_t>(block_size);
  std::array<unsigned char, kMaxBlock> k0{};
  std::array<unsigned char, kMaxBlock> pad{};
  const std::string_view secret = key.secret.view();
  const auto wipe = [&] {
    OPENSSL_cleanse(k0.data(), k0.size());
    OPENSSL_cleanse(pad.data(), pad.size());
  };
  if (secret.size() > block) {
    unsigned int n = 0;
    if (EVP_Digest(secret.data(), secret.size(), k0.data(), &n, state->md.get(), nullptr) != 1) {
      wipe();
      return OpenSslError(StatusCode::kInternal, "hashing the HMAC key");
    }
  } else {
    std::copy(secret.begin(), secret.end(), k0.begin());
  }
  const auto absorb = [&](unsigned char byte, EvpMdCtxPtr& ctx) {
    for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<unsigned char>(k0[i] ^ byte);
    ctx.reset(EVP_MD_CTX_new());
    return ctx && EVP_DigestInit_ex(ctx.get(), state->md.get(), nullptr) == 1 &&
           EVP_DigestUpdate(ctx.get(), pad.data(), block) == 1;
  };
  const bool keyed = absorb(0x36, state->hmac_inner) && absorb(0x5c, state->hmac_outer);
  wipe();
  if (!keyed) return OpenSslError(StatusCode::kInternal, "keying HMAC");
  return state;
}

// Sets the RSA padding for RS* (PKCS#1 v1.5, OpenSSL's default) and PS* (RFC 7518 §3.5:
// MGF1 with the same hash, salt length = hash length).
bool ConfigurePadding(EVP_PKEY_CTX* pctx, const AlgorithmInfo& info) {
  if (!info.pss) return true;
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

// A context ready to sign or verify with the state's key; null when OpenSSL refuses.
EvpMdCtxPtr StartOperation(const JwsKeyState& state, bool sign) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx) return nullptr;
  const int started =
      sign ? EVP_DigestSignInit(ctx.get(), &pctx, state.md.get(), nullptr, state.pkey.get())
           : EVP_DigestVerifyInit(ctx.get(), &pctx, state.md.get(), nullptr, state.pkey.get());
  if (started != 1 || !ConfigurePadding(pctx, *state.info)) return nullptr;
  return ctx;
}

// A template that copies into a working context, or null (and the error queue cleared)
// when this OpenSSL cannot copy it: the caller then starts each operation afresh.
EvpMdCtxPtr MakeTemplate(const JwsKeyState& state, bool sign) {
  EvpMdCtxPtr ctx = StartOperation(state, sign);
  if (ctx) {
    EvpMdCtxPtr copy(EVP_MD_CTX_new());
    if (!copy || EVP_MD_CTX_copy_ex(copy.get(), ctx.get()) != 1) ctx.reset();
  }
  ClearOpenSslErrors();
  return ctx;
}

Result<std::shared_ptr<JwsKeyState>> BuildAsymmetric(const Key& key, const AlgorithmInfo& info,
                                                     bool for_signing) {
  EvpPkeyPtr pkey;
  if (for_signing) {
    BULWARK_ASSIGN_OR_RETURN(pkey, PrivatePkeyOf(key));
  } else {
    BULWARK_ASSIGN_OR_RETURN(pkey, PublicPkeyOf(key));
  }
  Result<PkeyInfo> described = DescribePkey(pkey.get());
  if (!described.ok()) {
    return FieldFailure("invalid", for_signing ? "key.privateKey" : "key.publicKey",
                        described.status());
  }
  BULWARK_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(
      info.algorithm, *described, for_signing ? kMinRsaBitsToSign : kMinRsaBitsToVerify));
  auto state = std::make_shared<JwsKeyState>();
  state->info = &info;
  state->kid = key.kid;
  state->can_sign = for_signing;
  if (!info.digest.empty()) {
    state->md.reset(EVP_MD_fetch(nullptr, std::string(info.digest).c_str(), nullptr));
    if (!state->md) return OpenSslError(StatusCode::kInternal, "fetching the digest");
  }
  switch (info.type) {
    case KeyType::kRsa:
      state->signature_bytes = static_cast<std::size_t>(EVP_PKEY_get_size(pkey.get()));
      break;
    case KeyType::kEc:
      state->signature_bytes = 2 * info.ec_bytes;
      break;
    default:
      state->signature_bytes = 64;
      break;
  }
  state->pkey = std::move(pkey);
  state->verify_template = MakeTemplate(*state, /*sign=*/false);
  if (for_signing) state->sign_template = MakeTemplate(*state, /*sign=*/true);
  return state;
}

// A working context for one operation: a copy of the template, else a new one.
Result<EvpMdCtxPtr> OperationContext(const JwsKeyState& state, bool sign) {
  const EVP_MD_CTX* prototype = sign ? state.sign_template.get() : state.verify_template.get();
  if (prototype != nullptr) {
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (ctx && EVP_MD_CTX_copy_ex(ctx.get(), prototype) == 1) return ctx;
    ClearOpenSslErrors();
  }
  EvpMdCtxPtr ctx = StartOperation(state, sign);
  if (!ctx) {
    return OpenSslError(StatusCode::kInternal,
                        sign ? "starting the signature" : "starting the verification");
  }
  return ctx;
}

Result<std::shared_ptr<JwsKeyState>> Build(const Key& key, bool for_signing) {
  if (!key.algorithm.has_value()) {
    return Status::FieldError("missing", "key.algorithm", "the key has no algorithm");
  }
  const AlgorithmInfo& info = InfoOf(*key.algorithm);
  if (info.type == KeyType::kHmac) return BuildHmac(key, info);
  return BuildAsymmetric(key, info, for_signing);
}

// The MAC of `data` into `mac` (EVP_MAX_MD_SIZE bytes); its length. HMAC = H(K0 ^ opad ||
// H(K0 ^ ipad || data)), from the two keyed states (JwsKeyState::hmac_inner, hmac_outer).
Result<std::size_t> HmacOf(const JwsKeyState& state, std::string_view data,
                           std::span<std::uint8_t, EVP_MAX_MD_SIZE> mac) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned int inner = 0;
  unsigned int outer = 0;
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), state.hmac_inner.get()) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), mac.data(), &inner) != 1 ||
      EVP_MD_CTX_copy_ex(ctx.get(), state.hmac_outer.get()) != 1 ||
      EVP_DigestUpdate(ctx.get(), mac.data(), inner) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), mac.data(), &outer) != 1) {
    return OpenSslError(StatusCode::kInternal, "computing the HMAC");
  }
  return std::size_t{outer};
}

// DER ECDSA-Sig-Value -> R||S, each left-padded to `width` (RFC 7518 §3.4).
Result<std::vector<std::uint8_t>> DerToJose(std::span<const std::uint8_t> der, std::size_t width) {
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));  // NOLINT
  if (!sig) return OpenSslError(StatusCode::kInternal, "decoding the ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::vector<std::uint8_t> out(2 * width);
  if (BN_bn2binpad(r, out.data(), static_cast<int>(width)) < 0 ||
      BN_bn2binpad(s, out.data() + width, static_cast<int>(width)) < 0) {
    return OpenSslError(StatusCode::kInternal, "encoding the ECDSA signature");
  }
  return out;
}

// R||S -> DER ECDSA-Sig-Value. REQUIRES: raw.size() is even.
Result<std::vector<std::uint8_t>> JoseToDer(std::span<const std::uint8_t> raw) {
  const std::size_t width = raw.size() / 2;
  BignumPtr r(BN_bin2bn(raw.data(), static_cast<int>(width), nullptr));
  BignumPtr s(BN_bin2bn(raw.data() + width, static_cast<int>(width), nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return OpenSslError(StatusCode::kInternal, "building the ECDSA signature");
  }
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &der);
  if (n <= 0) return OpenSslError(StatusCode::kInternal, "encoding the ECDSA signature");
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

}  // namespace

Result<std::vector<std::uint8_t>> SignWith(const JwsKeyState& state, std::string_view data) {
  ClearOpenSslErrors();
  if (state.hmac_inner) {
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac;
    BULWARK_ASSIGN_OR_RETURN(std::size_t n, HmacOf(state, data, mac));
    return std::vector<std::uint8_t>(mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(n));
  }
  BULWARK_ASSIGN_OR_RETURN(EvpMdCtxPtr ctx, OperationContext(state, /*sign=*/true));
  std::size_t n = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &n, in, data.size()) != 1) {
    return OpenSslError(StatusCode::kInternal, "sizing the signature");
  }
  std::vector<std::uint8_t> sig(n);
  if (EVP_DigestSign(ctx.get(), sig.data(), &n, in, data.size()) != 1) {
    return OpenSslError(StatusCode::kInternal, "signing");
  }
  sig.resize(n);
  if (state.info->type == KeyType::kEc) return DerToJose(sig, state.info->ec_bytes);
  return sig;
}

Status VerifyWith(const JwsKeyState& state, std::string_view data,
                  std::span<const std::uint8_t> signature) {
  if (signature.size() != state.signature_bytes) {
    return Status::Unauthenticated("the signature has the wrong length");
  }
  if (state.hmac_inner) {
    // No ClearOpenSslErrors() on this path (it cost ~2% of a verification): the keyed digests
    // push nothing on success, and a failure (out of memory) is reported by OpenSslError,
    // which clears the queue; its message may then name an error older than this call.
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac;
    BULWARK_ASSIGN_OR_RETURN(std::size_t n, HmacOf(state, data, mac));
    if (n != signature.size() || CRYPTO_memcmp(mac.data(), signature.data(), n) != 0) {
      return Status::Unauthenticated("the signature does not match");
    }
    return Status::Ok();
  }
  ClearOpenSslErrors();
  std::vector<std::uint8_t> der;
  if (state.info->type == KeyType::kEc) {
    BULWARK_ASSIGN_OR_RETURN(der, JoseToDer(signature));
    signature = der;
  }
  BULWARK_ASSIGN_OR_RETURN(EvpMdCtxPtr ctx, OperationContext(state, /*sign=*/false));
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                  reinterpret_cast<const unsigned char*>(data.data()), data.size());
  ClearOpenSslErrors();
  if (rc != 1) return Status::Unauthenticated("the signature does not match");
  return Status::Ok();
}

}  // namespace internal

Result<VerificationKey> VerificationKey::FromKey(const Key& key) {
  BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<internal::JwsKeyState> state,
                           internal::Build(key, /*for_signing=*/false));
  return VerificationKey(std::move(state));
}

KeyAlgorithm VerificationKey::algorithm() const noexcept { return state_->info->algorithm; }
const std::string& VerificationKey::kid() const noexcept { return state_->kid; }

Status VerificationKey::Verify(std::string_view data,
                               std::span<const std::uint8_t> signature) const {
  return internal::VerifyWith(*state_, data, signature);
}

Result<SigningKey> SigningKey::FromKey(const Key& key) {
  BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<internal::JwsKeyState> state,
                           internal::Build(key, /*for_signing=*/true));
  return SigningKey(std::move(state));
}

KeyAlgorithm SigningKey::algorithm() const noexcept { return state_->info->algorithm; }
const std::string& SigningKey::kid() const noexcept { return state_->kid; }

Result<std::vector<std::uint8_t>> SigningKey::Sign(std::string_view data) const {
  return internal::SignWith(*state_, data);
}

}  // namespace bulwark
