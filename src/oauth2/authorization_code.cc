// SPDX-License-Identifier: Apache-2.0
#include "oauth2/authorization_code.h"

#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "crypto/random_secret.h"
#include "crypto/secrets.h"

namespace bulwark::oauth2 {
namespace {

OAuthError InvalidGrant(std::string reason, std::string description) {
  return OAuthError{.error = "invalid_grant",
                    .error_reason = std::move(reason),
                    .error_description = std::move(description)};
}

std::string Payload(const CodeGrant& grant) {
  nlohmann::json json = {
      {"clientId", grant.client_id.ToString()},
      {"userId", grant.user_id.ToString()},
      {"redirectUri", grant.redirect_uri},
      {"scopes", grant.scopes},
      {"codeChallengeMethod", ToString(grant.code_challenge_method)},
      {"nonce", grant.nonce},
      {"authTime", ToEpochMillis(grant.auth_time)},
      {"sessionId", grant.session_id},
      {"authenticationType", ToString(grant.authentication_type)},
  };
  if (grant.code_challenge.has_value()) json["codeChallenge"] = *grant.code_challenge;
  return json.dump();
}

// The grant a stored payload describes, or nullopt when it is not one this file wrote.
std::optional<CodeGrant> ParsePayload(const Artefact& artefact) {
  const nlohmann::json json = nlohmann::json::parse(artefact.payload, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  try {
    CodeGrant grant;
    grant.tenant_id = artefact.tenant_id;
    grant.grant_id = artefact.grant_id;
    Result<ApplicationId> client = ApplicationId::Parse(json.at("clientId").get<std::string>());
    Result<UserId> user = UserId::Parse(json.at("userId").get<std::string>());
    std::optional<CodeChallengeMethod> method =
        ParseCodeChallengeMethod(json.at("codeChallengeMethod").get<std::string>());
    if (!client.ok() || !user.ok() || !method.has_value()) return std::nullopt;
    grant.client_id = *client;
    grant.user_id = *user;
    grant.code_challenge_method = *method;
    grant.redirect_uri = json.at("redirectUri").get<std::string>();
    grant.scopes = json.at("scopes").get<std::vector<std::string>>();
    grant.nonce = json.at("nonce").get<std::string>();
    grant.auth_time = FromEpochMillis(json.at("authTime").get<std::int64_t>());
    grant.session_id = json.at("sessionId").get<std::string>();
    Result<AuthenticationType> type =
        ParseAuthenticationType(json.at("authenticationType").get<std::string>());
    if (!type.ok()) return std::nullopt;
    grant.authentication_type = *type;
    if (const auto challenge = json.find("codeChallenge"); challenge != json.end()) {
      grant.code_challenge = challenge->get<std::string>();
    }
    return grant;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

Result<std::string> IssueAuthorizationCode(ArtefactStore& artefacts, Random& random,
                                           const CodeGrant& grant, Instant now,
                                           std::chrono::seconds lifetime) {
  BULWARK_ASSIGN_OR_RETURN(std::string code, internal::NewRandomSecret(random, 32));
  Artefact artefact{.tenant_id = grant.tenant_id,
                    .kind = std::string(kAuthorizationCodeKind),
                    .key = internal::Sha256Base64Url(code),
                    .user_id = grant.user_id,
                    .grant_id = grant.grant_id,
                    .expires_at = now + lifetime,
                    .payload = Payload(grant)};
  BULWARK_RETURN_IF_ERROR(artefacts.Put(artefact, now));
  return code;
}

Result<std::variant<CodeGrant, OAuthError>> RedeemAuthorizationCode(
    ArtefactStore& artefacts, const CodeRedemption& redemption, Instant now,
    ReplayedCode* replayed) {
  using Outcome = std::variant<CodeGrant, OAuthError>;
  if (redemption.code.empty()) {
    return Outcome(
        OAuthError{.error = "invalid_request",
                   .error_reason = "missing_code",
                   .error_description = "The request is missing a required parameter: code"});
  }
  Result<ConsumedArtefact> consumed =
      artefacts.Consume(redemption.tenant_id, kAuthorizationCodeKind,
                        internal::Sha256Base64Url(redemption.code), now);
  if (!consumed.ok()) {
    if (consumed.status().code() != StatusCode::kNotFound) return consumed.status();
    return Outcome(InvalidGrant("auth_code_not_found",
                                "The authorization code is not valid: it was never issued, has "
                                "expired, or was revoked."));
  }
  if (consumed->replayed) {
    // RFC 6749 §4.1.2: a code used twice is refused, and what its grant issued is revoked.
    Result<std::int64_t> revoked =
        artefacts.RevokeByGrant(redemption.tenant_id, consumed->artefact.grant_id);
    if (!revoked.ok()) return revoked.status();
    if (replayed != nullptr) {
      *replayed = ReplayedCode{.grant_id = consumed->artefact.grant_id,
                               .user_id = consumed->artefact.user_id};
    }
    return Outcome(InvalidGrant("auth_code_not_found",
                                "The authorization code was already used; what it granted is "
                                "revoked."));
  }
  std::optional<CodeGrant> grant = ParsePayload(consumed->artefact);
  if (!grant.has_value()) {
    return Status::DataLoss("a stored authorization code cannot be read");
  }
  if (grant->client_id != redemption.client_id) {
    return Outcome(
        InvalidGrant("client_id_mismatch", "The authorization code was issued to another client."));
  }
  // RFC 6749 §4.1.3: the same redirect_uri as the authorization request, compared exactly.
  if (!redemption.redirect_uri.has_value() || *redemption.redirect_uri != grant->redirect_uri) {
    return Outcome(InvalidGrant("invalid_redirect_uri",
                                "The redirect_uri is not the one the authorization code was "
                                "issued for."));
  }
  if (grant->code_challenge.has_value()) {
    if (!redemption.code_verifier.has_value() || redemption.code_verifier->empty()) {
      return Outcome(OAuthError{.error = "invalid_request",
                                .error_reason = "missing_code_verifier",
                                .error_description = "The request is missing a required parameter: "
                                                     "code_verifier"});
    }
    if (!VerifierMeetsChallenge(*redemption.code_verifier, *grant->code_challenge,
                                grant->code_challenge_method)) {
      return Outcome(InvalidGrant("invalid_pkce_code_verifier",
                                  "The code_verifier does not match the code_challenge."));
    }
  } else if (redemption.code_verifier.has_value() && !redemption.code_verifier->empty()) {
    // A verifier for a code issued without a challenge: someone is confused, or downgrading.
    return Outcome(InvalidGrant("invalid_pkce_code_verifier",
                                "The authorization code was issued without a code_challenge."));
  }
  return Outcome(*std::move(grant));
}

}  // namespace bulwark::oauth2
