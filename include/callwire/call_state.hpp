// callwire — the order-free call state machine.
//
// A Call's event-derived fields are a pure function of the *set* of events
// received for it: the same events in any order, any number of times, give
// the same Call. apply() is a join in a semilattice — commutative, idempotent
// and associative — and the status is derived from the joined fields:
//
//  * ringing_at, answered_at: the earliest time seen;
//  * the end (ended_at, hangup_cause, hangup_source, failure_reason): the
//    smallest (occurred_at, cause, source, reason) tuple of terminal events;
//  * status: terminal when ended (absorbing), else active when answered, else
//    ringing when initiated, else dialing;
//  * duration: whole seconds from answered_at to ended_at, 0 if unanswered;
//  * machine_detection: the greatest result; machine_greeting: the most
//    telling result (beep_detected > ended > no_beep_detected > not_sure >
//    any other, ties by text);
//  * recording: for a call dialled with record_from_answer, true from
//    call.answered until the call ends or a call.recording.saved or
//    call.recording.error comes — true exactly when the set has an answer
//    and no such event. Every end and every saved or failed recording clears
//    it, also for a recording started by a command (start_recording sets it;
//    no event does);
//  * recording_error: "Telnyx could not save the recording: <reason>" of a
//    call.recording.error (the smallest of several); it stays when a later
//    recording of the call succeeds.
//
// A late call.answered after call.hangup still sets answered_at and so the
// duration (a canceled call becomes completed — still terminal).
#pragma once

#include <cstdint>
#include <string_view>

#include "callwire/types.hpp"

namespace callwire {

/// Event types produced by callwire itself (not by Telnyx), folded like
/// carrier events so the Call stays a pure function of its event set.
inline constexpr std::string_view kEventDialFailed = "callwire.dial.failed";   ///< the reason is in the event's `result`
inline constexpr std::string_view kEventReconciled = "callwire.reconciled";     ///< no terminal event within the time limit
inline constexpr std::string_view kEventDialCanceled = "callwire.dial.canceled"; ///< hung up while still queued: never placed
/// A dial whose request failed in transport (timeout, lost connection, 5xx):
/// it may have been placed. Stored as a record only; the call stays dialing
/// until the carrier's events or the reconciler settle it.
inline constexpr std::string_view kEventDialUnknown = "callwire.dial.unknown";
/// The hangup_source of an end the reconciler inferred (the carrier said the
/// call is over, but its call.hangup never came).
inline constexpr std::string_view kHangupSourceCallwire = "callwire";

/// Folds one event into `call` (a join: order and repetition do not matter)
/// and recomputes status and duration. Events of other types than those below
/// leave the call unchanged: call.initiated, call.answered, call.hangup,
/// call.machine.detection.ended, call.machine.premium.detection.ended,
/// call.machine.greeting.ended, call.machine.premium.greeting.ended,
/// call.recording.saved, call.recording.error, callwire.dial.failed,
/// callwire.dial.canceled, callwire.reconciled.
/// Ids (call_control_id, leg, session) are filled in when empty.
void apply(Call& call, const CallEvent& event);

/// Recomputes status and duration from the event-derived fields.
void derive_status(Call& call);

/// The terminal status a hangup cause gives, given whether the call was answered
/// and who hung up. Exposed for tests and docs.
CallStatus status_for_hangup(std::string_view cause, std::string_view source, bool answered);

/// Whole seconds between two times, floored, never negative.
std::int64_t whole_seconds(TimePoint from, TimePoint to);

}  // namespace callwire
