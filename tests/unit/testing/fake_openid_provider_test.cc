// SPDX-License-Identifier: Apache-2.0
// FakeOpenIdProvider: the discovery document, the authorization code exchange for every
// client authentication method and each way it must fail (RFC 6749 §5.2), userinfo, and the
// JWKS across a key rotation. Requests are written by hand (form bodies and Basic
// credentials precomputed, not built with the helpers under test); id_tokens are checked
// with bulwark's VerifyJwt against keys read from the served JWKS.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/crypto/jwt.h"
#include "bulwark/testing/fake_http_client.h"
#include "bulwark/testing/fake_openid_provider.h"
#include "bulwark/testing/manual_clock.h"
#include "bulwark/testing/status_matchers.h"
#include "testing_test_support.h"

namespace bulwark::testing {
namespace {


constexpr std::int64_t kStartSeconds = 1'700'000'000;  // ManualClock::kDefaultStart
constexpr char kRedirect[] = "https://app.test/callback";
constexpr char kRedirectEncoded[] = "https%3A%2F%2Fapp.test%2Fcallback";
// Base64("bulwark-client:bulwark-secret"), worked out by hand (RFC 4648 §4).
constexpr char kBasicDefault[] = "Basic YnVsd2Fyay1jbGllbnQ6YnVsd2Fyay1zZWNyZXQ=";
// Base64("bulwark-client:wrong-secret").
constexpr char kBasicWrongSecret[] = "Basic YnVsd2Fyay1jbGllbnQ6d3Jvbmctc2VjcmV0";

struct Fixture {
  explicit Fixture(FakeOpenIdProviderOptions options = {}) {
    options.clock = clock;
    Result<std::unique_ptr<FakeOpenIdProvider>> created =
        FakeOpenIdProvider::Create(http, std::move(options));
    REQUIRE_OK(created);
    op = REQUIRE_VALUE(std::move(created));
  }

  HttpClientResponse Send(HttpClientRequest request) {
    Result<HttpClientResponse> response = http.Send(request);
    REQUIRE_OK(response);
    return *response;
  }

  HttpClientResponse GetUrl(const std::string& url, std::optional<std::string> authorization = {}) {
    HttpClientRequest request;
    request.url = url;
    if (authorization) request.headers.emplace_back("Authorization", *authorization);
    return Send(request);
  }

  // POST to the token endpoint with a form body and optional Authorization header.
  HttpClientResponse Token(std::string body, std::optional<std::string> authorization = {},
                           std::string content_type = "application/x-www-form-urlencoded") {
    HttpClientRequest request;
    request.method = "POST";
    request.url = op->token_endpoint();
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    if (authorization) request.headers.emplace_back("Authorization", *authorization);
    request.body = std::move(body);
    return Send(request);
  }

