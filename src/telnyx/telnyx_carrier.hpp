// callwire — TelnyxCarrier: the Carrier over Telnyx Call Control v2 (internal).
//
// Speaks the REST API of tests/fixtures/telnyx/call-control.openapi.json
// (docs/telnyx.md lists every endpoint and body) through HttpClient: a
// keep-alive pool, a timeout per step, retries with backoff and jitter, the
// same command_id on every retry. Dials go through pacing: a token bucket
// (default 30 per second) and an optional cap on concurrent calls that
// queues or refuses (errc::rate_limited).
//
// Threading: all state lives on one strand of the io_context given to the
// constructor; every public member may be called from any thread. Handlers
// are called once each, on that strand (see carrier::Carrier).
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "carrier/carrier.hpp"
#include "telnyx/api_base.hpp"
#include "telnyx/http_client.hpp"

namespace callwire::telnyx {

/// Dial pacing. The token bucket admits `dials_per_second` on average and up
/// to `burst` at once; dials beyond wait in a FIFO queue of at most
/// `max_queued` (more are refused with errc::rate_limited). With
/// `max_concurrent_calls` > 0, a dial also needs a free call slot: calls
/// count from the dial until their hangup succeeds, call_ended() is called,
/// a status query says the call is gone, or their time limit has passed.
struct PacingOptions {
  bool enabled = true;            ///< false: no token bucket (the concurrency cap still applies)
  double dials_per_second = 30;   ///< Telnyx's default limit
  double burst = 5;
  std::size_t max_queued = 1000;  ///< dials waiting for a token or a call slot
  std::size_t max_concurrent_calls = 0;  ///< 0 = unlimited
  enum class WhenFull { queue, refuse };
  WhenFull when_full = WhenFull::queue;  ///< at the concurrency cap
  /// A dial Telnyx refuses for its rate limit (429, code 90103: too many
  /// dials in its 5 s window) goes back to the front of the queue and the
  /// queue waits — Retry-After when Telnyx gives it, else 1 s doubling to
  /// 5 s. The dial fails only after being refused for this long.
  std::chrono::milliseconds rate_limited_give_up{60000};
};

struct TelnyxOptions {
  std::string api_key;                            ///< required (Bearer token)
  std::string api_base = std::string(kDefaultApiBase);
  std::string ca_file;                            ///< extra trusted CAs (PEM), e.g. CALLWIRE_CA_FILE
  bool use_system_ca = true;
  bool allow_insecure_http = false;               ///< http:// to a non-loopback host (never sensible in production)
  HttpTimeouts timeouts;
  RetryPolicy retry;
  PacingOptions pacing;
  std::size_t max_connections = 8;
  std::string user_agent = "callwire/0.1";
  /// Called on the carrier's strand before every retry (logging, metrics).
  std::function<void(const RetryEvent&)> on_retry;

};

/// Counters for tests and /metrics.
struct TelnyxStats {
  HttpStats http;
  std::size_t queued_dials = 0;   ///< waiting for pacing
  std::size_t active_calls = 0;   ///< counted against max_concurrent_calls
  std::uint64_t dials_refused = 0;
  /// Dials Telnyx refused for its rate limit (429) that went back to the queue.
  std::uint64_t dials_requeued_rate_limited = 0;
};

class TelnyxCarrier final : public carrier::Carrier {
 public:
  /// Throws Error(invalid_argument) for an empty API key, a bad base URL
  /// (http:// to a non-loopback host without allow_insecure_http), an
  /// unloadable CA file or out-of-range pacing/retry options.
  TelnyxCarrier(boost::asio::any_io_executor ex, TelnyxOptions options);
  ~TelnyxCarrier() override;

  TelnyxCarrier(const TelnyxCarrier&) = delete;
  TelnyxCarrier& operator=(const TelnyxCarrier&) = delete;

  const char* name() const noexcept override { return "telnyx"; }
  bool is_demo() const noexcept override { return false; }

  void dial(const carrier::DialRequest& req, carrier::Handler<carrier::DialResult> done) override;
  void hangup(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override;
  void send_dtmf(const carrier::ActionRequest& req, const std::string& digits,
                 carrier::Handler<carrier::Unit> done) override;
  void record_start(const carrier::ActionRequest& req, const std::string& format, const std::string& channels,
                    carrier::Handler<carrier::Unit> done) override;
  void record_stop(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override;
  void record_pause(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override;
  void record_resume(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override;
  void transfer(const carrier::ActionRequest& req, const std::string& to, const std::string& from,
                carrier::Handler<carrier::Unit> done) override;
  /// Checks `speech` with prepare_speech() (core/media.hpp) and sends what it
  /// leaves: payload, payload_type, voice, service_level, and language when set.
  void speak(const carrier::ActionRequest& req, const Speech& speech, carrier::Handler<carrier::Unit> done) override;
  void playback_start(const carrier::ActionRequest& req, const std::string& audio_url,
                      carrier::Handler<carrier::Unit> done) override;
  void playback_stop(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override;
  void call_status(const std::string& call_control_id, carrier::Handler<carrier::CallStatusResult> done) override;
  void recording(const std::string& recording_id, carrier::Handler<carrier::RecordingResult> done) override;
  void delete_recording(const std::string& recording_id, carrier::Handler<carrier::Unit> done) override;
  /// GET /connections/{id}/active_calls, following meta.cursors.after
  /// (250 a page, at most 40 pages).
  void active_calls(const std::string& connection_id, carrier::Handler<std::vector<carrier::ActiveCall>> done) override;
  void dial_phase(const std::string& call_id, carrier::Handler<carrier::DialPhase> done) override;
  void cancel_dial(const std::string& call_id, carrier::Handler<carrier::DialPhase> done) override;
  void call_ended(const std::string& call_control_id) override;
  void shutdown() override;
  /// No dial queued for pacing and no request on a connection.
  bool idle() const noexcept override;

  TelnyxStats stats() const;
  const TelnyxOptions& options() const noexcept;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// A fresh UUID v4 (for command_id).
std::string make_command_id();

}  // namespace callwire::telnyx
