#!/usr/bin/env bash
# The packed package on a machine with no callwire C library installed:
# `npm pack`, then `npm install` of the tarball into a fresh scratch project
# with no installed libcallwire_c visible (no CALLWIRE_C_PREFIX, no npm config
# callwire_c_prefix, pkg-config finding nothing), so that the install builds
# the C library from the sources in the tarball with CMake; then the package
# is loaded with require() and import and used: a storage opened, a number
# added, a demo call placed and followed to its end.
#
#   bindings/node/scripts/tarball-test.sh [WORK_DIR]      (default: a temporary folder, removed)
#
# Environment: CMAKE_BUILD_PARALLEL_LEVEL (default 2). ccache is used as the
# compiler launcher when installed (CALLWIRE_NODE_TARBALL_CCACHE=0: never),
# so a CI machine recompiles only what changed; nothing of another build is
# reused. The time of the install is printed.
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[node-tarball] %s\n' "$*"; }
die() { printf '[node-tarball] FAIL: %s\n' "$*" >&2; exit 1; }

if [[ -n "${1:-}" ]]; then
  work=$1
  rm -rf "$work" && mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
work="$(cd "$work" && pwd)"

log "npm pack"
(cd "$work" && npm pack "$pkg" --silent >"$work/pack.log" 2>&1) || { cat "$work/pack.log"; die "npm pack failed"; }
tarball="$(ls "$work"/callwire-*.tgz)"
listing=$(tar -tzf "$tarball")
for f in package/core/CMakeLists.txt package/core/capi/include/callwire.h package/core/src/CMakeLists.txt; do
  grep -qx "$f" <<<"$listing" || die "the tarball has no $f"
done
if grep -E '^package/core/(tests|examples|bindings|tools|build)' <<<"$listing"; then
  die "the tarball carries more than the core's sources"
fi
[[ ! -e "$pkg/core" ]] || die "npm pack left bindings/node/core behind"
log "  $(basename "$tarball"): $(du -k "$tarball" | cut -f1) KiB, $(grep -c '^package/core/' <<<"$listing") files of core sources"

app="$work/app"
mkdir -p "$app" "$work/no-pkgconfig"
cat >"$app/package.json" <<JSON
{
  "name": "callwire-tarball-test",
  "private": true,
  "dependencies": { "callwire": "file:$tarball" },
  "allowScripts": { "callwire@file:$tarball": true }
}
JSON

# No installed C library visible: pkg-config searches one folder holding links to the system's
# .pc files (the core's dependencies: OpenSSL, SQLite, libmongoc, …) but never a callwire_c.pc.
IFS=: read -r -a pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pc_dirs[@]}"; do
  for pc in "$d"/*.pc; do
    [[ -e "$pc" && "$(basename "$pc")" != callwire_c.pc && ! -e "$work/no-pkgconfig/$(basename "$pc")" ]] \
      && ln -s "$pc" "$work/no-pkgconfig/"
  done
done
clean_env=(env -u CALLWIRE_C_PREFIX -u npm_config_callwire_c_prefix -u CALLWIRE_NODE_CORE_BUILD_DIR -u LD_LIBRARY_PATH
  PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$work/no-pkgconfig" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
  CALLWIRE_NODE_WERROR=1)
# Ninja and Release, as tests/install/components_test.sh builds the same sources: with ccache
# and a CCACHE_BASEDIR above both, the two share their compiler results.
if [[ "${CALLWIRE_NODE_TARBALL_CCACHE:-1}" != 0 ]] && command -v ccache >/dev/null; then
  clean_env+=(CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
if command -v ninja >/dev/null; then clean_env+=(CMAKE_GENERATOR=Ninja); fi
! "${clean_env[@]}" pkg-config --exists callwire_c || die "pkg-config still finds a callwire_c"

log "npm install $(basename "$tarball") (no installed C library: builds the bundled one)"
start=$(date +%s)
if ! (cd "$app" && "${clean_env[@]}" npm install --no-audit --no-fund --no-package-lock --foreground-scripts \
      >"$work/npm-install.log" 2>&1); then
  tail -n 60 "$work/npm-install.log"
  die "npm install failed (log: $work/npm-install.log)"
fi
seconds=$(( $(date +%s) - start ))
log "  installed in ${seconds} s"
grep -q 'building the bundled one' "$work/npm-install.log" || die "the install did not build the bundled C library"

installed="$app/node_modules/callwire"
addon="$installed/build/Release/callwire.node"
[[ -f "$addon" && -f "$installed/build/Release/libcallwire_c.so.3" ]] || die "no addon and library in $installed/build/Release"
[[ ! -e "$installed/build-core" ]] || die "the C library's build folder was left in the package"
readelf -d "$addon" | grep -q 'R.*PATH.*\[\$ORIGIN\]' || die "the addon's rpath is not \$ORIGIN: $(readelf -d "$addon" | grep PATH)"

log "require('callwire') and import 'callwire'"
db="$work/tarball.db"
(cd "$app" && env -u LD_LIBRARY_PATH node - "$db" <<'JS'
const { Storage, Client, version, headerVersion } = require('callwire');
(async () => {
  const storage = await Storage.open(`sqlite://${process.argv[2]}`);
  await storage.numbers.create({ number: '+13125550100', is_default: true });
  const client = await Client.open(storage, { demoSpeed: 50 });
  const ended = new Promise((resolve) => client.on('call.ended', resolve));
  const call = await client.dial('+1 (212) 555-1234');
  const final = await ended;
  console.log(`callwire ${version} (header ${headerVersion}): ${call.status} -> ${final.status} ` +
              `from ${final.from_number}; ${(await storage.numbers.list()).length} number`);
  await client.close();
  await storage.close();
})().catch((err) => { console.error(err); process.exit(1); });
JS
) >"$work/run.out" 2>&1 || { cat "$work/run.out"; die "the installed package does not work"; }
cat "$work/run.out"
grep -q 'dialing -> \(no_answer\|completed\|busy\|failed\|canceled\) from +13125550100; 1 number' "$work/run.out" \
  || die "unexpected output"
(cd "$app" && node --input-type=module -e "
import { Storage, version } from 'callwire';
const s = await Storage.open('sqlite://$work/esm.db');
console.log('import: callwire', version, (await s.info()).backend);
await s.close();") || die "import 'callwire' does not work"
log "passed (install ${seconds} s)"
