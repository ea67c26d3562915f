"""callwire: place and follow phone calls through Telnyx Call Control (or a demo simulator).

A Python binding of callwire's C ABI (libcallwire_c). The whole workflow::

    import callwire

    with callwire.Storage("sqlite:///tmp/calls.db") as storage, \\
         callwire.Client(storage, demo_speed=20) as client:
        call = client.dial("+1 212 555 1234")
        client.wait_for(call.call_id, "active")
        print(client.hangup(call.call_id))

The library's log records go to the standard logging module, logger
"callwire" (see callwire._logging and set_log_level()).

See docs/python.md for the guide.
"""

from __future__ import annotations

from . import _native
from ._client import CallbackErrorHandler, Client, UpdateCallback, UpdateQueue, Subscription
from ._errors import (
    CarrierError,
    ClosedError,
    ConflictError,
    Domain,
    Error,
    InternalError,
    InvalidArgumentError,
    MalformedError,
    NotFoundError,
    OutOfMemoryError,
    RateLimitedError,
    Status,
    StorageError,
    TimeoutError,
    TlsError,
    TooLargeError,
    UnauthorizedError,
    ForbiddenError,
    UnavailableError,
    error_class,
    status_name,
)
from ._logging import TRACE, set_log_level
from ._server import Server
from ._storage import Contacts, Logs, Numbers, Recordings, SettingsStore, Storage, Users
from ._types import (
    CALL_STATUSES,
    CONTACT_CATEGORIES,
    EVENT_TYPES,
    LIVE_STATUSES,
    TERMINAL_STATUSES,
    USER_ROLES,
    USER_STATUSES,
    Call,
    CallUpdate,
    Contact,
    PhoneNumber,
    Recording,
    Settings,
    Stats,
    User,
    WebhookResult,
)
from ._version import __version__

__all__ = [
    "__version__",
    "c_library_version",
    "c_library_version_number",
    "normalize_phone",
    "set_log_level",
    "TRACE",
    # storage
    "Storage",
    "Contacts",
    "Logs",
    "Recordings",
    "Numbers",
    "SettingsStore",
    "Users",
    # client and server
    "Client",
    "Subscription",
    "UpdateQueue",
    "UpdateCallback",
    "CallbackErrorHandler",
    "Server",
    # records
    "Call",
    "CallUpdate",
    "Contact",
    "PhoneNumber",
    "Recording",
    "Settings",
    "Stats",
    "User",
    "WebhookResult",
    "CALL_STATUSES",
    "TERMINAL_STATUSES",
    "LIVE_STATUSES",
    "CONTACT_CATEGORIES",
    "USER_ROLES",
    "USER_STATUSES",
    "EVENT_TYPES",
    # errors
    "Status",
    "Domain",
    "status_name",
    "error_class",
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
]


def c_library_version() -> str:
    """The version of the loaded libcallwire_c, e.g. "0.1.0" (cw_version_string())."""
    return _native.version_string()


def c_library_version_number() -> int:
    """The loaded library's version as major * 10000 + minor * 100 + patch (cw_version_number())."""
    return _native.version_number()


def normalize_phone(number: str) -> str:
    """A phone number in E.164 ("+1 (212) 555-1234" -> "+12125551234"); InvalidArgumentError says why not."""
    return _native.phone_normalize(number)


# Tracebacks say callwire.NotFoundError, not callwire._errors.NotFoundError.
for _cls in (Error, *Error.__subclasses__(), MalformedError, TooLargeError):
    _cls.__module__ = __name__
del _cls
