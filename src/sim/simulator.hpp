// callwire — the call simulator (internal; docs/demo-mode.md).
//
// Produces the Telnyx Call Control v2 webhook envelopes a real outbound call
// would produce — the exact JSON bytes Telnyx POSTs, with realistic ids and
// occurred_at times — from a dial, a scenario chosen by the destination's
// last four digits, and the commands issued while the call runs.
//
// Pure: no I/O, no clocks, no threads. The caller supplies the call's start
// (wall-clock time of the dial) and, for every query or command, `now`: the
// real time elapsed since the dial, as measured by the caller's own steady
// clock. The simulated call runs `Options::speed` times faster than real time:
// an event `at` 5 s of simulated time is `due` 50 ms after the dial at speed
// 100, and its occurred_at is start + 5 s (so the durations a client computes
// are the simulated ones).
//
// Determinism: everything random (ids, jitter) is drawn from (seed, key) —
// see sim/random.hpp — so the same dial, seed and commands give byte-identical
// envelopes. A command at time `now` only changes events after `now`: events
// already due are never rewritten.
//
// Users: DemoCarrier (src/carrier/) runs SimCalls on timers; the fake Telnyx
// server of the tests runs them to post webhooks over HTTP. simulate() is the
// one-shot form (a call nobody sends commands to).
//
// Thread safety: a SimCall is a plain value; use one from one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/command.hpp"
#include "sim/plan.hpp"
#include "sim/random.hpp"
#include "sim/types.hpp"

namespace callwire::sim {

/// One simulated call. Construct it at the dial; ask take_due() for the
/// envelopes that are due, and call the command methods as commands arrive.
/// `now` is always the real time since the dial; it never goes backwards (a
/// smaller value than before is treated as the previous one).
class SimCall {
 public:
  SimCall(Dial dial, Options options, SysMicros start, std::uint64_t seed);

  const Dial& dial() const noexcept { return dial_; }
  const Options& options() const noexcept { return options_; }
  Scenario scenario() const noexcept { return scenario_; }
  const Ids& ids() const noexcept { return ids_; }
  SysMicros start() const noexcept { return start_; }

  /// Every envelope planned so far, delivered or not, in delivery order.
  /// Events after the last command's time may still change.
  const std::vector<Envelope>& timeline() const noexcept { return timeline_; }
  /// `due` of the first envelope not yet taken; std::nullopt when all were.
  std::optional<Micros> next_due() const;
  /// The envelopes with due ≤ now not yet taken, in order; marks them taken.
  std::vector<Envelope> take_due(Micros now);
  /// True once every envelope has been taken: the call has ended and nothing
  /// more will come.
  bool done() const noexcept { return taken_ == timeline_.size(); }

  /// Commands (the Call Control actions). Each takes effect at `now`; the
  /// events it causes come command_latency later. Parameters are checked
  /// first (10004/10015/10016), then the call's state: 90018 once the call
  /// has ended, 90034 (90020 for record_start) before it is answered.
  CommandResult hangup(Micros now);
  CommandResult send_dtmf(Micros now, std::string_view digits);
  CommandResult record_start(Micros now, std::string_view format, std::string_view channels);
  CommandResult record_stop(Micros now);
  CommandResult record_pause(Micros now);
  CommandResult record_resume(Micros now);
  CommandResult transfer(Micros now, std::string_view to, std::string_view from);
  /// `service_level` as sent ("" is Telnyx's default, premium): the basic
  /// voices male and female are refused at premium, and basic speaks en-US
  /// only, as the spec says.
  CommandResult speak(Micros now, std::string_view text, std::string_view voice, std::string_view language,
                      std::string_view service_level);
  CommandResult playback_start(Micros now, std::string_view audio_url);
  CommandResult playback_stop(Micros now);

  StatusView status(Micros now) const;
  /// Every recording planned so far (a recording is final once its
  /// call.recording.saved has been taken).
  std::vector<RecordingInfo> recordings() const { return recordings_; }
  std::optional<RecordingInfo> recording(std::string_view recording_id) const;

  /// A call.recording.error envelope that replaces `saved` (a
  /// call.recording.saved of this call) when its audio could not be stored:
  /// same time and ids, `reason` as Telnyx words it ("Internal server error").
  Envelope recording_error(const Envelope& saved, std::string_view reason) const;

  /// Simulated time for a real time since the dial.
  Micros simulated(Micros real) const noexcept;
  /// Real time since the dial for a simulated time.
  Micros real(Micros simulated) const noexcept;

 private:
  Micros now_sim(Micros now);
  CommandResult accept(CommandKind kind, Micros at, std::string a = {}, std::string b = {}, std::string c = {});
  std::optional<CommandError> check_alive(Micros at) const;
  std::optional<CommandError> check_answered(Micros at, bool recording) const;
  bool recording_active() const;
  bool recording_paused() const;
  /// Re-plans the whole call from the dial, the scenario and commands_
  /// (plan.hpp) and re-emits its timeline; envelopes already taken come out
  /// the same.
  void rebuild();

  Dial dial_;
  Options options_;
  SysMicros start_;
  KeyedRandom random_;
  Scenario scenario_;
  Ids ids_;

  std::vector<Command> commands_;
  Micros last_now_{0};  // simulated; commands and take_due never go back in time

  // Derived by rebuild() from the dial, the scenario and commands_.
  Plan plan_;
  std::vector<Envelope> timeline_;
  std::size_t taken_ = 0;
  std::vector<RecordingInfo> recordings_;  // the planned recordings that have audio (start before the end)
};

/// The whole call when nobody sends commands: every envelope, in order.
std::vector<Envelope> simulate(const Dial& dial, const Options& options, SysMicros start, std::uint64_t seed);

}  // namespace callwire::sim
