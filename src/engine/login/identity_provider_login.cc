// SPDX-License-Identifier: Apache-2.0
// IdentityProviderService::Login: the reconcile of a verified external identity with a user,
// by link or by the provider's linking strategy, and the login that follows.
#include <chrono>
#include <utility>

#include "bulwark/identity_provider_service.h"
#include "core/instant_math.h"
#include "engine/context.h"
#include "engine/external_identity.h"
#include "engine/login/pipeline.h"
#include "engine/token_issuer.h"

namespace bulwark {
namespace {

using internal::EngineContext;
using internal::ExternalIdentity;

Status Refused(std::string_view code, std::string_view message) {
  Errors errors;
  errors.AddGeneral(code, message);
  return Status::Validation(std::move(errors));
}

// A claim's value as text for a user field: strings as they are, numbers and booleans as
// JSON writes them; nullopt for anything else.
std::optional<std::string> ClaimAsText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return std::nullopt;
}

// ExternalJWT claimMap: incoming claim -> user field, UserData or RegistrationData.
void ApplyClaimMap(const std::map<std::string, std::string>& claim_map,
                   const nlohmann::json& claims, User& user, Registration* registration) {
  for (const auto& [claim, target] : claim_map) {
    auto it = claims.find(claim);
    if (it == claims.end() || it->is_null()) continue;
    if (target == "UserData") {
      if (!user.data.is_object()) user.data = nlohmann::json::object();
      user.data[claim] = *it;
      continue;
    }
    if (target == "RegistrationData") {
      if (registration == nullptr) continue;
      if (!registration->data.is_object()) registration->data = nlohmann::json::object();
      registration->data[claim] = *it;
      continue;
    }
    std::optional<std::string> text = ClaimAsText(*it);
    if (!text.has_value()) continue;
    if (target == "firstName") {
      user.first_name = *text;
    } else if (target == "lastName") {
      user.last_name = *text;
    } else if (target == "fullName") {
      user.full_name = *text;
    } else if (target == "middleName") {
      user.middle_name = *text;
    } else if (target == "birthDate") {
      user.birth_date = *text;
    } else if (target == "mobilePhone") {
      user.mobile_phone = *text;
    } else if (target == "imageUrl") {
      user.image_url = *text;
    } else if (target == "timezone") {
      user.timezone = *text;
    }
  }
}

// Runs the provider's reconcile callback; what it may not change is put back.
Status RunReconcile(EngineContext& ctx, const ReconcileFn& fn, User& user,
                    std::optional<Registration>& registration, const nlohmann::json& claims) {
  const User before = user;
  const std::optional<Registration> registration_before = registration;
  Status status;
  try {
    status = fn(user, registration ? &*registration : nullptr, claims);
  } catch (...) {
    status = Status::Internal("the reconcile callback threw");
  }
  if (!status.ok()) {
    ctx.Log(LogLevel::kError, "the reconcile callback failed: " + status.ToString());
    return Status::Internal("the reconcile callback failed");
  }
  user.id = before.id;
  user.tenant_id = before.tenant_id;
  user.password.clear();
  user.password_hash = before.password_hash;
  user.password_change_required = before.password_change_required;
  user.password_change_reason = before.password_change_reason;
  user.password_last_update_instant = before.password_last_update_instant;
  user.two_factor = before.two_factor;
  user.registrations = before.registrations;
  user.insert_instant = before.insert_instant;
  if (registration.has_value() && registration_before.has_value()) {
    registration->id = registration_before->id;
    registration->application_id = registration_before->application_id;
    registration->insert_instant = registration_before->insert_instant;
    registration->authentication_token = registration_before->authentication_token;
  }
  return Status::Ok();
}

struct Request {
  const IdentityProviderLoginRequest* request = nullptr;
  const IdentityProvider* provider = nullptr;
  const IdentityProviderApplicationConfiguration* app_config = nullptr;
  const Tenant* tenant = nullptr;
  const Application* application = nullptr;
  const ExternalIdentity* identity = nullptr;
};

std::string DisplayName(const ExternalIdentity& identity) {
  if (!identity.email.empty()) return identity.email;
  if (!identity.username.empty()) return identity.username;
  return identity.unique_id;
}

// The top-level members of `after` that differ from `before` (null for a removed one): what
// a patch must set so that the stored object gets this login's changes and keeps everyone
// else's.
nlohmann::json ChangedMembers(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json members = nlohmann::json::object();
  for (const auto& [key, value] : after.items()) {
    auto it = before.find(key);
    if (it == before.end() || *it != value) members[key] = value;
  }
  for (const auto& [key, value] : before.items()) {
    if (!after.contains(key)) members[key] = nullptr;
  }
  return members;
}

// A user's own rules (Validate), except that a user may have neither email nor username
// (LinkAnonymously): [notEmail]user.email or [invalid]user.birthDate from a claim fail the
// login, [blank] ones do not.
Status ValidateReconciledUser(const User& user) {
  Errors errors = Validate(user);
  for (auto it = errors.field_errors.begin(); it != errors.field_errors.end();) {
    std::erase_if(it->second,
                  [](const ErrorEntry& entry) { return entry.code.rfind("[blank]", 0) == 0; });
    it = it->second.empty() ? errors.field_errors.erase(it) : std::next(it);
  }
  if (errors.empty()) return Status::Ok();
  return Status::Validation(std::move(errors));
}

// The identity provider's authenticator: the provider vouched for an external identity
// (verified by the caller), and the reconcile finds or creates the user it stands for, by
// link or by the provider's linking strategy; the login pipeline does the rest.
class Reconciler {
 public:
  Reconciler(EngineContext& ctx, const Request& in) : ctx_(ctx), in_(in) {}

