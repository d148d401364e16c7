// SPDX-License-Identifier: Apache-2.0
// The one place that draws operating-system randomness (through OpenSSL).
#include "bulwark/random.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <climits>
#include <cstring>
#include <mutex>

#include "bulwark/result.h"

namespace bulwark {
namespace {

// Bumped in the child after a fork(): a thread's buffered bytes are then dropped, so that a
// parent and its child never hand out the same bytes.
std::atomic<unsigned long> fork_generation{0};

void CountFork() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

// Requests of up to kBuffered / 4 bytes (identifiers, salts, refresh tokens, codes) are
// served from a per-thread buffer of RAND_bytes output, refilled kBuffered bytes at a time: a call to
// RAND_bytes costs about the same for 16 bytes as for 512 (locking, the fork check, the
// DRBG's bookkeeping), and a login or a refresh draws a few 16-byte identifiers. Bytes are
// wiped from the buffer as they are handed out and when the thread ends. Larger requests go
// to RAND_bytes directly.
constexpr std::size_t kBuffered = 512;

struct ThreadBuffer {
  std::array<unsigned char, kBuffered> bytes;
  std::size_t next = kBuffered;  // bytes[next..] are unused
  unsigned long generation = 0;
  ~ThreadBuffer() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

Status DrawDirect(std::span<std::byte> out) {
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

class OpenSslRandom final : public Random {
 public:
  OpenSslRandom() {
    static std::once_flag registered;
    std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, CountFork); });
  }

  Status Fill(std::span<std::byte> out) override {
    if (out.size() > kBuffered / 4) return DrawDirect(out);
    thread_local ThreadBuffer buffer;
    const unsigned long generation = fork_generation.load(std::memory_order_relaxed);
    if (buffer.generation != generation) {
      OPENSSL_cleanse(buffer.bytes.data(), buffer.bytes.size());
      buffer.next = kBuffered;
      buffer.generation = generation;
    }
    if (kBuffered - buffer.next < out.size()) {
      const std::span<std::byte> all(reinterpret_cast<std::byte*>(buffer.bytes.data()),
                                     buffer.bytes.size());
      buffer.next = kBuffered;  // empty until a refill succeeds
      BULWARK_RETURN_IF_ERROR(DrawDirect(all));
      buffer.next = 0;
    }
    unsigned char* from = buffer.bytes.data() + buffer.next;
    std::memcpy(out.data(), from, out.size());
    OPENSSL_cleanse(from, out.size());
    buffer.next += out.size();
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
