// SPDX-License-Identifier: Apache-2.0
// LoadKickstart / ParseKickstart: variables (#{name}, #{ENV.NAME}, #{UUID()}), escapes,
// includes (@{text}, &{json}), the checks on apiKeys and requests, and the errors, which must
// name the file, the place and the fault, and never crash on any input. The expected bodies
// are written by hand from FusionAuth's kickstart documentation.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/http/kickstart.h"
#include "bulwark/testing/deterministic_random.h"
#include "bulwark/testing/status_matchers.h"

namespace bulwark::http {
namespace {

using nlohmann::json;

// A fresh folder under the system temp dir, removed with everything in it. The kickstart
// file goes in <root>/kickstart so that <root> itself is "outside" for the path checks.
class KickstartDir {
 public:
  KickstartDir() {
    static std::atomic<int> counter{0};
    root_ =
        std::filesystem::temp_directory_path() /
        ("bulwark-kickstart-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
    std::filesystem::create_directories(root_ / "kickstart");
  }
  KickstartDir(const KickstartDir&) = delete;
  KickstartDir& operator=(const KickstartDir&) = delete;
  ~KickstartDir() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  std::filesystem::path root() const { return root_; }
  std::filesystem::path dir() const { return root_ / "kickstart"; }
  // Writes `content` at `relative` under dir() (or under root() when `outside`).
  std::filesystem::path Write(const std::string& relative, std::string_view content,
                              bool outside = false) const {
    const std::filesystem::path p = (outside ? root_ : dir()) / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return p;
  }

 private:
  std::filesystem::path root_;
};

struct Env {
  std::map<std::string, std::string> values;
  KickstartOptions Options(Random* random) const {
    KickstartOptions options;
    const std::map<std::string, std::string> copy = values;
    options.environment = [copy](std::string_view name) -> std::optional<std::string> {
      auto it = copy.find(std::string(name));
      if (it == copy.end()) return std::nullopt;
      return it->second;
    };
    options.random = random;
    return options;
  }
};

// Parses `text` with no environment and a deterministic random.
Result<KickstartPlan> Parse(std::string_view text, const std::filesystem::path& base = {},
                            const Env& env = {}) {
  testing::DeterministicRandom random(7);
  return ParseKickstart(text, base, env.Options(&random));
}

json Body(const KickstartRequest& request) { return json::parse(request.body); }

// The status is kInvalidArgument, carries `code` as a general error whose message is the
// status message, and the message holds every one of `parts`.
void CheckInvalid(const Status& status, std::string_view code,
                  std::initializer_list<std::string_view> parts) {
  INFO(status.ToString());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.errors().HasGeneral(code));
  REQUIRE(status.errors().general_errors.size() == 1);
  CHECK(status.errors().general_errors[0].message == status.message());
  for (std::string_view part : parts) {
    CHECK(status.message().find(part) != std::string::npos);
  }
}

template <typename T>
void CheckInvalid(const Result<T>& result, std::string_view code,
                  std::initializer_list<std::string_view> parts) {
  REQUIRE_FALSE(result.ok());
  CheckInvalid(result.status(), code, parts);
}

TEST_CASE("Kickstart: variables are replaced in keys, urls, bodies and member names",
          "[kickstart]") {
  const auto plan = Parse(R"json({
    "variables": {
      "apiKey": "4737ea8520bd454caabb7cb3d36e14bc1832c0d3f70a4189b82598670f11b1bd",
      "tenantId": "30663132-6464-6665-3032-326466613934",
      "company": "PiedPiper",
      "field": "Company",
      "greeting": "Hello #{company}",
      "port": 8080,
      "enabled": true
    },
    "apiKeys": [{"key": "#{apiKey}", "description": "Key for #{company}"}],
    "requests": [{
      "method": "POST",
      "url": "/api/tenant/#{tenantId}",
      "body": {"tenant": {"name": "#{company} (#{port}, #{enabled})",
                          "data": {"#{field}": "#{greeting}!"}}}
    }]
  })json");
  REQUIRE_OK(plan);
  CHECK(plan->source.empty());
  CHECK_FALSE(plan->default_tenant_id.has_value());
  CHECK(plan->variables ==
        std::map<std::string, std::string>{
            {"apiKey", "4737ea8520bd454caabb7cb3d36e14bc1832c0d3f70a4189b82598670f11b1bd"},
            {"tenantId", "30663132-6464-6665-3032-326466613934"},
            {"company", "PiedPiper"},
            {"field", "Company"},
            {"greeting", "Hello PiedPiper"},
            {"port", "8080"},
            {"enabled", "true"}});
  REQUIRE(plan->api_keys.size() == 1);
  CHECK(json::parse(plan->api_keys[0].body) ==
        json{{"key", "4737ea8520bd454caabb7cb3d36e14bc1832c0d3f70a4189b82598670f11b1bd"},
             {"description", "Key for PiedPiper"}});
  REQUIRE(plan->requests.size() == 1);
  const KickstartRequest& r = plan->requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "/api/tenant/30663132-6464-6665-3032-326466613934");
  CHECK(r.tenant_id.empty());
  CHECK(r.content_type == "application/json");
  CHECK(Body(r) == json::parse(R"json({"tenant": {"name": "PiedPiper (8080, true)",
                                                  "data": {"Company": "Hello PiedPiper!"}}})json"));
}

