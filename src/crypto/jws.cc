// SPDX-License-Identifier: Apache-2.0
#include "bulwark/crypto/jws.h"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "crypto/algorithms.h"
#include "crypto/base64.h"
#include "crypto/jose_json.h"
#include "crypto/jws_internal.h"
#include "crypto/openssl_util.h"

namespace bulwark {
namespace internal {
namespace {

struct Segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header "." payload
};

Result<Segments> Split(std::string_view token, std::size_t max_bytes) {
  if (token.size() > max_bytes) {
    return JwtFailure(JwtError::kTooLarge, "the token is longer than the configured maximum");
  }
  const std::size_t first = token.find('.');
  const std::size_t second =
      first == std::string_view::npos ? std::string_view::npos : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return JwtFailure(JwtError::kMalformed, "a compact JWS has exactly three segments");
  }
  Segments s;
  s.header = token.substr(0, first);
  s.payload = token.substr(first + 1, second - first - 1);
  s.signature = token.substr(second + 1);
  s.signing_input = token.substr(0, second);
  if (s.header.empty()) return JwtFailure(JwtError::kMalformed, "the header segment is empty");
  if (s.signature.empty()) {
    return JwtFailure(JwtError::kMalformed, "the token is unsigned (empty signature segment)");
  }
  return s;
}

Result<std::vector<std::uint8_t>> DecodeSegment(std::string_view segment, std::string_view name) {
  Result<std::vector<std::uint8_t>> bytes = Base64UrlDecode(segment);
  if (!bytes.ok()) {
    std::string message = "the ";
    message.append(name).append(" segment is not base64url");
    return JwtFailure(JwtError::kMalformed, message);
  }
  return bytes;
}

// `segment` decoded into `out`, or kMalformed naming the segment.
Status DecodeSegmentTo(std::string_view segment, std::string_view name, std::string& out) {
  if (!Base64UrlDecodeTo(segment, out).ok()) {
    std::string message = "the ";
    message.append(name).append(" segment is not base64url");
    return JwtFailure(JwtError::kMalformed, message);
  }
  return Status::Ok();
}

// The parsed header, checked for the members bulwark refuses.
Result<nlohmann::json> DecodeHeader(std::string_view segment) {
  std::string text;
  BULWARK_RETURN_IF_ERROR(DecodeSegmentTo(segment, "header", text));
  Result<nlohmann::json> header = ParseJson(text, kJoseJsonOptions);
  if (!header.ok()) {
    return JwtFailure(JwtError::kMalformed, "the header: " + header.status().message());
  }
  if (!header->is_object()) return JwtFailure(JwtError::kMalformed, "the header is not an object");
  if (header->contains("crit")) {
    return JwtFailure(JwtError::kMalformed, "the header has \"crit\"; no extension is understood");
  }
  if (header->contains("b64")) {
    return JwtFailure(JwtError::kMalformed, "the header has \"b64\" (RFC 7797); not supported");
  }
  const auto kid = header->find("kid");
  if (kid != header->end() && !kid->is_string()) {
    return JwtFailure(JwtError::kMalformed, "the header's \"kid\" is not a string");
  }
  return header;
}

// The algorithm the header names, or why it is refused.
Result<KeyAlgorithm> HeaderAlgorithm(const nlohmann::json& header, bool accept_eddsa_alias) {
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    return JwtFailure(JwtError::kUnsupportedAlgorithm, "the header has no \"alg\" string");
  }
  const std::string& name = alg->get_ref<const std::string&>();
  if (accept_eddsa_alias && name == "EdDSA") return KeyAlgorithm::kEd25519;
  std::optional<KeyAlgorithm> algorithm = AlgorithmFromJoseName(name);
  if (!algorithm) {
    return JwtFailure(JwtError::kUnsupportedAlgorithm,
                      name == "none" ? "unsigned tokens (alg \"none\") are refused"
                                     : "the header's \"alg\" is not a supported algorithm");
  }
  return *algorithm;
}

