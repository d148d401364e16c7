// SPDX-License-Identifier: Apache-2.0
#include "model/jwt_configuration_json.h"

#include <string>

#include "model/enum_traits.h"

namespace bulwark {
namespace internal {

void ReadJwtConfiguration(ObjectReader& r, JwtConfiguration& v) {
  r.Bool("enabled", v.enabled);
  r.Int("timeToLiveInSeconds", v.time_to_live_in_seconds);
  r.Int("refreshTokenTimeToLiveInMinutes", v.refresh_token_time_to_live_in_minutes);
  r.Enum("refreshTokenExpirationPolicy", v.refresh_token_expiration_policy,
         &ParseRefreshTokenExpirationPolicy);
  r.Nested("refreshTokenSlidingWindowConfiguration", v.refresh_token_sliding_window_configuration,
           [](ObjectReader& c, JwtConfiguration::SlidingWindowConfiguration& s) {
             c.Int("maximumTimeToLiveInMinutes", s.maximum_time_to_live_in_minutes);
           });
  r.Enum("refreshTokenUsagePolicy", v.refresh_token_usage_policy, &ParseRefreshTokenUsagePolicy);
  r.Nested("refreshTokenOneTimeUseConfiguration", v.refresh_token_one_time_use_configuration,
           [](ObjectReader& c, JwtConfiguration::OneTimeUseConfiguration& o) {
             c.Int("gracePeriodInSeconds", o.grace_period_in_seconds);
           });
  r.Nested("refreshTokenRevocationPolicy", v.refresh_token_revocation_policy,
           [](ObjectReader& c, RefreshTokenRevocationPolicy& p) {
             c.Bool("onLoginPrevented", p.on_login_prevented);
             c.Bool("onMultiFactorEnable", p.on_multi_factor_enable);
             c.Bool("onOneTimeTokenReuse", p.on_one_time_token_reuse);
             c.Bool("onPasswordChanged", p.on_password_changed);
           });
  r.OptionalId("accessTokenKeyId", v.access_token_key_id);
  r.OptionalId("idTokenKeyId", v.id_token_key_id);
  r.Ids("accessTokenVerificationKeyIds", v.access_token_verification_key_ids);
  r.Ids("idTokenVerificationKeyIds", v.id_token_verification_key_ids);
}

void WriteJwtConfiguration(ObjectWriter& w, const JwtConfiguration& v) {
  w.Bool("enabled", v.enabled);
  w.Int("timeToLiveInSeconds", v.time_to_live_in_seconds);
  w.Int("refreshTokenTimeToLiveInMinutes", v.refresh_token_time_to_live_in_minutes);
  w.Enum("refreshTokenExpirationPolicy", v.refresh_token_expiration_policy);
  w.Nested("refreshTokenSlidingWindowConfiguration", v.refresh_token_sliding_window_configuration,
           [](ObjectWriter& c, const JwtConfiguration::SlidingWindowConfiguration& s) {
             c.Int("maximumTimeToLiveInMinutes", s.maximum_time_to_live_in_minutes);
           });
  w.Enum("refreshTokenUsagePolicy", v.refresh_token_usage_policy);
  w.Nested("refreshTokenOneTimeUseConfiguration", v.refresh_token_one_time_use_configuration,
           [](ObjectWriter& c, const JwtConfiguration::OneTimeUseConfiguration& o) {
             c.Int("gracePeriodInSeconds", o.grace_period_in_seconds);
           });
  w.Nested("refreshTokenRevocationPolicy", v.refresh_token_revocation_policy,
           [](ObjectWriter& c, const RefreshTokenRevocationPolicy& p) {
             c.Bool("onLoginPrevented", p.on_login_prevented);
             c.Bool("onMultiFactorEnable", p.on_multi_factor_enable);
             c.Bool("onOneTimeTokenReuse", p.on_one_time_token_reuse);
             c.Bool("onPasswordChanged", p.on_password_changed);
           });
  w.OptionalId("accessTokenKeyId", v.access_token_key_id);
  w.OptionalId("idTokenKeyId", v.id_token_key_id);
  w.Ids("accessTokenVerificationKeyIds", v.access_token_verification_key_ids);
  w.Ids("idTokenVerificationKeyIds", v.id_token_verification_key_ids);
}

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

}  // namespace internal
}  // namespace bulwark
