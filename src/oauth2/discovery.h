// SPDX-License-Identifier: Apache-2.0
// Private (for now): the OpenID Provider metadata a tenant publishes at
// /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §3; RFC 8414 §2), with
// FusionAuth's members and values, plus what standard clients need that FusionAuth's
// document lacks: introspection_endpoint and revocation_endpoint (RFC 8414), and
// authorization_response_iss_parameter_supported (RFC 9207: every authorization response
// carries `iss`).
//
// Endpoints are the server's base URL (scheme, host, port, and any path prefix the host
// mounts the Router under; a trailing '/' is dropped) followed by FusionAuth's paths. The
// issuer is the tenant's `issuer`.
//
// Thread-safe: a pure function.
#ifndef BULWARK_OAUTH2_DISCOVERY_H_
#define BULWARK_OAUTH2_DISCOVERY_H_

#include <string_view>

#include <nlohmann/json.hpp>

#include "bulwark/model/tenant.h"

namespace bulwark::oauth2 {

nlohmann::json DiscoveryDocument(const Tenant& tenant, std::string_view base_url);

}  // namespace bulwark::oauth2

#endif  // BULWARK_OAUTH2_DISCOVERY_H_
