// SPDX-License-Identifier: Apache-2.0
// UserService::Import: validate everything, then write everything in one store write.
//
// Whether an id, email or username is new to the store is asked of the store's own indexes:
// the write refuses a taken one, atomically, and only then (or when the request has other
// errors to report anyway, or before a plaintext password is hashed: hashing is skipped once
// the import cannot succeed) are the per-user lookups run, which name each user whose key is
// taken ("users[3].email") exactly as checking every user before the write did.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/user_service.h"
#include "core/case_folding.h"
#include "engine/context.h"

namespace bulwark {
namespace {

constexpr std::size_t kProgressEvery = 1000;

// The keys of a user still to be looked up in the store (CheckIdentity).
enum PendingLookup : std::uint8_t {
  kLookUpId = 1,
  kLookUpEmail = 2,
  kLookUpUsername = 4,
};

using internal::CaseFold;

// Moves the field errors of `from` (paths "user.x") under `prefix` ("users[3].x") into `to`.
void Rebase(const Errors& from, std::string_view old_prefix, const std::string& prefix,
            Errors& to) {
  for (const auto& [path, entries] : from.field_errors) {
    std::string rebased = path;
    if (rebased.rfind(old_prefix, 0) == 0) rebased = prefix + rebased.substr(old_prefix.size());
    for (const ErrorEntry& entry : entries) {
      const std::size_t close = entry.code.find(']');
      const std::string kind =
          close == std::string::npos ? std::string("invalid") : entry.code.substr(1, close - 1);
      to.AddField(kind, rebased, entry.message);
    }
  }
  for (const ErrorEntry& entry : from.general_errors) to.AddGeneral(entry.code, entry.message);
}

class Importer {
 public:
  Importer(internal::EngineContext& ctx, const ImportRequest& request,
           const ImportProgress& progress)
      : ctx_(ctx), request_(request), progress_(progress), now_(ctx.Now()) {}

  // Validates and prepares `user` (the index-th); adds what is wrong to errors_.
  void Prepare(std::size_t index, User& user) {
    const std::string base = "users[" + std::to_string(index) + "]";
    const std::size_t errors_before = Count();
    if (user.tenant_id.IsNil()) user.tenant_id = ctx_.default_tenant_id;
    const Tenant* tenant = FindTenant(user.tenant_id);
    if (tenant == nullptr) {
      errors_.AddField("invalid", base + ".tenantId", "The tenant does not exist.");
      return;
    }
    Rebase(Validate(user), "user", base, errors_);
    CheckIdentity(index, base, user);
    PrepareCredential(index, base, *tenant, user);
    if (!user.insert_instant.has_value()) user.insert_instant = now_;
    user.last_update_instant = now_;
    for (std::size_t j = 0; j < user.registrations.size(); ++j) {
      // The path is only for errors: most registrations never need it.
      const auto path = [&] { return base + ".registrations[" + std::to_string(j) + "]"; };
      Registration& registration = user.registrations[j];
      if (!registration.application_id.IsNil() &&
          std::any_of(user.registrations.begin(), user.registrations.begin() + j,
                      [&](const Registration& earlier) {
                        return earlier.application_id == registration.application_id;
                      })) {
        errors_.AddField("duplicate", path() + ".applicationId",
                         "The user is registered for this application more than once.");
      }
      PrepareRegistration(path, user, registration);
    }
    // A store that could not answer a lookup makes every conclusion doubtful (Run reports it).
    if (Count() != errors_before || !store_error_.ok()) return;
    if (user.id.IsNil()) {
      Assign(user.id, [&] { return base + ".id"; });
      fresh_user_ids_.push_back(&user.id);
    }
    for (Registration& registration : user.registrations) {
      if (registration.id.IsNil()) {
        Assign(registration.id, [&] { return base + ".registrations.id"; });
        fresh_registration_ids_.push_back(&registration.id);
      }
    }
  }

