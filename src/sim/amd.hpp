// callwire — answering machine detection in the simulator (internal).
//
// Which AMD webhooks a far end gives, with which result, for each Telnyx
// `answering_machine_detection` mode. Detection runs on the answered call's
// audio, so every AMD event comes after call.answered; the timeline
// (timeline.hpp) places them and drops those that would come after the end.
#pragma once

#include <optional>
#include <string>

#include "sim/types.hpp"

namespace callwire::sim {

/// What detection reports for one far end.
struct AmdOutcome {
  std::string detection_event;  ///< "call.machine.detection.ended" or ".premium." form
  std::string result;           ///< its `result`
  /// The verdict takes the longer analysis (Timings::amd_machine, else
  /// amd_human): a machine or fax answered, or nobody spoke.
  bool machine = false;
  /// The greeting-ended event after a machine's beep ("call.machine.greeting.ended"
  /// or its premium form, result beep_detected), when the mode reports it.
  std::optional<std::string> greeting_event;
};

/// The outcome for a far end of `scenario` under `mode`; std::nullopt when
/// detection is off or the far end never answers.
std::optional<AmdOutcome> amd_outcome(Scenario scenario, AmdMode mode);

}  // namespace callwire::sim
