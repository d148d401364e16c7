// SPDX-License-Identifier: Apache-2.0
//
// Status: the outcome of an operation that can fail. An OK status carries nothing and costs
// one null pointer; an error carries a StatusCode, a human-readable message and, for
// validation failures, FusionAuth-style field and general errors (see Errors below).
//
// No bulwark function throws across the public API: every fallible call returns a Status or
// a Result<T> (result.h). The single exception is allocation failure, which may surface as
// std::bad_alloc anywhere, as in the standard library.
//
// Messages never contain secrets: no passwords, tokens, key material or full assertions.
//
// Choosing a code (after abseil's guidance):
//   kInvalidArgument    the input is wrong whatever the state of the system (a blank email,
//                       a malformed id). Field errors say which field and why.
//   kNotFound           the named object does not exist (or is not visible to the caller).
//   kAlreadyExists      a uniqueness rule would be broken ([duplicate]user.email).
//   kFailedPrecondition the input is fine but the system is not in a state to accept it
//                       (a registration for an application that is inactive).
//   kAborted            a concurrency conflict; retrying the whole operation may succeed.
//   kUnavailable        storage or transport is down; retrying later may succeed.
//   kDataLoss           stored data is corrupt or from a newer, unknown schema.
//   kInternal           an invariant broke inside bulwark or a dependency.
//
// Thread-compatible: const methods may be called concurrently; non-const methods require
// external synchronisation. Copies are cheap (shared, immutable state).
#ifndef BULWARK_STATUS_H_
#define BULWARK_STATUS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/export.h"

namespace bulwark {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,
  kNotFound = 2,
  kAlreadyExists = 3,
  kPermissionDenied = 4,
  kUnauthenticated = 5,
  kFailedPrecondition = 6,
  kAborted = 7,
  kResourceExhausted = 8,
  kUnavailable = 9,
  kDeadlineExceeded = 10,
  kDataLoss = 11,
  kUnimplemented = 12,
  kInternal = 13,
};

// The name of a code, e.g. "INVALID_ARGUMENT". The view refers to static storage.
BULWARK_EXPORT std::string_view StatusCodeName(StatusCode code);

// One FusionAuth error: `code` is "[kind]path" for a field error (e.g. "[blank]user.email")
// or a bare code for a general error (e.g. "[TenantIdRequired]").
struct ErrorEntry {
  std::string code;
  std::string message;

  friend bool operator==(const ErrorEntry&, const ErrorEntry&) = default;
};

// FusionAuth's Errors object: {"fieldErrors": {path: [Error]}, "generalErrors": [Error]}.
// Thread-compatible value type.
struct BULWARK_EXPORT Errors {
  std::map<std::string, std::vector<ErrorEntry>> field_errors;
  std::vector<ErrorEntry> general_errors;

  // Adds a field error whose code is "[kind]path", e.g. AddField("blank", "user.email", ...).
  void AddField(std::string_view kind, std::string_view path, std::string_view message);
  void AddGeneral(std::string_view code, std::string_view message);
  // Appends every error of `other`.
  void Merge(const Errors& other);

  bool empty() const { return field_errors.empty() && general_errors.empty(); }
  // True when some field error on `path` has the code "[kind]path".
  bool HasField(std::string_view kind, std::string_view path) const;
  // True when some general error has `code`.
  bool HasGeneral(std::string_view code) const;

  friend bool operator==(const Errors&, const Errors&) = default;
};

class [[nodiscard]] BULWARK_EXPORT Status {
 public:
  // OK.
  Status() noexcept = default;
  // REQUIRES: code != kOk.
  Status(StatusCode code, std::string_view message);
  Status(StatusCode code, std::string_view message, Errors errors);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) {
    return {StatusCode::kInvalidArgument, msg};
  }
  static Status NotFound(std::string_view msg) { return {StatusCode::kNotFound, msg}; }
  static Status AlreadyExists(std::string_view msg) { return {StatusCode::kAlreadyExists, msg}; }
  static Status PermissionDenied(std::string_view msg) {
    return {StatusCode::kPermissionDenied, msg};
  }
  static Status Unauthenticated(std::string_view msg) {
    return {StatusCode::kUnauthenticated, msg};
  }
  static Status FailedPrecondition(std::string_view msg) {
    return {StatusCode::kFailedPrecondition, msg};
  }
  static Status Aborted(std::string_view msg) { return {StatusCode::kAborted, msg}; }
  static Status ResourceExhausted(std::string_view msg) {
    return {StatusCode::kResourceExhausted, msg};
  }
  static Status Unavailable(std::string_view msg) { return {StatusCode::kUnavailable, msg}; }
  static Status DeadlineExceeded(std::string_view msg) {
    return {StatusCode::kDeadlineExceeded, msg};
  }
  static Status DataLoss(std::string_view msg) { return {StatusCode::kDataLoss, msg}; }
  static Status Unimplemented(std::string_view msg) { return {StatusCode::kUnimplemented, msg}; }
  static Status Internal(std::string_view msg) { return {StatusCode::kInternal, msg}; }

  // kInvalidArgument carrying `errors`; the message summarises them.
  static Status Validation(Errors errors);
  // kAlreadyExists carrying one field error "[duplicate]path".
  static Status Duplicate(std::string_view path, std::string_view message);
  // kInvalidArgument carrying one field error "[kind]path".
  static Status FieldError(std::string_view kind, std::string_view path, std::string_view message);

  bool ok() const noexcept { return rep_ == nullptr; }
  StatusCode code() const noexcept { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty for OK. The reference lives as long as this Status (or a copy of it).
  const std::string& message() const noexcept;
  // Empty for OK and for errors without field or general errors.
  const Errors& errors() const noexcept;

  // "OK", or "NOT_FOUND: user not found" plus the error codes, for logs and test output.
  std::string ToString() const;

  // Two statuses are equal when their codes, messages and errors are equal.
  bool operator==(const Status& other) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    Errors errors;
  };
  std::shared_ptr<const Rep> rep_;
};

}  // namespace bulwark

#endif  // BULWARK_STATUS_H_
