// SPDX-License-Identifier: Apache-2.0
//
// JwtConfiguration: how access, id and refresh tokens are issued (FusionAuth's
// jwtConfiguration, §3.4 of the API reference). A tenant always has one; an application's is
// used instead of its tenant's only when `enabled` is true.
//
// Thread-compatible value type.
#ifndef BULWARK_MODEL_JWT_CONFIGURATION_H_
#define BULWARK_MODEL_JWT_CONFIGURATION_H_

#include <optional>
#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/result.h"

namespace bulwark {

// RefreshTokenExpirationPolicy: Fixed | SlidingWindow | SlidingWindowWithMaximumLifetime.
enum class RefreshTokenExpirationPolicy {
  kFixed,
  kSlidingWindow,
  kSlidingWindowWithMaximumLifetime
};
BULWARK_EXPORT std::string_view ToString(RefreshTokenExpirationPolicy v);
BULWARK_EXPORT Result<RefreshTokenExpirationPolicy> ParseRefreshTokenExpirationPolicy(
    std::string_view s);

// RefreshTokenUsagePolicy: Reusable | OneTimeUse.
enum class RefreshTokenUsagePolicy { kReusable, kOneTimeUse };
BULWARK_EXPORT std::string_view ToString(RefreshTokenUsagePolicy v);
BULWARK_EXPORT Result<RefreshTokenUsagePolicy> ParseRefreshTokenUsagePolicy(std::string_view s);

struct RefreshTokenRevocationPolicy {
  bool on_login_prevented = true;
  bool on_multi_factor_enable = false;
  bool on_one_time_token_reuse = false;
  bool on_password_changed = true;

  friend bool operator==(const RefreshTokenRevocationPolicy&,
                         const RefreshTokenRevocationPolicy&) = default;
};

struct JwtConfiguration {
  // Applications only: use this configuration instead of the tenant's. Tenants: always true.
  bool enabled = false;
  int time_to_live_in_seconds = 3600;
  int refresh_token_time_to_live_in_minutes = 43200;
  RefreshTokenExpirationPolicy refresh_token_expiration_policy =
      RefreshTokenExpirationPolicy::kFixed;
  struct SlidingWindowConfiguration {
    int maximum_time_to_live_in_minutes = 43200;
    friend bool operator==(const SlidingWindowConfiguration&,
                           const SlidingWindowConfiguration&) = default;
  } refresh_token_sliding_window_configuration{};
  RefreshTokenUsagePolicy refresh_token_usage_policy = RefreshTokenUsagePolicy::kReusable;
  struct OneTimeUseConfiguration {
    int grace_period_in_seconds = 0;  // 0 ≤ value < 86400
    friend bool operator==(const OneTimeUseConfiguration&,
                           const OneTimeUseConfiguration&) = default;
  } refresh_token_one_time_use_configuration{};
  // Tenant level only.
  RefreshTokenRevocationPolicy refresh_token_revocation_policy{};
  std::optional<KeyId> access_token_key_id = std::nullopt;
  std::optional<KeyId> id_token_key_id = std::nullopt;
  std::vector<KeyId> access_token_verification_key_ids = {};
  std::vector<KeyId> id_token_verification_key_ids = {};

  friend bool operator==(const JwtConfiguration&, const JwtConfiguration&) = default;
};

}  // namespace bulwark

#endif  // BULWARK_MODEL_JWT_CONFIGURATION_H_
