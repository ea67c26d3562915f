"""The client: demo calls through callbacks, queues and waits, controls, errors, lifetime, threading.

Mirrors the C tests of cw_client_*: a demo call followed through callbacks,
the demo scenarios, controls during a call, bad input, unknown ids, a closed
client, misuse, and a callback that calls back into the client.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import weakref
from pathlib import Path
from typing import Any, Callable, List, Optional

import pytest

import callwire
from conftest import (
    ANSWERS,
    BUSY,
    CALLEE_HANGS_UP,
    DEFAULT_NUMBER,
    DEMO_SPEED,
    REJECTED,
    Recorder,
    answered_call,
    only,
)


# ---- a demo call, end to end -------------------------------------------------------------


def test_demo_call_through_callbacks(client: callwire.Client, recorder: Recorder) -> None:
    assert client.demo and client.mode == "demo"
    sub = client.subscribe(recorder)
    call = client.dial("+1 (212) 555-1234")
    assert (call.status, call.to_number, call.from_number, call.demo) == ("dialing", ANSWERS, DEFAULT_NUMBER, True)
    assert call.is_live and not call.is_terminal
    recorder.wait(lambda: "active" in recorder.statuses(call.call_id))
    assert [c.call_id for c in client.active_calls()] == [call.call_id]

    done = client.hangup(call.call_id)
    assert done.status == "completed" and done.is_terminal
    assert done.answered_at is not None and done.ended_at is not None and done.ended_at >= done.answered_at
    assert done.duration == int((done.ended_at - done.answered_at).total_seconds())
    assert done.hangup_source == "caller"
    recorder.wait(lambda: any(u.type == "call.ended" for u in recorder.updates))  # the last update

    # Each update carries the whole call as it is then: statuses only move forward
    # (an update may cover several events, so one status can be skipped).
    statuses = recorder.statuses(call.call_id)
    assert statuses[0] == "dialing" and "active" in statuses and statuses[-1] == "completed"
    order = ["dialing", "ringing", "active", "completed"]
    assert set(statuses) <= set(order) and statuses == sorted(statuses, key=order.index)
    types = [u.type for u in recorder.updates]
    assert types[0] == "call.created" and types[-1] == "call.ended"
    assert set(types) <= set(callwire.EVENT_TYPES)
    assert threading.get_ident() not in recorder.threads  # callbacks come on the client's threads
    assert client.active_calls() == []
    assert client.get_call(call.call_id) == done
    assert client.stats().total_calls == 1
    sub.unsubscribe()


def test_demo_scenarios_end_in_their_status(client: callwire.Client) -> None:
    cases = {BUSY: "busy", "+12125550001": "no_answer", REJECTED: "failed", CALLEE_HANGS_UP: "completed"}
    calls = {client.dial(to).call_id: status for to, status in cases.items()}
    for call_id, status in calls.items():
        assert client.wait_for(call_id, callwire.TERMINAL_STATUSES, timeout=20).status == status
    callee = next(client.get_call(i) for i, s in calls.items() if s == "completed")
    assert (callee.hangup_source, callee.duration) == ("callee", 5)
    assert callee.status_text == "Completed: the other party hung up."
    assert client.get_call(next(i for i, s in calls.items() if s == "busy")).status_text == "The line was busy."


def test_hangup_before_answer_is_canceled(storage: callwire.Storage, tmp_path: Path) -> None:
    with callwire.Client(storage, demo_speed=1, recordings_dir=tmp_path) as client:  # answers after ~2 s
        call = client.dial(ANSWERS)
        client.wait_for(call.call_id, "ringing", timeout=10)
        done = client.hangup(call.call_id)
        assert (done.status, done.duration, done.answered_at) == ("canceled", 0, None)


def test_an_auto_recorded_call_is_recording_from_its_answer(storage: callwire.Storage, tmp_path: Path) -> None:
    with callwire.Client(storage, demo_speed=50, recordings_dir=tmp_path, auto_record=True) as client:
        call = client.dial(ANSWERS)
        assert call.record_from_answer and not call.recording  # not answered yet
        active = client.wait_for(call.call_id, "active", timeout=10)
        assert active.recording and active.record_from_answer
        assert not client.hangup(call.call_id).recording


def test_controls_during_a_call(client: callwire.Client) -> None:
    call = answered_call(client)
    assert client.set_muted(call.call_id).muted
    assert client.set_on_hold(call.call_id, True).on_hold
    assert not client.set_on_hold(call.call_id, False).on_hold
    assert client.send_dtmf(call.call_id, "12#").call_id == call.call_id
    assert client.start_recording(call.call_id).recording
    assert not client.stop_recording(call.call_id).recording
    ended = client.hangup(call.call_id)
    assert ended.muted
    with pytest.raises(callwire.ConflictError) as info:
        client.set_muted(call.call_id, False)
    assert info.value.code == callwire.Status.ECONFLICT and info.value.domain == callwire.Domain.SDK
    assert client.hangup(call.call_id).status == "completed"  # hanging up twice is harmless


def test_speech_playback_and_a_recording_pause(client: callwire.Client) -> None:
    call = answered_call(client)
    assert client.start_recording(call.call_id).recording
    paused = client.pause_recording(call.call_id)
    assert paused.recording and paused.recording_paused
    assert client.get_call(call.call_id).recording_paused
    assert not client.resume_recording(call.call_id).recording_paused
    assert client.speak(call.call_id, "Hello from Python").call_id == call.call_id
    german = "<speak>Guten Tag</speak>"
    client.speak(call.call_id, german, voice="AWS.Polly.Marlene-Neural", language="de-DE", payload_type="ssml")
    with pytest.raises(callwire.InvalidArgumentError) as info:
        client.speak(call.call_id, "Guten Tag", voice="female", language="de-DE")
    assert isinstance(info.value, ValueError)
    assert info.value.message == (
        "language: the male and female voices (Telnyx's basic service level) speak en-US only; for de-DE choose a "
        "provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>"
    )
    with pytest.raises(callwire.InvalidArgumentError, match="^text: Telnyx speaks at most 3000 characters"):
        client.speak(call.call_id, "x" * 3001)
    assert client.start_playback(call.call_id, "https://example.com/voicemail.mp3").call_id == call.call_id
    with pytest.raises(callwire.InvalidArgumentError, match="^audio_url: must be the http:// or https:// URL"):
        client.start_playback(call.call_id, "voicemail.mp3")
    assert client.stop_playback(call.call_id).call_id == call.call_id
    client.hangup(call.call_id)
    with pytest.raises(callwire.ConflictError, match="^cannot speak: the call has ended"):
        client.speak(call.call_id, "Hello?")
    with pytest.raises(callwire.ConflictError):
        client.pause_recording(call.call_id)


def test_transfer(client: callwire.Client) -> None:
    call = answered_call(client)
    with pytest.raises(callwire.InvalidArgumentError):
        client.transfer(call.call_id, "nowhere")
    assert client.transfer(call.call_id, "+1 212 555 9876").call_id == call.call_id
    if not client.get_call(call.call_id).is_terminal:
        client.hangup(call.call_id)


def test_dial_options(storage: callwire.Storage, client: callwire.Client) -> None:
    ada = storage.contacts.create("Ada", ANSWERS)
    second = storage.numbers.create("+13125550101")
    call = client.dial(ANSWERS, "+1 312 555 0101", contact_id=ada.id, answering_machine_detection=True)
    assert (call.from_number, call.contact_id, call.contact_name) == (second.number, ada.id, "Ada")
    assert call.agent_id is None
    client.hangup(call.call_id)


def test_dial_chooses_the_amd_mode_by_name_and_refuses_what_is_not_one(client: callwire.Client) -> None:
    call = client.dial(
        ANSWERS,
        answering_machine_detection="premium",
        answering_machine_detection_config={"total_analysis_time_millis": 5000},
    )
    assert call.status == "dialing"
    client.hangup(call.call_id)
    with pytest.raises(callwire.InvalidArgumentError) as info:
        client.dial(ANSWERS, answering_machine_detection="beep")
    assert "answering_machine_detection: 'beep' is not a mode; use disabled, detect" in info.value.message
    with pytest.raises(callwire.InvalidArgumentError) as info:
        client.dial(ANSWERS, answering_machine_detection="detect", answering_machine_detection_config={"patience": 1})
    assert "'patience' is not a setting" in info.value.message
    with pytest.raises(callwire.InvalidArgumentError) as info:
        client.dial(ANSWERS, agent_id="nobody")
    assert info.value.message.endswith("agent_id: no user has this id")


# ---- errors ---------------------------------------------------------------------------------


def test_bad_input_gets_clear_errors(storage: callwire.Storage, client: callwire.Client) -> None:
    with pytest.raises(callwire.InvalidArgumentError) as info:
        client.dial("not a number")
    assert info.value.message.startswith("to_number: ")
    with pytest.raises(callwire.InvalidArgumentError) as info:
        client.dial(ANSWERS, "12")
    assert info.value.message.startswith("from_number: ")
    with pytest.raises(callwire.InvalidArgumentError):
        client.send_dtmf("whatever", "12x")
    with pytest.raises(callwire.InvalidArgumentError, match="NUL"):
        client.get_call("abc\0def")
    assert storage.logs.list() == []  # nothing half-stored


@pytest.mark.parametrize(
    "op",
    [
        "hangup",
        "get_call",
        "set_muted",
        "set_on_hold",
        "start_recording",
        "stop_recording",
        "pause_recording",
        "resume_recording",
        "send_dtmf",
        "transfer",
        "speak",
        "start_playback",
        "stop_playback",
    ],
)
def test_unknown_call_ids_are_not_found(client: callwire.Client, op: str) -> None:
    args: List[Any] = {
        "send_dtmf": ["1"],
        "transfer": [ANSWERS],
        "speak": ["Hello"],
        "start_playback": ["https://example.com/a.wav"],
    }.get(op, [])
    with pytest.raises(callwire.NotFoundError) as info:
        getattr(client, op)("no-such-call", *args)
    assert isinstance(info.value, KeyError) and info.value.code == -2


def test_no_default_number_is_an_error(storage: callwire.Storage, client: callwire.Client) -> None:
    for n in storage.numbers.list():
        storage.numbers.remove(n.id)
    with pytest.raises(callwire.InvalidArgumentError, match="no default number"):
        client.dial(ANSWERS)


def test_bad_options_are_refused(storage: callwire.Storage) -> None:
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Client(storage, demo_speed=0)
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Client(storage, hangup_wait=-1)
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Client(storage, worker_threads=0)
    with pytest.raises(callwire.InvalidArgumentError):
        callwire.Client(storage, api_key="KEY", api_base="not a url")


def test_a_client_needs_an_open_storage(db_path: Path) -> None:
    s = callwire.Storage(f"sqlite://{db_path}")
    s.close()
    with pytest.raises(callwire.ClosedError):
        callwire.Client(s)


def test_a_closed_client_refuses_everything(client: callwire.Client) -> None:
    call = answered_call(client)
    client.close()
    client.close()  # idempotent
    assert client.closed and repr(client).startswith("<callwire.Client closed")
    calls: List[Callable[[], object]] = [
        lambda: client.dial(ANSWERS),
        lambda: client.hangup(call.call_id),
        lambda: client.get_call(call.call_id),
        lambda: client.set_muted(call.call_id),
        lambda: client.active_calls(),
        lambda: client.stats(),
        lambda: client.settings(),
        lambda: client.reload_settings(),
        lambda: client.subscribe(print),
        lambda: client.updates(),
        lambda: client.demo,
    ]
    for op in calls:
        with pytest.raises(callwire.ClosedError) as info:
            op()
        assert info.value.code_name == "CW_ECLOSED"
    # A webhook gets an answer for the carrier even then (503: Telnyx retries later).
    result = client.ingest_webhook(b"{}")
    assert result.http_status == 503 and not result.ok and isinstance(result.error, callwire.ClosedError)


def test_a_client_can_own_its_storage(db_path: Path) -> None:
    with callwire.Client(f"sqlite://{db_path}", demo_speed=DEMO_SPEED) as client:
        assert client.storage.url == f"sqlite://{db_path}"
        client.storage.numbers.create(DEFAULT_NUMBER, is_default=True)
        client.hangup(client.dial(ANSWERS).call_id)
    assert client.storage.closed


# ---- settings and mode ----------------------------------------------------------------------


def test_settings_switch_mode_at_run_time(storage: callwire.Storage, client: callwire.Client) -> None:
    effective = client.settings()
    assert effective.mode == "demo" and effective.api_key == ""
    # api_base is deployment configuration (the client's options), never a saved setting.
    with pytest.raises(callwire.InvalidArgumentError, match="TELNYX_API_BASE"):
        storage.settings.save(api_base="https://collect.evil.example/v2")
    storage.settings.save(api_key="KEY-saved-0123456789")
    assert client.demo  # until reloaded
    client.reload_settings()
    assert not client.demo and client.mode == "live"
    effective = client.settings()
    assert (effective.mode, effective.api_key, effective.api_base) == ("live", "****6789", "https://api.telnyx.com/v2")
    storage.settings.save(demo_mode=True)
    client.reload_settings()
    assert client.demo


def test_force_demo_with_a_key(storage: callwire.Storage) -> None:
    with callwire.Client(storage, "KEY-not-used", api_base="http://127.0.0.1:9/v2", force_demo=True) as client:
        assert client.demo
    with callwire.Client(storage, "KEY-not-used", api_base="http://127.0.0.1:9/v2") as client:
        assert not client.demo


# ---- events: callbacks, queues, waits -------------------------------------------------------


def test_a_callback_can_hang_up_when_the_call_becomes_active(client: callwire.Client) -> None:
    results: List[callwire.Call] = []
    done = threading.Event()

    def on_update(update: callwire.CallUpdate) -> None:
        if update.call.status == "active" and not results:
            results.append(client.hangup(update.call.call_id))  # back into the client, from its own thread
            results.append(client.get_call(update.call.call_id))
            done.set()

    with client.subscribe(on_update):
        call = client.dial(ANSWERS)
        assert done.wait(20), "the callback did not finish: deadlock?"
    assert [c.status for c in results] == ["completed", "completed"]
    assert client.get_call(call.call_id).status == "completed"


def test_callbacks_may_subscribe_and_unsubscribe_themselves(client: callwire.Client, recorder: Recorder) -> None:
    seen: List[str] = []
    subs: List[callwire.Subscription] = []

    def once(update: callwire.CallUpdate) -> None:
        seen.append(update.call.status)
        subs[0].unsubscribe()  # from inside the callback
        subs.append(client.subscribe(recorder))

    subs.append(client.subscribe(once))
    call = client.dial(CALLEE_HANGS_UP)
    client.wait_for(call.call_id, "completed", timeout=10)
    recorder.wait(lambda: "completed" in recorder.statuses(call.call_id))
    assert seen == ["dialing"] and not subs[0].active and len(subs) == 2


def test_unsubscribe_stops_the_callback(client: callwire.Client, recorder: Recorder) -> None:
    sub = client.subscribe(recorder)
    call = answered_call(client)
    sub.unsubscribe()
    sub.unsubscribe()  # idempotent
    assert not sub.active
    count = len(recorder.updates)
    with client.updates(call_id=call.call_id) as q:
        client.hangup(call.call_id)
        assert q.get(timeout=10).call.call_id == call.call_id  # other listeners still get updates
    assert len(recorder.updates) == count


def test_events_queue(client: callwire.Client) -> None:
    with client.updates() as q:
        call = client.dial(CALLEE_HANGS_UP)
        statuses: List[str] = []
        while not statuses or statuses[-1] != "completed":
            update = q.get(timeout=10)
            if update.call.call_id == call.call_id:
                statuses.append(update.call.status)
        assert statuses[0] == "dialing"
        with pytest.raises(callwire.TimeoutError) as info:
            while True:  # the call has ended: the queue runs dry
                q.get(timeout=0.2)
        assert isinstance(info.value, TimeoutError) and info.value.code == callwire.Status.ETIMEOUT
        assert q.empty() and q.qsize() == 0
        with pytest.raises(callwire.TimeoutError):
            q.get_nowait()
    assert q.closed
    with pytest.raises(callwire.ClosedError):
        q.get(timeout=1)


def test_events_iterator_ends_when_quiet(storage: callwire.Storage, tmp_path: Path) -> None:
    with callwire.Client(storage, demo_speed=5, recordings_dir=tmp_path) as client:  # busy after ~0.3 s
        busy = client.dial(BUSY)
        other = client.dial(REJECTED)
        updates = list(client.updates(call_id=busy.call_id, timeout=1.0))  # until 1 s without an update
        assert updates and {u.call.call_id for u in updates} == {busy.call_id}
        assert updates[-1].type == "call.ended" and updates[-1].call.status == "busy"
        client.wait_for(other.call_id, callwire.TERMINAL_STATUSES)


def test_events_iterator_ends_when_the_client_closes(client: callwire.Client) -> None:
    q = client.updates()
    call = answered_call(client)
    closer = threading.Timer(0.2, client.close)
    closer.start()
    seen = [u.call for u in q]  # no timeout: ends when the client closes
    closer.join()
    assert call.status == "active" and "active" in [c.status for c in seen if c.call_id == call.call_id]
    assert q.closed and client.closed


def test_wait_for(client: callwire.Client) -> None:
    call = client.dial(ANSWERS)
    active = client.wait_for(call.call_id, "active", timeout=10)
    assert active.status == "active"
    assert client.wait_for(call.call_id, ["ringing", "active"]).status == "active"  # already there
    with pytest.raises(callwire.TimeoutError, match="is active, not completed"):
        client.wait_for(call.call_id, "completed", timeout=0.2)
    client.hangup(call.call_id)
    busy = client.dial(BUSY)
    with pytest.raises(callwire.ConflictError, match="ended as busy"):
        client.wait_for(busy.call_id, "active", timeout=10)
    with pytest.raises(callwire.NotFoundError):
        client.wait_for("no-such-call", "active")
    with pytest.raises(callwire.InvalidArgumentError, match="exploded"):
        client.wait_for(call.call_id, "exploded")
    with pytest.raises(callwire.InvalidArgumentError):
        client.subscribe("not callable")  # type: ignore[arg-type]


# ---- exceptions raised by callbacks ---------------------------------------------------------


class Boom(Exception):
    pass


def test_a_callback_exception_is_raised_by_the_next_call(client: callwire.Client) -> None:
    failed = threading.Event()

    def explode(update: callwire.CallUpdate) -> None:
        if not failed.is_set():  # once: a second one would go to sys.unraisablehook
            failed.set()
            raise Boom(f"callback failed on {update.call.status}")

    sub = client.subscribe(explode)
    call = client.dial(ANSWERS)
    assert failed.wait(10)
    sub.unsubscribe()
    with pytest.raises(Boom, match="callback failed on dialing") as info:
        client.get_call(call.call_id)
    assert info.traceback[-1].name == "explode"  # the traceback points into the callback
    assert client.get_call(call.call_id).call_id == call.call_id  # raised once, then cleared
    client.hangup(call.call_id)


def test_a_callback_exception_is_raised_by_close(storage: callwire.Storage) -> None:
    client = callwire.Client(storage, demo_speed=DEMO_SPEED)
    got = threading.Event()

    def explode(update: callwire.CallUpdate) -> None:
        if not got.is_set():  # once: a second one would go to sys.unraisablehook
            got.set()
            raise Boom("kept for close")

    client.subscribe(explode)
    client.dial(BUSY)
    assert got.wait(10)
    with pytest.raises(Boom, match="kept for close"):
        client.close()
    assert client.closed


def test_a_second_callback_exception_goes_to_unraisablehook(
    client: callwire.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    ended = threading.Event()
    count = [0]

    def explode(update: callwire.CallUpdate) -> None:
        count[0] += 1
        if update.call.is_terminal:
            ended.set()
        raise Boom(f"number {count[0]}")

    sub = client.subscribe(explode)
    call = client.dial(BUSY)  # dialing, ringing, busy: three updates, three exceptions
    assert ended.wait(10)
    sub.unsubscribe()
    with pytest.raises(Boom, match="number 1"):
        client.get_call(call.call_id)
    assert count[0] >= 3
    assert [str(u.exc_value) for u in unraisable] == [f"number {i}" for i in range(2, count[0] + 1)]
    assert all(u.object is client for u in unraisable)


def test_on_callback_error_receives_the_exceptions(
    client: callwire.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    errors: List[BaseException] = []
    client.on_callback_error = errors.append

    def explode(update: callwire.CallUpdate) -> None:
        raise Boom(update.call.status)

    with client.subscribe(explode):
        call = client.dial(BUSY)
        client.wait_for(call.call_id, "busy", timeout=10)  # nothing kept: no raise here
    assert [type(e) for e in errors] == [Boom] * len(errors) and str(errors[0]) == "dialing"

    def broken_hook(exc: BaseException) -> None:
        raise RuntimeError("the hook itself failed")

    client.on_callback_error = broken_hook
    with client.subscribe(explode):
        call = client.dial(BUSY)
        client.wait_for(call.call_id, "busy", timeout=10)
    assert unraisable and all(isinstance(u.exc_value, RuntimeError) for u in unraisable)


def test_close_inside_a_callback_is_refused(client: callwire.Client) -> None:
    errors: List[BaseException] = []
    client.on_callback_error = errors.append
    tried = threading.Event()

    def close_me(update: callwire.CallUpdate) -> None:
        tried.set()
        client.close()

    with client.subscribe(close_me):
        call = client.dial(BUSY)
        assert tried.wait(10)
        client.wait_for(call.call_id, "busy", timeout=10)
    assert isinstance(errors[0], callwire.InvalidArgumentError)
    assert "cannot be called from an update callback" in str(errors[0])
    assert not client.closed


# ---- Ctrl-C, garbage collection ----------------------------------------------------------------


def _interrupt_soon(delay: float = 0.3) -> threading.Timer:
    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_ctrl_c_interrupts_blocking_waits(client: callwire.Client) -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with client.updates() as q:
        timer = _interrupt_soon()
        with pytest.raises(KeyboardInterrupt):
            q.get()  # would wait for ever
        timer.join()
    call = answered_call(client)
    timer = _interrupt_soon()
    with pytest.raises(KeyboardInterrupt):
        client.wait_for(call.call_id, "completed", timeout=None)
    timer.join()
    assert client.hangup(call.call_id).status == "completed"  # still usable


def test_an_unclosed_client_is_collected(storage: callwire.Storage, recorder: Recorder) -> None:
    client: Optional[callwire.Client] = callwire.Client(storage, demo_speed=DEMO_SPEED)
    assert client is not None
    client.subscribe(recorder)
    call = client.dial(ANSWERS)
    client.wait_for(call.call_id, "active")
    ref = weakref.ref(client)
    del client
    gc.collect()
    assert ref() is None  # freed (its threads joined) without close()
    # The call it left live is still in the logs; a new client reconciles it.
    with callwire.Client(storage, demo_speed=DEMO_SPEED) as again:
        assert again.get_call(call.call_id).call_id == call.call_id


def test_a_client_collected_on_another_clients_callback_thread(storage: callwire.Storage) -> None:
    """Garbage collection may free a client on an SDK thread; the extension frees it on a thread of its own."""
    orphan: Optional[callwire.Client] = callwire.Client(storage, demo_speed=DEMO_SPEED)
    assert orphan is not None
    orphan.subscribe(lambda update: None)  # a reference cycle: only the garbage collector frees it
    ref = weakref.ref(orphan)
    freed_on: List[int] = []
    weakref.finalize(orphan, lambda: freed_on.append(threading.get_ident()))
    del orphan
    collected = threading.Event()

    def collect(update: callwire.CallUpdate) -> None:
        if not collected.is_set():
            gc.collect()  # frees the orphan here, inside a callback
            collected.set()

    with callwire.Client(storage, demo_speed=DEMO_SPEED) as client:
        with client.subscribe(collect):
            client.dial(BUSY)
            assert collected.wait(10)
        assert ref() is None and freed_on and freed_on[0] != threading.get_ident()
        assert client.stats().total_calls == 1  # the running client is unaffected
