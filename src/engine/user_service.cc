// SPDX-License-Identifier: Apache-2.0
#include "bulwark/user_service.h"

#include <utility>

#include "engine/context.h"
#include "engine/preparation.h"
#include "engine/validation.h"

namespace bulwark {
namespace internal {
namespace {

Result<Tenant> LoadUserTenant(EngineContext& ctx, TenantId id) {
  Result<Tenant> tenant = ctx.LoadTenant(id);
  if (!tenant.ok() && tenant.status().code() == StatusCode::kNotFound) {
    return Status::FieldError("invalid", "user.tenantId", "The tenant does not exist.");
  }
  return tenant;
}

// Replaces user.password (plaintext) by a hash in user.password_hash.
Status HashNewPassword(EngineContext& ctx, const Tenant& tenant, User& user) {
  // The request may name a scheme (FusionAuth's user.encryptionScheme / user.factor); otherwise
  // the tenant's passwordEncryptionConfiguration decides. ValidateUser has checked that the
  // scheme is registered.
  const auto& config = tenant.password_encryption_configuration;
  const bool requested = !user.password_hash.encryption_scheme.empty();
  const std::string scheme =
      requested ? user.password_hash.encryption_scheme : config.encryption_scheme;
  // 0 asks for the scheme's default factor.
  int factor = scheme == config.encryption_scheme ? config.encryption_scheme_factor : 0;
  const bool requested_factor = requested && user.password_hash.factor > 0;
  if (requested_factor) factor = user.password_hash.factor;
  Result<PasswordHash> hash = ctx.password_hashers.Hash(user.password, scheme, factor, *ctx.random);
  // The plaintext leaves the object whatever the outcome.
  user.password.assign(user.password.size(), '\0');
  user.password.clear();
  if (!hash.ok()) {
    if (hash.status().code() == StatusCode::kNotFound) {
      return Status::FieldError("invalid", PasswordSchemePath(requested),
                                "The password encryption scheme is not registered.");
    }
    if (hash.status().code() == StatusCode::kInvalidArgument) {
      // The scheme refused the factor (e.g. a bcrypt cost above its range).
      const char* path = requested_factor ? "user.factor"
                         : requested      ? "user.encryptionScheme"
                                          : "tenant.passwordEncryptionConfiguration."
                                            "encryptionSchemeFactor";
      return Status::FieldError("invalid", path, hash.status().message());
    }
    return hash.status();
  }
  user.password_hash = std::move(*hash);
  user.password_last_update_instant = ctx.Now();
  return Status::Ok();
}

}  // namespace

Result<User> PrepareNewUser(EngineContext& ctx, User user) {
  if (user.tenant_id.IsNil()) user.tenant_id = ctx.default_tenant_id;
  BULWARK_ASSIGN_OR_RETURN(Tenant tenant, LoadUserTenant(ctx, user.tenant_id));
  BULWARK_RETURN_IF_ERROR(
      ValidateUser(user, tenant, /*require_password=*/true, ctx.password_hashers));
  if (user.id.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(user.id, ctx.NewId<UserId>());
  }
  user.registrations.clear();
  BULWARK_RETURN_IF_ERROR(HashNewPassword(ctx, tenant, user));
  const Instant now = ctx.Now();
  user.insert_instant = now;
  user.last_update_instant = now;
  user.last_login_instant.reset();
  return user;
}

}  // namespace internal

namespace {

// The user as callers see it: registrations attached, no plaintext password.
Result<User> Complete(internal::EngineContext& ctx, Result<User> user) {
  if (!user.ok()) return user;
  BULWARK_ASSIGN_OR_RETURN(user->registrations, ctx.store->registrations().ListByUser(user->id));
  user->password.clear();
  return user;
}

}  // namespace

Result<User> UserService::Create(User user) {
  BULWARK_ASSIGN_OR_RETURN(User prepared, internal::PrepareNewUser(ctx_, std::move(user)));
  WriteBatch batch;
  batch.Insert(prepared);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kUserCreate, {.tenant_id = prepared.tenant_id, .user_id = prepared.id});
  ctx_.Emit(EventType::kUserCreateComplete,
            {.tenant_id = prepared.tenant_id, .user_id = prepared.id});
  return prepared;
}

