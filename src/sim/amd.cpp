// Answering machine detection in the simulator (see amd.hpp).
#include "sim/amd.hpp"

namespace callwire::sim {

std::string_view to_string(AmdMode m) noexcept {
  switch (m) {
    case AmdMode::disabled: return "disabled";
    case AmdMode::detect: return "detect";
    case AmdMode::detect_beep: return "detect_beep";
    case AmdMode::detect_words: return "detect_words";
    case AmdMode::greeting_end: return "greeting_end";
    case AmdMode::premium: return "premium";
  }
  return "disabled";
}

std::optional<AmdMode> parse_amd_mode(std::string_view s) noexcept {
  for (AmdMode m : {AmdMode::disabled, AmdMode::detect, AmdMode::detect_beep, AmdMode::detect_words,
                    AmdMode::greeting_end, AmdMode::premium}) {
    if (to_string(m) == s) return m;
  }
  return std::nullopt;
}

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
