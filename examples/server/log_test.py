#!/usr/bin/env python3
"""callwire-server's log settings (docs/reference-server.md, "Configuration").

CALLWIRE_LOG_FORMAT=json writes one JSON object a line on stderr with time,
level, component, message and, for a record made while handling a request,
that request's id — the X-Request-Id the answer carries (the client's own when
well-formed). CALLWIRE_LOG_LEVEL sets the threshold.

    log_test.py path/to/callwire-server
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SERVER = sys.argv[1]
failures: list[str] = []


def check(cond: bool, what: str) -> None:
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def start(work: str, **env: str) -> tuple[subprocess.Popen[str], int]:
    environment = {"PATH": os.environ["PATH"], "HOME": work, "CALLWIRE_DB": os.path.join(work, "c.db"),
                   "CALLWIRE_PORT": "0", "CALLWIRE_WEB_DIR": work, **env}
    proc = subprocess.Popen([SERVER], cwd=work, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    raise SystemExit(f"callwire-server did not start: {proc.stderr.read() if proc.stderr else ''}")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    return err


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("X-Request-Id", "")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Request-Id", "")


with tempfile.TemporaryDirectory() as work:
    # JSON lines at info: a refused path is logged (info, "http") inside its request.
    proc, port = start(work, CALLWIRE_LOG_FORMAT="json", CALLWIRE_LOG_LEVEL="info")
    status, given = get(port, "/api//contacts", {"X-Request-Id": "trace-42.a:b_c"})
    check(status == 400 and given == "trace-42.a:b_c", f"the client's X-Request-Id is answered back (got {status}, {given!r})")
    status, fresh = get(port, "/api//numbers", {"X-Request-Id": "no spaces or \"quotes\" allowed"})
    check(status == 400 and re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]+", fresh) is not None,
          f"a malformed X-Request-Id is replaced by a fresh id (got {fresh!r})")
    status, health_id = get(port, "/health")
    check(status == 200 and health_id != "" and health_id != fresh, "every answer has its own X-Request-Id")
    err = stop(proc)
    records = []
    for line in err.splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            check(False, f"stderr line is JSON: {line!r}")
    check(len(records) > 0 and all(set(r) >= {"time", "level", "component", "message"} for r in records),
          "every record has time, level, component and message")
    check(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r["time"]) for r in records), "times are ISO-8601 UTC")
    check(any(r["message"].startswith("listening on") and "request_id" not in r for r in records),
          "a record outside any request has no request_id")
    refused = [r for r in records if "refused a request path" in r["message"]]
    check([r.get("request_id") for r in refused] == ["trace-42.a:b_c", fresh],
          f"the refused requests' records carry their ids ({[r.get('request_id') for r in refused]})")
    check(all(r["level"] == "info" and r["component"] == "http" for r in refused), "with level info, component http")

    # The threshold: at warn, the info records are gone; the text format stays the default.
    proc, port = start(work, CALLWIRE_LOG_LEVEL="warn")
    get(port, "/api//contacts")
    err = stop(proc)
    check("refused a request path" not in err and "listening on" not in err, "CALLWIRE_LOG_LEVEL=warn drops info records")

    proc, port = start(work)
    get(port, "/api//contacts", {"X-Request-Id": "text-1"})
    err = stop(proc)
    check(re.search(r"^\S+Z INFO  http: refused a request path \(empty segment\) request_id=text-1$", err, re.M) is not None,
          "the default text line ends with request_id=<id>")

sys.exit(1 if failures else 0)