  static std::string CodeBody(const std::string& code, const std::string& redirect_encoded) {
    return "grant_type=authorization_code&code=" + code + "&redirect_uri=" + redirect_encoded;
  }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  FakeHttpClient http;
  std::unique_ptr<FakeOpenIdProvider> op;
};

nlohmann::json JsonBody(const HttpClientResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  return body;
}

std::optional<std::string> Header(const HttpClientResponse& response, std::string_view name) {
  const std::optional<std::string_view> value = FindHeader(response.headers, name);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

// The error member of an RFC 6749 §5.2 response, after checking its shape.
std::string OAuthError(const HttpClientResponse& response) {
  CHECK(Header(response, "Content-Type").value_or("").starts_with("application/json"));
  const nlohmann::json body = JsonBody(response);
  REQUIRE(body.contains("error"));
  CHECK(body.at("error_description").is_string());
  return body.at("error").get<std::string>();
}

nlohmann::json IdTokenClaims() {
  return {{"sub", "op-user-1"},
          {"email", "richard@piedpiper.example"},
          {"email_verified", true},
          {"name", "Richard"},
          {"nonce", "n-0S6_WzA2Mj"}};
}

// Verifies an id_token as bulwark would: keys from the JWKS the provider serves.
Result<Jwt> VerifyIdToken(Fixture& f, const std::string& id_token) {
  const HttpClientResponse jwks = f.GetUrl(f.op->jwks_uri());
  REQUIRE(jwks.status == 200);
  JwtVerifyOptions options;
  options.now = f.clock->Now();
  options.issuer = "https://op.test";
  options.audiences = {"bulwark-client"};
  return VerifyJwt(id_token, test::KeySetFromJwks(JsonBody(jwks)), options);
}

TEST_CASE("FakeOpenIdProvider serves its discovery document", "[testing]") {
  Fixture f;
  CHECK(f.op->issuer() == "https://op.test");
  CHECK(f.op->authorization_endpoint() == "https://op.test/oauth2/authorize");
  CHECK(f.op->token_endpoint() == "https://op.test/oauth2/token");
  CHECK(f.op->userinfo_endpoint() == "https://op.test/oauth2/userinfo");
  CHECK(f.op->jwks_uri() == "https://op.test/.well-known/jwks.json");
  CHECK(f.op->discovery_url() == "https://op.test/.well-known/openid-configuration");

  const HttpClientResponse response = f.GetUrl("https://op.test/.well-known/openid-configuration");
  REQUIRE(response.status == 200);
  CHECK(Header(response, "content-type").value_or("").starts_with("application/json"));
  CHECK(JsonBody(response) == nlohmann::json::parse(R"({
    "issuer": "https://op.test",
    "authorization_endpoint": "https://op.test/oauth2/authorize",
    "token_endpoint": "https://op.test/oauth2/token",
    "userinfo_endpoint": "https://op.test/oauth2/userinfo",
    "jwks_uri": "https://op.test/.well-known/jwks.json",
    "response_types_supported": ["code"],
    "subject_types_supported": ["public"],
    "id_token_signing_alg_values_supported": ["RS256"],
    "token_endpoint_auth_methods_supported": ["client_secret_basic"]
  })"));
  // The authorization endpoint is the browser's business: not served.
  CHECK(f.GetUrl("https://op.test/oauth2/authorize?response_type=code").status == 404);
}

TEST_CASE("FakeOpenIdProvider's discovery follows its options", "[testing]") {
  Fixture f({.issuer = "https://login.example.test/tenant-a",
             .client_authentication_method = ClientAuthenticationMethod::kClientSecretPost,
             .algorithm = KeyAlgorithm::kEs256,
             .serve_userinfo = false});
  const nlohmann::json doc =
      JsonBody(f.GetUrl("https://login.example.test/tenant-a/.well-known/openid-configuration"));
  CHECK(doc.at("issuer") == "https://login.example.test/tenant-a");
  CHECK(doc.at("token_endpoint") == "https://login.example.test/tenant-a/oauth2/token");
  CHECK(doc.at("id_token_signing_alg_values_supported") == nlohmann::json({"ES256"}));
  CHECK(doc.at("token_endpoint_auth_methods_supported") == nlohmann::json({"client_secret_post"}));
  CHECK_FALSE(doc.contains("userinfo_endpoint"));
  CHECK(f.op->userinfo_endpoint().empty());
  CHECK(f.GetUrl("https://login.example.test/tenant-a/oauth2/userinfo").status == 404);
}

TEST_CASE("FakeOpenIdProvider exchanges a code with client_secret_basic", "[testing]") {
  Fixture f;
  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());
  CHECK(code.size() == 64);
  const HttpClientResponse response =
      f.Token(Fixture::CodeBody(code, kRedirectEncoded), kBasicDefault);
  INFO(response.body);
  REQUIRE(response.status == 200);
  CHECK(Header(response, "Cache-Control") == "no-store");
  const nlohmann::json body = JsonBody(response);
  CHECK(body.at("token_type") == "Bearer");
  CHECK(body.at("expires_in") == 3600);
  CHECK_FALSE(body.at("access_token").get<std::string>().empty());

  const std::string id_token = body.at("id_token").get<std::string>();
  Result<Jwt> jwt = VerifyIdToken(f, id_token);
  REQUIRE_OK(jwt);
  CHECK(jwt->header.at("alg") == "RS256");
  CHECK(jwt->header.at("kid") == f.op->signer().kid());
  nlohmann::json expected = IdTokenClaims();
  expected["iss"] = "https://op.test";
  expected["aud"] = "bulwark-client";
  expected["iat"] = kStartSeconds;
  expected["exp"] = kStartSeconds + 3600;
  CHECK(jwt->claims.ToJson() == expected);

  // Userinfo with the access token: the id_token claims without iss/aud/iat/exp/nonce.
  const HttpClientResponse userinfo =
      f.GetUrl(f.op->userinfo_endpoint(), "Bearer " + body.at("access_token").get<std::string>());
  REQUIRE(userinfo.status == 200);
  CHECK(JsonBody(userinfo) == nlohmann::json({{"sub", "op-user-1"},
                                              {"email", "richard@piedpiper.example"},
                                              {"email_verified", true},
                                              {"name", "Richard"}}));
}

TEST_CASE("FakeOpenIdProvider decodes form-encoded Basic credentials (RFC 6749 §2.3.1)",
          "[testing]") {
  Fixture f({.client_id = "client:1", .client_secret = "s3cret/+ \xC3\xA9"});
  const std::string code = f.op->IssueCode(kRedirect, {{"sub", "u"}});
  // Base64("client%3A1:s3cret%2F%2B+%C3%A9"): each part form-urlencoded, then joined.
  const HttpClientResponse response = f.Token(Fixture::CodeBody(code, kRedirectEncoded),
                                              "Basic Y2xpZW50JTNBMTpzM2NyZXQlMkYlMkIrJUMzJUE5");
  INFO(response.body);
  CHECK(response.status == 200);

  // The raw (unencoded) credentials are not the same thing once the id contains ':'.
  const std::string code2 = f.op->IssueCode(kRedirect, {{"sub", "u"}});
  const std::string raw = "Basic " + test::Base64("client:1:s3cret/+ \xC3\xA9");
  const HttpClientResponse refused = f.Token(Fixture::CodeBody(code2, kRedirectEncoded), raw);
  CHECK(refused.status == 401);
  CHECK(OAuthError(refused) == "invalid_client");
}

TEST_CASE("FakeOpenIdProvider exchanges a code with client_secret_post", "[testing]") {
  Fixture f({.client_authentication_method = ClientAuthenticationMethod::kClientSecretPost});
  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());
  const HttpClientResponse response =
      f.Token(Fixture::CodeBody(code, kRedirectEncoded) +
              "&client_id=bulwark-client&client_secret=bulwark-secret");
  INFO(response.body);
  REQUIRE(response.status == 200);
  Result<Jwt> jwt = VerifyIdToken(f, JsonBody(response).at("id_token").get<std::string>());
  CHECK_OK(jwt);

