// SPDX-License-Identifier: Apache-2.0
//
// Authorized redirect and origin URLs (oauth2/authorized_url.h): FusionAuth's ExactMatch and
// AllowWildcards policies, its examples of valid and invalid wildcard entries, and URLs that
// try to slip past an entry (user info, encodings, backslashes, dot segments, IDN, trailing
// dots, ports, fragments, and replacements holding '.' or '/').
#include "oauth2/authorized_url.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace bulwark::oauth2 {
namespace {

struct Case {
  const char* entry;
  const char* url;
  bool matches;
};

void CheckAll(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO("entry " << c.entry << "  url " << c.url);
    CHECK(MatchesWildcardEntry(c.entry, c.url) == c.matches);
    CHECK(IsAuthorizedUrl(c.url, {c.entry}, UrlValidationPolicy::kAllowWildcards) == c.matches);
  }
}

TEST_CASE("ExactMatch compares strings, with the entries that hold no wildcard", "[oauth2]") {
  const std::vector<std::string> authorized = {"https://app.example.com/callback",
                                               "https://*.example.com/callback"};
  const auto exact = [&](const char* url) {
    return IsAuthorizedUrl(url, authorized, UrlValidationPolicy::kExactMatch);
  };
  CHECK(exact("https://app.example.com/callback"));
  CHECK_FALSE(exact("https://app.example.com/callback/"));
  CHECK_FALSE(exact("https://APP.example.com/callback"));
  CHECK_FALSE(exact("https://app.example.com/callback?x=1"));
  CHECK_FALSE(exact("https://app.example.com/Callback"));
  CHECK_FALSE(exact("https://app.example.com:443/callback"));
  CHECK_FALSE(exact("https://other.example.com/callback"));
  // The wildcard entry is not considered, not even as a string.
  CHECK_FALSE(exact("https://*.example.com/callback"));
  CHECK_FALSE(exact(""));
  CHECK_FALSE(IsAuthorizedUrl("", {""}, UrlValidationPolicy::kExactMatch));
  CHECK_FALSE(IsAuthorizedUrl("https://app.example.com/callback", {},
                              UrlValidationPolicy::kAllowWildcards));
}

TEST_CASE("FusionAuth's examples of wildcard entries", "[oauth2]") {
  // Valid: FusionAuth's "URL Validation" page.
  for (const char* valid :
       {"https://*.example.com", "https://blah*.example.com", "https://example.com:*",
        "https://example.com/path/*/resource", "https://example.com/path/pre*/resource",
        "https://example.com/path/*fix/resource", "https://example.com/callback?foo=*",
        "https://example.com/callback?foo=bar&baz=*", "http://localhost:*/callback",
        "http://127.0.0.1:*/callback", "https://*.auth.example.co.uk/*"}) {
    INFO(valid);
    CHECK(IsValidWildcardEntry(valid));
  }
  // Invalid, with FusionAuth's reasons.
  for (const char* invalid : {
           "https://*.com",                            // only two labels
           "https://auth.*.com",                       // not in the left-most label
           "https://*mid*.example.com",                // two wildcards in the host
           "https://*.168.1.1",                        // an IP address
           "https://example.com:4*",                   // a partial port
           "https://example.com/path/*mid*/resource",  // two in one segment
           "https://example.com/callback?f*o=bar",     // in a parameter name
           "https://example.com/callback?foo=b*r",     // part of a value
           "https://example.com/callback?*",           // a name
           "https://*.example.com/callback#*",         // a fragment
           "https://user*@app.example.com/callback",   // user info
           "https*://app.example.com/callback",        // the scheme
           "https://*.example.com\\callback",          // a backslash
           "https://app.example.com/callback",         // no wildcard at all
           "*",                                        // not a URL
       }) {
    INFO(invalid);
    CHECK_FALSE(IsValidWildcardEntry(invalid));
  }
}