TEST_CASE("Kickstart: request fields: method case, tenantId, contentType, body kinds",
          "[kickstart]") {
  const auto plan = Parse(R"json({
    "apiKeys": [{"key": "k"}],
    "requests": [
      {"method": "post", "url": "/api/user?x=1"},
      {"method": "Put", "url": "/api/application", "tenantId": "30663132-6464-6665-3032-32646661393A",
       "body": {"application": {"name": "A"}}},
      {"method": "PATCH", "url": "/api/user/1", "contentType": "application/merge-patch+json",
       "body": [{"op": "add", "path": "/user/data/x", "value": 1}]},
      {"method": "POST", "url": "/api/x", "body": null, "tenantId": null},
      {"method": "POST", "url": "/api/x", "body": "text"}
    ]
  })json");
  REQUIRE_OK(plan);
  REQUIRE(plan->requests.size() == 5);
  CHECK(plan->requests[0].method == "POST");
  CHECK(plan->requests[0].url == "/api/user?x=1");
  CHECK(plan->requests[0].body.empty());
  CHECK(plan->requests[1].method == "PUT");
  CHECK(plan->requests[1].tenant_id == "30663132-6464-6665-3032-32646661393a");
  CHECK(Body(plan->requests[1]) == json{{"application", {{"name", "A"}}}});
  CHECK(plan->requests[2].method == "PATCH");
  CHECK(plan->requests[2].content_type == "application/merge-patch+json");
  CHECK(Body(plan->requests[2]).is_array());
  CHECK(plan->requests[3].body.empty());
  CHECK(plan->requests[3].tenant_id.empty());
  CHECK(plan->requests[4].body == "\"text\"");
}

TEST_CASE("Kickstart: #{ENV.NAME} reads the injected environment", "[kickstart]") {
  Env env;
  env.values = {{"FUSIONAUTH_API_KEY", "from-env"}, {"ADMIN_PASSWORD", "pw"}};
  const auto plan = Parse(R"json({
    "variables": {"apiKey": "#{ENV.FUSIONAUTH_API_KEY}", "adminPassword": "#{ENV.ADMIN_PASSWORD}"},
    "apiKeys": [{"key": "#{apiKey}"}],
    "requests": [{"method": "POST", "url": "/api/user/registration",
                  "body": {"user": {"password": "#{adminPassword}", "note": "#{ENV.ADMIN_PASSWORD}"}}}]
  })json",
                          {}, env);
  REQUIRE_OK(plan);
  CHECK(plan->variables.at("apiKey") == "from-env");
  CHECK(json::parse(plan->api_keys[0].body) == json{{"key", "from-env"}});
  CHECK(Body(plan->requests[0]) == json{{"user", {{"password", "pw"}, {"note", "pw"}}}});

  SECTION("an unset environment variable is an error naming it, not its neighbours' values") {
    Env partial;
    partial.values = {{"FUSIONAUTH_API_KEY", "secret-value"}};
    const auto missing = Parse(R"json({
      "variables": {"apiKey": "#{ENV.FUSIONAUTH_API_KEY}", "adminPassword": "#{ENV.ADMIN_PASSWORD}"},
      "apiKeys": [{"key": "#{apiKey}"}]
    })json",
                               {}, partial);
    CheckInvalid(missing, "[KickstartEnvironmentVariableNotSet]",
                 {"kickstart: ", "variables.adminPassword", "\"ADMIN_PASSWORD\"", "not set"});
    CHECK(missing.status().message().find("secret-value") == std::string::npos);
  }
  SECTION("the default environment is the process's") {
    ::setenv("BULWARK_KICKSTART_TEST_VALUE", "process value", 1);
    const auto from_process = ParseKickstart(
        R"json({"variables": {"v": "#{ENV.BULWARK_KICKSTART_TEST_VALUE}"}})json", {});
    ::unsetenv("BULWARK_KICKSTART_TEST_VALUE");
    REQUIRE_OK(from_process);
    CHECK(from_process->variables.at("v") == "process value");
  }
}

