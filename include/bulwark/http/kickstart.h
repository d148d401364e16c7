// SPDX-License-Identifier: Apache-2.0
//
// Kickstart: sets up an empty bulwark from a FusionAuth kickstart file — the same JSON file
// FusionAuth reads from FUSIONAUTH_APP_KICKSTART_FILE — by replaying its requests through the
// Router (reference §10).
//
//   bulwark::Result<bulwark::http::KickstartPlan> plan =
//       bulwark::http::LoadKickstart("kickstart/kickstart.json");
//   ...open the Engine with .default_tenant_id = plan->default_tenant_id...
//   bulwark::Status applied = bulwark::http::ApplyKickstart(*engine, *plan);
//
// The file: `variables` (name -> value, used anywhere else as `#{name}`; values may use
// `#{ENV.NAME}` and `#{UUID()}`), `apiKeys` (the first one must be unrestricted: it runs the
// requests), `requests` (`method` POST/PUT/PATCH, `url`, optional `tenantId` and
// `contentType`, `body`). `@{path}` inserts a text file as a JSON string, `&{path.json}` a
// JSON value; paths are relative to the kickstart file's folder. `\#{` is a literal `#{`.
//
// Resolution works on the parsed JSON, not on the raw text, so a value never changes the JSON
// around it whatever quotes or newlines it holds. In every string value and member name,
// `#{name}` is a variable of the file (variables may use other variables, not in a cycle),
// `#{ENV.NAME}`, `#{UUID()}` (a fresh id at each occurrence: put it in a variable to reuse
// one), or a FusionAuth built-in known before the Engine opens: FUSIONAUTH_APPLICATION_ID,
// and FUSIONAUTH_TENANT_ID when `defaultTenantId` is set. `@{path}` may sit inside a longer
// string; the text it inserts gets `#{}` replaced too. `&{path.json}` must be the whole string
// value (`"body": "&{body.json}"`); the JSON it inserts is resolved in turn, with its own
// includes relative to the same folder. Include paths that are absolute or leave the folder
// are refused. `\#{`, `\@{` and `\&{` (written "\\#{" in the JSON text) are the literal
// `#{`, `@{` and `&{`. Unknown members at the top level and in a request are errors;
// `licenseId`, `license` and `settings` are accepted and ignored.
//
// Thread-safe: free functions without shared state. The default environment lookup is
// std::getenv: hosts must not change the environment while a load runs.
#ifndef BULWARK_HTTP_KICKSTART_H_
#define BULWARK_HTTP_KICKSTART_H_

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/export.h"
#include "bulwark/ids.h"
#include "bulwark/random.h"
#include "bulwark/result.h"
#include "bulwark/status.h"

namespace bulwark {
class Engine;
}  // namespace bulwark

namespace bulwark::http {

struct KickstartRequest {
  std::string method;        // POST, PUT or PATCH
  std::string url;           // relative, e.g. "/api/user/registration"; may carry a query
  std::string tenant_id;     // sent as X-FusionAuth-TenantId when not empty
  std::string content_type;  // default application/json
  std::string body;          // serialised JSON, every variable and include resolved
};

struct KickstartApiKey {
  std::string body;  // the apiKeys[] entry as serialised JSON ({"key": ..., ...}), resolved
};

struct KickstartPlan {
  std::filesystem::path source;                  // the file, for messages
  std::map<std::string, std::string> variables;  // resolved
  std::optional<TenantId> default_tenant_id;     // the `defaultTenantId` variable, if set
  std::vector<KickstartApiKey> api_keys;
  std::vector<KickstartRequest> requests;
};

struct KickstartOptions {
  // Looks up `#{ENV.NAME}`. Default: the process environment.
  std::function<std::optional<std::string>(std::string_view name)> environment = nullptr;
  // Generates `#{UUID()}`. Default: Random::Default().
  Random* random = nullptr;
};

// Reads and resolves the file. kInvalidArgument (with the file, the JSON path and the
// variable or include at fault in the message and a general error) for unreadable files,
// invalid JSON, unknown variables or environment variables, includes that leave the folder
// or cannot be read, and entries missing `method`, `url` or `key`. kNotFound when the file
// does not exist; kUnavailable when `#{UUID()}` cannot draw randomness.
BULWARK_EXPORT Result<KickstartPlan> LoadKickstart(const std::filesystem::path& file,
                                                   const KickstartOptions& options = {});
// The same for text already read; includes resolve against `base_directory`.
BULWARK_EXPORT Result<KickstartPlan> ParseKickstart(std::string_view text,
                                                    const std::filesystem::path& base_directory,
                                                    const KickstartOptions& options = {});

// Whether `engine`'s store is empty in Kickstart's sense: no API keys, no users and no
// tenant besides the default one.
BULWARK_EXPORT Result<bool> KickstartCanRun(Engine& engine);

// Creates the plan's API keys and sends its requests, in order, through a Router on `engine`
// with the first key — all or nothing: when a request fails, everything the earlier ones
// created is deleted again and the default tenant is put back as it was.
// kFailedPrecondition when the store is not empty (KickstartCanRun); kInvalidArgument naming
// the failing request (index, method, url) with the response's field and general errors.
BULWARK_EXPORT Status ApplyKickstart(Engine& engine, const KickstartPlan& plan);

}  // namespace bulwark::http

#endif  // BULWARK_HTTP_KICKSTART_H_
