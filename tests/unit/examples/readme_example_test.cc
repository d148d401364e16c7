// SPDX-License-Identifier: Apache-2.0
// The README's in-process example (tests/CMakeLists.txt cuts it out of README.md into
// readme_in_process_example.inc): it compiles, and it runs to the end on a new store and on a
// SQLite file.
#include <string>

#include <catch2/catch.hpp>

// The example's own includes; included here first so that their guards keep them out of the
// namespace below.
#include "bulwark/engine.h"
#include "bulwark/store/sqlite_store.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark::readme {
#include "readme_in_process_example.inc"
}  // namespace bulwark::readme

namespace bulwark {
namespace {

TEST_CASE("the README's in-process example runs to the end", "[examples][readme]") {
  CHECK(readme::LogInRichard(":memory:") == 0);
  test::TempDbPath file;
  CHECK(readme::LogInRichard(file.str()) == 0);
  // Its checks are real: on the same file, the second registration is a duplicate.
  CHECK(readme::LogInRichard(file.str()) == 3);
}

}  // namespace
}  // namespace bulwark
