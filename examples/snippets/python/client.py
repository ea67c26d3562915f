"""docs/python.md "The client", "Events", "Exceptions raised in callbacks",
"Webhooks in your own HTTP server", "The server" and "Errors", in demo mode
(in a scratch folder; nothing leaves 127.0.0.1)."""
import http.server
import json
import logging
import threading
import urllib.request

import callwire

log = logging.getLogger("snippets")
storage = callwire.Storage("calls.db")
storage.numbers.create("+1 312 555 0100", is_default=True)

# snippet-begin: open
client = callwire.Client(storage)                                    # demo mode unless a key is saved
client = callwire.Client(storage, "KEY…", connection_id="…", webhook_url="https://…/webhooks/call",
                         public_key="…")                             # live mode
client = callwire.Client("calls.db", demo_speed=20)                  # opens (and owns) its storage
# snippet-end: open
assert client.demo
client.close()
client = callwire.Client(storage, demo_speed=50)
call = client.dial("+1 212 555 0004")                 # answered, then hung up by the callee

# snippet-begin: updates
def show(update: callwire.CallUpdate) -> None:
    print(update.type, update.call.status)

with client.subscribe(show):                      # a callback…
    client.dial("+12125551234")

with client.updates(timeout=5) as updates:        # …or a queue to pull from
    for update in updates:                        # ends after 5 s without an update
        print(update.call.status)

try:
    update = client.updates().get(timeout=1.0)
except callwire.TimeoutError:                     # none came within 1 s
    update = None
done = client.wait_for(call.call_id, callwire.TERMINAL_STATUSES, timeout=60)
# snippet-end: updates
print("wait_for:", done.status)

# snippet-begin: callback-error
client.on_callback_error = lambda exc: log.exception("call event handler failed", exc_info=exc)
# snippet-end: callback-error


# snippet-begin: webhook-handler
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        result = client.ingest_webhook(body, self.headers)   # any Mapping, .items(), or (name, value) pairs
        self.send_response(result.http_status)               # 200, or 400 / 401 / 503
        self.end_headers()
# snippet-end: webhook-handler

    def log_message(self, *args):  # quiet
        pass


host = http.server.HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=host.serve_forever, daemon=True).start()
webhook = {"data": {"event_type": "call.initiated", "id": "5b8e8d0a-9f0e-4d4b-9d57-6f7a1f1c2a01",
                    "occurred_at": "2026-12-07T14:00:00.000000Z", "record_type": "event",
                    "payload": {"call_control_id": "v3:snippet", "call_leg_id": "leg", "call_session_id": "s",
                                "connection_id": "1", "direction": "outgoing", "from": "+13125550100",
                                "state": "bridging", "to": "+12125551234"}}}
answer = urllib.request.urlopen(urllib.request.Request(
    f"http://127.0.0.1:{host.server_port}/", data=json.dumps(webhook).encode(),
    headers={"Content-Type": "application/json"}), timeout=10)
print("webhook: HTTP", answer.status)
host.shutdown()

# snippet-begin: server
with callwire.Server(client, host="127.0.0.1", port=0) as server:   # started by `with`
    print(server.url)                                               # http://127.0.0.1:41297
    ...
# snippet-end: server

form = {"number": "+1 312 555 0100"}
flash = print
call_id = "no-such-call"
# snippet-begin: errors
try:
    storage.numbers.create(form["number"])
except callwire.ConflictError as e:
    flash(e.message)                                   # This number is already in your list.
    log.warning("adding a number failed: %s (%s)", e.message, e.detail)

try:
    client.send_dtmf(call_id, "1")
except callwire.CarrierError as e:
    print(e.http_status, e.carrier_code, e.detail)     # 422 90018 Call has already ended
except KeyError:                                       # NotFoundError: unknown call id
    ...
# snippet-end: errors

client.close()
storage.close()
print("client: ok")
