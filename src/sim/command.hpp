// callwire — a command the simulator accepted (internal; see simulator.hpp).
//
// SimCall keeps the list of accepted commands and replays it on every rebuild
// of its timeline (command_effects.hpp says what each one does).
#pragma once

#include <string>

#include "sim/types.hpp"

namespace callwire::sim {

enum class CommandKind {
  hangup,
  dtmf,
  record_start,
  record_stop,
  record_pause,
  record_resume,
  transfer,
  speak,
  playback_start,
  playback_stop,
};

/// One accepted command. `at` is when it was issued, in simulated time since
/// the dial; it takes effect a latency later (command_effects.hpp).
struct Command {
  CommandKind kind = CommandKind::dtmf;
  Micros at{0};
  /// The command's arguments: dtmf digits; record_start format, channels;
  /// transfer to, from; speak text, voice, language; playback_start audio URL.
  std::string a, b, c;
};

}  // namespace callwire::sim
