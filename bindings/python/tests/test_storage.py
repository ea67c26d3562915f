"""Storage: contacts, numbers, settings, recordings, call logs (list, search, stats, CSV).

Mirrors the C tests of cw_storage_*, cw_contacts_*, cw_numbers_*, cw_settings_*,
cw_recordings_* and cw_logs_*: the same scenarios, unknown ids, invalid input,
closed handles, settings masking and the CSV export.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import callwire
from conftest import BUSY, CALLEE_HANGS_UP, DEFAULT_NUMBER, REJECTED, answered_call, eventually, only


# ---- opening and closing -------------------------------------------------------------


def test_open_info_close(db_path: Path) -> None:
    s = callwire.Storage(f"sqlite://{db_path}")
    assert not s.closed and db_path.exists()
    info = s.info()
    assert info["backend"] == "sqlite"
    assert {t["name"] for t in info["tables"]} >= {"contacts", "call_logs", "recordings", "numbers", "telnyx_config"}
    assert repr(s) == f"<callwire.Storage 'sqlite://{db_path}' open>"
    s.close()
    s.close()  # idempotent
    assert s.closed
    with pytest.raises(callwire.ClosedError) as info_err:
        s.contacts.list()
    assert info_err.value.code == callwire.Status.ECLOSED
    with pytest.raises(callwire.ClosedError):
        s.info()


def test_a_plain_path_is_an_sqlite_file(tmp_path: Path) -> None:
    with callwire.Storage(tmp_path / "a.db") as s:
        assert s.url == f"sqlite://{tmp_path / 'a.db'}"
        assert s.info()["backend"] == "sqlite"
    with callwire.Storage(str(tmp_path / "b.db")) as s:
        assert s.url == f"sqlite://{tmp_path / 'b.db'}"


def test_bad_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Storage("ftp://example.invalid/db")
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Storage("")
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Storage(f"sqlite://{tmp_path}", timeout=0)
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Storage(f"sqlite://{tmp_path}/x.db", max_connections=-1)


def test_an_unwritable_sqlite_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "deeper" / "x.db"
    with pytest.raises(callwire.StorageError) as info:
        callwire.Storage(f"sqlite://{path}")
    err = info.value
    assert (err.code, err.domain) == (callwire.Status.ESTORAGE, callwire.Domain.STORAGE)
    # A sentence for people; SQLite's words and the path in .detail, for logs.
    assert err.message == str(err) == "The database cannot be opened."
    assert "sqlite: cannot open database: unable to open database file (" in err.detail
    assert str(path) in err.detail


# ---- contacts --------------------------------------------------------------------------


def test_contacts_lifecycle(storage: callwire.Storage) -> None:
    ada = storage.contacts.create("Ada Lovelace", "+44 20 7946 0958", email="ada@example.com", category="client")
    assert ada.id and ada.phone == "+442079460958" and ada.category == "client" and not ada.is_favorite
    assert ada.created_at.tzinfo == timezone.utc
    assert abs(datetime.now(timezone.utc) - ada.created_at) < timedelta(minutes=5)
    bob = storage.contacts.create("Bob", "+1 212 555 0199", notes="call after 5", is_favorite=True)
    assert storage.contacts.get(ada.id) == ada

    assert [c.name for c in storage.contacts.list()] == ["Ada Lovelace", "Bob"]
    assert only(storage.contacts.list(search="lovelace")).id == ada.id
    assert only(storage.contacts.list(search="555-0199")).id == bob.id  # separators ignored
    assert only(storage.contacts.list(category="client")).id == ada.id
    assert only(storage.contacts.list(favorites_only=True)).id == bob.id
    assert [c.name for c in storage.contacts.list(limit=1, offset=1)] == ["Bob"]

    updated = storage.contacts.update(ada.id, name="Ada King", category="lead")
    assert (updated.name, updated.category, updated.email) == ("Ada King", "lead", "ada@example.com")
    assert updated.updated_at >= ada.updated_at
    assert storage.contacts.toggle_favorite(ada.id).is_favorite
    assert not storage.contacts.toggle_favorite(ada.id).is_favorite

    storage.contacts.remove(bob.id)
    assert [c.id for c in storage.contacts.list()] == [ada.id]


def test_contacts_errors(storage: callwire.Storage) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        storage.contacts.create("", "+12125551234")  # a name is required
    with pytest.raises(callwire.InvalidArgumentError):
        storage.contacts.create("Nobody", "call me maybe")
    with pytest.raises(callwire.InvalidArgumentError):
        storage.contacts.create("Odd", "+12125551234", category="enemy")
    for op in (storage.contacts.get, storage.contacts.remove, storage.contacts.toggle_favorite):
        with pytest.raises(callwire.NotFoundError) as info:
            op("no-such-contact")
        assert isinstance(info.value, KeyError) and info.value.code_name == "CW_ENOTFOUND"
    with pytest.raises(callwire.NotFoundError):
        storage.contacts.update("no-such-contact", name="x")
    c = storage.contacts.create("Real", "+12125551234")
    with pytest.raises(callwire.InvalidArgumentError):
        storage.contacts.update(c.id, phone="nope")
    with pytest.raises(callwire.InvalidArgumentError):
        storage.contacts.list(limit=-1)
    assert storage.contacts.get(c.id).phone == "+12125551234"  # unchanged by the failed update


def test_contact_search_is_literal(storage: callwire.Storage) -> None:
    storage.contacts.create("100% Real (Ltd.)", "+12125551234")
    storage.contacts.create("Other", "+12125551235")
    assert [c.name for c in storage.contacts.list(search="100%")] == ["100% Real (Ltd.)"]
    assert storage.contacts.list(search=".*") == []
    assert storage.contacts.list(search="' OR 1=1 --") == []


# ---- numbers ---------------------------------------------------------------------------


def test_numbers(storage: callwire.Storage) -> None:
    main = only(storage.numbers.list())
    assert (main.number, main.name, main.is_default, main.status) == (DEFAULT_NUMBER, "Main", True, "active")
    second = storage.numbers.create("+1 (312) 555-0101", name="Sales")
    assert second.number == "+13125550101" and not second.is_default
    assert [n.is_default for n in storage.numbers.list()] == [True, False]
    assert storage.numbers.set_default(second.id).is_default
    assert [n.is_default for n in storage.numbers.list()] == [False, True]  # exactly one default
    storage.numbers.remove(main.id)
    assert [n.id for n in storage.numbers.list()] == [second.id]


def test_numbers_errors(storage: callwire.Storage, db_path: Path) -> None:
    with pytest.raises(callwire.ConflictError) as info:
        storage.numbers.create("+1 312 555 0100", name="Again")  # DEFAULT_NUMBER once more
    err = info.value
    assert (err.code, err.domain) == (callwire.Status.ECONFLICT, callwire.Domain.SDK)
    # The message is a sentence for people; the database's text is in .detail, for logs.
    assert err.message == str(err) == "This number is already in your list."
    assert f"number {DEFAULT_NUMBER} (id " in err.detail
    assert "already exists: sqlite: insert into numbers: UNIQUE constraint failed: numbers.number (" in err.detail
    assert str(db_path) in err.detail
    with pytest.raises(callwire.NotFoundError) as missing:
        storage.numbers.set_default("no-such-number")
    assert missing.value.message == "number no-such-number not found" and missing.value.detail == ""
    with pytest.raises(callwire.InvalidArgumentError):
        storage.numbers.create("555")
    with pytest.raises(callwire.NotFoundError):
        storage.numbers.remove("no-such-number")
    with pytest.raises(callwire.NotFoundError):
        storage.numbers.set_default("no-such-number")


# ---- settings --------------------------------------------------------------------------


def test_settings_are_masked(storage: callwire.Storage) -> None:
    defaults = storage.settings.get()
    assert defaults.api_key == "" and defaults.api_base == ""  # stored as saved: nothing invented
    saved = storage.settings.save(
        api_key="KEY0123456789abcdef", api_v2_key="short", connection_id="conn-1", auto_record=True
    )
    assert saved.api_key == "****cdef" and saved.api_v2_key == "*****"  # short secrets masked whole
    assert (saved.connection_id, saved.auto_record, saved.demo_mode) == ("conn-1", True, False)
    assert storage.settings.get() == saved
    whole = storage.settings.get(masked=False)
    assert (whole.api_key, whole.api_v2_key) == ("KEY0123456789abcdef", "short")
    assert whole.updated_at is not None and whole.updated_at.tzinfo == timezone.utc
    # A masked secret sent back keeps the stored one; fields not given stay.
    again = storage.settings.save(api_key=saved.api_key, webhook_url="https://example.com/hook")
    assert again.api_key == "****cdef"
    whole = storage.settings.get(masked=False)
    assert (whole.api_key, whole.webhook_url, whole.connection_id) == (
        "KEY0123456789abcdef",
        "https://example.com/hook",
        "conn-1",
    )
    assert storage.settings.save(api_key="").api_key == ""


def test_settings_errors(storage: callwire.Storage) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        storage.settings.save(api_base="not a url")
    with pytest.raises(callwire.InvalidArgumentError, match="recording_channels: must be single .* or dual"):
        storage.settings.save(recording_channels="stereo")


def test_recording_channels_setting(storage: callwire.Storage, client: callwire.Client) -> None:
    assert storage.settings.get().recording_channels == ""  # never saved
    assert client.settings().recording_channels == "dual"  # in force: Telnyx's default
    assert storage.settings.save(recording_channels="single").recording_channels == "single"
    client.reload_settings()
    assert client.settings().recording_channels == "single"


# ---- recordings and call logs (calls made by a demo client) ----------------------------


def test_recordings(storage: callwire.Storage, client: callwire.Client) -> None:
    call = client.dial(CALLEE_HANGS_UP, record=True)
    client.wait_for(call.call_id, "completed", timeout=10)
    # call.recording.saved comes after the hangup.
    rec = only(eventually(lambda: storage.recordings.list_for_call(call.call_id)), "recording")
    assert (rec.call_id, rec.format) == (call.call_id, "wav") and rec.url.endswith(rec.id + ".wav")
    assert only(storage.recordings.list()).id == rec.id
    assert storage.recordings.list(limit=1, offset=1) == []
    with pytest.raises(callwire.InvalidArgumentError, match="limit"):
        storage.recordings.list(limit=0)
    assert eventually(lambda: client.get_call(call.call_id).recording_id == rec.id)
    assert client.refresh_recording(rec.id) == rec  # a demo recording never expires
    with pytest.raises(callwire.NotFoundError):
        client.refresh_recording("no-such-recording")
    storage.recordings.remove(rec.id)
    assert storage.recordings.list() == []
    with pytest.raises(callwire.NotFoundError):
        storage.recordings.remove(rec.id)
    with pytest.raises(callwire.NotFoundError):
        storage.recordings.list_for_call("no-such-call")


def test_client_deletes_a_demo_recording_with_its_file(
    storage: callwire.Storage, client: callwire.Client, tmp_path: Path
) -> None:
    call = client.dial(CALLEE_HANGS_UP, record=True)
    client.wait_for(call.call_id, "completed", timeout=10)
    rec = only(eventually(lambda: storage.recordings.list_for_call(call.call_id)), "recording")
    assert rec.remote_delete_error == ""
    wav = tmp_path / "recordings" / (rec.id + ".wav")
    assert wav.exists()
    client.remove_recording(rec.id)  # a demo recording: here only, with its audio
    assert storage.recordings.list_for_call(call.call_id) == [] and not wav.exists()
    with pytest.raises(callwire.NotFoundError):
        client.remove_recording(rec.id)


def test_logs_list_search_stats(storage: callwire.Storage, client: callwire.Client) -> None:
    ada = storage.contacts.create("Ada", BUSY)
    busy = client.dial(BUSY, contact_id=ada.id)
    rejected = client.dial(REJECTED)
    client.wait_for(busy.call_id, "busy", timeout=10)
    client.wait_for(rejected.call_id, "failed", timeout=10)
    done = client.hangup(answered_call(client).call_id)

    logs = storage.logs.list()
    assert {c.call_id for c in logs} == {busy.call_id, rejected.call_id, done.call_id}
    assert [c.created_at for c in logs] == sorted((c.created_at for c in logs), reverse=True)  # newest first
    assert storage.logs.get(done.call_id) == client.get_call(done.call_id)
    assert only(storage.logs.list(status="busy")).call_id == busy.call_id
    assert only(storage.logs.search("555-0000")).call_id == busy.call_id
    assert only(storage.logs.search("ada")).contact_name == "Ada"
    assert len(storage.logs.list(limit=2)) == 2 and len(storage.logs.list(limit=2, offset=2)) == 1
    now = datetime.now(timezone.utc)
    assert len(storage.logs.list(since=now - timedelta(hours=1))) == 3
    assert storage.logs.list(until=now - timedelta(hours=1)) == []
    assert storage.logs.list(since=(now + timedelta(hours=1)).replace(tzinfo=None)) == []  # naive: UTC

    stats = storage.logs.stats()
    assert (stats.total_calls, stats.completed_calls, stats.failed_calls, stats.active_calls) == (3, 1, 2, 0)
    assert {k: v for k, v in stats.by_status.items() if v} == {"busy": 1, "completed": 1, "failed": 1}
    assert sum(stats.per_day.values()) == 3
    assert 0 < stats.answer_rate < 1
    assert storage.logs.stats(status="busy").total_calls == 1
    assert client.stats() == stats

    with pytest.raises(callwire.NotFoundError):
        storage.logs.get("no-such-call")
    with pytest.raises(callwire.InvalidArgumentError):
        storage.logs.list(status="exploded")
    with pytest.raises(callwire.InvalidArgumentError):
        storage.logs.list(since="yesterday-ish")


def test_logs_csv_export(storage: callwire.Storage, client: callwire.Client) -> None:
    odd = storage.contacts.create("=HYPERLINK(1)", BUSY)  # a contact name a spreadsheet would run
    busy = client.dial(BUSY, contact_id=odd.id)
    client.wait_for(busy.call_id, "busy", timeout=10)
    done = client.hangup(answered_call(client).call_id)

    text = storage.logs.export_csv()
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)  # CRLF line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["call_id"] for r in rows] == [done.call_id, busy.call_id]  # newest first
    assert rows[1]["status"] == "busy" and rows[0]["duration"] == str(done.duration)
    assert rows[1]["contact_name"].startswith("'=")  # formula cells are defused

    only_busy = list(csv.DictReader(io.StringIO(storage.logs.export_csv(status="busy"), newline="")))
    assert [r["call_id"] for r in only_busy] == [busy.call_id]
    header_only = storage.logs.export_csv(search="no call matches this")
    assert header_only == text.split("\r\n")[0] + "\r\n"
    assert header_only.startswith("call_id,created_at,direction,from_number,to_number,status,duration,")