TEST_CASE("a wildcard stands for one or more characters of its kind", "[oauth2]") {
  CheckAll({
      // Host: one label, of letters, digits and '-'.
      {"https://*.example.com/cb", "https://app.example.com/cb", true},
      {"https://*.example.com/cb", "https://a-1.example.com/cb", true},
      {"https://*.example.com/cb", "https://APP.Example.COM/cb", true},
      {"HTTPS://*.example.com/cb", "https://app.example.com/cb", true},
      {"https://*.example.com/cb", "https://.example.com/cb", false},
      {"https://*.example.com/cb", "https://example.com/cb", false},
      {"https://*.example.com/cb", "https://a.b.example.com/cb", false},
      {"https://*.example.com/cb", "https://app.example.com.evil.com/cb", false},
      {"https://*.example.com/cb", "https://appexample.com/cb", false},
      {"https://*.example.com/cb", "http://app.example.com/cb", false},
      {"https://blah*.example.com/cb", "https://blah1.example.com/cb", true},
      {"https://blah*.example.com/cb", "https://blah.example.com/cb", false},
      {"https://blah*.example.com/cb", "https://xblah1.example.com/cb", false},
      {"https://*-app.example.com/cb", "https://pr-42-app.example.com/cb", true},
      // Port: digits, the whole port.
      {"https://example.com:*/cb", "https://example.com:8443/cb", true},
      {"https://example.com:*/cb", "https://example.com/cb", false},
      {"https://example.com:*/cb", "https://example.com:/cb", false},
      {"https://example.com:*/cb", "https://example.com:84x3/cb", false},
      {"https://*.example.com/cb", "https://app.example.com:443/cb", false},
      {"http://localhost:*/callback", "http://localhost:3000/callback", true},
      {"http://localhost:*/callback", "http://localhost:3000/callback/", false},
      // Path: within one segment.
      {"https://example.com/path/*/resource", "https://example.com/path/42/resource", true},
      {"https://example.com/path/*/resource", "https://example.com/path//resource", false},
      {"https://example.com/path/*/resource", "https://example.com/path/a/b/resource", false},
      {"https://example.com/path/*/resource", "https://example.com/path/42/resource/x", false},
      {"https://example.com/path/pre*/resource", "https://example.com/path/prefix/resource", true},
      {"https://example.com/path/pre*/resource", "https://example.com/path/pre/resource", false},
      {"https://example.com/path/*fix/resource", "https://example.com/path/suffix/resource", true},
      {"https://example.com/path/*", "https://example.com/path/x", true},
      {"https://example.com/path/*", "https://example.com/path/", false},
      {"https://example.com/Path/*", "https://example.com/path/x", false},
      // Query: whole values, the same parameters in the same order.
      {"https://example.com/cb?foo=*", "https://example.com/cb?foo=bar", true},
      {"https://example.com/cb?foo=*", "https://example.com/cb?foo=a%20b", true},
      {"https://example.com/cb?foo=*", "https://example.com/cb?foo=", false},
      {"https://example.com/cb?foo=*", "https://example.com/cb?foo", false},
      {"https://example.com/cb?foo=*", "https://example.com/cb", false},
      {"https://example.com/cb?foo=*", "https://example.com/cb?foo=bar&x=1", false},
      {"https://example.com/cb?foo=*", "https://example.com/cb?fooo=bar", false},
      {"https://example.com/cb?foo=*&b=2", "https://example.com/cb?foo=1&b=2", true},
      {"https://example.com/cb?foo=*&b=2", "https://example.com/cb?foo=1&b=3", false},
      {"https://example.com/cb?foo=*&b=2", "https://example.com/cb?b=2&foo=1", false},
      {"https://*.example.com/cb", "https://app.example.com/cb?x=1", false},
  });
}

