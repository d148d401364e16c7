// SPDX-License-Identifier: Apache-2.0
#include "bulwark/model/authentication_type.h"

#include <array>
#include <cstddef>

namespace bulwark {
namespace {

// Indexed by the enum's value; the static_assert below keeps the two in step.
constexpr std::array<std::string_view, 28> kNames = {
    "PASSWORD",
    "APPLICATION_TOKEN",
    "ONE_TIME_PASSWORD",
    "PASSWORDLESS",
    "PING",
    "REFRESH_TOKEN",
    "JWT_SSO",
    "REGISTRATION",
    "USER_CREATE",
    "FEDERATED_JWT",
    "OPENID_CONNECT",
    "SAMLv2",
    "SAMLv2IdpInitiated",
    "GOOGLE",
    "FACEBOOK",
    "APPLE",
    "TWITTER",
    "LINKEDIN",
    "HYPR",
    "GENERIC_CONNECTOR",
    "LDAP_CONNECTOR",
    "EpicGames",
    "Nintendo",
    "SonyPSN",
    "Steam",
    "Twitch",
    "Xbox",
    "WebAuthn",
};
static_assert(static_cast<std::size_t>(AuthenticationType::kWebAuthn) + 1 == kNames.size());

}  // namespace

std::string_view ToString(AuthenticationType type) {
  const auto index = static_cast<std::size_t>(type);
  return index < kNames.size() ? kNames[index] : std::string_view();
}

Result<AuthenticationType> ParseAuthenticationType(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<AuthenticationType>(i);
  }
  return Status::InvalidArgument("unknown AuthenticationType value");
}

}  // namespace bulwark