// The header's JSON text: {"alg", "typ" (JWT), "kid"} and the extras, in that order.
Result<std::string> HeaderJson(const nlohmann::json& header_extras, bool jwt,
                               const SigningKey& key) {
  const std::string_view alg = InfoOf(key.algorithm()).jose_name;
  if (header_extras.is_null()) {
    // The common case, written directly: the same text the general path below writes.
    std::string text = "{\"alg\":\"";
    text.append(alg).push_back('"');
    if (jwt) text.append(",\"typ\":\"JWT\"");
    if (!key.kid().empty()) {
      text.append(",\"kid\":");
      BULWARK_RETURN_IF_ERROR(AppendJsonString(key.kid(), text));
    }
    text.push_back('}');
    return text;
  }
  if (!header_extras.is_object()) {
    return Status::InvalidArgument("the header extras must be a JSON object");
  }
  nlohmann::ordered_json header;
  header["alg"] = std::string(alg);
  if (jwt) header["typ"] = "JWT";
  std::string kid = key.kid();
  if (header_extras.contains("alg")) {
    return Status::InvalidArgument("the header's \"alg\" comes from the key; do not set it");
  }
  const auto extra_kid = header_extras.find("kid");
  if (extra_kid != header_extras.end()) {
    if (!extra_kid->is_string()) return Status::InvalidArgument("\"kid\" must be a string");
    const std::string& k = extra_kid->get_ref<const std::string&>();
    if (!kid.empty() && k != kid) {
      return Status::InvalidArgument("the header's \"kid\" differs from the key's kid");
    }
    kid = k;
  }
  if (!kid.empty()) header["kid"] = kid;
  for (auto it = header_extras.begin(); it != header_extras.end(); ++it) {
    if (it.key() != "kid") header[it.key()] = it.value();
  }
  return DumpJson(header);
}

// The length of the key's signatures, to size the token once; RSA is a guess (2048 bits).
std::size_t ExpectedSignatureBytes(const AlgorithmInfo& info) {
  switch (info.type) {
    case KeyType::kHmac:
      return info.hash_bytes;
    case KeyType::kEc:
      return 2 * info.ec_bytes;
    case KeyType::kRsa:
      return 256;
    default:
      return 64;
  }
}

std::size_t Base64UrlLength(std::size_t bytes) { return (bytes * 4 + 2) / 3; }

// Which key checks the signature: a single key (jws.h's kid rule for one key), or a resolver.
struct KeyChoice {
  const VerificationKey* single = nullptr;
  const VerificationKeyResolver* resolver = nullptr;
};

Result<Jws> Verify(std::string_view token, KeyChoice keys, std::size_t max_token_bytes,
                   bool accept_eddsa_alias) {
  BULWARK_ASSIGN_OR_RETURN(Segments s, Split(token, max_token_bytes));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json header, DecodeHeader(s.header));
  BULWARK_ASSIGN_OR_RETURN(KeyAlgorithm algorithm, HeaderAlgorithm(header, accept_eddsa_alias));
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> signature,
                           DecodeSegment(s.signature, "signature"));
  std::string payload;
  BULWARK_RETURN_IF_ERROR(DecodeSegmentTo(s.payload, "payload", payload));

  // DecodeHeader checked that a "kid" is a string; the view lives as long as `header`.
  const auto kid_member = header.find("kid");
  const std::string_view kid = kid_member == header.end()
                                   ? std::string_view()
                                   : std::string_view(kid_member->get_ref<const std::string&>());
  const VerificationKey* key = keys.single;
  std::optional<VerificationKey> resolved;
  if (key != nullptr) {
    if (!kid.empty() && !key->kid().empty() && kid != key->kid()) {
      return JwtFailure(JwtError::kUnknownKey, "no verification key has the token's kid");
    }
  } else {
    if (keys.resolver == nullptr || !*keys.resolver) {
      return JwtFailure(JwtError::kUnknownKey, "no verification key was given");
    }
    Result<VerificationKey> found = [&]() -> Result<VerificationKey> {
      try {
        return (*keys.resolver)(kid);
      } catch (...) {  // host code must not throw; defence in depth
        return Status::Internal("the key resolver threw");
      }
    }();
    if (!found.ok()) {
      if (found.status().code() == StatusCode::kNotFound) {
        return JwtFailure(JwtError::kUnknownKey, kid.empty()
                                                     ? "the token has no kid and no single key"
                                                     : "no verification key has the token's kid");
      }
      return found.status();
    }
    key = &resolved.emplace(std::move(found).value());
  }
  if (key->algorithm() != algorithm) {
    return JwtFailure(JwtError::kAlgorithmMismatch,
                      "the header's \"alg\" is not the verification key's algorithm");
  }
  Status verified = key->Verify(s.signing_input, signature);
  if (!verified.ok()) {
    if (verified.code() != StatusCode::kUnauthenticated) return verified;
    return JwtFailure(JwtError::kBadSignature, verified.message());
  }
  return Jws{std::move(header), std::move(payload)};
}

}  // namespace

