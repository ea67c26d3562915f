// CallClient end to end in demo mode (the DemoCarrier's webhooks take the
// same parser → state machine → storage path as real ones), webhook ingest
// rules, signatures, reconciliation and restarts.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "callwire/call_client.hpp"
#include "callwire/call_state.hpp"
#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/settings_store.hpp"
#include "callwire/webhook.hpp"
#include "core/base64.hpp"
#include "core/uuid.hpp"

using namespace callwire;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr const char* kSeed = "i1xxSkIuQOY9H8laaRslIoYGTJ1NwBAFdjsQwiwJH04=";
constexpr const char* kPublicKey = "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=";

// Collects updates and lets a test wait for a condition on them.
class Recorder {
 public:
  void operator()(const CallUpdate& u) {
    std::lock_guard lock(mu_);
    updates_.push_back(u);
    cv_.notify_all();
  }
  // Waits (bounded, generously) until a call reaches a status; false on timeout.
  bool wait_status(const std::string& call_id, CallStatus s, std::chrono::seconds limit = 30s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] {
      for (const auto& u : updates_) {
        if (u.call.call_id == call_id && u.call.status == s) return true;
      }
      return false;
    });
  }
  bool wait_terminal(const std::string& call_id, std::chrono::seconds limit = 30s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] {
      for (const auto& u : updates_) {
        if (u.call.call_id == call_id && u.type == "call.ended") return true;
      }
      return false;
    });
  }
  std::vector<CallUpdate> for_call(const std::string& call_id) {
    std::lock_guard lock(mu_);
    std::vector<CallUpdate> out;
    for (const auto& u : updates_) {
      if (u.call.call_id == call_id) out.push_back(u);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CallUpdate> updates_;
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cw-client-" + new_uuid_v4());
    fs::create_directories(dir_);
    url_ = "sqlite://" + (dir_ / "callwire.db").string();
    storage_ = std::make_unique<Storage>(Storage::open(url_));
    NumberStore numbers(*storage_);
    PhoneNumber n;
    n.number = "+13125550100";
    n.name = "Main";
    n.is_default = true;
    numbers.create(n);
  }
  void TearDown() override {
    client_.reset();
    storage_.reset();
    fs::remove_all(dir_);
  }
  CallClientOptions demo_options() {
    CallClientOptions o;
    o.demo_speed = 50;
    o.recordings_dir = (dir_ / "recordings").string();
    return o;
  }
  CallClient& start(CallClientOptions o) {
    client_ = std::make_unique<CallClient>(*storage_, std::move(o));
    client_->subscribe([this](const CallUpdate& u) { rec_(u); });
    return *client_;
  }

  fs::path dir_;
  std::string url_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<CallClient> client_;
  Recorder rec_;
};

// The Error `f` throws (a failure when it throws none).
template <class F>
Error error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no callwire::Error was thrown";
  return Error(errc::ok, "");
}

std::string envelope(const std::string& id, const std::string& type, const std::string& call_id,
                     const std::string& occurred_at, const std::string& extra = "") {
  return R"({"data":{"record_type":"event","event_type":")" + type + R"(","id":")" + id + R"(","occurred_at":")" +
         occurred_at + R"(","payload":{"call_control_id":"v3:test-)" + call_id + R"(","client_state":")" +
         base64::encode(call_id) + R"(")" + extra + R"(}},"meta":{"attempt":1}})";
}

}  // namespace

