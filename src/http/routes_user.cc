// SPDX-License-Identifier: Apache-2.0
// /api/user, /api/user/registration and /api/user/import.
#include <string>
#include <utility>
#include <vector>

#include "bulwark/model/registration.h"
#include "bulwark/model/user.h"
#include "bulwark/user_import.h"
#include "core/ascii.h"
#include "http/api_support.h"
#include "http/import_request_json.h"

namespace bulwark::http::internal {
namespace {

HttpResponse UserResponse(const User& user) { return JsonResponse(200, {{"user", ToJson(user)}}); }

Result<User> UserFromBody(const nlohmann::json& body) {
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "user"));
  return UserFromJson(*member);
}

// The tenant a new user goes to: the call's, else the one the body names, else the only one.
Status AssignTenant(Call& call, TenantId& tenant) {
  if (call.tenant_id.has_value()) {
    tenant = *call.tenant_id;
  } else if (tenant.IsNil()) {
    BULWARK_ASSIGN_OR_RETURN(tenant, RequireTenant(call));
  }
  return Status::Ok();
}

Result<User> ScopedUser(Call& call, std::string_view segment) {
  BULWARK_ASSIGN_OR_RETURN(UserId id, PathId<UserId>(segment, "userId"));
  BULWARK_ASSIGN_OR_RETURN(User user, call.engine.users().Retrieve(id));
  BULWARK_RETURN_IF_ERROR(CheckTenant(call, user.tenant_id));
  return user;
}

HttpResponse CreateUser(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(User user, UserFromBody(body));
  if (!call.params.empty()) {
    BULWARK_HTTP_TRY(user.id, PathId<UserId>(call.params[0], "userId"));
  }
  BULWARK_HTTP_CHECK(AssignTenant(call, user.tenant_id));
  BULWARK_HTTP_TRY(User created, call.engine.users().Create(std::move(user)));
  return UserResponse(created);
}

HttpResponse RetrieveUser(Call& call) {
  BULWARK_HTTP_TRY(User user, ScopedUser(call, call.params[0]));
  return UserResponse(user);
}

// GET /api/user?email= | ?username= | ?loginId=[&loginIdTypes=]
HttpResponse SearchUser(Call& call) {
  const QueryParams& query = call.request.query;
  std::optional<std::string_view> email = FindQuery(query, "email");
  std::optional<std::string_view> username = FindQuery(query, "username");
  std::optional<std::string_view> login_id = FindQuery(query, "loginId");
  if (!email && !username && !login_id) {
    return GeneralError("[missing]email", "You must specify an email, username or loginId.");
  }
  BULWARK_HTTP_TRY(TenantId tenant, RequireTenant(call));
  UserService& users = call.engine.users();
  if (email.has_value()) {
    BULWARK_HTTP_TRY(User user, users.RetrieveByEmail(tenant, *email));
    return UserResponse(user);
  }
  if (username.has_value()) {
    BULWARK_HTTP_TRY(User user, users.RetrieveByUsername(tenant, *username));
    return UserResponse(user);
  }
  std::vector<LoginIdType> types;
  for (const auto& [name, value] : query) {
    if (name != "loginIdTypes") continue;
    if (value == "email") {
      types.push_back(LoginIdType::kEmail);
    } else if (value == "username") {
      types.push_back(LoginIdType::kUsername);
    } else {
      return ErrorResponse(
          Status::FieldError("invalid", "loginIdTypes", "Unsupported loginIdTypes value."));
    }
  }
  if (types.empty()) types = {LoginIdType::kEmail, LoginIdType::kUsername};
  BULWARK_HTTP_TRY(User user, users.RetrieveByLoginId(tenant, *login_id, types));
  return UserResponse(user);
}

Result<User> Replace(Call& call, const User& current, User user) {
  user.id = current.id;
  user.tenant_id = current.tenant_id;
  BULWARK_ASSIGN_OR_RETURN(std::optional<bool> reactivate, QueryBool(call.request, "reactivate"));
  if (reactivate.value_or(false)) {
    BULWARK_RETURN_IF_ERROR(call.engine.users().Reactivate(current.id).status());
    user.active = true;
  }
  return call.engine.users().Update(std::move(user));
}

