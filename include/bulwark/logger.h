// SPDX-License-Identifier: Apache-2.0
//
// Logger: where bulwark writes diagnostics. It is passed explicitly in EngineOptions, never
// a global; the default discards everything. bulwark never logs secrets (passwords, tokens,
// key material, password hashes): a message may name an id, never a credential.
//
// Implementations must be safe for concurrent use from multiple threads without external
// synchronisation, must not throw and must not call back into the Engine. Log() is called on
// the caller's thread and should not block for long.
#ifndef BULWARK_LOGGER_H_
#define BULWARK_LOGGER_H_

#include <string_view>

#include "bulwark/export.h"

namespace bulwark {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

class BULWARK_EXPORT Logger {
 public:
  Logger() = default;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  virtual ~Logger();

  // `message` is only valid for the duration of the call.
  virtual void Log(LogLevel level, std::string_view message) noexcept = 0;

  // Discards everything. Belongs to the library and must never be deleted.
  static Logger& Null();
};

}  // namespace bulwark

#endif  // BULWARK_LOGGER_H_
