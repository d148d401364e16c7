// SPDX-License-Identifier: Apache-2.0
// Private (for now): an OAuth error as FusionAuth answers it, in a JSON body or in the
// parameters of a redirect: `error` (RFC 6749 §4.1.2.1 and §5.2, OpenID Connect's, and
// FusionAuth's own), `error_reason` (FusionAuth's OAuthErrorReason, snake_case), and a
// human-readable `error_description`.
#ifndef BULWARK_OAUTH2_OAUTH_ERROR_H_
#define BULWARK_OAUTH2_OAUTH_ERROR_H_

#include <string>

namespace bulwark::oauth2 {

struct OAuthError {
  std::string error;
  std::string error_reason;
  std::string error_description;
  friend bool operator==(const OAuthError&, const OAuthError&) = default;
};

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_OAUTH_ERROR_H_
