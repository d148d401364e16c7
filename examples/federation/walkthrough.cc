// SPDX-License-Identifier: Apache-2.0
#include "walkthrough.h"

#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "bulwark/engine.h"
#include "bulwark/http/wire_json.h"
#include "bulwark/store/sqlite_store.h"
#include "bulwark/testing/test_issuer.h"

namespace walkthrough {
namespace {

using namespace bulwark;  // NOLINT: an example

constexpr const char* kPassword = "middle-out compression";

// One application, Richard's account in it, and the provider's key in Key Master.
struct World {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<testing::TestIssuer> idp;
  Application app;
  User richard;
  IdentityProvider provider;

  static Result<World> Open(LinkingStrategy strategy) {
    World w;
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore({.path = ":memory:"}));
    BULWARK_ASSIGN_OR_RETURN(w.engine, Engine::Open({.store = std::move(store)}));
    BULWARK_ASSIGN_OR_RETURN(testing::TestIssuer idp,
                             testing::TestIssuer::Create({.issuer = "https://login.hooli.com"}));
    w.idp = std::make_unique<testing::TestIssuer>(std::move(idp));
    Application app;
    app.name = "Pied Piper";
    BULWARK_ASSIGN_OR_RETURN(w.app, w.engine->applications().Create(app));
    User richard;
    richard.email = "richard@piedpiper.com";
    richard.username = "richard";
    richard.password = kPassword;
    Registration registration;
    registration.application_id = w.app.id;
    BULWARK_ASSIGN_OR_RETURN(UserRegistration registered,
                             w.engine->registrations().Register(richard, registration));
    w.richard = registered.user;
    Key key = w.idp->verification_key();
    key.name = "Hooli signing key";
    BULWARK_ASSIGN_OR_RETURN(key, w.engine->keys().Import(key));
    IdentityProvider provider;
    provider.name = "Hooli";
    provider.type = IdentityProviderType::kExternalJwt;
    provider.enabled = true;
    provider.linking_strategy = strategy;
    ExternalJwtConfiguration config;
    config.header_key_parameter = "kid";
    config.verification_key_ids = {key.id};
    provider.config = config;
    provider.application_configuration[w.app.id] = {.enabled = true, .create_registration = true};
    BULWARK_ASSIGN_OR_RETURN(w.provider, w.engine->identity_providers().Create(provider));
    return w;
  }

  Result<LoginResponse> LoginThroughProvider(const nlohmann::json& claims) {
    BULWARK_ASSIGN_OR_RETURN(std::string token, idp->Mint(claims));
    IdentityProviderLoginRequest request;
    request.application_id = app.id;
    request.identity_provider_id = provider.id;
    request.data["token"] = std::move(token);
    return engine->identity_providers().Login(request);
  }

  Account Which(const LoginResponse& response) const {
    if (!response.user.has_value()) return Account::kNone;
    return response.user->id == richard.id ? Account::kExisting : Account::kNew;
  }
};

Result<Step> Walk(const std::string& scenario, const nlohmann::json& claims,
                  LinkingStrategy strategy) {
  BULWARK_ASSIGN_OR_RETURN(World w, World::Open(strategy));
  Step step;
  step.scenario = scenario;
  step.strategy = strategy;
  Result<LoginResponse> first = w.LoginThroughProvider(claims);
  if (!first.ok()) {
    if (first.status().code() != StatusCode::kInvalidArgument ||
        first.status().errors().general_errors.empty()) {
      return first.status();
    }
    step.first_status = 400;
    step.error_code = first.status().errors().general_errors.front().code;
    step.account = Account::kNone;
    step.story = "Refused (" + step.error_code + "): the strategy has nothing to link by.";
    return step;
  }
  step.first_status = HttpStatusOf(first->outcome);  // what a client of the Router sees
  switch (first->outcome) {
    case LoginOutcome::kPendingLink: {
      // The application asks Richard to prove the account is his, then completes the link.
      LoginRequest login;
      login.login_id = "richard@piedpiper.com";
      login.password = kPassword;
      login.application_id = w.app.id;
      BULWARK_ASSIGN_OR_RETURN(LoginResponse proved, w.engine->login().Login(login));
      if (proved.outcome != LoginOutcome::kSuccess) {
        return Status::Internal("Richard's password login failed");
      }
      BULWARK_ASSIGN_OR_RETURN(IdentityProviderLink link,
                               w.engine->identity_provider_links().CompletePendingLink(
                                   first->pending_idp_link_id, proved.user->id));
      (void)link;
      BULWARK_ASSIGN_OR_RETURN(LoginResponse again, w.LoginThroughProvider(claims));
      step.account = w.Which(again);
      step.story =
          "232 with a pending link; after a password login the application completed "
          "it, and the next login through Hooli went into his account.";
      break;
    }
    case LoginOutcome::kInvalidCredentials:
      if (strategy == LinkingStrategy::kDisabled) {
        // Only the Link API links under Disabled: an administrator does it.
        IdentityProviderLink link;
        link.identity_provider_id = w.provider.id;
        link.identity_provider_user_id = claims["sub"].get<std::string>();
        link.user_id = w.richard.id;
        BULWARK_RETURN_IF_ERROR(w.engine->identity_provider_links().Link(link).status());
        BULWARK_ASSIGN_OR_RETURN(LoginResponse again, w.LoginThroughProvider(claims));
        step.account = w.Which(again);
        step.story =
            "404: nothing links automatically. An administrator linked the identity "
            "with the Link API; the next login went into his account.";
      } else {
        step.account = Account::kNone;
        step.story = "404: no account matches, and this strategy never creates one.";
      }
      break;
    default: {
      step.account = w.Which(*first);
      const User& user = *first->user;
      if (step.account == Account::kExisting) {
        step.story = "Linked to his existing account.";
      } else if (user.email.empty() && user.username.empty()) {
        step.story = "A new account with neither email nor username, linked.";
      } else {
        step.story = "A new, second account (" + (user.email.empty() ? user.username : user.email) +
                     "), linked.";
      }
      break;
    }
  }
  return step;
}

}  // namespace

Result<std::vector<Step>> Run() {
  const LinkingStrategy strategies[] = {LinkingStrategy::kCreatePendingLink,
                                        LinkingStrategy::kDisabled,
                                        LinkingStrategy::kLinkAnonymously,
                                        LinkingStrategy::kLinkByEmail,
                                        LinkingStrategy::kLinkByEmailForExistingUser,
                                        LinkingStrategy::kLinkByUsername,
                                        LinkingStrategy::kLinkByUsernameForExistingUser};
  const nlohmann::json different_email = {{"sub", "hooli-1001"},
                                          {"email", "richard@hooli.com"},
                                          {"email_verified", true},
                                          {"preferred_username", "richard"}};
  const nlohmann::json bare = {{"sub", "hooli-1001"}};
  std::vector<Step> steps;
  for (const auto& [scenario, claims] :
       {std::pair<std::string, nlohmann::json>{"different emails", different_email},
        std::pair<std::string, nlohmann::json>{"no email, no username", bare}}) {
    for (LinkingStrategy strategy : strategies) {
      BULWARK_ASSIGN_OR_RETURN(Step step, Walk(scenario, claims, strategy));
      steps.push_back(std::move(step));
    }
  }
  return steps;
}

}  // namespace walkthrough
