"""Webhook ingestion for hosts with their own HTTP server, and carrier errors in live mode.

Mirrors the C tests of cw_client_ingest_webhook (malformed bodies, v1
envelopes, unknown calls, duplicates, a hangup folded into a call, signatures
in live mode) and of a carrier error reaching the caller.
"""

from __future__ import annotations

import email.message
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import callwire
from callwire._types import format_time
from conftest import ANSWERS, PUBLIC_KEY, answered_call, envelope, eventually, sign


def test_malformed_bodies_are_refused(client: callwire.Client) -> None:
    result = client.ingest_webhook(b"{not json")
    assert result.http_status == 400 and not result.ok
    assert isinstance(result.error, callwire.MalformedError) and isinstance(result.error, ValueError)
    assert result.error.code_name == "CW_EMALFORMED" and result.message == result.error.message
    with pytest.raises(callwire.MalformedError):
        result.raise_for_error()

    v1 = client.ingest_webhook(json.dumps({"event_type": "call_initiated", "payload": {}}), {})
    assert v1.http_status == 400 and "v1" in v1.message


def test_unknown_calls_and_duplicates(client: callwire.Client) -> None:
    body = envelope("ev-stranger", "call.initiated", "00000000-0000-4000-8000-000000000000", "2026-01-01T00:00:00Z")
    first = client.ingest_webhook(body)
    assert (first.http_status, first.ok, first.duplicate, first.call_id) == (200, True, False, "")
    assert first.event_type == "call.initiated"
    first.raise_for_error()  # accepted: nothing to raise
    again = client.ingest_webhook(bytearray(body))
    assert (again.http_status, again.duplicate) == (200, True)


def test_a_hangup_from_outside_folds_into_the_call(client: callwire.Client) -> None:
    call = answered_call(client)
    assert call.answered_at is not None
    ended_at = format_time(call.answered_at + timedelta(milliseconds=7500))
    body = envelope(
        "ev-hangup-1",
        "call.hangup",
        call.call_id,
        ended_at,
        call_control_id=call.call_control_id,
        hangup_cause="normal_clearing",
        hangup_source="callee",
    )
    first = client.ingest_webhook(memoryview(body), [])  # unsigned is fine: demo mode, no key
    assert (first.http_status, first.duplicate, first.call_id) == (200, False, call.call_id)
    again = client.ingest_webhook(body.decode())
    assert (again.http_status, again.duplicate) == (200, True)
    done = client.get_call(call.call_id)
    assert (done.status, done.duration, done.hangup_source) == ("completed", 7, "callee")


def test_a_recording_error_marks_the_call(client: callwire.Client) -> None:
    call = client.start_recording(answered_call(client).call_id)
    assert call.recording and call.recording_error == "" and call.answered_at is not None
    at = format_time(call.answered_at + timedelta(seconds=3))
    body = envelope("ev-rec-error", "call.recording.error", call.call_id, at, call_control_id=call.call_control_id,
                    reason="Unsupported backend")  # fmt: skip
    assert client.ingest_webhook(body).http_status == 200
    marked = client.get_call(call.call_id)
    assert marked.recording_error == "Telnyx could not save the recording: Unsupported backend"
    assert not marked.recording and marked.status == "active"
    client.hangup(call.call_id)


def test_bad_arguments(client: callwire.Client) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        client.ingest_webhook(12)  # type: ignore[arg-type]
    with pytest.raises(callwire.InvalidArgumentError):
        client.ingest_webhook(b"{}", {"telnyx-timestamp": 12})  # type: ignore[arg-type]
    with pytest.raises(callwire.InvalidArgumentError, match="NUL"):
        client.ingest_webhook(b"{}", {"x-bad": "a\0b"})


@pytest.fixture
def live_client(storage: callwire.Storage) -> Iterator[callwire.Client]:
    """A live-mode client whose carrier is never contacted: it only verifies webhooks."""
    with callwire.Client(storage, "KEY-test-not-used", api_base="http://127.0.0.1:9/v2", public_key=PUBLIC_KEY) as c:
        yield c


