// From a call's plan to its webhooks (see timeline.hpp).
#include "sim/timeline.hpp"

#include <algorithm>
#include <cmath>

#include "sim/amd.hpp"
#include "sim/payloads.hpp"

namespace callwire::sim {

namespace {

/// One webhook before it is wrapped: when, its random key, type, leg and payload.
struct Item {
  Micros at;
  std::string key, type, ccid, recording_id;
  Value payload;
};

/// Emits the items of one plan; each emit_* function is one kind of event.
class Emitter {
 public:
  Emitter(const Plan& plan, const TimelineContext& ctx)
      : plan_(plan),
        ctx_(ctx),
        client_state_(ctx.dial.client_state ? Value(*ctx.dial.client_state) : Value(nullptr)),
        start_time_(format_time_micros(ctx.start)) {}

  void emit_call() {
    {
      Value p = call_party();
      p.set("direction", "outgoing");
      p.set("state", "bridging");
      p.set("start_time", start_time_);
      emit(plan_.initiated, "initiated", "call.initiated", ctx_.ids, std::move(p));
    }
    if (plan_.answered) {
      Value p = call_party();
      p.set("start_time", start_time_);
      p.set("state", "answered");
      emit(*plan_.answered, "answered", "call.answered", ctx_.ids, std::move(p));
    }
  }

  // Answering machine detection runs on the answered call's audio.
  void emit_machine_detection() {
    if (!plan_.answered) return;
    const auto outcome = amd_outcome(ctx_.scenario, ctx_.dial.amd);
    if (!outcome) return;
    const Timings& T = ctx_.delay.timings();
    const Micros detected = *plan_.answered + ctx_.delay(outcome->machine ? T.amd_machine : T.amd_human, "amd/detection");
    if (detected < plan_.end.at) {
      Value p = call_party();
      p.set("result", outcome->result);
      emit(detected, "amd/detection", outcome->detection_event, ctx_.ids, std::move(p));
    }
    const Micros greeting = *plan_.answered + ctx_.delay(T.machine_greeting, "amd/greeting");
    if (outcome->greeting_event && greeting < plan_.end.at) {
      Value p = call_party();
      p.set("result", "beep_detected");
      emit(greeting, "amd/greeting", *outcome->greeting_event, ctx_.ids, std::move(p));
    }
  }

  void emit_media() {
    for (const auto& m : plan_.media) {
      if (m.start >= plan_.end.at) continue;
      const char* started = m.speak ? "call.speak.started" : "call.playback.started";
      const char* ended = m.speak ? "call.speak.ended" : "call.playback.ended";
      Value p = call_base(ctx_.ids, ctx_.dial.connection_id, client_state_);
      if (!m.speak) {
        p.set("media_url", m.media_url);
        p.set("overlay", false);
      }
      Value pe = p;
      emit(m.start, m.key + "/started", started, ctx_.ids, std::move(p));
      Micros stop = m.natural_end;
      std::string status = "completed";
      if (m.stop && *m.stop < stop) {
        stop = *m.stop;
        status = "cancelled";
      }
      if (plan_.end.at <= stop) {
        stop = plan_.end.at;
        status = "call_hangup";
      }
      pe.set("status", status);
      emit(stop, m.key + "/ended/" + status, ended, ctx_.ids, std::move(pe));
    }
  }

  // A transferred leg: client_state null, its own call_control_id, the call's
  // session; it hangs up with the call unless it failed first.
  void emit_legs() {
    const Value none(nullptr);
    const End& end = plan_.end;
    for (const auto& leg : plan_.legs) {
      if (leg.init >= end.at) continue;
      const std::string leg_start = format_time_micros(ctx_.start + leg.init);
      auto base = [&] { return call_base(leg.ids, ctx_.dial.connection_id, none); };
      Value init = with_parties(base(), leg.from, leg.to);
      init.set("direction", "outgoing");
      init.set("state", "bridging");
      init.set("start_time", leg_start);
      emit(leg.init, leg.key + "/initiated", "call.initiated", leg.ids, std::move(init));
      if (leg.fail && leg.fail->at < end.at) {
        emit(leg.fail->at, leg.fail->key, "call.hangup", leg.ids,
             hangup(base(), leg.from, leg.to, leg_start, *leg.fail, Micros(0)));
      } else if (leg.answer && *leg.answer < end.at) {
        Value ans = with_parties(base(), leg.from, leg.to);
        ans.set("start_time", leg_start);
        ans.set("state", "answered");
        emit(*leg.answer, leg.key + "/answered", "call.answered", leg.ids, std::move(ans));
        emit(*leg.answer, leg.key + "/bridged/a", "call.bridged", ctx_.ids,
             with_parties(call_base(ctx_.ids, ctx_.dial.connection_id, client_state_), ctx_.dial.from, leg.to));
        emit(*leg.answer, leg.key + "/bridged/b", "call.bridged", leg.ids, with_parties(base(), leg.from, leg.to));
        const End bye{end.at, "normal_clearing", "caller", "200", leg.key + "/hangup/bridged"};
        emit(end.at, bye.key, "call.hangup", leg.ids,
             hangup(base(), leg.from, leg.to, leg_start, bye, end.at - *leg.answer));
      } else {
        const End cancel{end.at, "originator_cancel", "caller", "487", leg.key + "/hangup/cancel"};
        emit(end.at, cancel.key, "call.hangup", leg.ids, hangup(base(), leg.from, leg.to, leg_start, cancel, Micros(0)));
      }
    }
  }

