// SPDX-License-Identifier: Apache-2.0
// Private: the scopes an authorization or token request asks for, as the application's
// policies let them through.
//   The scope parameter (RFC 6749 §3.3) is a space-delimited list of case-sensitive tokens of
//   printable ASCII other than '"' and '\'; a malformed token is refused whatever the policy,
//   repeats count once, and the order of first appearance is kept.
//   Known scopes: openid and offline_access; profile, email, address and phone unless the
//   application's providedScopePolicy disables them (a disabled one is then unknown); and
//   the application's custom scopes (Application::scopes, by name).
//   Unknown scopes follow unknownScopePolicy: Reject refuses the request (invalid_scope,
//   unknown_scope), Remove drops them, Allow keeps them.
// Which scopes are required (the consent page cannot take them away) is told for consent.
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_SCOPES_H_
#define BULWARK_OAUTH2_SCOPES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/model/application.h"
#include "oauth2/oauth_error.h"

namespace bulwark::oauth2 {

// One of the application's custom scopes (an entry of Application::scopes).
struct CustomScope {
  std::string name;
  bool required = false;
  // The consent page's words: defaultConsentMessage, else description; and
  // defaultConsentDetail.
  std::string consent_message = {};
  std::string consent_detail = {};
  friend bool operator==(const CustomScope&, const CustomScope&) = default;
};

// The custom scopes in Application::scopes (entries without a string "name" are skipped).
std::vector<CustomScope> CustomScopesOf(const Application& application);

// The granted scopes, in request order, or the error that refuses the request.
struct ScopeResolution {
  std::vector<std::string> scopes;
  std::optional<OAuthError> error;
};

// `scope`: the request's scope parameter, as sent.
ScopeResolution ResolveScopes(std::string_view scope, const Application& application);

// True when `scope` is one the consent page cannot take away: a provided scope its policy
// marks required, or a custom scope marked required. openid and offline_access are not.
bool IsRequiredScope(std::string_view scope, const Application& application);

// The scopes joined with single spaces (the access token's and the response's `scope`).
std::string JoinScopes(const std::vector<std::string>& scopes);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_SCOPES_H_
