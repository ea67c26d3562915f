// callwire — the plan of one simulated call (internal; see simulator.hpp).
//
// A SimCall's timeline is rebuilt from scratch after every command, in three
// phases that each have their own file:
//
//   1. far_end.hpp   — the scenario: when the far end answers and how the call
//                      ends if nobody sends a command;
//   2. command_effects.hpp — each accepted command, in the order sent, moves
//                      the end or adds recordings, speech, playback and legs;
//   3. timeline.hpp  — every planned thing becomes Telnyx webhook envelopes
//                      (payloads.hpp writes their JSON), sorted by time.
//
// Every random value is drawn by key (sim/random.hpp), never from a stream, so
// a rebuild draws the same values and an envelope already delivered never
// changes. The keys are part of the simulator's output: renaming one changes
// the ids and times a seed gives.
//
// Pure values, no I/O; not thread-safe (one SimCall, one thread at a time).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/random.hpp"
#include "sim/types.hpp"

namespace callwire::sim {

/// How a call (or a transferred leg) ends.
struct End {
  Micros at{0};
  std::string cause, source, sip;
  std::string key;  ///< the random key of its envelope ("hangup/busy", "c3/leg/hangup", …)
};

/// A recording: from the answer (record-from-answer) or from record_start.
struct PlannedRecording {
  std::string key, id, format, channels;
  Micros start{0};
  std::optional<Micros> stop;          ///< the end of its audio (record_stop's effect)
  std::optional<Micros> stop_command;  ///< when record_stop was issued
  std::vector<std::pair<Micros, std::optional<Micros>>> pauses;  ///< [pause, resume)
};

/// Speech (speak) or an audio file (playback_start).
struct PlannedMedia {
  bool speak = true;
  std::string key, media_url;
  Micros start{0}, natural_end{0};
  std::optional<Micros> stop;  ///< stopped or replaced before its natural end
};

/// The second leg a transfer dials.
struct PlannedLeg {
  std::string key, to, from;
  Ids ids;
  Micros init{0};
  std::optional<Micros> answer;
  std::optional<End> fail;  ///< busy, rejected or no answer: the new leg ends alone
};

/// When a transferred leg is over: its own failure if that comes before the
/// call's end, else the call's end (the new leg hangs up with the call).
inline Micros leg_end(const PlannedLeg& leg, const End& call_end) {
  if (leg.init < call_end.at && leg.fail && leg.fail->at < call_end.at) return leg.fail->at;
  return call_end.at;
}

/// Everything a call does, in simulated time since the dial.
struct Plan {
  Micros initiated{0};
  std::optional<Micros> answered;
  End end;
  Micros end_decided{0};  ///< when the end became certain (a hangup command's time, else end.at)
  std::vector<PlannedRecording> recordings;
  std::vector<PlannedMedia> media;
  std::vector<PlannedLeg> legs;
};

/// The jittered delays of one call: nominal ± Timings::jitter, drawn by key,
/// never shorter than 1 ms.
class Delays {
 public:
  Delays(const Timings& timings, const KeyedRandom& random) noexcept : timings_(timings), random_(random) {}
  Micros operator()(Micros nominal, const std::string& key) const {
    return std::max<Micros>(nominal + random_.jitter(key, timings_.jitter), Micros(1000));
  }
  const Timings& timings() const noexcept { return timings_; }
  const KeyedRandom& random() const noexcept { return random_; }

 private:
  const Timings& timings_;
  const KeyedRandom& random_;
};

}  // namespace callwire::sim
