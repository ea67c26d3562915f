#!/usr/bin/env bash
# CI for the callwire Node package (bindings/node): installs the C library
# into a prefix, installs the package the way users do (the tarball of
# `npm pack`, built by its install script against that prefix), type-checks
# index.d.ts with tsc, runs the `node --test` suite and the examples in
# examples/node. Exits non-zero on any failure.
#
#   bindings/node/scripts/ci.sh [BUILD_DIR | PREFIX]
#
#   BUILD_DIR  a CMake build of callwire with the callwire_c target built
#              (default: build/dev); its capi/ folder is installed into
#              WORK/prefix (cmake -P BUILD_DIR/capi/cmake_install.cmake: the C
#              library, callwire.h, callwire_c.pc — nothing else).
#   PREFIX     an install prefix that already holds include/callwire.h and
#              lib/libcallwire_c.so.
#
# Environment:
#   CALLWIRE_NODE_WORK  scratch folder (default: BUILD_DIR/node, or build/node
#                       for a PREFIX); holds prefix/, the tarball and app/
#   NODE_TEST_TIMEOUT   per-test-file timeout in ms (default 120000)
#
# Idempotent: the install step is up to date when nothing changed, and the
# package is reinstalled (and the addon rebuilt) only when the tarball, the
# C library or the dependency versions changed. Nothing downloads Node
# headers: the addon builds against /usr/include/node (npm's nodedir).
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$pkg/../.." && pwd)"
log() { printf '[node-ci] %s\n' "$*"; }
die() { printf '[node-ci] error: %s\n' "$*" >&2; exit 1; }

