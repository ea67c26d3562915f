"""The reference server (HTTP + WebSocket front door of a client), run from Python."""

from __future__ import annotations

import os
from types import TracebackType
from typing import TYPE_CHECKING, Optional, Sequence, Type, Union

from . import _native
from ._errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["Server"]


class Server:
    """Serves a client over HTTP: ``POST /webhooks/call``, the ``/ws/calls`` WebSocket and,
    with ``rest_api`` (the default), the REST API of the reference server plus
    ``/health`` and ``/metrics``; optionally a static folder at ``/``.

    Not listening until :meth:`start` (or entering a ``with`` block). The
    server runs on threads of its own; :meth:`stop` finishes requests in flight.
    Closing the client closes its servers.

    ``port=0`` picks a free port: read it from :attr:`port` after starting.
    A host other than loopback is refused without ``jwt_secret`` unless
    ``allow_public_without_auth`` is set. ``allowed_hosts`` names the host
    names clients may use besides loopback ones and the bound address
    (others get 421; a public deployment lists its name); ``metrics_token``
    guards ``/metrics`` (without it, only this machine may read them).
    """

    def __init__(
        self,
        client: "Client",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rest_api: bool = True,
        static_dir: Union[str, "os.PathLike[str]", None] = None,
        cors_origins: Union[str, Sequence[str], None] = None,
        jwt_secret: Optional[str] = None,
        allow_public_without_auth: bool = False,
        body_limit: Optional[int] = None,
        threads: Optional[int] = None,
        worker_threads: Optional[int] = None,
        allowed_hosts: Union[str, Sequence[str], None] = None,
        metrics_token: Optional[str] = None,
    ) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise InvalidArgumentError("port must be an int from 0 to 65535")
        for name, value in (("body_limit", body_limit), ("threads", threads), ("worker_threads", worker_threads)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise InvalidArgumentError(f"{name} must be a positive int")
        if cors_origins is not None and not isinstance(cors_origins, str):
            cors_origins = ",".join(cors_origins)
        if allowed_hosts is not None and not isinstance(allowed_hosts, str):
            allowed_hosts = ",".join(allowed_hosts)
        self.client = client
        self.host = host
        self._started = False
        self._native: _native.Server = _native.Server(
            client._enter(),
            host=host,
            port=port,
            rest_api=rest_api,
            static_dir=None if static_dir is None else os.fspath(static_dir),
            cors_origins=cors_origins,
            jwt_secret=jwt_secret,
            allow_public_without_auth=allow_public_without_auth,
            body_limit=body_limit or 0,
            threads=threads or 0,
            worker_threads=worker_threads or 0,
            allowed_hosts=allowed_hosts,
            metrics_token=metrics_token,
        )
        client._servers.add(self)

    def start(self) -> "Server":
        """Binds and starts serving; returns at once. UnavailableError when the address cannot be bound."""
        self._native.start()
        self._started = True
        return self

    @property
    def port(self) -> int:
        """The bound port (after :meth:`start`)."""
        return self._native.port()

    @property
    def url(self) -> str:
        """``http://host:port`` (after :meth:`start`)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._started and not self._native.closed

    @property
    def closed(self) -> bool:
        return self._native.closed

    def stop(self) -> None:
        """Stops accepting, finishes requests in flight, closes WebSockets. Idempotent."""
        self._native.stop()
        self._started = False

    def close(self) -> None:
        """Stops (if needed) and releases the server. Idempotent."""
        self._native.close()
        self._started = False

    def __enter__(self) -> "Server":
        if not self._started:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.running:
            return f"<callwire.Server {self.url}>"
        return f"<callwire.Server {'closed' if self.closed else 'stopped'}>"
