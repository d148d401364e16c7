// SPDX-License-Identifier: Apache-2.0
// Private: the user's consent to the scopes a third-party application asks for.
//
// An application whose oauthConfiguration.relationship is ThirdParty asks its users, unless
// its consentMode is NeverPrompt (consent then is implicit, as for a FirstParty one):
//   AlwaysPrompt      every authorization shows the consent page;
//   RememberDecision  the user's choices are kept in the Store's ArtefactStore (kind
//                     "oauth2.consent", one per tenant, application and user) for the
//                     tenant's rememberOAuthScopeConsentChoiceTimeToLiveInSeconds; the page
//                     shows again when a requested scope has no remembered choice, when a
//                     scope now required was refused, when the choice has expired, and for
//                     prompt=consent.
// The page lists every requested scope but openid (the sign-in itself, always granted):
// required scopes (providedScopePolicy and custom scopes marked required) are granted with
// no choice; the others are granted only when the user ticks them.
//
// Thread-safe as the ArtefactStore it is given; the rest is pure.
#ifndef BULWARK_OAUTH2_CONSENT_H_
#define BULWARK_OAUTH2_CONSENT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/clock.h"
#include "bulwark/ids.h"
#include "bulwark/model/application.h"
#include "bulwark/oauth2/login_page.h"
#include "bulwark/result.h"
#include "bulwark/store/artefact_store.h"

namespace bulwark::oauth2 {

inline constexpr std::string_view kConsentKind = "oauth2.consent";

// Whether the application's users are asked to consent.
bool AsksConsent(const Application& application);

// The scopes the consent page shows for `requested`, in request order.
std::vector<ConsentScope> ConsentScopes(const std::vector<std::string>& requested,
                                        const Application& application);

// The scopes granted, in request order: openid when requested, every required scope, and
// each other requested scope that `consented` names (names not requested are ignored).
std::vector<std::string> GrantedScopes(const std::vector<std::string>& requested,
                                       const Application& application,
                                       const std::vector<std::string>& consented);

// Where a user's remembered choices for an application live.
struct ConsentAddress {
  TenantId tenant_id;
  ApplicationId application_id;
  UserId user_id;
};

// RememberDecision: the scopes granted by the user's remembered choices, or nullopt when
// they do not answer this request (the page must show).
Result<std::optional<std::vector<std::string>>> RememberedConsent(
    ArtefactStore& artefacts, const ConsentAddress& address,
    const std::vector<std::string>& requested, const Application& application, Instant now);

// Remembers the user's choice for each scope the page showed for `requested` (granted: in
// `granted`), on top of the choices remembered before, until now + `lifetime`.
Status RememberConsent(ArtefactStore& artefacts, const ConsentAddress& address,
                       const std::vector<std::string>& requested,
                       const std::vector<std::string>& granted, const Application& application,
                       Instant now, std::chrono::seconds lifetime);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_CONSENT_H_