TEST_F(ClientTest, DemoCallGoesDialingRingingActiveCompleted) {
  auto& client = start(demo_options());
  EXPECT_TRUE(client.demo());
  EXPECT_EQ(client.mode(), "demo");
  Call c = client.dial("+1 (212) 555-1234");
  EXPECT_EQ(c.status, CallStatus::dialing);
  EXPECT_EQ(c.to_number, "+12125551234");
  EXPECT_EQ(c.from_number, "+13125550100");  // the default number
  EXPECT_TRUE(c.demo);
  ASSERT_TRUE(rec_.wait_status(c.call_id, CallStatus::active));
  EXPECT_EQ(client.active_calls().size(), 1u);
  Call done = client.hangup(c.call_id);
  EXPECT_EQ(done.status, CallStatus::completed);
  ASSERT_TRUE(done.answered_at && done.ended_at);
  EXPECT_EQ(done.duration, whole_seconds(*done.answered_at, *done.ended_at));
  EXPECT_FALSE(done.call_control_id.empty());
  EXPECT_TRUE(client.active_calls().empty());

  // Updates arrive in order: created first, statuses never go backwards, ended last.
  ASSERT_TRUE(rec_.wait_terminal(c.call_id));
  auto updates = rec_.for_call(c.call_id);
  ASSERT_GE(updates.size(), 4u);
  EXPECT_EQ(updates.front().type, "call.created");
  EXPECT_EQ(updates.back().type, "call.ended");
  std::vector<CallStatus> seen;
  for (const auto& u : updates) {
    if (seen.empty() || seen.back() != u.call.status) seen.push_back(u.call.status);
  }
  EXPECT_EQ(seen, (std::vector<CallStatus>{CallStatus::dialing, CallStatus::ringing, CallStatus::active,
                                           CallStatus::completed}));
  EXPECT_EQ(client.stats().total_calls, 1);
}

TEST_F(ClientTest, DemoScenariosEndInTheirStatus) {
  auto& client = start(demo_options());
  const std::pair<const char*, CallStatus> cases[] = {{"+12125550000", CallStatus::busy},
                                                      {"+12125550001", CallStatus::no_answer},
                                                      {"+12125550002", CallStatus::failed},
                                                      {"+12125550004", CallStatus::completed}};
  std::vector<std::pair<std::string, CallStatus>> calls;
  for (auto [to, status] : cases) calls.emplace_back(client.dial(to).call_id, status);
  for (const auto& [id, status] : calls) {
    ASSERT_TRUE(rec_.wait_terminal(id)) << id;
    EXPECT_EQ(client.get_call(id).status, status) << id;
  }
  EXPECT_EQ(client.get_call(calls[3].first).hangup_source, "callee");
  EXPECT_EQ(client.get_call(calls[3].first).duration, 5);
}

TEST_F(ClientTest, RecordingIsSavedAfterHangupAsARealWav) {
  auto& client = start(demo_options());
  DialOptions o;
  o.record = true;
  Call c = client.dial("+12125550004", "", o);
  ASSERT_TRUE(rec_.wait_terminal(c.call_id));
  LogStore logs(*storage_);
  std::vector<Recording> recs;
  for (int i = 0; i < 300 && recs.empty(); ++i) {
    recs = logs.list_recordings_for_call(c.call_id);
    if (recs.empty()) std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].format, "wav");
  EXPECT_EQ(client.get_call(c.call_id).recording_id.value_or(""), recs[0].id);
  const fs::path wav = fs::path(client.recordings_dir()) / (recs[0].id + ".wav");
  ASSERT_TRUE(fs::exists(wav)) << wav;
  std::ifstream in(wav, std::ios::binary);
  char riff[4];
  in.read(riff, 4);
  EXPECT_EQ(std::string(riff, 4), "RIFF");
  EXPECT_NE(recs[0].url.find(recs[0].id + ".wav"), std::string::npos);
  // A demo recording is a local file: its URL never expires, so a refresh
  // returns it as stored.
  const Recording refreshed = client.refresh_recording(recs[0].id);
  EXPECT_EQ(refreshed.url, recs[0].url);
  EXPECT_EQ(refreshed.id, recs[0].id);
  EXPECT_EQ(error_of([&] { client.refresh_recording("no-such-recording"); }).code(), errc::not_found);
}

TEST_F(ClientTest, RefreshingALiveRecordingWithoutATelnyxKeyIsUnavailable) {
  // A live call's recording, stored earlier; this client has no Telnyx key.
  LogStore logs(*storage_);
  Call c;
  c.call_id = "live-call";
  c.to_number = "+12125550123";
  c.from_number = "+13125550100";
  c.status = CallStatus::completed;
  c.demo = false;
  logs.insert(c);
  Recording r;
  r.id = "rec-live";
  r.call_id = c.call_id;
  r.telnyx_recording_id = "tx-rec-1";
  r.url = "https://example.com/expired.mp3";
  logs.attach_recording(r);
  auto& client = start(demo_options());
  const Error e = error_of([&] { client.refresh_recording("rec-live"); });
  EXPECT_EQ(e.code(), errc::unavailable);
  EXPECT_NE(std::string(e.what()).find("no Telnyx API key"), std::string::npos) << e.what();
  EXPECT_EQ(logs.get_recording("rec-live").url, "https://example.com/expired.mp3");
}

