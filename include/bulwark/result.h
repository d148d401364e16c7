// SPDX-License-Identifier: Apache-2.0
//
// Result<T>: either a value of type T or a non-OK Status, never an OK Status without a value
// (abseil's StatusOr). The member set is kept small on purpose so that a later move to
// std::expected<T, Status> stays an alias plus a shim.
//
//   Result<User> user = engine->users().Retrieve(id);
//   if (!user.ok()) return user.status();
//   Use(*user);
//
// value(), operator* and operator-> on an error are programming errors: they print the
// status and abort; they never throw.
//
// Thread-compatible: const methods may be called concurrently; non-const methods require
// external synchronisation.
#ifndef BULWARK_RESULT_H_
#define BULWARK_RESULT_H_

#include <optional>
#include <type_traits>
#include <utility>

#include "bulwark/status.h"

namespace bulwark {
namespace internal {
[[noreturn]] BULWARK_EXPORT void DieOnBadResultAccess(const Status& status);
[[noreturn]] BULWARK_EXPORT void DieOnOkStatusInResult();
}  // namespace internal

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Status>, "use Status directly");
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported");

 public:
  using value_type = T;

  // REQUIRES: !status.ok().
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) internal::DieOnOkStatusInResult();
  }
  Result(const T& value) : value_(value) {}        // NOLINT: implicit by design
  Result(T&& value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, Status> &&
           !std::is_same_v<std::remove_cvref_t<U>, Result>) Result(U&& value)
      : value_(std::forward<U>(value)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return value_.has_value(); }
  // OK when a value is held.
  const Status& status() const& noexcept { return status_; }
  Status status() && noexcept { return std::move(status_); }

  const T& value() const& {
    if (!ok()) internal::DieOnBadResultAccess(status_);
    return *value_;
  }
  T& value() & {
    if (!ok()) internal::DieOnBadResultAccess(status_);
    return *value_;
  }
  T&& value() && {
    if (!ok()) internal::DieOnBadResultAccess(status_);
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace bulwark

#define BULWARK_INTERNAL_CONCAT_INNER(a, b) a##b
#define BULWARK_INTERNAL_CONCAT(a, b) BULWARK_INTERNAL_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) is not OK.
#define BULWARK_RETURN_IF_ERROR(expr)                              \
  do {                                                             \
    ::bulwark::Status bulwark_status_macro_ = (expr);              \
    if (!bulwark_status_macro_.ok()) return bulwark_status_macro_; \
  } while (0)

// `lhs = value of expr` when `expr` (a Result) holds a value, else returns its Status.
// Expands to several statements: do not use it as the body of an unbraced if/else.
#define BULWARK_ASSIGN_OR_RETURN(lhs, expr) \
  BULWARK_INTERNAL_ASSIGN_OR_RETURN(BULWARK_INTERNAL_CONCAT(bulwark_result_, __LINE__), lhs, expr)
#define BULWARK_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return std::move(tmp).status();          \
  lhs = std::move(tmp).value()

#endif  // BULWARK_RESULT_H_
