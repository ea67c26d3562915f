#!/usr/bin/env bash
# The install components, each installed alone into its own prefix from a
# fresh build folder in which only its targets were built, then used the way
# a user does:
#   sdk     find_package(callwire) and pkg-config --static callwire build tests/consumer/project
#   c       find_package(callwire_c) and pkg-config callwire_c build examples/c/demo_call.c; a demo call
#   server  callwire-server starts from the prefix and serves the installed web UI at /; with no
#           UI installed it warns at start, naming where it looked, and / is 404; CALLWIRE_WEB_DIR wins
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

# The sources the build needs, copied as the Node package's tarball lays them
# out (core/ beside build-core/, Release, Ninja): with ccache and a
# CCACHE_BASEDIR above both, this build and the tarball's (node.tarball) share
# their compiler results, so a CI run compiles the library once for both.
core="$work/core"
mkdir -p "$core/examples" "$core/tools"
cp -r "$src/CMakeLists.txt" "$src/cmake" "$src/src" "$src/include" "$src/capi" "$core/"
cp -r "$src/tools/admin" "$core/tools/"
for d in CMakeLists.txt c cpp server snippets; do cp -r "$src/examples/$d" "$core/examples/"; done
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
only "$c" '^(include/callwire(_version)?\.h|lib/libcallwire_c\.so(\.[0-9.]+)?|lib/cmake/callwire_c/.*\.cmake|lib/pkgconfig/callwire_c\.pc)$'
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

pid=
stop_server() { if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap stop_server EXIT
# Starts the installed server on a free port in an empty folder; sets $pid and $port.
start_server() {  # name [VAR=value…]
  local name=$1; shift
  mkdir -p "$work/run-$name"
  : >"$work/run-$name/out"
  (cd "$work/run-$name" && exec env "$@" CALLWIRE_PORT=0 CALLWIRE_DB="$work/run-$name/c.db" "$srv/bin/callwire-server") \
    >"$work/run-$name/out" 2>"$work/run-$name/err" &
  pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^callwire-server listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/run-$name/out" || true)
    [[ -n "$port" ]] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/run-$name/out" "$work/run-$name/err"
  die "callwire-server ($name) did not start"
}
# Prints "<status> <body>" of GET http://127.0.0.1:$port$1.
get() {
  python3 - "$port" "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}", timeout=10)
    print(r.status, r.read().decode(), end="")
except urllib.error.HTTPError as e:
    print(e.code, end="")
PY
}

start_server installed
answer=$(get /)
[[ "$answer" == "200 $(cat "$web/index.html")" ]] || die "GET / of the installed server: $answer"
[[ "$(get /assets/app.js)" == "200 "* ]] || die "GET /assets/app.js of the installed server"
! grep -q WARNING "$work/run-installed/err" || die "warned with the UI installed: $(cat "$work/run-installed/err")"
grep -q "web UI from $srv/share/callwire/web" "$work/run-installed/out" \
  || die "the start line does not name the UI folder: $(cat "$work/run-installed/out")"
log "  GET / serves $srv/share/callwire/web/index.html"
stop_server

mv "$srv/share/callwire/web" "$work/web-moved"
start_server no-ui
[[ "$(get /)" == "404" ]] || die "GET / without a UI: $(get /)"
[[ "$(get /health)" == "200 "* ]] || die "GET /health without a UI"
err=$(cat "$work/run-no-ui/err")
[[ "$err" == *"WARNING: no web UI found"* && "$err" == *"$srv/share/callwire/web"* && "$err" == *"CALLWIRE_WEB_DIR"* ]] \
  || die "no warning naming where it looked: $err"
! grep -Eq '^ +/.*/examples/web/dist$' <<<"$err" || die "an installed server looked in a source tree: $err"
log "  without a UI: / is 404 and the start-up warns:"
sed 's/^/    /' <<<"$err"
stop_server

start_server override CALLWIRE_WEB_DIR="$work/web-moved"
answer=$(get /)
[[ "$answer" == "200 $(cat "$web/index.html")" ]] || die "GET / with CALLWIRE_WEB_DIR: $answer"
log "  CALLWIRE_WEB_DIR=$work/web-moved serves /"
stop_server

mkdir -p "$work/empty-ui"
start_server empty-override CALLWIRE_WEB_DIR="$work/empty-ui"
err=$(cat "$work/run-empty-override/err")
[[ "$err" == *"WARNING: no web UI found"* && "$err" == *"$work/empty-ui"* ]] || die "no warning for a CALLWIRE_WEB_DIR without index.html: $err"
log "  CALLWIRE_WEB_DIR without index.html warns"
stop_server

# A CALLWIRE_WEB_DIR that is no folder at all is a configuration error, as before.
if out=$(cd "$work" && env CALLWIRE_WEB_DIR="$work/nowhere" CALLWIRE_PORT=0 CALLWIRE_DB="$work/nowhere.db" \
           timeout 20 "$srv/bin/callwire-server" 2>&1 </dev/null); then
  die "a CALLWIRE_WEB_DIR that does not exist did not stop the server: $out"
fi
[[ "$out" == *"static folder '$work/nowhere' is not a directory"* ]] || die "no reason for the missing CALLWIRE_WEB_DIR: $out"
log "  CALLWIRE_WEB_DIR that does not exist: refused at start"
log "all components install alone and work"