TEST_F(ClientTest, BadInputGetsClearErrors) {
  auto& client = start(demo_options());
  try {
    client.dial("not a number");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_EQ(std::string(e.what()).rfind("to_number: ", 0), 0u) << e.what();
  }
  try {
    client.dial("+12125551234", "12");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("from_number: ", 0), 0u) << e.what();
  }
  EXPECT_THROW(client.get_call("no-such-call"), Error);
  try {
    client.hangup("no-such-call");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::not_found);
  }
  for (const char* digits : {"12x", "12a", "", "1 2"}) {
    try {
      client.send_dtmf("whatever", digits);
      FAIL() << digits;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), errc::invalid_argument) << digits;
      // The same rule as the carrier's (Telnyx takes upper-case A-D only).
      EXPECT_STREQ(e.what(), "digits: only 0-9, A-D, *, # and w/W (pauses) are allowed") << digits;
    }
  }
  EXPECT_EQ(LogStore(*storage_).count(), 0);  // nothing half-stored
}

// The detection mode is the dial's own: premium reaches the simulator as
// premium, a bool as before means detect, and a dial the rule refuses is
// not stored.
TEST_F(ClientTest, EachDialChoosesItsAnsweringMachineDetection) {
  auto& client = start(demo_options());
  DialOptions premium;
  premium.answering_machine_detection = AmdMode::premium;
  DialOptions old_style;
  old_style.answering_machine_detection = true;  // still compiles, still "detect"
  EXPECT_EQ(old_style.answering_machine_detection.mode(), AmdMode::detect);
  const Call p = client.dial("+12125550007", "", premium);  // a person at a business
  const Call d = client.dial("+12125550007", "", old_style);
  const Call off = client.dial("+12125550004");
  // A person stays on the line: hang up once detection has spoken.
  for (const Call* c : {&p, &d}) {
    for (int i = 0; i < 500 && client.get_call(c->call_id).machine_detection.empty(); ++i) std::this_thread::sleep_for(10ms);
    client.hangup(c->call_id);
  }
  for (const Call* c : {&p, &d, &off}) ASSERT_TRUE(rec_.wait_terminal(c->call_id));
  EXPECT_EQ(client.get_call(p.call_id).machine_detection, "human_business");
  EXPECT_EQ(client.get_call(d.call_id).machine_detection, "human");
  EXPECT_EQ(client.get_call(off.call_id).machine_detection, "");

  DialOptions bad;
  bad.answering_machine_detection = AmdMode::detect;
  bad.answering_machine_detection_config.total_analysis_time_millis = -5;
  Error e = error_of([&] { client.dial("+12125550004", "", bad); });
  EXPECT_EQ(e.code(), errc::invalid_argument);
  EXPECT_STREQ(e.what(), "answering_machine_detection_config.total_analysis_time_millis: must be 0 or more (got -5)");
  bad.answering_machine_detection = false;
  bad.answering_machine_detection_config.total_analysis_time_millis = 5000;
  e = error_of([&] { client.dial("+12125550004", "", bad); });
  EXPECT_EQ(std::string(e.what()).rfind("answering_machine_detection_config: detection is disabled", 0), 0u) << e.what();
  EXPECT_EQ(LogStore(*storage_).count(), 3);  // the refused dials were not stored
}

TEST_F(ClientTest, NoDefaultNumberIsAnError) {
  NumberStore numbers(*storage_);
  for (const auto& n : numbers.list()) numbers.remove(n.id);
  auto& client = start(demo_options());
  try {
    client.dial("+12125551234");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("no default number"), std::string::npos);
  }
}

TEST_F(ClientTest, ControlsDuringACall) {
  auto& client = start(demo_options());
  Call c = client.dial("+12125551234");
  ASSERT_TRUE(rec_.wait_status(c.call_id, CallStatus::active));
  EXPECT_TRUE(client.set_muted(c.call_id, true).muted);
  EXPECT_TRUE(client.set_on_hold(c.call_id, true).on_hold);
  EXPECT_FALSE(client.set_on_hold(c.call_id, false).on_hold);
  EXPECT_NO_THROW(client.send_dtmf(c.call_id, "12#"));
  EXPECT_TRUE(client.start_recording(c.call_id).recording);
  EXPECT_FALSE(client.stop_recording(c.call_id).recording);
  Call ended = client.hangup(c.call_id);
  EXPECT_TRUE(ended.muted);
  try {
    client.set_muted(c.call_id, false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::conflict);
  }
  EXPECT_EQ(client.hangup(c.call_id).status, CallStatus::completed);  // hanging up twice is harmless
}

