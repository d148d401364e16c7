// SPDX-License-Identifier: Apache-2.0
// LoadKickstart / ParseKickstart: reading a FusionAuth kickstart file into a KickstartPlan.
//
// The file is parsed as strict JSON first; variables and includes are then resolved inside the
// decoded string values (and object member names), never in the raw text. That gives the
// result FusionAuth's textual replacement gives for every well-formed file, but a value that
// holds a quote, a backslash or a newline can never break the JSON around it: the body is
// serialised again at the end.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bulwark/http/kickstart.h"
#include "core/ascii.h"
#include "json/parse.h"

namespace bulwark::http {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 64;          // containers, counting across includes
constexpr int kMaxIncludeDepth = 16;   // &{} inside &{} inside ...
constexpr int kMaxVariableDepth = 64;  // #{a} whose value uses #{b} whose value ...
constexpr std::size_t kMaxFileSize = std::size_t{16} << 20;
// Everything read from files plus everything variables expand to: a bound on the work a
// small file that references one large value many times can cause.
constexpr std::size_t kMaxTotalBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxNameInMessage = 64;

// FusionAuth's fixed id of its own admin application (reference §10).
constexpr std::string_view kFusionAuthApplicationId = "3c219e58-ed0e-4b18-ad48-f4f92793ae32";
constexpr std::string_view kDefaultContentType = "application/json";

constexpr std::array<std::string_view, 6> kTopLevelMembers = {"variables", "apiKeys", "requests",
                                                              "licenseId", "license", "settings"};
constexpr std::array<std::string_view, 5> kRequestMembers = {"method", "url", "tenantId",
                                                             "contentType", "body"};

// General error codes.
constexpr std::string_view kNotFoundCode = "[KickstartNotFound]";
constexpr std::string_view kUnreadableCode = "[KickstartUnreadable]";
constexpr std::string_view kInvalidJsonCode = "[KickstartInvalidJSON]";
constexpr std::string_view kTooLargeCode = "[KickstartTooLarge]";
constexpr std::string_view kUnknownKeyCode = "[KickstartUnknownKey]";
constexpr std::string_view kInvalidValueCode = "[KickstartInvalidValue]";
constexpr std::string_view kUnknownVariableCode = "[KickstartUnknownVariable]";
constexpr std::string_view kEnvironmentCode = "[KickstartEnvironmentVariableNotSet]";
constexpr std::string_view kVariableCycleCode = "[KickstartVariableCycle]";
constexpr std::string_view kInvalidIncludeCode = "[KickstartInvalidInclude]";
constexpr std::string_view kIncludeNotFoundCode = "[KickstartIncludeNotFound]";
constexpr std::string_view kRandomFailureCode = "[KickstartRandomFailure]";

Status Failure(StatusCode code, std::string_view error_code, const std::string& message) {
  Errors errors;
  errors.AddGeneral(error_code, message);
  return Status(code, message, std::move(errors));
}

// "file: path: what", or "file: what" at the top of the document.
std::string Describe(const std::string& file, const std::string& path, std::string_view what) {
  std::string message = file;
  message.append(": ");
  if (!path.empty()) message.append(path).append(": ");
  message.append(what);
  return message;
}

// A name from the file, quoted and shortened for a message.
std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name.substr(0, kMaxNameInMessage)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  if (name.size() > kMaxNameInMessage) out.append("...");
  out.push_back('"');
  return out;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code_point = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code_point = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code_point = c & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000) ||
        code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string_view WithoutByteOrderMark(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

template <std::size_t N>
bool IsOneOf(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool HasControlOrSpace(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

bool HasControl(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return true;
  }
  return false;
}

std::string AsciiUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

std::string Serialise(const nlohmann::json& value) {
  // Every string was checked for UTF-8 on the way in; `replace` is defence in depth.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

enum class ReadOutcome { kOk, kMissing, kUnreadable, kTooLarge };

ReadOutcome ReadWholeFile(const fs::path& path, std::string& out) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) return ReadOutcome::kMissing;
  if (ec || !fs::is_regular_file(status)) return ReadOutcome::kUnreadable;
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadOutcome::kUnreadable;
  out.clear();
  char buffer[64 * 1024];
  while (in) {
    in.read(buffer, sizeof(buffer));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    if (out.size() + static_cast<std::size_t>(got) > kMaxFileSize) return ReadOutcome::kTooLarge;
    out.append(buffer, static_cast<std::size_t>(got));
  }
  if (in.bad()) return ReadOutcome::kUnreadable;
  return ReadOutcome::kOk;
}

// Strict JSON (json/parse.h): no comments, no duplicate member names, at most kMaxDepth
// containers deep. The message names the file and the position, never the text around it:
// a kickstart file holds secrets. Sizes are bounded by the reader, with their own error code.
Result<nlohmann::json> ParseJson(std::string_view text, const std::string& file) {
  static constexpr bulwark::internal::ParseOptions kOptions{
      .max_depth = kMaxDepth,
      .reject_duplicate_keys = true,
      .max_bytes = std::numeric_limits<std::size_t>::max()};
  Result<nlohmann::json> value = bulwark::internal::ParseJson(text, kOptions);
  if (!value.ok()) {
    return Failure(StatusCode::kInvalidArgument, kInvalidJsonCode,
                   Describe(file, "", value.status().message()));
  }
  return value;
}

// Resolves one kickstart document. Used once per call: it holds the call's state.
class Loader {
 public:
  Loader(fs::path base_directory, std::string source, const KickstartOptions& options)
      : base_(std::move(base_directory)),
        source_(std::move(source)),
        environment_(options.environment),
        random_(options.random != nullptr ? *options.random : Random::Default()) {
    if (!environment_) {
      environment_ = [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      };
    }
  }

  Result<KickstartPlan> Run(std::string_view text) {
    BULWARK_ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(text, source_));
    if (!document.is_object()) return Invalid(source_, "", "the file must hold a JSON object");
    for (auto it = document.begin(); it != document.end(); ++it) {
      if (!IsOneOf(it.key(), kTopLevelMembers)) {
        return Failure(StatusCode::kInvalidArgument, kUnknownKeyCode,
                       Describe(source_, "",
                                "unknown member " + Quoted(it.key()) +
                                    " (expected variables, apiKeys, requests, licenseId, "
                                    "license or settings)"));
      }
    }
    // licenseId, license and settings (FusionAuth's HTTP timeouts) mean nothing to bulwark:
    // they are accepted and not even resolved.
    KickstartPlan plan;
    BULWARK_RETURN_IF_ERROR(ReadVariables(document));
    BULWARK_RETURN_IF_ERROR(ResolveDefaultTenantId(plan));
    for (const auto& [name, raw] : raw_variables_) {
      BULWARK_ASSIGN_OR_RETURN(std::string value, ResolveVariable(name, source_, "variables"));
      plan.variables.emplace(name, std::move(value));
    }
    BULWARK_RETURN_IF_ERROR(ReadApiKeys(document, plan));
    BULWARK_RETURN_IF_ERROR(ReadRequests(document, plan));
    if (!plan.requests.empty() && plan.api_keys.empty()) {
      return Invalid(source_, "apiKeys", "the requests need an API key to run with");
    }
    return plan;
  }

 private:
  enum class Mode {
    kValue,  // #{}, @{}, and the escapes \#{ \@{ \&{
    kText,   // #{} and \#{ only: the content of @{} files and member names
  };

  Status Invalid(const std::string& file, const std::string& path, std::string_view what) {
    return Failure(StatusCode::kInvalidArgument, kInvalidValueCode, Describe(file, path, what));
  }

  // The file a node of the resolved document came from, for messages after resolution.
  std::string FileOf(const std::string& path) const {
    std::string file = source_;
    std::size_t best = 0;
    for (const auto& [prefix, included] : origins_) {
      const bool under = path.compare(0, prefix.size(), prefix) == 0 &&
                         (path.size() == prefix.size() || path[prefix.size()] == '.' ||
                          path[prefix.size()] == '[');
      if (under && prefix.size() >= best) {
        best = prefix.size();
        file = included;
      }
    }
    return file;
  }

  Status Charge(std::size_t bytes, const std::string& file, const std::string& path) {
    used_ += bytes;
    if (used_ > kMaxTotalBytes) {
      return Failure(StatusCode::kInvalidArgument, kTooLargeCode,
                     Describe(file, path,
                              "the file, its includes and its variables expand to more than " +
                                  std::to_string(kMaxTotalBytes >> 20) + " MiB"));
    }
    return Status::Ok();
  }

  Status ReadVariables(const nlohmann::json& document) {
    auto it = document.find("variables");
    if (it == document.end() || it->is_null()) return Status::Ok();
    if (!it->is_object()) return Invalid(source_, "variables", "must be a JSON object");
    for (auto v = it->begin(); v != it->end(); ++v) {
      const std::string path = "variables." + v.key();
      const nlohmann::json& value = v.value();
      if (value.is_string()) {
        raw_variables_.emplace(v.key(), value.get<std::string>());
      } else if (value.is_number() || value.is_boolean()) {
        raw_variables_.emplace(v.key(), value.dump());
      } else {
        return Invalid(source_, path, "a variable must be a string, a number or a boolean");
      }
    }
    return Status::Ok();
  }

  Status ResolveDefaultTenantId(KickstartPlan& plan) {
    if (raw_variables_.count("defaultTenantId") == 0) return Status::Ok();
    BULWARK_ASSIGN_OR_RETURN(std::string value,
                             ResolveVariable("defaultTenantId", source_, "variables"));
    Result<TenantId> id = TenantId::Parse(value);
    if (!id.ok() || id->IsNil()) {
      return Invalid(source_, "variables.defaultTenantId", "must be a UUID (and not the nil one)");
    }
    plan.default_tenant_id = *id;
    return Status::Ok();
  }

  // The value of the file's variable `name`, resolved once and then reused (so one #{UUID()}
  // in a variable is one id however often the variable is used).
  Result<std::string> ResolveVariable(const std::string& name, const std::string& file,
                                      const std::string& path) {
    if (auto done = resolved_.find(name); done != resolved_.end()) return done->second;
    if (std::find(resolving_.begin(), resolving_.end(), name) != resolving_.end()) {
      std::string chain;
      for (const std::string& step : resolving_) chain.append(Quoted(step)).append(" -> ");
      chain.append(Quoted(name));
      return Failure(
          StatusCode::kInvalidArgument, kVariableCycleCode,
          Describe(file, path, "the variables refer to each other in a cycle: " + chain));
    }
    if (resolving_.size() >= static_cast<std::size_t>(kMaxVariableDepth)) {
      return Invalid(file, path,
                     "variables refer to variables more than " + std::to_string(kMaxVariableDepth) +
                         " levels deep");
    }
    auto raw = raw_variables_.find(name);
    if (raw == raw_variables_.end()) {  // callers check first; defence in depth
      return Failure(StatusCode::kInvalidArgument, kUnknownVariableCode,
                     Describe(file, path, "unknown variable " + Quoted(name)));
    }
    resolving_.push_back(name);
    std::string value;
    Status expanded = Expand(raw->second, Mode::kValue, source_, "variables." + name, value);
    resolving_.pop_back();
    BULWARK_RETURN_IF_ERROR(expanded);
    resolved_.emplace(name, value);
    return value;
  }

  // What #{name} stands for at `path` of `file`.
  Result<std::string> Lookup(std::string_view name, const std::string& file,
                             const std::string& path) {
    if (name.empty()) return Invalid(file, path, "#{} names no variable");
    if (name.substr(0, 4) == "ENV.") {
      const std::string_view env = name.substr(4);
      if (env.empty()) return Invalid(file, path, "#{ENV.} names no environment variable");
      std::optional<std::string> value = environment_(env);
      if (!value.has_value()) {
        return Failure(
            StatusCode::kInvalidArgument, kEnvironmentCode,
            Describe(file, path, "the environment variable " + Quoted(env) + " is not set"));
      }
      if (!IsValidUtf8(*value)) {
        return Invalid(file, path,
                       "the environment variable " + Quoted(env) + " is not valid UTF-8");
      }
      return *std::move(value);
    }
    if (name == "UUID()") {
      Result<Uuid> uuid = Uuid::Generate(random_);
      if (!uuid.ok()) {
        return Failure(StatusCode::kUnavailable, kRandomFailureCode,
                       Describe(file, path, "UUID() failed: " + uuid.status().message()));
      }
      return uuid->ToString();
    }
    if (name.size() > 2 && name.substr(name.size() - 2) == "()") {
      return Invalid(file, path, "unknown function " + Quoted(name) + " (only UUID() exists)");
    }
    const std::string key(name);
    if (raw_variables_.count(key) != 0) return ResolveVariable(key, file, path);
    // FusionAuth's built-in variables that have a meaning before the Engine exists.
    if (name == "FUSIONAUTH_APPLICATION_ID") return std::string(kFusionAuthApplicationId);
    if (name == "FUSIONAUTH_TENANT_ID") {
      if (raw_variables_.count("defaultTenantId") != 0) {
        BULWARK_ASSIGN_OR_RETURN(std::string tenant,
                                 ResolveVariable("defaultTenantId", file, path));
        Result<TenantId> id = TenantId::Parse(tenant);
        if (!id.ok()) {
          return Invalid(source_, "variables.defaultTenantId",
                         "must be a UUID (and not the nil one)");
        }
        return id->ToString();
      }
      return Failure(StatusCode::kInvalidArgument, kUnknownVariableCode,
                     Describe(file, path,
                              "FUSIONAUTH_TENANT_ID is known only when the file sets the "
                              "defaultTenantId variable"));
    }
    std::string what = "unknown variable " + Quoted(name);
    if (name.substr(0, 11) == "FUSIONAUTH_" || name == "TENANT_MANAGER_ID") {
      what.append(" (a FusionAuth built-in that bulwark does not provide)");
    }
    return Failure(StatusCode::kInvalidArgument, kUnknownVariableCode, Describe(file, path, what));
  }

  // Checks an include path and returns it under the kickstart folder.
  Result<fs::path> IncludePath(std::string_view spec, const std::string& file,
                               const std::string& path) {
    if (spec.empty()) return IncludeError(file, path, "an include names no file");
    if (spec.find('\0') != std::string_view::npos || HasControl(spec)) {
      return IncludeError(file, path, "the include path " + Quoted(spec) + " is not a file name");
    }
    const fs::path relative{std::string(spec)};
    if (relative.is_absolute() || relative.has_root_path()) {
      return IncludeError(file, path,
                          "the include path " + Quoted(spec) +
                              " is absolute; it must be relative to the kickstart file's folder");
    }
    const fs::path normal = relative.lexically_normal();
    if (normal.empty() || *normal.begin() == "..") {
      return IncludeError(
          file, path, "the include path " + Quoted(spec) + " leaves the kickstart file's folder");
    }
    return base_ / normal;
  }

  Status IncludeError(const std::string& file, const std::string& path, std::string_view what) {
    return Failure(StatusCode::kInvalidArgument, kInvalidIncludeCode, Describe(file, path, what));
  }

  // Reads an included file; `display` is the name used in messages.
  Result<std::string> ReadInclude(std::string_view spec, const std::string& file,
                                  const std::string& path) {
    BULWARK_ASSIGN_OR_RETURN(fs::path target, IncludePath(spec, file, path));
    std::string content;
    switch (ReadWholeFile(target, content)) {
      case ReadOutcome::kOk:
        break;
      case ReadOutcome::kMissing:
        return Failure(
            StatusCode::kInvalidArgument, kIncludeNotFoundCode,
            Describe(file, path, "the included file " + Quoted(spec) + " does not exist"));
      case ReadOutcome::kUnreadable:
        return Failure(
            StatusCode::kInvalidArgument, kUnreadableCode,
            Describe(file, path, "the included file " + Quoted(spec) + " cannot be read"));
      case ReadOutcome::kTooLarge:
        return Failure(StatusCode::kInvalidArgument, kTooLargeCode,
                       Describe(file, path,
                                "the included file " + Quoted(spec) + " is larger than " +
                                    std::to_string(kMaxFileSize >> 20) + " MiB"));
    }
    BULWARK_RETURN_IF_ERROR(Charge(content.size(), file, path));
    if (!IsValidUtf8(content)) {
      return Invalid(file, path, "the included file " + Quoted(spec) + " is not valid UTF-8");
    }
    return content;
  }

  Status EnterInclude(std::string_view spec, const std::string& file, const std::string& path) {
    const std::string key = fs::path(std::string(spec)).lexically_normal().generic_string();
    if (std::find(include_stack_.begin(), include_stack_.end(), key) != include_stack_.end()) {
      std::string chain;
      for (const std::string& step : include_stack_) chain.append(Quoted(step)).append(" -> ");
      chain.append(Quoted(key));
      return IncludeError(file, path, "the includes form a cycle: " + chain);
    }
    if (include_stack_.size() >= static_cast<std::size_t>(kMaxIncludeDepth)) {
      return IncludeError(
          file, path,
          "includes are nested more than " + std::to_string(kMaxIncludeDepth) + " levels deep");
    }
    include_stack_.push_back(key);
    return Status::Ok();
  }

  // Replaces #{...} and @{...} in `in` (a decoded string) into `out`. Values put in are final:
  // they are not scanned again.
  Status Expand(std::string_view in, Mode mode, const std::string& file, const std::string& path,
                std::string& out) {
    out.clear();
    const auto is_sigil = [mode](char c) {
      return c == '#' || (mode == Mode::kValue && (c == '@' || c == '&'));
    };
    std::size_t i = 0;
    while (i < in.size()) {
      const char c = in[i];
      if (c == '\\' && i + 2 < in.size() && in[i + 2] == '{' && is_sigil(in[i + 1])) {
        out.push_back(in[i + 1]);  // \#{ is a literal #{
        out.push_back('{');
        i += 3;
        continue;
      }
      if (!(is_sigil(c) && i + 1 < in.size() && in[i + 1] == '{')) {
        out.push_back(c);
        ++i;
        continue;
      }
      const std::size_t close = in.find('}', i + 2);
      if (close == std::string_view::npos) {  // no closing brace: plain text
        out.append(in.substr(i));
        break;
      }
      const std::string_view inner = in.substr(i + 2, close - i - 2);
      if (c == '#') {
        BULWARK_ASSIGN_OR_RETURN(std::string value, Lookup(inner, file, path));
        out.append(value);
      } else if (c == '@') {
        BULWARK_RETURN_IF_ERROR(EnterInclude(inner, file, path));
        Result<std::string> content = ReadInclude(inner, file, path);
        std::string text;
        Status expanded = content.ok() ? Expand(WithoutByteOrderMark(*content), Mode::kText,
                                                std::string(inner), path, text)
                                       : content.status();
        include_stack_.pop_back();
        BULWARK_RETURN_IF_ERROR(expanded);
        out.append(text);
      } else {
        return IncludeError(file, path,
                            "a JSON include &{...} must be a whole string value, as in "
                            "\"body\": \"&{file.json}\"");
      }
      if (out.size() > kMaxFileSize) {
        return Failure(StatusCode::kInvalidArgument, kTooLargeCode,
                       Describe(file, path,
                                "a value expands to more than " +
                                    std::to_string(kMaxFileSize >> 20) + " MiB"));
      }
      i = close + 1;
    }
    return Charge(out.size(), file, path);
  }

  // `&{file.json}` as a whole string value: the spec, else nullopt.
  static std::optional<std::string_view> JsonInclude(std::string_view text) {
    if (text.size() < 3 || text.substr(0, 2) != "&{" || text.find('}') != text.size() - 1) {
      return std::nullopt;
    }
    return text.substr(2, text.size() - 3);
  }

  // Resolves variables and includes in `node` (at `path` of the document, read from `file`),
  // `depth` containers deep.
  Status Resolve(nlohmann::json& node, const std::string& file, const std::string& path,
                 int depth) {
    if (node.is_string()) {
      const std::string& text = node.get_ref<const std::string&>();
      if (std::optional<std::string_view> spec = JsonInclude(text)) {
        const std::string name(*spec);
        BULWARK_RETURN_IF_ERROR(EnterInclude(name, file, path));
        Result<nlohmann::json> value = ReadJsonInclude(name, file, path, depth);
        include_stack_.pop_back();
        if (!value.ok()) return value.status();
        node = *std::move(value);
        origins_.emplace_back(path, name);
        return Status::Ok();
      }
      std::string expanded;
      BULWARK_RETURN_IF_ERROR(Expand(text, Mode::kValue, file, path, expanded));
      node = std::move(expanded);
      return Status::Ok();
    }
    if (!node.is_structured()) return Status::Ok();
    if (depth >= kMaxDepth) {
      return Invalid(file, path,
                     "the JSON is nested more than " + std::to_string(kMaxDepth) +
                         " levels deep (includes count)");
    }
    if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        BULWARK_RETURN_IF_ERROR(
            Resolve(node[i], file, path + "[" + std::to_string(i) + "]", depth + 1));
      }
      return Status::Ok();
    }
    nlohmann::json resolved = nlohmann::json::object();
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key;
      BULWARK_RETURN_IF_ERROR(Expand(it.key(), Mode::kText, file, path, key));
      const std::string child = path.empty() ? key : path + "." + key;
      BULWARK_RETURN_IF_ERROR(Resolve(it.value(), file, child, depth + 1));
      if (resolved.contains(key)) {
        return Invalid(file, child, "two members have this name once variables are replaced");
      }
      resolved[key] = std::move(it.value());
    }
    node = std::move(resolved);
    return Status::Ok();
  }

  Result<nlohmann::json> ReadJsonInclude(const std::string& name, const std::string& file,
                                         const std::string& path, int depth) {
    BULWARK_ASSIGN_OR_RETURN(std::string text, ReadInclude(name, file, path));
    BULWARK_ASSIGN_OR_RETURN(nlohmann::json value, ParseJson(text, name));
    BULWARK_RETURN_IF_ERROR(Resolve(value, name, path, depth));
    return value;
  }

  // `member` of `object` as a string: nullopt when absent or null; an error for other types.
  Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                    std::string_view member,
                                                    const std::string& path) {
    auto it = object.find(member);
    if (it == object.end() || it->is_null()) return std::optional<std::string>();
    if (!it->is_string()) {
      const std::string where = path + "." + std::string(member);
      return Invalid(FileOf(where), where, "must be a string");
    }
    return std::optional<std::string>(it->get<std::string>());
  }

  Status ReadApiKeys(nlohmann::json& document, KickstartPlan& plan) {
    auto it = document.find("apiKeys");
    if (it == document.end() || it->is_null()) return Status::Ok();
    BULWARK_RETURN_IF_ERROR(Resolve(*it, source_, "apiKeys", /*depth=*/1));
    if (!it->is_array()) return Invalid(FileOf("apiKeys"), "apiKeys", "must be a JSON array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& key = (*it)[i];
      const std::string path = "apiKeys[" + std::to_string(i) + "]";
      if (!key.is_object()) return Invalid(FileOf(path), path, "must be a JSON object");
      BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(key, "key", path));
      if (!value.has_value() || bulwark::internal::IsBlank(*value)) {
        return Invalid(FileOf(path), path, "\"key\" is required and must not be blank");
      }
      if (i == 0) BULWARK_RETURN_IF_ERROR(CheckUnrestricted(key, path));
      plan.api_keys.push_back(KickstartApiKey{.body = Serialise(key)});
    }
    return Status::Ok();
  }

  // The first key runs the requests: FusionAuth requires it to be unrestricted.
  Status CheckUnrestricted(const nlohmann::json& key, const std::string& path) {
    auto permissions = key.find("permissions");
    if (permissions != key.end() && !permissions->is_null()) {
      auto endpoints =
          permissions->is_object() ? permissions->find("endpoints") : permissions->end();
      const bool restricted =
          !permissions->is_object() || (endpoints != permissions->end() && !endpoints->is_null() &&
                                        !(endpoints->is_object() && endpoints->empty()));
      if (restricted) {
        return Invalid(FileOf(path), path + ".permissions",
                       "the first API key runs the requests and must not be limited to "
                       "endpoints");
      }
    }
    auto tenant = key.find("tenantId");
    if (tenant != key.end() && !tenant->is_null() &&
        !(tenant->is_string() && tenant->get_ref<const std::string&>().empty())) {
      return Invalid(FileOf(path), path + ".tenantId",
                     "the first API key runs the requests and must not be limited to a tenant");
    }
    return Status::Ok();
  }

  Status ReadRequests(nlohmann::json& document, KickstartPlan& plan) {
    auto it = document.find("requests");
    if (it == document.end() || it->is_null()) return Status::Ok();
    BULWARK_RETURN_IF_ERROR(Resolve(*it, source_, "requests", /*depth=*/1));
    if (!it->is_array()) return Invalid(FileOf("requests"), "requests", "must be a JSON array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string path = "requests[" + std::to_string(i) + "]";
      BULWARK_ASSIGN_OR_RETURN(KickstartRequest request, ReadRequest((*it)[i], path));
      plan.requests.push_back(std::move(request));
    }
    return Status::Ok();
  }

  Result<KickstartRequest> ReadRequest(const nlohmann::json& entry, const std::string& path) {
    const std::string file = FileOf(path);
    if (!entry.is_object()) return Invalid(file, path, "must be a JSON object");
    for (auto member = entry.begin(); member != entry.end(); ++member) {
      if (!IsOneOf(member.key(), kRequestMembers)) {
        return Failure(StatusCode::kInvalidArgument, kUnknownKeyCode,
                       Describe(file, path,
                                "unknown member " + Quoted(member.key()) +
                                    " (expected method, url, tenantId, contentType or body)"));
      }
    }
    KickstartRequest request;
    BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> method,
                             OptionalString(entry, "method", path));
    if (!method.has_value()) return Invalid(file, path, "\"method\" is required");
    request.method = AsciiUpper(*method);
    if (request.method != "POST" && request.method != "PUT" && request.method != "PATCH") {
      return Invalid(file, path + ".method", "must be POST, PUT or PATCH");
    }
    BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> url, OptionalString(entry, "url", path));
    if (!url.has_value() || url->empty()) return Invalid(file, path, "\"url\" is required");
    if ((*url)[0] != '/' || url->substr(0, 2) == "//" || HasControlOrSpace(*url)) {
      return Invalid(file, path + ".url",
                     "must be a relative URL starting with /, such as /api/user/registration, "
                     "without spaces");
    }
    request.url = *std::move(url);
    BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> tenant,
                             OptionalString(entry, "tenantId", path));
    if (tenant.has_value() && !tenant->empty()) {
      Result<TenantId> id = TenantId::Parse(*tenant);
      if (!id.ok()) return Invalid(file, path + ".tenantId", "must be a UUID");
      request.tenant_id = id->ToString();
    }
    BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> content_type,
                             OptionalString(entry, "contentType", path));
    if (content_type.has_value()) {
      if (bulwark::internal::IsBlank(*content_type) || HasControl(*content_type)) {
        return Invalid(file, path + ".contentType",
                       "must be a media type such as "
                       "application/merge-patch+json");
      }
      request.content_type = *std::move(content_type);
    } else {
      request.content_type = std::string(kDefaultContentType);
    }
    auto body = entry.find("body");
    if (body != entry.end() && !body->is_null()) request.body = Serialise(*body);
    return request;
  }

  const fs::path base_;
  const std::string source_;
  std::function<std::optional<std::string>(std::string_view)> environment_;
  Random& random_;

  std::map<std::string, std::string> raw_variables_;
  std::map<std::string, std::string> resolved_;
  std::vector<std::string> resolving_;      // the variables being resolved, outermost first
  std::vector<std::string> include_stack_;  // the files being included, outermost first
  std::vector<std::pair<std::string, std::string>> origins_;  // document path -> included file
  std::size_t used_ = 0;
};

