// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/jwt_error.h"

#include <string>

#include "core/enum_table.h"

namespace bulwark {
namespace {

constexpr internal::EnumEntry<JwtError> kJwtErrors[] = {
    {JwtError::kMalformed, "Malformed"},
    {JwtError::kTooLarge, "TooLarge"},
    {JwtError::kUnsupportedAlgorithm, "UnsupportedAlgorithm"},
    {JwtError::kAlgorithmMismatch, "AlgorithmMismatch"},
    {JwtError::kUnknownKey, "UnknownKey"},
    {JwtError::kBadSignature, "BadSignature"},
    {JwtError::kExpired, "Expired"},
    {JwtError::kNotYetValid, "NotYetValid"},
    {JwtError::kIssuedInFuture, "IssuedInFuture"},
    {JwtError::kMissingClaim, "MissingClaim"},
    {JwtError::kInvalidClaim, "InvalidClaim"},
    {JwtError::kWrongAudience, "WrongAudience"},
    {JwtError::kWrongIssuer, "WrongIssuer"},
};

std::string CodeOf(JwtError error) {
  const std::string_view name = ToString(error);
  std::string code(name.size() + 5, ']');
  code.replace(0, 4, "[Jwt");
  code.replace(4, name.size(), name);
  return code;
}

}  // namespace

std::string_view ToString(JwtError error) { return internal::EnumToString(kJwtErrors, error); }

std::optional<JwtError> JwtErrorOf(const Status& status) {
  if (status.ok()) return std::nullopt;
  for (const ErrorEntry& e : status.errors().general_errors) {
    for (const auto& entry : kJwtErrors) {
      if (e.code == CodeOf(entry.value)) return entry.value;
    }
  }
  return std::nullopt;
}

Status JwtFailure(JwtError error, std::string_view message) {
  const StatusCode code = error == JwtError::kMalformed || error == JwtError::kTooLarge
                              ? StatusCode::kInvalidArgument
                              : StatusCode::kUnauthenticated;
  Errors errors;
  errors.AddGeneral(CodeOf(error), message);
  return Status(code, message, std::move(errors));
}

}  // namespace bulwark
