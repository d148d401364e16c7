// SPDX-License-Identifier: Apache-2.0
//
// Threads racing on one store, and two stores (as two processes would) racing on one file.
// No sleeps: threads line up on a latch and run bounded loops.
#include <atomic>
#include <catch2/catch.hpp>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/store/sqlite_store.h"
#include "unit/store/store_test_support.h"

namespace bulwark {
namespace {

using store_test::Backend;
using store_test::Insert;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::TestDb;

constexpr int kThreads = 6;
constexpr int kRounds = 10;

// Each thread inserts its own user with the same email (in its own letter case) through its
// store; returns every thread's Status.
std::vector<Status> RaceForEmail(const std::vector<Store*>& stores, const Tenant& tenant,
                                 const std::string& email) {
  std::vector<Status> results(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::string mine = email;
      if (i % 2 == 1) {
        for (char& c : mine) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      const User user = MakeUser(tenant, mine);
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] =
          Insert(*stores[static_cast<std::size_t>(i) % stores.size()], user);
    });
  }
  for (std::thread& t : threads) t.join();
  return results;
}

void CheckExactlyOneWinner(const std::vector<Status>& results) {
  int winners = 0;
  for (const Status& s : results) {
    INFO(s.ToString());
    if (s.ok()) {
      ++winners;
    } else {
      CHECK(s.code() == StatusCode::kAlreadyExists);
      CHECK(s.errors().HasField("duplicate", "user.email"));
    }
  }
  CHECK(winners == 1);
}

TEST_CASE("threads racing to insert one email: exactly one wins", "[store][concurrency]") {
  const Backend backend = GENERATE(Backend::kMemory, Backend::kFile);
  INFO(store_test::BackendName(backend));
  TestDb db(backend);
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));
  for (int round = 0; round < kRounds; ++round) {
    CheckExactlyOneWinner(
        RaceForEmail({store.get()}, tenant, "race" + std::to_string(round) + "@example.com"));
  }
  CHECK(*store->users().CountByTenant(tenant.id) == kRounds);
}

TEST_CASE("two stores on one file racing for one email: exactly one wins", "[store][concurrency]") {
  // Two Store objects have separate writer mutexes, like two processes: only SQLite's file
  // lock (BEGIN IMMEDIATE, waiting up to the busy timeout) serialises them.
  TestDb db(Backend::kFile);
  auto first = db.Open();
  auto second = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*first, tenant));
  for (int round = 0; round < kRounds; ++round) {
    CheckExactlyOneWinner(RaceForEmail({first.get(), second.get()}, tenant,
                                       "race" + std::to_string(round) + "@example.com"));
  }
  CHECK(*second->users().CountByTenant(tenant.id) == kRounds);
}

TEST_CASE("readers and writers run concurrently on a file without errors", "[store][concurrency]") {
  TestDb db(Backend::kFile);
  auto store = db.Open();
  const Tenant tenant = MakeTenant("t");
  STORE_REQUIRE_OK(Insert(*store, tenant));

  constexpr int kWriters = 2;
  constexpr int kReaders = 3;
  constexpr int kWritesEach = 40;
  constexpr int kReadsEach = 150;
  std::latch start(kWriters + kReaders);
  std::atomic<int> failures{0};
  std::mutex first_failure_mu;
  std::string first_failure;
  auto fail = [&](const Status& s) {
    failures.fetch_add(1);
    std::lock_guard<std::mutex> lock(first_failure_mu);
    if (first_failure.empty()) first_failure = s.ToString();
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i < kWritesEach; ++i) {
        User user = MakeUser(tenant, "w" + std::to_string(w) + "-" + std::to_string(i) + "@x.io");
        Status s = Insert(*store, user);
        if (!s.ok()) fail(s);
        user.first_name = "updated";
        WriteBatch update;
        update.Update(user);
        s = store->Apply(update);
        if (!s.ok()) fail(s);
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      start.arrive_and_wait();
      std::int64_t last_count = 0;
      for (int i = 0; i < kReadsEach; ++i) {
        Result<std::int64_t> count = store->users().CountByTenant(tenant.id);
        if (!count.ok()) {
          fail(count.status());
          continue;
        }
        // Commits are never seen going backwards.
        if (*count < last_count) fail(Status::Internal("user count went backwards"));
        last_count = *count;
        Result<User> found = store->users().FindByEmail(tenant.id, "w0-0@x.io");
        if (!found.ok() && found.status().code() != StatusCode::kNotFound) fail(found.status());
        Result<std::vector<Tenant>> tenants = store->tenants().List();
        if (!tenants.ok() || tenants->size() != 1) fail(tenants.status());
        (void)r;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  INFO(first_failure);
  CHECK(failures.load() == 0);
  CHECK(*store->users().CountByTenant(tenant.id) == kWriters * kWritesEach);
}

}  // namespace
}  // namespace bulwark
