"""Storage: contacts, call logs, recordings, caller-ID numbers, settings and users."""

from __future__ import annotations

import json
import os
from datetime import datetime
from types import TracebackType
from typing import Any, Dict, List, Optional, Type, Union

from . import _native
from ._errors import InvalidArgumentError
from ._types import Call, Contact, PhoneNumber, Recording, Settings, Stats, User, format_time

__all__ = ["Storage", "Contacts", "Logs", "Recordings", "Numbers", "SettingsStore", "Users"]

TimeArg = Union[datetime, str, None]


def _dumps(obj: Dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _non_negative(name: str, value: Optional[int]) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise InvalidArgumentError(f"{name} must not be negative")
    return value


def _filter(**fields: Any) -> Optional[str]:
    """The filter JSON of the C ABI from the fields that were given (None: all)."""
    present = {k: v for k, v in fields.items() if v is not None}
    return _dumps(present) if present else None


class Storage:
    """A database: an SQLite file or MongoDB, opened from a URL.

    ``sqlite:///abs/path/callwire.db`` (created and migrated if needed) or
    ``mongodb://…`` / ``mongodb+srv://…``. Use it as a context manager, or
    call :meth:`close`. Clients made from it keep the database open until they
    are closed themselves.

    The typed stores are attributes: :attr:`contacts`, :attr:`logs`,
    :attr:`recordings`, :attr:`numbers`, :attr:`settings`, :attr:`users`.
    Every call blocks (without holding the GIL) until the database answers.
    """

    def __init__(
        self,
        url: Union[str, "os.PathLike[str]"],
        *,
        database: Optional[str] = None,
        timeout: Optional[float] = None,
        max_connections: Optional[int] = None,
    ) -> None:
        """Opens storage.

        Args:
            url: a storage URL; a plain file path (str without "://", or a
                PathLike) is taken as an SQLite file.
            database: the MongoDB database name (default: from the URL, else "telnyx_calling").
            timeout: server selection / busy timeout in seconds (default 10).
            max_connections: connection pool size (default 8).
        """
        self.url = self._url(url)
        timeout_ms = 0
        if timeout is not None:
            if timeout <= 0:
                raise InvalidArgumentError("timeout must be positive")
            timeout_ms = max(1, int(round(timeout * 1000)))
        pool = _non_negative("max_connections", max_connections) or 0
        self._native: _native.Storage = _native.Storage(
            self.url, database=database, timeout_ms=timeout_ms, max_connections=pool
        )
        self.contacts = Contacts(self)
        self.logs = Logs(self)
        self.recordings = Recordings(self)
        self.numbers = Numbers(self)
        self.settings = SettingsStore(self)
        self.users = Users(self)

    @staticmethod
    def _url(url: Union[str, "os.PathLike[str]"]) -> str:
        if isinstance(url, os.PathLike):
            return "sqlite:///" + os.path.abspath(os.fspath(url)).lstrip("/")
        if not isinstance(url, str):
            raise InvalidArgumentError(f"url must be a str or a path, not {type(url).__name__}")
        if "://" not in url and url:
            return "sqlite:///" + os.path.abspath(url).lstrip("/")
        return url

    @property
    def closed(self) -> bool:
        return self._native.closed

    def close(self) -> None:
        """Releases the database (once calls in flight on other threads have returned). Idempotent."""
        self._native.close()

    def info(self) -> Dict[str, Any]:
        """``{"backend", "location", "schema_version", "tables": [{"name", "indexes"}]}``."""
        result: Dict[str, Any] = json.loads(self._native.info())
        return result

    def __enter__(self) -> "Storage":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<callwire.Storage {self.url!r} {state}>"


class _Store:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @property
    def _n(self) -> _native.Storage:
        return self._storage._native


class Contacts(_Store):
    """Contacts: name, E.164 phone, email, category, favourite flag, notes."""

    def create(
        self,
        name: str,
        phone: str,
        *,
        email: str = "",
        category: str = "other",
        is_favorite: bool = False,
        notes: str = "",
    ) -> Contact:
        """Stores a new contact (the phone number is normalised to E.164)."""
        body = {
            "name": name,
            "phone": phone,
            "email": email,
            "category": category,
            "is_favorite": is_favorite,
            "notes": notes,
        }
        return Contact.from_dict(json.loads(self._n.contacts_create(_dumps(body))))

    def get(self, id: str) -> Contact:
        """The contact with this id; NotFoundError when there is none."""
        return Contact.from_dict(json.loads(self._n.contacts_get(id)))

    def list(
        self,
        *,
        search: Optional[str] = None,
        category: Optional[str] = None,
        favorites_only: bool = False,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> List[Contact]:
        """Contacts matching every condition given: a search text (name, phone, email), a category, favourites."""
        f = _filter(
            search=search,
            category=category,
            favorites_only=True if favorites_only else None,
            limit=_non_negative("limit", limit),
            offset=_non_negative("offset", offset),
        )
        return [Contact.from_dict(c) for c in json.loads(self._n.contacts_list(f))]

    def update(
        self,
        id: str,
        *,
        name: Optional[str] = None,
        phone: Optional[str] = None,
        email: Optional[str] = None,
        category: Optional[str] = None,
        is_favorite: Optional[bool] = None,
        notes: Optional[str] = None,
    ) -> Contact:
        """Changes the fields given (None leaves a field as it is) and answers the contact."""
        patch = {
            k: v
            for k, v in dict(
                name=name, phone=phone, email=email, category=category, is_favorite=is_favorite, notes=notes
            ).items()
            if v is not None
        }
        return Contact.from_dict(json.loads(self._n.contacts_update(id, _dumps(patch))))

    def remove(self, id: str) -> None:
        """Removes a contact; NotFoundError when there is none."""
        self._n.contacts_remove(id)

    def toggle_favorite(self, id: str) -> Contact:
        """Flips is_favorite and answers the contact."""
        return Contact.from_dict(json.loads(self._n.contacts_toggle_favorite(id)))


def _call_filter(
    search: Optional[str],
    status: Optional[str],
    since: TimeArg,
    until: TimeArg,
    limit: Optional[int] = None,
    offset: Optional[int] = None,
) -> Optional[str]:
    return _filter(
        search=search,
        status=status,
        **{"from": None if since is None else format_time(since), "to": None if until is None else format_time(until)},
        limit=_non_negative("limit", limit),
        offset=_non_negative("offset", offset),
    )


class Logs(_Store):
    """Call logs: every call placed, newest first, with search, statistics and CSV export.

    The filters: ``search`` (a fragment of either number or of the contact
    name), ``status`` (one of CALL_STATUSES), ``since`` / ``until`` (created_at
    >= since and < until; datetimes, naive ones taken as UTC, or ISO-8601 strings).
    """

    def get(self, call_id: str) -> Call:
        """The logged call; NotFoundError when there is none."""
        return Call.from_json(self._n.logs_get(call_id))

    def list(
        self,
        *,
        search: Optional[str] = None,
        status: Optional[str] = None,
        since: TimeArg = None,
        until: TimeArg = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> List[Call]:
        """Calls, newest first."""
        f = _call_filter(search, status, since, until, limit, offset)
        return [Call.from_dict(c) for c in json.loads(self._n.logs_list(f))]

    def search(
        self,
        query: str,
        *,
        status: Optional[str] = None,
        since: TimeArg = None,
        until: TimeArg = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> List[Call]:
        """Calls whose numbers or contact name contain ``query`` (matched literally), newest first."""
        return self.list(search=query, status=status, since=since, until=until, limit=limit, offset=offset)

    def stats(
        self,
        *,
        search: Optional[str] = None,
        status: Optional[str] = None,
        since: TimeArg = None,
        until: TimeArg = None,
    ) -> Stats:
        """Totals, by status and per day, over the matching calls."""
        return Stats.from_dict(json.loads(self._n.logs_stats(_call_filter(search, status, since, until))))

    def export_csv(
        self,
        *,
        search: Optional[str] = None,
        status: Optional[str] = None,
        since: TimeArg = None,
        until: TimeArg = None,
    ) -> str:
        """The matching calls as CSV text: a header line first, CRLF line ends, newest first."""
        return self._n.logs_export_csv(_call_filter(search, status, since, until))


class Recordings(_Store):
    """Call recordings."""

    def list(self, *, limit: Optional[int] = None, offset: Optional[int] = None) -> List[Recording]:
        """Recordings, newest first."""
        f = _filter(limit=_non_negative("limit", limit), offset=_non_negative("offset", offset))
        return [Recording.from_dict(r) for r in json.loads(self._n.recordings_list(f))]

    def list_for_call(self, call_id: str) -> List[Recording]:
        """The recordings of one call, oldest first; NotFoundError for an unknown call."""
        return [Recording.from_dict(r) for r in json.loads(self._n.recordings_list_for_call(call_id))]

    def remove(self, recording_id: str) -> None:
        """Removes the stored recording only (Telnyx keeps its copy; Client.remove_recording
        removes it there too); NotFoundError when there is none."""
        self._n.recordings_remove(recording_id)


class Numbers(_Store):
    """Caller-ID numbers; exactly one is the default once there is any."""

    def list(self) -> List[PhoneNumber]:
        return [PhoneNumber.from_dict(n) for n in json.loads(self._n.numbers_list())]

    def create(self, number: str, *, name: str = "", is_default: bool = False) -> PhoneNumber:
        """Stores a number (normalised to E.164); ConflictError when it is already there."""
        body = {"number": number, "name": name, "is_default": is_default}
        return PhoneNumber.from_dict(json.loads(self._n.numbers_create(_dumps(body))))

    def remove(self, id: str) -> None:
        self._n.numbers_remove(id)

    def set_default(self, id: str) -> PhoneNumber:
        """Makes this number the default caller ID (and no other)."""
        return PhoneNumber.from_dict(json.loads(self._n.numbers_set_default(id)))


class SettingsStore(_Store):
    """The saved provider settings (``telnyx_config``). Secrets are answered masked."""

    def get(self, *, masked: bool = True) -> Settings:
        """The saved settings; ``masked=False`` gives the secrets whole (for your own use only)."""
        return Settings.from_dict(json.loads(self._n.settings_get(masked)))

    def save(
        self,
        *,
        api_key: Optional[str] = None,
        api_v2_key: Optional[str] = None,
        webhook_url: Optional[str] = None,
        connection_id: Optional[str] = None,
        public_key: Optional[str] = None,
        api_base: Optional[str] = None,
        auto_record: Optional[bool] = None,
        recording_channels: Optional[str] = None,
        demo_mode: Optional[bool] = None,
    ) -> Settings:
        """Saves the fields given (None leaves one as it is) and answers the settings, masked.

        Sending back a masked secret as it was answered keeps the stored one.
        A running client picks the change up with :meth:`Client.reload_settings`.
        """
        fields = dict(
            api_key=api_key,
            api_v2_key=api_v2_key,
            webhook_url=webhook_url,
            connection_id=connection_id,
            public_key=public_key,
            api_base=api_base,
            auto_record=auto_record,
            recording_channels=recording_channels,
            demo_mode=demo_mode,
        )
        body = {k: v for k, v in fields.items() if v is not None}
        return Settings.from_dict(json.loads(self._n.settings_save(_dumps(body))))


def _user_or_none(text: str) -> Optional[User]:
    data = json.loads(text)
    return None if data is None else User.from_dict(data)


class Users(_Store):
    """The accounts of the people who sign in to a callwire server (``cw_users_*``).

    A :class:`User` never holds a password or its hash; passwords are hashed
    with Argon2id and never stored, answered or put into an exception in
    clear. Creating a user, setting or checking a password and signing in
    cost about 25 ms of one core each (the GIL is released meanwhile).

    These are storage calls: they apply the store's rules (a unique email
    ignoring case, a password of 8 to 1024 bytes), not the REST API's rules
    about who may call them — the application decides that.
    """

    def create(
        self,
        email: str,
        name: str,
        password: str,
        *,
        role: str = "agent",
        default_number_id: Optional[str] = None,
    ) -> User:
        """Adds a user (status "offline", token_version 0).

        InvalidArgumentError for an email that is not one, an empty name, a
        password shorter than 8 or longer than 1024 bytes, a role other than
        "admin" / "agent"; ConflictError when the email is taken (ignoring case).
        """
        body: Dict[str, Any] = {"email": email, "name": name, "password": password, "role": role}
        if default_number_id is not None:
            body["default_number_id"] = default_number_id
        return User.from_dict(json.loads(self._n.users_create(_dumps(body))))

    def get(self, id: str) -> User:
        """The user with this id; NotFoundError when there is none."""
        return User.from_dict(json.loads(self._n.users_get(id)))

    def find_by_email(self, email: str) -> Optional[User]:
        """The user with this email (ignoring ASCII case and surrounding spaces), or None."""
        return _user_or_none(self._n.users_find_by_email(email))

    def list(self) -> List[User]:
        """Every user, oldest first."""
        return [User.from_dict(u) for u in json.loads(self._n.users_list())]

    def update(
        self,
        id: str,
        *,
        email: Optional[str] = None,
        name: Optional[str] = None,
        role: Optional[str] = None,
        default_number_id: Optional[str] = None,
        disabled: Optional[bool] = None,
    ) -> User:
        """Changes the fields given (None leaves a field as it is) and answers the user.

        ``default_number_id=""`` clears it. Disabling a user raises
        token_version (their tokens stop working). ConflictError when the new
        email is taken.
        """
        fields = dict(email=email, name=name, role=role, default_number_id=default_number_id, disabled=disabled)
        patch = {k: v for k, v in fields.items() if v is not None}
        return User.from_dict(json.loads(self._n.users_update(id, _dumps(patch))))

    def remove(self, id: str) -> None:
        """Removes a user; NotFoundError when there is none."""
        self._n.users_remove(id)

    def set_status(self, id: str, status: str) -> User:
        """Sets the status a user sets themself: "available" or "away".

        Any other value is an InvalidArgumentError: "busy", "wrap_up" and
        "offline" follow the user's calls and WebSockets on a running server.
        """
        return User.from_dict(json.loads(self._n.users_set_status(id, status)))

    def set_password(self, id: str, new_password: str) -> User:
        """Replaces the password and raises token_version (every token of the user stops working)."""
        return User.from_dict(json.loads(self._n.users_set_password(id, new_password)))

    def check_password(self, id: str, password: str) -> bool:
        """True when ``password`` is the user's; False otherwise, also for an unknown id."""
        return self._n.users_check_password(id, password)

    def authenticate(self, email: str, password: str) -> Optional[User]:
        """Signs in: the user (with last_login_at now) whose email and password these are.

        None alike for an unknown email, a wrong password and a disabled
        account, in about the same time.
        """
        return _user_or_none(self._n.users_authenticate(email, password))

    def revoke_tokens(self, id: str) -> User:
        """Raises token_version: every token issued to the user so far stops working."""
        return User.from_dict(json.loads(self._n.users_revoke_tokens(id)))
