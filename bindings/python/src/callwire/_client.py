"""The call client: dial and control calls, follow them through call updates, ingest webhooks."""

from __future__ import annotations

import atexit
import collections
import json
import os
import threading
import time
import weakref
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Deque,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Protocol,
    Tuple,
    Type,
    Union,
)

from . import _native
from ._errors import ClosedError, ConflictError, InvalidArgumentError, TimeoutError
from ._storage import Storage
from ._types import CALL_STATUSES, Call, CallUpdate, Recording, Settings, Stats, WebhookResult, calls_from_json

if TYPE_CHECKING:
    from ._server import Server

__all__ = ["Client", "Subscription", "UpdateQueue", "UpdateCallback", "CallbackErrorHandler"]

UpdateCallback = Callable[[CallUpdate], Any]
CallbackErrorHandler = Callable[[BaseException], Any]


class SupportsHeaderItems(Protocol):
    """Anything with items() giving (name, value) pairs: a dict, http.server's headers (email.message.Message), ..."""

    def items(self) -> Iterable[Tuple[str, str]]: ...


HeadersArg = Union[SupportsHeaderItems, Iterable[Tuple[str, str]], None]

#: Blocking waits wake up this often (seconds) so Ctrl-C (KeyboardInterrupt) is seen promptly.
_WAIT_SLICE = 0.1


def _remaining(deadline: Optional[float]) -> Optional[float]:
    return None if deadline is None else deadline - time.monotonic()


def _slice(deadline: Optional[float]) -> float:
    left = _remaining(deadline)
    return _WAIT_SLICE if left is None else max(0.0, min(_WAIT_SLICE, left))


class Subscription:
    """A registered update callback; :meth:`unsubscribe` (or leaving a ``with`` block) removes it.

    When :meth:`unsubscribe` returns on another thread, the callback is not
    running and will not run again. It may be called from inside the callback
    itself.
    """

    def __init__(
        self,
        client: "Client",
        callback: UpdateCallback,
        call_id: Optional[str],
        on_end: Optional[Callable[[], None]] = None,
    ) -> None:
        self._client = client
        self.callback = callback
        self.call_id = call_id
        self._on_end = on_end
        self._active = True

    @property
    def active(self) -> bool:
        return self._active

    def unsubscribe(self) -> None:
        """Removes the callback. Idempotent."""
        self._client._remove_listener(self)

    close = unsubscribe

    def _end(self) -> None:
        self._active = False
        if self._on_end is not None:
            self._on_end()

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.unsubscribe()


