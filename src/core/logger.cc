// SPDX-License-Identifier: Apache-2.0
#include "bulwark/logger.h"

namespace bulwark {
namespace {
class NullLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view) noexcept override {}
};
}  // namespace

Logger::~Logger() = default;

Logger& Logger::Null() {
  static NullLogger* const logger = new NullLogger();  // never destroyed
  return *logger;
}

}  // namespace bulwark
