// SPDX-License-Identifier: Apache-2.0
// IdentityProviderLinkService: the Link API and pending links.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/http/wire_json.h"
#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;

IdentityProviderLink LinkOf(const IdentityProvider& provider, std::string provider_user_id,
                            UserId user_id) {
  IdentityProviderLink link;
  link.identity_provider_id = provider.id;
  link.identity_provider_user_id = std::move(provider_user_id);
  link.user_id = user_id;
  link.display_name = "richard@piedpiper.com";
  link.token = "opaque";
  return link;
}

TEST_CASE("links are created, retrieved and removed", "[engine][links]") {
  FederationFixture f;
  IdentityProvider provider = f.CreateProvider(f.ExternalJwtProvider());
  User richard = REQUIRE_VALUE(
      f.engine->users().Create(test::EngineFixture::NewUser("richard@piedpiper.com")));
  User jared =
      REQUIRE_VALUE(f.engine->users().Create(test::EngineFixture::NewUser("jared@piedpiper.com")));
  f.events->Clear();

  IdentityProviderLink created =
      REQUIRE_VALUE(f.engine->identity_provider_links().Link(LinkOf(provider, "42", richard.id)));
  CHECK(created.tenant_id == f.default_tenant());
  CHECK(created.insert_instant == f.clock->Now());
  CHECK(created.identity_provider_name == "Pied Piper IdP");
  CHECK(f.events->Count(EventType::kUserIdentityProviderLink) == 1);

  IdentityProviderLink found =
      REQUIRE_VALUE(f.engine->identity_provider_links().Retrieve(provider.id, "42"));
  CHECK(found.user_id == richard.id);
  CHECK(found.token == "opaque");
  CHECK(found.identity_provider_type == IdentityProviderType::kExternalJwt);
  nlohmann::json json = ToJson(found);
  CHECK(json["identityProviderUserId"] == "42");
  CHECK(json["userId"] == richard.id.ToString());
  CHECK(json["identityProviderName"] == "Pied Piper IdP");

  // Someone else's link is not found through them.
  CHECK(f.engine->identity_provider_links().Retrieve(provider.id, "42", jared.id).status().code() ==
        StatusCode::kNotFound);
  CHECK(f.engine->identity_provider_links().RetrieveByUser(richard.id)->size() == 1);
  CHECK(f.engine->identity_provider_links().RetrieveByUser(jared.id)->empty());

  SECTION("an identity links to one user only") {
    Result<IdentityProviderLink> again =
        f.engine->identity_provider_links().Link(LinkOf(provider, "42", jared.id));
    CHECK(again.status().code() == StatusCode::kAlreadyExists);
    CHECK(again.status().errors().HasField("duplicate", "identityProviderLink"));
  }
  SECTION("the request is checked") {
    IdentityProviderLink bad;
    Status s = f.engine->identity_provider_links().Link(bad).status();
    CHECK(s.errors().HasField("blank", "identityProviderLink.identityProviderId"));
    CHECK(s.errors().HasField("blank", "identityProviderLink.identityProviderUserId"));
    CHECK(s.errors().HasField("blank", "identityProviderLink.userId"));
    CHECK(f.engine->identity_provider_links()
              .Link(LinkOf(provider, "43", REQUIRE_VALUE(UserId::Generate(*f.random))))
              .status()
              .errors()
              .HasField("invalid", "identityProviderLink.userId"));
  }
  SECTION("unlink removes it and reports it") {
    f.events->Clear();
    CHECK(f.engine->identity_provider_links().Unlink(provider.id, "42", jared.id).status().code() ==
          StatusCode::kNotFound);
    IdentityProviderLink removed =
        REQUIRE_VALUE(f.engine->identity_provider_links().Unlink(provider.id, "42", richard.id));
    CHECK(removed.user_id == richard.id);
    CHECK(f.engine->identity_provider_links().Retrieve(provider.id, "42").status().code() ==
          StatusCode::kNotFound);
    CHECK(f.events->Count(EventType::kUserIdentityProviderUnlink) == 1);
  }
  SECTION("a deleted user takes its links along") {
    REQUIRE_OK(f.engine->users().Delete(richard.id));
    CHECK(f.engine->identity_provider_links().Retrieve(provider.id, "42").status().code() ==
          StatusCode::kNotFound);
  }
  SECTION("a deleted provider takes its links along") {
    REQUIRE_OK(f.engine->identity_providers().Delete(provider.id));
    CHECK(f.engine->identity_provider_links().RetrieveByUser(richard.id)->empty());
  }
}