TEST_CASE("Kickstart: #{UUID()} is a fresh id per occurrence; a variable holds one",
          "[kickstart]") {
  constexpr std::string_view kFile = R"json({
    "variables": {"secondTenantId": "#{UUID()}", "other": "#{UUID()}"},
    "apiKeys": [{"key": "k"}, {"key": "#{UUID()}", "tenantId": "#{secondTenantId}"}],
    "requests": [
      {"method": "POST", "url": "/api/tenant/#{secondTenantId}", "body": {"a": "#{UUID()}", "b": "#{UUID()}"}},
      {"method": "POST", "url": "/api/application/#{UUID()}", "tenantId": "#{secondTenantId}"}
    ]
  })json";
  const auto plan = Parse(kFile);
  REQUIRE_OK(plan);
  const std::string tenant = plan->variables.at("secondTenantId");
  CHECK_OK(Uuid::Parse(tenant));
  const json second_key = json::parse(plan->api_keys[1].body);
  CHECK(second_key.at("tenantId") == tenant);
  CHECK(plan->requests[0].url == "/api/tenant/" + tenant);
  CHECK(plan->requests[1].tenant_id == tenant);
  const json body = Body(plan->requests[0]);
  const std::string application =
      plan->requests[1].url.substr(std::string("/api/application/").size());
  const std::set<std::string> ids = {tenant,
                                     plan->variables.at("other"),
                                     second_key.at("key").get<std::string>(),
                                     body.at("a").get<std::string>(),
                                     body.at("b").get<std::string>(),
                                     application};
  CHECK(ids.size() == 6);
  for (const std::string& id : ids) CHECK_OK(Uuid::Parse(id));

  // The same seed gives the same plan; options.random is the only source.
  const auto again = Parse(kFile);
  REQUIRE_OK(again);
  CHECK(again->variables == plan->variables);
  CHECK(again->requests[0].body == plan->requests[0].body);
  testing::DeterministicRandom other_seed(8);
  const auto different = ParseKickstart(kFile, {}, Env{}.Options(&other_seed));
  REQUIRE_OK(different);
  CHECK(different->variables.at("secondTenantId") != tenant);
}

TEST_CASE("Kickstart: \\#{ is a literal #{, and values are never scanned twice", "[kickstart]") {
  // In the JSON text the escape is written "\\#{": the decoded string holds \#{.
  const auto plan = Parse(R"json({
    "variables": {"name": "x", "literal": "\\#{name}", "template": "\\@{file} \\&{file.json}"},
    "apiKeys": [{"key": "k"}],
    "requests": [{"method": "POST", "url": "/api/x",
                  "body": {"a": "\\#{name} is #{name}", "b": "#{literal}", "c": "#{template}",
                           "d": "#{ unterminated", "e": "a \\ b #x {y} @ &", "f": "\\\\#{name}"}}]
  })json");
  REQUIRE_OK(plan);
  CHECK(plan->variables.at("literal") == "#{name}");
  CHECK(Body(plan->requests[0]) == json{{"a", "#{name} is x"},
                                        {"b", "#{name}"},
                                        {"c", "@{file} &{file.json}"},
                                        {"d", "#{ unterminated"},
                                        {"e", "a \\ b #x {y} @ &"},
                                        {"f", "\\#{name}"}});
}

TEST_CASE("Kickstart: values with quotes, backslashes and newlines stay valid JSON",
          "[kickstart]") {
  Env env;
  env.values = {{"TRICKY", "a \"quoted\" \\ back\nslash\t</script> \xC3\xA9"}};
  const auto plan = Parse(R"json({
    "variables": {"tricky": "#{ENV.TRICKY}", "quote": "\"},\"injected\":\"1"},
    "apiKeys": [{"key": "#{quote}"}],
    "requests": [{"method": "POST", "url": "/api/x", "body": {"v": "#{tricky}", "w": "[#{quote}]"}}]
  })json",
                          {}, env);
  REQUIRE_OK(plan);
  CHECK(json::parse(plan->api_keys[0].body) == json{{"key", "\"},\"injected\":\"1"}});
  const json body = Body(plan->requests[0]);
  CHECK(body.size() == 2);
  CHECK(body.at("v") == "a \"quoted\" \\ back\nslash\t</script> \xC3\xA9");
  CHECK(body.at("w") == "[\"},\"injected\":\"1]");

  SECTION("an environment value that is not UTF-8 is refused") {
    Env bad;
    bad.values = {{"BAD", "\xFF\xFE"}};
    CheckInvalid(Parse(R"json({"variables": {"v": "#{ENV.BAD}"}})json", {}, bad),
                 "[KickstartInvalidValue]", {"\"BAD\"", "UTF-8"});
  }
}

TEST_CASE("Kickstart: @{file} inserts a text file as a string, variables replaced", "[kickstart]") {
  KickstartDir dir;
  const std::string html =
      "<html>\r\n  <p class=\"x\">Hi ${user.firstName}, from #{company}</p>\n"
      "  <p>C:\\path \\#{kept} @{not-an-include}</p>\n</html>\n";
  dir.Write("emails/setup-password.html", html);
  dir.Write("emails/setup-password.txt", "\xEF\xBB\xBFPlain text\n");
  const auto plan = Parse(R"json({
    "variables": {"company": "Pied \"Piper\"", "fromFile": "@{emails/setup-password.txt}"},
    "apiKeys": [{"key": "k"}],
    "requests": [{"method": "POST", "url": "/api/email/template/0502df1e-4010-4b43-b571-d423fce978b2",
      "body": {"emailTemplate": {
        "defaultHtmlTemplate": "@{emails/setup-password.html}",
        "defaultTextTemplate": "Text: @{emails/setup-password.txt}",
        "name": "Setup Password"}}}]
  })json",
                          dir.dir());
  REQUIRE_OK(plan);
  const json t = Body(plan->requests[0]).at("emailTemplate");
  CHECK(t.at("defaultHtmlTemplate") ==
        "<html>\r\n  <p class=\"x\">Hi ${user.firstName}, from Pied \"Piper\"</p>\n"
        "  <p>C:\\path #{kept} @{not-an-include}</p>\n</html>\n");
  CHECK(t.at("defaultTextTemplate") == "Text: Plain text\n");
  CHECK(plan->variables.at("fromFile") == "Plain text\n");
}

