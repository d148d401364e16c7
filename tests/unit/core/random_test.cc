// SPDX-License-Identifier: Apache-2.0
//
// Random::Default(): small requests come from a per-thread buffer of RAND_bytes output. The
// buffer must never hand the same bytes out twice: not to two threads, not to two calls, and
// not to a parent and its child after fork().
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/random.h"

namespace bulwark {
namespace {

std::string Draw(std::size_t n) {
  std::string bytes(n, '\0');
  const Status drawn =
      Random::Default().Fill(std::span<std::byte>(reinterpret_cast<std::byte*>(bytes.data()), n));
  REQUIRE(drawn.ok());
  return bytes;
}

TEST_CASE("the default random source never repeats itself across calls and threads",
          "[random][threads]") {
  constexpr int kThreads = 4;
  constexpr int kDraws = 3000;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kDraws; ++i) {
        // Sizes that do not divide the buffer, and one larger than it serves.
        const std::size_t n = i % 97 == 0 ? 4096 : 16 + static_cast<std::size_t>(i % 3) * 7;
        std::string bytes(n, '\0');
        if (!Random::Default()
                 .Fill(std::span<std::byte>(reinterpret_cast<std::byte*>(bytes.data()), n))
                 .ok()) {
          bytes.clear();
        }
        drawn[static_cast<std::size_t>(t)].push_back(std::move(bytes));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> seen;
  for (const auto& list : drawn) {
    for (const std::string& bytes : list) {
      REQUIRE(bytes.size() >= 16);
      CHECK(seen.insert(bytes.substr(0, 16)).second);
    }
  }
  CHECK(seen.size() == static_cast<std::size_t>(kThreads * kDraws));
}

TEST_CASE("a child process after fork() draws other bytes than its parent", "[random][fork]") {
  Draw(16);  // the thread's buffer is now filled, with bytes left in it
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    std::string bytes(16, '\0');
    const bool ok =
        Random::Default()
            .Fill(std::span<std::byte>(reinterpret_cast<std::byte*>(bytes.data()), bytes.size()))
            .ok();
    const ssize_t written = ok ? ::write(fds[1], bytes.data(), bytes.size()) : -1;
    ::_exit(written == 16 ? 0 : 1);
  }
  ::close(fds[1]);
  const std::string parent = Draw(16);
  std::array<char, 16> from_child{};
  std::size_t got = 0;
  while (got < from_child.size()) {
    const ssize_t n = ::read(fds[0], from_child.data() + got, from_child.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(got == 16);
  CHECK(std::string(from_child.data(), from_child.size()) != parent);
}

}  // namespace
}  // namespace bulwark
