// SPDX-License-Identifier: Apache-2.0
// Shared by the benchmark files: a set-up step that fails ends the run with a message.
#ifndef BULWARK_BENCHMARKS_BENCHMARK_SUPPORT_H_
#define BULWARK_BENCHMARKS_BENCHMARK_SUPPORT_H_

#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>

#include "bulwark/result.h"

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

}  // namespace bulwark::bench

#endif  // BULWARK_BENCHMARKS_BENCHMARK_SUPPORT_H_