Result<std::string> SignCompact(const nlohmann::json& header_extras, bool jwt,
                                std::string_view payload, const SigningKey& key) {
  BULWARK_ASSIGN_OR_RETURN(std::string header_json, HeaderJson(header_extras, jwt, key));
  // One string for the whole token, sized once.
  std::string out;
  out.reserve(Base64UrlLength(header_json.size()) + Base64UrlLength(payload.size()) + 2 +
              Base64UrlLength(ExpectedSignatureBytes(InfoOf(key.algorithm()))));
  AppendBase64Url(AsBytes(header_json), out);
  out.push_back('.');
  AppendBase64Url(AsBytes(payload), out);
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::uint8_t> signature, key.Sign(out));
  out.push_back('.');
  AppendBase64Url(signature, out);
  return out;
}

Result<Jws> VerifyCompact(std::string_view token, const VerificationKeyResolver& keys,
                          std::size_t max_token_bytes, bool accept_eddsa_alias) {
  return Verify(token, KeyChoice{.resolver = &keys}, max_token_bytes, accept_eddsa_alias);
}

Result<Jws> VerifyCompact(std::string_view token, const VerificationKey& key,
                          std::size_t max_token_bytes, bool accept_eddsa_alias) {
  return Verify(token, KeyChoice{.single = &key}, max_token_bytes, accept_eddsa_alias);
}

}  // namespace internal

Result<VerificationKey> VerificationKeySet::Find(std::string_view kid) const {
  if (kid.empty()) {
    if (keys_.size() == 1) return keys_.front();
    return Status::NotFound("the token has no kid and the key set does not hold exactly one key");
  }
  for (const VerificationKey& key : keys_) {
    if (key.kid() == kid) return key;
  }
  return Status::NotFound("no key has this kid");
}

Result<std::string> SignJws(const nlohmann::json& header_extras, std::string_view payload,
                            const SigningKey& key) {
  return internal::SignCompact(header_extras, /*jwt=*/false, payload, key);
}

Result<Jws> VerifyJws(std::string_view token, const VerificationKeyResolver& keys,
                      const JwsVerifyOptions& options) {
  return internal::VerifyCompact(token, keys, options.max_token_bytes, options.accept_eddsa_alias);
}

Result<Jws> VerifyJws(std::string_view token, const VerificationKeySet& keys,
                      const JwsVerifyOptions& options) {
  return VerifyJws(
      token, [&keys](std::string_view kid) { return keys.Find(kid); }, options);
}

Result<Jws> VerifyJws(std::string_view token, const VerificationKey& key,
                      const JwsVerifyOptions& options) {
  return internal::VerifyCompact(token, key, options.max_token_bytes, options.accept_eddsa_alias);
}

Result<Jws> DecodeJwsUnverified(std::string_view token, std::size_t max_token_bytes) {
  BULWARK_ASSIGN_OR_RETURN(internal::Segments s, internal::Split(token, max_token_bytes));
  BULWARK_ASSIGN_OR_RETURN(nlohmann::json header, internal::DecodeHeader(s.header));
  std::string payload;
  BULWARK_RETURN_IF_ERROR(internal::DecodeSegmentTo(s.payload, "payload", payload));
  BULWARK_RETURN_IF_ERROR(internal::DecodeSegment(s.signature, "signature").status());
  return Jws{std::move(header), std::move(payload)};
}

}  // namespace bulwark
