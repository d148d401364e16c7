// SPDX-License-Identifier: Apache-2.0
// Private: the Router's API key check.
#ifndef BULWARK_HTTP_API_KEY_AUTH_H_
#define BULWARK_HTTP_API_KEY_AUTH_H_

#include <string_view>

#include "bulwark/engine.h"
#include "bulwark/model/api_key.h"
#include "bulwark/result.h"

namespace bulwark::http::internal {

// The key whose value is `presented`; kUnauthenticated when there is none or it has expired.
Result<ApiKey> AuthenticateApiKey(Engine& engine, std::string_view presented);

}  // namespace bulwark::http::internal

#endif  // BULWARK_HTTP_API_KEY_AUTH_H_