  SECTION("a wrong secret is 401 invalid_client, without WWW-Authenticate") {
    const std::string code2 = f.op->IssueCode(kRedirect, IdTokenClaims());
    const HttpClientResponse refused = f.Token(Fixture::CodeBody(code2, kRedirectEncoded) +
                                               "&client_id=bulwark-client&client_secret=wrong");
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
    CHECK_FALSE(Header(refused, "WWW-Authenticate").has_value());
  }
  SECTION("Basic credentials instead are 401 invalid_client, with WWW-Authenticate") {
    const std::string code2 = f.op->IssueCode(kRedirect, IdTokenClaims());
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody(code2, kRedirectEncoded), kBasicDefault);
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
    CHECK(Header(refused, "WWW-Authenticate").value_or("").starts_with("Basic"));
  }
  SECTION("a missing secret is 401 invalid_client") {
    const std::string code2 = f.op->IssueCode(kRedirect, IdTokenClaims());
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody(code2, kRedirectEncoded) + "&client_id=bulwark-client");
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
  }
}

TEST_CASE("FakeOpenIdProvider exchanges a code for a public client (none)", "[testing]") {
  Fixture f({.client_authentication_method = ClientAuthenticationMethod::kNone});
  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());
  const HttpClientResponse response =
      f.Token(Fixture::CodeBody(code, kRedirectEncoded) + "&client_id=bulwark-client");
  INFO(response.body);
  REQUIRE(response.status == 200);
  CHECK(VerifyIdToken(f, JsonBody(response).at("id_token").get<std::string>()).ok());

  const std::string code2 = f.op->IssueCode(kRedirect, IdTokenClaims());
  SECTION("without client_id") {
    const HttpClientResponse refused = f.Token(Fixture::CodeBody(code2, kRedirectEncoded));
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
  }
  SECTION("with another client_id") {
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody(code2, kRedirectEncoded) + "&client_id=someone-else");
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
  }
  SECTION("with a secret") {
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody(code2, kRedirectEncoded) +
                "&client_id=bulwark-client&client_secret=bulwark-secret");
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
  }
}