  // One attempt. kAlreadyExists when a concurrent login created the same user or link
  // first: the caller tries once more (see LostRace).
  Result<LoginResponse> Run();
  // Whether `status`, from Run, is a concurrent login of the same identity having won: its
  // link, or the user this attempt was creating (same email or username), came first.
  bool LostRace(const Status& status) const {
    if (status.code() != StatusCode::kAlreadyExists) return false;
    const Errors& errors = status.errors();
    return errors.HasField("duplicate", "identityProviderLink") ||
           errors.HasField("duplicate", "registration") ||
           (created_user_ && (errors.HasField("duplicate", "user.email") ||
                              errors.HasField("duplicate", "user.username")));
  }

 private:
  struct Resolution {
    std::optional<LoginResponse> answer;  // set: the login ends with it
    User user;
    bool user_is_new = false;
  };
  Result<Resolution> ResolveUnlinked(internal::LoginPipeline& pipeline);
  Result<LoginResponse> CreatePendingLink();
  Result<User> NewUser(bool with_email, bool with_username);

  EngineContext& ctx_;
  const Request& in_;
  bool created_user_ = false;
};

Result<User> Reconciler::NewUser(bool with_email, bool with_username) {
  const ExternalIdentity& identity = *in_.identity;
  User user;
  BULWARK_ASSIGN_OR_RETURN(user.id, ctx_.NewId<UserId>());
  user.tenant_id = in_.tenant->id;
  if (with_email && !identity.email.empty()) {
    user.email = identity.email;
    // The provider vouches for the address unless it says otherwise.
    user.verified = identity.email_verified.value_or(true);
    if (user.verified) user.verified_instant = ctx_.Now();
  }
  if (with_username) user.username = identity.username;
  user.active = true;
  user.insert_instant = ctx_.Now();
  user.last_update_instant = user.insert_instant;
  return user;
}

Result<LoginResponse> Reconciler::CreatePendingLink() {
  const ExternalIdentity& identity = *in_.identity;
  BULWARK_ASSIGN_OR_RETURN(std::string id, internal::NewSecretValue(ctx_));
  const Instant now = ctx_.Now();
  StoredPendingIdPLink pending;
  pending.id_digest = internal::Sha256Base64Url(id);
  pending.tenant_id = in_.tenant->id;
  pending.application_id = in_.application->id;
  pending.insert_instant = now;
  pending.expiry = internal::AddSaturating(
      now, std::chrono::seconds(in_.tenant->external_identifier_configuration
                                    .pending_account_link_time_to_live_in_seconds));
  pending.link.display_name = DisplayName(identity);
  pending.link.email = identity.email;
  pending.link.identity_provider_id = in_.provider->id;
  pending.link.identity_provider_name = in_.provider->name;
  pending.link.identity_provider_type = in_.provider->type;
  pending.link.identity_provider_user_id = identity.unique_id;
  pending.link.username = identity.username;
  WriteBatch batch;
  batch.Insert(std::move(pending));
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  LoginResponse response;
  response.outcome = LoginOutcome::kPendingLink;
  response.pending_idp_link_id = std::move(id);
  return response;
}

// An identity without a link yet, under the provider's linking strategy: the user it
// links to, found or new; or the answer that ends the login here (a refusal, a pending
// link).
Result<Reconciler::Resolution> Reconciler::ResolveUnlinked(internal::LoginPipeline& pipeline) {
  const ExternalIdentity& identity = *in_.identity;
  const IdentityProvider& provider = *in_.provider;
  const Tenant& tenant = *in_.tenant;
  auto ends_with = [](LoginResponse response) {
    Resolution out;
    out.answer = std::move(response);
    return out;
  };
  if (in_.request->no_link) return ends_with(pipeline.Refuse(LoginOutcome::kInvalidCredentials));
  std::optional<User> found;
  bool create_with_email = false;
  bool create_with_username = false;
  switch (provider.linking_strategy) {
    case LinkingStrategy::kDisabled:
    case LinkingStrategy::kUnsupported:
      return ends_with(pipeline.Refuse(LoginOutcome::kInvalidCredentials));
    case LinkingStrategy::kCreatePendingLink: {
      BULWARK_ASSIGN_OR_RETURN(LoginResponse pending, CreatePendingLink());
      return ends_with(std::move(pending));
    }
    case LinkingStrategy::kLinkAnonymously:
      break;
    case LinkingStrategy::kLinkByEmail:
    case LinkingStrategy::kLinkByEmailForExistingUser: {
      if (identity.email.empty()) {
        return Refused("[IdentityProviderEmailMissing]",
                       "The identity provider did not return an email address to link by.");
      }
      if (identity.email_verified == false) {
        return Refused("[IdentityProviderEmailNotVerified]",
                       "The identity provider has not verified the email address, so it "
                       "cannot be linked by email.");
      }
      BULWARK_ASSIGN_OR_RETURN(
          found, internal::IfFound(ctx_.store->users().FindByEmail(tenant.id, identity.email)));
      // The strategy's key only: a username could belong to someone else.
      create_with_email = true;
      break;
    }
    case LinkingStrategy::kLinkByUsername:
    case LinkingStrategy::kLinkByUsernameForExistingUser: {
      if (identity.username.empty()) {
        return Refused("[IdentityProviderUsernameMissing]",
                       "The identity provider did not return a username to link by.");
      }
      BULWARK_ASSIGN_OR_RETURN(found, internal::IfFound(ctx_.store->users().FindByUsername(
                                          tenant.id, identity.username)));
      create_with_username = true;
      // The email comes along when the provider does not call it unverified and nobody
      // in the tenant has it (it would be someone else's).
      if (!found.has_value() && !identity.email.empty() && identity.email_verified != false) {
        BULWARK_ASSIGN_OR_RETURN(
            std::optional<User> owner,
            internal::IfFound(ctx_.store->users().FindByEmail(tenant.id, identity.email)));
        create_with_email = !owner.has_value();
      }
      break;
    }
  }
  Resolution out;
  if (found.has_value()) {
    out.user = *std::move(found);
  } else if (provider.linking_strategy == LinkingStrategy::kLinkByEmailForExistingUser ||
             provider.linking_strategy == LinkingStrategy::kLinkByUsernameForExistingUser) {
    return ends_with(pipeline.Refuse(LoginOutcome::kInvalidCredentials));
  } else {
    BULWARK_ASSIGN_OR_RETURN(out.user, NewUser(create_with_email, create_with_username));
    out.user_is_new = true;
    created_user_ = true;
  }
  return out;
}

Result<LoginResponse> Reconciler::Run() {
  const ExternalIdentity& identity = *in_.identity;
  const IdentityProvider& provider = *in_.provider;
  const Tenant& tenant = *in_.tenant;
  const Application& app = *in_.application;
  const IdentityProviderLoginRequest& request = *in_.request;
  internal::LoginPipeline pipeline(ctx_, {.tenant = &tenant,
                                          .application = &app,
                                          .type = identity.authentication_type,
                                          .ip_address = request.ip_address,
                                          .device = &request.device,
                                          .no_jwt = request.no_jwt});
  const Instant now = pipeline.now();

  BULWARK_ASSIGN_OR_RETURN(std::optional<IdentityProviderLink> link,
                           internal::IfFound(ctx_.store->identity_provider_links().Find(
                               provider.id, tenant.id, identity.unique_id)));
  User user;
  bool user_is_new = false;
  const bool link_is_new = !link.has_value();
  if (link.has_value()) {
    Result<User> linked = ctx_.store->users().Get(link->user_id);
    if (!linked.ok()) {
      // The link's user went away between the two reads (its links go with it).
      if (linked.status().code() == StatusCode::kNotFound) {
        return pipeline.Refuse(LoginOutcome::kInvalidCredentials);
      }
      return linked.status();
    }
    user = *std::move(linked);
  } else {
    BULWARK_ASSIGN_OR_RETURN(Resolution resolved, ResolveUnlinked(pipeline));
    if (resolved.answer.has_value()) return *std::move(resolved.answer);
    user = std::move(resolved.user);
    user_is_new = resolved.user_is_new;
    link = IdentityProviderLink{};
    link->identity_provider_id = provider.id;
    link->identity_provider_user_id = identity.unique_id;
    link->user_id = user.id;
    link->display_name = DisplayName(identity);
    link->tenant_id = tenant.id;
    link->token = identity.token;
    link->insert_instant = now;
    link->last_login_instant = now;
  }

  // The rules of a login hold for an existing user: expired, deactivated, prevented.
  std::optional<Registration> registration;
  if (!user_is_new) {
    BULWARK_ASSIGN_OR_RETURN(std::optional<LoginResponse> refused, pipeline.Gate(user));
    if (refused.has_value()) return *std::move(refused);
    BULWARK_ASSIGN_OR_RETURN(registration, pipeline.LoadRegistration(user.id));
  }
  const std::optional<Registration> registration_before = registration;
  bool registration_is_new = false;
  if (!registration.has_value() && in_.app_config->create_registration) {
    Registration created;
    BULWARK_ASSIGN_OR_RETURN(created.id, ctx_.NewId<RegistrationId>());
    created.application_id = app.id;
    for (const ApplicationRole& role : app.roles) {
      if (role.is_default) created.roles.push_back(role.name);
    }
    // The provider authenticated the person; there is nothing left to verify.
    created.verified = true;
    created.verified_instant = now;
    created.insert_instant = now;
    created.last_update_instant = now;
    registration = std::move(created);
    registration_is_new = true;
  }

  const User user_before = user;
  if (provider.linking_strategy != LinkingStrategy::kLinkAnonymously) {
    if (const auto* jwt = std::get_if<ExternalJwtConfiguration>(&provider.config)) {
      ApplyClaimMap(jwt->claim_map, identity.claims, user, registration ? &*registration : nullptr);
    }
    if (provider.reconcile_lambda_id.has_value()) {
      auto fn = ctx_.reconcile_lambdas.find(*provider.reconcile_lambda_id);
      if (fn == ctx_.reconcile_lambdas.end()) {
        ctx_.Log(LogLevel::kError,
                 "the identity provider names a reconcile callback that is "
                 "not registered");
        return Status::Internal("the reconcile callback is not registered");
      }
      BULWARK_RETURN_IF_ERROR(RunReconcile(ctx_, fn->second, user, registration, identity.claims));
    }
  }

  WriteBatch batch;
  bool user_updated = false;
  bool registration_updated = false;
  if (user_is_new || user != user_before) {
    BULWARK_RETURN_IF_ERROR(ValidateReconciledUser(user));
  }
  if (user_is_new) {
    batch.Insert(user);
  } else if (user != user_before) {
    // Only what this login changed: a concurrent update of anything else (a password, a
    // deactivation) is not undone.
    user.last_update_instant = now;
    batch.Add(WriteBatch::PatchUser{.user_id = user.id,
                                    .members = ChangedMembers(ToJson(user_before), ToJson(user))});
    user_updated = true;
  }
  if (registration_is_new) {
    batch.Insert(user.id, *registration);
  } else if (registration.has_value() && registration != registration_before) {
    registration->last_update_instant = now;
    batch.Add(WriteBatch::PatchRegistration{
        .user_id = user.id,
        .application_id = app.id,
        .members = ChangedMembers(ToJson(*registration_before), ToJson(*registration))});
    registration_updated = true;
  }
  if (link_is_new) {
    batch.Insert(*link, internal::LinkLimit(provider, tenant.id));
  } else {
    batch.Add(
        WriteBatch::RecordIdentityProviderLogin{.provider_id = provider.id,
                                                .tenant_id = tenant.id,
                                                .identity_provider_user_id = identity.unique_id,
                                                .instant = now,
                                                .token = identity.token,
                                                .display_name = std::nullopt});
  }
  // The reconcile's own events follow the commit, before user.login.success.
  auto committed = [&] {
    const EngineContext::EventIds ids = pipeline.Ids(user.id);
    if (user_is_new) {
      ctx_.Emit(EventType::kUserCreate, ids);
      ctx_.Emit(EventType::kUserCreateComplete, ids);
    } else if (user_updated) {
      ctx_.Emit(EventType::kUserUpdate, ids);
      ctx_.Emit(EventType::kUserUpdateComplete, ids);
    }
    if (registration_is_new || registration_updated) {
      EngineContext::EventIds with_registration = ids;
      with_registration.registration_id = registration->id;
      ctx_.Emit(registration_is_new ? EventType::kUserRegistrationCreate
                                    : EventType::kUserRegistrationUpdate,
                with_registration);
      ctx_.Emit(registration_is_new ? EventType::kUserRegistrationCreateComplete
                                    : EventType::kUserRegistrationUpdateComplete,
                with_registration);
    }
    if (link_is_new) ctx_.Emit(EventType::kUserIdentityProviderLink, ids);
  };
  Result<LoginResponse> response = pipeline.Finish(user, registration, batch, committed);
  if (!response.ok() && response.status().code() == StatusCode::kFailedPrecondition &&
      response.status().errors().HasGeneral("[LinkCountExceeded]")) {
    return Status::Validation(response.status().errors());
  }
  return response;
}

}  // namespace

