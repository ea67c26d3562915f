// callwire — the Carrier interface (internal: may use Boost.Asio types).
//
// Two implementations: TelnyxCarrier (src/telnyx/, Call Control v2 over HTTPS)
// and DemoCarrier (src/carrier/, the simulator on timers). Every operation is
// asynchronous: it returns at once and calls its handler exactly once, on the
// carrier's executor, with a CarrierResult. No thread per call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "callwire/amd.hpp"
#include "callwire/error.hpp"
#include "core/media.hpp"

namespace callwire::carrier {

/// An error from the carrier, kept whole: HTTP status and the first Telnyx
/// error object (`errors[0]`: code as a string, title, detail, source.pointer).
struct CarrierError {
  errc code = errc::carrier;  ///< carrier, unavailable, timeout, tls, rate_limited, invalid_argument
  int http_status = 0;        ///< 0 when no HTTP answer was received
  std::string telnyx_code;    ///< e.g. "90018"
  std::string title;
  std::string detail;
  std::string source_pointer;
  std::string message;        ///< one line for logs and the REST `detail`
};

/// A value or a CarrierError; `explicit operator bool` is true on success.
template <class T>
struct CarrierResult {
  std::optional<T> value;
  CarrierError error;
  explicit operator bool() const noexcept { return value.has_value(); }
  static CarrierResult ok(T v) { CarrierResult r; r.value = std::move(v); return r; }
  static CarrierResult fail(CarrierError e) { CarrierResult r; r.error = std::move(e); return r; }
};

struct Unit {};

/// POST /v2/calls.
struct DialRequest {
  std::string call_id;        ///< callwire's id, sent as client_state so webhooks can be matched
  std::string to;             ///< E.164
  std::string from;           ///< E.164
  std::string connection_id;
  std::string command_id;     ///< the same on every retry of this dial
  std::string webhook_url;    ///< optional per-call webhook URL
  bool record = false;        ///< record from answer ("record": "record-from-answer")
  std::string record_channels;  ///< with record: "single" / "dual" (sent as record_channels; "" = Telnyx's default, dual)
  AmdMode answering_machine_detection = AmdMode::disabled;  ///< sent unless disabled
  AmdConfig answering_machine_detection_config;              ///< sent when a threshold is set
  int timeout_secs = 60;      ///< ring time before no_answer
  int time_limit_secs = 14400;
};

/// What POST /v2/calls answers.
struct DialResult {
  std::string call_control_id;
  std::string call_leg_id;
  std::string call_session_id;
};

/// GET /v2/calls/{call_control_id}.
struct CallStatusResult {
  bool is_alive = false;
  std::int64_t call_duration = 0;
  std::string state;  ///< raw, as Telnyx gives it (may be empty)
};

/// GET /v2/recordings/{id}.
struct RecordingResult {
  std::string id;
  std::string url;       ///< fresh download URL (mp3 preferred, else wav)
  std::string format;
  std::int64_t duration_secs = 0;
};

/// One entry of GET /v2/connections/{id}/active_calls.
struct ActiveCall {
  std::string call_control_id;
  std::string call_leg_id;
  std::string call_session_id;
  std::string client_state;  ///< as sent with the dial (base64), may be empty
  std::int64_t call_duration = 0;
};

/// Where a dial is inside the carrier.
enum class DialPhase {
  none,       ///< not here: answered (or failed), never seen, or lost with a restart
  queued,     ///< waiting for pacing or a call slot: not sent, can be withdrawn
  in_flight,  ///< sent, no answer yet
};

/// True when a failed dial was certainly not placed: the carrier refused it
/// (a 4xx other than 408 — a 429 is a refusal too: Telnyx's rate limit
/// answers before placing anything), or it never left (a request the
/// carrier would refuse, pacing, TLS, shutdown before sending). A timeout, a
/// lost connection or a 5xx may have been placed: its outcome is unknown.
inline bool dial_certainly_refused(const CarrierError& e) {
  if (e.http_status >= 400 && e.http_status < 500) return e.http_status != 408;
  if (e.http_status != 0) return false;  // 5xx (after retries)
  return e.code == errc::invalid_argument || e.code == errc::rate_limited || e.code == errc::tls ||
         e.code == errc::conflict;
}

/// True when the carrier no longer knows a call: 404 (Telnyx keeps a call's
/// status for 10 minutes after its end), or 422 with 90015 ("invalid call
/// control id": unknown, or long over) or 90018 ("call has already ended").
/// For a call callwire thinks live, it means the call is over.
inline bool carrier_forgot_call(const CarrierError& e) {
  return e.http_status == 404 || e.code == errc::not_found ||
         (e.http_status == 422 && (e.telnyx_code == "90015" || e.telnyx_code == "90018"));
}

template <class T>
using Handler = std::function<void(CarrierResult<T>)>;

/// One call action: POST /v2/calls/{call_control_id}/actions/{action}.
struct ActionRequest {
  std::string call_control_id;
  std::string command_id;     ///< the same on every retry; filled in when empty
  /// transfer only: the client_state of the new leg (base64). callwire
  /// stamps it so that the new leg's events never read as the call's own.
  std::string target_leg_client_state{};
};

class Carrier {
 public:
  virtual ~Carrier() = default;

