"""Records built from the C ABI's JSON: times in UTC, defaults, unknown fields ignored."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

import callwire
from callwire._types import EPOCH, format_time, parse_time

UTC = timezone.utc


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-26T10:22:45.123Z", datetime(2026, 11, 26, 10, 22, 45, 123000, tzinfo=UTC)),
        ("2026-11-26T10:22:45Z", datetime(2026, 11, 26, 10, 22, 45, tzinfo=UTC)),
        ("2026-11-26T10:22:45.123456789Z", datetime(2026, 11, 26, 10, 22, 45, 123456, tzinfo=UTC)),
        ("2026-11-26T12:22:45.5+02:00", datetime(2026, 11, 26, 10, 22, 45, 500000, tzinfo=UTC)),
        ("2026-11-26 05:22:45-0500", datetime(2026, 11, 26, 10, 22, 45, tzinfo=UTC)),
        ("2026-11-26T10:22:45", datetime(2026, 11, 26, 10, 22, 45, tzinfo=UTC)),
        (1_000, datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)),
    ],
)
def test_parse_time(text: object, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and parsed is not None and parsed.tzinfo == UTC


@pytest.mark.parametrize("empty", [None, ""])
def test_parse_time_of_nothing(empty: object) -> None:
    assert parse_time(empty) is None


@pytest.mark.parametrize("bad", ["yesterday", "2026-13", True, [1]])
def test_parse_time_refuses_what_is_not_a_time(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_time(bad)


def test_format_time() -> None:
    t = datetime(2026, 11, 26, 12, 22, 45, 123999, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(t) == "2026-11-26T10:22:45.123Z"
    assert format_time(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000Z"  # naive: UTC
    assert format_time("2026-01-02") == "2026-01-02"
    assert parse_time(format_time(t)) == t.replace(microsecond=123000)
    with pytest.raises(TypeError):
        format_time(12)  # type: ignore[arg-type]


def test_call_from_json() -> None:
    call = callwire.Call.from_json(
        '{"call_id": "c1", "status": "active", "created_at": "2026-11-26T10:00:00.000Z",'
        ' "answered_at": "2026-11-26T10:00:02.000Z", "ended_at": null, "duration": 0,'
        ' "contact_id": null, "muted": true, "a_field_from_the_future": {"x": 1}}'
    )
    assert (call.call_id, call.status, call.muted, call.contact_id, call.ended_at) == ("c1", "active", True, None, None)
    assert call.answered_at == datetime(2026, 11, 26, 10, 0, 2, tzinfo=UTC)
    assert call.is_live and not call.is_terminal
    assert call.from_number == "" and call.updated_at == EPOCH  # missing fields keep their defaults
    with pytest.raises(dataclasses.FrozenInstanceError):
        call.status = "completed"  # type: ignore[misc]


def test_stored_calls_may_carry_only_id() -> None:
    assert callwire.Call.from_dict({"id": "c2", "status": "busy"}).call_id == "c2"


def test_records_ignore_unknown_fields() -> None:
    contact = callwire.Contact.from_dict({"id": "k", "name": "Ada", "is_favorite": 1, "new": "x"})
    assert (contact.id, contact.name, contact.is_favorite, contact.category) == ("k", "Ada", True, "other")
    stats = callwire.Stats.from_dict({"total_calls": 2, "by_status": {"busy": 2}, "answer_rate": 0, "later": []})
    assert (stats.total_calls, stats.by_status, stats.answer_rate, stats.per_day) == (2, {"busy": 2}, 0.0, {})
    number = callwire.PhoneNumber.from_dict({"id": "n", "number": "+13125550100", "is_default": True})
    assert number.status == "active" and number.is_default
    rec = callwire.Recording.from_dict({"id": "r", "duration": 7, "created_at": "2026-11-26T10:00:00Z"})
    assert rec.duration == 7 and rec.created_at.year == 2026
    settings = callwire.Settings.from_dict({"api_key": "****abcd", "mode": "live", "updated_at": None})
    assert (settings.api_key, settings.mode, settings.updated_at) == ("****abcd", "live", None)
    with pytest.raises(ValueError):
        callwire.Contact.from_dict(["not", "an", "object"])  # type: ignore[arg-type]


def test_webhook_result() -> None:
    ok = callwire.WebhookResult.from_dict({"http_status": 200, "duplicate": False, "event_type": "call.hangup"})
    assert ok.ok and ok.error is None
    ok.raise_for_error()
    refused = callwire.WebhookResult.from_dict({"http_status": 401}, callwire.UnauthorizedError("bad signature"))
    assert not refused.ok
    with pytest.raises(callwire.UnauthorizedError, match="bad signature"):
        refused.raise_for_error()
    assert refused == dataclasses.replace(refused, error=None)  # the error is not part of equality
