// SPDX-License-Identifier: Apache-2.0
#include "bulwark/registration_service.h"

#include <algorithm>
#include <utility>

#include "engine/context.h"
#include "engine/preparation.h"

namespace bulwark {
namespace internal {
namespace {

Result<Application> LoadRegistrationApplication(EngineContext& ctx, TenantId user_tenant,
                                                ApplicationId id) {
  if (id.IsNil()) {
    return Status::FieldError("blank", "registration.applicationId",
                              "You must specify the [registration.applicationId] property.");
  }
  Result<Application> app = ctx.LoadApplication(id);
  if (!app.ok() && app.status().code() != StatusCode::kNotFound) return app.status();
  if (!app.ok() || app->tenant_id != user_tenant) {
    return Status::FieldError("invalid", "registration.applicationId",
                              "The application does not exist in the user's tenant.");
  }
  return app;
}

// Empty roles: the application's default roles. Otherwise every name must be a role of the
// application; duplicates are dropped, order kept.
Status ResolveRoles(const Application& app, std::vector<std::string>& roles) {
  if (roles.empty()) {
    for (const ApplicationRole& role : app.roles) {
      if (role.is_default) roles.push_back(role.name);
    }
    return Status::Ok();
  }
  std::vector<std::string> resolved;
  for (std::string& name : roles) {
    const bool known = std::any_of(app.roles.begin(), app.roles.end(),
                                   [&](const ApplicationRole& r) { return r.name == name; });
    if (!known) {
      return Status::FieldError(
          "invalid", "registration.roles",
          "The registration contains a role that the application does not define.");
    }
    if (std::find(resolved.begin(), resolved.end(), name) == resolved.end()) {
      resolved.push_back(std::move(name));
    }
  }
  roles = std::move(resolved);
  return Status::Ok();
}

}  // namespace

Result<Registration> PrepareNewRegistration(EngineContext& ctx, TenantId user_tenant,
                                            Registration registration) {
  BULWARK_ASSIGN_OR_RETURN(
      Application app, LoadRegistrationApplication(ctx, user_tenant, registration.application_id));
  BULWARK_RETURN_IF_ERROR(ResolveRoles(app, registration.roles));
  if (registration.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(registration.id, ctx.NewId<RegistrationId>());
  }
  const Instant now = ctx.Now();
  registration.insert_instant = now;
  registration.last_update_instant = now;
  registration.last_login_instant.reset();
  return registration;
}

}  // namespace internal

Result<Registration> RegistrationService::Create(UserId user_id, Registration registration) {
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(user_id));
  BULWARK_ASSIGN_OR_RETURN(
      Registration prepared,
      internal::PrepareNewRegistration(ctx_, user.tenant_id, std::move(registration)));
  WriteBatch batch;
  batch.Insert(user_id, prepared);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  const internal::EngineContext::EventIds ids{.tenant_id = user.tenant_id,
                                              .user_id = user_id,
                                              .application_id = prepared.application_id,
                                              .registration_id = prepared.id};
  ctx_.Emit(EventType::kUserRegistrationCreate, ids);
  ctx_.Emit(EventType::kUserRegistrationCreateComplete, ids);
  return prepared;
}

Result<UserRegistration> RegistrationService::Register(User user, Registration registration) {
  BULWARK_ASSIGN_OR_RETURN(User prepared_user, internal::PrepareNewUser(ctx_, std::move(user)));
  BULWARK_ASSIGN_OR_RETURN(
      Registration prepared,
      internal::PrepareNewRegistration(ctx_, prepared_user.tenant_id, std::move(registration)));
  WriteBatch batch;
  batch.Insert(prepared_user);
  batch.Insert(prepared_user.id, prepared);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  const internal::EngineContext::EventIds ids{.tenant_id = prepared_user.tenant_id,
                                              .user_id = prepared_user.id,
                                              .application_id = prepared.application_id,
                                              .registration_id = prepared.id};
  ctx_.Emit(EventType::kUserCreate, ids);
  ctx_.Emit(EventType::kUserRegistrationCreate, ids);
  ctx_.Emit(EventType::kUserCreateComplete, ids);
  ctx_.Emit(EventType::kUserRegistrationCreateComplete, ids);
  prepared_user.registrations.push_back(prepared);
  return UserRegistration{std::move(prepared_user), std::move(prepared)};
}

Result<Registration> RegistrationService::Retrieve(UserId user_id, ApplicationId application_id) {
  return ctx_.store->registrations().Get(user_id, application_id);
}

Result<Registration> RegistrationService::Update(UserId user_id, Registration registration) {
  BULWARK_ASSIGN_OR_RETURN(Registration current, Retrieve(user_id, registration.application_id));
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(user_id));
  BULWARK_ASSIGN_OR_RETURN(Application app, internal::LoadRegistrationApplication(
                                                ctx_, user.tenant_id, registration.application_id));
  BULWARK_RETURN_IF_ERROR(internal::ResolveRoles(app, registration.roles));
  registration.id = current.id;
  registration.insert_instant = current.insert_instant;
  registration.last_login_instant = current.last_login_instant;
  registration.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(user_id, registration);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  const internal::EngineContext::EventIds ids{.tenant_id = user.tenant_id,
                                              .user_id = user_id,
                                              .application_id = registration.application_id,
                                              .registration_id = registration.id};
  ctx_.Emit(EventType::kUserRegistrationUpdate, ids);
  ctx_.Emit(EventType::kUserRegistrationUpdateComplete, ids);
  return registration;
}

Status RegistrationService::Delete(UserId user_id, ApplicationId application_id) {
  BULWARK_ASSIGN_OR_RETURN(Registration current, Retrieve(user_id, application_id));
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(user_id));
  WriteBatch batch;
  batch.Delete(user_id, application_id);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  const internal::EngineContext::EventIds ids{.tenant_id = user.tenant_id,
                                              .user_id = user_id,
                                              .application_id = application_id,
                                              .registration_id = current.id};
  ctx_.Emit(EventType::kUserRegistrationDelete, ids);
  ctx_.Emit(EventType::kUserRegistrationDeleteComplete, ids);
  return Status::Ok();
}

}  // namespace bulwark
