"""The library's log records in the logging module, logger "callwire".

Mirrors tests/capi/log_test.c: a request the server refuses is logged (info,
component "http") from one of the library's own threads, with the request's
X-Request-Id; the threshold filters.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from typing import Callable, List

import pytest

import callwire


def get(url: str, request_id: str = "") -> int:
    req = urllib.request.Request(url, headers={"X-Request-Id": request_id} if request_id else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def wait_for(caplog: pytest.LogCaptureFixture, pred: Callable[[logging.LogRecord], bool]) -> List[logging.LogRecord]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [r for r in caplog.records if pred(r)]
        if found:
            return found
        time.sleep(0.02)
    return []


def test_records_reach_the_callwire_logger(client: callwire.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="callwire")
    with callwire.Server(client, port=0) as server:
        assert get(server.url + "/api//contacts", "py-log-1") == 400
        found = wait_for(caplog, lambda r: "refused a request path" in r.getMessage())
    assert found, [r.getMessage() for r in caplog.records]
    r = found[0]
    assert r.name == "callwire"
    assert r.levelno == logging.INFO
    assert r.getMessage() == "http: refused a request path (empty segment)"
    assert getattr(r, "component") == "http"
    assert getattr(r, "request_id") == "py-log-1"
    assert r.threadName == "callwire-log"  # handed over by the pump, never on the library's thread
    assert abs(r.created - time.time()) < 60
    listening = [x for x in caplog.records if x.getMessage().startswith("http: listening on")]
    assert listening and getattr(listening[0], "request_id") is None


def test_the_threshold(client: callwire.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="callwire")
    callwire.set_log_level(logging.WARNING)
    try:
        with callwire.Server(client, port=0) as server:
            assert get(server.url + "/api//contacts") == 400
            time.sleep(0.3)
        assert not [r for r in caplog.records if "refused a request path" in r.getMessage()]
    finally:
        callwire.set_log_level(logging.DEBUG)
    # The logger's own level filters too (the library still produces the record).
    caplog.clear()
    caplog.set_level(logging.WARNING, logger="callwire")
    with callwire.Server(client, port=0) as server:
        assert get(server.url + "/api//contacts") == 400
        time.sleep(0.3)
    assert not [r for r in caplog.records if "refused a request path" in r.getMessage()]


def test_set_log_level_refuses_what_is_not_a_level() -> None:
    with pytest.raises(ValueError):
        callwire.set_log_level("loud")
    with pytest.raises(TypeError):
        callwire.set_log_level(1.5)  # type: ignore[arg-type]
    callwire.set_log_level("debug")
