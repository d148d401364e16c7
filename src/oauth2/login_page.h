// SPDX-License-Identifier: Apache-2.0
// Private: the built-in hosted login and consent pages (the types are public:
// bulwark/oauth2/login_page.h).
//
// The contract for clients that script it: an HTML form that POSTs back to `action` with
// FusionAuth's field names, `loginId` and `password`, every OAuth parameter of the request as
// a hidden input, and a CSRF token (`csrf_token`). The page is plain, accessible HTML that
// works without JavaScript (labels bound to their inputs, autocomplete hints, the error
// announced with role="alert"); its strings are localisable (LoginPageStrings), its look
// themeable (a stylesheet the page names by hash in its Content-Security-Policy), and a host
// can replace it whole (LoginPageRenderer) or drive the authorization from its own UI.
//
// Thread-safe: pure functions; a LoginPageRenderer says what it is.
#ifndef BULWARK_SRC_OAUTH2_LOGIN_PAGE_H_
#define BULWARK_SRC_OAUTH2_LOGIN_PAGE_H_

#include <string>
#include <utility>
#include <vector>

#include "bulwark/oauth2/login_page.h"

namespace bulwark::oauth2 {

// The built-in page; `stylesheet` is the CSS it carries (the default theme when empty).
RenderedPage RenderLoginPage(const LoginPageModel& model, const LoginPageStrings& strings,
                             const std::string& stylesheet = std::string());

// The built-in consent page, with the same theme.
RenderedPage RenderConsentPage(const ConsentPageModel& model, const LoginPageStrings& strings,
                               const std::string& stylesheet = std::string());

// The pieces both pages are made of: the stylesheet in force (`stylesheet`, else the default
// theme); the document up to the <h1> `title`; the form's opening with its CSRF token and
// hidden inputs; and the end, with the Content-Security-Policy that admits the page's own
// style and nothing else.
const std::string& PageStylesheet(const std::string& stylesheet);
std::string PageStart(const std::string& language, const std::string& title,
                      const std::string& css);
void AppendFormStart(std::string& html, const std::string& action, const std::string& csrf_token,
                     const std::vector<std::pair<std::string, std::string>>& hidden);
RenderedPage PageEnd(std::string html, const std::string& css);

// The default theme.
const std::string& DefaultLoginStylesheet();

}  // namespace bulwark::oauth2

#endif  // BULWARK_SRC_OAUTH2_LOGIN_PAGE_H_