TEST_CASE("FakeOpenIdProvider's token endpoint refuses bad client credentials (Basic)",
          "[testing]") {
  Fixture f;
  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());
  const std::string body = Fixture::CodeBody(code, kRedirectEncoded);

  SECTION("wrong secret") {
    const HttpClientResponse refused = f.Token(body, kBasicWrongSecret);
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
    CHECK(Header(refused, "WWW-Authenticate") == "Basic realm=\"https://op.test\"");
  }
  SECTION("no credentials") {
    const HttpClientResponse refused = f.Token(body);
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
    CHECK(Header(refused, "WWW-Authenticate").has_value());
  }
  SECTION("credentials in the body instead") {
    const HttpClientResponse refused =
        f.Token(body + "&client_id=bulwark-client&client_secret=bulwark-secret");
    CHECK(refused.status == 401);
    CHECK(OAuthError(refused) == "invalid_client");
  }
  SECTION("malformed Basic credentials") {
    for (const char* authorization :
         {"Basic !!!!", "Basic YnVsd2Fyay1jbGllbnQ",
          "Bearer YnVsd2Fyay1jbGllbnQ6YnVsd2Fyay1zZWNyZXQ=", "Basic " /* nothing */}) {
      CAPTURE(authorization);
      const HttpClientResponse refused = f.Token(body, std::string(authorization));
      CHECK(refused.status == 401);
      CHECK(OAuthError(refused) == "invalid_client");
    }
  }
  SECTION("two authentication methods at once") {
    const HttpClientResponse refused =
        f.Token(body + "&client_secret=bulwark-secret", kBasicDefault);
    CHECK(refused.status == 400);
    CHECK(OAuthError(refused) == "invalid_request");
  }
  // None of the refusals used up the code.
  const HttpClientResponse ok = f.Token(body, "basic  YnVsd2Fyay1jbGllbnQ6YnVsd2Fyay1zZWNyZXQ=");
  INFO(ok.body);
  CHECK(ok.status == 200);
}

TEST_CASE("FakeOpenIdProvider codes are single-use", "[testing]") {
  Fixture f;
  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());
  const std::string body = Fixture::CodeBody(code, kRedirectEncoded);
  const HttpClientResponse first = f.Token(body, kBasicDefault);
  REQUIRE(first.status == 200);
  const std::string access_token = JsonBody(first).at("access_token").get<std::string>();
  REQUIRE(f.GetUrl(f.op->userinfo_endpoint(), "Bearer " + access_token).status == 200);

  const HttpClientResponse second = f.Token(body, kBasicDefault);
  CHECK(second.status == 400);
  CHECK(OAuthError(second) == "invalid_grant");
  // Replaying the code revoked the access token it produced (RFC 6749 §4.1.2).
  CHECK(f.GetUrl(f.op->userinfo_endpoint(), "Bearer " + access_token).status == 401);
}

