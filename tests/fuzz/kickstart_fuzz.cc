// SPDX-License-Identifier: Apache-2.0
// The Kickstart parser: ParseKickstart on the input, with a fixed environment, a
// deterministic #{UUID()} and a folder of include files made once (a.txt, b.json, c.json,
// sub/d.txt). Parsed plans hold only POST/PUT/PATCH requests with a url, and every body and
// API key is valid JSON; failures are values of the documented codes.
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "bulwark/http/kickstart.h"
#include "bulwark/testing/deterministic_random.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;

class IncludeDir {
 public:
  IncludeDir() {
    root_ = fs::temp_directory_path() / ("bulwark-fuzz-kickstart-" + std::to_string(::getpid()));
    std::error_code ignored;
    fs::remove_all(root_, ignored);
    fs::create_directories(root_ / "kickstart" / "sub");
    Write("kickstart/a.txt", "text with #{name} and a \"quote\"\n");
    Write("kickstart/b.json", R"({"user": {"email": "#{email}", "data": "&{c.json}"}})");
    Write("kickstart/c.json", R"([1, "two", {"three": "@{a.txt}"}])");
    Write("kickstart/sub/d.txt", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    Write("outside.txt", "outside the kickstart folder");
  }
  IncludeDir(const IncludeDir&) = delete;
  IncludeDir& operator=(const IncludeDir&) = delete;
  ~IncludeDir() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  fs::path dir() const { return root_ / "kickstart"; }

 private:
  void Write(const std::string& relative, std::string_view text) const {
    std::ofstream out(root_ / relative, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  fs::path root_;
};

std::optional<std::string> Environment(std::string_view name) {
  if (name == "HOME") return std::string("/home/fuzz");
  if (name == "API_KEY") return std::string("#{apiKey}");  // not resolved again
  if (name == "EMPTY") return std::string();
  return std::nullopt;
}

bool IsJson(const std::string& text) {
  return !nlohmann::json::parse(text, nullptr, false).is_discarded();
}

}  // namespace

BULWARK_FUZZ_TARGET(kickstart) {
  static const IncludeDir includes;
  bulwark::testing::DeterministicRandom random(11);
  const bulwark::http::KickstartOptions options{.environment = &Environment, .random = &random};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bulwark::Result<bulwark::http::KickstartPlan> plan =
      bulwark::http::ParseKickstart(text, includes.dir(), options);
  if (!plan.ok()) {
    const bulwark::StatusCode code = plan.status().code();
    BULWARK_FUZZ_CHECK(code == bulwark::StatusCode::kInvalidArgument ||
                       code == bulwark::StatusCode::kNotFound ||
                       code == bulwark::StatusCode::kUnavailable);
    return 0;
  }
  for (const bulwark::http::KickstartApiKey& key : plan->api_keys) {
    const nlohmann::json body = nlohmann::json::parse(key.body, nullptr, false);
    BULWARK_FUZZ_CHECK(body.is_object() && body.contains("key"));
  }
  for (const bulwark::http::KickstartRequest& request : plan->requests) {
    BULWARK_FUZZ_CHECK(request.method == "POST" || request.method == "PUT" ||
                       request.method == "PATCH");
    BULWARK_FUZZ_CHECK(!request.url.empty());
    BULWARK_FUZZ_CHECK(request.body.empty() || IsJson(request.body));
  }
  return 0;
}
