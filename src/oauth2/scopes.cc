// SPDX-License-Identifier: Apache-2.0
#include "oauth2/scopes.h"

#include <algorithm>

namespace bulwark::oauth2 {
namespace {

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
bool IsScopeToken(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x21 && u <= 0x7E && c != '"' && c != '\\';
  });
}

// The policy of a provided scope that has one (profile, email, address, phone).
const ProvidedScope* ProvidedPolicy(std::string_view scope, const Application& application) {
  const auto& policy = application.oauth_configuration.provided_scope_policy;
  if (scope == "profile") return &policy.profile;
  if (scope == "email") return &policy.email;
  if (scope == "address") return &policy.address;
  if (scope == "phone") return &policy.phone;
  return nullptr;
}

bool IsKnown(std::string_view scope, const Application& application,
             const std::vector<CustomScope>& custom) {
  if (scope == "openid" || scope == "offline_access") return true;
  if (const ProvidedScope* provided = ProvidedPolicy(scope, application)) {
    return provided->enabled;
  }
  return std::any_of(custom.begin(), custom.end(),
                     [&](const CustomScope& c) { return c.name == scope; });
}

}  // namespace

std::vector<CustomScope> CustomScopesOf(const Application& application) {
  std::vector<CustomScope> out;
  if (!application.scopes.is_array()) return out;
  for (const nlohmann::json& entry : application.scopes) {
    if (!entry.is_object()) continue;
    const auto name = entry.find("name");
    if (name == entry.end() || !name->is_string()) continue;
    CustomScope scope{.name = name->get<std::string>()};
    const auto required = entry.find("required");
    scope.required = required != entry.end() && required->is_boolean() && required->get<bool>();
    const auto text = [&](const char* member) {
      const auto found = entry.find(member);
      return found != entry.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    scope.consent_message = text("defaultConsentMessage");
    if (scope.consent_message.empty()) scope.consent_message = text("description");
    scope.consent_detail = text("defaultConsentDetail");
    out.push_back(std::move(scope));
  }
  return out;
}

ScopeResolution ResolveScopes(std::string_view scope, const Application& application) {
  ScopeResolution out;
  const std::vector<CustomScope> custom = CustomScopesOf(application);
  const UnknownScopePolicy policy = application.oauth_configuration.unknown_scope_policy;
  while (!scope.empty()) {
    const std::size_t space = scope.find(' ');
    const std::string_view token = scope.substr(0, space);
    scope = space == std::string_view::npos ? std::string_view() : scope.substr(space + 1);
    if (token.empty()) continue;  // repeated spaces
    if (!IsScopeToken(token)) {
      out.scopes.clear();
      out.error = OAuthError{.error = "invalid_scope",
                             .error_reason = "unknown_scope",
                             .error_description = "The scope parameter is malformed."};
      return out;
    }
    if (std::find(out.scopes.begin(), out.scopes.end(), token) != out.scopes.end()) continue;
    if (!IsKnown(token, application, custom)) {
      if (policy == UnknownScopePolicy::kRemove) continue;
      if (policy == UnknownScopePolicy::kReject) {
        out.scopes.clear();
        // The scope named, up to a length that keeps a hostile request's echo short.
        constexpr std::size_t kShown = 64;
        const std::string shown = token.size() <= kShown
                                      ? std::string(token)
                                      : std::string(token.substr(0, kShown)) + "...";
        out.error = OAuthError{
            .error = "invalid_scope",
            .error_reason = "unknown_scope",
            .error_description = "The scope [" + shown + "] is not a scope of the application."};
        return out;
      }
    }
    out.scopes.emplace_back(token);
  }
  return out;
}

bool IsRequiredScope(std::string_view scope, const Application& application) {
  if (const ProvidedScope* provided = ProvidedPolicy(scope, application)) {
    return provided->enabled && provided->required;
  }
  const std::vector<CustomScope> custom = CustomScopesOf(application);
  return std::any_of(custom.begin(), custom.end(),
                     [&](const CustomScope& c) { return c.name == scope && c.required; });
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) {
    if (!out.empty()) out.push_back(' ');
    out += scope;
  }
  return out;
}

}  // namespace bulwark::oauth2