TEST_CASE("concurrent links cannot pass the link limit", "[engine][links][concurrency]") {
  test::TempDbPath path;
  FederationFixture f(path.str());
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.tenant_configuration[f.default_tenant()] = {.limit_user_link_count_enabled = true,
                                                       .limit_user_link_count_maximum_links = 2};
  provider = f.CreateProvider(provider);
  User richard = REQUIRE_VALUE(
      f.engine->users().Create(test::EngineFixture::NewUser("richard@piedpiper.com")));
  constexpr int kThreads = 6;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[i] = f.engine->identity_provider_links()
                       .Link(LinkOf(provider, "id-" + std::to_string(i), richard.id))
                       .status();
    });
  }
  for (std::thread& t : threads) t.join();
  int ok = 0;
  for (const Status& s : results) {
    if (s.ok()) {
      ++ok;
    } else {
      CHECK(s.errors().HasGeneral("[LinkCountExceeded]"));
    }
  }
  CHECK(ok == 2);
  CHECK(f.engine->identity_provider_links().RetrieveByUser(richard.id)->size() == 2);
}

TEST_CASE("a pending link is retrieved, completed once, and expires", "[engine][links]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider(LinkingStrategy::kCreatePendingLink);
  provider.tenant_configuration[f.default_tenant()] = {.limit_user_link_count_enabled = true,
                                                       .limit_user_link_count_maximum_links = 3};
  provider = f.CreateProvider(provider);
  User richard = REQUIRE_VALUE(
      f.engine->users().Create(test::EngineFixture::NewUser("richard@piedpiper.com")));

  const std::string token = f.Mint(
      {{"sub", "ext-9"}, {"email", "richard@piedpiper.com"}, {"preferred_username", "richard"}});
  Result<LoginResponse> pending = f.LoginWith(provider, token);
  REQUIRE_OK(pending);
  REQUIRE(pending->outcome == LoginOutcome::kPendingLink);
  const std::string id = pending->pending_idp_link_id;
  REQUIRE_FALSE(id.empty());

  PendingIdPLinkResponse seen =
      REQUIRE_VALUE(f.engine->identity_provider_links().RetrievePending(id, richard.id));
  CHECK(seen.pending_idp_link.identity_provider_user_id == "ext-9");
  CHECK(seen.pending_idp_link.email == "richard@piedpiper.com");
  CHECK(seen.pending_idp_link.username == "richard");
  CHECK(seen.pending_idp_link.identity_provider_name == "Pied Piper IdP");
  CHECK(seen.link_count == 0);
  CHECK(seen.identity_provider_tenant_configuration.limit_user_link_count_maximum_links == 3);
  REQUIRE(seen.pending_idp_link.user.has_value());
  CHECK(seen.pending_idp_link.user->id == richard.id);
  CHECK(seen.pending_idp_link.user->password_hash.hash.empty());
  nlohmann::json json = ToJson(seen);
  CHECK(json["linkCount"] == 0);
  CHECK(json["identityProviderTenantConfiguration"]["limitUserLinkCount"]["maximumLinks"] == 3);
  CHECK(json["pendingIdPLink"]["identityProviderUserId"] == "ext-9");

  SECTION("completing links the identity; the next login goes straight in") {
    IdentityProviderLink link =
        REQUIRE_VALUE(f.engine->identity_provider_links().CompletePendingLink(id, richard.id));
    CHECK(link.user_id == richard.id);
    CHECK(link.identity_provider_user_id == "ext-9");
    // Only once.
    CHECK(f.engine->identity_provider_links().CompletePendingLink(id, richard.id).status().code() ==
          StatusCode::kNotFound);
    Result<LoginResponse> again = f.LoginWith(provider, token);
    REQUIRE_OK(again);
    CHECK(again->outcome == LoginOutcome::kSuccess);
    CHECK(again->user->id == richard.id);
  }
  SECTION("it expires after the tenant's time to live") {
    f.clock->Advance(std::chrono::seconds(3600));
    CHECK(f.engine->identity_provider_links().RetrievePending(id).status().code() ==
          StatusCode::kNotFound);
    CHECK(f.engine->identity_provider_links().CompletePendingLink(id, richard.id).status().code() ==
          StatusCode::kNotFound);
  }
  SECTION("an unknown id is not found") {
    CHECK(f.engine->identity_provider_links().RetrievePending("nope").status().code() ==
          StatusCode::kNotFound);
    CHECK(f.engine->identity_provider_links().CompletePendingLink("", richard.id).status().code() ==
          StatusCode::kNotFound);
  }
  SECTION("of two completions, exactly one wins") {
    User jared = REQUIRE_VALUE(
        f.engine->users().Create(test::EngineFixture::NewUser("jared@piedpiper.com")));
    Result<IdentityProviderLink> a =
        f.engine->identity_provider_links().CompletePendingLink(id, jared.id);
    Result<IdentityProviderLink> b =
        f.engine->identity_provider_links().CompletePendingLink(id, richard.id);
    CHECK(a.ok() != b.ok());
  }
}

}  // namespace
}  // namespace bulwark