Result<LoginResponse> IdentityProviderService::Login(const IdentityProviderLoginRequest& request) {
  Errors errors;
  if (request.application_id.IsNil()) {
    errors.AddField("blank", "applicationId", "You must specify the [applicationId] property.");
  }
  if (request.identity_provider_id.IsNil()) {
    errors.AddField("blank", "identityProviderId",
                    "You must specify the [identityProviderId] property.");
  }
  if (!errors.empty()) return Status::Validation(std::move(errors));
  Result<IdentityProvider> provider = ctx_.LoadIdentityProvider(request.identity_provider_id);
  if (!provider.ok()) {
    if (provider.status().code() != StatusCode::kNotFound) return provider.status();
    return Status::FieldError("invalid", "identityProviderId",
                              "The identity provider does not exist.");
  }
  BULWARK_ASSIGN_OR_RETURN(
      internal::TenantAndApplication loaded,
      internal::LoadTenantAndApplication(ctx_, request.tenant_id, request.application_id));
  auto app_config = provider->application_configuration.find(request.application_id);
  if (!provider->enabled || app_config == provider->application_configuration.end() ||
      !app_config->second.enabled ||
      (provider->tenant_id.has_value() && *provider->tenant_id != loaded.tenant->id)) {
    return Status::FieldError("invalid", "identityProviderId",
                              "The identity provider is not enabled for the application.");
  }

  Result<ExternalIdentity> identity = Status::Internal("unreachable");
  if (const auto* jwt = std::get_if<ExternalJwtConfiguration>(&provider->config)) {
    auto token = request.data.find("token");
    const std::string& encoded =
        token != request.data.end() && !token->second.empty() ? token->second : request.encoded_jwt;
    if (encoded.empty()) {
      return Status::FieldError("blank", "data.token",
                                "You must specify the [data.token] property.");
    }
    identity = internal::VerifyExternalJwt(ctx_, *jwt, encoded);
  } else if (const auto* oidc = std::get_if<OpenIdConnectConfiguration>(&provider->config)) {
    auto code = request.data.find("code");
    if (code == request.data.end() || code->second.empty()) {
      return Status::FieldError("blank", "data.code", "You must specify the [data.code] property.");
    }
    auto redirect = request.data.find("redirect_uri");
    identity = internal::VerifyOpenIdConnect(
        ctx_, *provider, *oidc, request.application_id, code->second,
        redirect == request.data.end() ? std::string_view() : std::string_view(redirect->second));
  } else {
    return Status::FieldError("invalid", "identityProviderId",
                              "Logins through " + std::string(ToString(provider->type)) +
                                  " providers are not performed by this call.");
  }
  // A token or code that does not verify is the authenticator refusing: 401.
  auto unauthorized = [&](std::string_view why) {
    ctx_.Log(LogLevel::kInfo, "an identity-provider login was refused: " + std::string(why));
    internal::LoginPipeline pipeline(ctx_, {.tenant = loaded.tenant.get(),
                                            .application = loaded.application.get(),
                                            .type = internal::AuthenticationTypeOf(provider->type),
                                            .ip_address = request.ip_address});
    return pipeline.Refuse(LoginOutcome::kUnauthorized);
  };
  if (!identity.ok()) {
    if (identity.status().code() != StatusCode::kUnauthenticated) return identity.status();
    return unauthorized(identity.status().message());
  }
  if (!internal::EmailInDomains(*provider, identity->email)) {
    return unauthorized("the email is outside the provider's domains");
  }

  const Request in{.request = &request,
                   .provider = &*provider,
                   .app_config = &app_config->second,
                   .tenant = loaded.tenant.get(),
                   .application = loaded.application.get(),
                   .identity = &*identity};
  Reconciler reconciler(ctx_, in);
  Result<LoginResponse> response = reconciler.Run();
  if (!response.ok() && reconciler.LostRace(response.status())) {
    // A concurrent login of the same identity created the user or the link first: this time
    // the link is there.
    response = reconciler.Run();
  }
  return response;
}

}  // namespace bulwark
