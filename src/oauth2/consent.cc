// SPDX-License-Identifier: Apache-2.0
#include "oauth2/consent.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "oauth2/scopes.h"

namespace bulwark::oauth2 {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string KeyOf(const ConsentAddress& a) {
  return a.application_id.ToString() + "/" + a.user_id.ToString();
}

// The grant id every remembered choice of the address is kept under, so that a new choice
// replaces the old one (RevokeByGrant). Not a UUID: it never meets a grant's.
std::string GrantOf(const ConsentAddress& a) { return "consent/" + KeyOf(a); }

// The remembered choices (scope -> granted), or nullopt when there are none.
Result<std::optional<nlohmann::json>> Load(ArtefactStore& artefacts, const ConsentAddress& a,
                                           Instant now) {
  Result<Artefact> found = artefacts.Get(a.tenant_id, kConsentKind, KeyOf(a), now);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return std::optional<nlohmann::json>();
    return found.status();
  }
  nlohmann::json payload = nlohmann::json::parse(found->payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("choices") || !payload["choices"].is_object() ||
      found->user_id != a.user_id) {
    return Status::DataLoss("a stored consent cannot be read");
  }
  return std::optional<nlohmann::json>(std::move(payload["choices"]));
}

}  // namespace

bool AsksConsent(const Application& application) {
  return application.oauth_configuration.relationship == OAuthRelationship::kThirdParty &&
         application.oauth_configuration.consent_mode != ConsentMode::kNeverPrompt;
}

std::vector<ConsentScope> ConsentScopes(const std::vector<std::string>& requested,
                                        const Application& application) {
  const std::vector<CustomScope> custom = CustomScopesOf(application);
  std::vector<ConsentScope> out;
  for (const std::string& scope : requested) {
    if (scope == "openid") continue;
    ConsentScope shown{.scope = scope, .required = IsRequiredScope(scope, application)};
    for (const CustomScope& c : custom) {
      if (c.name == scope) {
        shown.message = c.consent_message;
        shown.detail = c.consent_detail;
      }
    }
    out.push_back(std::move(shown));
  }
  return out;
}

std::vector<std::string> GrantedScopes(const std::vector<std::string>& requested,
                                       const Application& application,
                                       const std::vector<std::string>& consented) {
  std::vector<std::string> granted;
  for (const std::string& scope : requested) {
    if (scope == "openid" || IsRequiredScope(scope, application) || Contains(consented, scope)) {
      granted.push_back(scope);
    }
  }
  return granted;
}

Result<std::optional<std::vector<std::string>>> RememberedConsent(
    ArtefactStore& artefacts, const ConsentAddress& address,
    const std::vector<std::string>& requested, const Application& application, Instant now) {
  using Answer = std::optional<std::vector<std::string>>;
  BULWARK_ASSIGN_OR_RETURN(std::optional<nlohmann::json> choices, Load(artefacts, address, now));
  if (!choices.has_value()) return Answer();
  std::vector<std::string> granted;
  for (const std::string& scope : requested) {
    if (scope == "openid") {
      granted.push_back(scope);
      continue;
    }
    const auto choice = choices->find(scope);
    if (choice == choices->end() || !choice->is_boolean()) return Answer();  // never asked
    if (choice->get<bool>()) {
      granted.push_back(scope);
    } else if (IsRequiredScope(scope, application)) {
      return Answer();  // refused before, required now
    }
  }
  return Answer(std::move(granted));
}

Status RememberConsent(ArtefactStore& artefacts, const ConsentAddress& address,
                       const std::vector<std::string>& requested,
                       const std::vector<std::string>& granted, const Application& application,
                       Instant now, std::chrono::seconds lifetime) {
  if (lifetime.count() <= 0) return Status::Ok();
  BULWARK_ASSIGN_OR_RETURN(std::optional<nlohmann::json> before, Load(artefacts, address, now));
  nlohmann::json choices = before.value_or(nlohmann::json::object());
  for (const ConsentScope& shown : ConsentScopes(requested, application)) {
    choices[shown.scope] = Contains(granted, shown.scope);
  }
  const Artefact artefact{.tenant_id = address.tenant_id,
                          .kind = std::string(kConsentKind),
                          .key = KeyOf(address),
                          .user_id = address.user_id,
                          .grant_id = GrantOf(address),
                          .expires_at = now + lifetime,
                          .payload = nlohmann::json{{"choices", std::move(choices)}}.dump()};
  // Replace what was remembered. Another decision of the same user stored in between (two
  // tabs answering at once) takes the address: replace it once more; should a third keep it,
  // that one is remembered, and this answer still holds for its own authorization.
  for (int attempt = 0; attempt < 2; ++attempt) {
    BULWARK_RETURN_IF_ERROR(artefacts.RevokeByGrant(address.tenant_id, GrantOf(address)).status());
    Status put = artefacts.Put(artefact, now);
    if (put.code() != StatusCode::kAlreadyExists) return put;
  }
  return Status::Ok();
}

}  // namespace bulwark::oauth2