target="${1:-$repo/build/dev}"
[[ "$target" = /* ]] || target="$PWD/$target"
[[ -d "$target" ]] || die "$target does not exist (give a callwire build folder or a C library install prefix)"

# --- the C library, in a prefix -------------------------------------------------------
if [[ -f "$target/include/callwire.h" && -e "$target/lib/libcallwire_c.so" ]]; then
  prefix="$target"
  work="${CALLWIRE_NODE_WORK:-$repo/build/node}"
  mkdir -p "$work"
  log "C library: installed prefix $prefix"
else
  [[ -f "$target/capi/cmake_install.cmake" ]] || die "$target is neither a callwire build (no capi/cmake_install.cmake) nor an install prefix"
  [[ -e "$target/capi/libcallwire_c.so" ]] || die "$target/capi/libcallwire_c.so is missing: build the callwire_c target first (cmake --build $target --target callwire_c)"
  work="${CALLWIRE_NODE_WORK:-$target/node}"
  prefix="$work/prefix"
  mkdir -p "$work"
  log "C library: installing $target/capi into $prefix"
  cmake -DCMAKE_INSTALL_PREFIX="$prefix" -P "$target/capi/cmake_install.cmake" >"$work/install-capi.log" 2>&1 \
    || { tail -n 30 "$work/install-capi.log"; die "installing the C library failed"; }
fi
work="$(cd "$work" && pwd)"
app="$work/app"
mkdir -p "$app"

# --- the package, packed and installed as users get it ------------------------------------
log "npm pack"
rm -f "$work"/callwire-*.tgz
(cd "$work" && npm pack "$pkg" --silent >"$work/pack.log" 2>&1) || { cat "$work/pack.log"; die "npm pack failed"; }
tarball="$(ls "$work"/callwire-*.tgz)"

dev_version() { node -p "require('$pkg/package.json').devDependencies['$1']"; }
cat >"$app/package.json.new" <<EOF
{
  "name": "callwire-node-ci",
  "private": true,
  "description": "Scratch project of bindings/node/scripts/ci.sh: the packed callwire package, typescript, the tests and examples",
  "dependencies": {
    "callwire": "file:$tarball",
    "typescript": "$(dev_version typescript)",
    "@types/node": "$(dev_version @types/node)"
  },
  "allowScripts": { "callwire@file:$tarball": true }
}
EOF
mv "$app/package.json.new" "$app/package.json"

lib="$(readlink -f "$prefix/lib/libcallwire_c.so")"
want="$(cat "$tarball" "$lib" "$app/package.json" | sha256sum | cut -d' ' -f1)"
stamp="$app/node_modules/.callwire-ci.sha256"
if [[ -f "$app/node_modules/callwire/build/Release/callwire.node" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  log "npm install: up to date"
else
  log "npm install $(basename "$tarball") (builds the addon against $prefix)"
  rm -rf "$app/node_modules/callwire" "$app/package-lock.json"
  if ! (cd "$app" && CALLWIRE_C_PREFIX="$prefix" CALLWIRE_NODE_WERROR=1 \
        npm install --no-audit --no-fund --no-package-lock --foreground-scripts >"$work/npm-install.log" 2>&1); then
    tail -n 60 "$work/npm-install.log"
    die "npm install failed (full log: $work/npm-install.log)"
  fi
  [[ -f "$app/node_modules/callwire/build/Release/callwire.node" ]] \
    || { tail -n 40 "$work/npm-install.log"; die "npm install did not build the addon (install scripts skipped?)"; }
  echo "$want" >"$stamp"
fi

# The other way users install: `npm install <folder>` (a link; the package
# fetches its own node-addon-api). Done on a copy of the folder so that the
# source tree gets no build/ or node_modules/.
linked="$work/linked"
if [[ -f "$linked/app/node_modules/callwire/build/Release/callwire.node" && "$(cat "$linked/.stamp" 2>/dev/null)" == "$want" ]]; then
  log "npm install <folder>: up to date"
else
  log "npm install <folder> (a copy of bindings/node)"
  rm -rf "$linked" && mkdir -p "$linked/callwire" "$linked/app"
  (cd "$pkg" && cp -r binding.gyp lib src scripts index.d.ts index.mjs package.json README.md "$linked/callwire/")
  echo '{"name": "callwire-node-ci-linked", "private": true}' >"$linked/app/package.json"
  if ! (cd "$linked/app" && CALLWIRE_C_PREFIX="$prefix" CALLWIRE_NODE_WERROR=1 \
        npm install "$linked/callwire" --no-audit --no-fund --no-package-lock --foreground-scripts >"$work/npm-install-linked.log" 2>&1); then
    tail -n 60 "$work/npm-install-linked.log"
    die "npm install <folder> failed (full log: $work/npm-install-linked.log)"
  fi
  echo "$want" >"$linked/.stamp"
fi
(cd "$linked/app" && node -e "require('callwire').normalizePhone('+1 212 555 1234')" \
  && node --input-type=module -e "import { Client } from 'callwire'; if (typeof Client !== 'function') process.exit(1)") \
  || die "the folder install does not load"

# Tests and examples run from the scratch project, so `callwire` resolves to
# the installed package (never to the source tree).
rm -rf "$app/test" "$app/examples" "$app/snippets"
cp -r "$pkg/test" "$app/test"
cp -r "$repo/examples/node" "$app/examples"
cp -r "$repo/examples/snippets/node" "$app/snippets"

unset LD_LIBRARY_PATH  # the addon finds libcallwire_c.so through its rpath
failed=()
cd "$app"

log "tsc --noEmit (index.d.ts through test/types)"
node_modules/.bin/tsc -p test/types || failed+=("tsc")

log "node --test"
timeout 900 node --test --test-reporter=spec --test-timeout="${NODE_TEST_TIMEOUT:-120000}" test/*.test.js || failed+=("node --test")

log "examples"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run_example() {
  local name=$1; shift
  log "  $name $*"
  if ! timeout 120 node "examples/$name" "$@" >"$tmp/out" 2>&1; then
    cat "$tmp/out"
    failed+=("example $name")
    return
  fi
  sed 's/^/    /' "$tmp/out"
}
run_example demo_call.js --fast --db "$tmp/demo_call.db"
run_example demo_call.js +12125550000 --fast --db "$tmp/demo_call.db"
run_example server.mjs --self-test --db "$tmp/server.db"
run_example webhook_host.mjs --self-test --db "$tmp/webhook_host.db"

# The snippets of docs/node.md (examples/snippets/node/; tests/docs/check_snippets.py keeps the
# doc equal to them), each in a fresh folder holding its database, in demo mode.
log "snippets of docs/node.md"
for snippet in snippets/*.mjs; do
  name=$(basename "$snippet")
  mkdir -p "$tmp/snippet-$name"
  log "  $name"
  if ! (cd "$tmp/snippet-$name" && timeout 120 env -u TELNYX_API_KEY -u TELNYX_API_V2_KEY node "$app/$snippet") >"$tmp/out" 2>&1; then
    cat "$tmp/out"
    failed+=("snippet $name")
    continue
  fi
  sed 's/^/    /' "$tmp/out" | tail -n 3
done

if [[ ${#failed[@]} -gt 0 ]]; then
  log "FAILED: ${failed[*]}"
  exit 1
fi
log "all passed"