  void emit_hangup() {
    const End& end = plan_.end;
    emit(end.at, end.key, "call.hangup", ctx_.ids,
         hangup(call_base(ctx_.ids, ctx_.dial.connection_id, client_state_), ctx_.dial.from, ctx_.dial.to, start_time_,
                end, plan_.answered ? end.at - *plan_.answered : Micros(0)));
  }

  void emit_recordings(std::vector<RecordingInfo>& out) {
    for (const auto& r : plan_.recordings) {
      if (r.start >= plan_.end.at) continue;
      const Micros saved_after = ctx_.delay(ctx_.delay.timings().recording_saved, r.key + "/saved");
      RecordingInfo info = recording_info(r, plan_.end.at, saved_after, ctx_.options, ctx_.start);
      const Value urls = recording_urls(info.format, info.url);
      Value p = call_base(ctx_.ids, ctx_.dial.connection_id, client_state_);
      p.set("recording_id", info.id);
      p.set("recording_started_at", format_time_micros(info.started_at));
      p.set("recording_ended_at", format_time_micros(info.ended_at));
      p.set("channels", info.channels);
      p.set("format", info.format);
      p.set("recording_urls", urls);
      p.set("public_recording_urls", ctx_.options.public_recording_urls ? urls : Value::object());
      emit(info.saved_at, r.key + "/saved", "call.recording.saved", ctx_.ids, std::move(p), info.id);
      out.push_back(std::move(info));
    }
  }

  std::vector<Envelope> envelopes() {
    std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) { return a.at < b.at; });
    const std::string& delivered_to = ctx_.dial.webhook_url.empty() ? ctx_.options.delivered_to : ctx_.dial.webhook_url;
    const double speed = ctx_.options.speed;
    std::vector<Envelope> out;
    out.reserve(items_.size());
    for (auto& item : items_) {
      Envelope env;
      env.at = item.at;
      env.due = Micros{static_cast<std::int64_t>(std::ceil(static_cast<double>(item.at.count()) / speed))};
      env.occurred_at = ctx_.start + item.at;
      env.event_id = ctx_.delay.random().uuid_v4("event/" + item.key);
      env.event_type = item.type;
      env.call_control_id = item.ccid;
      env.recording_id = item.recording_id;
      env.body = envelope_body(env.event_type, env.event_id, env.occurred_at, std::move(item.payload), delivered_to);
      out.push_back(std::move(env));
    }
    return out;
  }

 private:
  Value call_party() const {
    return with_parties(call_base(ctx_.ids, ctx_.dial.connection_id, client_state_), ctx_.dial.from, ctx_.dial.to);
  }

  Value hangup(Value base, const std::string& from, const std::string& to, const std::string& start_time, const End& e,
               Micros talk) const {
    return hangup_payload(std::move(base), from, to, start_time, format_time_micros(ctx_.start + e.at), e,
                          call_quality_stats(ctx_.delay.random(), e.key, talk));
  }

  void emit(Micros at, std::string key, std::string type, const Ids& leg, Value payload, std::string rec_id = {}) {
    items_.push_back(Item{at, std::move(key), std::move(type), leg.call_control_id, std::move(rec_id), std::move(payload)});
  }

  const Plan& plan_;
  const TimelineContext& ctx_;
  const Value client_state_;
  const std::string start_time_;
  std::vector<Item> items_;
};

}  // namespace

RecordingInfo recording_info(const PlannedRecording& r, Micros call_end, Micros saved_after, const Options& options,
                             SysMicros start) {
  const Micros stop = r.stop ? std::min(*r.stop, call_end) : call_end;
  Micros paused{0};
  for (const auto& [from, to] : r.pauses) {
    const Micros a = std::clamp(from, r.start, stop);
    const Micros b = std::clamp(to.value_or(stop), r.start, stop);
    paused += b - a;
  }
  RecordingInfo info;
  info.id = r.id;
  info.format = options.wav_only ? "wav" : r.format;
  info.channels = r.channels;
  info.started_at = start + r.start;
  info.ended_at = start + stop;
  info.audio = stop - r.start - paused;
  info.saved_at = stop + saved_after;
  info.file_name = r.id + "." + info.format;
  info.url = options.recording_url_base + "/recordings/" + info.file_name;
  return info;
}

Timeline make_timeline(const Plan& plan, const TimelineContext& ctx) {
  Emitter e(plan, ctx);
  Timeline t;
  e.emit_call();
  e.emit_machine_detection();
  e.emit_media();
  e.emit_legs();
  e.emit_hangup();
  e.emit_recordings(t.recordings);
  t.envelopes = e.envelopes();
  return t;
}

}  // namespace callwire::sim
