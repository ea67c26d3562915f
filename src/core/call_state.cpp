// The order-free call state machine (see callwire/call_state.hpp).
//
// Every field apply() touches is merged with a commutative, idempotent rule
// (earliest time, smallest tuple, smallest non-empty id), and the status is
// recomputed from the merged fields — never from the previous status — so
// the result depends only on the set of events seen.
#include "callwire/call_state.hpp"

#include <tuple>
#include <utility>

namespace callwire {
namespace {

constexpr std::string_view kCauseDialFailed = "dial_failed";
constexpr std::string_view kCauseReconcileTimeout = "reconciled_timeout";

// Keeps the earliest of two optional times.
void merge_earliest(std::optional<TimePoint>& slot, TimePoint t) {
  if (!slot || t < *slot) slot = t;
}

// Keeps the smallest non-empty string, so any order of ids gives the same one.
void merge_id(std::string& slot, const std::string& value) {
  if (value.empty()) return;
  if (slot.empty() || value < slot) slot = value;
}

bool is_machine_detection(std::string_view type) {
  return type == "call.machine.detection.ended" || type == "call.machine.premium.detection.ended";
}

bool is_machine_greeting(std::string_view type) {
  return type == "call.machine.greeting.ended" || type == "call.machine.premium.greeting.ended";
}

// How telling a greeting's result is: a beep says the most (leave the
// message now), then an end heard as silence, then a premium "no beep",
// then not_sure; a result callwire does not know ranks below them all.
int greeting_rank(std::string_view result) {
  if (result == "beep_detected") return 4;
  if (result == "ended") return 3;
  if (result == "no_beep_detected") return 2;
  if (result == "not_sure") return 1;
  return 0;
}

// Keeps the most telling result, ties broken by the text, so any order of
// greeting events gives the same one (Telnyx sends one per call; a
// redelivery or a standard and a premium one must not depend on order).
void merge_greeting(std::string& slot, const std::string& result) {
  if (result.empty()) return;
  if (std::make_pair(greeting_rank(result), std::string_view(result)) >
      std::make_pair(greeting_rank(slot), std::string_view(slot))) {
    slot = result;
  }
}

// Events after which no recording of the call is running: the call ended
// (whoever decided it), or a recording was saved (record_stop, or the end).
bool ends_recording(std::string_view type) {
  return type == "call.hangup" || type == "call.recording.saved" || type == "call.recording.error" ||
         type == kEventDialFailed || type == kEventDialCanceled || type == kEventReconciled;
}

// The sentence of a call.recording.error: Telnyx's reason (the spec's enum:
// "Internal server error", "Unsupported backend", custom storage credentials
// refused or malformed) after what it means.
std::string recording_error_for(std::string_view reason) {
  if (reason.empty()) return "Telnyx could not save the recording (it gave no reason)";
  return "Telnyx could not save the recording: " + std::string(reason);
}

// A call dialled with record-from-answer records from its answer until an
// event ends that recording: a call.answered sets the flag only while none
// has been seen (the merged fields say so), and each such event clears it.
// So the flag is true exactly when the set holds an answer and no such
// event, whatever their order.
bool records_from_answer_now(const Call& call) {
  return call.record_from_answer && call.answered_at && !call.ended_at && !call.recording_id &&
         call.recording_error.empty();
}

// An end callwire decided (a failed dial request, the reconciler), not one
// the carrier reported: the reconciler's ends have hangup_source "callwire".
bool decided_by_callwire(std::string_view cause, std::string_view source) {
  return cause == kCauseDialFailed || cause == kCauseReconcileTimeout || source == kHangupSourceCallwire;
}

// A normal_clearing before answer that the caller did not send (the callee
// hung up while it rang, or Telnyx does not say who): the carrier gives no
// reason, so one is derived — from the merged fields, in derive_status, as
// whether the call was answered may be learnt after the hangup. These
// sentences never come from an event, so the stored reason of the end can be
// told from them (raw_reason) and the merge stays a join.
constexpr std::string_view kReasonCalleeClearedBeforeAnswer = "the callee hung up before answering";
constexpr std::string_view kReasonClearedBeforeAnswer = "the call was cleared before it was answered";

bool is_derived_reason(std::string_view reason) {
  return reason == kReasonCalleeClearedBeforeAnswer || reason == kReasonClearedBeforeAnswer;
}

// The reason the end's event gave (what merge_end compares).
std::string_view raw_reason(const Call& call) {
  return is_derived_reason(call.failure_reason) ? std::string_view{} : std::string_view(call.failure_reason);
}

std::string_view derived_reason(const Call& call, bool answered) {
  if (!call.ended_at || answered || call.hangup_cause != "normal_clearing" || call.hangup_source == "caller") return {};
  return call.hangup_source == "callee" ? kReasonCalleeClearedBeforeAnswer : kReasonClearedBeforeAnswer;
}

// The end of a call is the smallest (decided by callwire, time, cause,
// source, reason) tuple among its terminal events: the carrier's own end
// beats any callwire inferred, whatever their times (a call.hangup that
// arrives after the reconciler gave up on it still says how the call ended).
void merge_end(Call& call, TimePoint at, const std::string& cause, const std::string& source,
               const std::string& reason) {
  const bool inferred = decided_by_callwire(cause, source);
  if (call.ended_at &&
      std::make_tuple(decided_by_callwire(call.hangup_cause, call.hangup_source), *call.ended_at,
                      std::string_view(call.hangup_cause), std::string_view(call.hangup_source), raw_reason(call)) <=
          std::make_tuple(inferred, at, std::string_view(cause), std::string_view(source), std::string_view(reason))) {
    return;
  }
  call.ended_at = at;
  call.hangup_cause = cause;
  call.hangup_source = source;
  call.failure_reason = reason;
}

std::string reason_for(std::string_view cause, std::string_view sip_cause) {
  if (cause == "call_rejected") {
    // Telnyx reports its own refusals (a 403 from its policy: the outbound
    // voice profile, the caller ID, a blocked destination) with the same
    // cause as the callee's: the SIP code tells them apart.
    if (sip_cause == "403") {
      return "Telnyx refused the call (SIP 403): check the outbound voice profile, the caller ID and the destination";
    }
    if (sip_cause == "603") return "the far end declined the call (SIP 603)";
    if (!sip_cause.empty()) return "the far end rejected the call (SIP " + std::string(sip_cause) + ")";
    return "the far end rejected the call";
  }
  if (cause == "not_found") return "the number was not found";
  if (cause == "unspecified") return "the carrier ended the call without a cause";
  // Ends that are not failures: a completed call (time_limit: the call's own
  // time limit ran out) or the status says it all (busy, no answer, canceled).
  if (cause.empty() || cause == "normal_clearing" || cause == "originator_cancel" || cause == "user_busy" ||
      cause == "timeout" || cause == "no_answer" || cause == "time_limit") {
    return {};
  }
  std::string r = "hangup cause " + std::string(cause);
  if (!sip_cause.empty()) r += " (SIP " + std::string(sip_cause) + ")";
  return r;
}

}  // namespace

std::int64_t whole_seconds(TimePoint from, TimePoint to) {
  if (to <= from) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

CallStatus status_for_hangup(std::string_view cause, std::string_view source, bool answered) {
  if (cause == kCauseDialFailed || cause == kCauseReconcileTimeout) return CallStatus::failed;
  if (answered) return CallStatus::completed;
  if (cause == "user_busy") return CallStatus::busy;
  if (cause == "timeout" || cause == "no_answer") return CallStatus::no_answer;
  if (cause == "originator_cancel") return CallStatus::canceled;
  if (cause == "normal_clearing" && source == "caller") return CallStatus::canceled;
  return CallStatus::failed;  // call_rejected, not_found, unspecified, anything unknown
}

void derive_status(Call& call) {
  const bool answered = call.answered_at.has_value();
  if (call.ended_at) {
    call.status = status_for_hangup(call.hangup_cause, call.hangup_source, answered);
  } else if (answered) {
    call.status = CallStatus::active;
  } else if (call.ringing_at) {
    call.status = CallStatus::ringing;
  } else {
    call.status = CallStatus::dialing;
  }
  call.duration = (answered && call.ended_at) ? whole_seconds(*call.answered_at, *call.ended_at) : 0;
  if (raw_reason(call).empty()) call.failure_reason = std::string(derived_reason(call, answered));
}

void apply(Call& call, const CallEvent& e) {
  const std::string_view type = e.event_type;
  const bool known = type == "call.initiated" || type == "call.answered" || type == "call.hangup" ||
                     type == "call.recording.saved" || type == "call.recording.error" || is_machine_detection(type) ||
                     is_machine_greeting(type) ||
                     type == kEventDialFailed || type == kEventReconciled || type == kEventDialCanceled;
  if (!known) return;

  merge_id(call.call_control_id, e.call_control_id);
  merge_id(call.call_leg_id, e.call_leg_id);
  merge_id(call.call_session_id, e.call_session_id);
  merge_id(call.connection_id, e.connection_id);

  if (type == "call.initiated") {
    merge_earliest(call.ringing_at, e.occurred_at);
  } else if (type == "call.answered") {
    merge_earliest(call.answered_at, e.occurred_at);
  } else if (type == "call.hangup") {
    merge_end(call, e.occurred_at, e.hangup_cause, e.hangup_source, reason_for(e.hangup_cause, e.sip_hangup_cause));
  } else if (type == kEventDialFailed) {
    merge_end(call, e.occurred_at, std::string(kCauseDialFailed), {}, e.result);
  } else if (type == kEventDialCanceled) {
    merge_end(call, e.occurred_at, "originator_cancel", std::string(kHangupSourceCallwire), {});
  } else if (type == kEventReconciled) {
    // The reconciler says how the call ended when the carrier knew
    // (hangup_cause set), else it ends the call as failed with its reason.
    const std::string cause = e.hangup_cause.empty() ? std::string(kCauseReconcileTimeout) : e.hangup_cause;
    merge_end(call, e.occurred_at, cause, e.hangup_source, e.result);
  } else if (is_machine_detection(type)) {
    if (e.result > call.machine_detection) call.machine_detection = e.result;
  } else if (is_machine_greeting(type)) {
    merge_greeting(call.machine_greeting, e.result);
  } else if (type == "call.recording.saved") {
    const std::string& rid = e.recording_id.empty() ? e.id : e.recording_id;
    if (!call.recording_id || rid < *call.recording_id) call.recording_id = rid;
  } else if (type == "call.recording.error") {
    merge_id(call.recording_error, recording_error_for(e.result));  // the smallest sentence of several
  }
  if (ends_recording(type)) {
    call.recording = false;
  } else if (type == "call.answered" && records_from_answer_now(call)) {
    call.recording = true;
  }
  derive_status(call);
}

}  // namespace callwire