Result<KickstartPlan> Load(std::string_view text, const fs::path& base_directory,
                           const fs::path& source, const KickstartOptions& options) {
  const std::string name = source.empty() ? std::string("kickstart") : source.string();
  try {
    Loader loader(base_directory.empty() ? fs::path(".") : base_directory, name, options);
    Result<KickstartPlan> plan = loader.Run(text);
    if (plan.ok()) plan->source = source;
    return plan;
  } catch (const std::bad_alloc&) {
    throw;  // out of memory is fatal (status.h)
  } catch (const std::exception&) {
    return Failure(StatusCode::kInternal, "[KickstartInternal]",
                   name + ": unexpected failure while reading the kickstart file");
  }
}

}  // namespace

Result<KickstartPlan> LoadKickstart(const std::filesystem::path& file,
                                    const KickstartOptions& options) {
  std::string text;
  const std::string name = file.string();
  switch (ReadWholeFile(file, text)) {
    case ReadOutcome::kOk:
      break;
    case ReadOutcome::kMissing:
      return Failure(StatusCode::kNotFound, kNotFoundCode,
                     name + ": the kickstart file does not exist");
    case ReadOutcome::kUnreadable:
      return Failure(StatusCode::kInvalidArgument, kUnreadableCode,
                     name + ": the kickstart file cannot be read");
    case ReadOutcome::kTooLarge:
      return Failure(StatusCode::kInvalidArgument, kTooLargeCode,
                     name + ": the kickstart file is larger than " +
                         std::to_string(kMaxFileSize >> 20) + " MiB");
  }
  return Load(text, file.parent_path(), file, options);
}

Result<KickstartPlan> ParseKickstart(std::string_view text,
                                     const std::filesystem::path& base_directory,
                                     const KickstartOptions& options) {
  return Load(text, base_directory, fs::path(), options);
}

}  // namespace bulwark::http