Result<User> UserService::Retrieve(UserId id) {
  return Complete(ctx_, ctx_.store->users().Get(id));
}

Result<User> UserService::RetrieveByEmail(TenantId tenant_id, std::string_view email) {
  return Complete(ctx_, ctx_.store->users().FindByEmail(tenant_id, email));
}

Result<User> UserService::RetrieveByUsername(TenantId tenant_id, std::string_view username) {
  return Complete(ctx_, ctx_.store->users().FindByUsername(tenant_id, username));
}

Result<User> UserService::RetrieveByLoginId(TenantId tenant_id, std::string_view login_id,
                                            const std::vector<LoginIdType>& types) {
  for (LoginIdType type : types) {
    Result<User> user = type == LoginIdType::kEmail ? RetrieveByEmail(tenant_id, login_id)
                                                    : RetrieveByUsername(tenant_id, login_id);
    if (user.ok() || user.status().code() != StatusCode::kNotFound) return user;
  }
  return Status::NotFound("no user has that login id");
}

Result<User> UserService::Update(User user) {
  BULWARK_ASSIGN_OR_RETURN(User current, ctx_.store->users().Get(user.id));
  user.tenant_id = current.tenant_id;
  BULWARK_ASSIGN_OR_RETURN(Tenant tenant, internal::LoadUserTenant(ctx_, user.tenant_id));
  BULWARK_RETURN_IF_ERROR(
      internal::ValidateUser(user, tenant, /*require_password=*/false, ctx_.password_hashers));
  const bool password_changed = !user.password.empty();
  if (!password_changed) {
    user.password_hash = current.password_hash;
    user.password_last_update_instant = current.password_last_update_instant;
  } else {
    BULWARK_RETURN_IF_ERROR(internal::HashNewPassword(ctx_, tenant, user));
  }
  user.registrations.clear();
  user.insert_instant = current.insert_instant;
  user.last_login_instant = current.last_login_instant;
  user.last_update_instant = ctx_.Now();
  WriteBatch batch;
  batch.Update(user);
  // The tenant's refreshTokenRevocationPolicy.onPasswordChanged: a new password ends every
  // session that the old one opened.
  const bool revoke = password_changed &&
                      tenant.jwt_configuration.refresh_token_revocation_policy.on_password_changed;
  if (revoke) batch.DeleteRefreshTokensOf(user.id, std::nullopt);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  const internal::EngineContext::EventIds ids{.tenant_id = user.tenant_id, .user_id = user.id};
  ctx_.Emit(EventType::kUserUpdate, ids);
  if (password_changed) ctx_.Emit(EventType::kUserPasswordUpdate, ids);
  if (revoke) ctx_.Emit(EventType::kJwtRefreshTokenRevoke, ids);
  ctx_.Emit(EventType::kUserUpdateComplete, ids);
  return Complete(ctx_, std::move(user));
}

namespace {

Result<User> SetActive(internal::EngineContext& ctx, UserId id, bool active) {
  BULWARK_ASSIGN_OR_RETURN(User user, ctx.store->users().Get(id));
  user.active = active;
  user.last_update_instant = ctx.Now();
  WriteBatch batch;
  batch.Update(user);
  BULWARK_RETURN_IF_ERROR(ctx.Apply(batch));
  ctx.Emit(active ? EventType::kUserReactivate : EventType::kUserDeactivate,
           {.tenant_id = user.tenant_id, .user_id = user.id});
  return Complete(ctx, std::move(user));
}

}  // namespace

Result<User> UserService::Deactivate(UserId id) { return SetActive(ctx_, id, false); }

Result<User> UserService::Reactivate(UserId id) { return SetActive(ctx_, id, true); }

Status UserService::Delete(UserId id) {
  BULWARK_ASSIGN_OR_RETURN(User user, ctx_.store->users().Get(id));
  WriteBatch batch;
  batch.Delete(id);
  BULWARK_RETURN_IF_ERROR(ctx_.Apply(batch));
  ctx_.Emit(EventType::kUserDelete, {.tenant_id = user.tenant_id, .user_id = id});
  ctx_.Emit(EventType::kUserDeleteComplete, {.tenant_id = user.tenant_id, .user_id = id});
  return Status::Ok();
}

}  // namespace bulwark
