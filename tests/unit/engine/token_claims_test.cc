// SPDX-License-Identifier: Apache-2.0
// An access token's claims written straight to text (engine/token_issuer.h) are the text the
// DOM writer makes of the same claims, member for member, for every shape a login produces:
// with and without an application, a registration, roles, an email, a username and a
// refresh-token session, and with strings that need escaping or are not ASCII.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "bulwark/testing/status_matchers.h"
#include "engine/token_issuer.h"
#include "json/write.h"

namespace bulwark {
namespace {

using internal::AccessTokenClaimsJson;
using internal::AccessTokenClaimsText;
using internal::AccessTokenClaimValues;

template <typename I>
I IdOf(const char* text) {
  return I::Parse(text).value();
}

AccessTokenClaimValues Full(const std::vector<std::string>* roles) {
  AccessTokenClaimValues v;
  v.application_id = IdOf<ApplicationId>("85a03867-dccf-4882-adde-1a79aeec50df");
  v.roles = roles;
  v.exp = 1'700'003'600;
  v.iat = 1'700'000'000;
  v.auth_time = 1'699'999'999;
  v.issuer = "acme.com";
  v.subject = IdOf<UserId>("2ffc2e7e-2b6d-4a4f-9d6a-5b8c3a1d2e3f");
  v.jti = IdOf<EventId>("1d4e3a2b-5c6d-4e7f-8a9b-0c1d2e3f4a5b").uuid();
  v.authentication_type = "PASSWORD";
  v.email = "richard@piedpiper.example";
  v.email_verified = true;
  v.username = "richard";
  v.sid = IdOf<RefreshTokenId>("4b5c6d7e-8f90-4a1b-2c3d-4e5f6a7b8c9d").uuid();
  v.scope = "openid offline_access";
  v.tenant_id = IdOf<TenantId>("5f0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e6f");
  return v;
}

std::string ViaDom(const AccessTokenClaimValues& v) {
  Result<std::string> text = internal::WriteJson(AccessTokenClaimsJson(v));
  REQUIRE_OK(text);
  return *text;
}

std::string Direct(const AccessTokenClaimValues& v) {
  Result<std::string> text = AccessTokenClaimsText(v);
  REQUIRE_OK(text);
  return *text;
}

TEST_CASE("access token claims: the direct text is the DOM's text", "[token][claims]") {
  const std::vector<std::string> roles = {"admin", "user", "qu\"ote", "ünïcode", "tab\there"};
  const std::vector<std::string> no_roles;

  SECTION("every member") {
    const AccessTokenClaimValues v = Full(&roles);
    CHECK(Direct(v) == ViaDom(v));
    // Written by hand from RFC 8259 and the order std::map gives the keys: the check above
    // would also pass if both writers were wrong the same way.
    CHECK(Direct(Full(nullptr)) ==
          R"({"aud":"85a03867-dccf-4882-adde-1a79aeec50df","auth_time":1699999999,)"
          R"("authenticationType":"PASSWORD","email":"richard@piedpiper.example",)"
          R"("email_verified":true,"exp":1700003600,"iat":1700000000,"iss":"acme.com",)"
          R"("jti":"1d4e3a2b-5c6d-4e7f-8a9b-0c1d2e3f4a5b","preferred_username":"richard",)"
          R"("scope":"openid offline_access","sid":"4b5c6d7e-8f90-4a1b-2c3d-4e5f6a7b8c9d",)"
          R"("sub":"2ffc2e7e-2b6d-4a4f-9d6a-5b8c3a1d2e3f",)"
          R"("tid":"5f0c1a7e-2b8c-4d5e-9f10-1a2b3c4d5e6f"})");
  }
  SECTION("registered with no roles") {
    const AccessTokenClaimValues v = Full(&no_roles);
    CHECK(Direct(v) == ViaDom(v));
    CHECK(Direct(v).find(R"("roles":[])") != std::string::npos);
  }
  SECTION("no application, no session, no email, no username, unverified") {
    AccessTokenClaimValues v = Full(nullptr);
    v.application_id.reset();
    v.sid.reset();
    v.scope = "";
    v.email = "";
    v.username = "";
    v.email_verified = false;
    v.authentication_type = "PING";
    CHECK(Direct(v) == ViaDom(v));
    CHECK(Direct(v).find("aud") == std::string::npos);
  }
  SECTION("strings that need escaping, non-ASCII text, an empty issuer, negative times") {
    AccessTokenClaimValues v = Full(&roles);
    v.issuer = "";
    v.email = "o'neil\\\u00e9@example.com";
    v.username = "line\nbreak\x01";
    v.exp = -1;
    v.iat = 0;
    CHECK(Direct(v) == ViaDom(v));
  }
  SECTION("a string that is not UTF-8 is refused by both") {
    AccessTokenClaimValues v = Full(&roles);
    v.username = "bad\xff";
    CHECK_FALSE(AccessTokenClaimsText(v).ok());
    CHECK_FALSE(internal::WriteJson(AccessTokenClaimsJson(v)).ok());
  }
}

}  // namespace
}  // namespace bulwark
