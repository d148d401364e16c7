// SPDX-License-Identifier: Apache-2.0
#include "bulwark/status.h"

#include <cstdio>
#include <cstdlib>

#include "bulwark/result.h"

namespace bulwark {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case StatusCode::kAborted:
      return "ABORTED";
    case StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kDataLoss:
      return "DATA_LOSS";
    case StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case StatusCode::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

void Errors::AddField(std::string_view kind, std::string_view path, std::string_view message) {
  std::string code;
  code.reserve(kind.size() + path.size() + 2);
  code.append("[").append(kind).append("]").append(path);
  field_errors[std::string(path)].push_back(ErrorEntry{std::move(code), std::string(message)});
}

void Errors::AddGeneral(std::string_view code, std::string_view message) {
  general_errors.push_back(ErrorEntry{std::string(code), std::string(message)});
}

void Errors::Merge(const Errors& other) {
  for (const auto& [path, list] : other.field_errors) {
    auto& mine = field_errors[path];
    mine.insert(mine.end(), list.begin(), list.end());
  }
  general_errors.insert(general_errors.end(), other.general_errors.begin(),
                        other.general_errors.end());
}

bool Errors::HasField(std::string_view kind, std::string_view path) const {
  auto it = field_errors.find(std::string(path));
  if (it == field_errors.end()) return false;
  std::string code = "[" + std::string(kind) + "]" + std::string(path);
  for (const ErrorEntry& e : it->second) {
    if (e.code == code) return true;
  }
  return false;
}

bool Errors::HasGeneral(std::string_view code) const {
  for (const ErrorEntry& e : general_errors) {
    if (e.code == code) return true;
  }
  return false;
}

Status::Status(StatusCode code, std::string_view message) : Status(code, message, Errors{}) {}

Status::Status(StatusCode code, std::string_view message, Errors errors) {
  if (code == StatusCode::kOk) {
    // An OK status carries nothing; keep the invariant rather than abort.
    return;
  }
  rep_ = std::make_shared<const Rep>(Rep{code, std::string(message), std::move(errors)});
}

Status Status::Validation(Errors errors) {
  std::string message = "validation failed:";
  for (const auto& [path, list] : errors.field_errors) {
    for (const ErrorEntry& e : list) message.append(" ").append(e.code);
  }
  for (const ErrorEntry& e : errors.general_errors) message.append(" ").append(e.code);
  return Status(StatusCode::kInvalidArgument, message, std::move(errors));
}

Status Status::Duplicate(std::string_view path, std::string_view message) {
  Errors errors;
  errors.AddField("duplicate", path, message);
  return Status(StatusCode::kAlreadyExists, message, std::move(errors));
}

Status Status::FieldError(std::string_view kind, std::string_view path, std::string_view message) {
  Errors errors;
  errors.AddField(kind, path, message);
  return Status(StatusCode::kInvalidArgument, message, std::move(errors));
}

const std::string& Status::message() const noexcept {
  static const std::string* const kEmpty = new std::string();
  return rep_ ? rep_->message : *kEmpty;
}

const Errors& Status::errors() const noexcept {
  static const Errors* const kEmpty = new Errors();
  return rep_ ? rep_->errors : *kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code()));
  out.append(": ").append(rep_->message);
  return out;
}

bool Status::operator==(const Status& other) const {
  if (rep_ == other.rep_) return true;
  if (ok() || other.ok()) return false;
  return rep_->code == other.rep_->code && rep_->message == other.rep_->message &&
         rep_->errors == other.rep_->errors;
}

namespace internal {
void DieOnBadResultAccess(const Status& status) {
  std::fprintf(stderr, "bulwark: value() called on a Result holding an error: %s\n",
               status.ToString().c_str());
  std::abort();
}
void DieOnOkStatusInResult() {
  std::fprintf(stderr, "bulwark: a Result was constructed from an OK Status\n");
  std::abort();
}
}  // namespace internal

}  // namespace bulwark
