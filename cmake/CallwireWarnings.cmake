# Warning flags and sanitizers, applied per target with callwire_target_defaults().
add_library(callwire_warnings INTERFACE)
target_compile_options(callwire_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion>
  $<$<BOOL:${CALLWIRE_WARNINGS_AS_ERRORS}>:-Werror>)

if(CALLWIRE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Applies the project's warnings to an internal target (never to consumers).
function(callwire_target_defaults target)
  target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:callwire_warnings>)
endfunction()