TEST_CASE("Kickstart: &{file.json} inserts a whole request or a body, nested includes resolved",
          "[kickstart]") {
  KickstartDir dir;
  dir.Write("emails/setup-password.html", "<p>#{company}</p>\n");
  dir.Write("json/setup-password.json", R"json({
    "emailTemplate": {
      "defaultHtmlTemplate": "@{emails/setup-password.html}",
      "fromEmail": "no-reply@#{domain}",
      "name": "Setup Password"
    }
  })json");
  dir.Write("requests/setup-password.json", R"json({
    "method": "POST",
    "url": "/api/email/template/#{templateId}",
    "body": "&{json/setup-password.json}"
  })json");
  dir.Write("requests/tenant.json",
            R"json({"method": "PATCH", "url": "/api/tenant/#{FUSIONAUTH_TENANT_ID}",
                                       "body": {"tenant": {"name": "#{company}"}}})json");
  dir.Write("keys.json", R"json([{"key": "#{apiKey}"}])json");
  const auto plan = Parse(R"json({
    "variables": {
      "apiKey": "key-1",
      "company": "Hooli",
      "domain": "hooli.com",
      "templateId": "0502df1e-4010-4b43-b571-d423fce978b2",
      "defaultTenantId": "30663132-6464-6665-3032-326466613934"
    },
    "apiKeys": "&{keys.json}",
    "requests": [
      "&{requests/setup-password.json}",
      {"method": "PUT", "url": "/api/email/template/#{templateId}", "body": "&{json/setup-password.json}"},
      "&{requests/tenant.json}"
    ]
  })json",
                          dir.dir());
  REQUIRE_OK(plan);
  REQUIRE(plan->api_keys.size() == 1);
  CHECK(json::parse(plan->api_keys[0].body) == json{{"key", "key-1"}});
  REQUIRE(plan->requests.size() == 3);
  const json expected_body = json::parse(R"json({"emailTemplate": {
      "defaultHtmlTemplate": "<p>Hooli</p>\n",
      "fromEmail": "no-reply@hooli.com",
      "name": "Setup Password"}})json");
  CHECK(plan->requests[0].method == "POST");
  CHECK(plan->requests[0].url == "/api/email/template/0502df1e-4010-4b43-b571-d423fce978b2");
  CHECK(Body(plan->requests[0]) == expected_body);
  CHECK(plan->requests[1].method == "PUT");
  CHECK(Body(plan->requests[1]) == expected_body);
  CHECK(plan->requests[2].url == "/api/tenant/30663132-6464-6665-3032-326466613934");
  CHECK(Body(plan->requests[2]) == json{{"tenant", {{"name", "Hooli"}}}});

  SECTION("errors inside an included file name that file") {
    dir.Write("requests/bad.json", R"json({"method": "GET", "url": "/api/x"})json");
    CheckInvalid(
        Parse(R"json({"apiKeys": [{"key": "k"}], "requests": ["&{requests/bad.json}"]})json",
              dir.dir()),
        "[KickstartInvalidValue]",
        {"requests/bad.json: ", "requests[0].method", "POST, PUT or PATCH"});
    dir.Write("json/unknown.json", R"json({"a": {"b": ["#{nope}"]}})json");
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "k"}],
                           "requests": [{"method": "POST", "url": "/x", "body": "&{json/unknown.json}"}]})json",
                       dir.dir()),
                 "[KickstartUnknownVariable]",
                 {"json/unknown.json: ", "requests[0].body.a.b[0]", "\"nope\""});
    dir.Write("json/broken.json", "{\n  \"a\": 1,\n  \"b\": }\n");
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "k"}],
                           "requests": [{"method": "POST", "url": "/x", "body": "&{json/broken.json}"}]})json",
                       dir.dir()),
                 "[KickstartInvalidJSON]", {"json/broken.json: ", "line 3, column 8"});
  }
  SECTION("a JSON include must be the whole string") {
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "k"}],
                           "requests": [{"method": "POST", "url": "/x", "body": {"a": "x &{keys.json}"}}]})json",
                       dir.dir()),
                 "[KickstartInvalidInclude]", {"requests[0].body.a", "whole string"});
  }
  SECTION("include cycles are found") {
    dir.Write("a.json", R"json({"next": "&{b.json}"})json");
    dir.Write("b.json", R"json({"next": "&{./a.json}"})json");
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "k"}],
                           "requests": [{"method": "POST", "url": "/x", "body": "&{a.json}"}]})json",
                       dir.dir()),
                 "[KickstartInvalidInclude]", {"cycle", "\"a.json\" -> \"b.json\" -> \"a.json\""});
  }
}

