# SPDX-License-Identifier: Apache-2.0
# cmake -DNPM=npm -DSOURCE_DIR=tests/integration/client -DDEST_DIR=<build>/client-test -P npm_ci.cmake
# Installs the client test's pinned packages (package-lock.json) into DEST_DIR/node_modules.
# Skipped when DEST_DIR already holds an install of this very lock file.
foreach(_var NPM SOURCE_DIR DEST_DIR)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "npm_ci.cmake: ${_var} is not set")
  endif()
endforeach()
file(MAKE_DIRECTORY "${DEST_DIR}")
file(SHA256 "${SOURCE_DIR}/package-lock.json" _lock_hash)
set(_stamp "${DEST_DIR}/node_modules/.bulwark-lock-sha256")
if(EXISTS "${_stamp}")
  file(READ "${_stamp}" _installed)
  if(_installed STREQUAL _lock_hash)
    message(STATUS "npm ci: ${DEST_DIR}/node_modules is up to date")
    return()
  endif()
endif()
file(COPY "${SOURCE_DIR}/package.json" "${SOURCE_DIR}/package-lock.json" DESTINATION "${DEST_DIR}")
execute_process(
  COMMAND "${NPM}" ci --prefix "${DEST_DIR}" --ignore-scripts --no-audit --no-fund --prefer-offline
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "npm ci failed (${_rc})")
endif()
file(WRITE "${_stamp}" "${_lock_hash}")
