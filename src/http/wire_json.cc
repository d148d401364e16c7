// SPDX-License-Identifier: Apache-2.0
#include "bulwark/http/wire_json.h"

#include <string>
#include <utility>

#include "json/json_io.h"

namespace bulwark {

int HttpStatusOf(LoginOutcome outcome) {
  switch (outcome) {
    case LoginOutcome::kSuccess:
      return 200;
    case LoginOutcome::kNotRegistered:
      return 202;
    case LoginOutcome::kPasswordChangeRequired:
      return 203;
    case LoginOutcome::kEmailNotVerified:
      return 212;
    case LoginOutcome::kRegistrationNotVerified:
      return 213;
    case LoginOutcome::kPendingLink:
      return 232;
    case LoginOutcome::kUnauthorized:
      return 401;
    case LoginOutcome::kInvalidCredentials:
      return 404;
    case LoginOutcome::kLoginPrevented:
      return 409;
    case LoginOutcome::kExpired:
      return 410;
    case LoginOutcome::kLocked:
      return 423;
  }
  return 500;  // not an outcome the engine produces
}

nlohmann::json ToJson(const LoginResponse& response) {
  nlohmann::json out = nlohmann::json::object();
  if (!response.token.empty()) out["token"] = response.token;
  if (response.token_expiration_instant.has_value()) {
    out["tokenExpirationInstant"] = ToEpochMillis(*response.token_expiration_instant);
  }
  if (!response.refresh_token.empty()) out["refreshToken"] = response.refresh_token;
  if (response.refresh_token_id.has_value()) {
    out["refreshTokenId"] = response.refresh_token_id->ToString();
  }
  if (response.user.has_value()) out["user"] = ToJson(*response.user);
  if (!response.change_password_id.empty()) out["changePasswordId"] = response.change_password_id;
  if (response.change_password_reason.has_value()) {
    out["changePasswordReason"] = std::string(ToString(*response.change_password_reason));
  }
  if (!response.actions.empty()) {
    nlohmann::json actions = nlohmann::json::array();
    for (const UserActionLog& action : response.actions) {
      nlohmann::json a = nlohmann::json::object();
      if (action.user_action_id.has_value()) a["actionId"] = action.user_action_id->ToString();
      if (action.actioner_user_id.has_value()) {
        a["actionerUserId"] = action.actioner_user_id->ToString();
      }
      if (action.expiry.has_value()) a["expiry"] = ToEpochMillis(*action.expiry);
      a["name"] = action.name;
      a["localizedName"] = action.name;
      if (!action.reason.empty()) a["reason"] = action.reason;
      if (!action.reason_code.empty()) a["reasonCode"] = action.reason_code;
      if (!action.option.empty()) a["option"] = action.option;
      actions.push_back(std::move(a));
    }
    out["actions"] = std::move(actions);
  }
  if (!response.pending_idp_link_id.empty()) out["pendingIdPLinkId"] = response.pending_idp_link_id;
  return out;
}

nlohmann::json ToJson(const IdentityProviderLookup& lookup) {
  nlohmann::json body = nlohmann::json::object();
  nlohmann::json ids = nlohmann::json::array();
  for (const ApplicationId& id : lookup.application_ids) ids.push_back(id.ToString());
  body["applicationIds"] = std::move(ids);
  body["id"] = lookup.id.ToString();
  if (!lookup.idp_endpoint.empty()) body["idpEndpoint"] = lookup.idp_endpoint;
  body["name"] = lookup.name;
  if (!lookup.authorization_endpoint.empty() || !lookup.token_endpoint.empty()) {
    nlohmann::json oauth2 = nlohmann::json::object();
    if (!lookup.authorization_endpoint.empty()) {
      oauth2["authorization_endpoint"] = lookup.authorization_endpoint;
    }
    if (!lookup.token_endpoint.empty()) oauth2["token_endpoint"] = lookup.token_endpoint;
    body["oauth2"] = std::move(oauth2);
  }
  if (lookup.tenant_id.has_value()) body["tenantId"] = lookup.tenant_id->ToString();
  body["type"] = std::string(ToString(lookup.type));
  if (lookup.insert_instant.has_value()) {
    body["insertInstant"] = ToEpochMillis(*lookup.insert_instant);
  }
  if (lookup.last_update_instant.has_value()) {
    body["lastUpdateInstant"] = ToEpochMillis(*lookup.last_update_instant);
  }
  nlohmann::json out = nlohmann::json::object();
  out["identityProvider"] = std::move(body);
  return out;
}

Result<IdentityProviderLoginRequest> IdentityProviderLoginRequestFromJson(
    const nlohmann::json& json) {
  return internal::ReadObject<IdentityProviderLoginRequest>(
      json, "", [](internal::ObjectReader& r, IdentityProviderLoginRequest& out) {
        r.Id("applicationId", out.application_id);
        r.Id("identityProviderId", out.identity_provider_id);
        if (const nlohmann::json* data = r.Find("data")) {
          if (!data->is_object()) {
            r.AddError("couldNotConvert", "data");
          } else {
            for (const auto& [key, value] : data->items()) {
              if (value.is_string()) out.data[key] = value.get<std::string>();
            }
          }
        }
        r.String("encodedJWT", out.encoded_jwt);
        r.Bool("noLink", out.no_link);
        r.Bool("noJWT", out.no_jwt);
        r.String("ipAddress", out.ip_address);
        if (const nlohmann::json* meta = r.Find("metaData"); meta != nullptr && meta->is_object()) {
          if (auto device = meta->find("device"); device != meta->end() && device->is_object()) {
            auto text = [&](const char* key, std::string& field) {
              auto it = device->find(key);
              if (it != device->end() && it->is_string()) field = it->get<std::string>();
            };
            text("description", out.device.description);
            text("name", out.device.name);
            text("type", out.device.type);
          }
        }
      });
}

nlohmann::json ToJson(const PendingIdPLinkResponse& response) {
  nlohmann::json out = nlohmann::json::object();
  const IdentityProviderTenantConfiguration& config =
      response.identity_provider_tenant_configuration;
  out["identityProviderTenantConfiguration"] = {
      {"limitUserLinkCount",
       {{"enabled", config.limit_user_link_count_enabled},
        {"maximumLinks", config.limit_user_link_count_maximum_links}}}};
  if (response.link_count.has_value()) out["linkCount"] = *response.link_count;
  out["pendingIdPLink"] = ToJson(response.pending_idp_link);
  return out;
}

}  // namespace bulwark
