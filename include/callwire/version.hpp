// callwire — the SDK's version.
//
// One version of record: project(callwire VERSION …) in the top-level
// CMakeLists.txt. It is compiled into the library (src/core/version.cpp), and
// the C ABI's CW_VERSION_* macros, the Python and Node packages and the
// server's GET /health answer the same (tests/version checks they agree).
#pragma once

namespace callwire {

/// The three parts of a version.
struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
};

/// The library's version, "major.minor.patch" (e.g. "0.1.0"). Static storage.
const char* version() noexcept;

/// The library's version as numbers.
Version version_parts() noexcept;

/// major * 10000 + minor * 100 + patch, as the C ABI's cw_version_number().
unsigned version_number() noexcept;

}  // namespace callwire
