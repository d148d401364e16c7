// SPDX-License-Identifier: Apache-2.0
//
// The progress of UserService::Import: which stage an import is in, and how far along.
// The request itself is bulwark/model/import_request.h.
#ifndef BULWARK_USER_IMPORT_H_
#define BULWARK_USER_IMPORT_H_

#include <cstddef>
#include <functional>

#include "bulwark/model/import_request.h"

namespace bulwark {

enum class ImportStage {
  kValidating,  // users checked and prepared (passwords hashed), `done` of `total` users
  kWriting,     // store operations applied, `done` of `total` operations
};

// Called on the importing thread as the import goes on; must not call back into the Engine.
using ImportProgress = std::function<void(ImportStage stage, std::size_t done, std::size_t total)>;

}  // namespace bulwark

#endif  // BULWARK_USER_IMPORT_H_