TEST_CASE("Kickstart: LoadKickstart reads the file and resolves includes beside it",
          "[kickstart]") {
  KickstartDir dir;
  dir.Write("body.json", R"json({"tenant": {"name": "#{name}"}})json");
  const std::filesystem::path file = dir.Write("kickstart.json", R"json({
    "variables": {"name": "Aviato"},
    "apiKeys": [{"key": "k"}],
    "requests": [{"method": "POST", "url": "/api/tenant", "body": "&{body.json}"}],
    "licenseId": "#{ENV.NOT_SET_AND_IGNORED}",
    "license": "text",
    "settings": {"connectTimeout": 7000, "readTimeout": 7000}
  })json");
  const auto plan = LoadKickstart(file);
  REQUIRE_OK(plan);
  CHECK(plan->source == file);
  CHECK(Body(plan->requests[0]) == json{{"tenant", {{"name", "Aviato"}}}});

  SECTION("a missing kickstart file is kNotFound") {
    const auto missing = LoadKickstart(dir.dir() / "nope.json");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == StatusCode::kNotFound);
    CHECK(missing.status().errors().HasGeneral("[KickstartNotFound]"));
    CHECK(missing.status().message().find("nope.json") != std::string::npos);
  }
  SECTION("a folder is not a kickstart file") {
    CheckInvalid(LoadKickstart(dir.dir()), "[KickstartUnreadable]", {"kickstart"});
  }
  SECTION("errors name the file") {
    const std::filesystem::path bad =
        dir.Write("bad.json", R"json({"requests": [{"url": "/x"}]})json");
    CheckInvalid(LoadKickstart(bad), "[KickstartInvalidValue]",
                 {bad.string() + ": requests[0]: ", "\"method\" is required"});
  }
}