TEST_CASE("FakeOpenIdProvider's token endpoint errors", "[testing]") {
  Fixture f;
  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());

  SECTION("a redirect_uri other than the code's is invalid_grant, and uses the code up") {
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody(code, "https%3A%2F%2Fevil.test%2Fcallback"), kBasicDefault);
    CHECK(refused.status == 400);
    CHECK(OAuthError(refused) == "invalid_grant");
    const HttpClientResponse again =
        f.Token(Fixture::CodeBody(code, kRedirectEncoded), kBasicDefault);
    CHECK(again.status == 400);
    CHECK(OAuthError(again) == "invalid_grant");
  }
  SECTION("an unknown code is invalid_grant") {
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody("0123456789abcdef", kRedirectEncoded), kBasicDefault);
    CHECK(refused.status == 400);
    CHECK(OAuthError(refused) == "invalid_grant");
  }
  SECTION("another grant type is unsupported_grant_type") {
    const HttpClientResponse refused =
        f.Token("grant_type=password&username=u&password=p", kBasicDefault);
    CHECK(refused.status == 400);
    CHECK(OAuthError(refused) == "unsupported_grant_type");
  }
  SECTION("missing parameters are invalid_request") {
    for (const std::string& body :
         {std::string("code=") + code + "&redirect_uri=" + kRedirectEncoded,
          std::string("grant_type=authorization_code&redirect_uri=") + kRedirectEncoded,
          std::string("grant_type=authorization_code&code=") + code}) {
      CAPTURE(body);
      const HttpClientResponse refused = f.Token(body, kBasicDefault);
      CHECK(refused.status == 400);
      CHECK(OAuthError(refused) == "invalid_request");
    }
  }
  SECTION("a repeated parameter is invalid_request") {
    const HttpClientResponse refused =
        f.Token(Fixture::CodeBody(code, kRedirectEncoded) + "&code=" + code, kBasicDefault);
    CHECK(refused.status == 400);
    CHECK(OAuthError(refused) == "invalid_request");
  }
  SECTION("a body that is not a form is invalid_request") {
    const HttpClientResponse json =
        f.Token(R"({"grant_type":"authorization_code"})", kBasicDefault, "application/json");
    CHECK(json.status == 400);
    CHECK(OAuthError(json) == "invalid_request");
    const HttpClientResponse untyped =
        f.Token(Fixture::CodeBody(code, kRedirectEncoded), kBasicDefault, /*content_type=*/"");
    CHECK(untyped.status == 400);
    CHECK(OAuthError(untyped) == "invalid_request");
    const HttpClientResponse bad_escape =
        f.Token(Fixture::CodeBody(code, "https%3A%2F%2Fapp.test%2"), kBasicDefault);
    CHECK(bad_escape.status == 400);
    CHECK(OAuthError(bad_escape) == "invalid_request");
  }
  SECTION("the media type is matched without case and parameters") {
    const HttpClientResponse ok = f.Token(Fixture::CodeBody(code, kRedirectEncoded), kBasicDefault,
                                          "Application/X-WWW-Form-URLEncoded; charset=UTF-8");
    INFO(ok.body);
    CHECK(ok.status == 200);
  }
  SECTION("'+' in the form is a space") {
    const std::string spaced = f.op->IssueCode("https://app.test/a b", {{"sub", "u"}});
    const HttpClientResponse ok =
        f.Token(Fixture::CodeBody(spaced, "https%3A%2F%2Fapp.test%2Fa+b"), kBasicDefault);
    INFO(ok.body);
    CHECK(ok.status == 200);
  }
  SECTION("GET is not the token endpoint") {
    CHECK(f.GetUrl(f.op->token_endpoint()).status == 404);
  }
}

