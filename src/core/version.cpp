#include "callwire/version.hpp"

// Set for this file by src/core/CMakeLists.txt from project(callwire VERSION …).
#if !defined(CALLWIRE_VERSION_MAJOR) || !defined(CALLWIRE_VERSION_MINOR) || !defined(CALLWIRE_VERSION_PATCH)
#error "CALLWIRE_VERSION_MAJOR/MINOR/PATCH must be defined by the build"
#endif

#define CALLWIRE_STR2(x) #x
#define CALLWIRE_STR(x) CALLWIRE_STR2(x)

namespace callwire {

const char* version() noexcept {
  return CALLWIRE_STR(CALLWIRE_VERSION_MAJOR) "." CALLWIRE_STR(CALLWIRE_VERSION_MINOR) "." CALLWIRE_STR(
      CALLWIRE_VERSION_PATCH);
}

Version version_parts() noexcept { return {CALLWIRE_VERSION_MAJOR, CALLWIRE_VERSION_MINOR, CALLWIRE_VERSION_PATCH}; }

unsigned version_number() noexcept {
  return CALLWIRE_VERSION_MAJOR * 10000u + CALLWIRE_VERSION_MINOR * 100u + CALLWIRE_VERSION_PATCH;
}

}  // namespace callwire