TEST_CASE("Kickstart: unknown variables and cycles are errors naming them", "[kickstart]") {
  CheckInvalid(Parse(R"json({"apiKeys": [{"key": "k"}],
                         "requests": [{"method": "POST", "url": "/api/#{missing}"}]})json"),
               "[KickstartUnknownVariable]", {"kickstart: requests[0].url: ", "\"missing\""});
  CheckInvalid(Parse(R"json({"variables": {"a": "#{b}", "b": "x#{c}", "c": "#{a}"}})json"),
               "[KickstartVariableCycle]", {"variables.c", "\"a\" -> \"b\" -> \"c\" -> \"a\""});
  CheckInvalid(Parse(R"json({"variables": {"a": "#{a}"}})json"), "[KickstartVariableCycle]",
               {"\"a\""});
  CheckInvalid(Parse(R"json({"apiKeys": [{"key": "#{}"}]})json"), "[KickstartInvalidValue]",
               {"apiKeys[0].key", "#{}"});
  CheckInvalid(Parse(R"json({"apiKeys": [{"key": "#{NOW()}"}]})json"), "[KickstartInvalidValue]",
               {"\"NOW()\"", "UUID()"});
  CheckInvalid(Parse(R"json({"apiKeys": [{"key": "#{FUSIONAUTH_DEFAULT_SIGNING_KEY_ID}"}]})json"),
               "[KickstartUnknownVariable]", {"FusionAuth built-in"});
  CheckInvalid(Parse(R"json({"apiKeys": [{"key": "#{FUSIONAUTH_TENANT_ID}"}]})json"),
               "[KickstartUnknownVariable]", {"defaultTenantId"});
  CheckInvalid(Parse(R"json({"variables": {"v": ["x"]}})json"), "[KickstartInvalidValue]",
               {"variables.v", "string"});
  CheckInvalid(Parse(R"json({"variables": "x"})json"), "[KickstartInvalidValue]", {"variables"});
  CheckInvalid(Parse(R"json({"variables": {"v": "&{x.json}"}})json"), "[KickstartInvalidInclude]",
               {"variables.v"});
  // A long chain is fine; a chain deeper than the limit is an error, not a stack overflow.
  std::string chain = R"json({"variables": {)json";
  for (int i = 0; i < 1000; ++i) {
    chain += "\"v" + std::to_string(i) + "\": \"#{v" + std::to_string(i + 1) + "}\",";
  }
  chain += R"json("v1000": "end"}})json";
  CheckInvalid(Parse(chain), "[KickstartInvalidValue]", {"levels deep"});
  std::string short_chain = R"json({"variables": {"v0": "#{v1}", "v1": "#{v2}", "v2": "end"}})json";
  const auto ok = Parse(short_chain);
  REQUIRE_OK(ok);
  CHECK(ok->variables.at("v0") == "end");
}

TEST_CASE("Kickstart: FusionAuth built-ins known before the Engine opens", "[kickstart]") {
  const auto plan = Parse(R"json({
    "variables": {"defaultTenantId": "30663132-6464-6665-3032-32646661393A"},
    "apiKeys": [{"key": "k"}],
    "requests": [{"method": "POST", "url": "/api/user/registration",
                  "tenantId": "#{FUSIONAUTH_TENANT_ID}",
                  "body": {"registration": {"applicationId": "#{FUSIONAUTH_APPLICATION_ID}"}}}]
  })json");
  REQUIRE_OK(plan);
  REQUIRE(plan->default_tenant_id.has_value());
  CHECK(plan->default_tenant_id->ToString() == "30663132-6464-6665-3032-32646661393a");
  CHECK(plan->requests[0].tenant_id == "30663132-6464-6665-3032-32646661393a");
  CHECK(Body(plan->requests[0]) ==
        json{{"registration", {{"applicationId", "3c219e58-ed0e-4b18-ad48-f4f92793ae32"}}}});
  // A variable of the same name wins over the built-in.
  const auto own = Parse(
      R"json({"variables": {"FUSIONAUTH_APPLICATION_ID": "mine", "x": "#{FUSIONAUTH_APPLICATION_ID}"}})json");
  REQUIRE_OK(own);
  CHECK(own->variables.at("x") == "mine");
}

TEST_CASE("Kickstart: defaultTenantId must be a UUID", "[kickstart]") {
  Env env;
  env.values = {{"TENANT", "30663132-6464-6665-3032-326466613934"}};
  const auto from_env =
      Parse(R"json({"variables": {"defaultTenantId": "#{ENV.TENANT}"}})json", {}, env);
  REQUIRE_OK(from_env);
  REQUIRE(from_env->default_tenant_id.has_value());
  CHECK(from_env->default_tenant_id->ToString() == "30663132-6464-6665-3032-326466613934");
  CHECK(from_env->variables.at("defaultTenantId") == "30663132-6464-6665-3032-326466613934");

  const auto generated = Parse(R"json({"variables": {"defaultTenantId": "#{UUID()}"}})json");
  REQUIRE_OK(generated);
  REQUIRE(generated->default_tenant_id.has_value());
  CHECK(generated->default_tenant_id->ToString() == generated->variables.at("defaultTenantId"));

  for (const char* bad : {"not-a-uuid", "", "00000000-0000-0000-0000-000000000000",
                          "{30663132-6464-6665-3032-326466613934}"}) {
    INFO(bad);
    CheckInvalid(Parse(json{{"variables", {{"defaultTenantId", bad}}}}.dump()),
                 "[KickstartInvalidValue]", {"variables.defaultTenantId", "UUID"});
  }
  CheckInvalid(Parse(R"json({"variables": {"defaultTenantId": 5}})json"), "[KickstartInvalidValue]",
               {"variables.defaultTenantId"});
}

TEST_CASE("Kickstart: include paths stay inside the kickstart folder", "[kickstart]") {
  KickstartDir dir;
  dir.Write("secret.json", R"json({"stolen": true})json", /*outside=*/true);
  dir.Write("secret.txt", "stolen", /*outside=*/true);
  dir.Write("sub/ok.txt", "fine");
  const auto check_refused = [&](const std::string& include) {
    INFO(include);
    const std::string text = json{{"apiKeys", {{{"key", include}}}}}.dump();
    CheckInvalid(Parse(text, dir.dir()), "[KickstartInvalidInclude]", {"apiKeys[0].key"});
  };
  check_refused("@{../secret.txt}");
  check_refused("@{sub/../../secret.txt}");
  check_refused("@{" + (dir.root() / "secret.txt").string() + "}");
  check_refused("@{}");
  check_refused("@{/etc/passwd}");
  CheckInvalid(Parse(R"json({"apiKeys": "&{../secret.json}"})json", dir.dir()),
               "[KickstartInvalidInclude]", {"apiKeys", "leaves"});
  // Going down and up again inside the folder is fine.
  const auto ok = Parse(R"json({"apiKeys": [{"key": "@{sub/../sub/ok.txt}"}]})json", dir.dir());
  REQUIRE_OK(ok);
  CHECK(json::parse(ok->api_keys[0].body) == json{{"key", "fine"}});

  SECTION("a missing include names the file") {
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "@{emails/missing.txt}"}]})json", dir.dir()),
                 "[KickstartIncludeNotFound]", {"apiKeys[0].key", "\"emails/missing.txt\""});
    CheckInvalid(Parse(R"json({"apiKeys": "&{missing.json}"})json", dir.dir()),
                 "[KickstartIncludeNotFound]", {"\"missing.json\""});
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "@{sub}"}]})json", dir.dir()),
                 "[KickstartUnreadable]", {"\"sub\""});
  }
  SECTION("an included text file must be UTF-8") {
    dir.Write("latin1.txt", "caf\xE9");
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "@{latin1.txt}"}]})json", dir.dir()),
                 "[KickstartInvalidValue]", {"\"latin1.txt\"", "UTF-8"});
  }
}

