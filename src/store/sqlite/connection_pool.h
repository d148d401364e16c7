// SPDX-License-Identifier: Apache-2.0
//
// Private: the connections of one SQLite database and the locks that serialise them.
//
// A file database has one writer connection behind `writer_mu_` (every Store::Apply takes it
// and runs BEGIN IMMEDIATE ... COMMIT on it) and up to `max_readers` read connections, opened
// on first need and handed out one thread at a time. In WAL mode readers see the last
// committed state and neither block the writer nor wait for it.
//
// ":memory:" is a private database per connection, so it has a single connection for
// everything: readers lease the writer connection under `writer_mu_`.
//
// Thread-safe: safe for concurrent use from multiple threads without external
// synchronisation. A lease is single-threaded and must not outlive the pool.
#ifndef BULWARK_STORE_SQLITE_CONNECTION_POOL_H_
#define BULWARK_STORE_SQLITE_CONNECTION_POOL_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "bulwark/result.h"
#include "bulwark/status.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/thread_annotations.h"

namespace bulwark::internal::sqlite {

class ConnectionPool {
 public:
  struct Options {
    std::string path;
    std::chrono::milliseconds busy_timeout{0};
    int max_readers = 1;
  };

  // Exclusive use of the writer connection.
  class WriteLease {
   public:
    Connection& connection() const noexcept { return *connection_; }

   private:
    friend class ConnectionPool;
    WriteLease(std::unique_lock<std::mutex> lock, Connection& connection) noexcept
        : lock_(std::move(lock)), connection_(&connection) {}

    std::unique_lock<std::mutex> lock_;
    Connection* connection_;
  };

  // Exclusive use of a connection for reading; returns a pooled connection on destruction.
  class ReadLease {
   public:
    ReadLease(ReadLease&& other) noexcept = default;
    ReadLease& operator=(ReadLease&&) = delete;
    ~ReadLease();

    Connection& connection() const noexcept { return *connection_; }

   private:
    friend class ConnectionPool;
    ReadLease(ConnectionPool& pool, std::unique_ptr<Connection> pooled) noexcept;
    ReadLease(std::unique_lock<std::mutex> writer_lock, Connection& writer) noexcept;

    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<Connection> pooled_;
    std::unique_lock<std::mutex> writer_lock_;
    Connection* connection_;
  };

  // Opens the writer connection, switches a file to WAL and brings its schema to the last of
  // `migrations`. Returns kInvalidArgument for bad options, and the outcomes of
  // Connection::Open and Migrate.
  static Result<std::unique_ptr<ConnectionPool>> Open(const Options& options,
                                                      std::span<const Migration> migrations);

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  // Blocks until no other thread writes.
  WriteLease LockWriter() BULWARK_EXCLUDES(writer_mu_);
  // Blocks until a connection is free. Returns kUnavailable when a new read connection cannot
  // be opened.
  Result<ReadLease> AcquireReader() BULWARK_EXCLUDES(readers_mu_);

  bool in_memory() const noexcept { return in_memory_; }

 private:
  ConnectionPool(Options options, std::unique_ptr<Connection> writer, bool in_memory);
  void Release(std::unique_ptr<Connection> connection) noexcept BULWARK_EXCLUDES(readers_mu_);

  const Options options_;
  const bool in_memory_;

  std::mutex writer_mu_;
  const std::unique_ptr<Connection> writer_ BULWARK_PT_GUARDED_BY(writer_mu_);

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  // Capacity max_readers, reserved up front so that Release never allocates.
  std::vector<std::unique_ptr<Connection>> idle_readers_ BULWARK_GUARDED_BY(readers_mu_);
  int open_readers_ BULWARK_GUARDED_BY(readers_mu_) = 0;
};

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_CONNECTION_POOL_H_