TEST_CASE("FakeOpenIdProvider's userinfo needs a valid bearer token", "[testing]") {
  Fixture f;
  const std::string code = f.op->IssueCode(
      kRedirect, IdTokenClaims(), nlohmann::json({{"sub", "op-user-1"}, {"locale", "fr"}}));
  const HttpClientResponse exchanged =
      f.Token(Fixture::CodeBody(code, kRedirectEncoded), kBasicDefault);
  REQUIRE(exchanged.status == 200);
  const std::string access_token = JsonBody(exchanged).at("access_token").get<std::string>();

  // Given userinfo claims are answered as they are.
  const HttpClientResponse ok = f.GetUrl(f.op->userinfo_endpoint(), "bearer " + access_token);
  REQUIRE(ok.status == 200);
  CHECK(JsonBody(ok) == nlohmann::json({{"sub", "op-user-1"}, {"locale", "fr"}}));

  const HttpClientResponse without = f.GetUrl(f.op->userinfo_endpoint());
  CHECK(without.status == 401);
  CHECK(Header(without, "WWW-Authenticate") == "Bearer");

  const HttpClientResponse unknown = f.GetUrl(f.op->userinfo_endpoint(), "Bearer nope");
  CHECK(unknown.status == 401);
  CHECK(Header(unknown, "WWW-Authenticate").value_or("").find("error=\"invalid_token\"") !=
        std::string::npos);

  // The client's credentials are not a bearer token.
  CHECK(f.GetUrl(f.op->userinfo_endpoint(), kBasicDefault).status == 401);
}

TEST_CASE("FakeOpenIdProvider's JWKS follows key rotation", "[testing]") {
  Fixture f;
  const std::string first_kid = f.op->signer().kid();
  const std::string code1 = f.op->IssueCode(kRedirect, IdTokenClaims());
  const HttpClientResponse before =
      f.Token(Fixture::CodeBody(code1, kRedirectEncoded), kBasicDefault);
  REQUIRE(before.status == 200);
  const std::string old_token = JsonBody(before).at("id_token").get<std::string>();

  REQUIRE_OK(f.op->signer().Rotate());
  const std::string second_kid = f.op->signer().kid();
  REQUIRE(second_kid != first_kid);

  const nlohmann::json jwks = JsonBody(f.GetUrl(f.op->jwks_uri()));
  REQUIRE(jwks.at("keys").size() == 2);
  CHECK(jwks.at("keys").at(0).at("kid") == second_kid);
  CHECK(jwks.at("keys").at(1).at("kid") == first_kid);

  const std::string code2 = f.op->IssueCode(kRedirect, IdTokenClaims());
  const HttpClientResponse after =
      f.Token(Fixture::CodeBody(code2, kRedirectEncoded), kBasicDefault);
  REQUIRE(after.status == 200);
  const std::string new_token = JsonBody(after).at("id_token").get<std::string>();
  CHECK(test::DecodeSegment(test::Segments(new_token)[0]).at("kid") == second_kid);
  CHECK_OK(VerifyIdToken(f, new_token));
  CHECK_OK(VerifyIdToken(f, old_token));

  // Dropping old keys: tokens signed with them no longer verify against the JWKS.
  REQUIRE_OK(f.op->signer().Rotate(false));
  CHECK(JsonBody(f.GetUrl(f.op->jwks_uri())).at("keys").size() == 1);
  CHECK(JwtErrorOf(VerifyIdToken(f, old_token).status()) == JwtError::kUnknownKey);
}

