"""The records of callwire as frozen dataclasses, built from the JSON the C ABI answers.

Field names are those of the REST API (docs/openapi.yaml). Fields the JSON
does not carry keep their defaults and fields this version does not know are
ignored, so a newer library works with an older package. Times are
``datetime`` objects in UTC (``tzinfo=timezone.utc``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, ClassVar, Dict, FrozenSet, List, Mapping, Optional, TypeVar, Union

from ._errors import Error

__all__ = [
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
]

#: Every call status, in the order of the state machine.
CALL_STATUSES = ("dialing", "ringing", "active", "completed", "busy", "no_answer", "canceled", "failed")
#: The statuses a call never leaves.
TERMINAL_STATUSES: FrozenSet[str] = frozenset({"completed", "busy", "no_answer", "canceled", "failed"})
#: The statuses of a live call.
LIVE_STATUSES: FrozenSet[str] = frozenset({"dialing", "ringing", "active"})
#: Contact categories.
CONTACT_CATEGORIES = ("lead", "client", "follow_up", "other")
#: A user's roles.
USER_ROLES = ("admin", "agent")
#: A user's statuses (presence).
USER_STATUSES = ("available", "busy", "wrap_up", "away", "offline")
#: The event types of :class:`CallUpdate`.
EVENT_TYPES = ("call.created", "call.updated", "call.ended")

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$"
)


def parse_time(value: Any) -> Optional[datetime]:
    """An ISO-8601 time of the C ABI ("2026-11-26T10:22:45.123Z") as an aware UTC datetime.

    None and "" give None; a number is taken as milliseconds since the epoch.
    A string without an offset is taken as UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, (int, float)):
        return EPOCH + timedelta(milliseconds=value)
    if not isinstance(value, str):
        raise ValueError(f"not a time: {value!r}")
    m = _TIME.match(value)
    if m is None:
        raise ValueError(f"not an ISO-8601 time: {value!r}")
    year, month, day, hour, minute, second, fraction, offset = m.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz = timezone.utc
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    t = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz)
    return t.astimezone(timezone.utc)