  Status Run(std::vector<User>& users) {
    if (users.empty()) {
      return Status::FieldError("missing", "users", "You must specify at least one user.");
    }
    const std::size_t total = users.size();
    pending_.assign(total, 0);
    users_ = &users;
    for (std::size_t i = 0; i < total; ++i) {
      Prepare(i, users[i]);
      if (progress_ && ((i + 1) % kProgressEvery == 0 || i + 1 == total)) {
        progress_(ImportStage::kValidating, i + 1, total);
      }
    }
    if (!store_error_.ok() || !errors_.empty()) {
      // Failing anyway: report every taken key too, as the lookups before the write did.
      LookUpPending(total, [&](std::size_t i) -> const User& { return users[i]; });
      if (!store_error_.ok()) return store_error_;
      return Status::Validation(std::move(errors_));
    }
    Ascending(fresh_user_ids_);
    Ascending(fresh_registration_ids_);
    WriteBatch batch;
    batch.Insert(std::move(users));  // each user once: no copy for the batch
    if (progress_) {
      batch.SetProgress([this](std::size_t done,
                               std::size_t all) { progress_(ImportStage::kWriting, done, all); },
                        kProgressEvery);
    }
    Status applied = ctx_.Apply(batch);
    if (applied.code() != StatusCode::kAlreadyExists) return applied;
    // The store refused a taken key: name the users whose keys are taken, as the lookups
    // before the write did. (The write changed nothing.) When no lookup finds one, the
    // store's own verdict stands.
    const auto& written = std::get<WriteBatch::InsertUsers>(batch.operations().front()).users;
    if (written.size() != total) return applied;
    LookUpPending(total, [&](std::size_t i) -> const User& { return written[i]; });
    if (!store_error_.ok()) return store_error_;
    if (!errors_.empty()) return Status::Validation(std::move(errors_));
    return applied;
  }

 private:
  std::size_t Count() const {
    std::size_t n = errors_.general_errors.size();
    for (const auto& [path, entries] : errors_.field_errors) n += entries.size();
    return n;
  }

  // `path()` names the id in the error, built only when there is one.
  template <typename IdT, typename PathFn>
  void Assign(IdT& id, const PathFn& path) {
    // Random::Default() serves identifiers from a per-thread buffer: one id costs a copy.
    Result<IdT> fresh = ctx_.NewId<IdT>();
    if (fresh.ok()) {
      id = *fresh;
    } else {
      errors_.AddGeneral("[RandomFailure]", "An id could not be generated for " + path() + ".");
    }
  }

  // Hands the fresh ids at `ids` (each drawn at random, in the order of the users) back out
  // in ascending order: the same random ids, but a store's primary-key index then grows at
  // its end, where SQLite's B-tree inserts far faster than among 100,000 random keys.
  template <typename IdT>
  static void Ascending(const std::vector<IdT*>& ids) {
    std::vector<IdT> sorted;
    sorted.reserve(ids.size());
    for (const IdT* id : ids) sorted.push_back(*id);
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < ids.size(); ++i) *ids[i] = sorted[i];
  }

  const Tenant* FindTenant(TenantId id) {
    auto it = tenants_.find(id);
    if (it == tenants_.end()) {
      Result<Tenant> tenant = ctx_.LoadTenant(id);
      if (!tenant.ok() && tenant.status().code() != StatusCode::kNotFound) {
        store_error_ = tenant.status();
      }
      it = tenants_
               .emplace(id, tenant.ok() ? std::optional<Tenant>(*std::move(tenant)) : std::nullopt)
               .first;
    }
    return it->second.has_value() ? &*it->second : nullptr;
  }

  const Application* FindApplication(ApplicationId id) {
    auto it = applications_.find(id);
    if (it == applications_.end()) {
      Result<Application> app = ctx_.LoadApplication(id);
      if (!app.ok() && app.status().code() != StatusCode::kNotFound) store_error_ = app.status();
      it = applications_
               .emplace(id, app.ok() ? std::optional<Application>(*std::move(app)) : std::nullopt)
               .first;
    }
    return it->second.has_value() ? &*it->second : nullptr;
  }

