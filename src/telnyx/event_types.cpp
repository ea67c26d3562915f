// The webhook event types Telnyx Call Control sends (see webhook.hpp).
#include <algorithm>
#include <array>

#include "callwire/webhook.hpp"

namespace callwire::telnyx {
namespace {

// From Telnyx's Call Control and conference webhook reference
// (call-control.openapi.json and its examples), sorted for binary search.
constexpr std::array<std::string_view, 47> kEventTypes = {
    "call.answered",
    "call.bridged",
    "call.conversation.ended",
    "call.conversation_insights.generated",
    "call.cost",
    "call.dequeued",
    "call.dtmf.received",
    "call.enqueued",
    "call.fork.started",
    "call.fork.stopped",
    "call.gather.ended",
    "call.hangup",
    "call.initiated",
    "call.machine.detection.ended",
    "call.machine.greeting.ended",
    "call.machine.premium.detection.ended",
    "call.machine.premium.greeting.ended",
    "call.playback.ended",
    "call.playback.started",
    "call.recording.error",
    "call.recording.saved",
    "call.recording.transcription.saved",
    "call.refer.completed",
    "call.refer.failed",
    "call.refer.started",
    "call.siprec.failed",
    "call.siprec.started",
    "call.siprec.stopped",
    "call.speak.ended",
    "call.speak.started",
    "conference.created",
    "conference.ended",
    "conference.floor.changed",
    "conference.participant.joined",
    "conference.participant.left",
    "conference.participant.playback.ended",
    "conference.participant.playback.started",
    "conference.participant.speak.ended",
    "conference.participant.speak.started",
    "conference.playback.ended",
    "conference.playback.started",
    "conference.recording.saved",
    "conference.speak.ended",
    "conference.speak.started",
    "streaming.failed",
    "streaming.started",
    "streaming.stopped",
};

}  // namespace

bool is_known_event_type(std::string_view type) noexcept {
  static_assert(std::is_sorted(kEventTypes.begin(), kEventTypes.end()));
  return std::binary_search(kEventTypes.begin(), kEventTypes.end(), type);
}

std::string_view event_type_label(std::string_view type) noexcept {
  return is_known_event_type(type) ? type : std::string_view("other");
}

}  // namespace callwire::telnyx
