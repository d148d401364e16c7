// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/jwt.h"

#include <forward_list>
#include <string>
#include <utility>

#include "crypto/jose_json.h"
#include "crypto/jws_internal.h"

namespace bulwark {
namespace internal {

// JwtClaims' private parts, for the checks below.
struct JwtClaimsReader {
  using Member = JwtClaims::Member;
  using Registered = JwtClaims::Registered;
  static constexpr Registered kIss = JwtClaims::kIss;
  static constexpr Registered kAud = JwtClaims::kAud;
  static constexpr Registered kExp = JwtClaims::kExp;
  static constexpr Registered kNbf = JwtClaims::kNbf;
  static constexpr Registered kIat = JwtClaims::kIat;

  static constexpr std::array<std::string_view, JwtClaims::kRegisteredCount> kNames = {
      "iss", "sub", "aud", "exp", "nbf", "iat", "jti"};

  static const Member& Get(const JwtClaims& claims, Registered claim) {
    return claims.registered_[claim];
  }

  static JsonKind Kind(const Member& member) { return static_cast<JsonKind>(member.kind); }

  // The value's JSON text.
  static std::string_view Value(const JwtClaims& claims, const Member& member) {
    return std::string_view(claims.text_).substr(member.begin, member.end - member.begin);
  }

  // The checked text as a claims set: a scan (json/parse.h) with the same strict parser that
  // ParseJson runs, noting where the registered claims are.
  static Result<JwtClaims> Parse(std::string text) {
    std::array<JsonMemberScan, JwtClaims::kRegisteredCount> scan;
    for (std::size_t i = 0; i < scan.size(); ++i) scan[i].name = kNames[i];
    Result<JsonKind> root = ScanJson(text, kJoseJsonOptions, scan);
    if (!root.ok()) {
      return JwtFailure(JwtError::kMalformed, "the claims: " + root.status().message());
    }
    if (*root != JsonKind::kObject) {
      return JwtFailure(JwtError::kMalformed, "the claims set is not a JSON object");
    }
    JwtClaims claims;
    claims.text_ = std::move(text);
    for (std::size_t i = 0; i < scan.size(); ++i) {
      Member& member = claims.registered_[i];
      member.found = scan[i].found;
      member.kind = static_cast<std::uint8_t>(scan[i].kind);
      member.escaped = scan[i].escaped;
      member.begin = scan[i].begin;
      member.end = scan[i].end;
      member.number = scan[i].number;
    }
    return claims;
  }

  // A JSON value from a text already checked (a whole claims set, or one member's value).
  static nlohmann::json Dom(std::string_view text) {
    Result<nlohmann::json> value = ParseJson(text, kJoseJsonOptions);
    // Cannot fail: the same parser accepted the text when the claims set was made.
    return value.ok() ? std::move(value).value() : nlohmann::json();
  }

