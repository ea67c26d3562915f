// Answering machine detection in the simulator (see amd.hpp).
#include "sim/amd.hpp"

namespace callwire::sim {

std::optional<AmdOutcome> amd_outcome(Scenario scenario, AmdMode mode) {
  if (mode == AmdMode::disabled) return std::nullopt;
  if (scenario == Scenario::busy || scenario == Scenario::no_answer || scenario == Scenario::rejected) {
    return std::nullopt;
  }
  const bool premium = mode == AmdMode::premium;
  AmdOutcome o;
  o.detection_event = premium ? "call.machine.premium.detection.ended" : "call.machine.detection.ended";
  switch (scenario) {
    case Scenario::machine:
      o.machine = true;
      o.result = "machine";
      // Only an answering machine beeps; `detect` does not report the greeting.
      if (mode != AmdMode::detect) {
        o.greeting_event = premium ? "call.machine.premium.greeting.ended" : "call.machine.greeting.ended";
      }
      break;
    case Scenario::fax:
      // Standard detection knows human, machine and not_sure only.
      o.machine = true;
      o.result = premium ? "fax_detected" : "machine";
      break;
    case Scenario::silence:
      // Nothing to analyse: the verdict comes at the end of the analysis time.
      o.machine = true;
      o.result = premium ? "silence" : "not_sure";
      break;
    case Scenario::business:
      o.result = premium ? "human_business" : "human";
      break;
    default:
      o.result = premium ? "human_residence" : "human";
      break;
  }
  return o;
}

}  // namespace callwire::sim
