#!/usr/bin/env python3
"""Runs the reference server from Python: webhooks, the REST API, /ws/calls, /health, /metrics.

    python3 examples/python/run_server.py --port 8000      # serve until Ctrl-C
    python3 examples/python/run_server.py --check          # a free port, one dial over REST, then exit

The web softphone (examples/web) and any HTTP client can then place calls:
    curl -X POST localhost:8000/api/telnyx/dial -H 'Content-Type: application/json' \\
         -d '{"to_number": "+12125551234"}'
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import urllib.request
from typing import Any

import callwire


def post(url: str, body: Any) -> Any:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--db", help="SQLite file (default: a temporary one)")
    parser.add_argument("--static", help="a folder to serve at / (e.g. the softphone's build)")
    parser.add_argument("--check", action="store_true", help="dial once over the REST API, then exit")
    args = parser.parse_args()

    db = args.db or os.path.join(tempfile.mkdtemp(prefix="callwire-server-"), "calls.db")
    with callwire.Storage(db) as storage, callwire.Client(
        storage, os.environ.get("TELNYX_API_KEY"), demo_speed=20 if args.check else None
    ) as client, callwire.Server(client, port=0 if args.check else args.port, static_dir=args.static) as server:
        if not storage.numbers.list():
            storage.numbers.create("+13125550100", name="Demo line", is_default=True)
        print(f"callwire server on {server.url} ({client.mode} mode)")
        if args.check:
            with urllib.request.urlopen(server.url + "/health", timeout=10) as resp:
                print(f"/health: HTTP {resp.status}")
            call = post(server.url + "/api/telnyx/dial", {"to_number": "+12125550004"})
            print(f"dialed over REST: {call['call_id']} {call['status']}")
            ended = client.wait_for(call["call_id"], callwire.TERMINAL_STATUSES, timeout=60)
            print(f"ended: {ended.status}, {ended.duration} s")
            return 0 if ended.status == "completed" else 1
        try:
            for update in client.updates():  # until Ctrl-C
                print(f"{update.type}: {update.call.to_number} {update.call.status}")
        except KeyboardInterrupt:
            print("stopping")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
