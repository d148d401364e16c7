// SPDX-License-Identifier: Apache-2.0
// Private: whether a URL a client sends (redirect_uri, post_logout_redirect_uri, an Origin) is
// one of the application's authorized URLs, under its authorizedURLValidationPolicy.
//
// ExactMatch compares strings, and only with the entries that hold no '*'. AllowWildcards
// also lets an entry hold FusionAuth's wildcards (its "URL Validation" page, 1.43+), each
// standing for one or more characters:
//   host   at most one '*', in the left-most label only, whole or partial
//          (https://*.example.com, https://blah*.example.com), in a name of three labels or
//          more and never in an IP address; it stands for letters, digits and '-' (no '.',
//          ':', '/', '?');
//   port   the whole port only (https://example.com:*); it stands for digits;
//   path   at most one '*' per segment, whole or partial; it stands for anything but '/',
//          '?' and '#';
//   query  a whole value only (?foo=*), never in a name; it stands for anything but '&' and
//          '#'; the URL has the entry's parameters, in its order, and no others.
// An entry that breaks those rules matches nothing but itself, compared as a string.
//
// Beyond FusionAuth's text, a URL only matches an entry with wildcards when nothing in it
// can make a browser go elsewhere than the entry says: no user info, no fragment, no
// backslash, no dot segment (".", "..", or their percent-encoded forms), no encoded slash
// or backslash, no '%' or '*' in what a wildcard stands for, a host of ASCII letters, digits,
// '-' and '.' with no empty label (so no trailing dot), and a port of digits. The scheme and
// host compare without regard to ASCII case; everything else compares exactly (so an explicit
// default port is not the absent one).
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_AUTHORIZED_URL_H_
#define BULWARK_OAUTH2_AUTHORIZED_URL_H_

#include <string>
#include <string_view>
#include <vector>

#include "bulwark/model/application.h"

namespace bulwark::oauth2 {

// True when `url` is one of `authorized` under `policy`.
bool IsAuthorizedUrl(std::string_view url, const std::vector<std::string>& authorized,
                     UrlValidationPolicy policy);

// True when `entry` matches `url` as an AllowWildcards entry: `url` equal to it, or it is a
// valid wildcard pattern that `url` fits.
bool MatchesWildcardEntry(std::string_view entry, std::string_view url);

// True when `entry` holds a '*' and is a wildcard pattern FusionAuth's rules allow (above).
bool IsValidWildcardEntry(std::string_view entry);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_AUTHORIZED_URL_H_
