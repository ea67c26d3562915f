// The far end of a simulated call (see far_end.hpp).
#include "sim/far_end.hpp"

#include <algorithm>

namespace callwire::sim {

using namespace std::chrono_literals;

Scenario scenario_for(std::string_view to) noexcept {
  char last[4];
  int n = 0;
  for (auto it = to.rbegin(); it != to.rend() && n < 4; ++it) {
    if (*it >= '0' && *it <= '9') last[3 - n++] = *it;
  }
  if (n < 4) return Scenario::answered;
  const std::string_view tail(last, 4);
  if (tail == "0000") return Scenario::busy;
  if (tail == "0001") return Scenario::no_answer;
  if (tail == "0002") return Scenario::rejected;
  if (tail == "0003") return Scenario::machine;
  if (tail == "0004") return Scenario::callee_hangup;
  if (tail == "0005") return Scenario::silence;
  if (tail == "0006") return Scenario::fax;
  if (tail == "0007") return Scenario::business;
  return Scenario::answered;
}

std::string_view to_string(Scenario s) noexcept {
  switch (s) {
    case Scenario::busy: return "busy";
    case Scenario::no_answer: return "no_answer";
    case Scenario::rejected: return "rejected";
    case Scenario::machine: return "machine";
    case Scenario::callee_hangup: return "callee_hangup";
    case Scenario::silence: return "silence";
    case Scenario::fax: return "fax";
    case Scenario::business: return "business";
    case Scenario::answered: return "answered";
  }
  return "answered";
}

std::string_view to_string(Refusal r) noexcept {
  switch (r) {
    case Refusal::caller_id: return "D35";
    case Refusal::no_outbound_profile: return "D38";
    case Refusal::channel_limit: return "D1";
  }
  return "D35";
}

Plan plan_far_end(const Dial& dial, Scenario scenario, const Options& options, const Delays& delay) {
  const Timings& T = delay.timings();
  const Micros limit = std::chrono::seconds(std::max(dial.time_limit_secs, 1));
  const Micros cap = options.max_call_duration > 0us ? options.max_call_duration : Micros::max() / 2;

  Plan plan;
  plan.initiated = delay(T.initiated, "initiated");
  const Micros initiated = plan.initiated;
  std::optional<Micros>& answered = plan.answered;
  End& end = plan.end;
  if (dial.refusal) {
    // Telnyx's routing refuses the leg before it reaches the far end; the
    // source is the far side of the leg, as for any refused INVITE.
    end = {initiated + delay(T.refused - T.initiated, "refused"), "call_rejected", "callee", "403", "hangup/refused"};
    plan.end_decided = end.at;
    return plan;
  }
  switch (scenario) {
    case Scenario::busy:
      end = {initiated + delay(T.busy - T.initiated, "busy"), "user_busy", "callee", "486", "hangup/busy"};
      break;
    case Scenario::rejected:
      end = {initiated + delay(T.rejected - T.initiated, "rejected"), "call_rejected", "callee", "603", "hangup/rejected"};
      break;
    case Scenario::no_answer:
      end = {std::max<Micros>(std::chrono::seconds(std::max(dial.timeout_secs, 1)), initiated + 1ms), "timeout", "caller",
             "487", "hangup/timeout"};
      break;
    case Scenario::machine:
      answered = initiated + delay(T.machine_answer - T.initiated, "answer");
      end = {*answered + delay(T.machine_greeting, "amd/greeting") + T.machine_message, "normal_clearing", "callee", "200",
             "hangup/machine"};
      break;
    case Scenario::callee_hangup:
      answered = initiated + delay(T.answer - T.initiated, "answer");
      end = {*answered + T.callee_hangup, "normal_clearing", "callee", "200", "hangup/callee"};
      break;
    case Scenario::fax:
      // A fax machine answers like a machine and hangs up when no fax
      // handshake comes (T.30's T1 timer).
      answered = initiated + delay(T.machine_answer - T.initiated, "answer");
      end = {*answered + T.fax_hangup, "normal_clearing", "callee", "200", "hangup/fax"};
      break;
    case Scenario::silence:
    case Scenario::business:
    case Scenario::answered:
      answered = initiated + delay(T.answer - T.initiated, "answer");
      end = {*answered + limit, "time_limit", "caller", "200", "hangup/limit"};
      break;
  }
  if (answered && end.at > *answered + limit) end = {*answered + limit, "time_limit", "caller", "200", "hangup/limit"};
  if (end.at > cap) {
    // Still ringing at the cap: it rang out.
    end = answered && *answered < cap ? End{cap, "time_limit", "caller", "200", "hangup/cap"}
                                      : End{cap, "timeout", "caller", "487", "hangup/cap"};
  }
  if (answered && *answered >= end.at) answered.reset();
  plan.end_decided = end.at;
  return plan;
}

PlannedRecording record_from_answer(const Dial& dial, const Ids& ids, Micros answered) {
  PlannedRecording r;
  r.key = "recording/answer";
  r.id = ids.recording_id;
  r.format = dial.record_format;
  r.channels = dial.record_channels;
  r.start = answered;
  return r;
}

}  // namespace callwire::sim
