// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/connection_pool.h"

#include <utility>

namespace bulwark::internal::sqlite {

ConnectionPool::ReadLease::ReadLease(ConnectionPool& pool,
                                     std::unique_ptr<Connection> pooled) noexcept
    : pool_(&pool), pooled_(std::move(pooled)), connection_(pooled_.get()) {}

ConnectionPool::ReadLease::ReadLease(std::unique_lock<std::mutex> writer_lock,
                                     Connection& writer) noexcept
    : writer_lock_(std::move(writer_lock)), connection_(&writer) {}

ConnectionPool::ReadLease::~ReadLease() {
  if (pool_ != nullptr && pooled_ != nullptr) pool_->Release(std::move(pooled_));
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(
    const Options& options, std::span<const Migration> migrations) {
  if (options.path.empty()) {
    return Status::InvalidArgument("SqliteStoreOptions.path is empty");
  }
  if (options.busy_timeout.count() < 0) {
    return Status::InvalidArgument("SqliteStoreOptions.busy_timeout is negative");
  }
  if (options.max_readers < 1) {
    return Status::InvalidArgument("SqliteStoreOptions.max_read_connections must be at least 1");
  }
  const bool in_memory = options.path == ":memory:";
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                           Connection::Open(options.path, {.busy_timeout = options.busy_timeout}));
  if (!in_memory) {
    // WAL lets readers run beside the writer. journal_mode is persistent in the file, so the
    // read connections inherit it. A filesystem that cannot do WAL keeps its journal mode
    // (reads then wait on the writer, within the busy timeout): slower, still correct.
    // The first statement that reads the file: one that is not a database fails here.
    BULWARK_RETURN_IF_ERROR(
        writer->ExecScript("PRAGMA journal_mode = WAL", "cannot enable WAL journaling"));
    // In WAL mode NORMAL keeps the database consistent on power loss; only the last commits
    // may be lost.
    BULWARK_RETURN_IF_ERROR(
        writer->ExecScript("PRAGMA synchronous = NORMAL", "cannot set synchronous = NORMAL"));
  }
  BULWARK_RETURN_IF_ERROR(Migrate(*writer, migrations));
  return std::unique_ptr<ConnectionPool>(new ConnectionPool(options, std::move(writer), in_memory));
}

ConnectionPool::ConnectionPool(Options options, std::unique_ptr<Connection> writer, bool in_memory)
    : options_(std::move(options)), in_memory_(in_memory), writer_(std::move(writer)) {
  idle_readers_.reserve(static_cast<std::size_t>(options_.max_readers));
}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::WriteLease ConnectionPool::LockWriter() {
  return WriteLease(std::unique_lock<std::mutex>(writer_mu_), *writer_);
}

Result<ConnectionPool::ReadLease> ConnectionPool::AcquireReader() {
  if (in_memory_) return ReadLease(std::unique_lock<std::mutex>(writer_mu_), *writer_);
  {
    std::unique_lock<std::mutex> lock(readers_mu_);
    readers_cv_.wait(lock, [this]() BULWARK_REQUIRES(readers_mu_) {
      return !idle_readers_.empty() || open_readers_ < options_.max_readers;
    });
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReadLease(*this, std::move(connection));
    }
    // Reserve the slot, then open outside the lock: opening touches the file.
    ++open_readers_;
  }
  Result<std::unique_ptr<Connection>> connection =
      Connection::Open(options_.path, {.busy_timeout = options_.busy_timeout, .query_only = true});
  if (!connection.ok()) {
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      --open_readers_;
    }
    readers_cv_.notify_one();
    return connection.status();
  }
  return ReadLease(*this, std::move(connection).value());
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) noexcept {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    // Never reallocates: at most max_readers connections exist.
    idle_readers_.push_back(std::move(connection));
  }
  readers_cv_.notify_one();
}

}  // namespace bulwark::internal::sqlite
