// SPDX-License-Identifier: Apache-2.0
#include "oauth2/sso_session.h"

#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "crypto/random_secret.h"
#include "crypto/secrets.h"

namespace bulwark::oauth2 {
Result<StartedSsoSession> StartSsoSession(ArtefactStore& artefacts, Random& random,
                                          TenantId tenant_id, UserId user_id, Instant auth_time,
                                          AuthenticationType authentication_type, Instant now,
                                          std::chrono::seconds lifetime) {
  StartedSsoSession started;
  BULWARK_ASSIGN_OR_RETURN(started.cookie_value, internal::NewRandomSecret(random, 32));
  // A UUID, as FusionAuth's SSO session ids (the tokens' sid) are.
  Result<Uuid> id = Status::Internal("the Random implementation threw");
  try {
    id = Uuid::Generate(random);
  } catch (...) {
  }
  BULWARK_RETURN_IF_ERROR(id.status());
  std::string session_id = id->ToString();
  started.session = SsoSession{.tenant_id = tenant_id,
                               .user_id = user_id,
                               .session_id = std::move(session_id),
                               .auth_time = auth_time,
                               .authentication_type = authentication_type,
                               .expires_at = now + lifetime};
  const nlohmann::json payload = {
      {"authTime", ToEpochMillis(auth_time)},
      {"authenticationType", ToString(authentication_type)},
  };
  const Artefact artefact{.tenant_id = tenant_id,
                          .kind = std::string(kSsoSessionKind),
                          .key = internal::Sha256Base64Url(started.cookie_value),
                          .user_id = user_id,
                          .grant_id = started.session.session_id,
                          .expires_at = started.session.expires_at,
                          .payload = payload.dump()};
  BULWARK_RETURN_IF_ERROR(artefacts.Put(artefact, now));
  return started;
}

Result<std::optional<SsoSession>> FindSsoSession(ArtefactStore& artefacts, TenantId tenant_id,
                                                 std::string_view cookie_value, Instant now) {
  if (cookie_value.empty()) return std::optional<SsoSession>();
  Result<Artefact> found =
      artefacts.Get(tenant_id, kSsoSessionKind, internal::Sha256Base64Url(cookie_value), now);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return std::optional<SsoSession>();
    return found.status();
  }
  const nlohmann::json payload = nlohmann::json::parse(found->payload, nullptr, false);
  const auto auth_time = payload.is_object() ? payload.find("authTime") : payload.end();
  const auto type = payload.is_object() ? payload.find("authenticationType") : payload.end();
  if (!found->user_id.has_value() || auth_time == payload.end() ||
      !auth_time->is_number_integer() || type == payload.end() || !type->is_string()) {
    return Status::DataLoss("a stored SSO session cannot be read");
  }
  Result<AuthenticationType> authentication_type =
      ParseAuthenticationType(type->get<std::string>());
  if (!authentication_type.ok()) return Status::DataLoss("a stored SSO session cannot be read");
  return std::optional<SsoSession>(
      SsoSession{.tenant_id = found->tenant_id,
                 .user_id = *found->user_id,
                 .session_id = found->grant_id,
                 .auth_time = FromEpochMillis(auth_time->get<std::int64_t>()),
                 .authentication_type = *authentication_type,
                 .expires_at = found->expires_at});
}

Status EndSsoSession(ArtefactStore& artefacts, TenantId tenant_id, std::string_view session_id) {
  if (session_id.empty()) return Status::Ok();
  Result<std::int64_t> removed = artefacts.RevokeByGrant(tenant_id, session_id);
  return removed.ok() ? Status::Ok() : removed.status();
}

std::string SsoCookie(std::string_view cookie_value, bool secure, std::chrono::seconds max_age) {
  std::string cookie(kSsoCookieName);
  cookie += '=';
  cookie += cookie_value;
  cookie += "; Path=/; Max-Age=";
  cookie += std::to_string(cookie_value.empty() ? 0 : max_age.count());
  cookie += "; HttpOnly; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace bulwark::oauth2
