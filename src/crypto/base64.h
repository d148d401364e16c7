// SPDX-License-Identifier: Apache-2.0
// Private: Base64 (RFC 4648 §4, padded) and Base64url (§5, unpadded) codecs.
#ifndef BULWARK_CRYPTO_BASE64_H_
#define BULWARK_CRYPTO_BASE64_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/result.h"

namespace bulwark::internal {

std::string Base64Encode(std::span<const std::uint8_t> bytes);
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);
// Appends the Base64url form of `bytes` to `out`: a compact JWS is built in one string.
void AppendBase64Url(std::span<const std::uint8_t> bytes, std::string& out);
// Strict: padding required and correct, no whitespace, no url alphabet. kInvalidArgument
// otherwise.
Result<std::vector<std::uint8_t>> Base64Decode(std::string_view text);
// Strict: no padding accepted, url alphabet only.
Result<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text);
// The same, into `out` (replacing its contents; empty on failure): a JWS payload decodes
// straight into the string it is returned in.
Status Base64UrlDecodeTo(std::string_view text, std::string& out);

}  // namespace bulwark::internal

#endif  // BULWARK_CRYPTO_BASE64_H_
