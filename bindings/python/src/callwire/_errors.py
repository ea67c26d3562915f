"""The exception hierarchy of callwire and the one function that maps C codes to it.

Every failure of the C ABI arrives as a ``cw_status`` code plus a ``cw_error``
(domain, HTTP status, carrier code, message, detail); :func:`_from_native`
turns it into an instance of the matching :class:`Error` subclass. Subclasses also
derive from the builtin exception a Python programmer would catch for that
kind of failure (``KeyError`` for an unknown id, ``ValueError`` for an
invalid argument, ``TimeoutError`` for a timeout, ``MemoryError``).
"""

from __future__ import annotations

import builtins
import enum
from typing import Dict, Optional, Type

__all__ = [
    "Status",
    "Domain",
    "Error",
    "InvalidArgumentError",
    "MalformedError",
    "TooLargeError",
    "NotFoundError",
    "ConflictError",
    "UnauthorizedError",
    "ForbiddenError",
    "RateLimitedError",
    "CarrierError",
    "UnavailableError",
    "StorageError",
    "TimeoutError",
    "TlsError",
    "ClosedError",
    "InternalError",
    "OutOfMemoryError",
    "status_name",
]


class Status(enum.IntEnum):
    """The C ABI's ``cw_status`` codes (never renumbered)."""

    OK = 0
    EINVAL = -1
    ENOTFOUND = -2
    ECONFLICT = -3
    EUNAUTHORIZED = -4
    ETOOLARGE = -5
    ERATELIMITED = -6
    ECARRIER = -7
    EUNAVAILABLE = -8
    ESTORAGE = -9
    ETIMEOUT = -10
    ETLS = -11
    ECLOSED = -12
    EINTERNAL = -13
    EMALFORMED = -14
    EVERSION = -15
    ENOMEM = -16
    EFORBIDDEN = -17


class Domain(enum.IntEnum):
    """Where an error came from (``cw_error_domain``)."""

    NONE = 0
    SDK = 1
    CARRIER = 2
    STORAGE = 3
    TLS = 4


def status_name(code: int) -> str:
    """The C name of a code, e.g. ``'CW_ENOTFOUND'``; ``'CW_UNKNOWN'`` for others."""
    try:
        return "CW_" + Status(code).name
    except ValueError:
        return "CW_UNKNOWN"


def _as_status(code: int) -> int:
    try:
        return Status(code)
    except ValueError:
        return int(code)


def _as_domain(domain: int) -> int:
    try:
        return Domain(domain)
    except ValueError:
        return int(domain)


class Error(Exception):
    """A failure reported by callwire.

    Attributes:
        code: the ``cw_status`` code, a negative int (a :class:`Status` member when known).
        code_name: its C name, e.g. ``'CW_ENOTFOUND'``.
        domain: where it came from, a :class:`Domain` (SDK, carrier, storage, TLS).
        message: what happened, for people (also ``str(error)``); safe to show to end
            users: never SQL, file paths or database driver messages. Storage errors give
            one plain sentence (``'This number is already in your list.'``).
        detail: the raw text behind ``message`` (``cw_error.detail``), for logs and for
            the developer only, never for end users: for storage errors what the database
            said (its driver's message, the file path); for carrier errors Telnyx's
            ``errors[0].detail``; ``''`` when there is nothing more.
        http_status: the carrier's HTTP status (carrier domain; 0 otherwise).
        carrier_code: the carrier's error code, e.g. ``'90018'`` (carrier domain; '' otherwise).
    """

    #: The code an instance made from Python gets when none is given.
    default_code: int = Status.EINTERNAL

    code: int
    domain: int
    message: str
    detail: str
    http_status: int
    carrier_code: str

    def __init__(
        self,
        message: str,
        *,
        code: Optional[int] = None,
        domain: int = Domain.SDK,
        http_status: int = 0,
        carrier_code: str = "",
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.code = _as_status(self.default_code if code is None else code)
        self.domain = _as_domain(domain)
        self.http_status = http_status
        self.carrier_code = carrier_code

    @property
    def code_name(self) -> str:
        return status_name(self.code)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code_name})"