HttpResponse UpdateUser(Call& call) {
  BULWARK_HTTP_TRY(User current, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(std::optional<bool> reactivate, QueryBool(call.request, "reactivate"));
  if (reactivate.value_or(false) &&
      bulwark::internal::IsBlank(call.request.body)) {
    BULWARK_HTTP_TRY(User reactivated, call.engine.users().Reactivate(current.id));
    return UserResponse(reactivated);
  }
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(User user, UserFromBody(body));
  BULWARK_HTTP_TRY(User updated, Replace(call, current, std::move(user)));
  return UserResponse(updated);
}

HttpResponse PatchUser(Call& call) {
  BULWARK_HTTP_TRY(User current, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(nlohmann::json patched, ApplyPatch(call.request, {{"user", ToJson(current)}}));
  BULWARK_HTTP_TRY(User user, UserFromBody(patched));
  BULWARK_HTTP_TRY(User updated, Replace(call, current, std::move(user)));
  return UserResponse(updated);
}

HttpResponse DeleteUser(Call& call) {
  BULWARK_HTTP_TRY(User current, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(std::optional<bool> hard, QueryBool(call.request, "hardDelete"));
  if (hard.value_or(false)) {
    BULWARK_HTTP_CHECK(call.engine.users().Delete(current.id));
  } else {
    BULWARK_HTTP_CHECK(call.engine.users().Deactivate(current.id).status());
  }
  return EmptyResponse(200);
}

// ---- registrations ---------------------------------------------------------------------

Result<Registration> RegistrationFromBody(const nlohmann::json& body) {
  BULWARK_ASSIGN_OR_RETURN(const nlohmann::json* member, RequiredMember(body, "registration"));
  return RegistrationFromJson(*member);
}

// POST /api/user/registration[/{userId}]: with a `user` in the body, creates the user (with
// that id) and its registration together; without one, registers the existing user.
HttpResponse Register(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(Registration registration, RegistrationFromBody(body));
  const auto user_member = body.find("user");
  if (user_member == body.end() || user_member->is_null()) {
    if (call.params.empty()) {
      return ErrorResponse(
          Status::FieldError("missing", "user", "You must specify the [user] property."));
    }
    BULWARK_HTTP_TRY(User user, ScopedUser(call, call.params[0]));
    BULWARK_HTTP_TRY(Registration created,
                     call.engine.registrations().Create(user.id, std::move(registration)));
    return JsonResponse(200, {{"registration", ToJson(created)}});
  }
  BULWARK_HTTP_TRY(User user, UserFromBody(body));
  if (!call.params.empty()) {
    BULWARK_HTTP_TRY(user.id, PathId<UserId>(call.params[0], "userId"));
  }
  BULWARK_HTTP_CHECK(AssignTenant(call, user.tenant_id));
  BULWARK_HTTP_TRY(UserRegistration created,
                   call.engine.registrations().Register(std::move(user), std::move(registration)));
  return JsonResponse(
      200, {{"registration", ToJson(created.registration)}, {"user", ToJson(created.user)}});
}

HttpResponse RetrieveRegistration(Call& call) {
  BULWARK_HTTP_TRY(User user, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(ApplicationId application,
                   PathId<ApplicationId>(call.params[1], "applicationId"));
  BULWARK_HTTP_TRY(Registration registration,
                   call.engine.registrations().Retrieve(user.id, application));
  return JsonResponse(200, {{"registration", ToJson(registration)}});
}

HttpResponse UpdateRegistration(Call& call) {
  BULWARK_HTTP_TRY(User user, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(Registration registration, RegistrationFromBody(body));
  if (call.params.size() > 1) {
    BULWARK_HTTP_TRY(registration.application_id,
                     PathId<ApplicationId>(call.params[1], "applicationId"));
  }
  BULWARK_HTTP_TRY(Registration updated,
                   call.engine.registrations().Update(user.id, std::move(registration)));
  return JsonResponse(200, {{"registration", ToJson(updated)}});
}

HttpResponse PatchRegistration(Call& call) {
  BULWARK_HTTP_TRY(User user, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(ApplicationId application,
                   PathId<ApplicationId>(call.params[1], "applicationId"));
  BULWARK_HTTP_TRY(Registration current,
                   call.engine.registrations().Retrieve(user.id, application));
  BULWARK_HTTP_TRY(nlohmann::json patched,
                   ApplyPatch(call.request, {{"registration", ToJson(current)}}));
  BULWARK_HTTP_TRY(Registration registration, RegistrationFromBody(patched));
  registration.application_id = application;
  BULWARK_HTTP_TRY(Registration updated,
                   call.engine.registrations().Update(user.id, std::move(registration)));
  return JsonResponse(200, {{"registration", ToJson(updated)}});
}

HttpResponse DeleteRegistration(Call& call) {
  BULWARK_HTTP_TRY(User user, ScopedUser(call, call.params[0]));
  BULWARK_HTTP_TRY(ApplicationId application,
                   PathId<ApplicationId>(call.params[1], "applicationId"));
  BULWARK_HTTP_CHECK(call.engine.registrations().Delete(user.id, application));
  return EmptyResponse(200);
}

HttpResponse ImportUsers(Call& call) {
  BULWARK_HTTP_TRY(nlohmann::json body, ParseJsonBody(call.request));
  BULWARK_HTTP_TRY(ImportRequest request, ImportRequestFromJson(body));
  for (User& user : request.users) {
    if (call.tenant_id.has_value()) {
      if (!user.tenant_id.IsNil() && user.tenant_id != *call.tenant_id) {
        return ErrorResponse(Status::FieldError("invalid", "users.tenantId",
                                                "A user names another tenant than the request."));
      }
      user.tenant_id = *call.tenant_id;
    } else if (user.tenant_id.IsNil()) {
      BULWARK_HTTP_TRY(user.tenant_id, RequireTenant(call));
    }
  }
  BULWARK_HTTP_CHECK(call.engine.users().Import(std::move(request)));
  return EmptyResponse(200);
}

}  // namespace

void AddUserRoutes(std::vector<Route>& routes) {
  constexpr std::string_view kUser = "/api/user";
  constexpr std::string_view kRegistration = "/api/user/registration";
  constexpr std::string_view kImport = "/api/user/import";
  routes.insert(
      routes.end(),
      {
          {"POST", "/api/user", kUser, Access::kApiKey, CreateUser},
          {"POST", "/api/user/*", kUser, Access::kApiKey, CreateUser},
          {"GET", "/api/user", kUser, Access::kApiKey, SearchUser},
          {"GET", "/api/user/*", kUser, Access::kApiKey, RetrieveUser},
          {"PUT", "/api/user/*", kUser, Access::kApiKey, UpdateUser},
          {"PATCH", "/api/user/*", kUser, Access::kApiKey, PatchUser},
          {"DELETE", "/api/user/*", kUser, Access::kApiKey, DeleteUser},
          {"POST", "/api/user/registration", kRegistration, Access::kApiKey, Register},
          {"POST", "/api/user/registration/*", kRegistration, Access::kApiKey, Register},
          {"GET", "/api/user/registration/*/*", kRegistration, Access::kApiKey,
           RetrieveRegistration},
          {"PUT", "/api/user/registration/*", kRegistration, Access::kApiKey, UpdateRegistration},
          {"PUT", "/api/user/registration/*/*", kRegistration, Access::kApiKey, UpdateRegistration},
          {"PATCH", "/api/user/registration/*/*", kRegistration, Access::kApiKey,
           PatchRegistration},
          {"DELETE", "/api/user/registration/*/*", kRegistration, Access::kApiKey,
           DeleteRegistration},
          {"POST", "/api/user/import", kImport, Access::kApiKey, ImportUsers},
      });
}

}  // namespace bulwark::http::internal