  // A string member's value, decoded.
  static std::string StringValue(const JwtClaims& claims, const Member& member) {
    const std::string_view text = Value(claims, member);
    if (!member.escaped) return std::string(text.substr(1, text.size() - 2));
    nlohmann::json value = Dom(text);
    return value.is_string() ? std::move(value.get_ref<std::string&>()) : std::string();
  }
};

}  // namespace internal

namespace {

using internal::JsonKind;
using internal::JwtClaimsReader;

// A registered claim as the checks see it, read from a DOM or from a JwtClaims. Views point
// into the claims set, or into `decoded` below.
struct Claim {
  enum class Type { kAbsent, kNumber, kString, kArray, kOther };
  Type type = Type::kAbsent;
  double number = 0;        // kNumber
  std::string_view string;  // kString
  // kArray: each element's string, or nullopt for one that is not a string.
  std::vector<std::optional<std::string_view>> elements;
};

struct ClaimsToCheck {
  Claim exp, nbf, iat, aud, iss;
  // What views point into when the claims set is text: strings with escapes, decoded, and an
  // "aud" array as a DOM.
  std::forward_list<std::string> decoded;
  nlohmann::json aud_array;
};

Claim FromDom(const nlohmann::json& claims, const char* name) {
  Claim claim;
  const auto it = claims.find(name);
  if (it == claims.end()) return claim;
  if (it->is_number()) {
    claim.type = Claim::Type::kNumber;
    claim.number = it->get<double>();
  } else if (it->is_string()) {
    claim.type = Claim::Type::kString;
    claim.string = it->get_ref<const std::string&>();
  } else if (it->is_array()) {
    claim.type = Claim::Type::kArray;
    claim.elements.reserve(it->size());
    for (const nlohmann::json& v : *it) {
      if (v.is_string()) {
        claim.elements.emplace_back(v.get_ref<const std::string&>());
      } else {
        claim.elements.emplace_back(std::nullopt);
      }
    }
  } else {
    claim.type = Claim::Type::kOther;
  }
  return claim;
}

void FromDom(const nlohmann::json& claims, ClaimsToCheck& out) {
  out.exp = FromDom(claims, "exp");
  out.nbf = FromDom(claims, "nbf");
  out.iat = FromDom(claims, "iat");
  out.aud = FromDom(claims, "aud");
  out.iss = FromDom(claims, "iss");
}

Claim FromText(const JwtClaims& claims, JwtClaimsReader::Registered which, ClaimsToCheck& out) {
  Claim claim;
  const JwtClaimsReader::Member& member = JwtClaimsReader::Get(claims, which);
  if (!member.found) return claim;
  switch (JwtClaimsReader::Kind(member)) {
    case JsonKind::kNumber:
      claim.type = Claim::Type::kNumber;
      claim.number = member.number;
      break;
    case JsonKind::kString:
      claim.type = Claim::Type::kString;
      if (member.escaped) {
        claim.string = out.decoded.emplace_front(JwtClaimsReader::StringValue(claims, member));
      } else {
        const std::string_view text = JwtClaimsReader::Value(claims, member);
        claim.string = text.substr(1, text.size() - 2);
      }
      break;
    case JsonKind::kArray: {
      // Rare in FusionAuth's tokens (one audience is a string): read through the DOM.
      out.aud_array = JwtClaimsReader::Dom(JwtClaimsReader::Value(claims, member));
      claim.type = Claim::Type::kArray;
      claim.elements.reserve(out.aud_array.size());
      for (const nlohmann::json& v : out.aud_array) {
        if (v.is_string()) {
          claim.elements.emplace_back(v.get_ref<const std::string&>());
        } else {
          claim.elements.emplace_back(std::nullopt);
        }
      }
      break;
    }
    default:
      claim.type = Claim::Type::kOther;
      break;
  }
  return claim;
}

void FromText(const JwtClaims& claims, ClaimsToCheck& out) {
  out.exp = FromText(claims, JwtClaimsReader::kExp, out);
  out.nbf = FromText(claims, JwtClaimsReader::kNbf, out);
  out.iat = FromText(claims, JwtClaimsReader::kIat, out);
  out.aud = FromText(claims, JwtClaimsReader::kAud, out);
  out.iss = FromText(claims, JwtClaimsReader::kIss, out);
}

// A NumericDate claim (RFC 7519 §2) in seconds; nullopt when absent.
Result<std::optional<double>> NumericDate(const Claim& claim, const char* name) {
  if (claim.type == Claim::Type::kAbsent) return std::optional<double>();
  if (claim.type != Claim::Type::kNumber) {
    return JwtFailure(JwtError::kInvalidClaim, std::string("\"") + name + "\" is not a number");
  }
  return std::optional<double>(claim.number);
}

Status CheckTimes(const ClaimsToCheck& claims, const JwtVerifyOptions& options) {
  const double now = static_cast<double>(ToEpochMillis(*options.now)) / 1000.0;
  const double leeway = static_cast<double>(options.leeway.count());
  BULWARK_ASSIGN_OR_RETURN(std::optional<double> exp, NumericDate(claims.exp, "exp"));
  BULWARK_ASSIGN_OR_RETURN(std::optional<double> nbf, NumericDate(claims.nbf, "nbf"));
  BULWARK_ASSIGN_OR_RETURN(std::optional<double> iat, NumericDate(claims.iat, "iat"));
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
bool Expected(std::string_view value, const JwtVerifyOptions& options) {
  for (const std::string& expected : options.audiences) {
    if (value == expected) return true;
  }
  return false;
}

Status CheckAudience(const Claim& aud, const JwtVerifyOptions& options) {
  // Every value is checked for its type, even once one matched.
  bool matched = false;
  switch (aud.type) {
    case Claim::Type::kAbsent:
      break;
    case Claim::Type::kString:
      matched = Expected(aud.string, options);
      break;
    case Claim::Type::kArray:
      for (const std::optional<std::string_view>& v : aud.elements) {
        if (!v) {
          return JwtFailure(JwtError::kInvalidClaim, "\"aud\" holds a value that is not a string");
        }
        matched = matched || Expected(*v, options);
      }
      break;
    default:
      return JwtFailure(JwtError::kInvalidClaim, "\"aud\" is neither a string nor an array");
  }
  if (options.audiences.empty() || matched) return Status::Ok();
  return JwtFailure(JwtError::kWrongAudience, aud.type == Claim::Type::kAbsent
                                                  ? "the token has no \"aud\""
                                                  : "the token is not for the expected audience");
}

Status CheckIssuer(const Claim& iss, const JwtVerifyOptions& options) {
  if (iss.type != Claim::Type::kAbsent && iss.type != Claim::Type::kString) {
    return JwtFailure(JwtError::kInvalidClaim, "\"iss\" is not a string");
  }
  if (options.issuer.empty()) return Status::Ok();
  if (iss.type == Claim::Type::kAbsent) {
    return JwtFailure(JwtError::kWrongIssuer, "the token has no \"iss\"");
  }
  if (iss.string != options.issuer) {
    return JwtFailure(JwtError::kWrongIssuer, "the token is not from the expected issuer");
  }
  return Status::Ok();
}

Status CheckClaims(const ClaimsToCheck& claims, const JwtVerifyOptions& options) {
  BULWARK_RETURN_IF_ERROR(CheckTimes(claims, options));
  BULWARK_RETURN_IF_ERROR(CheckAudience(claims.aud, options));
  return CheckIssuer(claims.iss, options);
}

Status CheckClaims(const JwtClaims& claims, const JwtVerifyOptions& options) {
  ClaimsToCheck read;
  FromText(claims, read);
  return CheckClaims(read, options);
}

// Everything after the signature: the claims set, its times, audience and issuer.
Result<Jwt> CheckVerifiedJws(Jws jws, const JwtVerifyOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(JwtClaims claims, JwtClaims::Parse(std::move(jws.payload)));
  BULWARK_RETURN_IF_ERROR(CheckClaims(claims, options));
  return Jwt{std::move(jws.header), std::move(claims)};
}

Status RequireNow(const JwtVerifyOptions& options) {
  if (!options.now.has_value()) {
    return Status::InvalidArgument("JwtVerifyOptions.now is required");
  }
  return Status::Ok();
}

}  // namespace

JwtClaims::JwtClaims() : text_("{}") {}

Result<JwtClaims> JwtClaims::Parse(std::string text) {
  return JwtClaimsReader::Parse(std::move(text));
}

nlohmann::json JwtClaims::ToJson() const { return JwtClaimsReader::Dom(text_); }

std::optional<std::string> JwtClaims::String(Registered claim) const {
  const Member& member = registered_[claim];
  if (!member.found || JwtClaimsReader::Kind(member) != JsonKind::kString) return std::nullopt;
  return JwtClaimsReader::StringValue(*this, member);
}

std::optional<double> JwtClaims::Number(Registered claim) const {
  const Member& member = registered_[claim];
  if (!member.found || JwtClaimsReader::Kind(member) != JsonKind::kNumber) return std::nullopt;
  return member.number;
}

std::optional<std::string> JwtClaims::iss() const { return String(kIss); }
std::optional<std::string> JwtClaims::sub() const { return String(kSub); }
std::optional<std::string> JwtClaims::jti() const { return String(kJti); }
std::optional<double> JwtClaims::exp() const { return Number(kExp); }
std::optional<double> JwtClaims::nbf() const { return Number(kNbf); }
std::optional<double> JwtClaims::iat() const { return Number(kIat); }

std::vector<std::string> JwtClaims::aud() const {
  std::vector<std::string> out;
  ClaimsToCheck read;
  const Claim claim = FromText(*this, kAud, read);
  if (claim.type == Claim::Type::kString) out.emplace_back(claim.string);
  if (claim.type == Claim::Type::kArray) {
    for (const std::optional<std::string_view>& v : claim.elements) {
      if (v) out.emplace_back(*v);
    }
  }
  return out;
}

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
  BULWARK_RETURN_IF_ERROR(RequireNow(options));
  if (!claims.is_object()) return Status::InvalidArgument("the JWT claims must be a JSON object");
  ClaimsToCheck read;
  FromDom(claims, read);
  return CheckClaims(read, options);
}

Status CheckJwtClaims(const JwtClaims& claims, const JwtVerifyOptions& options) {
  BULWARK_RETURN_IF_ERROR(RequireNow(options));
  return CheckClaims(claims, options);
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
  BULWARK_ASSIGN_OR_RETURN(JwtClaims claims, JwtClaims::Parse(std::move(jws.payload)));
  return Jwt{std::move(jws.header), std::move(claims)};
}

}  // namespace bulwark
