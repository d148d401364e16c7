// SPDX-License-Identifier: Apache-2.0
//
// Authorization codes (oauth2/authorization_code.h) on the SQLite store's artefacts: a code
// redeems once, for its client, redirect_uri and PKCE verifier only, within its lifetime,
// and a replay revokes its grant.
#include "oauth2/authorization_code.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "bulwark/testing/status_matchers.h"
#include "unit/store/store_test_support.h"

namespace bulwark::oauth2 {
namespace {

using store_test::At;
using store_test::Backend;
using store_test::MakeTenant;
using store_test::MakeUser;
using store_test::NewId;
using store_test::TestDb;

// RFC 7636 Appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
constexpr std::chrono::seconds kLifetime{30};

struct Fixture {
  TestDb db{Backend::kFile};
  std::unique_ptr<Store> store = db.Open();
  Tenant tenant = MakeTenant("t");
  Tenant other = MakeTenant("other");
  User user = MakeUser(tenant, "ada@example.com");
  ApplicationId client = NewId<ApplicationId>();
  Instant now = At(0);

  Fixture() {
    WriteBatch setup;
    setup.Insert(tenant);
    setup.Insert(other);
    setup.Insert(user);
    REQUIRE_OK(store->Apply(setup));
  }

  CodeGrant Grant(bool pkce) const {
    CodeGrant grant;
    grant.tenant_id = tenant.id;
    grant.client_id = client;
    grant.user_id = user.id;
    grant.redirect_uri = "https://app.example.com/callback";
    grant.scopes = {"openid", "offline_access"};
    if (pkce) {
      grant.code_challenge = std::string(kChallenge);
      grant.code_challenge_method = CodeChallengeMethod::kS256;
    }
    grant.nonce = "n-0S6_WzA2Mj";
    grant.auth_time = At(-5000);
    grant.session_id = "sid-1";
    grant.grant_id = "grant-1";
    return grant;
  }

  std::string Issue(const CodeGrant& grant) {
    return REQUIRE_VALUE(
        IssueAuthorizationCode(store->artefacts(), Random::Default(), grant, now, kLifetime));
  }

  CodeRedemption Redemption(const std::string& code, bool pkce) const {
    CodeRedemption r;
    r.tenant_id = tenant.id;
    r.code = code;
    r.client_id = client;
    r.redirect_uri = "https://app.example.com/callback";
    if (pkce) r.code_verifier = std::string(kVerifier);
    return r;
  }

