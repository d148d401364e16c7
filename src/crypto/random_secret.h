// SPDX-License-Identifier: Apache-2.0
// Private: the secret values bulwark hands out (refresh tokens, authorization codes, session
// cookies, change-password ids): `bytes` random bytes, base64url without padding.
//
// Thread-safe as the Random it is given.
#ifndef BULWARK_CRYPTO_RANDOM_SECRET_H_
#define BULWARK_CRYPTO_RANDOM_SECRET_H_

#include <cstddef>
#include <string>

#include "bulwark/random.h"
#include "bulwark/result.h"

namespace bulwark::internal {

// kUnavailable (or what `random` answers) when it cannot fill; kInternal when a host's
// Random throws, which never escapes. The raw bytes are wiped.
Result<std::string> NewRandomSecret(Random& random, std::size_t bytes);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_RANDOM_SECRET_H_
