"""The library's log records in Python's logging module, logger ``callwire``.

libcallwire_c logs what no return value carries (connections refused at a
limit, a handler that failed, the storage detail behind an error, carrier
retries). At import this module installs the C log handler
(cw_log_set_handler): from then on those records go to
``logging.getLogger("callwire")`` instead of stderr, with

- the level mapped: trace -> 5 (below DEBUG), debug -> DEBUG, info -> INFO,
  warn -> WARNING, error -> ERROR;
- the message ``"<component>: <text>"``, and the attributes ``component``
  ("http", "ws", "client", ...) and ``request_id`` (the HTTP request of a
  callwire.Server it belongs to, else None);
- ``created`` the time the library logged it.

The C handler runs on whichever thread logs, often one of the library's own
that has never held the GIL, so it never takes the GIL: it queues the record,
and a daemon thread, "callwire-log", hands the queue to ``logging`` (so that
is the ``threadName`` of every record). Records therefore arrive shortly after
they are logged, not during the call that logged them. At interpreter exit
the queue is drained and the library gets its stderr output back.

The ``callwire`` logger's level and handlers decide what is shown, as for any
library; set_log_level() also tells the library not to produce the records
below a level at all.
"""

from __future__ import annotations

import atexit
import logging
import threading
from typing import List, Tuple, Union

from . import _native

__all__ = ["TRACE", "logger", "set_log_level"]

#: The level of the library's trace records (below logging.DEBUG).
TRACE = 5

#: The logger every record goes to.
logger = logging.getLogger("callwire")

# cw_log_level -> logging level.
_FROM_C = {0: TRACE, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
_NAMES = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "warning": 3, "error": 4, "off": 5, "critical": 5}
# What the library produces until set_log_level() says otherwise: everything but trace.
_DEFAULT_C_LEVEL = 1

_Record = Tuple[int, int, str, str, str]


def _to_c(level: Union[int, str]) -> int:
    if isinstance(level, str):
        try:
            return _NAMES[level.lower()]
        except KeyError:
            raise ValueError(f"unknown log level {level!r}: use one of {', '.join(_NAMES)} or a logging level") from None
    if isinstance(level, bool) or not isinstance(level, int):
        raise TypeError(f"level must be an int or a str, not {type(level).__name__}")
    if level <= TRACE:
        return 0
    if level <= logging.DEBUG:
        return 1
    if level <= logging.INFO:
        return 2
    if level <= logging.WARNING:
        return 3
    if level <= logging.ERROR:
        return 4
    return 5  # CRITICAL and above: the library logs nothing that high


def set_log_level(level: Union[int, str]) -> None:
    """The lowest level the library produces records at (default: DEBUG).

    A logging level (``logging.WARNING``) or a name ("debug", "info", "warn",
    "warning", "error", "off", "trace"). Records below it are never made, which
    saves the library's work; the ``callwire`` logger's own level still
    filters what reaches its handlers.
    """
    _native.log_start(_to_c(level))


def _emit(records: List[_Record]) -> None:
    for level, time_ms, component, message, request_id in records:
        pylevel = _FROM_C.get(level, logging.ERROR)
        if not logger.isEnabledFor(pylevel):
            continue
        record = logger.makeRecord(
            logger.name,
            pylevel,
            "(libcallwire_c)",
            0,
            "%s: %s",
            (component, message),
            None,
            extra={"component": component, "request_id": request_id or None},
        )
        record.created = time_ms / 1000.0
        record.msecs = float(time_ms % 1000)
        logger.handle(record)


class _Pump(threading.Thread):
    """Hands the queued records to logging until stopped."""

    def __init__(self) -> None:
        super().__init__(name="callwire-log", daemon=True)
        self.stopping = False

    def run(self) -> None:
        while not self.stopping:
            records, dropped = _native.log_take(500)
            try:
                if dropped:
                    logger.warning("log: %d records were dropped (the queue was full: Python did not keep up)", dropped)
                _emit(records)
            except Exception as exc:  # a handler or filter that raises must not end the pump
                _native.write_unraisable(exc, logger)


_pump = _Pump()
_previous_c_level = _native.log_level()


def _stop() -> None:
    _pump.stopping = True
    _native.log_wake()
    _pump.join(timeout=2)
    _native.log_stop(_previous_c_level)
    records, _ = _native.log_take(0)  # what came before the handler was removed
    _emit(records)


_native.log_start(_DEFAULT_C_LEVEL)
_pump.start()
# Registered after logging's own atexit hook (logging is imported above), so
# it runs first: the last records are handled while logging still works.
atexit.register(_stop)