class UpdateQueue:
    """Call updates collected from a client, for code that prefers pulling to callbacks.

    ``get(timeout)`` waits for the next update; iterating yields updates until
    the queue or the client is closed, or — when the queue was made with a
    ``timeout`` — until no update came for that many seconds. Waiting is
    interruptible with Ctrl-C. An exception kept from one of the client's update
    callbacks is raised here too (see :class:`Client`).
    """

    def __init__(self, client: "Client", *, call_id: Optional[str] = None, timeout: Optional[float] = None) -> None:
        self._client = client
        self._timeout = timeout
        self._items: Deque[CallUpdate] = collections.deque()
        self._cond = threading.Condition()
        self._closed = False
        self._subscription = client._add_listener(self._put, call_id, self._end)

    def _put(self, update: CallUpdate) -> None:
        with self._cond:
            self._items.append(update)
            self._cond.notify_all()

    def _end(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def qsize(self) -> int:
        """How many updates wait to be taken."""
        with self._cond:
            return len(self._items)

    def empty(self) -> bool:
        return self.qsize() == 0

    def get(self, timeout: Optional[float] = None) -> CallUpdate:
        """The next update, waiting up to ``timeout`` seconds (None: for ever).

        Raises callwire.TimeoutError when none came in time, ClosedError when the
        queue is closed and drained.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._items:
                self._client._raise_callback_error()
                if self._closed:
                    raise ClosedError("the update queue is closed")
                left = _remaining(deadline)
                if left is not None and left <= 0:
                    raise TimeoutError(f"no call update within {timeout} s")
                self._cond.wait(_slice(deadline))
            return self._items.popleft()

    def get_nowait(self) -> CallUpdate:
        """The next update if one is waiting; callwire.TimeoutError otherwise."""
        return self.get(timeout=0)

    def close(self) -> None:
        """Stops collecting updates (those already collected can still be taken). Idempotent."""
        self._subscription.unsubscribe()

    def __iter__(self) -> Iterator[CallUpdate]:
        return self

    def __next__(self) -> CallUpdate:
        try:
            return self.get(self._timeout)
        except (ClosedError, TimeoutError):
            raise StopIteration from None

    def __enter__(self) -> "UpdateQueue":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


def _dispatcher(ref: "weakref.ReferenceType[Client]") -> Callable[[str, str], None]:
    """The one native callback of a client. Holds it weakly, so an unclosed client can still be collected."""

    def dispatch(type_: str, call_json: str) -> None:
        client = ref()
        if client is not None:
            client._dispatch(type_, call_json)

    return dispatch


class Client:
    """Places and follows calls, in demo mode (no Telnyx key) or live over Telnyx Call Control.

    Every method blocks (without holding the GIL) until the C library answers;
    call controls answer the updated :class:`Call`. Progress arrives as
    :class:`CallUpdate` values: :meth:`subscribe` for callbacks (they run on the
    client's worker threads, one at a time, in order for each call, and may
    call back into the client), :meth:`updates` for a queue to pull from, and
    :meth:`wait_for` to wait for a status.

    **Exceptions raised by update callbacks** never vanish: if
    :attr:`on_callback_error` is set, it is called with the exception (on the
    callback's thread); otherwise the exception is kept and re-raised by the
    next call of a Client method (before that method does anything), by an
    UpdateQueue's ``get``, or by :meth:`close` / leaving the ``with`` block. An
    exception raised while another one is still kept, or by
    ``on_callback_error`` itself, goes to ``sys.unraisablehook`` (printed on
    stderr by default).

    Use it as a context manager, or call :meth:`close`: that stops the servers
    made for it, ends every subscription and update queue, and joins the
    client's threads. Clients still open when the interpreter exits are closed
    then.
    """

    #: Called with each exception an update callback raises; None keeps it for the next call (see above).
    on_callback_error: Optional[CallbackErrorHandler]

    def __init__(
        self,
        storage: Union[Storage, str, "os.PathLike[str]"],
        api_key: Optional[str] = None,
        *,
        api_base: Optional[str] = None,
        connection_id: Optional[str] = None,
        webhook_url: Optional[str] = None,
        public_key: Optional[str] = None,
        ca_file: Union[str, "os.PathLike[str]", None] = None,
        force_demo: bool = False,
        insecure_webhooks: bool = False,
        demo_speed: Optional[float] = None,
        recordings_dir: Union[str, "os.PathLike[str]", None] = None,
        auto_record: bool = False,
        hangup_wait: Optional[float] = None,
        io_threads: Optional[int] = None,
        worker_threads: Optional[int] = None,
    ) -> None:
        """Starts a client.

        Args:
            storage: a :class:`Storage`, or a URL / SQLite path to open one
                that the client owns (and closes with itself).
            api_key: the Telnyx API key; None (and none saved in the
                settings) means demo mode.
            api_base: the Telnyx API base URL (default https://api.telnyx.com/v2).
            connection_id, webhook_url: Telnyx Call Control settings.
            public_key: the base64 Ed25519 key that verifies webhooks.
            ca_file: extra trusted CAs (PEM) for the carrier's TLS.
            force_demo: demo mode even with a key.
            insecure_webhooks: do not require webhook signatures (development only).
            demo_speed: how much faster than real time demo calls run (default 1.0).
            recordings_dir: where demo recordings go (default: beside the SQLite file).
            auto_record: record every call.
            hangup_wait: how long hangup() waits for the carrier's hangup, seconds (default 5).
            io_threads, worker_threads: thread counts (default 1 and 2).
        """
        self.on_callback_error = None
        self._closed = False
        self._lock = threading.RLock()  # held while dispatching an update, and to change listeners
        self._listeners: List[Subscription] = []
        self._native_subscription: Optional[int] = None
        self._pending: Optional[BaseException] = None
        self._pending_lock = threading.Lock()
        self._servers: "weakref.WeakSet[Server]" = weakref.WeakSet()

        self._owns_storage = not isinstance(storage, Storage)
        self.storage = storage if isinstance(storage, Storage) else Storage(storage)
        try:
            if demo_speed is not None and not demo_speed > 0:
                raise InvalidArgumentError("demo_speed must be positive")
            if hangup_wait is not None and not hangup_wait > 0:
                raise InvalidArgumentError("hangup_wait must be positive")
            self._native: _native.Client = _native.Client(
                self.storage._native,
                api_key=api_key,
                api_base=api_base,
                connection_id=connection_id,
                webhook_url=webhook_url,
                public_key=public_key,
                ca_file=None if ca_file is None else os.fspath(ca_file),
                force_demo=force_demo,
                insecure_webhooks=insecure_webhooks,
                demo_speed=demo_speed or 0.0,
                recordings_dir=None if recordings_dir is None else os.fspath(recordings_dir),
                auto_record=auto_record,
                hangup_wait_ms=0 if hangup_wait is None else max(1, int(round(hangup_wait * 1000))),
                io_threads=_count("io_threads", io_threads),
                worker_threads=_count("worker_threads", worker_threads),
            )
        except BaseException:
            if self._owns_storage:
                self.storage.close()
            raise
        _open_clients.add(self)

    # ---- state ---------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def demo(self) -> bool:
        """True in demo mode (calls are simulated), False in live mode."""
        return self._enter().is_demo()

    @property
    def mode(self) -> str:
        """ "demo" or "live"."""
        return "demo" if self.demo else "live"

    def _enter(self) -> _native.Client:
        """The native client, after re-raising an exception kept from an update callback."""
        self._raise_callback_error()
        return self._native

    # ---- calls ---------------------------------------------------------------------

    def dial(
        self,
        to: str,
        from_number: Optional[str] = None,
        *,
        record: Optional[bool] = None,
        answering_machine_detection: Union[bool, str, None] = None,
        answering_machine_detection_config: Optional[Mapping[str, int]] = None,
        connection_id: Optional[str] = None,
        contact_id: Optional[str] = None,
        agent_id: Optional[str] = None,
    ) -> Call:
        """Dials ``to`` (normalised to E.164) from ``from_number`` (default: the default caller-ID number).

        ``answering_machine_detection`` is a Telnyx mode ("detect", "detect_beep", "detect_words",
        "greeting_end", "premium", "disabled") or a bool (True: detect); its thresholds go in
        ``answering_machine_detection_config`` (``{"total_analysis_time_millis": 5000, …}``).
        ``agent_id`` is the user who places the call (an id of ``Users``).
        Returns at once with the call ``dialing``; progress arrives as updates.
        InvalidArgumentError for a number that is not one, a mode or threshold that is not one, or
        an ``agent_id`` no user has.
        """
        options = {
            k: v
            for k, v in dict(
                record=record,
                answering_machine_detection=answering_machine_detection,
                answering_machine_detection_config=(
                    dict(answering_machine_detection_config) if answering_machine_detection_config is not None else None
                ),
                connection_id=connection_id,
                contact_id=contact_id,
                agent_id=agent_id,
            ).items()
            if v is not None
        }
        text = self._enter().dial(to, from_number, json.dumps(options) if options else None)
        return Call.from_json(text)

    def hangup(self, call_id: str) -> Call:
        """Hangs up and waits (up to ``hangup_wait``) for the final call, with its duration."""
        return Call.from_json(self._enter().hangup(call_id))

    def send_dtmf(self, call_id: str, digits: str) -> Call:
        """Sends DTMF digits (0-9, *, #, A-D, w/W pauses) on an active call."""
        return Call.from_json(self._enter().send_dtmf(call_id, digits))

    def start_recording(self, call_id: str) -> Call:
        return Call.from_json(self._enter().start_recording(call_id))

    def stop_recording(self, call_id: str) -> Call:
        return Call.from_json(self._enter().stop_recording(call_id))

    def pause_recording(self, call_id: str) -> Call:
        """Pauses the recording of an active call; the call's ``recording_paused`` is then True.

        It stays so until ``resume_recording``, ``stop_recording`` or ``start_recording``.
        ConflictError when the call is not active; CarrierError when the carrier refuses.
        """
        return Call.from_json(self._enter().pause_recording(call_id))

    def resume_recording(self, call_id: str) -> Call:
        """Resumes a paused recording; ``recording_paused`` is False again."""
        return Call.from_json(self._enter().resume_recording(call_id))

    def speak(
        self,
        call_id: str,
        text: str,
        *,
        voice: Optional[str] = None,
        language: Optional[str] = None,
        payload_type: Optional[str] = None,
    ) -> Call:
        """Speaks ``text`` (at most 3,000 characters) on an active call.

        ``voice`` is ``"female"`` (the default) or ``"male"`` — Telnyx's basic voices, which speak
        en-US plain text only — or a provider voice ``<Provider>.<Model>.<VoiceId>`` of AWS, Azure,
        ElevenLabs, Telnyx, Minimax, Rime or Resemble, e.g. ``"AWS.Polly.Joanna-Neural"``.
        ``language`` is one of Telnyx's ("en-US", "de-DE", …); ``payload_type`` is ``"text"`` (the
        default) or ``"ssml"``. InvalidArgumentError, naming the field, for what Telnyx would
        refuse; ConflictError when the call is not active. The call does not change: the carrier
        reports ``call.speak.started`` / ``call.speak.ended`` events.
        """
        options = {
            k: v
            for k, v in dict(voice=voice, language=language, payload_type=payload_type).items()
            if v is not None
        }
        return Call.from_json(self._enter().speak(call_id, text, json.dumps(options) if options else None))

    def start_playback(self, call_id: str, audio_url: str) -> Call:
        """Plays the MP3 or WAV file at ``audio_url`` (http:// or https://) on an active call.

        E.g. a voicemail message. InvalidArgumentError for another URL; ConflictError when the call
        is not active. The carrier reports ``call.playback.started`` / ``call.playback.ended``.
        """
        return Call.from_json(self._enter().start_playback(call_id, audio_url))

    def stop_playback(self, call_id: str) -> Call:
        """Stops the audio playing on the call and clears the queued files."""
        return Call.from_json(self._enter().stop_playback(call_id))

    def refresh_recording(self, recording_id: str) -> Recording:
        """The recording with a ``url`` that works now.

        Telnyx's recording URLs expire 10 minutes after the webhook that carried them: for a
        recording of a live call this asks Telnyx for a fresh one and stores it. A demo recording
        is returned as stored. NotFoundError for an unknown id; UnavailableError when no Telnyx
        key is configured or Telnyx is unreachable; CarrierError when Telnyx refuses.
        """
        return Recording.from_dict(json.loads(self._enter().refresh_recording(recording_id)))

    def remove_recording(self, recording_id: str) -> None:
        """Removes a recording here and at Telnyx.

        A recording of a live call is deleted at Telnyx first (DELETE /v2/recordings/{id}); its
        200, or a 404 (Telnyx no longer has it), deletes the stored one. When Telnyx does not
        delete it, the recording is kept with ``remote_delete_error`` set to a sentence saying why
        and this raises: UnavailableError (Telnyx cannot now) or CarrierError (Telnyx refuses,
        e.g. 401), with that sentence as the message. A demo recording is deleted here only, with
        its WAV file. NotFoundError for an unknown id. ``Storage.recordings.remove`` removes the
        stored record only.
        """
        self._enter().remove_recording(recording_id)

    def transfer(self, call_id: str, to: str) -> Call:
        """Transfers an active call to another number."""
        return Call.from_json(self._enter().transfer(call_id, to))

    def set_muted(self, call_id: str, muted: bool = True) -> Call:
        return Call.from_json(self._enter().set_muted(call_id, bool(muted)))

    def set_on_hold(self, call_id: str, on_hold: bool = True) -> Call:
        return Call.from_json(self._enter().set_on_hold(call_id, bool(on_hold)))

    def get_call(self, call_id: str) -> Call:
        """The call as it is now; NotFoundError for an unknown id."""
        return Call.from_json(self._enter().get_call(call_id))

    def active_calls(self) -> List[Call]:
        """Live calls (dialing, ringing, active), newest first."""
        return calls_from_json(self._enter().active_calls())

    def stats(self) -> Stats:
        """Statistics over every logged call."""
        return Stats.from_dict(json.loads(self._enter().stats()))

    def settings(self) -> Settings:
        """The effective settings (options merged with the saved ones), secrets masked, with ``mode``."""
        return Settings.from_dict(json.loads(self._enter().settings()))

    def reload_settings(self) -> None:
        """Re-reads the saved settings and switches between demo and live mode if they changed."""
        self._enter().reload_settings()

    # ---- call updates --------------------------------------------------------------------

    def subscribe(self, callback: UpdateCallback, *, call_id: Optional[str] = None) -> Subscription:
        """Calls ``callback(update)`` for every :class:`CallUpdate` (only those of ``call_id`` if given).

        The callback runs on one of the client's worker threads; it may call
        the client (hang up, get_call, ...) and the storage, but not
        :meth:`close`. Returns a :class:`Subscription` whose ``unsubscribe()``
        removes it.
        """
        if not callable(callback):
            raise InvalidArgumentError("the update callback must be callable")
        return self._add_listener(callback, call_id, None)

    def _add_listener(
        self, callback: UpdateCallback, call_id: Optional[str], on_end: Optional[Callable[[], None]]
    ) -> Subscription:
        n = self._enter()
        with self._lock:
            if self._closed:
                raise ClosedError("the client is closed")
            if self._native_subscription is None:
                # One native subscription per client; Python listeners are multiplexed on it.
                self._native_subscription = n.subscribe(_dispatcher(weakref.ref(self)))
            sub = Subscription(self, callback, call_id, on_end)
            self._listeners.append(sub)
        return sub

    def updates(self, *, call_id: Optional[str] = None, timeout: Optional[float] = None) -> UpdateQueue:
        """A queue of the updates from now on (only those of ``call_id`` if given).

        ``for update in client.updates(timeout=5): ...`` iterates until the client
        is closed or no update came for 5 s; ``q = client.updates(); q.get(1.0)``
        waits for one. Close it (or use ``with``) when done.
        """
        return UpdateQueue(self, call_id=call_id, timeout=timeout)

    def wait_for(
        self,
        call_id: str,
        status: Union[str, Iterable[str]],
        timeout: Optional[float] = 30.0,
    ) -> Call:
        """Waits until the call is seen in ``status`` (one status or several) and answers it.

        ``callwire.TERMINAL_STATUSES`` waits for the end of the call. Raises
        callwire.TimeoutError after ``timeout`` seconds, ConflictError when the
        call ends in another status first, NotFoundError for an unknown call.
        Interruptible with Ctrl-C.
        """
        wanted = frozenset([status] if isinstance(status, str) else status)
        unknown = sorted(wanted - set(CALL_STATUSES))
        if not wanted or unknown:
            raise InvalidArgumentError(f"unknown call status: {', '.join(unknown) or '(none given)'}")
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.updates(call_id=call_id) as queue:
            call = self.get_call(call_id)
            while True:
                if call.status in wanted:
                    return call
                if call.is_terminal:
                    why = ", ".join(x for x in (call.hangup_cause, call.failure_reason) if x)
                    raise ConflictError(
                        f"call {call_id} ended as {call.status}{f' ({why})' if why else ''}"
                        f" before becoming {_names(wanted)}"
                    )
                left = _remaining(deadline)
                if left is not None and left <= 0:
                    raise TimeoutError(f"call {call_id} is {call.status}, not {_names(wanted)}, after {timeout} s")
                try:
                    call = queue.get(timeout=left).call
                except TimeoutError:
                    continue  # the deadline check above raises with the details
                except ClosedError:
                    raise ClosedError("the client was closed while waiting") from None

    def _remove_listener(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self._listeners:
                self._listeners.remove(sub)
            sub._end()

    def _dispatch(self, type_: str, call_json: str) -> None:
        """Runs on a client thread for each update; never lets an exception escape."""
        with self._lock:
            listeners = list(self._listeners)
            if not listeners:
                return
            try:
                update = CallUpdate(type_, Call.from_json(call_json))
            except BaseException as exc:  # a malformed update would be a bug: report it, do not lose it
                self._callback_failed(exc)
                return
            for sub in listeners:
                if not sub.active or (sub.call_id is not None and sub.call_id != update.call.call_id):
                    continue
                try:
                    sub.callback(update)
                except BaseException as exc:
                    self._callback_failed(exc)

    def _callback_failed(self, exc: BaseException) -> None:
        hook = self.on_callback_error
        if hook is not None:
            try:
                hook(exc)
            except BaseException as hook_exc:
                _native.write_unraisable(hook_exc, hook)
            return
        with self._pending_lock:
            if self._pending is None:
                self._pending = exc
                return
        _native.write_unraisable(exc, self)

    def _raise_callback_error(self) -> None:
        with self._pending_lock:
            exc, self._pending = self._pending, None
        if exc is not None:
            raise exc

    # ---- webhooks ------------------------------------------------------------------

    def ingest_webhook(self, body: Union[bytes, bytearray, memoryview, str], headers: HeadersArg = None) -> WebhookResult:
        """Verifies (when required), parses, stores and folds one Telnyx webhook.

        For hosts with their own HTTP server: pass the raw request body and its
        headers (names case-insensitive; a Mapping, anything with ``items()``,
        or (name, value) pairs) and answer Telnyx with ``result.http_status``.
        A refused webhook does not raise: ``result.error`` says why (see
        :class:`WebhookResult`); ``result.raise_for_error()`` raises it.
        """
        if isinstance(body, str):
            raw = body.encode("utf-8")
        elif isinstance(body, (bytes, bytearray, memoryview)):
            raw = bytes(body)
        else:
            raise InvalidArgumentError(f"body must be bytes, not {type(body).__name__}")
        pairs: List[Tuple[str, str]] = []
        if headers is not None:
            items: Any = headers.items() if hasattr(headers, "items") else headers
            for name, value in items:
                if not isinstance(name, str) or not isinstance(value, str):
                    raise InvalidArgumentError("header names and values must be str")
                pairs.append((name, value))
        text, error = self._enter().ingest_webhook(raw, pairs)
        return WebhookResult.from_dict(json.loads(text), error)

    # ---- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Stops this client's servers, ends its subscriptions and update queues, and stops the client.

        Idempotent. Not allowed inside an update callback (InvalidArgumentError).
        Raises an exception kept from an update callback, after closing.
        """
        if _native.in_update_callback():
            raise InvalidArgumentError("close() cannot be called from an update callback")
        if not self._closed:
            self._closed = True
            _open_clients.discard(self)
            for server in list(self._servers):
                server.close()
            with self._lock:
                listeners, self._listeners = self._listeners, []
            for sub in listeners:
                sub._end()
            try:
                self._native.close()  # joins the threads: no callback runs after this
            finally:
                if self._owns_storage:
                    self.storage.close()
        self._raise_callback_error()

    def __enter__(self) -> "Client":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if exc is None:
            self.close()
            return
        # An exception is already on its way: do not replace it with one kept
        # from a callback (or a failure to close); report that one instead.
        try:
            self.close()
        except BaseException as kept:
            _native.write_unraisable(kept, self)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<callwire.Client {state} storage={self.storage.url!r}>"


def _count(name: str, value: Optional[int]) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be a positive int")
    return value


def _names(statuses: Iterable[str]) -> str:
    return " or ".join(sorted(statuses))


_open_clients: "weakref.WeakSet[Client]" = weakref.WeakSet()


@atexit.register
def _close_open_clients() -> None:
    """Closes the clients still open at exit, so no update callback runs during interpreter shutdown."""
    for client in list(_open_clients):
        try:
            client.close()
        except BaseException as exc:  # noqa: BLE001 - report, and go on closing the others
            _native.write_unraisable(exc, client)