  std::variant<CodeGrant, OAuthError> Redeem(const CodeRedemption& r, Instant at) {
    return REQUIRE_VALUE(RedeemAuthorizationCode(store->artefacts(), r, at));
  }
};

std::string ReasonOf(const std::variant<CodeGrant, OAuthError>& outcome) {
  if (const auto* error = std::get_if<OAuthError>(&outcome)) return error->error_reason;
  return "granted";
}

TEST_CASE("a code redeems once, to the grant it was issued for", "[oauth2][code]") {
  Fixture f;
  const CodeGrant grant = f.Grant(/*pkce=*/true);
  const std::string code = f.Issue(grant);
  CHECK(code.size() == 43);
  CHECK(code != f.Issue(grant));  // another code each time
  // The store keeps a digest, not the code.
  CHECK(
      f.store->artefacts().Get(f.tenant.id, kAuthorizationCodeKind, code, f.now).status().code() ==
      StatusCode::kNotFound);

  const auto first = f.Redeem(f.Redemption(code, true), f.now + std::chrono::seconds(29));
  REQUIRE(ReasonOf(first) == "granted");
  CHECK(std::get<CodeGrant>(first) == grant);

  const auto second = f.Redeem(f.Redemption(code, true), f.now + std::chrono::seconds(29));
  CHECK(ReasonOf(second) == "auth_code_not_found");
  CHECK(std::get<OAuthError>(second).error == "invalid_grant");
}

TEST_CASE("a replayed code revokes what its grant holds", "[oauth2][code][security]") {
  Fixture f;
  const CodeGrant grant = f.Grant(false);
  const std::string code = f.Issue(grant);
  CodeGrant sibling = grant;  // another artefact of the same grant, not yet used
  const std::string sibling_code = f.Issue(sibling);
  CodeGrant unrelated = grant;
  unrelated.grant_id = "grant-2";
  const std::string unrelated_code = f.Issue(unrelated);

  REQUIRE(ReasonOf(f.Redeem(f.Redemption(code, false), f.now)) == "granted");
  CHECK(ReasonOf(f.Redeem(f.Redemption(code, false), f.now)) == "auth_code_not_found");
  CHECK(ReasonOf(f.Redeem(f.Redemption(sibling_code, false), f.now)) == "auth_code_not_found");
  CHECK(ReasonOf(f.Redeem(f.Redemption(unrelated_code, false), f.now)) == "granted");
}

TEST_CASE("a code is refused after its lifetime, and in another tenant", "[oauth2][code]") {
  Fixture f;
  const std::string code = f.Issue(f.Grant(false));
  CHECK(ReasonOf(f.Redeem(f.Redemption(code, false), f.now + kLifetime)) == "auth_code_not_found");
  const std::string fresh = f.Issue(f.Grant(false));
  CodeRedemption elsewhere = f.Redemption(fresh, false);
  elsewhere.tenant_id = f.other.id;
  CHECK(ReasonOf(f.Redeem(elsewhere, f.now)) == "auth_code_not_found");
  CHECK(ReasonOf(f.Redeem(f.Redemption(fresh, false), f.now)) == "granted");
}

TEST_CASE("a code is for its client, its redirect_uri and its verifier only",
          "[oauth2][code][security]") {
  Fixture f;
  struct Case {
    const char* name;
    std::function<void(CodeRedemption&)> change;
    bool pkce;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"another client", [](CodeRedemption& r) { r.client_id = NewId<ApplicationId>(); }, true,
       "client_id_mismatch"},
      {"no redirect_uri", [](CodeRedemption& r) { r.redirect_uri.reset(); }, true,
       "invalid_redirect_uri"},
      {"another redirect_uri",
       [](CodeRedemption& r) { r.redirect_uri = "https://app.example.com/callback/"; }, true,
       "invalid_redirect_uri"},
      {"no verifier", [](CodeRedemption& r) { r.code_verifier.reset(); }, true,
       "missing_code_verifier"},
      {"a wrong verifier", [](CodeRedemption& r) { r.code_verifier = std::string(43, 'a'); }, true,
       "invalid_pkce_code_verifier"},
      {"the challenge as verifier",
       [](CodeRedemption& r) { r.code_verifier = std::string(kChallenge); }, true,
       "invalid_pkce_code_verifier"},
      {"a verifier for a code without a challenge",
       [](CodeRedemption& r) { r.code_verifier = std::string(kVerifier); }, false,
       "invalid_pkce_code_verifier"},
      {"a code that was never issued", [](CodeRedemption& r) { r.code = "x" + r.code; }, true,
       "auth_code_not_found"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string code = f.Issue(f.Grant(c.pkce));
    CodeRedemption r = f.Redemption(code, c.pkce);
    c.change(r);
    CHECK(ReasonOf(f.Redeem(r, f.now)) == c.reason);
    // A refused redemption spent the code: the right one cannot follow it.
    CHECK(
        ReasonOf(f.Redeem(f.Redemption(code, c.pkce), f.now)) ==
        (std::string_view(c.reason) == "auth_code_not_found" ? "granted" : "auth_code_not_found"));
  }
  CodeRedemption empty = f.Redemption("", false);
  const auto outcome = f.Redeem(empty, f.now);
  CHECK(ReasonOf(outcome) == "missing_code");
  CHECK(std::get<OAuthError>(outcome).error == "invalid_request");
}

TEST_CASE("of concurrent redemptions of one code exactly one succeeds",
          "[oauth2][code][concurrency]") {
  Fixture f;
  const std::string code = f.Issue(f.Grant(true));
  std::atomic<int> granted{0};
  std::atomic<int> refused{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      Result<std::variant<CodeGrant, OAuthError>> outcome =
          RedeemAuthorizationCode(f.store->artefacts(), f.Redemption(code, true), f.now);
      if (!outcome.ok()) {
        ++failed;
      } else if (std::holds_alternative<CodeGrant>(*outcome)) {
        ++granted;
      } else {
        ++refused;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(granted == 1);
  CHECK(refused == 5);
}

TEST_CASE("a Random that fails or throws issues no code", "[oauth2][code]") {
  struct Broken final : Random {
    Status Fill(std::span<std::byte>) override { return Status::Unavailable("no entropy"); }
  } broken;
  Fixture f;
  Result<std::string> code =
      IssueAuthorizationCode(f.store->artefacts(), broken, f.Grant(false), f.now, kLifetime);
  CHECK(code.status().code() == StatusCode::kUnavailable);
  struct Throwing final : Random {
    Status Fill(std::span<std::byte>) override { throw std::runtime_error("host bug"); }
  } throwing;
  code = IssueAuthorizationCode(f.store->artefacts(), throwing, f.Grant(false), f.now, kLifetime);
  CHECK(code.status().code() == StatusCode::kInternal);
}

}  // namespace
}  // namespace bulwark::oauth2
