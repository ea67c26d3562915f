#!/usr/bin/env bash
# examples/web CI: build, unit tests (Vitest) and end-to-end tests
# (playwright-core + Debian's Chromium against a real callwire-server).
#
#   CALLWIRE_SERVER_BIN=/abs/path/to/callwire-server examples/web/scripts/ci.sh
#
# Idempotent: installs Chromium only when /usr/bin/chromium is missing, runs
# `npm ci` only when package-lock.json changed since the last install.
# Without CALLWIRE_SERVER_BIN the e2e step fails with a message saying so.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# A relative server path is relative to where this script was called from.
if [[ -n "${CALLWIRE_SERVER_BIN:-}" && "${CALLWIRE_SERVER_BIN}" != /* ]]; then
  CALLWIRE_SERVER_BIN="$PWD/${CALLWIRE_SERVER_BIN}"
  export CALLWIRE_SERVER_BIN
fi
cd "$here"

log() { printf '[web-ci] %s\n' "$*"; }

# --- Chromium (Debian package; browser downloads do not work here) ---
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium_bin" ]]; then
  log "installing chromium (apt)"
  sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { log "chromium is missing and this user cannot install it (need root or sudo)"; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
  [[ -x "$chromium_bin" ]] || { log "chromium install failed: $chromium_bin missing"; exit 1; }
fi

# --- node_modules, only when the lock file changed ---
stamp="node_modules/.callwire-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [[ ! -d node_modules || "$want" != "$have" ]]; then
  log "npm ci (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
else
  log "node_modules up to date"
fi

log "build"
npm run --silent build

log "unit tests (vitest)"
npm test --silent

log "end-to-end tests (CALLWIRE_SERVER_BIN=${CALLWIRE_SERVER_BIN:-<unset>})"
npm run --silent e2e
