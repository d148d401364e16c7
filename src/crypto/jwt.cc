// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/jwt.h"

#include <string>
#include <utility>

#include "crypto/jose_json.h"
#include "crypto/jws_internal.h"

namespace bulwark {
namespace {

Result<nlohmann::json> ParseClaims(std::string_view payload) {
  Result<nlohmann::json> claims = internal::ParseJson(payload, internal::kJoseJsonOptions);
  if (!claims.ok()) {
    return JwtFailure(JwtError::kMalformed, "the claims: " + claims.status().message());
  }
  if (!claims->is_object()) {
    return JwtFailure(JwtError::kMalformed, "the claims set is not a JSON object");
  }
  return claims;
}

// A NumericDate claim (RFC 7519 §2) in seconds; nullopt when absent.
Result<std::optional<double>> NumericDate(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::optional<double>();
  if (!it->is_number()) {
    return JwtFailure(JwtError::kInvalidClaim, std::string("\"") + name + "\" is not a number");
  }
  return std::optional<double>(it->get<double>());
}

Status CheckTimes(const nlohmann::json& claims, const JwtVerifyOptions& options) {
  const double now = static_cast<double>(ToEpochMillis(*options.now)) / 1000.0;
  const double leeway = static_cast<double>(options.leeway.count());
  BULWARK_ASSIGN_OR_RETURN(std::optional<double> exp, NumericDate(claims, "exp"));
  BULWARK_ASSIGN_OR_RETURN(std::optional<double> nbf, NumericDate(claims, "nbf"));
  BULWARK_ASSIGN_OR_RETURN(std::optional<double> iat, NumericDate(claims, "iat"));
  if (!exp && options.require_exp) {
    return JwtFailure(JwtError::kMissingClaim, "the token has no \"exp\"");
  }
  if (exp && now >= *exp + leeway) return JwtFailure(JwtError::kExpired, "the token has expired");
  if (nbf && now + leeway < *nbf) {
    return JwtFailure(JwtError::kNotYetValid, "the token is not valid yet (nbf)");
  }
  if (iat && options.reject_iat_in_future && *iat > now + leeway) {
    return JwtFailure(JwtError::kIssuedInFuture, "the token was issued in the future (iat)");
  }
  return Status::Ok();
}

// True when `value` is one of the expected audiences.
bool Expected(const std::string& value, const JwtVerifyOptions& options) {
  for (const std::string& expected : options.audiences) {
    if (value == expected) return true;
  }
  return false;
}

Status CheckAudience(const nlohmann::json& claims, const JwtVerifyOptions& options) {
  const auto aud = claims.find("aud");
  // Every value is checked for its type, even once one matched.
  bool matched = false;
  if (aud != claims.end()) {
    if (aud->is_string()) {
      matched = Expected(aud->get_ref<const std::string&>(), options);
    } else if (aud->is_array()) {
      for (const nlohmann::json& v : *aud) {
        if (!v.is_string()) {
          return JwtFailure(JwtError::kInvalidClaim, "\"aud\" holds a value that is not a string");
        }
        matched = matched || Expected(v.get_ref<const std::string&>(), options);
      }
    } else {
      return JwtFailure(JwtError::kInvalidClaim, "\"aud\" is neither a string nor an array");
    }
  }
  if (options.audiences.empty() || matched) return Status::Ok();
  return JwtFailure(JwtError::kWrongAudience, aud == claims.end()
                                                  ? "the token has no \"aud\""
                                                  : "the token is not for the expected audience");
}

Status CheckIssuer(const nlohmann::json& claims, const JwtVerifyOptions& options) {
  const auto iss = claims.find("iss");
  if (iss != claims.end() && !iss->is_string()) {
    return JwtFailure(JwtError::kInvalidClaim, "\"iss\" is not a string");
  }
  if (options.issuer.empty()) return Status::Ok();
  if (iss == claims.end()) return JwtFailure(JwtError::kWrongIssuer, "the token has no \"iss\"");
  if (iss->get_ref<const std::string&>() != options.issuer) {
    return JwtFailure(JwtError::kWrongIssuer, "the token is not from the expected issuer");
  }
  return Status::Ok();
}

// Everything after the signature: the claims set, its times, audience and issuer.
Result<Jwt> CheckVerifiedJws(Jws jws, const JwtVerifyOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json claims, ParseClaims(jws.payload));
  BULWARK_RETURN_IF_ERROR(CheckTimes(claims, options));
  BULWARK_RETURN_IF_ERROR(CheckAudience(claims, options));
  BULWARK_RETURN_IF_ERROR(CheckIssuer(claims, options));
  return Jwt{std::move(jws.header), std::move(claims)};
}

Status RequireNow(const JwtVerifyOptions& options) {
  if (!options.now.has_value()) {
    return Status::InvalidArgument("JwtVerifyOptions.now is required");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> SignJwt(const nlohmann::json& header_extras, const nlohmann::json& claims,
                            const SigningKey& key) {
  if (!claims.is_object()) return Status::InvalidArgument("the JWT claims must be a JSON object");
  BULWARK_ASSIGN_OR_RETURN(std::string payload, internal::WriteJson(claims));
  return internal::SignCompact(header_extras, /*jwt=*/true, payload, key);
}

Result<std::string> SignJwt(const nlohmann::json& claims, const SigningKey& key) {
  return SignJwt(nlohmann::json(), claims, key);
}

Result<Jwt> VerifyJwt(std::string_view token, const VerificationKeyResolver& keys,
                      const JwtVerifyOptions& options) {
  BULWARK_RETURN_IF_ERROR(RequireNow(options));
  BULWARK_ASSIGN_OR_RETURN(Jws jws, internal::VerifyCompact(token, keys, options.max_token_bytes,
                                                            options.accept_eddsa_alias));
  return CheckVerifiedJws(std::move(jws), options);
}

Status CheckJwtClaims(const nlohmann::json& claims, const JwtVerifyOptions& options) {
  if (!options.now.has_value()) {
    return Status::InvalidArgument("JwtVerifyOptions.now is required");
  }
  if (!claims.is_object()) return Status::InvalidArgument("the JWT claims must be a JSON object");
  BULWARK_RETURN_IF_ERROR(CheckTimes(claims, options));
  BULWARK_RETURN_IF_ERROR(CheckAudience(claims, options));
  return CheckIssuer(claims, options);
}

Result<Jwt> VerifyJwt(std::string_view token, const VerificationKeySet& keys,
                      const JwtVerifyOptions& options) {
  return VerifyJwt(
      token, [&keys](std::string_view kid) { return keys.Find(kid); }, options);
}

Result<Jwt> VerifyJwt(std::string_view token, const VerificationKey& key,
                      const JwtVerifyOptions& options) {
  BULWARK_RETURN_IF_ERROR(RequireNow(options));
  BULWARK_ASSIGN_OR_RETURN(Jws jws, internal::VerifyCompact(token, key, options.max_token_bytes,
                                                            options.accept_eddsa_alias));
  return CheckVerifiedJws(std::move(jws), options);
}

Result<Jwt> DecodeJwtUnverified(std::string_view token, std::size_t max_token_bytes) {
  BULWARK_ASSIGN_OR_RETURN(Jws jws, DecodeJwsUnverified(token, max_token_bytes));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json claims, ParseClaims(jws.payload));
  return Jwt{std::move(jws.header), std::move(claims)};
}

}  // namespace bulwark
