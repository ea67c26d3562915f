#!/usr/bin/env python3
"""A tiny webhook host: your own HTTP server receives Telnyx webhooks and hands them to callwire.

For applications that already run a web server and only want callwire's
webhook verification, call tracking and storage: pass the raw body and the
headers to Client.ingest_webhook() and answer with the status it gives.

    python3 examples/python/webhook_host.py --port 8080     # serve until Ctrl-C
    python3 examples/python/webhook_host.py --self-test     # post one webhook to itself and exit

Live mode (with TELNYX_API_KEY and TELNYX_PUBLIC_KEY in the environment)
requires valid Telnyx signatures; demo mode accepts unsigned webhooks.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import tempfile
import threading
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

import callwire


def make_handler(client: callwire.Client) -> type:
    class WebhookHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            if self.path != "/webhooks/call":
                self.send_error(404)
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            result = client.ingest_webhook(body, self.headers)  # verifies, stores, updates the call
            if not result.ok:
                print(f"refused webhook: {result.http_status} {result.message}")
            reply = json.dumps({"status": "ok" if result.ok else result.message}).encode()
            self.send_response(result.http_status)  # 200, or 401 / 400 / 503 (Telnyx retries those)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            print("webhook:", format % args)

    return WebhookHandler


def self_test(client: callwire.Client, port: int) -> int:
    """Dials a demo call, then posts a hangup webhook for it to this host, as Telnyx would."""
    call = client.dial("+12125551234")
    call = client.wait_for(call.call_id, "active", timeout=30)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    webhook = {
        "data": {
            "record_type": "event",
            "event_type": "call.hangup",
            "id": "ev-self-test-1",
            "occurred_at": now,
            "payload": {
                "call_control_id": call.call_control_id,
                "client_state": base64.b64encode(call.call_id.encode()).decode(),
                "hangup_cause": "normal_clearing",
                "hangup_source": "callee",
            },
        },
        "meta": {"attempt": 1},
    }
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/call",
        data=json.dumps(webhook).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        print(f"posted call.hangup: HTTP {resp.status}")
    ended = client.wait_for(call.call_id, callwire.TERMINAL_STATUSES, timeout=30)
    print(f"call {ended.call_id}: {ended.status}, hung up by the {ended.hangup_source}")
    return 0 if ended.status == "completed" and ended.hangup_source == "callee" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--db", help="SQLite file (default: a temporary one)")
    parser.add_argument("--self-test", action="store_true", help="post one webhook to this host, then exit")
    args = parser.parse_args()

    db = args.db or os.path.join(tempfile.mkdtemp(prefix="callwire-webhooks-"), "calls.db")
    api_key: Optional[str] = os.environ.get("TELNYX_API_KEY")
    with callwire.Storage(db) as storage, callwire.Client(
        storage,
        api_key,
        public_key=os.environ.get("TELNYX_PUBLIC_KEY"),
        demo_speed=20 if args.self_test else None,
    ) as client:
        if not storage.numbers.list():
            storage.numbers.create("+13125550100", name="Demo line", is_default=True)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0 if args.self_test else args.port), make_handler(client))
        port = httpd.server_address[1]
        print(f"webhook host on http://127.0.0.1:{port}/webhooks/call ({client.mode} mode)")
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            if args.self_test:
                return self_test(client, port)
            for update in client.updates():  # print call updates until Ctrl-C
                print(f"{update.type}: {update.call.call_id} {update.call.status}")
        except KeyboardInterrupt:
            print("stopping")
        finally:
            httpd.shutdown()
            httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