  /// "telnyx" or "demo".
  virtual const char* name() const noexcept = 0;
  virtual bool is_demo() const noexcept = 0;

  virtual void dial(const DialRequest& req, Handler<DialResult> done) = 0;
  /// A 422 with code 90018 ("call has already ended") counts as success.
  virtual void hangup(const ActionRequest& req, Handler<Unit> done) = 0;
  virtual void send_dtmf(const ActionRequest& req, const std::string& digits, Handler<Unit> done) = 0;
  /// format "mp3"/"wav", channels "single"/"dual".
  virtual void record_start(const ActionRequest& req, const std::string& format, const std::string& channels,
                            Handler<Unit> done) = 0;
  virtual void record_stop(const ActionRequest& req, Handler<Unit> done) = 0;
  virtual void record_pause(const ActionRequest& req, Handler<Unit> done) = 0;
  virtual void record_resume(const ActionRequest& req, Handler<Unit> done) = 0;
  virtual void transfer(const ActionRequest& req, const std::string& to, const std::string& from,
                        Handler<Unit> done) = 0;
  /// `speech` as prepare_speech() (core/media.hpp) leaves it: a carrier that
  /// checks it uses that same rule.
  virtual void speak(const ActionRequest& req, const Speech& speech, Handler<Unit> done) = 0;
  /// `audio_url` passes audio_url_problem() (core/media.hpp).
  virtual void playback_start(const ActionRequest& req, const std::string& audio_url, Handler<Unit> done) = 0;
  virtual void playback_stop(const ActionRequest& req, Handler<Unit> done) = 0;
  virtual void call_status(const std::string& call_control_id, Handler<CallStatusResult> done) = 0;
  virtual void recording(const std::string& recording_id, Handler<RecordingResult> done) = 0;
  /// DELETE /v2/recordings/{id}: the carrier deletes the recording for good.
  /// A recording it does not have (never had, or already deleted) fails with
  /// http_status 404 (errc::not_found for the demo carrier's): what that
  /// means is the caller's to decide.
  virtual void delete_recording(const std::string& recording_id, Handler<Unit> done) = 0;
  /// The calls the carrier has up on a connection (every page), with the
  /// client_state each was dialled with: how a dial whose answer was lost
  /// is found again.
  virtual void active_calls(const std::string& connection_id, Handler<std::vector<ActiveCall>> done) = 0;

  /// Where the dial of callwire call `call_id` is. Default: none (a carrier
  /// that sends every dial at once and keeps no queue).
  virtual void dial_phase(const std::string& call_id, Handler<DialPhase> done) {
    (void)call_id;
    done(CarrierResult<DialPhase>::ok(DialPhase::none));
  }
  /// Withdraws the dial of `call_id` if it is still queued (then it is never
  /// sent, and its dial handler completes with errc::conflict, "canceled
  /// before it was sent"); answers the phase it was in. A dial in flight is
  /// not touched.
  virtual void cancel_dial(const std::string& call_id, Handler<DialPhase> done) { dial_phase(call_id, std::move(done)); }

  /// Tells the carrier that a call has ended (its call.hangup webhook was
  /// received), so that it no longer counts against a concurrent-call cap.
  /// Unknown ids are ignored. Default: nothing to do.
  virtual void call_ended(const std::string& call_control_id) { (void)call_control_id; }

  /// Cancels timers and closes connections; handlers still pending are called
  /// with errc::closed. Idempotent.
  virtual void shutdown() = 0;
  /// True when nothing is queued or in flight: the carrier can be released
  /// without failing a request.
  virtual bool idle() const noexcept { return true; }
};

/// Where the DemoCarrier (and the fake Telnyx, over HTTP) delivers webhook
/// envelopes: the raw JSON bytes, exactly what Telnyx would POST. The client
/// feeds them through the same parser as real webhooks.
using WebhookSink = std::function<void(std::string raw_body)>;

}  // namespace callwire::carrier
