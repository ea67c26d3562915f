"""Fixtures of the callwire Python tests: a fresh SQLite storage and a fast demo client per test.

The tests run against the installed package (bindings/python/scripts/ci.sh
installs it into a virtual environment first) and talk only to 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import callwire

#: Demo calls run this many times faster than real time: answered after ~40 ms.
DEMO_SPEED = 50.0

#: The Ed25519 test key pair of the C++ client tests (tests/client/call_client_test.cpp).
SIGNING_SEED = "i1xxSkIuQOY9H8laaRslIoYGTJ1NwBAFdjsQwiwJH04="
PUBLIC_KEY = "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs="

#: The default caller-ID number the storage fixture adds.
DEFAULT_NUMBER = "+13125550100"

#: Demo destinations (docs/demo-mode.md): the last four digits pick the scenario.
ANSWERS = "+12125551234"
BUSY = "+12125550000"
REJECTED = "+12125550002"
CALLEE_HANGS_UP = "+12125550004"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "callwire.db"


@pytest.fixture
def storage(db_path: Path) -> Iterator[callwire.Storage]:
    """A fresh SQLite database with one default caller-ID number, as the C++ client tests set up."""
    with callwire.Storage(f"sqlite://{db_path}") as s:
        s.numbers.create(DEFAULT_NUMBER, name="Main", is_default=True)
        yield s


@pytest.fixture
def client(storage: callwire.Storage, tmp_path: Path) -> Iterator[callwire.Client]:
    with callwire.Client(storage, demo_speed=DEMO_SPEED, recordings_dir=tmp_path / "recordings") as c:
        yield c


class Recorder:
    """Collects call updates from a callback, with a wait for a condition."""

    def __init__(self) -> None:
        self.updates: List[callwire.CallUpdate] = []
        self.cond = threading.Condition()
        self.threads: List[int] = []

    def __call__(self, update: callwire.CallUpdate) -> None:
        with self.cond:
            self.updates.append(update)
            self.threads.append(threading.get_ident())
            self.cond.notify_all()

    def statuses(self, call_id: str) -> List[str]:
        with self.cond:
            return [u.call.status for u in self.updates if u.call.call_id == call_id]

    def wait(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        with self.cond:
            assert self.cond.wait_for(predicate, timeout), f"condition not met; updates: {self.updates}"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def envelope(
    event_id: str, event_type: str, call_id: str, occurred_at: str, call_control_id: str = "", **payload: Any
) -> bytes:
    """A Telnyx Call Control v2 webhook for a call placed by callwire (as the C++ client tests build it).

    call_control_id: the leg; the call's own for an event that is to fold into it (an event with the
    call's client_state on another leg is stored but never folded)."""
    body: Dict[str, Any] = {
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": event_id,
            "occurred_at": occurred_at,
            "payload": {
                "call_control_id": call_control_id or "v3:test-" + call_id,
                "client_state": base64.b64encode(call_id.encode()).decode(),
                **payload,
            },
        },
        "meta": {"attempt": 1},
    }
    return json.dumps(body).encode()


def sign(timestamp: str, body: bytes, seed_b64: str = SIGNING_SEED) -> str:
    """Telnyx's Ed25519 signature over "timestamp|body", made with the openssl command."""
    der = bytes.fromhex("302e020100300506032b657004220420") + base64.b64decode(seed_b64)
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "key.der")
        message = os.path.join(tmp, "message")
        with open(key, "wb") as f:
            f.write(der)
        with open(message, "wb") as f:
            f.write(timestamp.encode() + b"|" + body)
        signature = subprocess.run(
            ["openssl", "pkeyutl", "-sign", "-keyform", "DER", "-inkey", key, "-rawin", "-in", message],
            check=True,
            capture_output=True,
        ).stdout
    return base64.b64encode(signature).decode()


def answered_call(client: callwire.Client, to: str = ANSWERS, **dial: Any) -> callwire.Call:
    """Dials a demo number that answers and waits until the call is active."""
    call = client.dial(to, **dial)
    return client.wait_for(call.call_id, "active", timeout=10)


def eventually(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Polls probe() until it answers something truthy (for things that come without an event)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def only(items: List[Any], what: Optional[str] = None) -> Any:
    assert len(items) == 1, f"expected one {what or 'item'}, got {items}"
    return items[0]
