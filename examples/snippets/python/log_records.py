"""docs/python.md "Logging": the library's records through the standard
logging module. A request the server refuses (a path with an empty segment)
makes one at info; the program fails unless the "callwire" logger got it."""

import http.client
import time

import callwire

# snippet-begin: setup
import logging
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s")
logging.getLogger("callwire").setLevel(logging.INFO)
# 2026-11-26 10:22:45,123 INFO callwire http: refused a request path (empty segment)
# snippet-end: setup


class Seen(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


seen = Seen()
logging.getLogger("callwire").addHandler(seen)
with callwire.Client("calls.db", demo_speed=20) as client:
    server = callwire.Server(client).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port)
    conn.request("GET", "/api//contacts")
    status = conn.getresponse().status
    conn.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any("refused a request path" in r.getMessage() for r in seen.records):
        time.sleep(0.02)  # records reach logging from the library's pump thread, shortly after
    server.stop()
refused = [r for r in seen.records if "refused a request path" in r.getMessage()]
if status != 400 or not refused or refused[0].levelno != logging.INFO or refused[0].component != "http":
    raise SystemExit(f"no refused-path record at info (status {status}, {len(seen.records)} records)")
print("logging: ok")
