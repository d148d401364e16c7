// SPDX-License-Identifier: Apache-2.0
//
// Catch2 (2.13) support for bulwark's Status and Result: failures print the status, its
// code name, message and FusionAuth error codes, and never abort the test binary.
//
//   #include "bulwark/testing/status_matchers.h"
//
//   REQUIRE_OK(engine->users().Create(user));          // fails with "ALREADY_EXISTS: ..."
//   Result<User> found = engine->users().Retrieve(id);
//   REQUIRE_OK(found);                                  // found->... is now safe
//   CHECK_STATUS(engine->users().Create(user), HasCode(StatusCode::kAlreadyExists));
//   CHECK_STATUS(created, HasFieldError("duplicate", "user.email"));
//   CHECK_STATUS(login, HasGeneralError("[TenantIdRequired]") && HasCode(...));
//
//   Tenant tenant = REQUIRE_VALUE(engine->tenants().Retrieve(id));
//
// REQUIRE_OK / CHECK_OK take a Status or a Result<T> and evaluate it once. REQUIRE_VALUE
// yields the value of a Result<T> (moved out of an rvalue, a reference into an lvalue); on an
// error it throws, so Catch2 ends the test case with the status, where Result::value() would
// abort the whole test binary. It may be used inside other assertions. The matchers
// match a Status; CHECK_STATUS / REQUIRE_STATUS take a Status or a Result<T> too. A
// Catch::StringMaker for Status, Result<T> and StatusCode makes any other assertion that
// compares them print them by name.
//
// A host's tests may use this header when they use Catch2 2.x; nothing else in bulwark
// depends on Catch2. Stateless: safe from any thread Catch2 allows assertions from.
#ifndef BULWARK_TESTING_STATUS_MATCHERS_H_
#define BULWARK_TESTING_STATUS_MATCHERS_H_

#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <catch2/catch.hpp>

#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark::testing {

// The status as a test failure shows it: "ALREADY_EXISTS: message [duplicate]user.email",
// its FusionAuth error codes (field errors, then general ones) after the message.
inline std::string Describe(const Status& status) {
  std::string out = status.ToString();
  for (const auto& [path, entries] : status.errors().field_errors) {
    for (const ErrorEntry& entry : entries) out.append(" ").append(entry.code);
  }
  for (const ErrorEntry& entry : status.errors().general_errors) {
    out.append(" ").append(entry.code);
  }
  return out;
}

}  // namespace bulwark::testing

namespace Catch {

template <>
struct StringMaker<bulwark::StatusCode> {
  static std::string convert(bulwark::StatusCode code) {
    return std::string(bulwark::StatusCodeName(code));
  }
};

template <>
struct StringMaker<bulwark::Status> {
  static std::string convert(const bulwark::Status& status) {
    return bulwark::testing::Describe(status);
  }
};

template <typename T>
struct StringMaker<bulwark::Result<T>> {
  static std::string convert(const bulwark::Result<T>& result) {
    return result.ok() ? std::string("OK (a value)")
                       : bulwark::testing::Describe(result.status());
  }
};

}  // namespace Catch

namespace bulwark::testing {

// The Status of a Status or a Result<T>.
inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}

// Matches an OK Status.
class IsOkMatcher final : public Catch::MatcherBase<Status> {
 public:
  bool match(const Status& status) const override { return status.ok(); }
  std::string describe() const override { return "is OK"; }
};
inline IsOkMatcher IsOk() { return {}; }

// Matches a Status with `code`.
class HasCodeMatcher final : public Catch::MatcherBase<Status> {
 public:
  explicit HasCodeMatcher(StatusCode code) : code_(code) {}
  bool match(const Status& status) const override { return status.code() == code_; }
  std::string describe() const override {
    return "has code " + std::string(StatusCodeName(code_));
  }

 private:
  StatusCode code_;
};
inline HasCodeMatcher HasCode(StatusCode code) { return HasCodeMatcher(code); }

// Matches a Status carrying the field error "[kind]path", e.g. ("duplicate", "user.email").
class HasFieldErrorMatcher final : public Catch::MatcherBase<Status> {
 public:
  HasFieldErrorMatcher(std::string_view kind, std::string_view path)
      : kind_(kind), path_(path) {}
  bool match(const Status& status) const override {
    return status.errors().HasField(kind_, path_);
  }
  std::string describe() const override {
    return "has the field error [" + kind_ + "]" + path_;
  }

 private:
  std::string kind_;
  std::string path_;
};
inline HasFieldErrorMatcher HasFieldError(std::string_view kind, std::string_view path) {
  return HasFieldErrorMatcher(kind, path);
}

// Matches a Status carrying the general error `code`, e.g. "[TenantIdRequired]".
class HasGeneralErrorMatcher final : public Catch::MatcherBase<Status> {
 public:
  explicit HasGeneralErrorMatcher(std::string_view code) : code_(code) {}
  bool match(const Status& status) const override {
    return status.errors().HasGeneral(code_);
  }
  std::string describe() const override { return "has the general error " + code_; }

 private:
  std::string code_;
};
inline HasGeneralErrorMatcher HasGeneralError(std::string_view code) {
  return HasGeneralErrorMatcher(code);
}

// What REQUIRE_VALUE throws for a Result that holds an error.
class BadResultAccess final : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace internal {
[[noreturn]] inline void ThrowBadResultAccess(const Status& status, const char* expression,
                                              const char* file, int line) {
  throw BadResultAccess(std::string(file) + ":" + std::to_string(line) + ": " + expression +
                        " is " + Describe(status));
}
template <typename T>
T ValueOrThrow(Result<T>&& result, const char* expression, const char* file, int line) {
  if (!result.ok()) ThrowBadResultAccess(result.status(), expression, file, line);
  return std::move(result).value();
}
template <typename T>
T& ValueOrThrow(Result<T>& result, const char* expression, const char* file, int line) {
  if (!result.ok()) ThrowBadResultAccess(result.status(), expression, file, line);
  return result.value();
}
template <typename T>
const T& ValueOrThrow(const Result<T>& result, const char* expression, const char* file,
                      int line) {
  if (!result.ok()) ThrowBadResultAccess(result.status(), expression, file, line);
  return result.value();
}
}  // namespace internal

}  // namespace bulwark::testing

// The value of a Result<T>; an error ends the test case (not the binary) with the status.
#define REQUIRE_VALUE(...)                                                           \
  ::bulwark::testing::internal::ValueOrThrow((__VA_ARGS__), #__VA_ARGS__, __FILE__, \
                                             __LINE__)

// Asserts that a Status or Result<T> is OK, printing the status when it is not.
#define REQUIRE_OK(...) \
  REQUIRE_THAT(::bulwark::testing::StatusOf(__VA_ARGS__), ::bulwark::testing::IsOk())
#define CHECK_OK(...) \
  CHECK_THAT(::bulwark::testing::StatusOf(__VA_ARGS__), ::bulwark::testing::IsOk())
// Asserts that the status of a Status or Result<T> satisfies a matcher.
#define REQUIRE_STATUS(expr, matcher) \
  REQUIRE_THAT(::bulwark::testing::StatusOf(expr), matcher)
#define CHECK_STATUS(expr, matcher) CHECK_THAT(::bulwark::testing::StatusOf(expr), matcher)

#endif  // BULWARK_TESTING_STATUS_MATCHERS_H_