TEST_F(ClientTest, SpeechPlaybackAndARecordingPauseInDemoMode) {
  auto& client = start(demo_options());
  Call c = client.dial("+12125551234");
  ASSERT_TRUE(rec_.wait_status(c.call_id, CallStatus::active));
  EXPECT_TRUE(client.start_recording(c.call_id).recording);
  Call paused = client.pause_recording(c.call_id);
  EXPECT_TRUE(paused.recording);
  EXPECT_TRUE(paused.recording_paused);
  EXPECT_TRUE(client.get_call(c.call_id).recording_paused);
  EXPECT_FALSE(client.resume_recording(c.call_id).recording_paused);
  EXPECT_EQ(client.speak(c.call_id, "Hello from callwire").call_id, c.call_id);
  SpeakOptions o;
  o.voice = "AWS.Polly.Joanna-Neural";
  o.language = "en-GB";
  EXPECT_NO_THROW(client.speak(c.call_id, "Goodbye", o));
  EXPECT_NO_THROW(client.start_playback(c.call_id, "https://example.com/voicemail.mp3"));
  EXPECT_NO_THROW(client.stop_playback(c.call_id));
  // The simulated carrier's media events reach the call's stored events.
  const std::string ccid = client.get_call(c.call_id).call_control_id;
  LogStore logs(*storage_);
  auto has = [&](const char* type) {
    for (const auto& e : logs.events_for_call(ccid)) {
      if (e.event_type == type) return true;
    }
    return false;
  };
  for (int i = 0; i < 300 && !(has("call.speak.ended") && has("call.playback.ended")); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(has("call.speak.started"));
  EXPECT_TRUE(has("call.speak.ended"));
  EXPECT_TRUE(has("call.playback.started"));
  EXPECT_TRUE(has("call.playback.ended"));
  try {
    client.speak(c.call_id, "Hola", SpeakOptions{"female", "es-ES", ""});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_EQ(std::string(e.what()).rfind("language: the male and female voices", 0), 0u) << e.what();
  }
  client.hangup(c.call_id);
  try {
    client.pause_recording(c.call_id);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::conflict);
    EXPECT_STREQ(e.what(), "cannot pause recording: the call has ended (completed)");
  }
}

TEST_F(ClientTest, HangupBeforeAnswerIsCanceled) {
  CallClientOptions o = demo_options();
  o.demo_speed = 1;  // the callee answers after about 2 s: hang up before
  auto& client = start(o);
  Call c = client.dial("+12125551234");
  ASSERT_TRUE(rec_.wait_status(c.call_id, CallStatus::ringing));
  Call done = client.hangup(c.call_id);
  EXPECT_EQ(done.status, CallStatus::canceled);
  EXPECT_EQ(done.duration, 0);
}

