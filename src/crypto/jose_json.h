// SPDX-License-Identifier: Apache-2.0
// Private: how JOSE headers and claims sets are read (json/parse.h) and written
// (json/write.h).
#ifndef BULWARK_CRYPTO_JOSE_JSON_H_
#define BULWARK_CRYPTO_JOSE_JSON_H_

#include <cstddef>
#include <limits>

#include "json/parse.h"
#include "json/write.h"

namespace bulwark::internal {

// How JOSE headers and claims sets are parsed (json/parse.h): duplicate member names in any
// object are refused (RFC 7515 §5.2 allows refusing them; different parsers keeping different
// duplicates is a known JWT attack), and so is nesting deeper than 32 levels. The size is
// bounded before any decoding by the token's own limit (max_token_bytes), not here.
inline constexpr ParseOptions kJoseJsonOptions{
    .max_depth = 32,
    .reject_duplicate_keys = true,
    .max_bytes = std::numeric_limits<std::size_t>::max()};

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_JOSE_JSON_H_
