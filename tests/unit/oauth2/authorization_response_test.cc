// SPDX-License-Identifier: Apache-2.0
//
// Authorization responses (oauth2/authorization_response.h) in each response_mode: where the
// parameters go, how they are encoded, and a form_post page that nothing can inject into.
#include "oauth2/authorization_response.h"

#include <catch2/catch.hpp>
#include <string>
#include <variant>

namespace bulwark::oauth2 {
namespace {

std::string LocationOf(const AuthorizationResponse& response) {
  const auto* redirect = std::get_if<AuthorizationRedirect>(&response);
  REQUIRE(redirect != nullptr);
  return redirect->location;
}

const ResponseParameters kCodeAndState = {
    {"code", "SplxlOBeZQQYbYS6WxSbIA"}, {"state", "xyz"}, {"iss", "https://auth.example.com"}};

TEST_CASE("query: the parameters join the redirect_uri's query", "[oauth2]") {
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb", ResponseMode::kQuery,
                                              kCodeAndState)) ==
        "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz"
        "&iss=https%3A%2F%2Fauth.example.com");
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb?tab=1",
                                              ResponseMode::kQuery, {{"code", "c"}})) ==
        "https://client.example.com/cb?tab=1&code=c");
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb?",
                                              ResponseMode::kQuery, {{"code", "c"}})) ==
        "https://client.example.com/cb?code=c");
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb?tab=1&",
                                              ResponseMode::kQuery, {{"code", "c"}})) ==
        "https://client.example.com/cb?tab=1&code=c");
  // A fragment stays last.
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb#top",
                                              ResponseMode::kQuery, {{"code", "c"}})) ==
        "https://client.example.com/cb?code=c#top");
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb", ResponseMode::kQuery,
                                              {})) == "https://client.example.com/cb");
}

TEST_CASE("fragment: the parameters go in the fragment", "[oauth2]") {
  CHECK(LocationOf(BuildAuthorizationResponse(
            "https://client.example.com/cb?tab=1", ResponseMode::kFragment,
            {{"access_token", "a.b.c"}, {"token_type", "Bearer"}, {"state", "s"}})) ==
        "https://client.example.com/cb?tab=1#access_token=a.b.c&token_type=Bearer&state=s");
  CHECK(LocationOf(BuildAuthorizationResponse("https://client.example.com/cb#x",
                                              ResponseMode::kFragment, {{"code", "c"}})) ==
        "https://client.example.com/cb#x&code=c");
}

TEST_CASE("values are percent-encoded so that none can add a parameter", "[oauth2][security]") {
  const auto encoded = [](std::string value) {
    return LocationOf(BuildAuthorizationResponse("https://c.example.com/cb", ResponseMode::kQuery,
                                                 {{"state", std::move(value)}}));
  };
  CHECK(encoded("AZaz09-._~") == "https://c.example.com/cb?state=AZaz09-._~");
  CHECK(encoded("a b&c=d#e?f/g+h%") ==
        "https://c.example.com/cb?state=a+b%26c%3Dd%23e%3Ff%2Fg%2Bh%25");
  CHECK(encoded("\xc3\xa9\r\n") == "https://c.example.com/cb?state=%C3%A9%0D%0A");
  CHECK(encoded(std::string("a\0b", 3)) == "https://c.example.com/cb?state=a%00b");
  const std::string location = LocationOf(BuildAuthorizationResponse(
      "https://client.example.com/cb", ResponseMode::kQuery, {{"state", "x&code=forged#y"}}));
  CHECK(location == "https://client.example.com/cb?state=x%26code%3Dforged%23y");
}

TEST_CASE("form_post: a page that posts the parameters, and nothing else", "[oauth2][security]") {
  const AuthorizationResponse response = BuildAuthorizationResponse(
      "https://client.example.com/cb?a=1&b=2", ResponseMode::kFormPost,
      {{"code", "c0de"}, {"state", "\"><script>alert(1)</script><x y='"}});
  const auto* page = std::get_if<AuthorizationFormPost>(&response);
  REQUIRE(page != nullptr);
  const std::string& html = page->html;
  CHECK(html.find(R"(<form method="post" action="https://client.example.com/cb?a=1&amp;b=2">)") !=
        std::string::npos);
  CHECK(html.find(R"(<input type="hidden" name="code" value="c0de">)") != std::string::npos);
  CHECK(html.find(R"(<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;)"
                  R"(alert(1)&lt;/script&gt;&lt;x y=&#39;">)") != std::string::npos);
  // The state's script is text; the page has one script, the submit.
  CHECK(html.find("<script>alert") == std::string::npos);
  std::size_t scripts = 0;
  for (std::size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1)) {
    ++scripts;
  }
  CHECK(scripts == 1);
  CHECK(html.find("<script>document.forms[0].submit();</script>") != std::string::npos);
  CHECK(html.find("<noscript><button type=\"submit\">Continue</button></noscript>") !=
        std::string::npos);
  // base64(SHA-256("document.forms[0].submit();")), computed outside bulwark.
  CHECK(page->content_security_policy ==
        "default-src 'none'; script-src 'sha256-8lDeP0UDwCO6/RhblgeH/ctdBzjVpJxrXizsnIk3cEQ='; "
        "base-uri 'none'; frame-ancestors 'none'");
}

TEST_CASE("response_mode names", "[oauth2]") {
  CHECK(ParseResponseMode("query") == ResponseMode::kQuery);
  CHECK(ParseResponseMode("fragment") == ResponseMode::kFragment);
  CHECK(ParseResponseMode("form_post") == ResponseMode::kFormPost);
  CHECK_FALSE(ParseResponseMode("").has_value());
  CHECK_FALSE(ParseResponseMode("Query").has_value());
  CHECK_FALSE(ParseResponseMode("web_message").has_value());
  for (const ResponseMode mode :
       {ResponseMode::kQuery, ResponseMode::kFragment, ResponseMode::kFormPost}) {
    CHECK(ParseResponseMode(ToString(mode)) == mode);
  }
  CHECK(HtmlEscape("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  // base64(SHA-256("body{color:red}")), computed outside bulwark.
  CHECK(CspHashSource("body{color:red}") ==
        "'sha256-FcQqt3aNlV7AZnGV4zkQRVeCeJOxbMPnQSx258L803E='");
}

}  // namespace
}  // namespace bulwark::oauth2
