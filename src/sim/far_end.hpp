// callwire — the far end of a simulated call: phase 1 of the plan (plan.hpp).
//
// The scenario (the destination's last four digits) decides whether and when
// the far end answers and how the call ends when nobody sends a command. The
// dial's time_limit_secs counts from the answer, as Telnyx counts it;
// Options::max_call_duration caps the whole call from the dial. A dial that
// Telnyx refuses itself (Dial::refusal) never reaches the far end.
#pragma once

#include "sim/plan.hpp"
#include "sim/types.hpp"

namespace callwire::sim {

/// call.initiated, the answer (when the far end answers) and the end, with no
/// commands: the plan the commands then change.
Plan plan_far_end(const Dial& dial, Scenario scenario, const Options& options, const Delays& delay);

/// The recording a dial with record = true makes from the answer.
PlannedRecording record_from_answer(const Dial& dial, const Ids& ids, Micros answered);

}  // namespace callwire::sim
