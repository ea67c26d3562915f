// CallControls: carrier commands on live calls (see call_controls.hpp).
#include "client/call_controls.hpp"

#include "callwire/call_state.hpp"
#include "callwire/error.hpp"
#include "callwire/phone.hpp"
#include "client/carrier_wait.hpp"
#include "client/client_state.hpp"
#include "core/dtmf.hpp"
#include "core/uuid.hpp"
#include "support/log.hpp"

namespace callwire::client {

namespace {

carrier::ActionRequest action(const Call& c) {
  carrier::ActionRequest a;
  a.call_control_id = c.call_control_id;
  a.command_id = new_uuid_v4();
  return a;
}

}  // namespace

CallControls::CallControls(LogStore& logs, CallTracker& tracker, CarrierSelector& carriers, ClientCounters& counters,
                           Dialer& dialer, PendingHangups& pending, std::chrono::milliseconds hangup_wait)
    : logs_(logs),
      tracker_(tracker),
      carriers_(carriers),
      counters_(counters),
      dialer_(dialer),
      pending_(pending),
      hangup_wait_(hangup_wait) {}

Call CallControls::hangup(std::string_view call_id) {
  const std::string id(call_id);
  Call c = logs_.get(id);
  if (is_terminal(c.status)) return c;
  const auto ended = [](const Call& x) { return is_terminal(x.status); };
  if (c.call_control_id.empty()) {
    if (dialer_.withdraw(c) == carrier::DialPhase::queued) return logs_.get(id);  // never placed: canceled
    // Sent, or its answer lost: hung up once the carrier names the call.
    // Registered first, then read again, so an id that arrived in between
    // is not missed: whoever takes the entry sends the hangup.
    pending_.add(id);
    c = tracker_.wait_for(id, hangup_wait_, [](const Call& x) { return !x.call_control_id.empty() || is_terminal(x.status); });
    if (is_terminal(c.status)) {
      pending_.take(id);
      return c;
    }
    if (c.call_control_id.empty()) return c;  // still unknown: stays pending
    if (!pending_.take(id)) return tracker_.wait_for(id, hangup_wait_, ended);  // the commit hook sent it
  }
  auto r = wait_for_carrier<carrier::Unit>([&](auto done) { carriers_.carrier_for(c)->hangup(action(c), std::move(done)); });
  if (!r && carrier::carrier_forgot_call(r.error)) {
    // Over at the carrier, and its call.hangup never reached us (or the
    // process that simulated it stopped): it has ended, so say so.
    tracker_.end_inferred(c, c.updated_at,
                          c.demo ? std::string(kDemoCallOrphaned) : "the carrier no longer knows the call: it had already ended");
    return logs_.get(id);
  }
  if (!r) {
    ++counters_.carrier_errors;
    throw_carrier(r.error, "hangup");
  }
  return tracker_.wait_for(id, hangup_wait_, ended);
}

void CallControls::send_pending_hangup(const Call& c) {
  carriers_.carrier_for(c)->hangup(action(c), [this, call_id = c.call_id](carrier::CarrierResult<carrier::Unit> r) {
    if (r) return;
    ++counters_.carrier_errors;
    log::write(log::Level::warn, "client", "the hangup requested for call " + call_id + " while it was dialing failed: " +
                                               r.error.message);
  });
}

Call CallControls::send_dtmf(std::string_view call_id, std::string_view digits) {
  if (!is_valid_dtmf(digits)) throw Error(errc::invalid_argument, "digits: " + std::string(kDtmfRule));
  Call c = live_call(call_id, "send DTMF");
  command(c, "send_dtmf", [&](auto done) { carriers_.carrier_for(c)->send_dtmf(action(c), std::string(digits), std::move(done)); });
  return logs_.get(call_id);
}

Call CallControls::set_recording(std::string_view call_id, bool on) {
  Call c = live_call(call_id, on ? "start recording" : "stop recording");
  if (c.status != CallStatus::active) {
    throw Error(errc::conflict, "the call is not answered yet: recording starts once it is active");
  }
  if (on) {
    const std::string channels = carriers_.settings().recording_channels;
    command(c, "record_start", [&](auto done) { carriers_.carrier_for(c)->record_start(action(c), "wav", channels, std::move(done)); });
  } else {
    command(c, "record_stop", [&](auto done) { carriers_.carrier_for(c)->record_stop(action(c), std::move(done)); });
  }
  return tracker_.update(std::string(call_id), [on](Call& x) {
    x.recording = on;
    x.recording_paused = false;  // a new recording starts unpaused; a stopped one is not paused
  });
}

Call CallControls::transfer(std::string_view call_id, std::string_view to) {
  const std::string target = normalize_e164(to, "to_number");
  Call c = live_call(call_id, "transfer");
  command(c, "transfer", [&](auto done) {
    auto a = action(c);
    a.target_leg_client_state = transfer_leg_client_state(c.call_id);
    carriers_.carrier_for(c)->transfer(a, target, c.from_number, std::move(done));
  });
  return logs_.get(call_id);
}

Call CallControls::set_muted(std::string_view call_id, bool muted) {
  live_call(call_id, muted ? "mute" : "unmute");
  return tracker_.update(std::string(call_id), [muted](Call& c) { c.muted = muted; });
}

Call CallControls::set_on_hold(std::string_view call_id, bool on_hold) {
  live_call(call_id, on_hold ? "hold" : "resume");
  return tracker_.update(std::string(call_id), [on_hold](Call& c) { c.on_hold = on_hold; });
}

Recording CallControls::refresh_recording(std::string_view recording_id) {
  Recording r = logs_.get_recording(recording_id);
  const auto call = logs_.find(r.call_id);
  if (r.telnyx_recording_id.empty() || (call && call->demo)) return r;  // a local file: never expires
  auto carrier = carriers_.live();
  if (!carrier) {
    throw Error(errc::unavailable, "cannot refresh recording " + r.id + ": no Telnyx API key is configured");
  }
  auto fresh = wait_for_carrier<carrier::RecordingResult>(
      [&](auto done) { carrier->recording(r.telnyx_recording_id, std::move(done)); });
  if (!fresh) {
    ++counters_.carrier_errors;
    throw_carrier(fresh.error, "refresh recording");
  }
  const Recording before = r;
  r.url = fresh.value->url;
  if (!fresh.value->format.empty()) r.format = fresh.value->format;
  if (fresh.value->duration_secs > 0) r.duration = fresh.value->duration_secs;
  if (r.url != before.url || r.format != before.format || r.duration != before.duration) logs_.update_recording(r);
  return r;
}

namespace {

// What a client is told when Telnyx did not delete a recording: what
// happened, that the recording is kept, and what to do. Telnyx's own error
// text goes to the log.
std::string delete_refused(const carrier::CarrierError& e) {
  if (e.http_status == 0) {
    return "Telnyx could not be reached to delete the recording, so it is kept here; delete it again later.";
  }
  const std::string status = "HTTP " + std::to_string(e.http_status) + (e.title.empty() ? "" : " " + e.title);
  if (e.http_status >= 500 || e.http_status == 429) {
    return "Telnyx could not delete the recording now (" + status + "), so it is kept here; delete it again later.";
  }
  if (e.http_status == 401 || e.http_status == 403) {
    return "Telnyx refused to delete the recording (" + status +
           "), so it is kept here; check the Telnyx API key and delete it again.";
  }
  return "Telnyx refused to delete the recording (" + status + "), so it is kept here.";
}

}  // namespace

Recording CallControls::remove_recording(std::string_view recording_id) {
  Recording r = logs_.get_recording(recording_id);
  const auto call = logs_.find(r.call_id);
  if (!r.telnyx_recording_id.empty()) {
    // At the carrier first, so that nothing stays there once it is gone
    // here. A demo recording is the demo carrier's (local: it forgets it).
    std::shared_ptr<carrier::Carrier> carrier = call && call->demo ? carriers_.carrier_for(*call) : carriers_.live();
    if (!carrier) {
      throw Error(errc::unavailable, "Recording " + r.id +
                                         " is stored at Telnyx and no Telnyx API key is configured to delete it there, "
                                         "so it is kept here.");
    }
    auto gone = wait_for_carrier<carrier::Unit>(
        [&](auto done) { carrier->delete_recording(r.telnyx_recording_id, std::move(done)); });
    if (!gone && gone.error.http_status != 404 && gone.error.code != errc::not_found) {
      ++counters_.carrier_errors;
      const std::string why = delete_refused(gone.error);
      log::write(log::Level::warn, "client",
                 "recording " + r.id + " (Telnyx " + r.telnyx_recording_id + ") was not deleted at the carrier: " +
                     gone.error.message + "; kept and marked");
      if (r.remote_delete_error != why) {
        Recording marked = r;
        marked.remote_delete_error = why;
        try {
          logs_.update_recording(marked);
        } catch (const Error& e) {  // e.g. deleted meanwhile: the refusal is still the answer
          log::write(log::Level::warn, "client", "marking recording " + r.id + " failed: " + e.what());
        }
      }
      throw CarrierError(gone.error.code, why, gone.error.http_status, gone.error.telnyx_code, gone.error.title,
                         gone.error.detail);
    }
    if (!gone) {
      log::write(log::Level::info, "client",
                 "recording " + r.id + ": the carrier no longer has " + r.telnyx_recording_id + "; deleting it here");
    }
  }
  logs_.remove_recording(r.id);
  return r;
}

Call CallControls::live_call(std::string_view call_id, const char* what) {
  Call c = logs_.get(call_id);
  if (is_terminal(c.status)) {
    throw Error(errc::conflict, std::string("cannot ") + what + ": the call has ended (" + std::string(to_string(c.status)) + ")");
  }
  return c;
}

template <class Start>
void CallControls::command(const Call& c, const char* what, Start start) {
  if (c.call_control_id.empty()) {
    throw Error(errc::conflict, std::string("cannot ") + what + ": the carrier has not acknowledged the call yet");
  }
  auto r = wait_for_carrier<carrier::Unit>(start);
  if (!r) {
    ++counters_.carrier_errors;
    throw_carrier(r.error, what);
  }
}

// ---- on an active call: recording pause/resume, speech, playback -----------

Call CallControls::active_call(std::string_view call_id, const char* what) {
  Call c = live_call(call_id, what);
  if (c.status != CallStatus::active) {
    throw Error(errc::conflict, std::string("cannot ") + what + ": the call is not answered yet (" +
                                    std::string(to_string(c.status)) + "); it must be active");
  }
  return c;
}

Call CallControls::set_recording_paused(std::string_view call_id, bool paused) {
  Call c = active_call(call_id, paused ? "pause recording" : "resume recording");
  if (paused) {
    command(c, "record_pause", [&](auto done) { carriers_.carrier_for(c)->record_pause(action(c), std::move(done)); });
  } else {
    command(c, "record_resume", [&](auto done) { carriers_.carrier_for(c)->record_resume(action(c), std::move(done)); });
  }
  return tracker_.update(std::string(call_id), [paused](Call& x) { x.recording_paused = paused; });
}

Call CallControls::speak(std::string_view call_id, Speech speech) {
  if (auto problem = prepare_speech(speech); !problem.empty()) throw Error(errc::invalid_argument, problem);
  Call c = active_call(call_id, "speak");
  command(c, "speak", [&](auto done) { carriers_.carrier_for(c)->speak(action(c), speech, std::move(done)); });
  return logs_.get(call_id);
}

Call CallControls::start_playback(std::string_view call_id, std::string_view audio_url) {
  if (auto problem = audio_url_problem(audio_url); !problem.empty()) throw Error(errc::invalid_argument, problem);
  Call c = active_call(call_id, "start playback");
  command(c, "playback_start", [&](auto done) {
    carriers_.carrier_for(c)->playback_start(action(c), std::string(audio_url), std::move(done));
  });
  return logs_.get(call_id);
}

Call CallControls::stop_playback(std::string_view call_id) {
  Call c = active_call(call_id, "stop playback");
  command(c, "playback_stop", [&](auto done) { carriers_.carrier_for(c)->playback_stop(action(c), std::move(done)); });
  return logs_.get(call_id);
}

}  // namespace callwire::client
