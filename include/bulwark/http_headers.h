// SPDX-License-Identifier: Apache-2.0
//
// HttpHeaders: the header list shared by inbound (http/http_message.h) and outbound
// (http_client.h) messages. Names keep the spelling they arrived with; every lookup is
// case-insensitive (ASCII), and a name may occur more than once (Set-Cookie).
//
// Thread-compatible value type.
#ifndef BULWARK_HTTP_HEADERS_H_
#define BULWARK_HTTP_HEADERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/export.h"

namespace bulwark {

// Header names as given; lookups are case-insensitive (ASCII).
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The value of the first header named `name` (case-insensitive), if any.
BULWARK_EXPORT std::optional<std::string_view> FindHeader(const HttpHeaders& headers,
                                                          std::string_view name);

}  // namespace bulwark

#endif  // BULWARK_HTTP_HEADERS_H_
