#!/usr/bin/env bash
# Builds, installs and tests the callwire Python package.
#
#   bindings/python/scripts/ci.sh [BUILD_DIR]        (default: build/python)
#
# Idempotent: creates (or reuses) a virtual environment in BUILD_DIR/venv,
# installs the package into it from ./bindings/python (a normal, non-editable
# pip install that compiles libcallwire_c and the extension; the CMake build
# folder BUILD_DIR/wheel-build is kept, so a re-install is incremental, and
# the install is skipped altogether when no source file changed), installs
# pytest and mypy, then runs
#   1. mypy's stubtest on the installed package (allowlist: stubtest-allowlist.txt),
#   2. mypy --strict on the tests and examples,
#   3. pytest: every test, including the programs of examples/python/.
# Exits non-zero on any failure.
#
# Environment: PYTHON (default python3); CMAKE_BUILD_PARALLEL_LEVEL (default
# 2); PYTEST_ARGS (extra pytest arguments); CALLWIRE_C_LIBRARY: the path of an
# already built libcallwire_c.so to link instead of compiling the core inside
# the pip build (e.g. the one of the CMake build that runs this script through
# ctest: saves minutes; the package then does not bundle the library), with
# its headers from CALLWIRE_C_INCLUDE_DIR (default: the include/ folder beside
# that library, which in a CMake build holds callwire.h and the generated
# callwire_version.h).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)     # bindings/python
root=$(cd "$here/../.." && pwd)           # the repository
build=${1:-$root/build/python}
mkdir -p "$build"
build=$(cd "$build" && pwd)
venv=$build/venv
python=${PYTHON:-python3}
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\n== python: %s\n' "$*"; }

# Runs a command with its output in a log; prints the log's tail when it fails.
quietly() {
  local log=$build/$1.log; shift
  if ! "$@" >"$log" 2>&1; then
    echo "-- failed: $*"
    tail -n 80 "$log"
    return 1
  fi
}

if [ ! -x "$venv/bin/python" ]; then
  say "virtual environment in $venv"
  quietly venv "$python" -m venv "$venv"
fi
py=$venv/bin/python

# Build and test tools (from PyPI), only when missing.
if ! "$py" -c 'import scikit_build_core, pybind11, pytest, mypy' 2>/dev/null; then
  say "installing scikit-build-core, pybind11, pytest, mypy"
  quietly pip-tools "$py" -m pip install -q "scikit-build-core>=0.10" "pybind11>=2.12" "pytest>=7" "mypy>=1.8"
fi

core_settings=(--config-settings=cmake.define.CALLWIRE_PYTHON_BUNDLE_CORE=ON)
if [ -n "${CALLWIRE_C_LIBRARY:-}" ]; then
  core_settings=(--config-settings=cmake.define.CALLWIRE_PYTHON_BUNDLE_CORE=OFF
                 --config-settings=cmake.define.CALLWIRE_C_LIBRARY="$CALLWIRE_C_LIBRARY"
                 --config-settings=cmake.define.CALLWIRE_C_INCLUDE_DIR="${CALLWIRE_C_INCLUDE_DIR:-$(dirname "$CALLWIRE_C_LIBRARY")/include}")
fi

# Everything the wheel is built from; the install is skipped when none of it changed.
stamp_of_sources() {
  {
    "$py" --version
    echo "core: ${CALLWIRE_C_LIBRARY:-bundled}"
    if [ -n "${CALLWIRE_C_LIBRARY:-}" ]; then sha256sum "$CALLWIRE_C_LIBRARY"; fi
    (cd "$root" && find CMakeLists.txt cmake src include capi bindings/python \
        -path bindings/python/build -prune -o -path bindings/python/tests -prune -o \
        -name __pycache__ -prune -o -name .pytest_cache -prune -o -name .mypy_cache -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -d' ' -f1
}
stamp=$(stamp_of_sources)
if [ "$(cat "$build/install.stamp" 2>/dev/null)" != "$stamp" ] || ! (cd "$build" && "$py" -c 'import callwire') 2>/dev/null; then
  if [ -n "${CALLWIRE_C_LIBRARY:-}" ]; then
    say "pip install ./bindings/python (linking $CALLWIRE_C_LIBRARY)"
  else
    say "pip install ./bindings/python (the first build compiles libcallwire_c: a few minutes)"
  fi
  rm -f "$build/install.stamp"
  # --no-build-isolation: build with the venv's scikit-build-core and pybind11,
  # so the kept CMake build folder stays valid from one install to the next.
  (cd "$root" && quietly pip-install "$py" -m pip install -q --no-build-isolation --force-reinstall --no-deps \
      ./bindings/python \
      --config-settings=build-dir="$build/wheel-build" \
      --config-settings=cmake.define.CALLWIRE_PYTHON_WARNINGS_AS_ERRORS=ON \
      "${core_settings[@]}")
  echo "$stamp" >"$build/install.stamp"
else
  say "callwire is installed and up to date"
fi

failed=()

say "stubtest"
(cd "$build" && "$py" -m mypy.stubtest callwire --allowlist "$here/stubtest-allowlist.txt" --mypy-config-file "$here/pyproject.toml") \
  || failed+=(stubtest)

say "mypy --strict on the tests and examples"
(cd "$here" && "$py" -m mypy --strict --cache-dir "$build/mypy-cache" tests "$root/examples/python") || failed+=(mypy)

say "pytest (tests and examples)"
# shellcheck disable=SC2086 # PYTEST_ARGS is a list of words
(cd "$here" && "$py" -m pytest -q -p no:cacheprovider ${PYTEST_ARGS:-} tests) || failed+=(pytest)

if [ ${#failed[@]} -gt 0 ]; then
  echo "python: FAILED: ${failed[*]}"
  exit 1
fi
