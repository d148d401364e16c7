// SPDX-License-Identifier: Apache-2.0
// Every linking strategy against every situation, with the outcome FusionAuth documents for
// it (API reference §2.2 and §2.7): the table below is written from those rules, one row per
// situation, one column per strategy.
#include <catch2/catch.hpp>

#include <array>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bulwark/http/wire_json.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;

// What happens, as the test checks it.
enum class Expect {
  kCreated,          // 200 (202 without createRegistration): a new user, linked
  kLinkedExisting,   // 200: the existing matching user, newly linked
  kReturning,        // 200: the user of the existing link
  kPending,          // 232 with a pendingIdPLinkId; no link, no user
  kNotFound,         // 404; no link, no user
  kEmailUnverified,  // 400 [IdentityProviderEmailNotVerified]
  kEmailMissing,     // 400 [IdentityProviderEmailMissing]
  kUsernameMissing,  // 400 [IdentityProviderUsernameMissing]
  kLinkLimit,        // 400 [LinkCountExceeded]
};

const char* Name(Expect e) {
  switch (e) {
    case Expect::kCreated:
      return "created";
    case Expect::kLinkedExisting:
      return "linked to the existing user";
    case Expect::kReturning:
      return "returning";
    case Expect::kPending:
      return "pending link (232)";
    case Expect::kNotFound:
      return "404";
    case Expect::kEmailUnverified:
      return "400 email not verified";
    case Expect::kEmailMissing:
      return "400 email missing";
    case Expect::kUsernameMissing:
      return "400 username missing";
    case Expect::kLinkLimit:
      return "400 link limit";
  }
  return "?";
}

// Who is already in the tenant before the identity logs in. The identity is always
// sub "ext-1", email richard@piedpiper.com, preferred_username richard (as the situation
// leaves them).
enum class Existing {
  kNobody,
  kByEmail,        // richard@piedpiper.com, username "dick"
  kByUsername,     // other@hooli.test, username "richard"
  kLinked,         // richard@piedpiper.com, already linked to ext-1
  kByBothAtLimit,  // richard@piedpiper.com + "richard", already linked to ext-0; limit 1
};

struct Situation {
  const char* name;
  Existing existing;
  std::optional<bool> email_verified;  // nullopt: the claim is absent
  bool email = true;                   // the identity has an email
  bool username = true;                // the identity has a username
  bool create_registration = true;
  // CreatePendingLink, Disabled, LinkAnonymously, LinkByEmail, LinkByEmailForExistingUser,
  // LinkByUsername, LinkByUsernameForExistingUser.
  std::array<Expect, 7> expect;
};

constexpr std::array<LinkingStrategy, 7> kStrategies = {
    LinkingStrategy::kCreatePendingLink,
    LinkingStrategy::kDisabled,
    LinkingStrategy::kLinkAnonymously,
    LinkingStrategy::kLinkByEmail,
    LinkingStrategy::kLinkByEmailForExistingUser,
    LinkingStrategy::kLinkByUsername,
    LinkingStrategy::kLinkByUsernameForExistingUser};

