// SPDX-License-Identifier: Apache-2.0
#include "crypto/random_secret.h"

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/base64.h"
#include "crypto/secrets.h"

namespace bulwark::internal {

Result<std::string> NewRandomSecret(Random& random, std::size_t bytes) {
  std::vector<std::byte> buffer(bytes);
  Status filled;
  try {
    filled = random.Fill(buffer);
  } catch (...) {
    filled = Status::Internal("the Random implementation threw");
  }
  if (!filled.ok()) {
    Wipe(buffer);
    return filled;
  }
  std::string value = Base64UrlEncode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(buffer.data()), buffer.size()));
  Wipe(buffer);
  return value;
}

}  // namespace bulwark::internal
