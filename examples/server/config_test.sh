#!/usr/bin/env bash
# callwire-server refuses a malformed numeric setting or a weak JWT_SECRET at
# start, with exit code 2 and a message naming the variable (docs/reference-server.md).
#   config_test.sh path/to/callwire-server
set -u
server=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failed=0
expect_refused() {  # VAR=value... expected-text
  local expected=${*: -1}
  local out rc
  out=$(env -i PATH="$PATH" HOME="$work" CALLWIRE_DB="$work/c.db" "${@:1:$#-1}" "$server" 2>&1 </dev/null)
  rc=$?
  if [ $rc -ne 2 ] || [[ "$out" != *"$expected"* ]]; then
    echo "FAIL: ${*:1:$#-1}: exit $rc, output: $out"
    failed=1
  else
    echo "ok: ${*:1:$#-1} -> $(echo "$out" | head -1)"
  fi
}
expect_refused CALLWIRE_BODY_LIMIT=-1 "CALLWIRE_BODY_LIMIT: expected a number of bytes"
expect_refused CALLWIRE_BODY_LIMIT=10abc "CALLWIRE_BODY_LIMIT: expected a number of bytes"
expect_refused CALLWIRE_BODY_LIMIT=0 "CALLWIRE_BODY_LIMIT: expected a number of bytes"
expect_refused "CALLWIRE_BODY_LIMIT= 4096" "CALLWIRE_BODY_LIMIT: expected a number of bytes"
expect_refused CALLWIRE_PORT=80x "CALLWIRE_PORT: expected a port number"
expect_refused CALLWIRE_PORT=70000 "CALLWIRE_PORT: expected a port number"
expect_refused CALLWIRE_DEMO_SPEED=inf "CALLWIRE_DEMO_SPEED"
expect_refused CALLWIRE_DEMO_SPEED=2x "CALLWIRE_DEMO_SPEED"
expect_refused JWT_SECRET=short-secret "JWT_SECRET: too short (12 bytes)"
expect_refused CALLWIRE_DEMO=maybe "CALLWIRE_DEMO: expected"
expect_refused CALLWIRE_STALE_AFTER=60 "CALLWIRE_STALE_AFTER: expected a number of seconds above the 60 s ring timeout"
expect_refused CALLWIRE_LIVE_POLL_AFTER=600 "CALLWIRE_LIVE_POLL_AFTER: expected a number of seconds within"
expect_refused CALLWIRE_RECONCILE_INTERVAL=0 "CALLWIRE_RECONCILE_INTERVAL: expected a number of seconds"
expect_refused CALLWIRE_LOG_LEVEL=loud "CALLWIRE_LOG_LEVEL: expected trace, debug, info, warn, error or off, got 'loud'"
expect_refused CALLWIRE_LOG_FORMAT=xml "CALLWIRE_LOG_FORMAT: expected text or json, got 'xml'"
exit $failed
