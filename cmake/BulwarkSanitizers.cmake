# SPDX-License-Identifier: Apache-2.0
# BULWARK_SANITIZE: "address,undefined" or "thread"; applied to every target of this build
# (the library, tests and examples must agree), never exported to consumers.
set(BULWARK_SANITIZE "" CACHE STRING "Sanitizers for this build (address,undefined | thread)")
if(BULWARK_SANITIZE)
  add_compile_options(-fsanitize=${BULWARK_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${BULWARK_SANITIZE})
endif()
