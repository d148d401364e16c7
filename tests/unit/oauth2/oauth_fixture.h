// SPDX-License-Identifier: Apache-2.0
// The authorization server's test world: an Engine with two OAuth applications and a user
// registered for both, and the helpers that drive the hosted pages as a browser would (read a
// page's hidden inputs and cookies, post its form) and check tokens with the JWT library
// against the Key Master's keys (at_hash with OpenSSL), not with the server's own code.
#ifndef BULWARK_TESTS_UNIT_OAUTH2_OAUTH_FIXTURE_H_
#define BULWARK_TESTS_UNIT_OAUTH2_OAUTH_FIXTURE_H_

#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bulwark/crypto/jwt.h"
#include "bulwark/oauth2/authorization_server.h"
#include "unit/engine/engine_fixture.h"

namespace bulwark::oauth2 {

using bulwark::test::EngineFixture;

inline constexpr const char* kRedirect = "https://app.example/cb";
inline constexpr const char* kPassword = "correct horse battery";
// RFC 7636 Appendix B.
inline constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

inline std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The parameters of a redirect's query (or fragment).
inline std::map<std::string, std::string> Parameters(const std::string& location) {
  std::map<std::string, std::string> out;
  std::size_t start = location.find_first_of("?#");
  if (start == std::string::npos) return out;
  std::string_view rest = std::string_view(location).substr(start + 1);
  while (!rest.empty()) {
    const std::size_t amp = std::min(rest.find('&'), rest.size());
    std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    out[PercentDecode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
    rest = amp < rest.size() ? rest.substr(amp + 1) : std::string_view();
  }
  return out;
}

inline std::string HtmlDecode(std::string text) {
  const std::pair<const char*, const char*> entities[] = {
      {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (std::size_t at = text.find(entity); at != std::string::npos;
         at = text.find(entity, at + 1)) {
      text.replace(at, std::string_view(entity).size(), plain);
    }
  }
  return text;
}

// The hidden inputs of a page's form.
inline std::map<std::string, std::string> HiddenInputs(const std::string& html) {
  std::map<std::string, std::string> out;
  const std::string_view open = "<input type=\"hidden\" name=\"";
  for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const std::size_t name = at + open.size();
    const std::size_t name_end = html.find('"', name);
    const std::size_t value = html.find("value=\"", name_end) + 7;
    const std::size_t value_end = html.find('"', value);
    out[HtmlDecode(html.substr(name, name_end - name))] =
        HtmlDecode(html.substr(value, value_end - value));
  }
  return out;
}

// The value a Set-Cookie list gives `name`, or "" when none does.
inline std::string CookieValue(const std::vector<std::string>& set_cookies, std::string_view name) {
  std::string value;
  for (const std::string& cookie : set_cookies) {
    if (cookie.rfind(std::string(name) + "=", 0) == 0) {
      value = cookie.substr(name.size() + 1, cookie.find(';') - name.size() - 1);
    }
  }
  return value;
}

inline Page PageOf(const AuthorizeResult& result) {
  REQUIRE(std::holds_alternative<Page>(result.response));
  return std::get<Page>(result.response);
}

inline std::string LocationOf(const AuthorizeResult& result) {
  if (const Page* page = std::get_if<Page>(&result.response)) {
    FAIL("expected a redirect, got a page (" << page->status << "): " << page->html);
  }
  return std::get<Redirect>(result.response).location;
}

inline TokenResponse Tokens(const TokenResult& result) {
  if (const auto* error = std::get_if<OAuthErrorResponse>(&result)) {
    FAIL("token error " << error->status << " " << error->error << " (" << error->error_reason
                        << "): " << error->error_description);
  }
  return std::get<TokenResponse>(result);
}

inline OAuthErrorResponse ErrorOf(const TokenResult& result) {
  REQUIRE(std::holds_alternative<OAuthErrorResponse>(result));
  return std::get<OAuthErrorResponse>(result);
}

// base64url(left half of SHA-256(text)), computed with OpenSSL here.
inline std::string HalfSha256(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) == 1);
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  const unsigned int half = size / 2;
  for (unsigned int i = 0; i < half; i += 3) {
    const unsigned int b0 = digest[i];
    const unsigned int b1 = i + 1 < half ? digest[i + 1] : 0;
    const unsigned int b2 = i + 2 < half ? digest[i + 2] : 0;
    out.push_back(alphabet[b0 >> 2]);
    out.push_back(alphabet[((b0 & 3) << 4) | (b1 >> 4)]);
    if (i + 1 < half) out.push_back(alphabet[((b1 & 15) << 2) | (b2 >> 6)]);
    if (i + 2 < half) out.push_back(alphabet[b2 & 63]);
  }
  return out;
}

struct OAuthFixture : EngineFixture {
  std::unique_ptr<AuthorizationServer> server;
  Application app;
  Application second;
  User user;

