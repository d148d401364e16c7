// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite/transaction.h"

namespace bulwark::internal::sqlite {

Result<Transaction> Transaction::Begin(Connection& connection, TransactionKind kind) {
  if (connection.InTransaction()) return Status::Internal("nested transactions are not supported");
  BULWARK_RETURN_IF_ERROR(kind == TransactionKind::kImmediate ? connection.BeginImmediate()
                                                              : connection.BeginDeferred());
  return Transaction(connection);
}

Transaction::~Transaction() {
  if (connection_ != nullptr) connection_->Rollback();
}

Status Transaction::Commit() {
  if (connection_ == nullptr) return Status::Internal("transaction already committed");
  BULWARK_RETURN_IF_ERROR(connection_->Commit());
  connection_ = nullptr;
  return Status::Ok();
}

}  // namespace bulwark::internal::sqlite
