"""storage.users: the accounts of a server's team.

Mirrors the C tests of cw_users_* (tests/capi/users_test.c): create and its
refusals (a taken email whatever its case, a short password, missing or wrong
fields, messages that never repeat the password), get, find_by_email, list,
update (role, disabled, clearing a field), status, passwords, sign-in
(unknown email, wrong password and a disabled account answer alike),
revocation, delete and a closed storage; and that the GIL is released while
Argon2id works.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import List, Tuple

import pytest

import callwire

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple 2 the wall"


def no_secret(user: callwire.User) -> None:
    """A User has no field for a password or a hash, and no field holds one."""
    names = {f.name for f in dataclasses.fields(user)}
    assert not any("password" in n or "hash" in n for n in names)
    assert PASSWORD not in repr(user) and NEW_PASSWORD not in repr(user) and "argon2" not in repr(user)


def make_team(storage: callwire.Storage) -> Tuple[callwire.User, callwire.User]:
    ada = storage.users.create("Ada@Example.org", "Ada Lovelace", PASSWORD, role="admin")
    bob = storage.users.create("bob@example.org", "Bob", PASSWORD, default_number_id="num-1")
    return ada, bob


def test_create_and_read(storage: callwire.Storage) -> None:
    ada, bob = make_team(storage)
    assert isinstance(ada, callwire.User)
    assert (ada.email, ada.name, ada.role, ada.status) == ("Ada@Example.org", "Ada Lovelace", "admin", "offline")
    assert (ada.default_number_id, ada.disabled, ada.token_version, ada.last_login_at) == (None, False, 0, None)
    assert ada.created_at.tzinfo == timezone.utc
    assert abs(datetime.now(timezone.utc) - ada.created_at) < timedelta(minutes=5)
    assert (bob.role, bob.default_number_id) == ("agent", "num-1")
    no_secret(ada)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ada.role = "agent"  # type: ignore[misc]

    assert storage.users.get(ada.id) == ada
    found = storage.users.find_by_email("  ADA@example.ORG ")
    assert found is not None and found.id == ada.id
    assert storage.users.find_by_email("nobody@example.org") is None
    assert [u.id for u in storage.users.list()] == [ada.id, bob.id]  # oldest first
    assert callwire.USER_ROLES == ("admin", "agent")
    assert ada.status in callwire.USER_STATUSES


def test_create_refused(storage: callwire.Storage) -> None:
    make_team(storage)
    with pytest.raises(callwire.ConflictError) as conflict:
        storage.users.create("ADA@example.ORG", "Ada 2", PASSWORD)
    err = conflict.value
    assert (err.code, err.code_name, err.domain) == (callwire.Status.ECONFLICT, "CW_ECONFLICT", callwire.Domain.SDK)
    assert str(err) == "An account with this email already exists."
    assert PASSWORD not in err.detail

    with pytest.raises(callwire.InvalidArgumentError) as short:
        storage.users.create("carl@example.org", "Carl", "seven77")
    assert isinstance(short.value, ValueError)
    assert str(short.value) == "password: must be at least 8 characters long"
    assert "seven77" not in str(short.value) and "seven77" not in short.value.detail

    with pytest.raises(callwire.InvalidArgumentError, match=r"^user_json\.password: field required$"):
        storage.users.create("carl@example.org", "Carl", "")
    with pytest.raises(callwire.InvalidArgumentError, match=r"^user_json\.name: field required$"):
        storage.users.create("carl@example.org", "", PASSWORD)
    with pytest.raises(callwire.InvalidArgumentError) as role:
        storage.users.create("carl@example.org", "Carl", PASSWORD, role="boss")
    assert str(role.value) == "user_json.role: must be one of admin, agent (got 'boss')"
    with pytest.raises(callwire.InvalidArgumentError, match=r"^user_json\.password: expected a string$"):
        storage.users.create("carl@example.org", "Carl", 12345678)  # type: ignore[arg-type]
    with pytest.raises(callwire.InvalidArgumentError, match="email") as email:
        storage.users.create("not an email", "Carl", PASSWORD)
    assert PASSWORD not in str(email.value)
    with pytest.raises(callwire.InvalidArgumentError, match="NUL"):
        storage.users.authenticate("ada@example.org", "pass\0word!")  # C strings end at a NUL
    assert len(storage.users.list()) == 2  # nothing was added


def test_update(storage: callwire.Storage) -> None:
    ada, bob = make_team(storage)
    with pytest.raises(callwire.NotFoundError) as missing:
        storage.users.get("no-such-user")
    assert isinstance(missing.value, KeyError) and str(missing.value) == "user no-such-user not found"

    changed = storage.users.update(bob.id, role="admin", name="Bob Jones")
    assert (changed.role, changed.name, changed.email, changed.default_number_id) == (
        "admin", "Bob Jones", "bob@example.org", "num-1"
    )  # fmt: skip
    assert changed.token_version == 0 and changed.updated_at >= bob.updated_at
    assert storage.users.update(bob.id, default_number_id="", role="agent").default_number_id is None
    assert storage.users.update(bob.id).role == "agent"  # nothing given, nothing changes

    disabled = storage.users.update(bob.id, disabled=True)
    assert disabled.disabled and disabled.token_version == 1  # disabling revokes the tokens
    enabled = storage.users.update(bob.id, disabled=False)
    assert not enabled.disabled and enabled.token_version == 1

    with pytest.raises(callwire.ConflictError, match="^An account with this email already exists.$"):
        storage.users.update(bob.id, email="ada@EXAMPLE.org")
    with pytest.raises(callwire.InvalidArgumentError, match=r"^patch_json\.name: must not be empty$"):
        storage.users.update(bob.id, name="")
    with pytest.raises(callwire.InvalidArgumentError, match=r"^patch_json\.role: must be one of admin, agent"):
        storage.users.update(bob.id, role="root")
    with pytest.raises(callwire.InvalidArgumentError, match=r"^patch_json\.disabled: expected a boolean$"):
        storage.users.update(bob.id, disabled="yes")  # type: ignore[arg-type]
    with pytest.raises(callwire.NotFoundError):
        storage.users.update("no-such-user", name="X")
    with pytest.raises(TypeError):
        storage.users.update(bob.id, password=NEW_PASSWORD)  # type: ignore[call-arg]
    assert (storage.users.get(bob.id).name, storage.users.get(bob.id).email) == ("Bob Jones", "bob@example.org")


def test_status(storage: callwire.Storage) -> None:
    ada, _ = make_team(storage)
    assert storage.users.set_status(ada.id, "away").status == "away"
    assert storage.users.get(ada.id).status == "away"
    assert storage.users.set_status(ada.id, "available").status == "available"
    with pytest.raises(callwire.InvalidArgumentError) as busy:
        storage.users.set_status(ada.id, "busy")
    assert str(busy.value) == (
        "status: you can set available or away (got 'busy'); busy, wrap_up and offline follow your calls and connections"
    )
    with pytest.raises(callwire.InvalidArgumentError, match="^status: field required$"):
        storage.users.set_status(ada.id, "")
    with pytest.raises(callwire.NotFoundError):
        storage.users.set_status("no-such-user", "away")
    assert storage.users.get(ada.id).status == "available"


def test_passwords_and_sign_in(storage: callwire.Storage) -> None:
    ada, bob = make_team(storage)
    assert storage.users.check_password(ada.id, PASSWORD) is True
    assert storage.users.check_password(ada.id, NEW_PASSWORD) is False
    assert storage.users.check_password("no-such-user", PASSWORD) is False

    signed_in = storage.users.authenticate("ada@EXAMPLE.org", PASSWORD)
    assert signed_in is not None and signed_in.id == ada.id and signed_in.last_login_at is not None
    no_secret(signed_in)
    assert storage.users.get(ada.id).last_login_at == signed_in.last_login_at

    changed = storage.users.set_password(ada.id, NEW_PASSWORD)
    assert changed.token_version == ada.token_version + 1
    no_secret(changed)
    again = storage.users.authenticate("ada@example.org", NEW_PASSWORD)
    assert again is not None and again.id == ada.id
    assert storage.users.authenticate("ada@example.org", PASSWORD) is None
    assert storage.users.check_password(ada.id, NEW_PASSWORD)

    with pytest.raises(callwire.InvalidArgumentError) as short:
        storage.users.set_password(ada.id, "short")
    assert str(short.value) == "password: must be at least 8 characters long"
    with pytest.raises(callwire.NotFoundError):
        storage.users.set_password("no-such-user", NEW_PASSWORD)
    assert storage.users.authenticate("ada@example.org", NEW_PASSWORD) is not None  # unchanged

    # Failures alike: an unknown email, a wrong password, a disabled account.
    assert storage.users.authenticate("nobody@example.org", PASSWORD) is None
    assert storage.users.authenticate("bob@example.org", "not the password") is None
    storage.users.update(bob.id, disabled=True)
    assert storage.users.authenticate("bob@example.org", PASSWORD) is None
    assert storage.users.authenticate("", "") is None
    storage.users.update(bob.id, disabled=False)
    back = storage.users.authenticate("bob@example.org", PASSWORD)
    assert back is not None and back.id == bob.id

    before = storage.users.get(bob.id).token_version
    assert storage.users.revoke_tokens(bob.id).token_version == before + 1
    assert storage.users.get(bob.id).token_version == before + 1
    with pytest.raises(callwire.NotFoundError):
        storage.users.revoke_tokens("no-such-user")


def test_delete(storage: callwire.Storage) -> None:
    ada, bob = make_team(storage)
    storage.users.remove(bob.id)
    with pytest.raises(callwire.NotFoundError):
        storage.users.get(bob.id)
    with pytest.raises(callwire.NotFoundError):
        storage.users.remove(bob.id)
    assert storage.users.find_by_email("bob@example.org") is None
    assert storage.users.authenticate("bob@example.org", PASSWORD) is None
    assert [u.id for u in storage.users.list()] == [ada.id]
    assert storage.users.create("bob@example.org", "Bob", PASSWORD).status == "offline"  # the email is free again


def test_a_closed_storage(storage: callwire.Storage) -> None:
    ada, _ = make_team(storage)
    storage.close()
    for op in (
        lambda: storage.users.get(ada.id),
        lambda: storage.users.list(),
        lambda: storage.users.authenticate("ada@example.org", PASSWORD),
        lambda: storage.users.check_password(ada.id, PASSWORD),
    ):
        with pytest.raises(callwire.ClosedError):
            op()


def test_the_gil_is_released_while_hashing(storage: callwire.Storage) -> None:
    """Another Python thread runs while check_password verifies with Argon2id (~25 ms) in C."""
    ada, _ = make_team(storage)
    ticks: List[float] = []
    windows: List[Tuple[float, float]] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.0005)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        for _ in range(6):
            start = time.monotonic()
            assert not storage.users.check_password(ada.id, "not the password")
            windows.append((start, time.monotonic()))
    finally:
        stop.set()
        t.join()
    # With the GIL held for the whole C call, no tick could fall well inside one.
    inside = [x for x in ticks if any(a + 0.002 < x < b - 0.002 for a, b in windows)]
    assert len(inside) >= 3, (len(ticks), windows)


def test_sign_ins_from_threads(storage: callwire.Storage) -> None:
    ada, bob = make_team(storage)
    results: List[bool] = []
    lock = threading.Lock()

    def sign_in(email: str, password: str, expected: bool) -> None:
        ok = (storage.users.authenticate(email, password) is not None) == expected
        with lock:
            results.append(ok)

    threads = [
        threading.Thread(target=sign_in, args=args)
        for args in [
            ("ada@example.org", PASSWORD, True),
            ("bob@example.org", PASSWORD, True),
            ("ada@example.org", "wrong password", False),
            ("nobody@example.org", PASSWORD, False),
        ]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4
