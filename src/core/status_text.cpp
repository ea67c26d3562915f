// A Call's status as one sentence (see callwire/status_text.hpp).
#include "callwire/status_text.hpp"

#include <cctype>

#include "callwire/call_state.hpp"

namespace callwire {
namespace {

// "Failed: <reason>." — the reason as the state machine or the carrier
// worded it (lower case, no full stop), or the raw cause when there is none.
std::string failed_text(const Call& call) {
  std::string reason = call.failure_reason;
  if (reason.empty() && !call.hangup_cause.empty()) reason = "hangup cause " + call.hangup_cause;
  while (!reason.empty() && (reason.back() == '.' || std::isspace(static_cast<unsigned char>(reason.back())))) {
    reason.pop_back();
  }
  if (reason.empty()) return "Failed.";
  return "Failed: " + reason + ".";
}

std::string completed_text(const Call& call) {
  if (call.hangup_cause == "time_limit") return "Completed: the call reached its time limit.";
  if (call.hangup_source == "caller") return "Completed: you hung up.";
  if (call.hangup_source == "callee") return "Completed: the other party hung up.";
  if (call.hangup_source == kHangupSourceCallwire) {
    return "Completed: the carrier no longer knows the call; it ended when it was last heard of.";
  }
  return "Completed.";
}

}  // namespace

std::string status_text(const Call& call) {
  switch (call.status) {
    case CallStatus::dialing: return "Dialing.";
    case CallStatus::ringing: return "Ringing.";
    case CallStatus::active: return call.on_hold ? "Connected, on hold." : "Connected.";
    case CallStatus::completed: return completed_text(call);
    case CallStatus::busy: return "The line was busy.";
    case CallStatus::no_answer: return "No one answered.";
    case CallStatus::canceled:
      return call.hangup_source == kHangupSourceCallwire ? "Canceled before it was placed."
                                                         : "Canceled before it was answered.";
    case CallStatus::failed: return failed_text(call);
  }
  return "Unknown status.";
}

}  // namespace callwire
