// SPDX-License-Identifier: Apache-2.0
// Private: the checks of an authorization request (GET or POST /oauth2/authorize), as an
// ordered table of small named checks (kAuthorizeChecks in the .cc), in FusionAuth's order:
//
//   redirect_uri       present                                  missing_redirect_uri
//   client             client_id present, an active application  missing_client_id,
//                                                                invalid_client_id
//   code_challenge     shaped as RFC 7636 says, its method S256  invalid_pkce_code_challenge,
//                      or plain                                  invalid_pkce_code_challenge_method
//   redirect_uri       one the application authorizes            invalid_redirect_uri
//   ---- from here on the error goes back to the redirect_uri; before, it is shown ----
//   response_type      present; code, or token without openid,   missing_response_type,
//                      or id_token / "id_token token" with it    invalid_response_type
//   pkce_policy        a code_challenge when the policy is       missing_code_challenge
//                      Required
//   response_mode      query, fragment or form_post; query only  invalid_response_mode
//                      for code
//   grant              authorization_code or implicit enabled    grant_type_disabled
//   origin             the Origin (or Referer) authorized, when  invalid_origin,
//                      the application lists origins             invalid_origin_opaque
//   scope              scopes.h                                  unknown_scope
//   nonce              present when an id_token comes back from  invalid_request
//                      the endpoint (OpenID Connect Core §3.2.2.1)
//   prompt             none, login, consent; none alone          invalid_prompt
//   max_age            a non-negative integer                    invalid_request
//
// The outcome is the request as the later steps use it (the login page, the session, the
// code), or where and how to say what is wrong.
//
// Thread-safe: pure functions.
#ifndef BULWARK_OAUTH2_AUTHORIZE_CHECKS_H_
#define BULWARK_OAUTH2_AUTHORIZE_CHECKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bulwark/model/application.h"
#include "bulwark/oauth2/authorization_server.h"  // AuthorizeRequest
#include "oauth2/authorization_response.h"
#include "oauth2/oauth_error.h"
#include "oauth2/pkce.h"

namespace bulwark::oauth2 {

// What the request asks to get back from the endpoint.
struct ResponseTypes {
  bool code = false;
  bool token = false;
  bool id_token = false;
  friend bool operator==(const ResponseTypes&, const ResponseTypes&) = default;
};

// A request that passed every check.
struct CheckedAuthorizeRequest {
  const Application* application = nullptr;
  std::string redirect_uri;
  ResponseTypes response_types;
  ResponseMode response_mode = ResponseMode::kQuery;
  std::vector<std::string> scopes;
  std::string state;  // empty when absent
  std::string nonce;
  std::optional<std::string> code_challenge;
  CodeChallengeMethod code_challenge_method = CodeChallengeMethod::kPlain;
  bool prompt_none = false;
  bool prompt_login = false;
  bool prompt_consent = false;
  std::optional<std::int64_t> max_age;  // seconds
  std::string login_hint;
  std::string idp_hint;
  std::string locale;
};

// A request that failed one: shown on a page when `redirect` is false (the redirect_uri could
// not be trusted), else sent back to `redirect_uri` in `response_mode` with `state`.
struct AuthorizeFailure {
  std::string check;  // the name of the check that failed
  OAuthError error;
  bool redirect = false;
  std::string redirect_uri = {};
  ResponseMode response_mode = ResponseMode::kQuery;
  std::string state = {};
};

using AuthorizeCheckOutcome = std::variant<CheckedAuthorizeRequest, AuthorizeFailure>;

// `application`: the application whose id is the request's client_id, or nullptr when there
// is none. `own_origin`: this server's own base URL's origin (an Origin equal to it is always
// allowed: the hosted login page posts back to it).
AuthorizeCheckOutcome CheckAuthorizeRequest(const AuthorizeRequest& request,
                                            const Application* application,
                                            std::string_view own_origin);

// The names of the checks, in the order they run.
std::vector<std::string_view> AuthorizeCheckNames();

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_AUTHORIZE_CHECKS_H_
