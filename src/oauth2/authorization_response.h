// SPDX-License-Identifier: Apache-2.0
// Private: how the authorize endpoint hands its answer (a code, tokens, or an error, with
// state and iss) back to the client, in each response_mode:
//   query      a redirect to redirect_uri with the parameters added to its query
//              (RFC 6749 §4.1.2);
//   fragment   a redirect with the parameters in the fragment (§4.2.2);
//   form_post  an HTML page that POSTs them to redirect_uri (OAuth 2.0 Form Post Response
//              Mode): it submits itself with a script whose hash the page's
//              Content-Security-Policy names, and has a button for browsers without scripts.
// Values are encoded as application/x-www-form-urlencoded (RFC 6749 Appendix B; FormUrlEncode), and
// HTML-escaped in the page. The transport sets the status (302 or 200), Location, and the
// headers a page needs (the policy below, no-store); nothing here knows HTTP.
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_AUTHORIZATION_RESPONSE_H_
#define BULWARK_OAUTH2_AUTHORIZATION_RESPONSE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bulwark::oauth2 {

enum class ResponseMode { kQuery, kFragment, kFormPost };

// "query", "fragment" or "form_post"; nullopt for anything else.
std::optional<ResponseMode> ParseResponseMode(std::string_view mode);
std::string_view ToString(ResponseMode mode);

// The parameters of a response, in the order they are written.
using ResponseParameters = std::vector<std::pair<std::string, std::string>>;

// A 302 to `location`.
struct AuthorizationRedirect {
  std::string location;
  friend bool operator==(const AuthorizationRedirect&, const AuthorizationRedirect&) = default;
};

// A 200 HTML page, to be served with `content_security_policy` as its Content-Security-Policy.
struct AuthorizationFormPost {
  std::string html;
  std::string content_security_policy;
  friend bool operator==(const AuthorizationFormPost&, const AuthorizationFormPost&) = default;
};

using AuthorizationResponse = std::variant<AuthorizationRedirect, AuthorizationFormPost>;

// `redirect_uri` is one the application authorizes (checked before; see authorized_url.h).
AuthorizationResponse BuildAuthorizationResponse(std::string_view redirect_uri, ResponseMode mode,
                                                 const ResponseParameters& parameters);

// The Content-Security-Policy source that admits the inline element whose text is `text`:
// 'sha256-<base64 of its SHA-256>'.
std::string CspHashSource(std::string_view text);

// `text` with & < > " ' escaped for HTML text and double-quoted attributes.
std::string HtmlEscape(std::string_view text);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_AUTHORIZATION_RESPONSE_H_