TEST_CASE("URLs that try to slip past a wildcard entry do not match", "[oauth2][security]") {
  CheckAll({
      // User info: the browser goes to what follows the '@'.
      {"https://*.example.com/cb", "https://evil.com@app.example.com/cb", false},
      {"https://*.example.com/cb", "https://app.example.com@evil.com/cb", false},
      {"https://*.example.com/cb", "https://app.example.com:pw@evil.com/cb", false},
      {"https://example.com:*/cb", "https://example.com:1@evil.com/cb", false},
      // Encoded and unusual separators in the host.
      {"https://*.example.com/cb", "https://evil.com%2eexample.com/cb", false},
      {"https://*.example.com/cb", "https://evil.com%2f.example.com/cb", false},
      {"https://*.example.com/cb", "https://evil.com\\.example.com/cb", false},
      {"https://*.example.com/cb", "https://evil.com\\@app.example.com/cb", false},
      {"https://*.example.com/cb", "https://evil.com?.example.com/cb", false},
      {"https://*.example.com/cb", "https://evil.com#.example.com/cb", false},
      {"https://*.example.com/cb", "https://evil.com/.example.com/cb", false},
      {"https://*.example.com/cb", "https://ev*l.example.com/cb", false},
      {"https://*.example.com/cb", "https://ev_l.example.com/cb", false},
      // IDN: only the ASCII (punycode) form.
      {"https://*.example.com/cb", "https://\xc3\xa9vil.example.com/cb", false},
      {"https://*.example.com/cb", "https://xn--vil-bma.example.com/cb", true},
      {"https://*.example.com/cb", "https://app.\xd0\xb5xample.com/cb", false},
      // Trailing dots and empty labels.
      {"https://*.example.com/cb", "https://app.example.com./cb", false},
      {"https://*.example.com/cb", "https://app..example.com/cb", false},
      // Dot segments, plain and encoded, which a browser resolves.
      {"https://example.com/a/*/cb", "https://example.com/a/../cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/./cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/%2e%2e/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/.%2E/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/%2e/cb", false},
      {"https://example.com/a/*", "https://example.com/a/..", false},
      {"https://example.com/*/a/cb", "https://example.com/x/a/../../evil", false},
      // Encoded slashes and backslashes, and backslashes.
      {"https://example.com/a/*/cb", "https://example.com/a/x%2fy/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/x%2Fy/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/x%5cy/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/x\\y/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/%41/cb", false},
      // A replacement holding '/' or '.' where it may not.
      {"https://example.com/a/*/cb", "https://example.com/a/x/y/cb", false},
      {"https://*.example.com/cb", "https://a.b.example.com/cb", false},
      {"https://example.com/a/*/cb", "https://example.com/a/x.y/cb", true},  // '.' is plain
      // Fragments.
      {"https://*.example.com/cb", "https://app.example.com/cb#frag", false},
      {"https://*.example.com/cb", "https://app.example.com/cb#", false},
      {"https://example.com/cb?foo=*", "https://example.com/cb?foo=x#@evil.com", false},
      // Default ports are not the absent one.
      {"https://*.example.com/cb", "https://app.example.com:443/cb", false},
      {"https://example.com:443/*", "https://example.com/x", false},
      // Other schemes and shapes.
      {"https://*.example.com/cb", "javascript://app.example.com/cb", false},
      {"https://*.example.com/cb", "//app.example.com/cb", false},
      {"https://*.example.com/cb", "https:/app.example.com/cb", false},
      {"https://*.example.com/cb", "https://app.example.com", false},
      {"https://*.example.com/cb", "", false},
  });
}

TEST_CASE("an entry that breaks the rules matches only itself", "[oauth2]") {
  CheckAll({
      {"https://*.com/cb", "https://evil.com/cb", false},
      {"https://*.com/cb", "https://*.com/cb", true},
      {"https://auth.*.com/cb", "https://auth.evil.com/cb", false},
      {"https://*.168.1.1/cb", "https://192.168.1.1/cb", false},
      {"https://example.com:4*/cb", "https://example.com:443/cb", false},
      {"https://example.com/*mid*/cb", "https://example.com/amidb/cb", false},
  });
  // An IP host with a wildcard port is fine.
  CheckAll({
      {"http://127.0.0.1:*/cb", "http://127.0.0.1:8080/cb", true},
      {"http://127.0.0.1:*/cb", "http://127.0.0.2:8080/cb", false},
      {"http://[::1]:*/cb", "http://[::1]:8080/cb", true},
      {"http://[::1]:*/cb", "http://[::2]:8080/cb", false},
  });
}

TEST_CASE("origins match as URLs without a path", "[oauth2]") {
  const std::vector<std::string> origins = {"https://*.example.com", "http://localhost:*"};
  const auto allowed = [&](const char* origin) {
    return IsAuthorizedUrl(origin, origins, UrlValidationPolicy::kAllowWildcards);
  };
  CHECK(allowed("https://app.example.com"));
  CHECK(allowed("http://localhost:3000"));
  CHECK_FALSE(allowed("https://app.example.com/"));
  CHECK_FALSE(allowed("https://example.com"));
  CHECK_FALSE(allowed("https://app.example.com.evil.com"));
  CHECK_FALSE(allowed("http://localhost"));
  CHECK_FALSE(allowed("null"));
}

}  // namespace
}  // namespace bulwark::oauth2