  OAuthFixture() {
    server =
        REQUIRE_VALUE(AuthorizationServer::Create(*engine, {.base_url = "https://login.example"}));
    app = MakeOAuthApp("Pied Piper", kRedirect);
    second = MakeOAuthApp("Hooli", "https://hooli.example/cb");
    User u = NewUser("richard@piedpiper.com", kPassword);
    u.username = "richard";
    u.verified = true;
    user = REQUIRE_VALUE(engine->users().Create(u));
    for (const Application* a : {&app, &second}) {
      Registration r;
      r.application_id = a->id;
      REQUIRE_OK(engine->registrations().Create(user.id, r));
    }
  }

  Application MakeOAuthApp(std::string name, std::string redirect) {
    Application a;
    a.name = std::move(name);
    a.oauth_configuration.authorized_redirect_urls = {std::move(redirect)};
    a.oauth_configuration.enabled_grants = {GrantType::kAuthorizationCode, GrantType::kRefreshToken,
                                            GrantType::kPassword, GrantType::kClientCredentials,
                                            GrantType::kImplicit};
    a.oauth_configuration.client_secret = "secret-of-" + a.name;
    return REQUIRE_VALUE(engine->applications().Create(a));
  }

  AuthorizeRequest Request(const Application& a, std::string scope = "openid offline_access") {
    AuthorizeRequest r;
    r.client_id = a.id.ToString();
    r.redirect_uri = a.oauth_configuration.authorized_redirect_urls.front();
    r.response_type = "code";
    r.scope = std::move(scope);
    r.state = "state-1";
    r.nonce = "nonce-1";
    r.code_challenge = kChallenge;
    r.code_challenge_method = "S256";
    return r;
  }

  // What a browser posts for the form of `page` (the login or the consent page): its hidden
  // inputs, its CSRF cookie, this server's origin.
  static AuthorizeRequest FormOf(const AuthorizeResult& page) {
    const std::map<std::string, std::string> hidden = HiddenInputs(PageOf(page).html);
    const auto field = [&](const char* name) -> std::optional<std::string> {
      auto it = hidden.find(name);
      return it == hidden.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    AuthorizeRequest post;
    post.client_id = field("client_id");
    post.redirect_uri = field("redirect_uri");
    post.response_type = field("response_type");
    post.response_mode = field("response_mode");
    post.scope = field("scope");
    post.state = field("state");
    post.nonce = field("nonce");
    post.code_challenge = field("code_challenge");
    post.code_challenge_method = field("code_challenge_method");
    post.max_age = field("max_age");
    post.idp_hint = field("idp_hint");
    post.locale = field("locale");
    post.tenant_id = field("tenantId");
    post.csrf_token = field("csrf_token");
    post.csrf_cookie = CookieValue(page.set_cookies, kCsrfCookieName);
    post.origin = "https://login.example";
    post.post = true;
    return post;
  }

  // GET the page, then POST its form with the credentials: the result of the POST.
  AuthorizeResult LogIn(const AuthorizeRequest& request, std::string login_id, std::string password,
                        std::optional<std::string> sso_cookie = {}) {
    AuthorizeResult page = server->Authorize(request);
    REQUIRE(PageOf(page).status == 200);
    AuthorizeRequest post = FormOf(page);
    post.login_id = std::move(login_id);
    post.password = std::move(password);
    post.sso_cookie = std::move(sso_cookie);
    return server->Authorize(post);
  }

  // A token request of `grant_type` from `a`, with its secret in the body.
  static TokenRequest ClientRequest(const Application& a, std::string grant_type) {
    TokenRequest t;
    t.grant_type = std::move(grant_type);
    t.client_id = a.id.ToString();
    t.client_secret = a.oauth_configuration.client_secret;
    return t;
  }

  TokenRequest CodeExchange(const Application& a, const std::string& code) {
    TokenRequest t;
    t.grant_type = "authorization_code";
    t.client_id = a.id.ToString();
    t.client_secret = a.oauth_configuration.client_secret;
    t.code = code;
    t.redirect_uri = a.oauth_configuration.authorized_redirect_urls.front();
    t.code_verifier = kVerifier;
    return t;
  }

  // The claims of `token` once its signature verifies with one of the Key Master's keys.
  nlohmann::json Verified(const std::string& token, const Application& audience) {
    std::vector<VerificationKey> keys;
    for (const Key& key : REQUIRE_VALUE(engine->keys().RetrieveAll())) {
      Result<VerificationKey> k = VerificationKey::FromKey(key);
      if (k.ok()) keys.push_back(*k);
    }
    Jwt jwt = REQUIRE_VALUE(VerifyJwt(
        token, VerificationKeySet(keys),
        {.now = clock->Now(), .audiences = {audience.id.ToString()}, .issuer = "acme.com"}));
    return jwt.claims.ToJson();
  }
};

}  // namespace bulwark::oauth2

#endif  // BULWARK_TESTS_UNIT_OAUTH2_OAUTH_FIXTURE_H_
