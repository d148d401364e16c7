// SPDX-License-Identifier: Apache-2.0
// Private: the compact JWS core shared by jws.cc and jwt.cc.
#ifndef BULWARK_CRYPTO_JWS_INTERNAL_H_
#define BULWARK_CRYPTO_JWS_INTERNAL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jws.h"

namespace bulwark::internal {

// `jwt` adds "typ": "JWT" (header_extras may override it).
Result<std::string> SignCompact(const nlohmann::json& header_extras, bool jwt,
                                std::string_view payload, const SigningKey& key);
Result<Jws> VerifyCompact(std::string_view token, const VerificationKeyResolver& keys,
                          std::size_t max_token_bytes, bool accept_eddsa_alias);

// The single-key kid rule (jws.h): a token kid must equal the key's kid when it has one.
inline VerificationKeyResolver SingleKeyResolver(const VerificationKey& key) {
  return [key](std::string_view kid) -> Result<VerificationKey> {
    if (!kid.empty() && !key.kid().empty() && kid != key.kid()) {
      return Status::NotFound("the token's kid is not the key's");
    }
    return key;
  };
}

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_JWS_INTERNAL_H_
