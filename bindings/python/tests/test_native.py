"""The extension module callwire._native directly: the C ABI's misuse cases as Python can reach them.

Mirrors the C tests of handle misuse (closed handles, unknown subscription ids,
options the library refuses, calls that are not allowed inside a callback) and
checks the GIL and threading rules of the extension.
"""

from __future__ import annotations

import gc
import json
import urllib.request
import threading
import time
from pathlib import Path
from typing import Any, List

import pytest

import callwire
from callwire import _native
from conftest import ANSWERS, DEFAULT_NUMBER, eventually


@pytest.fixture
def native_storage(db_path: Path) -> Any:
    s = _native.Storage(f"sqlite://{db_path}")
    s.numbers_create(json.dumps({"number": DEFAULT_NUMBER, "is_default": True}))
    yield s
    s.close()


def test_storage_handle(native_storage: Any) -> None:
    assert json.loads(native_storage.info())["backend"] == "sqlite"
    assert json.loads(native_storage.contacts_list()) == []
    assert json.loads(native_storage.contacts_list(None)) == []
    with pytest.raises(callwire.MalformedError):
        native_storage.contacts_create("{not json")
    with pytest.raises(callwire.InvalidArgumentError):
        native_storage.contacts_list('{"limit": "ten"}')
    with pytest.raises(callwire.InvalidArgumentError, match="NUL"):
        native_storage.contacts_get("a\0b")
    native_storage.close()
    native_storage.close()
    assert native_storage.closed
    with pytest.raises(callwire.ClosedError, match="the storage is closed"):
        native_storage.numbers_list()


def test_client_options_the_library_refuses(native_storage: Any) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        _native.Client(native_storage, demo_speed=-1.0)
    with pytest.raises(TypeError):  # pybind11 refuses what does not fit a uint32_t
        _native.Client(native_storage, hangup_wait_ms=-1)


def test_subscriptions(native_storage: Any) -> None:
    client = _native.Client(native_storage, demo_speed=50.0)
    seen: List[Any] = []
    got = threading.Event()

    def on_event(type_: str, call_json: str) -> None:
        seen.append((type_, json.loads(call_json)["status"], _native.in_update_callback()))
        got.set()

    with pytest.raises(callwire.InvalidArgumentError, match="callable"):
        client.subscribe(42)  # type: ignore[arg-type]
    sid = client.subscribe(on_event)
    assert isinstance(sid, int) and not _native.in_update_callback()
    call = json.loads(client.dial(ANSWERS))
    assert got.wait(10)
    assert seen[0] == ("call.created", "dialing", True)
    client.unsubscribe(sid)
    with pytest.raises(callwire.NotFoundError):
        client.unsubscribe(sid)
    with pytest.raises(callwire.NotFoundError):
        client.unsubscribe(987654321)
    count = len(seen)
    json.loads(client.hangup(call["call_id"]))
    assert len(seen) == count  # unsubscribed: no more calls
    client.close()
    client.close()
    with pytest.raises(callwire.ClosedError):
        client.subscribe(on_event)
    with pytest.raises(callwire.ClosedError):
        client.is_demo()


def test_close_and_unsubscribe_are_refused_inside_a_callback(native_storage: Any) -> None:
    client = _native.Client(native_storage, demo_speed=50.0)
    errors: List[BaseException] = []
    done = threading.Event()
    ids: List[int] = []

    def on_event(type_: str, call_json: str) -> None:
        if done.is_set():
            return
        for attempt in (client.close, lambda: client.unsubscribe(ids[0])):
            try:
                attempt()
            except callwire.InvalidArgumentError as e:
                errors.append(e)
        done.set()

    ids.append(client.subscribe(on_event))
    client.dial(ANSWERS)
    assert done.wait(10)
    assert [str(e) for e in errors] == [
        "close() cannot be called from an update callback",
        "unsubscribe() cannot be called from an update callback",
    ]
    assert client.is_demo()  # still open and usable
    client.close()


def test_an_exception_escaping_a_native_callback_is_unraisable(
    native_storage: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: List[Any] = []
    monkeypatch.setattr("sys.unraisablehook", unraisable.append)
    client = _native.Client(native_storage, demo_speed=50.0)

    def broken(type_: str, call_json: str) -> None:
        raise RuntimeError("escaped")

    client.subscribe(broken)
    client.dial(ANSWERS)
    assert eventually(lambda: unraisable)
    assert isinstance(unraisable[0].exc_value, RuntimeError) and unraisable[0].object == "callwire update callback"
    client.close()


def test_the_gil_is_released_during_blocking_calls(native_storage: Any) -> None:
    """Another Python thread keeps running while a call blocks in C (hangup waits for the carrier)."""
    client = _native.Client(native_storage, demo_speed=1.0)
    call = json.loads(client.dial(ANSWERS))
    in_call = threading.Event()
    ticks_during_call = [0]
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            if in_call.is_set():
                ticks_during_call[0] += 1
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        # The callee answers after ~2 s: hangup waits for the carrier's hangup
        # (~150 ms at speed 1) with the GIL released, so the ticker runs meanwhile.
        in_call.set()
        done = json.loads(client.hangup(call["call_id"]))
        in_call.clear()
    finally:
        stop.set()
        t.join()
    assert done["status"] == "canceled"
    assert ticks_during_call[0] > 0
    client.close()


def test_server_handle(native_storage: Any) -> None:
    client = _native.Client(native_storage, demo_speed=50.0)
    server = _native.Server(client, port=0)
    server.start()
    assert server.port() > 0
    server.stop()
    server.close()
    server.close()
    assert server.closed
    with pytest.raises(callwire.ClosedError, match="the server is closed"):
        server.port()
    client.close()
    with pytest.raises(callwire.ClosedError):
        _native.Server(client)


def test_a_server_keeps_its_client_alive(native_storage: Any) -> None:
    """The C ABI keeps the client's core alive while a server uses it: freeing the client first is fine."""
    client = _native.Client(native_storage, demo_speed=50.0)
    server = _native.Server(client, port=0)
    del client
    gc.collect()
    server.start()
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port()}/health", timeout=10) as resp:
        assert resp.status == 200
    server.close()
