# SPDX-License-Identifier: Apache-2.0
# Finds libargon2 (Debian: libargon2-dev) through pkg-config and provides the imported target
# Argon2::Argon2. Installed next to bulwarkConfig.cmake so that consumers of a static bulwark
# can resolve it with find_dependency(Argon2).
include(FindPackageHandleStandardArgs)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_ARGON2 QUIET IMPORTED_TARGET libargon2)
endif()
find_package_handle_standard_args(Argon2
  REQUIRED_VARS PC_ARGON2_FOUND
  VERSION_VAR PC_ARGON2_VERSION)
if(Argon2_FOUND AND NOT TARGET Argon2::Argon2)
  add_library(Argon2::Argon2 INTERFACE IMPORTED)
  target_link_libraries(Argon2::Argon2 INTERFACE PkgConfig::PC_ARGON2)
endif()
