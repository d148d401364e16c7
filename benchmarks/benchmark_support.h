// SPDX-License-Identifier: Apache-2.0
// Shared by the benchmark files: a set-up step that fails ends the run with a message, and the
// Engine the Router and OAuth benchmarks stand on.
#ifndef BULWARK_BENCHMARKS_BENCHMARK_SUPPORT_H_
#define BULWARK_BENCHMARKS_BENCHMARK_SUPPORT_H_

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include "bulwark/engine.h"
#include "bulwark/result.h"
#include "bulwark/store/sqlite_store.h"

namespace bulwark::bench {

[[noreturn]] inline void Die(const std::string& what) {
  std::cerr << "bulwark_benchmarks: " << what << "\n";
  std::exit(1);
}

// The value of a set-up step, or the end of the run.
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return *std::move(r);
}

// An Engine on an in-memory SQLite store whose default tenant signs its access and id tokens
// with a fresh ES256 key.
inline std::unique_ptr<Engine> Es256Engine() {
  std::shared_ptr<Store> store = Must(OpenSqliteStore({.path = ":memory:"}), "store");
  std::unique_ptr<Engine> engine = Must(Engine::Open({.store = store}), "engine");
  Key request;
  request.name = "bench key";
  request.algorithm = KeyAlgorithm::kEs256;
  const Key key = Must(engine->keys().Generate(request), "key");
  Tenant tenant = Must(engine->tenants().Retrieve(engine->default_tenant_id()), "tenant");
  tenant.jwt_configuration.access_token_key_id = key.id;
  tenant.jwt_configuration.id_token_key_id = key.id;
  Must(engine->tenants().Update(tenant), "tenant update");
  return engine;
}

}  // namespace bulwark::bench

#endif  // BULWARK_BENCHMARKS_BENCHMARK_SUPPORT_H_