def test_live_mode_requires_signatures(live_client: callwire.Client) -> None:
    assert not live_client.demo
    body = envelope("ev-signed-1", "call.initiated", "00000000-0000-4000-8000-000000000001", "2026-01-01T00:00:00Z")

    unsigned = live_client.ingest_webhook(body)
    assert unsigned.http_status == 401
    assert unsigned.message == "invalid webhook signature: missing_headers"
    assert isinstance(unsigned.error, callwire.UnauthorizedError) and unsigned.error.code == -4

    ts = str(int(time.time()))
    sig = sign(ts, body)
    ok = live_client.ingest_webhook(body, {"Telnyx-Timestamp": ts, "Telnyx-Signature-Ed25519": sig})
    assert ok.http_status == 200 and ok.ok

    tampered = live_client.ingest_webhook(body + b" ", [("telnyx-timestamp", ts), ("telnyx-signature-ed25519", sig)])
    assert tampered.http_status == 401 and tampered.message == "invalid webhook signature: signature_mismatch"

    headers = email.message.Message()  # what http.server hands a request handler
    headers["Telnyx-Timestamp"] = "1000"
    headers["Telnyx-Signature-Ed25519"] = sig
    stale = live_client.ingest_webhook(body, headers)
    assert stale.message == "invalid webhook signature: timestamp_outside_tolerance"


def test_insecure_webhooks_skip_the_check(storage: callwire.Storage) -> None:
    with callwire.Client(
        storage, "KEY-test-not-used", api_base="http://127.0.0.1:9/v2", public_key=PUBLIC_KEY, insecure_webhooks=True
    ) as client:
        body = envelope("ev-insecure", "call.initiated", "00000000-0000-4000-8000-000000000002", "2026-01-01T00:00:00Z")
        assert client.ingest_webhook(body).http_status == 200


# ---- a carrier error reaches the caller as CarrierError -------------------------------------


class FakeTelnyx(BaseHTTPRequestHandler):
    """Accepts dials; refuses every call command as Telnyx does for a call that has ended."""

    requests: List[Tuple[str, str, str]] = []
    bodies: Dict[str, Any] = {}  # the last JSON body per path

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        FakeTelnyx.requests.append(("POST", self.path, self.headers.get("Authorization", "")))
        FakeTelnyx.bodies[self.path] = json.loads(raw) if raw else None
        if self.path == "/v2/calls":
            data = {
                "call_control_id": "v3:py-fake-1",
                "call_leg_id": "leg-1",
                "call_session_id": "session-1",
                "is_alive": True,
                "record_type": "call",
            }
            self._answer(200, {"data": data})
        else:
            error = {"code": "90018", "title": "Call has already ended", "detail": "This call is no longer active."}
            self._answer(422, {"errors": [error]})

    def _answer(self, status: int, body: object) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def fake_telnyx() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTelnyx)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTelnyx.requests = []
    FakeTelnyx.bodies = {}
    yield f"http://127.0.0.1:{server.server_address[1]}/v2"
    server.shutdown()
    server.server_close()


def test_a_carrier_error_is_a_carrier_error(storage: callwire.Storage, fake_telnyx: str, tmp_path: Path) -> None:
    with callwire.Client(storage, "KEY-fake", api_base=fake_telnyx, connection_id="conn-1", insecure_webhooks=True) as c:
        call = c.dial(ANSWERS)
        assert call.status == "dialing" and not call.demo
        # The carrier's answer to the dial gives the call its Telnyx ids.
        assert eventually(lambda: c.get_call(call.call_id).call_control_id == "v3:py-fake-1")
        answered = c.ingest_webhook(
            envelope("ev-answer", "call.answered", call.call_id, format_time(call.created_at), call_control_id="v3:py-fake-1")
        )
        assert answered.ok
        c.wait_for(call.call_id, "active", timeout=10)
        with pytest.raises(callwire.CarrierError) as info:
            c.send_dtmf(call.call_id, "1")
        err = info.value
        assert (err.code, err.code_name, err.domain) == (-7, "CW_ECARRIER", callwire.Domain.CARRIER)
        assert (err.http_status, err.carrier_code) == (422, "90018")
        assert "Call has already ended" in err.message
        assert err.detail == "This call is no longer active."  # Telnyx's errors[0].detail
        # Speech goes out as the spec wants a gender voice: service level basic, en-US, text.
        with pytest.raises(callwire.CarrierError) as info:
            c.speak(call.call_id, "Hello")
        assert (info.value.http_status, info.value.carrier_code) == (422, "90018")
        speak = FakeTelnyx.bodies["/v2/calls/v3:py-fake-1/actions/speak"]
        assert {k: v for k, v in speak.items() if k != "command_id"} == {
            "payload": "Hello",
            "payload_type": "text",
            "voice": "female",
            "service_level": "basic",
            "language": "en-US",
        }
    assert FakeTelnyx.requests[0] == ("POST", "/v2/calls", "Bearer KEY-fake")
    assert ("POST", "/v2/calls/v3:py-fake-1/actions/send_dtmf", "Bearer KEY-fake") in FakeTelnyx.requests
