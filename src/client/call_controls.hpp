// CallControls: what a caller does to a live call — hang up, send DTMF,
// record (and pause), transfer, mute, hold, speak, play audio — and
// refreshing a recording's download URL.
//
// Each control is one carrier command for the call's carrier, waited for on
// the calling thread; a carrier refusal is thrown as CarrierError (its HTTP
// status and Telnyx code kept). Mute and hold are the softphone's own flags:
// stored and published, no carrier command. Controls of an ended call throw
// Conflict; of a call the carrier has not acknowledged yet (no
// call_control_id), Conflict too — except hangup:
//
// Hangup of a call with no call_control_id yet never leaves the phone to
// ring: a dial still queued in the carrier is withdrawn (the call ends
// canceled, never placed); one sent but not answered is remembered in
// PendingHangups and hung up as soon as its call_control_id is known (the
// dial answer, the first webhook, the reconciler) — hangup() waits up to
// hangup_wait for that and returns the call as it is then.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "callwire/log_store.hpp"
#include "callwire/types.hpp"
#include "carrier/carrier.hpp"
#include "core/media.hpp"
#include "client/call_tracker.hpp"
#include "client/carrier_selector.hpp"
#include "client/client_counters.hpp"
#include "client/dialer.hpp"
#include "client/pending_hangups.hpp"

namespace callwire::client {

class CallControls {
 public:
  CallControls(LogStore& logs, CallTracker& tracker, CarrierSelector& carriers, ClientCounters& counters,
               Dialer& dialer, PendingHangups& pending, std::chrono::milliseconds hangup_wait);

  /// Hangs up and waits (up to hangup_wait) for the carrier's call.hangup.
  Call hangup(std::string_view call_id);
  /// Sends the hangup remembered for a call that now has its
  /// call_control_id, without waiting (a failure is logged). Any thread.
  void send_pending_hangup(const Call& c);
  Call send_dtmf(std::string_view call_id, std::string_view digits);
  Call set_recording(std::string_view call_id, bool on);
  Call transfer(std::string_view call_id, std::string_view to);
  Call set_muted(std::string_view call_id, bool muted);
  Call set_on_hold(std::string_view call_id, bool on_hold);
  Recording refresh_recording(std::string_view recording_id);
  /// Deletes a recording at its carrier, then here (CallClient::remove_recording).
  /// Returns the recording as it was.
  Recording remove_recording(std::string_view recording_id);

  // ---- on an active call: recording pause/resume, speech, playback -------
  /// record_pause / record_resume; the call's recording_paused follows.
  Call set_recording_paused(std::string_view call_id, bool paused);
  /// `speech` is checked with prepare_speech() (core/media.hpp) first.
  Call speak(std::string_view call_id, Speech speech);
  Call start_playback(std::string_view call_id, std::string_view audio_url);
  Call stop_playback(std::string_view call_id);

 private:
  Call live_call(std::string_view call_id, const char* what);
  template <class Start>
  void command(const Call& c, const char* what, Start start);
  /// live_call() that is also answered: "cannot <what>: the call is not answered yet …".
  Call active_call(std::string_view call_id, const char* what);

  LogStore& logs_;
  CallTracker& tracker_;
  CarrierSelector& carriers_;
  ClientCounters& counters_;
  Dialer& dialer_;
  PendingHangups& pending_;
  const std::chrono::milliseconds hangup_wait_;
};

}  // namespace callwire::client
