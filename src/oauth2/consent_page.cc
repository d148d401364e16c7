// SPDX-License-Identifier: Apache-2.0
// The built-in consent page.
#include "oauth2/authorization_response.h"  // HtmlEscape
#include "oauth2/login_page.h"

namespace bulwark::oauth2 {
namespace {

// The page's words for a scope: the model's (a custom scope's), else the strings' for the
// scopes the server knows, else the scope's name.
const std::string& ScopeWords(const ConsentScope& scope, const LoginPageStrings& s) {
  if (!scope.message.empty()) return scope.message;
  if (scope.scope == "profile") return s.scope_profile;
  if (scope.scope == "email") return s.scope_email;
  if (scope.scope == "address") return s.scope_address;
  if (scope.scope == "phone") return s.scope_phone;
  if (scope.scope == "offline_access") return s.scope_offline_access;
  return scope.scope;
}

}  // namespace

RenderedPage LoginPageRenderer::RenderConsent(const ConsentPageModel& model,
                                              const LoginPageStrings& strings) {
  return RenderConsentPage(model, strings);
}

RenderedPage RenderConsentPage(const ConsentPageModel& model, const LoginPageStrings& strings,
                               const std::string& stylesheet) {
  const std::string& css = PageStylesheet(stylesheet);
  std::string html = PageStart(strings.language, strings.consent_title, css);
  AppendFormStart(html, model.action, model.csrf_token, model.hidden);
  html += "<fieldset>\n<legend><strong>";
  html += HtmlEscape(model.application_name);
  html += "</strong> ";
  html += HtmlEscape(strings.consent_intro);
  html += "</legend>\n";
  std::size_t index = 0;
  for (const ConsentScope& scope : model.scopes) {
    const std::string id = "scope-" + std::to_string(index++);
    html += "<div class=\"scope\">\n<input type=\"checkbox\" id=\"";
    html += id;
    html += "\"";
    if (scope.required) {
      // Granted whatever the form says: shown checked, not posted.
      html += " checked disabled";
    } else {
      html += " name=\"scopeConsents[";
      html += HtmlEscape(scope.scope);
      html += "]\" value=\"true\" checked";
    }
    if (!scope.detail.empty()) {
      html += " aria-describedby=\"";
      html += id;
      html += "-detail\"";
    }
    html += ">\n<label for=\"";
    html += id;
    html += "\">";
    html += HtmlEscape(ScopeWords(scope, strings));
    if (scope.required) {
      html += " <span class=\"required\">(";
      html += HtmlEscape(strings.consent_required);
      html += ")</span>";
    }
    html += "</label>\n";
    if (!scope.detail.empty()) {
      html += "<p class=\"detail\" id=\"";
      html += id;
      html += "-detail\">";
      html += HtmlEscape(scope.detail);
      html += "</p>\n";
    }
    html += "</div>\n";
  }
  html += "</fieldset>\n<button type=\"submit\" name=\"action\" value=\"allow\">";
  html += HtmlEscape(strings.allow);
  html +=
      "</button>\n<button type=\"submit\" name=\"action\" value=\"cancel\" class=\"secondary\">";
  html += HtmlEscape(strings.cancel);
  html += "</button>\n</form>\n";
  return PageEnd(std::move(html), css);
}

}  // namespace bulwark::oauth2
