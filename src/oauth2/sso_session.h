// SPDX-License-Identifier: Apache-2.0
// Private: the SSO session the hosted login page starts, kept in the Store's ArtefactStore
// (kind "oauth2.session").
//
// A login starts a new session: a fresh cookie value (32 random bytes, base64url) that the
// store keeps only as its SHA-256 digest, and a session id (the `sid` of the tokens and of
// the logout) that is not the cookie value. The session belongs to its tenant (a cookie of
// another tenant finds nothing) and to its user, and lives for the tenant's
// httpSessionMaxInactiveInterval from the login (no sliding: the artefact store keeps an
// expiry, not a last use). Ending it (logout, or a new login in the same browser, which
// ends the session its cookie held) removes it; so does deleting the user or the tenant.
//
// The cookie: `bulwark.sso`, HttpOnly, SameSite=Lax (it must come back on the top-level
// redirect from a client to /oauth2/authorize), Secure on https, Path=/.
//
// Thread-safe as the ArtefactStore it is given.
#ifndef BULWARK_OAUTH2_SSO_SESSION_H_
#define BULWARK_OAUTH2_SSO_SESSION_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/model/authentication_type.h"
#include "bulwark/oauth2/authorization_server.h"  // kSsoCookieName
#include "bulwark/random.h"
#include "bulwark/result.h"
#include "bulwark/store/artefact_store.h"

namespace bulwark::oauth2 {

inline constexpr std::string_view kSsoSessionKind = "oauth2.session";

struct SsoSession {
  TenantId tenant_id;
  UserId user_id;
  std::string session_id;  // sid
  Instant auth_time;
  AuthenticationType authentication_type = AuthenticationType::kPassword;
  Instant expires_at;
  friend bool operator==(const SsoSession&, const SsoSession&) = default;
};

struct StartedSsoSession {
  std::string cookie_value;  // for the Set-Cookie only; never stored
  SsoSession session;
};

// Starts a session for `user_id`, authenticated at `auth_time`, until now + `lifetime`.
Result<StartedSsoSession> StartSsoSession(ArtefactStore& artefacts, Random& random,
                                          TenantId tenant_id, UserId user_id, Instant auth_time,
                                          AuthenticationType authentication_type, Instant now,
                                          std::chrono::seconds lifetime);

// The live session the cookie value names in the tenant, or nullopt.
Result<std::optional<SsoSession>> FindSsoSession(ArtefactStore& artefacts, TenantId tenant_id,
                                                 std::string_view cookie_value, Instant now);

// Ends the session `session_id` of the tenant; ending one that is gone is not an error.
Status EndSsoSession(ArtefactStore& artefacts, TenantId tenant_id, std::string_view session_id);

// The Set-Cookie value that hands the browser `cookie_value` for `max_age`; an empty value
// and a max_age of 0 clear it.
std::string SsoCookie(std::string_view cookie_value, bool secure, std::chrono::seconds max_age);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_SSO_SESSION_H_