TEST_CASE("Kickstart: apiKeys and requests are checked", "[kickstart]") {
  const auto invalid = [](std::string_view text, std::string_view code,
                          std::initializer_list<std::string_view> parts) {
    INFO(text);
    CheckInvalid(Parse(text), code, parts);
  };
  invalid(R"json({"apiKeys": [{"description": "no key"}]})json", "[KickstartInvalidValue]",
          {"apiKeys[0]", "\"key\" is required"});
  invalid(R"json({"apiKeys": [{"key": "k"}, {"key": " \t"}]})json", "[KickstartInvalidValue]",
          {"apiKeys[1]", "blank"});
  invalid(R"json({"apiKeys": [{"key": 5}]})json", "[KickstartInvalidValue]",
          {"apiKeys[0].key", "string"});
  invalid(R"json({"apiKeys": ["k"]})json", "[KickstartInvalidValue]", {"apiKeys[0]", "object"});
  invalid(R"json({"apiKeys": {"key": "k"}})json", "[KickstartInvalidValue]", {"apiKeys", "array"});
  invalid(
      R"json({"apiKeys": [{"key": "k", "permissions": {"endpoints": {"/api/user": ["GET"]}}}]})json",
      "[KickstartInvalidValue]", {"apiKeys[0].permissions", "first API key"});
  invalid(
      R"json({"apiKeys": [{"key": "k", "tenantId": "30663132-6464-6665-3032-326466613934"}]})json",
      "[KickstartInvalidValue]", {"apiKeys[0].tenantId", "first API key"});
  invalid(R"json({"requests": [{"method": "POST", "url": "/api/x"}]})json",
          "[KickstartInvalidValue]", {"apiKeys", "API key"});
  invalid(
      R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "GET", "url": "/api/x"}]})json",
      "[KickstartInvalidValue]", {"requests[0].method", "POST, PUT or PATCH"});
  invalid(
      R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "DELETE", "url": "/api/x"}]})json",
      "[KickstartInvalidValue]", {"requests[0].method"});
  invalid(R"json({"apiKeys": [{"key": "k"}], "requests": [{"url": "/api/x"}]})json",
          "[KickstartInvalidValue]", {"requests[0]", "\"method\" is required"});
  invalid(
      R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": "/a"}, {"method": "POST"}]})json",
      "[KickstartInvalidValue]", {"requests[1]", "\"url\" is required"});
  invalid(R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": ""}]})json",
          "[KickstartInvalidValue]", {"requests[0]", "\"url\" is required"});
  for (const char* url :
       {"api/x", "http://evil/api/x", "//evil/api/x", "/api/x y", "/api/\r\nX: y"}) {
    INFO(url);
    CheckInvalid(Parse(json{{"apiKeys", {{{"key", "k"}}}},
                            {"requests", {{{"method", "POST"}, {"url", url}}}}}
                           .dump()),
                 "[KickstartInvalidValue]", {"requests[0].url", "starting with /"});
  }
  invalid(
      R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": "/x", "tenantId": "nope"}]})json",
      "[KickstartInvalidValue]", {"requests[0].tenantId", "UUID"});
  invalid(
      R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": "/x", "contentType": "a\r\nb"}]})json",
      "[KickstartInvalidValue]", {"requests[0].contentType"});
  invalid(
      R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": "/x", "headers": {}}]})json",
      "[KickstartUnknownKey]", {"requests[0]", "\"headers\""});
  invalid(R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": ["POST"], "url": "/x"}]})json",
          "[KickstartInvalidValue]", {"requests[0].method", "string"});
  invalid(R"json({"apiKeys": [{"key": "k"}], "requests": [5]})json", "[KickstartInvalidValue]",
          {"requests[0]", "object"});
  invalid(R"json({"apiKeys": [{"key": "k"}], "requests": {}})json", "[KickstartInvalidValue]",
          {"requests", "array"});
  invalid(R"json({"apiKeys": [{"key": "k"}], "request": []})json", "[KickstartUnknownKey]",
          {"kickstart: ", "\"request\""});
  invalid(R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": "/x",
              "body": {"#{a}": 1, "#{b}": 2}}], "variables": {"a": "same", "b": "same"}})json",
          "[KickstartInvalidValue]", {"requests[0].body.same", "two members"});
  // No requests and no keys: a file that only sets the default tenant is fine.
  const auto only_tenant = Parse(
      R"json({"variables": {"defaultTenantId": "30663132-6464-6665-3032-326466613934"}})json");
  REQUIRE_OK(only_tenant);
  CHECK(only_tenant->api_keys.empty());
  CHECK(only_tenant->requests.empty());
  const auto empty = Parse("{}");
  REQUIRE_OK(empty);
}

