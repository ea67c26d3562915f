// callwire — from a call's plan to its webhooks: phase 3 of the plan
// (plan.hpp).
//
// Every planned thing becomes the Telnyx events it causes, in this order
// before a stable sort by time (so events at the same moment keep it): the
// call's call.initiated and call.answered, answering machine detection, speech
// and playback, each transferred leg, the call's call.hangup, and each
// recording's call.recording.saved. Nothing is emitted at or after the call's
// end except what the end itself causes (hangups, the saved recordings, media
// cut with status call_hangup).
#pragma once

#include <string>
#include <vector>

#include "sim/plan.hpp"
#include "sim/types.hpp"

namespace callwire::sim {

/// What the timeline is made from besides the plan.
struct TimelineContext {
  const Dial& dial;
  const Options& options;
  const Ids& ids;
  Scenario scenario;
  SysMicros start;
  const Delays& delay;
};

/// The envelopes of a plan, in delivery order, and its recordings.
struct Timeline {
  std::vector<Envelope> envelopes;
  std::vector<RecordingInfo> recordings;
};

Timeline make_timeline(const Plan& plan, const TimelineContext& ctx);

/// A planned recording as the call ending at `call_end` leaves it: its audio
/// runs from its start to its stop (or the end), minus paused time; saved
/// `saved_after` later.
RecordingInfo recording_info(const PlannedRecording& r, Micros call_end, Micros saved_after, const Options& options,
                             SysMicros start);

}  // namespace callwire::sim
