// SPDX-License-Identifier: Apache-2.0
// Private: what OpenID Connect releases about a user: the claims of an id token and of the
// userinfo response (OpenID Connect Core §2, §5.1, §5.4), with FusionAuth's choices.
//
// Scope claims, from the User:
//   profile  name (fullName), given_name, middle_name, family_name, preferred_username
//            (username), picture (imageUrl), birthdate (YYYY-MM-DD), zoneinfo (timezone),
//            locale (the first preferred language)
//   email    email, email_verified
//   phone    phone_number (mobilePhone, else phoneNumber), phone_number_verified (false:
//            bulwark does not verify phone numbers yet)
//   address  nothing: FusionAuth's User has no address
// Absent values are left out. Under scopeHandlingPolicy Compatibility every one of them is
// released whatever the scopes (FusionAuth's behaviour before Strict); under Strict only those
// the granted scopes name.
//
// at_hash and c_hash (§3.1.3.6, §3.3.2.11): base64url of the left half of the hash of the
// token's ASCII text, with the hash of the signature's algorithm (SHA-256 for *256, SHA-384
// for *384, SHA-512 for *512 and for Ed25519).
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_ID_TOKEN_H_
#define BULWARK_OAUTH2_ID_TOKEN_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/model/application.h"
#include "bulwark/model/key.h"
#include "bulwark/model/user.h"

namespace bulwark::oauth2 {

// Adds the claims `scopes` release under `policy` to `claims`.
void AddScopeClaims(const User& user, const std::vector<std::string>& scopes,
                    ScopeHandlingPolicy policy, nlohmann::json& claims);

// at_hash / c_hash of `token` for a signature made with `algorithm`.
std::string TokenHash(std::string_view token, KeyAlgorithm algorithm);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_ID_TOKEN_H_