  // The tenant's 16 bytes, then `value` case-folded: one key per (tenant, folded value).
  static std::string TenantKey(TenantId tenant, std::string_view value) {
    const auto& bytes = tenant.uuid().bytes();
    std::string key(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    key += CaseFold(value);
    return key;
  }

  // Ids, emails and usernames: unique inside the request and new to the store. Whether they
  // are new to the store is looked up later (LookUpPending), only when it matters.
  void CheckIdentity(std::size_t index, const std::string& base, const User& user) {
    std::uint8_t pending = 0;
    if (!user.id.IsNil()) {
      if (!user_ids_.insert(user.id).second) {
        errors_.AddField("duplicate", base + ".id",
                         "The request lists this user id more than once.");
      } else {
        pending |= kLookUpId;
      }
    }
    if (!user.email.empty()) {
      if (!emails_.insert(TenantKey(user.tenant_id, user.email)).second) {
        errors_.AddField("duplicate", base + ".email",
                         "The request lists this email more than once.");
      } else {
        pending |= kLookUpEmail;
      }
    }
    if (!user.username.empty()) {
      if (!usernames_.insert(TenantKey(user.tenant_id, user.username)).second) {
        errors_.AddField("duplicate", base + ".username",
                         "The request lists this username more than once.");
      } else {
        pending |= kLookUpUsername;
      }
    }
    pending_[index] = pending;
  }

  // Looks up in the store the keys CheckIdentity left pending for users [looked_up_, end)
  // (`user(i)` is the i-th user), reporting each taken one.
  template <typename UserAt>
  void LookUpPending(std::size_t end, const UserAt& user) {
    for (; looked_up_ < end; ++looked_up_) {
      const std::uint8_t pending = pending_[looked_up_];
      if (pending == 0) continue;
      const User& u = user(looked_up_);
      const std::string base = "users[" + std::to_string(looked_up_) + "]";
      if ((pending & kLookUpId) != 0 && Exists(ctx_.store->users().Get(u.id))) {
        errors_.AddField("duplicate", base + ".id", "A user with this id already exists.");
      }
      if ((pending & kLookUpEmail) != 0 &&
          Exists(ctx_.store->users().FindByEmail(u.tenant_id, u.email))) {
        errors_.AddField("duplicate", base + ".email",
                         "A user with this email already exists in the tenant.");
      }
      if ((pending & kLookUpUsername) != 0 &&
          Exists(ctx_.store->users().FindByUsername(u.tenant_id, u.username))) {
        errors_.AddField("duplicate", base + ".username",
                         "A user with this username already exists in the tenant.");
      }
    }
  }

  bool Exists(const Result<User>& found) {
    if (!found.ok() && found.status().code() != StatusCode::kNotFound) {
      store_error_ = found.status();
    }
    return found.ok();
  }

  void PrepareCredential(std::size_t index, const std::string& base, const Tenant& tenant,
                         User& user) {
    PasswordHash& hash = user.password_hash;
    if (!hash.encryption_scheme.empty()) {
      // Pre-hashed: keep the old system's credential as it is.
      const auto hasher = ctx_.password_hashers.Find(hash.encryption_scheme);
      if (hasher == nullptr) {
        errors_.AddField("invalid", base + ".encryptionScheme",
                         "The encryption scheme is not registered.");
      } else if (user.password.empty()) {
        errors_.AddField("blank", base + ".password",
                         "A user with an encryptionScheme needs its password hash.");
      } else {
        if (hash.factor <= 0) hash.factor = hasher->default_factor();
        hash.hash = std::move(user.password);
      }
      user.password.clear();
      if (!user.password_last_update_instant.has_value() && !hash.hash.empty()) {
        user.password_last_update_instant = now_;
      }
      return;
    }
    hash = PasswordHash{};
    if (user.password.empty()) return;
    const auto& config = tenant.password_encryption_configuration;
    const std::string scheme =
        request_.encryption_scheme.empty() ? config.encryption_scheme : request_.encryption_scheme;
    int factor = request_.factor;
    if (factor <= 0 && scheme == config.encryption_scheme) {
      factor = config.encryption_scheme_factor;  // else 0: the scheme's default
    }
    if (ctx_.password_hashers.Find(scheme) == nullptr) {
      errors_.AddField("invalid", "encryptionScheme", "The encryption scheme is not registered.");
      ClearPassword(user);
      return;
    }
    // Whether the import can still succeed takes in the keys taken in the store so far.
    if (errors_.empty()) {
      LookUpPending(index + 1, [&](std::size_t i) -> const User& { return (*users_)[i]; });
    }
    if (errors_.empty()) {
      // Hashing is the expensive part: only while the import can still succeed.
      Result<PasswordHash> made =
          ctx_.password_hashers.Hash(user.password, scheme, factor, *ctx_.random);
      if (made.ok()) {
        hash = *std::move(made);
        if (!user.password_last_update_instant.has_value()) {
          user.password_last_update_instant = now_;
        }
      } else {
        errors_.AddField("invalid", base + ".password", made.status().message());
      }
    }
    ClearPassword(user);
  }

  static void ClearPassword(User& user) {
    std::fill(user.password.begin(), user.password.end(), '\0');
    user.password.clear();
  }

  // `path()` is the registration's path ("users[3].registrations[0]").
  template <typename PathFn>
  void PrepareRegistration(const PathFn& path, const User& user, Registration& registration) {
    if (!registration.id.IsNil() && !registration_ids_.insert(registration.id).second) {
      errors_.AddField("duplicate", path() + ".id",
                       "The request lists this registration id more than once.");
    }
    if (registration.application_id.IsNil()) {
      errors_.AddField("blank", path() + ".applicationId",
                       "You must specify the [applicationId] property.");
      return;
    }
    const Application* app = FindApplication(registration.application_id);
    if (app == nullptr || app->tenant_id != user.tenant_id) {
      errors_.AddField("invalid", path() + ".applicationId",
                       "The application does not exist in the user's tenant.");
      return;
    }
    std::vector<std::string> roles;
    for (std::string& name : registration.roles) {
      const bool known = std::any_of(app->roles.begin(), app->roles.end(),
                                     [&](const ApplicationRole& r) { return r.name == name; });
      if (!known) {
        errors_.AddField("invalid", path() + ".roles",
                         "The registration contains a role that the application does not define.");
        return;
      }
      if (std::find(roles.begin(), roles.end(), name) == roles.end()) {
        roles.push_back(std::move(name));
      }
    }
    registration.roles = std::move(roles);
    if (!registration.insert_instant.has_value()) registration.insert_instant = now_;
    registration.last_update_instant = now_;
  }

 private:
  internal::EngineContext& ctx_;
  const ImportRequest& request_;
  const ImportProgress& progress_;
  const Instant now_;
  Errors errors_;
  Status store_error_;
  std::map<TenantId, std::optional<Tenant>> tenants_;
  std::map<ApplicationId, std::optional<Application>> applications_;
  std::set<UserId> user_ids_;
  std::set<RegistrationId> registration_ids_;
  // TenantKey of each email and username seen so far.
  std::unordered_set<std::string> emails_;
  std::unordered_set<std::string> usernames_;
  // The users being imported (Run), and for each the keys still to look up in the store.
  const std::vector<User>* users_ = nullptr;
  std::vector<std::uint8_t> pending_;
  std::size_t looked_up_ = 0;
  // The ids Prepare drew, in the order of the users (pointers into the request: the vector
  // of users does not change size meanwhile).
  std::vector<UserId*> fresh_user_ids_;
  std::vector<RegistrationId*> fresh_registration_ids_;
};

}  // namespace

Status UserService::Import(ImportRequest request, const ImportProgress& progress) {
  Importer importer(ctx_, request, progress);
  BULWARK_RETURN_IF_ERROR(importer.Run(request.users));
  ctx_.Emit(EventType::kUserBulkCreate, {});
  return Status::Ok();
}

}  // namespace bulwark