using E = Expect;
// clang-format off
const Situation kSituations[] = {
  //                                                                        Pending      Disabled     Anonymous  ByEmail              ByEmailExisting      ByUsername           ByUsernameExisting
  {"a new person, email verified",             Existing::kNobody,       true,  true,  true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kCreated,         E::kNotFound,        E::kCreated,         E::kNotFound}},
  {"a user with that email exists",            Existing::kByEmail,      true,  true,  true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kLinkedExisting,  E::kLinkedExisting,  E::kCreated,         E::kNotFound}},
  {"a user with that email, email unverified", Existing::kByEmail,      false, true,  true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kEmailUnverified, E::kEmailUnverified, E::kCreated,         E::kNotFound}},
  {"a user with that email, verified unsaid",  Existing::kByEmail,      std::nullopt, true, true, true, {E::kPending, E::kNotFound, E::kCreated, E::kLinkedExisting, E::kLinkedExisting, E::kCreated,       E::kNotFound}},
  {"a user with that username exists",         Existing::kByUsername,   true,  true,  true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kCreated,         E::kNotFound,        E::kLinkedExisting,  E::kLinkedExisting}},
  {"a new person, email unverified",           Existing::kNobody,       false, true,  true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kEmailUnverified, E::kEmailUnverified, E::kCreated,         E::kNotFound}},
  {"a new person without email",               Existing::kNobody,       true,  false, true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kEmailMissing,    E::kEmailMissing,    E::kCreated,         E::kNotFound}},
  {"a new person without username",            Existing::kNobody,       true,  true,  false, true,  {E::kPending, E::kNotFound, E::kCreated, E::kCreated,         E::kNotFound,        E::kUsernameMissing, E::kUsernameMissing}},
  {"neither email nor username",               Existing::kNobody,       std::nullopt, false, false, true, {E::kPending, E::kNotFound, E::kCreated, E::kEmailMissing, E::kEmailMissing,  E::kUsernameMissing, E::kUsernameMissing}},
  {"the identity is linked already",           Existing::kLinked,       false, true,  true,  true,  {E::kReturning, E::kReturning, E::kReturning, E::kReturning,  E::kReturning,       E::kReturning,       E::kReturning}},
  {"the matching user is at the link limit",   Existing::kByBothAtLimit, true, true,  true,  true,  {E::kPending, E::kNotFound, E::kCreated, E::kLinkLimit,       E::kLinkLimit,       E::kLinkLimit,       E::kLinkLimit}},
  {"a new person, createRegistration off",     Existing::kNobody,       true,  true,  true,  false, {E::kPending, E::kNotFound, E::kCreated, E::kCreated,         E::kNotFound,        E::kCreated,         E::kNotFound}},
  {"an existing user, createRegistration off", Existing::kByEmail,      true,  true,  true,  false, {E::kPending, E::kNotFound, E::kCreated, E::kLinkedExisting,  E::kLinkedExisting,  E::kCreated,         E::kNotFound}},
};
// clang-format on

const char* GeneralCode(Expect e) {
  switch (e) {
    case Expect::kEmailUnverified:
      return "[IdentityProviderEmailNotVerified]";
    case Expect::kEmailMissing:
      return "[IdentityProviderEmailMissing]";
    case Expect::kUsernameMissing:
      return "[IdentityProviderUsernameMissing]";
    case Expect::kLinkLimit:
      return "[LinkCountExceeded]";
    default:
      return "";
  }
}