TEST_CASE("FakeOpenIdProvider signs HS256 id_tokens with the client secret", "[testing]") {
  const std::string secret = "a-client-secret-of-thirty-two-bytes-or-more";
  Fixture f({.client_secret = secret, .algorithm = KeyAlgorithm::kHs256});
  CHECK(JsonBody(f.GetUrl(f.op->jwks_uri())) == nlohmann::json::parse(R"({"keys":[]})"));
  CHECK(JsonBody(f.GetUrl(f.op->discovery_url())).at("id_token_signing_alg_values_supported") ==
        nlohmann::json({"HS256"}));

  const std::string code = f.op->IssueCode(kRedirect, IdTokenClaims());
  const HttpClientResponse response = f.Token(Fixture::CodeBody(code, kRedirectEncoded),
                                              "Basic " + test::Base64("bulwark-client:" + secret));
  INFO(response.body);
  REQUIRE(response.status == 200);
  const std::string id_token = JsonBody(response).at("id_token").get<std::string>();
  // OIDC Core §10.1: the MAC key is the client secret's bytes. Checked with OpenSSL directly.
  const std::vector<std::string> segments = test::Segments(id_token);
  CHECK(segments[2] ==
        test::B64u(test::Hmac(EVP_sha256(), secret, segments[0] + "." + segments[1])));

  // The default secret is too short to be an HS256 key.
  FakeHttpClient http;
  Result<std::unique_ptr<FakeOpenIdProvider>> refused =
      FakeOpenIdProvider::Create(http, {.algorithm = KeyAlgorithm::kHs256});
  CHECK(refused.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("FakeOpenIdProvider id_token claims: given ones win, null removes", "[testing]") {
  Fixture f;
  const std::string code = f.op->IssueCode(
      kRedirect, {{"sub", "u"}, {"aud", {"bulwark-client", "other"}}, {"exp", nullptr}});
  const HttpClientResponse response =
      f.Token(Fixture::CodeBody(code, kRedirectEncoded), kBasicDefault);
  REQUIRE(response.status == 200);
  const nlohmann::json claims =
      test::DecodeSegment(test::Segments(JsonBody(response).at("id_token").get<std::string>())[1]);
  CHECK(claims.at("aud") == nlohmann::json({"bulwark-client", "other"}));
  CHECK_FALSE(claims.contains("exp"));
  CHECK(claims.at("iat") == kStartSeconds);
}

TEST_CASE("FakeOpenIdProvider's routes answer 404 once it is destroyed", "[testing]") {
  FakeHttpClient http;
  {
    Result<std::unique_ptr<FakeOpenIdProvider>> op = FakeOpenIdProvider::Create(http);
    REQUIRE_OK(op);
    HttpClientRequest request;
    request.url = "https://op.test/.well-known/jwks.json";
    REQUIRE(http.Send(request)->status == 200);
  }
  HttpClientRequest request;
  request.url = "https://op.test/.well-known/jwks.json";
  CHECK(http.Send(request)->status == 404);
}

TEST_CASE("FakeOpenIdProvider serves concurrent exchanges", "[testing]") {
  Fixture f({.algorithm = KeyAlgorithm::kEs256});
  constexpr int kThreads = 4;
  std::vector<std::string> codes;
  for (int i = 0; i < kThreads * 5; ++i) {
    codes.push_back(f.op->IssueCode(kRedirect, {{"sub", "u" + std::to_string(i)}}));
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&f, &codes, &ok, t] {
      for (int i = 0; i < 5; ++i) {
        HttpClientRequest request;
        request.method = "POST";
        request.url = "https://op.test/oauth2/token";
        request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                           {"Authorization", kBasicDefault}};
        request.body =
            Fixture::CodeBody(codes[static_cast<std::size_t>(t * 5 + i)], kRedirectEncoded);
        Result<HttpClientResponse> r = f.http.Send(request);
        if (r.ok() && r->status == 200) ok.fetch_add(1);
      }
    });
  }
  REQUIRE_OK(f.op->signer().Rotate());
  for (std::thread& t : threads) t.join();
  CHECK(ok.load() == kThreads * 5);
}

}  // namespace
}  // namespace bulwark::testing