def format_time(value: Union[datetime, str]) -> str:
    """A datetime as the C ABI writes times: ISO-8601 UTC with milliseconds and "Z".

    A naive datetime is taken as UTC; a string is passed through unchanged.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime or an ISO-8601 string, not {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


T = TypeVar("T")


def _coerce(value: Any, kind: str) -> Any:
    if kind == "str":
        return "" if value is None else str(value)
    if kind == "optstr":
        return None if value is None else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return 0 if value is None else int(value)
    if kind == "float":
        return 0.0 if value is None else float(value)
    if kind == "time":
        return parse_time(value) or EPOCH
    if kind == "opttime":
        return parse_time(value)
    if kind == "counts":
        return {str(k): int(v) for k, v in (value or {}).items()}
    raise AssertionError(kind)


def _from_dict(cls: Callable[..., T], data: Mapping[str, Any], kinds: Mapping[str, str]) -> T:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    values = {name: _coerce(data[name], kind) for name, kind in kinds.items() if name in data}
    return cls(**values)


def _loads(text: str) -> Any:
    return json.loads(text)


@dataclasses.dataclass(frozen=True)
class Call:
    """One call, as the client and the call logs answer it."""

    call_id: str = ""
    call_control_id: str = ""
    call_leg_id: str = ""
    call_session_id: str = ""
    connection_id: str = ""
    to_number: str = ""
    from_number: str = ""
    direction: str = "outbound"
    status: str = "dialing"
    #: The status as a sentence for people ("The line was busy.", "Failed: …"), derived by the SDK.
    status_text: str = ""
    created_at: datetime = EPOCH
    updated_at: datetime = EPOCH
    ringing_at: Optional[datetime] = None
    answered_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    #: Whole seconds from answered_at to ended_at; 0 if never answered.
    duration: int = 0
    hangup_cause: str = ""
    hangup_source: str = ""
    failure_reason: str = ""
    #: The answering machine detection's result (human, machine, not_sure, premium's human_residence …).
    machine_detection: str = ""
    #: How a machine's greeting ended: beep_detected, ended, not_sure, no_beep_detected; "" when no such event came.
    machine_greeting: str = ""
    contact_id: Optional[str] = None
    contact_name: Optional[str] = None
    #: The user who placed the call; None for calls placed without one.
    agent_id: Optional[str] = None
    recording_id: Optional[str] = None
    #: A recording is in progress (for a call dialled with record_from_answer: from its answer).
    recording: bool = False
    #: The recording is paused (``pause_recording``, until resume, stop or start).
    recording_paused: bool = False
    muted: bool = False
    on_hold: bool = False
    #: Placed by the demo carrier.
    demo: bool = False
    #: The dial asked Telnyx to record from the answer (auto_record, or the dial's record).
    record_from_answer: bool = False
    #: Why a recording of the call failed (call.recording.error), a sentence; "" when none did.
    recording_error: str = ""

    _KINDS: ClassVar[Dict[str, str]] = {
        "call_id": "str", "call_control_id": "str", "call_leg_id": "str", "call_session_id": "str",
        "connection_id": "str", "to_number": "str", "from_number": "str", "direction": "str", "status": "str",
        "status_text": "str",
        "created_at": "time", "updated_at": "time", "ringing_at": "opttime", "answered_at": "opttime",
        "ended_at": "opttime", "duration": "int", "hangup_cause": "str", "hangup_source": "str",
        "failure_reason": "str", "machine_detection": "str",
        "machine_greeting": "str", "contact_id": "optstr", "contact_name": "optstr", "agent_id": "optstr",
        "recording_id": "optstr", "recording": "bool", "recording_paused": "bool", "muted": "bool",
        "on_hold": "bool", "demo": "bool", "record_from_answer": "bool", "recording_error": "str",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Call":
        call = _from_dict(cls, data, cls._KINDS)
        if not call.call_id and "id" in data:  # stored records may carry only "id"
            call = dataclasses.replace(call, call_id=str(data["id"]))
        return call

    @classmethod
    def from_json(cls, text: str) -> "Call":
        return cls.from_dict(_loads(text))

    @property
    def is_terminal(self) -> bool:
        """True once the call has ended (completed, busy, no_answer, canceled, failed)."""
        return self.status in TERMINAL_STATUSES

    @property
    def is_live(self) -> bool:
        """True while dialing, ringing or active."""
        return self.status in LIVE_STATUSES


@dataclasses.dataclass(frozen=True)
class CallUpdate:
    """An event of the client: ``type`` is "call.created", "call.updated" or "call.ended"."""

    type: str
    call: Call


@dataclasses.dataclass(frozen=True)
class Contact:
    id: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    #: "lead", "client", "follow_up" or "other".
    category: str = "other"
    is_favorite: bool = False
    notes: str = ""
    created_at: datetime = EPOCH
    updated_at: datetime = EPOCH

    _KINDS: ClassVar[Dict[str, str]] = {
        "id": "str", "name": "str", "phone": "str", "email": "str", "category": "str", "is_favorite": "bool",
        "notes": "str", "created_at": "time", "updated_at": "time",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Contact":
        return _from_dict(cls, data, cls._KINDS)


@dataclasses.dataclass(frozen=True)
class Recording:
    id: str = ""
    call_id: str = ""
    call_control_id: str = ""
    telnyx_recording_id: str = ""
    #: Download URL (Telnyx URLs expire after 10 minutes; demo recordings are local files).
    url: str = ""
    #: Whole seconds.
    duration: int = 0
    #: "mp3" or "wav".
    format: str = ""
    #: "single" or "dual".
    channels: str = ""
    created_at: datetime = EPOCH
    #: The call's agent_id, copied when the recording was attached.
    agent_id: Optional[str] = None
    #: Why Telnyx did not delete it when asked (Client.remove_recording), a sentence; "" otherwise.
    remote_delete_error: str = ""

    _KINDS: ClassVar[Dict[str, str]] = {
        "id": "str", "call_id": "str", "call_control_id": "str", "telnyx_recording_id": "str", "url": "str",
        "duration": "int", "format": "str", "channels": "str", "created_at": "time", "agent_id": "optstr",
        "remote_delete_error": "str",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Recording":
        return _from_dict(cls, data, cls._KINDS)


@dataclasses.dataclass(frozen=True)
class PhoneNumber:
    """A caller-ID number."""

    id: str = ""
    number: str = ""
    name: str = ""
    status: str = "active"
    is_default: bool = False
    created_at: datetime = EPOCH

    _KINDS: ClassVar[Dict[str, str]] = {
        "id": "str", "number": "str", "name": "str", "status": "str", "is_default": "bool", "created_at": "time",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PhoneNumber":
        return _from_dict(cls, data, cls._KINDS)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Provider settings. Secrets (api_key, api_v2_key) come back masked ("KEY…abcd") unless asked otherwise."""

    api_key: str = ""
    api_v2_key: str = ""
    webhook_url: str = ""
    connection_id: str = ""
    public_key: str = ""
    api_base: str = ""
    auto_record: bool = False
    #: "single" or "dual" (each party on its own channel, Telnyx's default);
    #: "" when never saved (the client's settings show the one in force).
    recording_channels: str = ""
    demo_mode: bool = False
    updated_at: Optional[datetime] = None
    #: "demo" or "live": only in the client's effective settings (Client.settings()).
    mode: Optional[str] = None

    _KINDS: ClassVar[Dict[str, str]] = {
        "api_key": "str", "api_v2_key": "str", "webhook_url": "str", "connection_id": "str", "public_key": "str",
        "api_base": "str", "auto_record": "bool", "recording_channels": "str", "demo_mode": "bool",
        "updated_at": "opttime", "mode": "optstr",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Settings":
        return _from_dict(cls, data, cls._KINDS)


@dataclasses.dataclass(frozen=True)
class Stats:
    """Aggregate statistics over call logs."""

    total_calls: int = 0
    completed_calls: int = 0
    #: failed + busy + no_answer + canceled.
    failed_calls: int = 0
    #: dialing + ringing + active.
    active_calls: int = 0
    #: Seconds, over completed calls.
    average_duration: float = 0.0
    #: answered / ended, 0..1.
    answer_rate: float = 0.0
    total_duration: int = 0
    #: status → count.
    by_status: Dict[str, int] = dataclasses.field(default_factory=dict)
    #: "YYYY-MM-DD" (UTC) → count.
    per_day: Dict[str, int] = dataclasses.field(default_factory=dict)

    _KINDS: ClassVar[Dict[str, str]] = {
        "total_calls": "int", "completed_calls": "int", "failed_calls": "int", "active_calls": "int",
        "average_duration": "float", "answer_rate": "float", "total_duration": "int", "by_status": "counts",
        "per_day": "counts",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Stats":
        return _from_dict(cls, data, cls._KINDS)


@dataclasses.dataclass(frozen=True)
class User:
    """An account of the team (``storage.users``). It never holds a password or its hash."""

    id: str = ""
    #: As entered; unique ignoring ASCII case.
    email: str = ""
    name: str = ""
    #: "admin" or "agent".
    role: str = "agent"
    #: Presence: "available", "busy", "wrap_up", "away" or "offline".
    status: str = "offline"
    #: The caller-ID number (a PhoneNumber id) this user dials from; None when none.
    default_number_id: Optional[str] = None
    #: A disabled user cannot sign in.
    disabled: bool = False
    #: Raised by revoke_tokens, a password change and disabling: older tokens stop working.
    token_version: int = 0
    created_at: datetime = EPOCH
    updated_at: datetime = EPOCH
    #: None until the first sign-in.
    last_login_at: Optional[datetime] = None

    _KINDS: ClassVar[Dict[str, str]] = {
        "id": "str", "email": "str", "name": "str", "role": "str", "status": "str", "default_number_id": "optstr",
        "disabled": "bool", "token_version": "int", "created_at": "time", "updated_at": "time",
        "last_login_at": "opttime",
    }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "User":
        return _from_dict(cls, data, cls._KINDS)


@dataclasses.dataclass(frozen=True)
class WebhookResult:
    """What :meth:`Client.ingest_webhook` made of one webhook.

    Answer the carrier with ``http_status``. ``error`` is None when the event
    was stored (or was a duplicate), else the reason it was refused: an
    UnauthorizedError (signature), MalformedError (body) or UnavailableError
    (storage down: Telnyx will retry).
    """

    http_status: int = 0
    duplicate: bool = False
    event_type: str = ""
    call_id: str = ""
    message: str = ""
    error: Optional[Error] = dataclasses.field(default=None, compare=False)

    _KINDS: ClassVar[Dict[str, str]] = {
        "http_status": "int", "duplicate": "bool", "event_type": "str", "call_id": "str", "message": "str",
    }  # fmt: skip

    @property
    def ok(self) -> bool:
        """True when the event was accepted (stored, or a duplicate of a stored one)."""
        return self.error is None

    def raise_for_error(self) -> None:
        """Raises ``error`` when the webhook was refused."""
        if self.error is not None:
            raise self.error

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], error: Optional[Error] = None) -> "WebhookResult":
        result = _from_dict(cls, data, cls._KINDS)
        return dataclasses.replace(result, error=error) if error is not None else result


def calls_from_json(text: str) -> List[Call]:
    return [Call.from_dict(item) for item in _loads(text)]