TEST_CASE("every linking strategy in every situation", "[engine][reconcile][strategy]") {
  for (const Situation& situation : kSituations) {
    for (std::size_t column = 0; column < kStrategies.size(); ++column) {
      const LinkingStrategy strategy = kStrategies[column];
      const Expect expect = situation.expect[column];
      INFO("situation: " << situation.name << "; strategy: " << ToString(strategy)
                         << "; expected: " << Name(expect));
      FederationFixture f;
      IdentityProvider provider = f.ExternalJwtProvider(strategy);
      provider.application_configuration[f.app.id].create_registration =
          situation.create_registration;
      if (situation.existing == Existing::kByBothAtLimit) {
        provider.tenant_configuration[f.default_tenant()] = {
            .limit_user_link_count_enabled = true, .limit_user_link_count_maximum_links = 1};
      }
      provider = f.CreateProvider(provider);

      std::optional<User> existing;
      auto make_user = [&](const char* email, const char* username) {
        User u = test::EngineFixture::NewUser(email);
        u.username = username;
        existing = REQUIRE_VALUE(f.engine->users().Create(u));
      };
      auto link = [&](const char* provider_user_id) {
        IdentityProviderLink l;
        l.identity_provider_id = provider.id;
        l.identity_provider_user_id = provider_user_id;
        l.user_id = existing->id;
        REQUIRE_OK(f.engine->identity_provider_links().Link(l));
      };
      switch (situation.existing) {
        case Existing::kNobody:
          break;
        case Existing::kByEmail:
          make_user("richard@piedpiper.com", "dick");
          break;
        case Existing::kByUsername:
          make_user("other@hooli.test", "richard");
          break;
        case Existing::kLinked:
          make_user("richard@piedpiper.com", "dick");
          link("ext-1");
          break;
        case Existing::kByBothAtLimit:
          make_user("richard@piedpiper.com", "richard");
          link("ext-0");
          break;
      }
      const std::size_t links_before =
          existing ? f.engine->identity_provider_links().RetrieveByUser(existing->id)->size() : 0;

      nlohmann::json claims = {{"sub", "ext-1"}};
      if (situation.email) claims["email"] = "richard@piedpiper.com";
      if (situation.username) claims["preferred_username"] = "richard";
      if (situation.email_verified.has_value())
        claims["email_verified"] = *situation.email_verified;
      f.events->Clear();
      Result<LoginResponse> r = f.LoginWith(provider, f.Mint(claims));
      Result<IdentityProviderLink> stored_link =
          f.engine->identity_provider_links().Retrieve(provider.id, "ext-1");

      switch (expect) {
        case Expect::kCreated: {
          REQUIRE_OK(r);
          CHECK(r->outcome == (situation.create_registration ? LoginOutcome::kSuccess
                                                             : LoginOutcome::kNotRegistered));
          REQUIRE(r->user.has_value());
          if (existing) CHECK(r->user->id != existing->id);
          REQUIRE_OK(stored_link);
          CHECK(stored_link->user_id == r->user->id);
          CHECK(r->user->registrations.size() == (situation.create_registration ? 1u : 0u));
          if (strategy == LinkingStrategy::kLinkAnonymously) {
            CHECK(r->user->email.empty());
            CHECK(r->user->username.empty());
          }
          if (strategy == LinkingStrategy::kLinkByEmail) {
            CHECK(r->user->email == "richard@piedpiper.com");
          }
          if (strategy == LinkingStrategy::kLinkByUsername) CHECK(r->user->username == "richard");
          CHECK(f.events->Count(EventType::kUserCreate) == 1);
          CHECK(f.events->Count(EventType::kUserIdentityProviderLink) == 1);
          break;
        }
        case Expect::kLinkedExisting:
          REQUIRE_OK(r);
          CHECK(r->outcome == (situation.create_registration ? LoginOutcome::kSuccess
                                                             : LoginOutcome::kNotRegistered));
          REQUIRE(existing.has_value());
          CHECK(r->user->id == existing->id);
          REQUIRE_OK(stored_link);
          CHECK(stored_link->user_id == existing->id);
          CHECK(f.events->Count(EventType::kUserCreate) == 0);
          CHECK(f.events->Count(EventType::kUserIdentityProviderLink) == 1);
          break;
        case Expect::kReturning:
          REQUIRE_OK(r);
          CHECK(r->outcome == LoginOutcome::kSuccess);
          REQUIRE(existing.has_value());
          CHECK(r->user->id == existing->id);
          CHECK(f.events->Count(EventType::kUserCreate) == 0);
          CHECK(f.events->Count(EventType::kUserIdentityProviderLink) == 0);
          break;
        case Expect::kPending:
          REQUIRE_OK(r);
          CHECK(r->outcome == LoginOutcome::kPendingLink);
          CHECK_FALSE(r->pending_idp_link_id.empty());
          CHECK(r->token.empty());
          CHECK_FALSE(r->user.has_value());
          CHECK(stored_link.status().code() == StatusCode::kNotFound);
          CHECK(ToJson(*r) == nlohmann::json{{"pendingIdPLinkId", r->pending_idp_link_id}});
          CHECK(f.events->Count(EventType::kUserCreate) == 0);
          break;
        case Expect::kNotFound:
          REQUIRE_OK(r);
          CHECK(r->outcome == LoginOutcome::kInvalidCredentials);
          CHECK(r->token.empty());
          CHECK(stored_link.status().code() == StatusCode::kNotFound);
          CHECK(f.events->Count(EventType::kUserCreate) == 0);
          break;
        case Expect::kEmailUnverified:
        case Expect::kEmailMissing:
        case Expect::kUsernameMissing:
        case Expect::kLinkLimit:
          REQUIRE_FALSE(r.ok());
          CHECK(r.status().code() == StatusCode::kInvalidArgument);
          CHECK(r.status().errors().HasGeneral(GeneralCode(expect)));
          CHECK(stored_link.status().code() == StatusCode::kNotFound);
          CHECK(f.events->Count(EventType::kUserCreate) == 0);
          break;
      }
      if (existing && expect != Expect::kLinkedExisting) {
        // Nobody else's links moved.
        CHECK(f.engine->identity_provider_links().RetrieveByUser(existing->id)->size() ==
              links_before);
      }
    }
  }
}

}  // namespace
}  // namespace bulwark
