// SPDX-License-Identifier: Apache-2.0
// The one place that draws operating-system randomness (through OpenSSL).
#include "bulwark/random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>

namespace bulwark {
namespace {

class OpenSslRandom final : public Random {
 public:
  Status Fill(std::span<std::byte> out) override {
    while (!out.empty()) {
      const std::size_t n = out.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : out.size();
      ERR_clear_error();
      if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        ERR_clear_error();
        return Status::Unavailable("the system random generator failed");
      }
      out = out.subspan(n);
    }
    return Status::Ok();
  }
};

}  // namespace

Random::~Random() = default;

Random& Random::Default() {
  static OpenSslRandom* const random = new OpenSslRandom();  // never destroyed
  return *random;
}

}  // namespace bulwark
