"""The reference server run from Python: port 0, real HTTP requests over 127.0.0.1 with urllib.

Mirrors the C tests of cw_server_*: start on a free port, the REST API and the
webhook route answer, stop, errors (bind conflict, public host without auth,
closed handles), and closing the client closes its servers.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import pytest

import callwire
from conftest import ANSWERS


def request(
    url: str, method: str = "GET", body: Optional[Any] = None, headers: Optional[Dict[str, str]] = None
) -> Tuple[int, Any]:
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        raw = e.read()
        status = e.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode()


def test_server_on_a_free_port(client: callwire.Client) -> None:
    with callwire.Server(client, port=0) as server:
        assert server.running and server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert repr(server) == f"<callwire.Server {server.url}>"

        status, health = request(server.url + "/health")
        assert status == 200 and isinstance(health, dict)
        assert request(server.url + "/api/call-status/active") == (200, [])

        status, dialed = request(server.url + "/api/telnyx/dial", "POST", {"to_number": "+1 212 555 1234"})
        assert status == 200 and dialed["status"] == "dialing" and dialed["to_number"] == ANSWERS
        call_id = dialed["call_id"]
        client.wait_for(call_id, "active", timeout=10)  # the REST call and the Python client share one client
        status, live = request(f"{server.url}/api/call-status/status/{call_id}")
        assert status == 200 and live["status"] == "active"
        status, done = request(f"{server.url}/api/telnyx/hangup/{call_id}", "POST", {})
        assert status == 200 and done["status"] == "completed"
        assert client.get_call(call_id).status == "completed"

        status, missing = request(f"{server.url}/api/call-status/status/no-such-call")
        assert status == 404 and "detail" in missing
        status, _ = request(server.url + "/webhooks/call", "POST", b"{not json")
        assert status == 400
    assert server.closed and not server.running


def test_stop_and_close(client: callwire.Client) -> None:
    server = callwire.Server(client).start()
    url = server.url
    assert request(url + "/health")[0] == 200
    server.stop()
    server.stop()  # idempotent
    assert not server.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/health", timeout=5)
    server.close()
    server.close()  # idempotent
    with pytest.raises(callwire.ClosedError):
        server.start()
    with pytest.raises(callwire.ClosedError):
        server.port
    assert repr(server) == "<callwire.Server closed>"


def test_a_busy_port_is_unavailable(client: callwire.Client) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = callwire.Server(client, port=taken.getsockname()[1])
        with pytest.raises(callwire.UnavailableError) as info:
            server.start()
        assert info.value.code_name == "CW_EUNAVAILABLE"
        server.close()


def test_a_public_host_needs_auth(client: callwire.Client) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Server(client, host="0.0.0.0")
    with callwire.Server(client, host="127.0.0.1", jwt_secret="s3cret-for-tests-0123456789abcdef") as server:
        status, body = request(server.url + "/api/call-status/active")
        assert status == 401
        assert request(server.url + "/health")[0] == 200


def test_allowed_hosts_and_metrics_token(client: callwire.Client) -> None:
    with callwire.Server(client, allowed_hosts=["calls.example.com"], metrics_token="metrics-token-0123456789") as server:
        assert request(server.url + "/health", headers={"Host": "calls.example.com"})[0] == 200
        status, body = request(server.url + "/health", headers={"Host": "rebind.evil.example"})
        assert status == 421 and body == {"detail": "This server does not answer for that host name."}
        assert request(server.url + "/metrics")[0] == 401
        assert request(server.url + "/metrics", headers={"Authorization": "Bearer metrics-token-0123456789"})[0] == 200


def test_bad_options(client: callwire.Client) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Server(client, port=70000)
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Server(client, threads=0)
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Server(client, host="127.0.0.1\0")


def test_static_folder_and_no_rest_api(client: callwire.Client, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>softphone</h1>")
    with callwire.Server(client, static_dir=tmp_path, rest_api=False, cors_origins=["http://localhost:5173"]) as s:
        status, page = request(s.url + "/")
        assert status == 200 and "softphone" in page
        assert request(s.url + "/api/call-status/active")[0] == 404


def test_closing_the_client_closes_its_servers(storage: callwire.Storage) -> None:
    client = callwire.Client(storage, demo_speed=50)
    server = callwire.Server(client).start()
    url = server.url
    client.close()
    assert server.closed
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/health", timeout=5)
    with pytest.raises(callwire.ClosedError):
        callwire.Server(client)
