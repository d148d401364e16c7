// SPDX-License-Identifier: Apache-2.0
//
// StoreFaultInjector: a TEST-ONLY hook that lets a test fail a Store's writes from the inside,
// to prove that a failure part-way through Store::Apply leaves nothing half-written (leveldb's
// SpecialEnv idea). Production code never sets one.
//
//   auto store = bulwark::testing::FaultInjectingStore::OpenSqlite({});  // wires it up
//   (*store)->FailWriteStatement(3);   // the 3rd write statement of the next Apply fails
//
// Stores that support it take it in their options (SqliteStoreOptions::fault_injector) and
// consult it while their write transaction is open and their write lock is held: before every
// statement that changes data, and before the commit. A non-OK Status aborts the batch; the
// store rolls back and Apply returns that Status unchanged.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must be fast, must not throw, and must not call back into the Store.
#ifndef BULWARK_STORE_FAULT_INJECTOR_H_
#define BULWARK_STORE_FAULT_INJECTOR_H_

#include "bulwark/export.h"
#include "bulwark/status.h"

namespace bulwark {

class BULWARK_EXPORT StoreFaultInjector {
 public:
  StoreFaultInjector() = default;
  StoreFaultInjector(const StoreFaultInjector&) = delete;
  StoreFaultInjector& operator=(const StoreFaultInjector&) = delete;
  virtual ~StoreFaultInjector();

  // Called before each INSERT, UPDATE or DELETE that Apply runs (checks that only read are
  // not write statements). OK lets the statement run.
  virtual Status BeforeWriteStatement() = 0;
  // Called before COMMIT. OK lets the commit run.
  virtual Status BeforeCommit() = 0;
};

}  // namespace bulwark

#endif  // BULWARK_STORE_FAULT_INJECTOR_H_
