#!/usr/bin/env bash
# The install components, each installed alone into its own prefix from a
# fresh build folder in which only its targets were built, then used the way
# a user does:
#   sdk     find_package(callwire) and pkg-config --static callwire build tests/consumer/project
#   c       find_package(callwire_c) and pkg-config callwire_c build examples/c/demo_call.c; a demo call
#   server  callwire-server, callwire-admin and the web UI are installed; the server starts from the prefix
#
#   components_test.sh SOURCE_DIR WORK_DIR [GENERATOR]
#
# Environment: CMAKE_BUILD_PARALLEL_LEVEL (default 2); CALLWIRE_INSTALL_TEST_CCACHE=0 turns off
# ccache (used as the compiler launcher when installed; it reuses compiler results only, never
# another build's folder).
set -euo pipefail
src=$1
work=$2
generator=${3:-Ninja}
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
unset CALLWIRE_WEB_DIR CALLWIRE_C_PREFIX PKG_CONFIG_PATH
log() { printf '[install] %s\n' "$*"; }
die() { printf '[install] FAIL: %s\n' "$*" >&2; exit 1; }
quietly() {  # name command… : output in $work/name.log, its tail on failure
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 || { tail -n 60 "$work/$name.log"; die "$name: $*"; }
}
rm -rf "$work"
mkdir -p "$work"

# A stand-in for the built softphone (examples/web/dist may not be built yet):
# what the server component installs is the folder CALLWIRE_WEB_DIST names.
web="$work/web-dist"
mkdir -p "$web/assets"
printf '<!doctype html><title>callwire softphone (install test)</title><script src="/assets/app.js"></script>\n' >"$web/index.html"
printf 'console.log("callwire");\n' >"$web/assets/app.js"

# The sources the build needs (core/ beside build-core/, Release, Ninja).
core="$work/core"
mkdir -p "$core/examples" "$core/tools"
cp -r "$src/CMakeLists.txt" "$src/cmake" "$src/src" "$src/include" "$src/capi" "$core/"
cp -r "$src/tools/admin" "$core/tools/"
for d in CMakeLists.txt c cpp server; do cp -r "$src/examples/$d" "$core/examples/"; done
launcher=()
if [[ "${CALLWIRE_INSTALL_TEST_CCACHE:-1}" != 0 ]] && command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
build="$work/build-core"
log "configure a fresh build folder (no tests)"
quietly configure cmake -S "$core" -B "$build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
  -DCALLWIRE_BUILD_TESTS=OFF -DCALLWIRE_BUILD_EXAMPLES=ON -DCALLWIRE_WEB_DIST="$web" "${launcher[@]}"

# Fails when the prefix holds a file of another component.
only() {  # prefix allowed-path-regex
  local stray
  stray=$(cd "$1" && find . -type f -o -type l | sed 's|^\./||' | grep -Ev "$2" || true)
  [[ -z "$stray" ]] || die "$1 holds files of another component: $stray"
}

# --- sdk ---------------------------------------------------------------------------------
log "sdk: build callwire, install --component sdk"
quietly build-sdk cmake --build "$build" --target callwire
sdk="$work/sdk"
quietly install-sdk cmake --install "$build" --component sdk --prefix "$sdk"
only "$sdk" '^(include/callwire/.*\.hpp|lib/libcallwire\.a|lib/cmake/callwire/.*\.cmake|lib/pkgconfig/callwire\.pc)$'
quietly consumer-sdk-configure cmake -S "$src/tests/consumer/project" -B "$work/consumer-sdk" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$sdk" -DCMAKE_BUILD_TYPE=Release
quietly consumer-sdk-build cmake --build "$work/consumer-sdk"
out=$("$work/consumer-sdk/consumer")
[[ "$out" == "+12125551234 completed 42" ]] || die "find_package consumer said: $out"
log "  find_package(callwire): $out"
pc_flags=$(PKG_CONFIG_PATH="$sdk/lib/pkgconfig" pkg-config --cflags --static --libs callwire)
quietly consumer-sdk-pkgconfig c++ -std=c++17 -o "$work/consumer-pc" "$src/tests/consumer/project/main.cpp" $pc_flags
out=$("$work/consumer-pc")
[[ "$out" == "+12125551234 completed 42" ]] || die "pkg-config consumer said: $out"
log "  pkg-config --static callwire: $out"

# --- c -----------------------------------------------------------------------------------
log "c: build callwire_c, install --component c"
quietly build-c cmake --build "$build" --target callwire_c
c="$work/c"
quietly install-c cmake --install "$build" --component c --prefix "$c"
only "$c" '^(include/callwire\.h|lib/libcallwire_c\.so(\.[0-9.]+)?|lib/cmake/callwire_c/.*\.cmake|lib/pkgconfig/callwire_c\.pc)$'
quietly consumer-c-configure cmake -S "$src/tests/install/c_project" -B "$work/consumer-c" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$c" -DDEMO_CALL_C="$src/examples/c/demo_call.c"
quietly consumer-c-build cmake --build "$work/consumer-c"
out=$("$work/consumer-c/c_consumer" "+1 212 555 1234" --fast --db "$work/c-cmake.db")
[[ "$out" == *"completed  duration"* ]] || die "find_package(callwire_c) consumer said: $out"
log "  find_package(callwire_c): $(tail -n 1 <<<"$out")"
pc_flags=$(PKG_CONFIG_PATH="$c/lib/pkgconfig" pkg-config --cflags --libs callwire_c)
libdir=$(PKG_CONFIG_PATH="$c/lib/pkgconfig" pkg-config --variable=libdir callwire_c)
quietly consumer-c-pkgconfig cc -std=c99 -o "$work/c-consumer-pc" "$src/examples/c/demo_call.c" $pc_flags -lpthread \
  -Wl,-rpath,"$libdir"
out=$("$work/c-consumer-pc" "+1 212 555 1234" --fast --db "$work/c-pc.db")
[[ "$out" == *"completed  duration"* ]] || die "pkg-config callwire_c consumer said: $out"
log "  pkg-config callwire_c: $(tail -n 1 <<<"$out")"

# --- server ------------------------------------------------------------------------------
log "server: build callwire-server callwire-admin, install --component server"
quietly build-server cmake --build "$build" --target callwire-server callwire-admin
srv="$work/server"
quietly install-server cmake --install "$build" --component server --prefix "$srv"
only "$srv" '^(bin/callwire-server|bin/callwire-admin|share/callwire/web/.*)$'
cmp "$web/index.html" "$srv/share/callwire/web/index.html" || die "the web UI was not installed"

# The installed server starts from its prefix.
mkdir -p "$work/run"
: >"$work/run/out"
(cd "$work/run" && exec env CALLWIRE_PORT=0 CALLWIRE_DB="$work/run/c.db" "$srv/bin/callwire-server") >"$work/run/out" 2>"$work/run/err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|^callwire-server listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/run/out" || true)
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/run/out" "$work/run/err"; die "the installed callwire-server did not start"; }
status=$(python3 -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).status)" \
  "http://127.0.0.1:$port/health")
[[ "$status" == 200 ]] || die "GET /health of the installed server: $status"
log "  the installed callwire-server answers /health"
kill "$pid"; wait "$pid" 2>/dev/null || true
log "all components install alone and work"
