// The call simulator (see simulator.hpp and docs/demo-mode.md).
//
// A SimCall keeps the dial, the seed and the list of accepted commands; the
// timeline is rebuilt from them after every command by rebuild(), a small
// discrete-event plan: the scenario fixes when the far end answers and when
// the call ends, then each command (in time order) moves the end, starts or
// stops recordings, speech, playback and transfers; finally every event is
// emitted as a Telnyx envelope and the list is sorted by time. Because every
// random draw is keyed (sim/random.hpp) and a command only affects events
// after its own time, a rebuild never changes an envelope already taken.
#include "sim/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "callwire/json.hpp"
#include "callwire/phone.hpp"
#include "core/base64.hpp"
#include "core/dtmf.hpp"
#include "json/telnyx_api.hpp"

namespace callwire::sim {

using json::telnyx_api::Value;
using namespace std::chrono_literals;

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

// A DTMF string Telnyx accepts: digits, * # A-D, and w/W pauses.
bool has_scheme(std::string_view url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string whole_seconds_string(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

// ---------------------------------------------------------------------------
// Free functions

Scenario scenario_for(std::string_view to) noexcept {
  char last[4];
  int n = 0;
  for (auto it = to.rbegin(); it != to.rend() && n < 4; ++it) {
    if (*it >= '0' && *it <= '9') last[3 - n++] = *it;
  }
  if (n < 4) return Scenario::answered;
  const std::string_view tail(last, 4);
  if (tail == "0000") return Scenario::busy;
  if (tail == "0001") return Scenario::no_answer;
  if (tail == "0002") return Scenario::rejected;
  if (tail == "0003") return Scenario::machine;
  if (tail == "0004") return Scenario::callee_hangup;
  return Scenario::answered;
}

std::string_view to_string(Scenario s) noexcept {
  switch (s) {
    case Scenario::busy: return "busy";
    case Scenario::no_answer: return "no_answer";
    case Scenario::rejected: return "rejected";
    case Scenario::machine: return "machine";
    case Scenario::callee_hangup: return "callee_hangup";
    case Scenario::answered: return "answered";
  }
  return "answered";
}

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

std::string client_state_for(std::string_view call_id) { return base64::encode(call_id); }

std::string format_time_micros(SysMicros t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto us = (t - ms).count();  // 0..999
  std::string s = json::format_time(TimePoint{ms.time_since_epoch()});
  // format_time ends in ".mmmZ": append the microsecond digits before the Z.
  char extra[4];
  std::snprintf(extra, sizeof extra, "%03lld", static_cast<long long>(us));
  s.insert(s.size() - 1, extra);
  return s;
}

std::string with_attempt(std::string_view body, int attempt) {
  auto doc = json::telnyx_api::parse(body);
  if (!doc || !doc->is_object()) return std::string(body);
  Value meta = Value::object();
  if (const Value* old = doc->find("meta"); old != nullptr && old->is_object()) meta = *old;
  meta.set("attempt", attempt);
  doc->set("meta", std::move(meta));
  return json::telnyx_api::encode(*doc);
}

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
  if (end_.at <= at || end_decided_ <= at) return call_ended_error();
  return std::nullopt;
}

std::optional<CommandError> SimCall::check_answered(Micros at, bool recording) const {
  if (auto e = check_alive(at)) return e;
  if (!answered_at_ || *answered_at_ > at) {
    if (recording) {
      return make_error("90020", "Call recording triggered before audio started",
                        "Call recording cannot be started until audio has commenced on the call.");
    }
    return make_error("90034", "Call not answered yet",
                      "This call can't receive this command because it has not been answered yet.");
  }
  return std::nullopt;
}

bool SimCall::recording_active(Micros /*at*/) const {
  return std::any_of(rec_states_.begin(), rec_states_.end(), [](const RecState& r) { return !r.stop_command; });
}

bool SimCall::recording_paused(Micros /*at*/) const {
  return std::any_of(rec_states_.begin(), rec_states_.end(), [](const RecState& r) {
    return !r.stop_command && !r.pauses.empty() && !r.pauses.back().second;
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
  if (recording_active(at)) return {};  // already recording: nothing changes
  return accept(CommandKind::record_start, at, std::string(format), std::string(channels));
}

CommandResult SimCall::record_stop(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  if (!recording_active(at)) return {};
  return accept(CommandKind::record_stop, at);
}

CommandResult SimCall::record_pause(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  if (!recording_active(at) || recording_paused(at)) return {};
  return accept(CommandKind::record_pause, at);
}

CommandResult SimCall::record_resume(Micros now) {
  const Micros at = now_sim(now);
  if (auto e = check_answered(at, false)) return {e};
  if (!recording_paused(at)) return {};
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
  for (const auto& leg : legs_) {
    if (!leg.ended || *leg.ended > at) {
      return {make_error("90033", "Unable to execute command", "A transfer is already in progress on this call.")};
    }
  }
  return accept(CommandKind::transfer, at, std::string(to), std::string(from));
}

CommandResult SimCall::speak(Micros now, std::string_view text, std::string_view voice, std::string_view language) {
  const Micros at = now_sim(now);
  if (text.empty()) return {missing_parameter("payload")};
  if (voice.empty()) return {missing_parameter("voice")};
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
  const bool ended = end_.at <= at;
  v.is_alive = !ended;
  const Micros until = ended ? end_.at : at;
  v.call_duration = std::chrono::duration_cast<std::chrono::seconds>(until).count();
  if (ended) {
    v.state = "hangup";
    v.end_time = start_ + end_.at;
  } else if (answered_at_ && *answered_at_ <= at) {
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
  auto doc = json::telnyx_api::parse(saved.body);
  if (!doc) return env;
  const Value* data = doc->find("data");
  const Value* payload = data != nullptr ? data->find("payload") : nullptr;
  Value p = Value::object();
  for (const char* key : {"call_control_id", "connection_id", "call_leg_id", "call_session_id", "client_state"}) {
    if (payload != nullptr) {
      if (const Value* v = payload->find(key)) p.set(key, *v);
    }
  }
  p.set("reason", std::string(reason));
  Value d = Value::object();
  d.set("record_type", "event");
  d.set("event_type", env.event_type);
  d.set("id", env.event_id);
  d.set("occurred_at", format_time_micros(env.occurred_at));
  d.set("payload", std::move(p));
  Value out = Value::object();
  out.set("data", std::move(d));
  if (const Value* meta = doc->find("meta")) out.set("meta", *meta);
  env.body = json::telnyx_api::encode(out);
  return env;
}

// ---------------------------------------------------------------------------
// The plan

void SimCall::rebuild() {
  const Timings& T = options_.timings;
  auto delay = [&](Micros nominal, const std::string& key) {
    return std::max<Micros>(nominal + random_.jitter(key, T.jitter), 1ms);
  };

  // -- the scenario
  // Telnyx's time_limit_secs counts from the answer; max_call_duration caps
  // the whole call from the dial.
  const Micros limit = std::chrono::seconds(std::max(dial_.time_limit_secs, 1));
  const Micros cap = options_.max_call_duration > 0us ? options_.max_call_duration : Micros::max() / 2;

  const Micros initiated = delay(T.initiated, "initiated");
  std::optional<Micros> answered;
  End end;
  switch (scenario_) {
    case Scenario::busy:
      end = {initiated + delay(T.busy - T.initiated, "busy"), "user_busy", "callee", "486", "hangup/busy"};
      break;
    case Scenario::rejected:
      end = {initiated + delay(T.rejected - T.initiated, "rejected"), "call_rejected", "callee", "603", "hangup/rejected"};
      break;
    case Scenario::no_answer:
      end = {std::max<Micros>(std::chrono::seconds(std::max(dial_.timeout_secs, 1)), initiated + 1ms), "timeout", "caller",
             "487", "hangup/timeout"};
      break;
    case Scenario::machine:
      answered = initiated + delay(T.machine_answer - T.initiated, "answer");
      end = {*answered + delay(T.machine_greeting, "amd/greeting") + T.machine_message, "normal_clearing", "callee", "200",
             "hangup/machine"};
      break;
    case Scenario::callee_hangup:
      answered = initiated + delay(T.answer - T.initiated, "answer");
      end = {*answered + T.callee_hangup, "normal_clearing", "callee", "200", "hangup/callee"};
      break;
    case Scenario::answered:
      answered = initiated + delay(T.answer - T.initiated, "answer");
      end = {*answered + limit, "time_limit", "caller", "200", "hangup/limit"};
      break;
  }
  if (answered && end.at > *answered + limit) end = {*answered + limit, "time_limit", "caller", "200", "hangup/limit"};
  if (end.at > cap) {
    // Still ringing at the cap: it rang out.
    end = answered && *answered < cap ? End{cap, "time_limit", "caller", "200", "hangup/cap"}
                                      : End{cap, "timeout", "caller", "487", "hangup/cap"};
  }
  if (answered && *answered >= end.at) answered.reset();
  Micros end_decided = end.at;

  // -- the commands, in time order
  struct Rec {
    std::string key, id, format, channels;
    Micros start{0};
    std::optional<Micros> stop;
    std::optional<Micros> stop_command;
    std::vector<std::pair<Micros, std::optional<Micros>>> pauses;
  };
  struct Media {
    bool speak = true;
    std::string key, media_url;
    Micros start{0}, natural_end{0};
    std::optional<Micros> stop;
  };
  struct Leg {
    std::string key, to, from;
    Ids ids;
    Micros init{0};
    std::optional<Micros> answer;
    std::optional<End> fail;
  };
  std::vector<Rec> recs;
  std::vector<Media> medias;
  std::vector<Leg> legs;
  if (dial_.record && answered) {
    recs.push_back(Rec{"recording/answer", ids_.recording_id, dial_.record_format, dial_.record_channels, *answered, {}, {}, {}});
  }

  // The carrier carries out one call's commands in the order it got them: a
  // command never takes effect before the one sent ahead of it, however the
  // random latencies fall (else a hangup sent right after record_start could
  // overtake it and the recording would silently vanish).
  Micros previous_effect{0};
  for (std::size_t i = 0; i < commands_.size(); ++i) {
    const Command& cmd = commands_[i];
    const std::string ck = "c" + std::to_string(i);
    const Micros t = std::max(previous_effect + Micros(1), cmd.at + delay(T.command_latency, ck + "/latency"));
    previous_effect = t;
    switch (cmd.kind) {
      case CommandKind::hangup:
        if (answered && *answered > cmd.at) {
          answered.reset();
          recs.clear();  // only record-from-answer can exist before the answer
        }
        // Telnyx always reports the call as initiated before it reports the
        // hangup, however early the hangup came.
        end = answered ? End{t, "normal_clearing", "caller", "200", "hangup/" + ck}
                       : End{std::max(t, initiated + 1ms), "originator_cancel", "caller", "487", "hangup/" + ck};
        end_decided = cmd.at;
        break;
      case CommandKind::dtmf:
        break;  // DTMF goes to the far end; Telnyx sends no webhook for it
      case CommandKind::record_start:
        recs.push_back(Rec{"recording/" + ck, random_.uuid_v4("recording/" + ck), cmd.a, cmd.b, t, {}, {}, {}});
        break;
      case CommandKind::record_stop:
        for (auto& r : recs) {
          if (!r.stop_command) {
            r.stop = t;
            r.stop_command = cmd.at;
          }
        }
        break;
      case CommandKind::record_pause:
        for (auto& r : recs) {
          if (!r.stop_command && (r.pauses.empty() || r.pauses.back().second)) r.pauses.emplace_back(t, std::nullopt);
        }
        break;
      case CommandKind::record_resume:
        for (auto& r : recs) {
          if (!r.stop_command && !r.pauses.empty() && !r.pauses.back().second) r.pauses.back().second = t;
        }
        break;
      case CommandKind::speak: {
        Micros start = t;
        for (const auto& m : medias) {
          if (m.speak && !m.stop) start = std::max(start, m.natural_end);  // speech is queued
        }
        const auto chars = static_cast<std::int64_t>(cmd.a.size());
        const Micros length = std::max<Micros>(1s, T.speak_per_char * chars);
        medias.push_back(Media{true, ck + "/speak", {}, start, start + length, {}});
        break;
      }
      case CommandKind::playback_start:
        for (auto& m : medias) {
          if (!m.speak && !m.stop && m.natural_end > t) m.stop = t;  // a new playback replaces the current one
        }
        medias.push_back(Media{false, ck + "/playback", cmd.a, t, t + T.playback, {}});
        break;
      case CommandKind::playback_stop:
        for (auto& m : medias) {
          if (!m.speak && !m.stop && m.natural_end > t) m.stop = t;
        }
        break;
      case CommandKind::transfer: {
        Leg leg;
        leg.key = ck + "/leg";
        leg.to = cmd.a;
        leg.from = cmd.b.empty() ? dial_.from : cmd.b;
        leg.ids.call_control_id = random_.call_control_id(leg.key + "/call_control_id");
        leg.ids.call_leg_id = random_.uuid_v4(leg.key + "/call_leg_id");
        leg.ids.call_session_id = ids_.call_session_id;  // the same session as the transferred call
        leg.init = t;
        switch (scenario_for(leg.to)) {
          case Scenario::busy:
            leg.fail = End{t + delay(T.busy, leg.key + "/busy"), "user_busy", "callee", "486", leg.key + "/hangup"};
            break;
          case Scenario::rejected:
            leg.fail = End{t + delay(T.rejected, leg.key + "/rejected"), "call_rejected", "callee", "603",
                           leg.key + "/hangup"};
            break;
          case Scenario::no_answer:
            leg.fail = End{t + T.transfer_timeout, "timeout", "caller", "487", leg.key + "/hangup"};
            break;
          default:
            leg.answer = t + delay(T.answer, leg.key + "/answer");
            break;
        }
        legs.push_back(std::move(leg));
        break;
      }
    }
  }

  // -- emit the envelopes
  struct Item {
    Micros at;
    std::string key, type, ccid, recording_id;
    Value payload;
  };
  std::vector<Item> items;
  const Value client_state = dial_.client_state ? Value(*dial_.client_state) : Value(nullptr);
  auto base = [&](const Ids& leg, const Value& cs) {
    Value p = Value::object();
    p.set("call_control_id", leg.call_control_id);
    p.set("connection_id", dial_.connection_id);
    p.set("call_leg_id", leg.call_leg_id);
    p.set("call_session_id", leg.call_session_id);
    p.set("client_state", cs);
    return p;
  };
  auto emit = [&](Micros at, std::string key, std::string type, const Ids& leg, Value payload, std::string rec_id = {}) {
    items.push_back(Item{at, std::move(key), std::move(type), leg.call_control_id, std::move(rec_id), std::move(payload)});
  };
  const std::string start_time = format_time_micros(start_);
  auto quality = [&](const std::string& key, Micros talk) -> Value {
    if (talk <= 0us) return Value(nullptr);
    const std::int64_t packets = talk.count() / 20'000;  // 20 ms packets
    const std::uint64_t r = random_.u64(key + "/quality");
    Value in = Value::object();
    in.set("jitter_max_variance", whole_seconds_string(0.5 + static_cast<double>(r % 300) / 100.0));
    in.set("jitter_packet_count", std::to_string(packets / 50));
    in.set("mos", whole_seconds_string(4.30 + static_cast<double>((r >> 16) % 21) / 100.0));
    in.set("packet_count", std::to_string(packets));
    in.set("skip_packet_count", std::to_string(static_cast<std::int64_t>((r >> 32) % 10)));
    Value out = Value::object();
    out.set("packet_count", std::to_string(packets));
    out.set("skip_packet_count", "0");
    Value q = Value::object();
    q.set("inbound", std::move(in));
    q.set("outbound", std::move(out));
    return q;
  };
  auto hangup_payload = [&](const Ids& leg, const Value& cs, const std::string& from, const std::string& to, const End& e,
                            Micros talk) {
    Value p = base(leg, cs);
    p.set("from", from);
    p.set("to", to);
    p.set("start_time", start_time);
    p.set("state", "hangup");
    p.set("hangup_cause", e.cause);
    p.set("hangup_source", e.source);
    p.set("sip_hangup_cause", e.sip);
    p.set("call_quality_stats", quality(e.key, talk));
    return p;
  };
  auto party = [&](Value p, const std::string& from, const std::string& to) {
    p.set("from", from);
    p.set("to", to);
    return p;
  };

  {
    Value p = party(base(ids_, client_state), dial_.from, dial_.to);
    p.set("direction", "outgoing");
    p.set("state", "bridging");
    p.set("start_time", start_time);
    emit(initiated, "initiated", "call.initiated", ids_, std::move(p));
  }
  if (answered) {
    Value p = party(base(ids_, client_state), dial_.from, dial_.to);
    p.set("start_time", start_time);
    p.set("state", "answered");
    emit(*answered, "answered", "call.answered", ids_, std::move(p));
  }

  // Answering machine detection runs on the answered call's audio.
  if (answered && dial_.amd != AmdMode::disabled) {
    const bool machine = scenario_ == Scenario::machine;
    const bool premium = dial_.amd == AmdMode::premium;
    const Micros detected = *answered + delay(machine ? T.amd_machine : T.amd_human, "amd/detection");
    if (detected < end.at) {
      Value p = party(base(ids_, client_state), dial_.from, dial_.to);
      p.set("result", machine ? "machine" : (premium ? "human_residence" : "human"));
      emit(detected, "amd/detection",
           premium ? "call.machine.premium.detection.ended" : "call.machine.detection.ended", ids_, std::move(p));
    }
    const Micros greeting = *answered + delay(T.machine_greeting, "amd/greeting");
    if (machine && dial_.amd != AmdMode::detect && greeting < end.at) {
      Value p = party(base(ids_, client_state), dial_.from, dial_.to);
      p.set("result", "beep_detected");
      emit(greeting, "amd/greeting", premium ? "call.machine.premium.greeting.ended" : "call.machine.greeting.ended", ids_,
           std::move(p));
    }
  }

  for (const auto& m : medias) {
    if (m.start >= end.at) continue;
    const char* started = m.speak ? "call.speak.started" : "call.playback.started";
    const char* ended = m.speak ? "call.speak.ended" : "call.playback.ended";
    Value p = base(ids_, client_state);
    if (!m.speak) {
      p.set("media_url", m.media_url);
      p.set("overlay", false);
    }
    Value pe = p;
    emit(m.start, m.key + "/started", started, ids_, std::move(p));
    Micros stop = m.natural_end;
    std::string status = "completed";
    if (m.stop && *m.stop < stop) {
      stop = *m.stop;
      status = "cancelled";
    }
    if (end.at <= stop) {
      stop = end.at;
      status = "call_hangup";
    }
    pe.set("status", status);
    emit(stop, m.key + "/ended/" + status, ended, ids_, std::move(pe));
  }

  legs_.clear();
  for (const auto& leg : legs) {
    LegState state{leg.init, end.at};
    if (leg.init >= end.at) {
      legs_.push_back(state);
      continue;
    }
    const Value none(nullptr);
    Value init = party(base(leg.ids, none), leg.from, leg.to);
    init.set("direction", "outgoing");
    init.set("state", "bridging");
    init.set("start_time", format_time_micros(start_ + leg.init));
    emit(leg.init, leg.key + "/initiated", "call.initiated", leg.ids, std::move(init));
    if (leg.fail && leg.fail->at < end.at) {
      emit(leg.fail->at, leg.fail->key, "call.hangup", leg.ids, hangup_payload(leg.ids, none, leg.from, leg.to, *leg.fail, 0us));
      state.ended = leg.fail->at;
    } else if (leg.answer && *leg.answer < end.at) {
      Value ans = party(base(leg.ids, none), leg.from, leg.to);
      ans.set("start_time", format_time_micros(start_ + leg.init));
      ans.set("state", "answered");
      emit(*leg.answer, leg.key + "/answered", "call.answered", leg.ids, std::move(ans));
      emit(*leg.answer, leg.key + "/bridged/a", "call.bridged", ids_, party(base(ids_, client_state), dial_.from, leg.to));
      emit(*leg.answer, leg.key + "/bridged/b", "call.bridged", leg.ids, party(base(leg.ids, none), leg.from, leg.to));
      const End bye{end.at, "normal_clearing", "caller", "200", leg.key + "/hangup/bridged"};
      emit(end.at, bye.key, "call.hangup", leg.ids, hangup_payload(leg.ids, none, leg.from, leg.to, bye, end.at - *leg.answer));
    } else {
      const End cancel{end.at, "originator_cancel", "caller", "487", leg.key + "/hangup/cancel"};
      emit(end.at, cancel.key, "call.hangup", leg.ids, hangup_payload(leg.ids, none, leg.from, leg.to, cancel, 0us));
    }
    legs_.push_back(state);
  }

  emit(end.at, end.key, "call.hangup", ids_,
       hangup_payload(ids_, client_state, dial_.from, dial_.to, end, answered ? end.at - *answered : 0us));

  rec_states_.clear();
  recordings_.clear();
  for (const auto& r : recs) {
    if (r.start >= end.at) continue;
    const Micros stop = r.stop ? std::min(*r.stop, end.at) : end.at;
    Micros paused{0};
    for (const auto& [from, to] : r.pauses) {
      const Micros a = std::clamp(from, r.start, stop);
      const Micros b = std::clamp(to.value_or(stop), r.start, stop);
      paused += b - a;
    }
    RecordingInfo info;
    info.id = r.id;
    info.format = options_.wav_only ? "wav" : r.format;
    info.channels = r.channels;
    info.started_at = start_ + r.start;
    info.ended_at = start_ + stop;
    info.audio = stop - r.start - paused;
    info.saved_at = stop + delay(T.recording_saved, r.key + "/saved");
    info.file_name = r.id + "." + info.format;
    info.url = options_.recording_url_base + "/recordings/" + info.file_name;

    Value urls = Value::object();
    urls.set("mp3", info.format == "mp3" ? Value(info.url) : Value(nullptr));
    urls.set("wav", info.format == "wav" ? Value(info.url) : Value(nullptr));
    Value p = base(ids_, client_state);
    p.set("recording_id", info.id);
    p.set("recording_started_at", format_time_micros(info.started_at));
    p.set("recording_ended_at", format_time_micros(info.ended_at));
    p.set("channels", info.channels);
    p.set("format", info.format);
    p.set("recording_urls", urls);
    p.set("public_recording_urls", urls);
    emit(info.saved_at, r.key + "/saved", "call.recording.saved", ids_, std::move(p), info.id);
    rec_states_.push_back(RecState{r.start, r.stop, r.stop_command, r.pauses});
    recordings_.push_back(std::move(info));
  }

  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.at < b.at; });

  const std::string& delivered_to = dial_.webhook_url.empty() ? options_.delivered_to : dial_.webhook_url;
  std::vector<Envelope> timeline;
  timeline.reserve(items.size());
  for (auto& item : items) {
    Envelope env;
    env.at = item.at;
    env.due = real(item.at);
    env.occurred_at = start_ + item.at;
    env.event_id = random_.uuid_v4("event/" + item.key);
    env.event_type = item.type;
    env.call_control_id = item.ccid;
    env.recording_id = item.recording_id;
    Value data = Value::object();
    data.set("record_type", "event");
    data.set("event_type", env.event_type);
    data.set("id", env.event_id);
    data.set("occurred_at", format_time_micros(env.occurred_at));
    data.set("payload", std::move(item.payload));
    Value meta = Value::object();
    meta.set("attempt", 1);
    meta.set("delivered_to", delivered_to);
    Value doc = Value::object();
    doc.set("data", std::move(data));
    doc.set("meta", std::move(meta));
    env.body = json::telnyx_api::encode(doc);
    timeline.push_back(std::move(env));
  }
  timeline_ = std::move(timeline);
  answered_at_ = answered;
  end_ = end;
  end_decided_ = end_decided;
}

}  // namespace callwire::sim
