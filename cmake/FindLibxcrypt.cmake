# SPDX-License-Identifier: Apache-2.0
# Finds libxcrypt's libcrypt (Debian: libcrypt-dev), for crypt_rn(3), through pkg-config and
# provides the imported target Libxcrypt::Libxcrypt. Installed next to bulwarkConfig.cmake so
# that consumers of a static bulwark can resolve it with find_dependency(Libxcrypt).
include(FindPackageHandleStandardArgs)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_LIBXCRYPT QUIET IMPORTED_TARGET libcrypt)
endif()
find_package_handle_standard_args(Libxcrypt
  REQUIRED_VARS PC_LIBXCRYPT_FOUND
  VERSION_VAR PC_LIBXCRYPT_VERSION)
if(Libxcrypt_FOUND AND NOT TARGET Libxcrypt::Libxcrypt)
  add_library(Libxcrypt::Libxcrypt INTERFACE IMPORTED)
  target_link_libraries(Libxcrypt::Libxcrypt INTERFACE PkgConfig::PC_LIBXCRYPT)
endif()