TEST_CASE("Kickstart: malformed and hostile JSON is an error, never a crash", "[kickstart]") {
  CheckInvalid(Parse("{\n  \"apiKeys\": [\n    {\"key\": \"k\",}\n  ]\n}"),
               "[KickstartInvalidJSON]", {"kickstart: ", "line 3, column 17"});
  CheckInvalid(Parse(""), "[KickstartInvalidJSON]", {"line 1"});
  CheckInvalid(Parse("{} trailing"), "[KickstartInvalidJSON]", {"line 1"});
  CheckInvalid(Parse("{\"apiKeys\": [] // no comments\n}"), "[KickstartInvalidJSON]", {"line 1"});
  CheckInvalid(Parse("[]"), "[KickstartInvalidValue]", {"JSON object"});
  CheckInvalid(Parse(R"json({"apiKeys": [], "apiKeys": []})json"), "[KickstartInvalidJSON]",
               {"\"apiKeys\" appears twice"});
  CheckInvalid(Parse("{\"variables\": {\"v\": \"\xFF\"}}"), "[KickstartInvalidJSON]", {"line 1"});
  // A secret near a syntax error is not quoted back.
  const auto secret = Parse(R"json({"apiKeys": [{"key": "super-secret-key" "x"}]})json");
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.status().message().find("super-secret") == std::string::npos);

  SECTION("deep nesting is refused without recursion") {
    const std::string deep_array = std::string(200000, '[') + std::string(200000, ']');
    CheckInvalid(Parse(deep_array), "[KickstartInvalidJSON]", {"nested more than 64"});
    std::string deep_body =
        R"json({"apiKeys": [{"key": "k"}], "requests": [{"method": "POST", "url": "/x", "body": )json";
    for (int i = 0; i < 100; ++i) deep_body += R"json({"a": )json";
    deep_body += "1";
    deep_body += std::string(100, '}') + "}]}";
    CheckInvalid(Parse(deep_body), "[KickstartInvalidJSON]", {"nested more than 64"});
    // 62 levels fit on their own but not under requests[0].body: includes count too.
    KickstartDir dir;
    std::string deep_include;
    for (int i = 0; i < 62; ++i) deep_include += R"json({"a": )json";
    deep_include += "1" + std::string(62, '}');
    dir.Write("deep.json", deep_include);
    CheckInvalid(Parse(R"json({"apiKeys": [{"key": "k"}],
                           "requests": [{"method": "POST", "url": "/x", "body": "&{deep.json}"}]})json",
                       dir.dir()),
                 "[KickstartInvalidValue]", {"deep.json: ", "requests[0].body.a.a", "nested"});
  }
  SECTION("every prefix of a valid file fails cleanly") {
    const std::string text = R"json({"variables": {"a": "#{UUID()}", "b": "\\#{x}"},
      "apiKeys": [{"key": "#{a}"}],
      "requests": [{"method": "POST", "url": "/api/#{a}", "body": {"x": [1, 2.5, null, true]}}]})json";
    REQUIRE_OK(Parse(text));
    for (std::size_t n = 0; n < text.size(); ++n) {
      const auto partial = Parse(text.substr(0, n));
      CHECK_FALSE(partial.ok());
    }
  }
  SECTION("expansion is bounded") {
    // Each variable doubles the one before: 2^40 bytes if nothing stopped it.
    std::string bomb = R"json({"variables": {"v0": "0123456789abcdef")json";
    for (int i = 1; i <= 40; ++i) {
      bomb += ",\"v" + std::to_string(i) + "\": \"#{v" + std::to_string(i - 1) + "}#{v" +
              std::to_string(i - 1) + "}\"";
    }
    bomb += "}}";
    CheckInvalid(Parse(bomb), "[KickstartTooLarge]", {"MiB"});
  }
}

TEST_CASE("Kickstart: FusionAuth's documented example kickstart files load", "[kickstart]") {
  const std::filesystem::path folder =
      std::filesystem::path(BULWARK_SHARED_REFERENCE_DIR) / "fusionauth-json" / "kickstart";
  if (!std::filesystem::is_directory(folder)) {
    WARN("../shared/reference/fusionauth-json is absent: FusionAuth kickstart examples skipped");
    return;
  }
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("kickstart") == std::string::npos || entry.path().extension() != ".json") {
      continue;
    }
    INFO(name);
    Env env;
    env.values = {{"FUSIONAUTH_API_KEY", "api-key"}, {"FUSIONAUTH_ADMIN_PASSWORD", "password"}};
    testing::DeterministicRandom random(1);
    const auto plan = LoadKickstart(entry.path(), env.Options(&random));
    REQUIRE_OK(plan);
    CHECK_FALSE(plan->api_keys.empty());
    ++loaded;
  }
  CHECK(loaded >= 1);
  // The documented simplest file, by name.
  const auto simplest = LoadKickstart(folder / "simplest-kickstart.json");
  REQUIRE_OK(simplest);
  REQUIRE(simplest->api_keys.size() == 1);
  CHECK(json::parse(simplest->api_keys[0].body) ==
        json{{"key", "4737ea8520bd454caabb7cb3d36e14bc1832c0d3f70a4189b82598670f11b1bd"}});
  CHECK(simplest->requests.empty());
  CHECK(simplest->variables.empty());
}

}  // namespace
}  // namespace bulwark::http
