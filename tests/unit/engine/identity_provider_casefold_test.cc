// SPDX-License-Identifier: Apache-2.0
// The Lookup API compares a domain (or an email's domain) with the managed domains under
// Unicode simple case folding, as the store keeps them.
#include <catch2/catch.hpp>

#include "bulwark/testing/status_matchers.h"
#include "unit/engine/federation_fixture.h"

namespace bulwark {
namespace {

using test::FederationFixture;

TEST_CASE("Lookup finds a provider managing a non-ASCII domain in any case, by domain or email",
          "[engine][idp][casefold]") {
  FederationFixture f;
  IdentityProvider provider = f.ExternalJwtProvider();
  provider.domains = {"B\u00DCCHER.example", "b\u00FCcher.example"};  // BÜCHER, bücher
  IdentityProvider created = f.CreateProvider(provider);
  // Kept case-folded, each once.
  CHECK(created.domains == std::vector<std::string>{"b\u00FCcher.example"});

  for (const char* query : {"b\u00FCcher.example", "B\u00DCCHER.example", "B\u00FCCHER.EXAMPLE",
                            "leser@B\u00DCCHER.example", "LESER@b\u00FCcher.Example"}) {
    INFO(query);
    Result<IdentityProviderLookup> found = f.engine->identity_providers().Lookup(query);
    REQUIRE_OK(found);
    CHECK(found->id == created.id);
  }
  // Folding is not normalisation: fullwidth letters and "ue" for ü are other domains.
  for (const char* query : {"buecher.example", "bucher.example", "\uFF42\u00FCcher.example",
                            "b\u00FCcher.example.", "b\u00FCcher"}) {
    INFO(query);
    CHECK(f.engine->identity_providers().Lookup(query).status().code() == StatusCode::kNotFound);
  }
}

TEST_CASE("a managed domain may hold UTF-8 letters but no control, space or broken byte",
          "[engine][idp][casefold]") {
  FederationFixture f;
  for (const char* domain : {"b\u00FCcher\u00A0.example", "b\u0085cher.example", "b\xC3.example",
                             "b\xFF.example", "b\u00FC cher.example"}) {
    INFO(domain);
    IdentityProvider provider = f.ExternalJwtProvider();
    provider.domains = {domain};
    Result<IdentityProvider> created = f.engine->identity_providers().Create(provider);
    REQUIRE_FALSE(created.ok());
    CHECK(created.status().errors().HasField("invalid", "identityProvider.domains"));
  }
  IdentityProvider greek = f.ExternalJwtProvider();
  greek.domains = {"\u0395\u039B\u039B\u0391\u03A3.example"};  // ΕΛΛΑΣ
  IdentityProvider created = f.CreateProvider(greek);
  CHECK(created.domains ==
        std::vector<std::string>{"\u03B5\u03BB\u03BB\u03B1\u03C3.example"});  // ελλασ
  // Final sigma folds to sigma as well.
  CHECK(f.engine->identity_providers().Lookup("\u03B5\u03BB\u03BB\u03B1\u03C2.example")->id ==
        created.id);
}

}  // namespace
}  // namespace bulwark