TEST_F(ClientTest, WebhookIngestRules) {
  auto& client = start(demo_options());
  Call c = client.dial("+12125551234");
  ASSERT_TRUE(rec_.wait_status(c.call_id, CallStatus::active));
  // Malformed, v1 and unknown calls.
  EXPECT_EQ(client.ingest_webhook("{not json", {}).code, errc::malformed);
  auto v1 = client.ingest_webhook(R"({"event_type":"call_initiated","payload":{}})", {});
  EXPECT_EQ(v1.code, errc::malformed);
  EXPECT_NE(v1.message.find("v1"), std::string::npos);
  auto stranger = client.ingest_webhook(
      envelope("ev-stranger", "call.initiated", new_uuid_v4(), "2026-01-01T00:00:00Z"), {});
  EXPECT_EQ(stranger.code, errc::ok);
  EXPECT_TRUE(stranger.call_id.empty());
  EXPECT_EQ(client.ingest_webhook(envelope("ev-stranger", "call.initiated", new_uuid_v4(), "2026-01-01T00:00:00Z"), {})
                .duplicate,
            true);

  // A hangup posted from outside (unsigned is fine: demo mode, no key) folds into the call; its duplicate is dropped.
  const std::string ended_at = json::format_time(*client.get_call(c.call_id).answered_at + 7'500ms);
  std::string body =
      envelope("ev-hangup-1", "call.hangup", c.call_id, ended_at, R"(,"hangup_cause":"normal_clearing","hangup_source":"callee")");
  // On the call's own leg: an event with another call_control_id is not the call's (issue 15, 2.6).
  const std::string leg = client.get_call(c.call_id).call_control_id;
  body.replace(body.find("v3:test-" + c.call_id), ("v3:test-" + c.call_id).size(), leg);
  auto first = client.ingest_webhook(body, {});
  EXPECT_EQ(first.code, errc::ok);
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.call_id, c.call_id);
  auto again = client.ingest_webhook(body, {});
  EXPECT_EQ(again.code, errc::ok);
  EXPECT_TRUE(again.duplicate);
  Call done = client.get_call(c.call_id);
  EXPECT_EQ(done.status, CallStatus::completed);
  EXPECT_EQ(done.duration, 7);
  EXPECT_GE(client.counters().webhooks_duplicate, 2u);
}

TEST_F(ClientTest, LiveModeRequiresSignatures) {
  CallClientOptions o = demo_options();
  o.api_key = "KEY-test-not-used";
  o.api_base = "http://127.0.0.1:9/v2";  // never contacted in this test
  o.public_key = kPublicKey;
  auto& client = start(o);
  EXPECT_FALSE(client.demo());
  const std::string body = envelope("ev-1", "call.initiated", new_uuid_v4(), "2026-01-01T00:00:00Z");
  auto unsigned_result = client.ingest_webhook(body, {});
  EXPECT_EQ(unsigned_result.code, errc::unauthorized);
  EXPECT_EQ(unsigned_result.message, "invalid webhook signature: missing_headers");

  const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  const std::string sig = telnyx::sign(kSeed, ts, body);
  EXPECT_EQ(client.ingest_webhook(body, {{"Telnyx-Timestamp", ts}, {"Telnyx-Signature-Ed25519", sig}}).code, errc::ok);
  auto tampered = client.ingest_webhook(body + " ", {{"telnyx-timestamp", ts}, {"telnyx-signature-ed25519", sig}});
  EXPECT_EQ(tampered.code, errc::unauthorized);
  EXPECT_EQ(tampered.message, "invalid webhook signature: signature_mismatch");
  auto stale = client.ingest_webhook(body, {{"telnyx-timestamp", "1000"}, {"telnyx-signature-ed25519", sig}});
  EXPECT_EQ(stale.message, "invalid webhook signature: timestamp_outside_tolerance");
}

TEST_F(ClientTest, SettingsSwitchModeAtRunTime) {
  auto& client = start(demo_options());
  EXPECT_TRUE(client.demo());
  SettingsStore settings(*storage_);
  Settings s = settings.get();
  s.api_key = "KEY-saved";
  s.api_base = "http://127.0.0.1:9/v2";
  settings.save(s);
  client.reload_settings();
  EXPECT_FALSE(client.demo());
  EXPECT_EQ(client.settings().api_key, "KEY-saved");
  s.demo_mode = true;
  settings.save(s);
  client.reload_settings();
  EXPECT_TRUE(client.demo());
}

TEST_F(ClientTest, RestartReconcilesCallsLeftLive) {
  // A manual clock, so "later" needs no waiting.
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000'000);
  CallClientOptions o = demo_options();
  o.clock = [now] { return TimePoint(std::chrono::milliseconds(now->load())); };
  o.ring_timeout = 30s;
  o.stale_after = 60s;
  std::string id;
  {
    auto client = std::make_unique<CallClient>(*storage_, o);
    Recorder r;
    client->subscribe([&r](const CallUpdate& u) { r(u); });
    id = client->dial("+12125551234").call_id;
    ASSERT_TRUE(r.wait_status(id, CallStatus::active));
    client->close();  // the process "stops" with the call up
  }
  EXPECT_EQ(LogStore(*storage_).get(id).status, CallStatus::active);
  // Issue 15, 2.5: the new process's DemoCarrier never heard of the call; it
  // ends at start-up with a reason instead of showing "active" for hours.
  auto& client = start(o);
  EXPECT_TRUE(client.active_calls().empty());
  Call c = client.get_call(id);
  EXPECT_EQ(c.status, CallStatus::completed);  // it was answered
  EXPECT_EQ(c.hangup_source, "callwire");
  EXPECT_NE(c.failure_reason.find("stopped"), std::string::npos) << c.failure_reason;
  EXPECT_EQ(client.hangup(id).status, CallStatus::completed);  // ended: returned as is
}

