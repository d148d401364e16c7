// SPDX-License-Identifier: Apache-2.0
// Private: jwtConfiguration is shared by tenants and applications.
#ifndef BULWARK_MODEL_JWT_CONFIGURATION_JSON_H_
#define BULWARK_MODEL_JWT_CONFIGURATION_JSON_H_

#include "bulwark/model/jwt_configuration.h"
#include "json/json_io.h"

namespace bulwark::internal {

// The wire mapping (json/json_io.h); instantiated for ReadArchive and WriteArchive.
template <class IO>
void Map(IO& io, Mapped<IO, JwtConfiguration>& v);
extern template void Map<ReadArchive>(ReadArchive& io, JwtConfiguration& v);
extern template void Map<WriteArchive>(WriteArchive& io, const JwtConfiguration& v);
// [invalid] errors for out-of-range values, under `path` (e.g. "tenant.jwtConfiguration").
void ValidateJwtConfiguration(const JwtConfiguration& v, std::string_view path, Errors& errors);

}  // namespace bulwark::internal

#endif  // BULWARK_MODEL_JWT_CONFIGURATION_JSON_H_
