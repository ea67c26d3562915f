// DemoCarrier: the simulator on steady_timers (see demo_carrier.hpp).
#include "carrier/demo_carrier.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <system_error>

#include "callwire/phone.hpp"
#include "sim/wav.hpp"

namespace callwire::carrier {

namespace asio = boost::asio;
using namespace std::chrono_literals;

/// One simulated call and its timer (armed for its next envelope).
struct DemoCarrier::Call {
  Call(sim::SimCall s, std::chrono::steady_clock::time_point t0, const asio::strand<asio::any_io_executor>& ex)
      : sim(std::move(s)), started(t0), timer(ex) {}
  sim::SimCall sim;
  std::chrono::steady_clock::time_point started;  // the dial, on the steady clock
  asio::steady_timer timer;
  std::string command_id;  // the dial's, for the duplicate-dial check
  bool finished = false;   // every envelope delivered
};

namespace {

CarrierError closed_error() {
  CarrierError e;
  e.code = errc::closed;
  e.message = "the demo carrier is shut down";
  return e;
}

CarrierError invalid(std::string message) {
  CarrierError e;
  e.code = errc::invalid_argument;
  e.message = std::move(message);
  return e;
}

/// A Telnyx error answer, kept whole as TelnyxCarrier keeps real ones.
CarrierError telnyx_error(const sim::CommandError& c, const std::string& what) {
  CarrierError e;
  e.code = c.http_status == 404 ? errc::not_found : errc::carrier;
  e.http_status = c.http_status;
  e.telnyx_code = c.code;
  e.title = c.title;
  e.detail = c.detail;
  e.source_pointer = c.source_pointer;
  e.message = "demo carrier " + what + ": HTTP " + std::to_string(c.http_status) + " " + c.code + " " + c.title + ": " +
              c.detail + (c.source_pointer.empty() ? "" : " (" + c.source_pointer + ")");
  return e;
}

sim::CommandError invalid_call_control_id() {
  return {422, "90015", "Invalid Call Control ID", "The call_control_id provided was not valid.", "/call_control_id"};
}

sim::CommandError not_found() {
  return {404, "10005", "Resource not found", "The requested resource or URL could not be found.", {}};
}

sim::SysMicros now_sys() {
  return std::chrono::time_point_cast<sim::Micros>(std::chrono::system_clock::now());
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a
/// reader never sees half a file.
bool write_file(const std::filesystem::path& path, const std::string& bytes, std::string& why) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    why = "cannot create " + path.parent_path().string() + ": " + ec.message();
    return false;
  }
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      why = "cannot write " + tmp;
      std::filesystem::remove(tmp, ec);
      return false;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    why = "cannot rename " + tmp + ": " + ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<DemoCarrier> DemoCarrier::create(asio::any_io_executor executor, WebhookSink sink, DemoOptions options) {
  if (!(options.speed > 0) || !std::isfinite(options.speed)) {
    throw Error(errc::invalid_argument, "demo carrier: speed must be a positive number");
  }
  if (!sink) throw Error(errc::invalid_argument, "demo carrier: a webhook sink is required");
  return std::shared_ptr<DemoCarrier>(new DemoCarrier(std::move(executor), std::move(sink), std::move(options)));
}

DemoCarrier::DemoCarrier(asio::any_io_executor executor, WebhookSink sink, DemoOptions options)
    : strand_(asio::make_strand(std::move(executor))),
      sink_(std::move(sink)),
      options_(std::move(options)),
      rng_(options_.seed ? sim::Rng(*options_.seed) : sim::Rng::from_entropy()) {
  sim_options_.speed = options_.speed;
  sim_options_.timings = options_.timings;
  sim_options_.delivered_to = options_.delivered_to;
  sim_options_.recording_url_base = options_.recording_url_base;
  sim_options_.wav_only = true;
  sim_options_.max_call_duration = options_.max_call_duration;
}

DemoCarrier::~DemoCarrier() = default;

template <class T, class Body>
void DemoCarrier::run(Handler<T> done, Body body) {
  if (closed_) {
    asio::post(strand_, [done = std::move(done)] { done(CarrierResult<T>::fail(closed_error())); });
    return;
  }
  asio::post(strand_, [self = shared_from_this(), done = std::move(done), body = std::move(body)]() mutable {
    if (self->closed_) return done(CarrierResult<T>::fail(closed_error()));
    body(std::move(done));
  });
}

DemoCarrier::Call* DemoCarrier::find(const std::string& call_control_id) {
  auto it = calls_.find(call_control_id);
  return it == calls_.end() ? nullptr : it->second.get();
}

sim::Micros DemoCarrier::elapsed(const Call& call) const {
  return std::chrono::duration_cast<sim::Micros>(std::chrono::steady_clock::now() - call.started);
}

void DemoCarrier::dial(const DialRequest& req, Handler<DialResult> done) {
  run<DialResult>(std::move(done), [this, req](Handler<DialResult> reply) {
    auto fail = [&](const sim::CommandError& e) { reply(CarrierResult<DialResult>::fail(telnyx_error(e, "dial"))); };
    if (req.to.empty()) return fail({422, "10004", "Missing required parameter", "The 'to' parameter is required and cannot be blank.", "/to"});
    if (!is_e164(req.to)) return fail({422, "10016", "Phone number must be in +E164 format", "The 'to' parameter must be in E164 format.", "/to"});
    if (req.from.empty()) return fail({422, "10004", "Missing required parameter", "The 'from' parameter is required and cannot be blank.", "/from"});
    if (!is_e164(req.from)) return fail({422, "10016", "Phone number must be in +E164 format", "The 'from' parameter must be in E164 format.", "/from"});
    if (req.timeout_secs < 5 || req.timeout_secs > 600) {
      return fail({422, "10033", "Value outside of range", "The value is outside of allowed range 5 to 600", "/timeout_secs"});
    }
    if (req.time_limit_secs < 30 || req.time_limit_secs > 14400) {
      return fail({422, "10033", "Value outside of range", "The value is outside of allowed range 30 to 14400", "/time_limit_secs"});
    }
    // Telnyx ignores a second dial with the same command_id for 60 s (of
    // simulated time): answer with the call the first one placed. A later
    // repeat places a new call, as at Telnyx.
    if (!req.command_id.empty()) {
      if (auto it = dial_commands_.find(req.command_id); it != dial_commands_.end()) {
        Call* call = find(it->second);
        if (call != nullptr && call->sim.simulated(elapsed(*call)) < sim::Micros(sim::kCommandIdWindow)) {
          const auto& ids = call->sim.ids();
          return reply(CarrierResult<DialResult>::ok({ids.call_control_id, ids.call_leg_id, ids.call_session_id}));
        }
      }
    }

    sim::Dial d;
    d.to = req.to;
    d.from = req.from;
    d.connection_id = req.connection_id.empty() ? options_.connection_id : req.connection_id;
    if (!req.call_id.empty()) d.client_state = sim::client_state_for(req.call_id);
    d.webhook_url = req.webhook_url;
    d.record = req.record;
    d.record_format = "wav";
    if (!req.record_channels.empty()) d.record_channels = req.record_channels;
    d.amd = req.answering_machine_detection;
    d.timeout_secs = req.timeout_secs;
    d.time_limit_secs = req.time_limit_secs;

    auto call = std::make_unique<Call>(sim::SimCall(std::move(d), sim_options_, now_sys(), rng_.next()),
                                       std::chrono::steady_clock::now(), strand_);
    const auto ids = call->sim.ids();
    call->command_id = req.command_id;
    Call& ref = *call;
    calls_.emplace(ids.call_control_id, std::move(call));
    if (!req.command_id.empty()) dial_commands_[req.command_id] = ids.call_control_id;
    ++in_flight_;
    reply(CarrierResult<DialResult>::ok({ids.call_control_id, ids.call_leg_id, ids.call_session_id}));
    arm(ref);
  });
}

void DemoCarrier::command(const ActionRequest& req, const char* what, Handler<Unit> done, Command cmd, bool ended_ok) {
  if (req.call_control_id.empty()) {
    asio::post(strand_, [done = std::move(done), w = std::string(what)] {
      done(CarrierResult<Unit>::fail(invalid(w + ": call_control_id is empty")));
    });
    return;
  }
  run<Unit>(std::move(done), [this, id = req.call_control_id, w = std::string(what), cmd = std::move(cmd),
                              ended_ok](Handler<Unit> reply) {
    Call* call = find(id);
    if (call == nullptr) return reply(CarrierResult<Unit>::fail(telnyx_error(invalid_call_control_id(), w)));
    const sim::CommandResult r = cmd(call->sim, elapsed(*call));
    if (!r && !(ended_ok && r.error->code == "90018")) {
      return reply(CarrierResult<Unit>::fail(telnyx_error(*r.error, w)));
    }
    reply(CarrierResult<Unit>::ok({}));
    if (!call->finished) arm(*call);
  });
}

void DemoCarrier::hangup(const ActionRequest& req, Handler<Unit> done) {
  command(req, "hangup", std::move(done), [](sim::SimCall& c, sim::Micros now) { return c.hangup(now); }, true);
}

void DemoCarrier::send_dtmf(const ActionRequest& req, const std::string& digits, Handler<Unit> done) {
  command(req, "send_dtmf", std::move(done),
          [digits](sim::SimCall& c, sim::Micros now) { return c.send_dtmf(now, digits); });
}

void DemoCarrier::record_start(const ActionRequest& req, const std::string& format, const std::string& channels,
                               Handler<Unit> done) {
  command(req, "record_start", std::move(done), [format, channels](sim::SimCall& c, sim::Micros now) {
    return c.record_start(now, format, channels);
  });
}

void DemoCarrier::record_stop(const ActionRequest& req, Handler<Unit> done) {
  command(req, "record_stop", std::move(done), [](sim::SimCall& c, sim::Micros now) { return c.record_stop(now); });
}

void DemoCarrier::record_pause(const ActionRequest& req, Handler<Unit> done) {
  command(req, "record_pause", std::move(done), [](sim::SimCall& c, sim::Micros now) { return c.record_pause(now); });
}

void DemoCarrier::record_resume(const ActionRequest& req, Handler<Unit> done) {
  command(req, "record_resume", std::move(done), [](sim::SimCall& c, sim::Micros now) { return c.record_resume(now); });
}

void DemoCarrier::transfer(const ActionRequest& req, const std::string& to, const std::string& from,
                           Handler<Unit> done) {
  command(req, "transfer", std::move(done),
          [to, from](sim::SimCall& c, sim::Micros now) { return c.transfer(now, to, from); });
}

void DemoCarrier::speak(const ActionRequest& req, const Speech& speech, Handler<Unit> done) {
  command(req, "speak", std::move(done), [speech](sim::SimCall& c, sim::Micros now) {
    return c.speak(now, speech.text, speech.voice, speech.language, speech.service_level);
  });
}

void DemoCarrier::playback_start(const ActionRequest& req, const std::string& audio_url, Handler<Unit> done) {
  command(req, "playback_start", std::move(done),
          [audio_url](sim::SimCall& c, sim::Micros now) { return c.playback_start(now, audio_url); });
}

void DemoCarrier::playback_stop(const ActionRequest& req, Handler<Unit> done) {
  command(req, "playback_stop", std::move(done), [](sim::SimCall& c, sim::Micros now) { return c.playback_stop(now); });
}

void DemoCarrier::call_status(const std::string& call_control_id, Handler<CallStatusResult> done) {
  run<CallStatusResult>(std::move(done), [this, call_control_id](Handler<CallStatusResult> reply) {
    Call* call = find(call_control_id);
    if (call == nullptr) return reply(CarrierResult<CallStatusResult>::fail(telnyx_error(not_found(), "call_status")));
    const sim::StatusView v = call->sim.status(elapsed(*call));
    reply(CarrierResult<CallStatusResult>::ok({v.is_alive, v.call_duration, v.state}));
  });
}

void DemoCarrier::recording(const std::string& recording_id, Handler<RecordingResult> done) {
  run<RecordingResult>(std::move(done), [this, recording_id](Handler<RecordingResult> reply) {
    auto it = recordings_.find(recording_id);
    if (it == recordings_.end()) return reply(CarrierResult<RecordingResult>::fail(telnyx_error(not_found(), "recording")));
    reply(CarrierResult<RecordingResult>::ok(it->second));
  });
}

void DemoCarrier::delete_recording(const std::string& recording_id, Handler<Unit> done) {
  run<Unit>(std::move(done), [this, recording_id](Handler<Unit> reply) {
    if (recordings_.erase(recording_id) == 0) return reply(CarrierResult<Unit>::fail(telnyx_error(not_found(), "delete recording")));
    reply(CarrierResult<Unit>::ok(Unit{}));
  });
}

void DemoCarrier::active_calls(const std::string& connection_id, Handler<std::vector<ActiveCall>> done) {
  run<std::vector<ActiveCall>>(std::move(done), [this, connection_id](Handler<std::vector<ActiveCall>> reply) {
    std::vector<ActiveCall> out;
    for (const auto& [id, call] : calls_) {
      if (call->sim.dial().connection_id != connection_id) continue;
      const sim::StatusView v = call->sim.status(elapsed(*call));
      if (!v.is_alive) continue;
      const auto& ids = call->sim.ids();
      out.push_back(ActiveCall{ids.call_control_id, ids.call_leg_id, ids.call_session_id,
                               call->sim.dial().client_state.value_or(""), v.call_duration});
    }
    reply(CarrierResult<std::vector<ActiveCall>>::ok(std::move(out)));
  });
}

void DemoCarrier::shutdown() {
  if (closed_.exchange(true)) return;
  // Cancel on the strand; the timers' handlers then see operation_aborted.
  asio::post(strand_, [self = shared_from_this()] {
    for (auto& [id, call] : self->calls_) call->timer.cancel();
    self->calls_.clear();
    self->dial_commands_.clear();
    self->finished_.clear();
    self->in_flight_ = 0;
  });
}

void DemoCarrier::arm(Call& call) {
  const auto next = call.sim.next_due();
  if (!next) return retire(call);
  call.timer.expires_at(call.started + *next);
  call.timer.async_wait([weak = weak_from_this(), id = call.sim.ids().call_control_id](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;
    if (auto self = weak.lock()) self->on_timer(id);
  });
}

void DemoCarrier::on_timer(const std::string& call_control_id) {
  if (closed_) return;
  Call* call = find(call_control_id);
  if (call == nullptr || call->finished) return;
  for (auto& env : call->sim.take_due(elapsed(*call))) {
    deliver(*call, std::move(env));
    if (closed_) return;  // the sink shut the carrier down
  }
  arm(*call);
}

void DemoCarrier::deliver(Call& call, sim::Envelope env) {
  if (env.event_type == "call.recording.saved") {
    if (auto info = call.sim.recording(env.recording_id)) {
      std::string why;
      bool ok = true;
      if (!options_.recordings_dir.empty()) {
        const auto audio = std::clamp<sim::Micros>(info->audio, 1s, options_.max_recording_audio);
        ok = write_file(options_.recordings_dir / info->file_name,
                        sim::make_wav(std::chrono::duration_cast<std::chrono::milliseconds>(audio), sim::kWavSampleRate,
                                      info->channels == "dual" ? 2 : 1),
                        why);
      }
      if (ok) {
        recordings_[info->id] = RecordingResult{
            info->id, info->url, info->format,
            std::chrono::duration_cast<std::chrono::seconds>(info->audio + 500ms).count()};
      } else {
        env = call.sim.recording_error(env, "Internal server error");
      }
    }
  }
  try {
    sink_(std::move(env.body));
  } catch (...) {
    // The sink must not throw; one that does must not stop the simulation.
  }
}

void DemoCarrier::retire(Call& call) {
  if (call.finished) return;
  call.finished = true;
  if (in_flight_ > 0) --in_flight_;
  finished_.push_back(call.sim.ids().call_control_id);
  while (finished_.size() > options_.max_finished_calls) {
    if (auto it = calls_.find(finished_.front()); it != calls_.end()) {
      // Forget its command_id, unless a later repeat placed a newer call with it.
      if (auto d = dial_commands_.find(it->second->command_id); d != dial_commands_.end() && d->second == it->first) {
        dial_commands_.erase(d);
      }
      calls_.erase(it);
    }
    finished_.pop_front();
  }
}

}  // namespace callwire::carrier
