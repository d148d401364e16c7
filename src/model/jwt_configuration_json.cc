// SPDX-License-Identifier: Apache-2.0
#include "model/jwt_configuration_json.h"

#include <string>

#include "model/enum_traits.h"

namespace bulwark::internal {

template <class IO>
void Map(IO& io, Mapped<IO, JwtConfiguration>& v) {
  io("enabled", v.enabled);
  io("timeToLiveInSeconds", v.time_to_live_in_seconds);
  io("refreshTokenTimeToLiveInMinutes", v.refresh_token_time_to_live_in_minutes);
  io("refreshTokenExpirationPolicy", v.refresh_token_expiration_policy);
  io.Nested(
      "refreshTokenSlidingWindowConfiguration", v.refresh_token_sliding_window_configuration,
      [](IO& c, auto& s) { c("maximumTimeToLiveInMinutes", s.maximum_time_to_live_in_minutes); });
  io("refreshTokenUsagePolicy", v.refresh_token_usage_policy);
  io.Nested("refreshTokenOneTimeUseConfiguration", v.refresh_token_one_time_use_configuration,
            [](IO& c, auto& o) { c("gracePeriodInSeconds", o.grace_period_in_seconds); });
  io.Nested("refreshTokenRevocationPolicy", v.refresh_token_revocation_policy, [](IO& c, auto& p) {
    c("onLoginPrevented", p.on_login_prevented);
    c("onMultiFactorEnable", p.on_multi_factor_enable);
    c("onOneTimeTokenReuse", p.on_one_time_token_reuse);
    c("onPasswordChanged", p.on_password_changed);
  });
  io("accessTokenKeyId", v.access_token_key_id);
  io("idTokenKeyId", v.id_token_key_id);
  io("accessTokenVerificationKeyIds", v.access_token_verification_key_ids);
  io("idTokenVerificationKeyIds", v.id_token_verification_key_ids);
}

template void Map<ReadArchive>(ReadArchive& io, JwtConfiguration& v);
template void Map<WriteArchive>(WriteArchive& io, const JwtConfiguration& v);

void ValidateJwtConfiguration(const JwtConfiguration& v, std::string_view path, Errors& errors) {
  const std::string p(path);
  if (v.time_to_live_in_seconds <= 0) {
    errors.AddField("invalid", p + ".timeToLiveInSeconds",
                    "The access token lifetime must be positive.");
  }
  if (v.refresh_token_time_to_live_in_minutes <= 0) {
    errors.AddField("invalid", p + ".refreshTokenTimeToLiveInMinutes",
                    "The refresh token lifetime must be positive.");
  }
  const int grace = v.refresh_token_one_time_use_configuration.grace_period_in_seconds;
  if (grace < 0 || grace >= 86400) {
    errors.AddField("invalid", p + ".refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds",
                    "The grace period must be at least 0 and less than 86400 seconds.");
  }
  if (v.refresh_token_expiration_policy ==
          RefreshTokenExpirationPolicy::kSlidingWindowWithMaximumLifetime &&
      v.refresh_token_sliding_window_configuration.maximum_time_to_live_in_minutes <
          v.refresh_token_time_to_live_in_minutes) {
    errors.AddField("invalid",
                    p + ".refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes",
                    "The maximum lifetime must be at least the refresh token lifetime.");
  }
}

}  // namespace bulwark::internal