// Issue 15, 2.5: a hangup that the carrier answers with "unknown call"
// (90015) or "already ended" (90018) means the call is over: it ends, with
// a reason, instead of the hangup failing with 502 and the call staying live.
TEST_F(ClientTest, HangupOfACallTheCarrierNoLongerKnowsEndsIt) {
  auto& client = start(demo_options());
  LogStore logs(*storage_);
  Call stray;
  stray.to_number = "+12125551234";
  stray.from_number = "+13125550100";
  stray.call_control_id = "v3:unknown-to-this-process";
  stray.demo = true;
  stray.created_at = stray.updated_at = TimePoint(std::chrono::milliseconds(1'800'000'000'000));
  stray.ringing_at = stray.created_at;
  stray.status = CallStatus::ringing;
  stray = logs.insert(stray);
  const Call c = client.hangup(stray.call_id);
  EXPECT_EQ(c.status, CallStatus::failed);  // never answered
  EXPECT_NE(c.failure_reason.find("stopped"), std::string::npos) << c.failure_reason;
  EXPECT_EQ(client.counters().carrier_errors, 0u);
}

TEST_F(ClientTest, StaleCallsAreReconciled) {
  // A manual clock: the call goes quiet for longer than stale_after.
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000'000);
  CallClientOptions o = demo_options();
  o.clock = [now] { return TimePoint(std::chrono::milliseconds(now->load())); };
  o.ring_timeout = 30s;
  o.stale_after = 60s;
  auto& client = start(o);
  // A call that the carrier never acknowledges: insert it as a host would see after a lost dial answer.
  LogStore logs(*storage_);
  Call stuck;
  stuck.to_number = "+12125551234";
  stuck.from_number = "+13125550100";
  stuck.created_at = stuck.updated_at = TimePoint(std::chrono::milliseconds(now->load()));
  stuck = logs.insert(stuck);
  client.close();
  auto& fresh = start(o);  // loads it as live
  *now += 61'000;
  fresh.reconcile_now();
  Call c = fresh.get_call(stuck.call_id);
  EXPECT_EQ(c.status, CallStatus::failed);
  EXPECT_NE(c.failure_reason.find("never acknowledged"), std::string::npos) << c.failure_reason;
}

TEST_F(ClientTest, ReconcilerTimingsThatCannotWorkAreRefused) {
  auto code_of = [this](CallClientOptions o) {
    try {
      CallClient c(*storage_, o);
    } catch (const Error& e) {
      return e.code();
    }
    return errc::ok;
  };
  CallClientOptions o = demo_options();
  o.stale_after = o.ring_timeout;  // ringing calls would be checked before they can ring out
  EXPECT_EQ(code_of(o), errc::invalid_argument);
  o = demo_options();
  o.live_poll_after = 541s;  // past Telnyx's 10 minutes of status after the end, less a margin
  EXPECT_EQ(code_of(o), errc::invalid_argument);
  o.live_poll_after = 540s;
  EXPECT_EQ(code_of(o), errc::ok);
}

TEST_F(ClientTest, RecordingChannelsOptionIsSingleOrDual) {
  CallClientOptions o = demo_options();
  o.recording_channels = "stereo";
  try {
    CallClient c(*storage_, o);
    ADD_FAILURE() << "stereo was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_EQ(std::string(e.what()).rfind("recording_channels: must be single", 0), 0u) << e.what();
  }
  o.recording_channels = "single";
  CallClient c(*storage_, o);
  EXPECT_EQ(c.settings().recording_channels, "single");
}

TEST_F(ClientTest, ClosedClientRefusesWork) {
  auto& client = start(demo_options());
  client.close();
  client.close();
  try {
    client.dial("+12125551234");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::closed);
  }
}
