// SPDX-License-Identifier: Apache-2.0
// Private: the parsed state behind SigningKey and VerificationKey.
#ifndef BULWARK_CRYPTO_JWS_KEY_STATE_H_
#define BULWARK_CRYPTO_JWS_KEY_STATE_H_

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/model/key.h"
#include "crypto/algorithms.h"
#include "crypto/openssl_util.h"

namespace bulwark::internal {

// Immutable once built; shared by copies of the key handles and read concurrently.
struct JwsKeyState {
  const AlgorithmInfo* info = nullptr;
  std::string kid;
  bool can_sign = false;
  // Asymmetric algorithms: the key (private and public halves when can_sign) and the
  // digest, fetched once (nullptr for Ed25519).
  EvpPkeyPtr pkey;
  EvpMdPtr md;
  // Asymmetric algorithms: contexts set up once for verifying (and signing, when can_sign)
  // with `pkey`, `md` and the padding; every call works on a copy. Setting one up fetches the
  // signature and digest implementations from the provider, which costs as much as a
  // quarter of an RSA-2048 verification; copying does not fetch. Null when OpenSSL cannot
  // copy such a context: each call then sets up its own.
  EvpMdCtxPtr verify_template;
  EvpMdCtxPtr sign_template;
  // HMAC (RFC 2104) with `md`: the digest states after absorbing the padded key XOR ipad
  // and XOR opad, computed once; every MAC works on copies of them, so no call pays for the
  // key schedule or for duplicating a MAC context. They stand for the secret (which is not
  // kept) and are freed, and so wiped, with the state.
  EvpMdCtxPtr hmac_inner;
  EvpMdCtxPtr hmac_outer;
  // The exact length a valid signature has (RSA modulus bytes, 2 x EC coordinate, 64 for
  // Ed25519, the hash length for HMAC).
  std::size_t signature_bytes = 0;
};

// The primitives behind SigningKey::Sign and VerificationKey::Verify.
Result<std::vector<std::uint8_t>> SignWith(const JwsKeyState& state, std::string_view data);
Status VerifyWith(const JwsKeyState& state, std::string_view data,
                  std::span<const std::uint8_t> signature);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_JWS_KEY_STATE_H_
