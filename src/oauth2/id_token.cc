// SPDX-License-Identifier: Apache-2.0
#include "oauth2/id_token.h"

#include <algorithm>
#include <cstdint>
#include <span>

#include <openssl/evp.h>

#include "crypto/base64.h"
#include "crypto/openssl_util.h"

namespace bulwark::oauth2 {
namespace {

bool Has(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

void SetIfPresent(nlohmann::json& claims, const char* name, const std::string& value) {
  if (!value.empty()) claims[name] = value;
}

}  // namespace

void AddScopeClaims(const User& user, const std::vector<std::string>& scopes,
                    ScopeHandlingPolicy policy, nlohmann::json& claims) {
  const bool all = policy == ScopeHandlingPolicy::kCompatibility;
  if (all || Has(scopes, "profile")) {
    SetIfPresent(claims, "name", user.full_name);
    SetIfPresent(claims, "given_name", user.first_name);
    SetIfPresent(claims, "middle_name", user.middle_name);
    SetIfPresent(claims, "family_name", user.last_name);
    SetIfPresent(claims, "preferred_username", user.username);
    SetIfPresent(claims, "picture", user.image_url);
    SetIfPresent(claims, "birthdate", user.birth_date);
    SetIfPresent(claims, "zoneinfo", user.timezone);
    if (!user.preferred_languages.empty()) claims["locale"] = user.preferred_languages.front();
  }
  if (all || Has(scopes, "email")) {
    if (!user.email.empty()) {
      claims["email"] = user.email;
      claims["email_verified"] = user.verified;
    }
  }
  if (all || Has(scopes, "phone")) {
    const std::string& phone = !user.mobile_phone.empty() ? user.mobile_phone : user.phone_number;
    if (!phone.empty()) {
      claims["phone_number"] = phone;
      claims["phone_number_verified"] = false;
    }
  }
}

std::string TokenHash(std::string_view token, KeyAlgorithm algorithm) {
  const EVP_MD* md = EVP_sha256();
  switch (algorithm) {
    case KeyAlgorithm::kEs384:
    case KeyAlgorithm::kHs384:
    case KeyAlgorithm::kPs384:
    case KeyAlgorithm::kRs384:
      md = EVP_sha384();
      break;
    case KeyAlgorithm::kEs512:
    case KeyAlgorithm::kHs512:
    case KeyAlgorithm::kPs512:
    case KeyAlgorithm::kRs512:
    case KeyAlgorithm::kEd25519:
      md = EVP_sha512();
      break;
    default:
      break;
  }
  const std::vector<std::uint8_t> digest =
      internal::Digest(md, std::span<const std::uint8_t>(
                               reinterpret_cast<const std::uint8_t*>(token.data()), token.size()));
  return internal::Base64UrlEncode(std::span<const std::uint8_t>(digest.data(), digest.size() / 2));
}

}  // namespace bulwark::oauth2
