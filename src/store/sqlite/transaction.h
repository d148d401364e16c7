// SPDX-License-Identifier: Apache-2.0
//
// Private: a SQLite transaction that rolls back unless committed (SQLiteCpp's Transaction).
//
//   BULWARK_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(conn,
//   TransactionKind::kImmediate)); BULWARK_RETURN_IF_ERROR(WriteEverything(conn));   // an early
//   return rolls back return txn.Commit();
//
// Single-threaded: must only be used by one thread at a time, under the connection's lock.
#ifndef BULWARK_STORE_SQLITE_TRANSACTION_H_
#define BULWARK_STORE_SQLITE_TRANSACTION_H_

#include "bulwark/result.h"
#include "bulwark/status.h"
#include "store/sqlite/connection.h"

namespace bulwark::internal::sqlite {

enum class TransactionKind {
  // Takes locks on first use: for reads that need one snapshot across statements.
  kDeferred,
  // Takes the write lock at once (waiting up to the busy timeout), so that a writer never
  // fails half-way for want of a lock: for every write.
  kImmediate,
};

class Transaction {
 public:
  // Returns kUnavailable when the write lock stays busy beyond the busy timeout, kInternal
  // when `connection` is already inside a transaction.
  static Result<Transaction> Begin(Connection& connection, TransactionKind kind);

  Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
  }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back unless Commit succeeded. Never throws.
  ~Transaction();

  // Commits. On failure the transaction stays open and the destructor rolls it back.
  // REQUIRES: not committed yet.
  Status Commit();

 private:
  explicit Transaction(Connection& connection) noexcept : connection_(&connection) {}

  // Null once committed or moved from.
  Connection* connection_;
};

}  // namespace bulwark::internal::sqlite

#endif  // BULWARK_STORE_SQLITE_TRANSACTION_H_
