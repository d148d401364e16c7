// SPDX-License-Identifier: Apache-2.0
// Private: authorization codes (RFC 6749 §4.1), kept in the Store's ArtefactStore.
//
// A code is 32 random bytes, base64url; the store keeps it under its SHA-256 digest (kind
// "oauth2.code"), never as itself, with what it was issued for: the client, the redirect_uri,
// the user, the scopes, the PKCE challenge, the nonce, the authentication time and the SSO
// session, and the grant id that everything issued from it will carry. It lives for the
// tenant's authorizationGrantIdTimeToLiveInSeconds (FusionAuth: 30 seconds).
//
// Redeeming one consumes it atomically (of concurrent redemptions exactly one succeeds) and
// then checks it was issued to this client and redirect_uri and that the code_verifier meets
// its challenge. A code redeemed a second time revokes what its grant holds in the artefact
// store and is refused (RFC 6749 §4.1.2); the caller revokes the tokens of the grant.
//
// Thread-safe as the ArtefactStore it is given.
#ifndef BULWARK_OAUTH2_AUTHORIZATION_CODE_H_
#define BULWARK_OAUTH2_AUTHORIZATION_CODE_H_

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/random.h"
#include "bulwark/result.h"
#include "bulwark/store/artefact_store.h"
#include "oauth2/oauth_error.h"
#include "oauth2/pkce.h"

namespace bulwark::oauth2 {

inline constexpr std::string_view kAuthorizationCodeKind = "oauth2.code";

// What a code was issued for.
struct CodeGrant {
  TenantId tenant_id;
  ApplicationId client_id;
  UserId user_id;
  std::string redirect_uri;
  std::vector<std::string> scopes;
  std::optional<std::string> code_challenge;
  CodeChallengeMethod code_challenge_method = CodeChallengeMethod::kPlain;
  std::string nonce;
  Instant auth_time;
  std::string session_id;  // the SSO session (sid), "" without one
  AuthenticationType authentication_type = AuthenticationType::kPassword;
  std::string grant_id;  // shared by everything issued from the code
  friend bool operator==(const CodeGrant&, const CodeGrant&) = default;
};

// Stores a new code for `grant`, usable until now + `lifetime`; returns the code.
Result<std::string> IssueAuthorizationCode(ArtefactStore& artefacts, Random& random,
                                           const CodeGrant& grant, Instant now,
                                           std::chrono::seconds lifetime);

// What the token request presents with the code.
struct CodeRedemption {
  TenantId tenant_id;
  std::string code;
  ApplicationId client_id;
  std::optional<std::string> redirect_uri;
  std::optional<std::string> code_verifier;
};

// The grant of a code redeemed now, or the OAuth error (invalid_grant and FusionAuth's
// reasons: auth_code_not_found, client_id_mismatch, invalid_redirect_uri,
// missing_code_verifier, invalid_pkce_code_verifier) that refuses it. A storage failure is
// the Status.
// A code redeemed a second time: the grant whose artefacts were revoked, for the caller to
// revoke its tokens too.
struct ReplayedCode {
  std::string grant_id;
  std::optional<UserId> user_id;
};
// `replayed` (may be null) is filled when the code was redeemed before.
Result<std::variant<CodeGrant, OAuthError>> RedeemAuthorizationCode(
    ArtefactStore& artefacts, const CodeRedemption& redemption, Instant now,
    ReplayedCode* replayed = nullptr);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_AUTHORIZATION_CODE_H_