class InvalidArgumentError(Error, ValueError):
    """An invalid argument: a bad phone number, JSON field or option (CW_EINVAL, CW_EVERSION)."""

    default_code = Status.EINVAL


class MalformedError(InvalidArgumentError):
    """A body that does not parse: JSON, a webhook envelope (CW_EMALFORMED)."""

    default_code = Status.EMALFORMED


class TooLargeError(InvalidArgumentError):
    """A body over the size limit (CW_ETOOLARGE)."""

    default_code = Status.ETOOLARGE


class NotFoundError(Error, KeyError):
    """An unknown id (CW_ENOTFOUND)."""

    default_code = Status.ENOTFOUND


class ConflictError(Error):
    """A duplicate, or a state that does not allow it, e.g. the call has ended (CW_ECONFLICT)."""

    default_code = Status.ECONFLICT


class UnauthorizedError(Error):
    """A bad or missing webhook signature (CW_EUNAUTHORIZED)."""

    default_code = Status.EUNAUTHORIZED


class ForbiddenError(Error, builtins.PermissionError):
    """Signed in, but the user's role or account does not allow it (CW_EFORBIDDEN)."""

    default_code = Status.EFORBIDDEN


class RateLimitedError(Error):
    """Pacing refused the request (CW_ERATELIMITED)."""

    default_code = Status.ERATELIMITED


class CarrierError(Error):
    """The carrier (Telnyx) answered with an error (CW_ECARRIER).

    ``http_status`` is its HTTP status (0 if no answer came), ``carrier_code``
    the Telnyx ``errors[0].code`` and ``detail`` Telnyx's ``errors[0].detail``
    (what every :class:`Error` carries as ``detail``).
    """

    default_code = Status.ECARRIER


class UnavailableError(Error):
    """The carrier or the database is unreachable; retrying later may work (CW_EUNAVAILABLE)."""

    default_code = Status.EUNAVAILABLE


class StorageError(Error):
    """The database reported an error (CW_ESTORAGE)."""

    default_code = Status.ESTORAGE


class TimeoutError(Error, builtins.TimeoutError):
    """An operation ran out of time (CW_ETIMEOUT)."""

    default_code = Status.ETIMEOUT


class TlsError(Error):
    """The TLS handshake or certificate verification with the carrier failed (CW_ETLS)."""

    default_code = Status.ETLS


class ClosedError(Error):
    """The storage, client or server was closed (CW_ECLOSED)."""

    default_code = Status.ECLOSED


class InternalError(Error):
    """A bug in callwire: please report it (CW_EINTERNAL)."""

    default_code = Status.EINTERNAL


class OutOfMemoryError(Error, builtins.MemoryError):
    """Out of memory (CW_ENOMEM)."""

    default_code = Status.ENOMEM


_BY_CODE: Dict[int, Type[Error]] = {
    Status.EINVAL: InvalidArgumentError,
    Status.EVERSION: InvalidArgumentError,
    Status.EMALFORMED: MalformedError,
    Status.ETOOLARGE: TooLargeError,
    Status.ENOTFOUND: NotFoundError,
    Status.ECONFLICT: ConflictError,
    Status.EUNAUTHORIZED: UnauthorizedError,
    Status.EFORBIDDEN: ForbiddenError,
    Status.ERATELIMITED: RateLimitedError,
    Status.ECARRIER: CarrierError,
    Status.EUNAVAILABLE: UnavailableError,
    Status.ESTORAGE: StorageError,
    Status.ETIMEOUT: TimeoutError,
    Status.ETLS: TlsError,
    Status.ECLOSED: ClosedError,
    Status.EINTERNAL: InternalError,
    Status.ENOMEM: OutOfMemoryError,
}


def error_class(code: int) -> Type[Error]:
    """The :class:`Error` subclass for a ``cw_status`` code (:class:`Error` itself for unknown codes)."""
    return _BY_CODE.get(code, Error)


def _from_native(
    code: int, domain: int, http_status: int, carrier_code: str, message: str, detail: str = ""
) -> Error:
    """Maps a failed C call (its code and cw_error fields) to an exception. Called by the extension."""
    cls = error_class(code)
    return cls(message, code=code, domain=domain, http_status=http_status, carrier_code=carrier_code, detail=detail)
