// SPDX-License-Identifier: Apache-2.0
// Private to bulwark::testing: the decoding side of what an OAuth 2.0 server reads — form
// bodies (application/x-www-form-urlencoded), HTTP Basic credentials (RFC 7617, with RFC
// 6749 §2.3.1's form-encoding of the client id and secret) — and random tokens. The fakes
// decode these themselves so that they check bulwark's encoders instead of sharing them.
#ifndef BULWARK_TESTING_FORM_CODEC_H_
#define BULWARK_TESTING_FORM_CODEC_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/random.h"
#include "bulwark/result.h"

namespace bulwark::testing::detail {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// One form-encoded component: '+' is a space, %XX a byte (either hex case). nullopt for a
// '%' not followed by two hex digits.
std::optional<std::string> FormUrlDecodeComponent(std::string_view text);

// A whole form body: fields separated by '&' (empty ones skipped), name and value split at
// the first '=' (a field without '=' has an empty value). nullopt when a component is
// malformed. Repeated names are kept, in order.
std::optional<FormFields> FormUrlDecode(std::string_view body);

// Standard Base64 (RFC 4648 §4) with the padding required; nullopt otherwise.
std::optional<std::string> Base64Decode(std::string_view text);

struct BasicCredentials {
  std::string user;
  std::string password;
};

// The credentials of an "Authorization: Basic <token68>" header value (scheme
// case-insensitive): Base64, split at the first ':', each part form-urldecoded (RFC 6749
// §2.3.1). nullopt for any other scheme or a malformed value.
std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header_value);

// The token of an "Authorization: Bearer <token>" header value (scheme case-insensitive);
// nullopt for any other scheme or an empty token.
std::optional<std::string> ParseBearerAuthorization(std::string_view header_value);

// `bytes` random bytes from `random` as lower-case hex.
Result<std::string> RandomHex(Random& random, std::size_t bytes);

}  // namespace bulwark::testing::detail

#endif  // BULWARK_TESTING_FORM_CODEC_H_
