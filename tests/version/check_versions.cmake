# The version is written once, in project(callwire VERSION …) of the top-level
# CMakeLists.txt. This checks that everything that states it without being
# generated from it agrees (ctest: version.sources_agree, label core):
#   - bindings/node/package.json "version" (npm reads it; it cannot be generated);
#   - bindings/python/pyproject.toml takes its version from that project() line
#     (scikit-build-core's regex provider), and its regex still matches it;
#   - the docs' examples of output that show the version.
# What is generated from it is checked where it is used: CW_VERSION_* and
# cw_version_string() (tests/capi/basics_test.c), callwire::version()
# (tests/core/version_test.cpp), callwire.__version__ (bindings/python/tests),
# the Node package against the library it loads (bindings/node/test) and
# GET /health (tests/api/rest_api_test.cpp).
#   cmake -DSOURCE_DIR=… -DVERSION=<PROJECT_VERSION> -P check_versions.cmake
set(problems)

# project(callwire VERSION x.y.z …) as the file says it, not only as CMake saw it.
file(READ ${SOURCE_DIR}/CMakeLists.txt top)
if(NOT top MATCHES "project\\(callwire[ \t\r\n]+VERSION[ \t\r\n]+([0-9]+\\.[0-9]+\\.[0-9]+)")
  message(FATAL_ERROR "no project(callwire VERSION x.y.z …) in ${SOURCE_DIR}/CMakeLists.txt")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
  list(APPEND problems "CMakeLists.txt says ${CMAKE_MATCH_1}, but the build was configured with ${VERSION} (reconfigure)")
endif()

# The Node package.
file(READ ${SOURCE_DIR}/bindings/node/package.json package)
string(JSON node_version ERROR_VARIABLE json_error GET "${package}" version)
if(json_error)
  list(APPEND problems "bindings/node/package.json: no version (${json_error})")
elseif(NOT node_version STREQUAL VERSION)
  list(APPEND problems "bindings/node/package.json has version ${node_version} — the project is ${VERSION}")
endif()

# The Python package: its version is read from the top-level CMakeLists.txt.
file(READ ${SOURCE_DIR}/bindings/python/pyproject.toml pyproject)
if(NOT pyproject MATCHES "dynamic = \\[\"version\"\\]")
  list(APPEND problems "bindings/python/pyproject.toml: the version must stay dynamic (read from CMakeLists.txt)")
endif()
if(NOT pyproject MATCHES "provider = \"scikit_build_core.metadata.regex\"[\r\n]+input = \"../../CMakeLists.txt\"")
  list(APPEND problems "bindings/python/pyproject.toml: the version must come from ../../CMakeLists.txt (regex provider)")
endif()
if(NOT pyproject MATCHES "regex = 'project\\\\\\(callwire")
  list(APPEND problems "bindings/python/pyproject.toml: its version regex must read project(callwire VERSION …)")
endif()

# Examples of output in the docs: each line that shows the version.
#   <file> <regex with one group: the version>
set(examples
  "docs/c-api.md|callwire ([0-9]+\\.[0-9]+\\.[0-9]+) \\(header [0-9.]+\\)"
  "docs/c-api.md|callwire [0-9.]+ \\(header ([0-9]+\\.[0-9]+\\.[0-9]+)\\)"
  "docs/python.md|# ([0-9]+\\.[0-9]+\\.[0-9]+) [0-9.]+$"
  "docs/python.md|# [0-9.]+ ([0-9]+\\.[0-9]+\\.[0-9]+)$"
  "docs/reference-server.md|\"version\":\"([0-9]+\\.[0-9]+\\.[0-9]+)\""
  "docs/node.md|callwire-([0-9]+\\.[0-9]+\\.[0-9]+)\\.tgz")
foreach(example IN LISTS examples)
  string(REPLACE "|" ";" parts "${example}")
  list(GET parts 0 file)
  list(GET parts 1 regex)
  file(STRINGS ${SOURCE_DIR}/${file} lines REGEX "${regex}")
  if(NOT lines)
    list(APPEND problems "${file}: no line matches ${regex} (update this check with the docs)")
  endif()
  foreach(line IN LISTS lines)
    string(REGEX MATCHALL "${regex}" hits "${line}")
    foreach(hit IN LISTS hits)
      string(REGEX MATCH "${regex}" m "${hit}")
      if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
        list(APPEND problems "${file}: shows version ${CMAKE_MATCH_1} (${line}) — the project is ${VERSION}")
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "versions disagree with project(callwire VERSION ${VERSION}):\n  ${text}")
endif()
message(STATUS "every stated version is ${VERSION}")
