// ScriptedCarrier: a Carrier for the client parts' own tests. Every
// operation is recorded and answered at once, on the calling thread, with
// what the test scripted (success by default). Not a stand-in for Telnyx —
// the client's behaviour against Telnyx is tested with the fake Telnyx
// (tests/support/fake_telnyx.hpp); this one lets a part's test say exactly
// what the carrier answers.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "carrier/carrier.hpp"

namespace callwire::test {

class ScriptedCarrier : public carrier::Carrier {
 public:
  explicit ScriptedCarrier(bool demo = false, std::string label = {}) : demo_(demo), label_(std::move(label)) {}

  const char* name() const noexcept override { return demo_ ? "demo" : "telnyx"; }
  bool is_demo() const noexcept override { return demo_; }
  const std::string& label() const { return label_; }

  // ---- the script --------------------------------------------------------
  std::optional<carrier::CarrierError> fail_next;           ///< the next operation fails with this
  carrier::CallStatusResult status;                         ///< what call_status answers
  carrier::DialResult dial_answer{"v3:scripted", "leg", "session"};
  std::vector<carrier::ActiveCall> active;                  ///< what active_calls answers
  carrier::DialPhase phase = carrier::DialPhase::none;      ///< what dial_phase / cancel_dial answer
  std::atomic<bool> is_idle{true};

  // ---- what was asked ------------------------------------------------------
  std::vector<std::string> ops() const {
    std::lock_guard lock(mu_);
    return ops_;
  }
  std::vector<std::string> ended() const {
    std::lock_guard lock(mu_);
    return ended_;
  }
  bool was_shut_down() const { return shut_down_; }

  /// Every dial request, whole.
  std::vector<carrier::DialRequest> dials() const {
    std::lock_guard lock(mu_);
    return dials_;
  }

  void dial(const carrier::DialRequest& req, carrier::Handler<carrier::DialResult> done) override {
    {
      std::lock_guard lock(mu_);
      dials_.push_back(req);
    }
    answer("dial " + req.to, std::move(done), dial_answer);
  }
  void hangup(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override {
    answer("hangup " + req.call_control_id, std::move(done), carrier::Unit{});
  }
  void send_dtmf(const carrier::ActionRequest& req, const std::string& digits, carrier::Handler<carrier::Unit> done) override {
    answer("send_dtmf " + req.call_control_id + " " + digits, std::move(done), carrier::Unit{});
  }
  void record_start(const carrier::ActionRequest& req, const std::string& format, const std::string& channels,
                    carrier::Handler<carrier::Unit> done) override {
    answer("record_start " + req.call_control_id + " " + format + " " + channels, std::move(done), carrier::Unit{});
  }
  void delete_recording(const std::string& recording_id, carrier::Handler<carrier::Unit> done) override {
    answer("delete_recording " + recording_id, std::move(done), carrier::Unit{});
  }
  void record_stop(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override {
    answer("record_stop " + req.call_control_id, std::move(done), carrier::Unit{});
  }
  void record_pause(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override {
    answer("record_pause " + req.call_control_id, std::move(done), carrier::Unit{});
  }
  void record_resume(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override {
    answer("record_resume " + req.call_control_id, std::move(done), carrier::Unit{});
  }
  void transfer(const carrier::ActionRequest& req, const std::string& to, const std::string& from,
                carrier::Handler<carrier::Unit> done) override {
    answer("transfer " + req.call_control_id + " " + to + " " + from, std::move(done), carrier::Unit{});
  }
  void speak(const carrier::ActionRequest& req, const Speech& s, carrier::Handler<carrier::Unit> done) override {
    answer("speak " + req.call_control_id + " '" + s.text + "' " + s.voice + " " + s.language + " " + s.service_level +
               " " + s.payload_type,
           std::move(done), carrier::Unit{});
  }
  void playback_start(const carrier::ActionRequest& req, const std::string& audio_url,
                      carrier::Handler<carrier::Unit> done) override {
    answer("playback_start " + req.call_control_id + " " + audio_url, std::move(done), carrier::Unit{});
  }
  void playback_stop(const carrier::ActionRequest& req, carrier::Handler<carrier::Unit> done) override {
    answer("playback_stop " + req.call_control_id, std::move(done), carrier::Unit{});
  }
  void call_status(const std::string& call_control_id, carrier::Handler<carrier::CallStatusResult> done) override {
    answer("call_status " + call_control_id, std::move(done), status);
  }
  void recording(const std::string& recording_id, carrier::Handler<carrier::RecordingResult> done) override {
    answer("recording " + recording_id, std::move(done), carrier::RecordingResult{recording_id, "https://x/r.mp3", "mp3", 7});
  }
  void active_calls(const std::string& connection_id,
                    carrier::Handler<std::vector<carrier::ActiveCall>> done) override {
    answer("active_calls " + connection_id, std::move(done), active);
  }
  void dial_phase(const std::string& call_id, carrier::Handler<carrier::DialPhase> done) override {
    answer("dial_phase " + call_id, std::move(done), phase);
  }
  void cancel_dial(const std::string& call_id, carrier::Handler<carrier::DialPhase> done) override {
    answer("cancel_dial " + call_id, std::move(done), phase);
  }
  void call_ended(const std::string& call_control_id) override {
    std::lock_guard lock(mu_);
    ended_.push_back(call_control_id);
  }
  void shutdown() override { shut_down_ = true; }
  bool idle() const noexcept override { return is_idle; }

 private:
  template <class T>
  void answer(std::string op, carrier::Handler<T> done, T value) {
    std::optional<carrier::CarrierError> failure;
    {
      std::lock_guard lock(mu_);
      ops_.push_back(std::move(op));
      failure.swap(fail_next);
    }
    if (failure) {
      done(carrier::CarrierResult<T>::fail(*failure));
    } else {
      done(carrier::CarrierResult<T>::ok(std::move(value)));
    }
  }

  const bool demo_;
  const std::string label_;
  mutable std::mutex mu_;
  std::vector<std::string> ops_;
  std::vector<carrier::DialRequest> dials_;
  std::vector<std::string> ended_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace callwire::test
