// SPDX-License-Identifier: Apache-2.0
#include "oauth2/authorization_response.h"

#include <string>

#include "bulwark/http_client.h"  // FormUrlEncode
#include "crypto/secrets.h"

namespace bulwark::oauth2 {
namespace {

// The form_post page's only script. Its hash goes in the page's Content-Security-Policy, so
// that nothing else on the page (a value that escaped its escaping) could run.
constexpr std::string_view kSubmitScript = "document.forms[0].submit();";

// The CSP source of kSubmitScript, computed once.
const std::string& SubmitScriptSource() {
  static const std::string* const source = new std::string(CspHashSource(kSubmitScript));
  return *source;
}

}  // namespace

std::optional<ResponseMode> ParseResponseMode(std::string_view mode) {
  if (mode == "query") return ResponseMode::kQuery;
  if (mode == "fragment") return ResponseMode::kFragment;
  if (mode == "form_post") return ResponseMode::kFormPost;
  return std::nullopt;
}

std::string_view ToString(ResponseMode mode) {
  switch (mode) {
    case ResponseMode::kQuery:
      return "query";
    case ResponseMode::kFragment:
      return "fragment";
    case ResponseMode::kFormPost:
      return "form_post";
  }
  return "query";
}

std::string CspHashSource(std::string_view text) {
  // Sha256Base64Url gives the url alphabet without padding; CSP wants standard base64.
  std::string digest = internal::Sha256Base64Url(text);
  for (char& c : digest) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (digest.size() % 4 != 0) digest.push_back('=');
  return "'sha256-" + digest + "'";
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

AuthorizationResponse BuildAuthorizationResponse(std::string_view redirect_uri, ResponseMode mode,
                                                 const ResponseParameters& parameters) {
  if (mode == ResponseMode::kFormPost) {
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Continue</title>\n</head>\n<body>\n<form method=\"post\" action=\"";
    html += HtmlEscape(redirect_uri);
    html += "\">\n";
    for (const auto& [name, value] : parameters) {
      html += "<input type=\"hidden\" name=\"";
      html += HtmlEscape(name);
      html += "\" value=\"";
      html += HtmlEscape(value);
      html += "\">\n";
    }
    html += "<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n<script>";
    html += kSubmitScript;
    html += "</script>\n</body>\n</html>\n";
    // No source for anything but the one script; the form may post anywhere (its action is
    // the validated redirect_uri), and no one may frame the page.
    std::string policy = "default-src 'none'; script-src " + SubmitScriptSource() +
                         "; base-uri 'none'; frame-ancestors 'none'";
    return AuthorizationFormPost{.html = std::move(html),
                                 .content_security_policy = std::move(policy)};
  }
  std::string location(redirect_uri);
  if (parameters.empty()) return AuthorizationRedirect{.location = std::move(location)};
  if (mode == ResponseMode::kFragment) {
    location.push_back(location.find('#') == std::string::npos ? '#' : '&');
    location += FormUrlEncode(parameters);
    return AuthorizationRedirect{.location = std::move(location)};
  }
  // Query: before any fragment, after the redirect_uri's own query.
  const std::size_t hash = location.find('#');
  std::string fragment;
  if (hash != std::string::npos) {
    fragment = location.substr(hash);
    location.resize(hash);
  }
  const std::size_t question = location.find('?');
  if (question == std::string::npos) {
    location.push_back('?');
  } else if (question + 1 != location.size() && location.back() != '&') {
    location.push_back('&');
  }
  location += FormUrlEncode(parameters);
  location += fragment;
  return AuthorizationRedirect{.location = std::move(location)};
}

}  // namespace bulwark::oauth2
