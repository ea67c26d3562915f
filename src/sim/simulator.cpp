// The call simulator (see simulator.hpp and docs/demo-mode.md).
//
// A SimCall keeps the dial, the seed and the list of accepted commands, checks
// each new command the way Telnyx does (parameters first, then the call's
// state), and after every accepted command rebuilds its timeline from scratch
// in the three phases of plan.hpp: far_end.cpp plans the scenario,
// command_effects.cpp applies the commands in the order sent, timeline.cpp
// turns the plan into envelopes. Because every random draw is keyed
// (sim/random.hpp) and a command only affects events after its own time, a
// rebuild never changes an envelope already taken.
#include "sim/simulator.hpp"

#include <algorithm>
#include <cmath>

#include "callwire/phone.hpp"
#include "core/base64.hpp"
#include "core/dtmf.hpp"
#include "core/media.hpp"
#include "sim/command_effects.hpp"
#include "sim/far_end.hpp"
#include "sim/payloads.hpp"
#include "sim/timeline.hpp"

namespace callwire::sim {

namespace {

CommandError make_error(std::string code, std::string title, std::string detail, std::string pointer = {}) {
  return CommandError{422, std::move(code), std::move(title), std::move(detail), std::move(pointer)};
}

CommandError call_ended_error() {
  return make_error("90018", "Call has already ended", "This call is no longer active and can't receive commands.");
}

CommandError missing_parameter(std::string_view name) {
  return make_error("10004", "Missing required parameter",
                    "The '" + std::string(name) + "' parameter is required and cannot be blank.", "/" + std::string(name));
}

bool has_scheme(std::string_view url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

// ---------------------------------------------------------------------------
// Free functions

std::string client_state_for(std::string_view call_id) { return base64::encode(call_id); }

std::vector<Envelope> simulate(const Dial& dial, const Options& options, SysMicros start, std::uint64_t seed) {
  return SimCall(dial, options, start, seed).timeline();
}

// ---------------------------------------------------------------------------
// SimCall

SimCall::SimCall(Dial dial, Options options, SysMicros start, std::uint64_t seed)
    : dial_(std::move(dial)), options_(std::move(options)), start_(start), random_(seed) {
  if (!(options_.speed >= 0.001)) options_.speed = 0.001;  // also catches NaN
  scenario_ = scenario_for(dial_.to);
  ids_.call_control_id = random_.call_control_id("call_control_id");
  ids_.call_leg_id = random_.uuid_v4("call_leg_id");
  ids_.call_session_id = random_.uuid_v4("call_session_id");
  if (dial_.record) ids_.recording_id = random_.uuid_v4("recording/answer");
  rebuild();
}

Micros SimCall::simulated(Micros real) const noexcept {
  return Micros{static_cast<std::int64_t>(std::floor(static_cast<double>(real.count()) * options_.speed))};
}

Micros SimCall::real(Micros simulated) const noexcept {
  return Micros{static_cast<std::int64_t>(std::ceil(static_cast<double>(simulated.count()) / options_.speed))};
}

Micros SimCall::now_sim(Micros now) {
  last_now_ = std::max(last_now_, simulated(now));
  return last_now_;
}

std::optional<Micros> SimCall::next_due() const {
  if (taken_ >= timeline_.size()) return std::nullopt;
  return timeline_[taken_].due;
}

std::vector<Envelope> SimCall::take_due(Micros now) {
  std::vector<Envelope> out;
  now_sim(now);
  while (taken_ < timeline_.size() && timeline_[taken_].due <= now) {
    // Commands after this point are at or after every envelope taken.
    last_now_ = std::max(last_now_, timeline_[taken_].at);
    out.push_back(timeline_[taken_++]);
  }
  return out;
}

std::optional<CommandError> SimCall::check_alive(Micros at) const {
  // A hangup command decides the end at its own time, even though its
  // call.hangup comes command_latency later.
  if (plan_.end.at <= at || plan_.end_decided <= at) return call_ended_error();
  return std::nullopt;
}

std::optional<CommandError> SimCall::check_answered(Micros at, bool recording) const {
  if (auto e = check_alive(at)) return e;
  if (!plan_.answered || *plan_.answered > at) {
    if (recording) {
      return make_error("90020", "Call recording triggered before audio started",
                        "Call recording cannot be started until audio has commenced on the call.");
    }
    return make_error("90034", "Call not answered yet",
                      "This call can't receive this command because it has not been answered yet.");
  }
  return std::nullopt;
}

// Only recordings that started before the end have audio; the others never
// happen.
bool SimCall::recording_active() const {
  return std::any_of(plan_.recordings.begin(), plan_.recordings.end(), [this](const PlannedRecording& r) {
    return r.start < plan_.end.at && !r.stop_command;
  });
}

bool SimCall::recording_paused() const {
  return std::any_of(plan_.recordings.begin(), plan_.recordings.end(), [this](const PlannedRecording& r) {
    return r.start < plan_.end.at && !r.stop_command && !r.pauses.empty() && !r.pauses.back().second;
  });
}

CommandResult SimCall::accept(CommandKind kind, Micros at, std::string a, std::string b, std::string c) {
  commands_.push_back(Command{kind, at, std::move(a), std::move(b), std::move(c)});
  rebuild();
  return {};
}

CommandResult SimCall::hangup(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_alive(at)) return {e};
  return accept(CommandKind::hangup, at);
}

CommandResult SimCall::send_dtmf(Micros now, std::string_view digits) {
  const Micros at = now_sim(now);
  if (digits.empty()) return {missing_parameter("digits")};
  if (!is_valid_dtmf(digits)) {
    return {make_error("10015", "Bad Request", "Invalid characters in the request: digits may only hold 0-9, *, #, A-D and w/W.",
                       "/digits")};
  }
  if (auto e = check_answered(at, false)) return {e};
  return accept(CommandKind::dtmf, at, std::string(digits));
}

CommandResult SimCall::record_start(Micros now, std::string_view format, std::string_view channels) {
  const Micros at = now_sim(now);
  if (format != "mp3" && format != "wav") {
    return {make_error("10032", "Invalid enumerated value", "The value must be one of: mp3, wav.", "/format")};
  }
  if (channels != "single" && channels != "dual") {
    return {make_error("10032", "Invalid enumerated value", "The value must be one of: dual, single.", "/channels")};
  }
  if (auto e = check_answered(at, true)) return {e};
  if (recording_active()) return {};  // already recording: nothing changes
  return accept(CommandKind::record_start, at, std::string(format), std::string(channels));
}

CommandResult SimCall::record_stop(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  if (!recording_active()) return {};
  return accept(CommandKind::record_stop, at);
}

CommandResult SimCall::record_pause(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  if (!recording_active() || recording_paused()) return {};
  return accept(CommandKind::record_pause, at);
}

CommandResult SimCall::record_resume(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  if (!recording_paused()) return {};
  return accept(CommandKind::record_resume, at);
}

CommandResult SimCall::transfer(Micros now, std::string_view to, std::string_view from) {
  const Micros at = now_sim(now);
  if (to.empty()) return {missing_parameter("to")};
  if (!is_e164(to)) {
    return {make_error("10016", "Phone number must be in +E164 format", "The 'to' parameter must be in E164 format.", "/to")};
  }
  if (!from.empty() && !is_e164(from)) {
    return {make_error("10016", "Phone number must be in +E164 format", "The 'from' parameter must be in E164 format.",
                       "/from")};
  }
  if (auto e = check_answered(at, false)) return {e};
  for (const auto& leg : plan_.legs) {
    if (leg_end(leg, plan_.end) > at) {
      return {make_error("90033", "Unable to execute command", "A transfer is already in progress on this call.")};
    }
  }
  return accept(CommandKind::transfer, at, std::string(to), std::string(from));
}

CommandResult SimCall::speak(Micros now, std::string_view text, std::string_view voice, std::string_view language,
                             std::string_view service_level) {
  const Micros at = now_sim(now);
  if (text.empty()) return {missing_parameter("payload")};
  if (voice.empty()) return {missing_parameter("voice")};
  const bool basic = service_level == "basic";
  if (!basic && service_level != "premium" && !service_level.empty()) {
    return {make_error("10032", "Invalid enumerated value", "The value must be one of: basic, premium.",
                       "/service_level")};
  }
  if (media_detail::is_gender_voice(voice) && !basic) {
    return {make_error("10015", "Bad Request",
                       "The voice '" + std::string(voice) + "' is only available with service_level basic.", "/voice")};
  }
  if (basic && !language.empty() && language != "en-US") {
    return {make_error("10015", "Bad Request", "Only the en-US language is allowed with service_level basic.",
                       "/language")};
  }
  if (auto e = check_answered(at, false)) return {e};
  return accept(CommandKind::speak, at, std::string(text), std::string(voice), std::string(language));
}

CommandResult SimCall::playback_start(Micros now, std::string_view audio_url) {
  const Micros at = now_sim(now);
  if (audio_url.empty()) return {missing_parameter("audio_url")};
  if (!has_scheme(audio_url)) {
    return {make_error("10015", "Bad Request", "audio_url must be an http:// or https:// URL.", "/audio_url")};
  }
  if (auto e = check_answered(at, false)) return {e};
  return accept(CommandKind::playback_start, at, std::string(audio_url));
}

CommandResult SimCall::playback_stop(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  return accept(CommandKind::playback_stop, at);
}

StatusView SimCall::status(Micros now) const {
  const Micros at = std::max(last_now_, simulated(now));
  StatusView v;
  v.start_time = start_;
  const bool ended = plan_.end.at <= at;
  v.is_alive = !ended;
  const Micros until = ended ? plan_.end.at : at;
  v.call_duration = std::chrono::duration_cast<std::chrono::seconds>(until).count();
  if (ended) {
    v.state = "hangup";
    v.end_time = start_ + plan_.end.at;
  } else if (plan_.answered && *plan_.answered <= at) {
    v.state = "answered";
  } else {
    v.state = "bridging";
  }
  return v;
}

std::optional<RecordingInfo> SimCall::recording(std::string_view recording_id) const {
  for (const auto& r : recordings_) {
    if (r.id == recording_id) return r;
  }
  return std::nullopt;
}

Envelope SimCall::recording_error(const Envelope& saved, std::string_view reason) const {
  Envelope env = saved;
  env.event_type = "call.recording.error";
  env.event_id = random_.uuid_v4("event/error/" + saved.event_id);
  env.body = recording_error_body(saved.body, env.event_id, env.occurred_at, reason);
  return env;
}

// ---------------------------------------------------------------------------
// The plan

void SimCall::rebuild() {
  const Delays delay(options_.timings, random_);
  Plan plan = plan_far_end(dial_, scenario_, options_, delay);
  if (dial_.record && plan.answered) plan.recordings.push_back(record_from_answer(dial_, ids_, *plan.answered));
  apply_commands(plan, commands_, CommandContext{dial_, ids_, delay});
  Timeline timeline = make_timeline(plan, TimelineContext{dial_, options_, ids_, scenario_, start_, delay});
  timeline_ = std::move(timeline.envelopes);
  recordings_ = std::move(timeline.recordings);
  plan_ = std::move(plan);
}

}  // namespace callwire::sim
