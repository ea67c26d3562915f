// callwire — DemoCarrier: the Carrier of demo mode (docs/demo-mode.md).
//
// Runs the call simulator (src/sim/) in process: dial() answers at once with
// Telnyx-like ids, as POST /v2/calls does, and each call then produces the
// webhook envelopes a real Telnyx call would, delivered as raw JSON bytes to
// a WebhookSink on boost::asio steady_timers — one timer per call, no thread
// per call. Commands (hangup, record_start, speak, …) change the simulated
// call and schedule the events they cause; errors are the ones Telnyx gives
// (422 90018 "Call has already ended", 90034 "Call not answered yet", …).
//
// Recordings are real audio: when a call.recording.saved is delivered, a
// generated 8 kHz 16-bit mono PCM WAV (a ringback tone) has been written to
// `recordings_dir/<recording_id>.wav` and the envelope's URLs point to
// `<recording_url_base>/recordings/<recording_id>.wav`.
//
// Threading: every public method may be called from any thread; the work runs
// on a strand of the given executor, and every handler — the operations'
// `done` callbacks and the sink — is called on that strand, so calls to the
// sink never overlap and come in order. Handlers may call back into the
// carrier. Create it with create(); it must be owned by a shared_ptr (timers
// hold weak references, so dropping the last reference cancels everything).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "carrier/carrier.hpp"
#include "sim/simulator.hpp"

namespace callwire::carrier {

struct DemoOptions {
  /// Simulated seconds per real second: 1 is real time, 100 makes a 5 s call
  /// take 50 ms. occurred_at times follow the simulated clock.
  double speed = 1.0;
  /// Folder for the recordings' WAV files (created when missing). Empty:
  /// no files are written, URLs are still given.
  std::filesystem::path recordings_dir;
  /// Prefix of recording URLs ("" gives the path "/recordings/<id>.wav").
  std::string recording_url_base;
  /// meta.delivered_to when a dial has no webhook_url.
  std::string delivered_to = "/webhooks/call";
  /// Seed for ids and jitter; std::nullopt draws one from std::random_device.
  std::optional<std::uint64_t> seed;
  /// connection_id of dials that give none.
  std::string connection_id = "demo";
  sim::Timings timings;
  /// Demo calls end by themselves (hangup cause time_limit) this long after
  /// the dial, whatever time_limit_secs the dial asked for. 0: no cap.
  std::chrono::seconds max_call_duration{600};
  /// Longest audio written to a WAV file (longer recordings are cut).
  std::chrono::seconds max_recording_audio{60};
  /// Ended calls kept for call_status() (oldest forgotten first).
  std::size_t max_finished_calls = 1000;
};

class DemoCarrier final : public Carrier, public std::enable_shared_from_this<DemoCarrier> {
 public:
  /// Throws Error(invalid_argument) for a speed that is not > 0.
  static std::shared_ptr<DemoCarrier> create(boost::asio::any_io_executor executor, WebhookSink sink,
                                             DemoOptions options = {});
  ~DemoCarrier() override;

  DemoCarrier(const DemoCarrier&) = delete;
  DemoCarrier& operator=(const DemoCarrier&) = delete;

  const char* name() const noexcept override { return "demo"; }
  bool is_demo() const noexcept override { return true; }

  void dial(const DialRequest& req, Handler<DialResult> done) override;
  void hangup(const ActionRequest& req, Handler<Unit> done) override;
  void send_dtmf(const ActionRequest& req, const std::string& digits, Handler<Unit> done) override;
  void record_start(const ActionRequest& req, const std::string& format, const std::string& channels,
                    Handler<Unit> done) override;
  void record_stop(const ActionRequest& req, Handler<Unit> done) override;
  void record_pause(const ActionRequest& req, Handler<Unit> done) override;
  void record_resume(const ActionRequest& req, Handler<Unit> done) override;
  void transfer(const ActionRequest& req, const std::string& to, const std::string& from, Handler<Unit> done) override;
  void speak(const ActionRequest& req, const Speech& speech, Handler<Unit> done) override;
  void playback_start(const ActionRequest& req, const std::string& audio_url, Handler<Unit> done) override;
  void playback_stop(const ActionRequest& req, Handler<Unit> done) override;
  void call_status(const std::string& call_control_id, Handler<CallStatusResult> done) override;
  void recording(const std::string& recording_id, Handler<RecordingResult> done) override;
  /// Forgets a saved recording (recording() then answers 404, as Telnyx
  /// does after a delete); its file stays — the client removes it. Unknown
  /// ids: the not-found error recording() gives.
  void delete_recording(const std::string& recording_id, Handler<Unit> done) override;
  /// The simulated calls still up on that connection.
  void active_calls(const std::string& connection_id, Handler<std::vector<ActiveCall>> done) override;
  void shutdown() override;

  const DemoOptions& options() const noexcept { return options_; }
  /// Calls still producing events (approximate when read off the strand).
  std::size_t calls_in_flight() const noexcept { return in_flight_.load(); }

 private:
  struct Call;
  using Command = std::function<sim::CommandResult(sim::SimCall&, sim::Micros now)>;

  DemoCarrier(boost::asio::any_io_executor executor, WebhookSink sink, DemoOptions options);

  /// Posts `body` to the strand, or completes `done` with errc::closed.
  template <class T, class Body>
  void run(Handler<T> done, Body body);
  void command(const ActionRequest& req, const char* what, Handler<Unit> done, Command cmd, bool ended_ok = false);
  Call* find(const std::string& call_control_id);
  sim::Micros elapsed(const Call& call) const;
  void arm(Call& call);
  void on_timer(const std::string& call_control_id);
  void deliver(Call& call, sim::Envelope env);
  void retire(Call& call);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  WebhookSink sink_;
  DemoOptions options_;
  sim::Options sim_options_;
  sim::Rng rng_;
  std::atomic<bool> closed_{false};
  std::atomic<std::size_t> in_flight_{0};
  // Strand-only state.
  std::unordered_map<std::string, std::unique_ptr<Call>> calls_;       // by call_control_id
  std::unordered_map<std::string, std::string> dial_commands_;        // dial command_id → call_control_id
  std::deque<std::string> finished_;                                   // ended calls, oldest first
  std::unordered_map<std::string, RecordingResult> recordings_;       // saved recordings by id
};

}  // namespace callwire::carrier
