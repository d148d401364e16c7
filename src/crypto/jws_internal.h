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
// With one key and the single-key kid rule (jws.h): a token kid must equal the key's kid when
// it has one. No resolver is built, so no copy of the key is made per token.
Result<Jws> VerifyCompact(std::string_view token, const VerificationKey& key,
                          std::size_t max_token_bytes, bool accept_eddsa_alias);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_JWS_INTERNAL_H_
