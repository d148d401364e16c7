// SPDX-License-Identifier: Apache-2.0
#include "oauth2/login_page.h"

#include "oauth2/authorization_response.h"  // HtmlEscape, CspHashSource

namespace bulwark::oauth2 {
namespace {

const std::string* ErrorText(LoginPageError error, const LoginPageStrings& s) {
  switch (error) {
    case LoginPageError::kNone:
      return nullptr;
    case LoginPageError::kInvalidCredentials:
      return &s.invalid_credentials;
    case LoginPageError::kLocked:
      return &s.locked;
    case LoginPageError::kDisabled:
      return &s.disabled;
    case LoginPageError::kExpired:
      return &s.expired;
    case LoginPageError::kNotRegistered:
      return &s.not_registered;
    case LoginPageError::kPasswordChangeRequired:
      return &s.password_change_required;
    case LoginPageError::kEmailVerificationRequired:
      return &s.email_verification_required;
    case LoginPageError::kRegistrationNotVerified:
      return &s.registration_not_verified;
    case LoginPageError::kFormExpired:
      return &s.form_expired;
  }
  return nullptr;
}

}  // namespace

const std::string& DefaultLoginStylesheet() {
  static const std::string* const css = new std::string(
      "body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1b1f24}"
      "main{max-width:22rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;"
      "box-shadow:0 1px 4px rgba(0,0,0,.12)}"
      "h1{font-size:1.5rem;margin:0 0 1.5rem}"
      "label{display:block;font-weight:600;margin:1rem 0 .25rem}"
      "input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;"
      "font-size:1rem;border:1px solid #8a939e;border-radius:4px}"
      "input:focus,button:focus,a:focus{outline:3px solid #1a64d6;outline-offset:2px}"
      "button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;border:0;"
      "border-radius:4px;background:#1a64d6;color:#fff;cursor:pointer}"
      ".error{background:#fdecea;color:#8a1c12;padding:.75rem;border-radius:4px}"
      ".links{margin-top:1.5rem;font-size:.9rem}.links a{display:block;margin-top:.5rem;"
      "color:#1a64d6}"
      "fieldset{border:0;margin:0;padding:0}legend{margin-bottom:1rem}"
      ".scope{margin:.75rem 0}.scope label{display:inline;font-weight:400;margin:0 0 0 .4rem}"
      ".detail{margin:.25rem 0 0 1.6rem;font-size:.9rem;color:#4a525c}"
      ".required{color:#4a525c;font-size:.9rem}"
      "button.secondary{background:#fff;color:#1a64d6;border:1px solid #1a64d6;margin-top:.75rem}");
  return *css;
}

const std::string& PageStylesheet(const std::string& stylesheet) {
  return stylesheet.empty() ? DefaultLoginStylesheet() : stylesheet;
}

std::string PageStart(const std::string& language, const std::string& title,
                      const std::string& css) {
  std::string html;
  html.reserve(2048 + css.size());
  html += "<!DOCTYPE html>\n<html lang=\"";
  html += HtmlEscape(language);
  html +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  html += HtmlEscape(title);
  html += "</title>\n<style>";
  html += css;
  html += "</style>\n</head>\n<body>\n<main>\n<h1>";
  html += HtmlEscape(title);
  html += "</h1>\n";
  return html;
}

void AppendFormStart(std::string& html, const std::string& action, const std::string& csrf_token,
                     const std::vector<std::pair<std::string, std::string>>& hidden) {
  html += "<form method=\"post\" action=\"";
  html += HtmlEscape(action);
  html += "\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"";
  html += HtmlEscape(csrf_token);
  html += "\">\n";
  for (const auto& [name, value] : hidden) {
    html += "<input type=\"hidden\" name=\"";
    html += HtmlEscape(name);
    html += "\" value=\"";
    html += HtmlEscape(value);
    html += "\">\n";
  }
}

RenderedPage PageEnd(std::string html, const std::string& css) {
  html += "</main>\n</body>\n</html>\n";
  // Nothing runs; the one style element is named by its hash; no one frames the page. No
  // form-action: browsers apply it to the redirects that follow a submission, and the form
  // ends in a redirect to the client.
  RenderedPage page;
  page.content_security_policy = "default-src 'none'; style-src " + CspHashSource(css) +
                                 "; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";
  page.html = std::move(html);
  return page;
}

RenderedPage RenderLoginPage(const LoginPageModel& model, const LoginPageStrings& strings,
                             const std::string& stylesheet) {
  const std::string& css = PageStylesheet(stylesheet);
  std::string html = PageStart(strings.language, strings.title, css);
  const std::string* error = ErrorText(model.error, strings);
  if (error != nullptr) {
    html += "<p class=\"error\" role=\"alert\" id=\"login-error\">";
    html += HtmlEscape(*error);
    html += "</p>\n";
  }
  AppendFormStart(html, model.action, model.csrf_token, model.hidden);
  const char* described = error != nullptr ? " aria-describedby=\"login-error\"" : "";
  html += "<label for=\"loginId\">";
  html += HtmlEscape(strings.login_id_label);
  html += "</label>\n<input type=\"text\" id=\"loginId\" name=\"loginId\" value=\"";
  html += HtmlEscape(model.login_id);
  html += "\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required";
  html += model.login_id.empty() ? " autofocus" : "";
  html += described;
  html += ">\n<label for=\"password\">";
  html += HtmlEscape(strings.password_label);
  html +=
      "</label>\n<input type=\"password\" id=\"password\" name=\"password\" "
      "autocomplete=\"current-password\" required";
  html += model.login_id.empty() ? "" : " autofocus";
  html += described;
  html += ">\n<button type=\"submit\">";
  html += HtmlEscape(strings.submit);
  html += "</button>\n</form>\n";
  if (!model.forgot_password_url.empty() || !model.register_url.empty()) {
    html += "<nav class=\"links\">\n";
    if (!model.forgot_password_url.empty()) {
      html += "<a href=\"";
      html += HtmlEscape(model.forgot_password_url);
      html += "\">";
      html += HtmlEscape(strings.forgot_password);
      html += "</a>\n";
    }
    if (!model.register_url.empty()) {
      html += "<a href=\"";
      html += HtmlEscape(model.register_url);
      html += "\">";
      html += HtmlEscape(strings.create_account);
      html += "</a>\n";
    }
    html += "</nav>\n";
  }
  return PageEnd(std::move(html), css);
}

}  // namespace bulwark::oauth2
