// What each command does to a simulated call (see command_effects.hpp).
#include "sim/command_effects.hpp"

#include <algorithm>
#include <cstdint>

namespace callwire::sim {

using namespace std::chrono_literals;

std::vector<Micros> effect_times(const std::vector<Command>& commands, const Delays& delay) {
  std::vector<Micros> out;
  out.reserve(commands.size());
  Micros previous{0};
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const Micros own = commands[i].at + delay(delay.timings().command_latency, "c" + std::to_string(i) + "/latency");
    previous = std::max(previous + Micros(1), own);
    out.push_back(previous);
  }
  return out;
}

void apply_commands(Plan& plan, const std::vector<Command>& commands, const CommandContext& ctx) {
  const std::vector<Micros> effects = effect_times(commands, ctx.delay);
  const Timings& T = ctx.delay.timings();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const Command& cmd = commands[i];
    const std::string key = "c" + std::to_string(i);
    const Micros t = effects[i];
    switch (cmd.kind) {
      case CommandKind::hangup: apply_hangup(plan, cmd.at, t, key); break;
      case CommandKind::dtmf: break;  // DTMF goes to the far end; Telnyx sends no webhook for it
      case CommandKind::record_start: apply_record_start(plan, t, key, cmd.a, cmd.b, ctx.delay.random()); break;
      case CommandKind::record_stop: apply_record_stop(plan, cmd.at, t); break;
      case CommandKind::record_pause: apply_record_pause(plan, t); break;
      case CommandKind::record_resume: apply_record_resume(plan, t); break;
      case CommandKind::speak: apply_speak(plan, t, key, cmd.a, T); break;
      case CommandKind::playback_start: apply_playback_start(plan, t, key, cmd.a, T); break;
      case CommandKind::playback_stop: apply_playback_stop(plan, t); break;
      case CommandKind::transfer: apply_transfer(plan, t, key, cmd.a, cmd.b, ctx); break;
    }
  }
}

void apply_hangup(Plan& plan, Micros issued, Micros t, const std::string& key) {
  if (plan.answered && *plan.answered > issued) {
    plan.answered.reset();
    plan.recordings.clear();  // only record-from-answer can exist before the answer
  }
  // Telnyx always reports the call as initiated before it reports the hangup,
  // however early the hangup came.
  plan.end = plan.answered ? End{t, "normal_clearing", "caller", "200", "hangup/" + key}
                           : End{std::max(t, plan.initiated + 1ms), "originator_cancel", "caller", "487", "hangup/" + key};
  plan.end_decided = issued;
}

void apply_record_start(Plan& plan, Micros t, const std::string& key, const std::string& format,
                        const std::string& channels, const KeyedRandom& random) {
  PlannedRecording r;
  r.key = "recording/" + key;
  r.id = random.uuid_v4("recording/" + key);
  r.format = format;
  r.channels = channels;
  r.start = t;
  plan.recordings.push_back(std::move(r));
}

void apply_record_stop(Plan& plan, Micros issued, Micros t) {
  for (auto& r : plan.recordings) {
    if (!r.stop_command) {
      r.stop = t;
      r.stop_command = issued;
    }
  }
}

void apply_record_pause(Plan& plan, Micros t) {
  for (auto& r : plan.recordings) {
    if (!r.stop_command && (r.pauses.empty() || r.pauses.back().second)) r.pauses.emplace_back(t, std::nullopt);
  }
}

void apply_record_resume(Plan& plan, Micros t) {
  for (auto& r : plan.recordings) {
    if (!r.stop_command && !r.pauses.empty() && !r.pauses.back().second) r.pauses.back().second = t;
  }
}

void apply_speak(Plan& plan, Micros t, const std::string& key, const std::string& text, const Timings& timings) {
  Micros start = t;
  for (const auto& m : plan.media) {
    if (m.speak && !m.stop) start = std::max(start, m.natural_end);  // speech is queued
  }
  const auto chars = static_cast<std::int64_t>(text.size());
  const Micros length = std::max<Micros>(1s, timings.speak_per_char * chars);
  plan.media.push_back(PlannedMedia{true, key + "/speak", {}, start, start + length, {}});
}

void apply_playback_start(Plan& plan, Micros t, const std::string& key, const std::string& audio_url,
                          const Timings& timings) {
  apply_playback_stop(plan, t);  // a new playback replaces the current one
  plan.media.push_back(PlannedMedia{false, key + "/playback", audio_url, t, t + timings.playback, {}});
}

void apply_playback_stop(Plan& plan, Micros t) {
  for (auto& m : plan.media) {
    if (!m.speak && !m.stop && m.natural_end > t) m.stop = t;
  }
}

void apply_transfer(Plan& plan, Micros t, const std::string& key, const std::string& to, const std::string& from,
                    const CommandContext& ctx) {
  const Timings& T = ctx.delay.timings();
  const KeyedRandom& random = ctx.delay.random();
  PlannedLeg leg;
  leg.key = key + "/leg";
  leg.to = to;
  leg.from = from.empty() ? ctx.dial.from : from;
  leg.ids.call_control_id = random.call_control_id(leg.key + "/call_control_id");
  leg.ids.call_leg_id = random.uuid_v4(leg.key + "/call_leg_id");
  leg.ids.call_session_id = ctx.ids.call_session_id;  // the same session as the transferred call
  leg.init = t;
  switch (scenario_for(leg.to)) {
    case Scenario::busy:
      leg.fail = End{t + ctx.delay(T.busy, leg.key + "/busy"), "user_busy", "callee", "486", leg.key + "/hangup"};
      break;
    case Scenario::rejected:
      leg.fail = End{t + ctx.delay(T.rejected, leg.key + "/rejected"), "call_rejected", "callee", "603", leg.key + "/hangup"};
      break;
    case Scenario::no_answer:
      leg.fail = End{t + T.transfer_timeout, "timeout", "caller", "487", leg.key + "/hangup"};
      break;
    default:
      leg.answer = t + ctx.delay(T.answer, leg.key + "/answer");
      break;
  }
  plan.legs.push_back(std::move(leg));
}

}  // namespace callwire::sim
