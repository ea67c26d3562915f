// DemoCarrier end to end on an io_context: every scenario reaches the right
// terminal status through the real webhook parser and call state machine,
// commands, recordings written as WAV files, errors, shutdown.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <unistd.h>

#include "callwire/call_state.hpp"
#include "carrier/demo_carrier.hpp"
#include "core/base64.hpp"
#include "fixtures.hpp"
#include "sim/wav.hpp"
#include "sim_test_util.hpp"

using namespace callwire;
using namespace callwire::carrier;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// A unique empty folder under the system temp dir, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("callwire-demo-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// An io_context, a DemoCarrier and a sink that keeps every body.
struct Harness {
  boost::asio::io_context io;
  std::vector<std::string> bodies;
  std::shared_ptr<DemoCarrier> carrier;
  TempDir dir;

  explicit Harness(double speed = 1000, DemoOptions o = {}) {
    o.speed = speed;
    if (!o.seed) o.seed = 1234;
    o.recordings_dir = dir.path / "recordings";
    o.max_call_duration = 120s;
    carrier = DemoCarrier::create(io.get_executor(), [this](std::string body) { bodies.push_back(std::move(body)); },
                                  std::move(o));
  }

  /// Runs the io_context until pred() holds. The limit only keeps a broken
  /// build from hanging the suite; it is far above what any test needs.
  template <class Pred>
  bool run_until(Pred pred, std::chrono::seconds limit = 30s) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      io.restart();
      io.run_for(5ms);
    }
    return true;
  }

  DialResult dial(const DialRequest& req) {
    std::optional<CarrierResult<DialResult>> got;
    carrier->dial(req, [&](CarrierResult<DialResult> r) { got = std::move(r); });
    EXPECT_TRUE(run_until([&] { return got.has_value(); }));
    EXPECT_TRUE(got && *got) << (got ? got->error.message : "no answer");
    return got && got->value ? *got->value : DialResult{};
  }

  template <class T, class Start>
  CarrierResult<T> wait(Start start) {
    std::optional<CarrierResult<T>> got;
    start([&](CarrierResult<T> r) { got = std::move(r); });
    EXPECT_TRUE(run_until([&] { return got.has_value(); }));
    return got ? std::move(*got) : CarrierResult<T>::fail({});
  }

  std::vector<CallEvent> events(const std::string& ccid) const {
    std::vector<CallEvent> out;
    for (const auto& b : bodies) {
      auto e = test::parse(b);
      if (e.call_control_id == ccid) out.push_back(std::move(e));
    }
    return out;
  }

  bool has(const std::string& ccid, const std::string& type) const {
    for (const auto& e : events(ccid)) {
      if (e.event_type == type) return true;
    }
    return false;
  }

  Call fold(const std::string& ccid) const {
    Call c;
    for (const auto& e : events(ccid)) apply(c, e);
    return c;
  }
};

DialRequest dial_req(std::string to, std::string call_id = "c0ffee00-0000-4000-8000-000000000001") {
  DialRequest r;
  r.call_id = std::move(call_id);
  r.to = std::move(to);
  r.from = "+15550100999";
  r.command_id = "cmd-" + r.call_id + r.to;
  return r;
}

std::vector<std::string> type_list(const std::vector<CallEvent>& evs) {
  std::vector<std::string> out;
  for (const auto& e : evs) out.push_back(e.event_type);
  return out;
}

}  // namespace

struct ScenarioCase {
  std::string to;
  bool amd;
  CallStatus status;
  std::vector<std::string> types;
};

void PrintTo(const ScenarioCase& c, std::ostream* os) { *os << c.to << (c.amd ? " amd" : ""); }

class DemoScenario : public ::testing::TestWithParam<ScenarioCase> {};

TEST_P(DemoScenario, ReachesTheRightTerminalStatus) {
  const ScenarioCase& x = GetParam();
  Harness h;
  DialRequest req = dial_req(x.to);
  req.answering_machine_detection = amd_mode_of(x.amd);
  const DialResult ids = h.dial(req);
  EXPECT_TRUE(std::regex_match(ids.call_control_id, std::regex("^v3:[A-Za-z0-9_-]{54}$")));
  EXPECT_FALSE(ids.call_leg_id.empty());
  EXPECT_FALSE(ids.call_session_id.empty());
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.hangup"); }));

  const auto evs = h.events(ids.call_control_id);
  EXPECT_EQ(type_list(evs), x.types);
  for (const auto& e : evs) {
    ASSERT_TRUE(e.client_state.has_value());
    EXPECT_EQ(base64::decode(*e.client_state), req.call_id);
    EXPECT_EQ(e.connection_id, "demo");
    EXPECT_EQ(e.call_leg_id, ids.call_leg_id);
  }
  const Call c = h.fold(ids.call_control_id);
  EXPECT_EQ(c.status, x.status) << to_string(c.status);
  EXPECT_TRUE(is_terminal(c.status));
  if (x.to.ends_with("0004")) {
    EXPECT_EQ(c.duration, 5);
  }
  if (x.to.ends_with("0003") && x.amd) {
    EXPECT_EQ(c.machine_detection, "machine");
  }
  EXPECT_EQ(h.carrier->calls_in_flight(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    All, DemoScenario,
    ::testing::Values(
        ScenarioCase{"+12125550000", false, CallStatus::busy, {"call.initiated", "call.hangup"}},
        ScenarioCase{"+12125550001", false, CallStatus::no_answer, {"call.initiated", "call.hangup"}},
        ScenarioCase{"+12125550002", false, CallStatus::failed, {"call.initiated", "call.hangup"}},
        ScenarioCase{"+12125550003", true, CallStatus::completed,
                     {"call.initiated", "call.answered", "call.machine.detection.ended", "call.hangup"}},
        ScenarioCase{"+12125550004", false, CallStatus::completed, {"call.initiated", "call.answered", "call.hangup"}},
        // Any other number stays up until the demo's time limit (120 s here).
        ScenarioCase{"+12125551234", false, CallStatus::completed, {"call.initiated", "call.answered", "call.hangup"}}));

TEST(DemoCarrier, HangupBeforeAnswerCancels) {
  DemoOptions o;
  o.timings.answer = 100s;  // 1 s of real time at speed 100: ample time to hang up first
  Harness h(100, o);
  const DialResult ids = h.dial(dial_req("+12125551234"));
  auto r = h.wait<Unit>([&](Handler<Unit> done) { h.carrier->hangup({ids.call_control_id, "hangup-1"}, std::move(done)); });
  ASSERT_TRUE(r) << r.error.message;
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.hangup"); }));
  EXPECT_EQ(type_list(h.events(ids.call_control_id)), (std::vector<std::string>{"call.initiated", "call.hangup"}));
  const Call c = h.fold(ids.call_control_id);
  EXPECT_EQ(c.status, CallStatus::canceled);
  EXPECT_EQ(c.hangup_cause, "originator_cancel");
}

TEST(DemoCarrier, HangupAfterAnswerCompletes) {
  Harness h(100);
  const DialResult ids = h.dial(dial_req("+12125551234"));
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.answered"); }));
  auto st = h.wait<CallStatusResult>([&](Handler<CallStatusResult> done) { h.carrier->call_status(ids.call_control_id, std::move(done)); });
  ASSERT_TRUE(st);
  EXPECT_TRUE(st.value->is_alive);
  EXPECT_EQ(st.value->state, "answered");
  auto r = h.wait<Unit>([&](Handler<Unit> done) { h.carrier->hangup({ids.call_control_id, ""}, std::move(done)); });
  ASSERT_TRUE(r) << r.error.message;
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.hangup"); }));
  const Call c = h.fold(ids.call_control_id);
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.hangup_cause, "normal_clearing");
  EXPECT_EQ(c.hangup_source, "caller");
  st = h.wait<CallStatusResult>([&](Handler<CallStatusResult> done) { h.carrier->call_status(ids.call_control_id, std::move(done)); });
  ASSERT_TRUE(st);
  EXPECT_FALSE(st.value->is_alive);
  EXPECT_EQ(st.value->state, "hangup");
  // A second hangup: Telnyx answers 422 90018, which counts as success.
  r = h.wait<Unit>([&](Handler<Unit> done) { h.carrier->hangup({ids.call_control_id, ""}, std::move(done)); });
  EXPECT_TRUE(r);
  // Any other command now gets the error whole.
  r = h.wait<Unit>([&](Handler<Unit> done) { h.carrier->send_dtmf({ids.call_control_id, ""}, "1", std::move(done)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::carrier);
  EXPECT_EQ(r.error.http_status, 422);
  EXPECT_EQ(r.error.telnyx_code, "90018");
  EXPECT_EQ(r.error.title, "Call has already ended");
  EXPECT_NE(r.error.message.find("90018"), std::string::npos);
}

// A dial that records from the answer without naming the channels gets
// Telnyx's default, dual: the event says so and the WAV is stereo (the
// caller's leg on channel A, the far end on B), as is one asked for dual.
TEST(DemoCarrier, ADualRecordingIsAStereoWavFile) {
  for (const std::string asked : {"", "dual"}) {
    SCOPED_TRACE("record_channels '" + asked + "'");
    Harness h;
    DialRequest req = dial_req("+12125550004");
    req.record = true;
    req.record_channels = asked;
    const DialResult ids = h.dial(req);
    ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.recording.saved"); }));
    const CallEvent saved = h.events(ids.call_control_id).back();
    EXPECT_EQ(saved.recording_channels, "dual");
    const std::string bytes = read_all(h.dir.path / "recordings" / (saved.recording_id + ".wav"));
    EXPECT_EQ(bytes.size(), 44u + 5 * 8000 * 2 * 2);  // 5 s, two 16-bit channels
    std::string why;
    const auto info = sim::inspect_wav(bytes, &why);
    ASSERT_TRUE(info) << why;
    EXPECT_EQ(info->channels, 2);
    EXPECT_EQ(info->duration, 5000ms);
  }
}

TEST(DemoCarrier, RecordingIsARealWavFile) {
  Harness h;
  DialRequest req = dial_req("+12125550004");
  req.record = true;
  req.record_channels = "single";
  const DialResult ids = h.dial(req);
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.recording.saved"); }));
  const auto evs = h.events(ids.call_control_id);
  EXPECT_EQ(type_list(evs), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup", "call.recording.saved"}));
  const CallEvent& saved = evs.back();
  EXPECT_EQ(saved.recording_url, "/recordings/" + saved.recording_id + ".wav");
  EXPECT_EQ(saved.recording_format, "wav");

  const fs::path file = h.dir.path / "recordings" / (saved.recording_id + ".wav");
  ASSERT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
  const std::string bytes = read_all(file);
  EXPECT_EQ(bytes.size(), 44u + 5 * 8000 * 2);  // the 5 s between answer and the callee's hangup
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  std::string why;
  const auto info = sim::inspect_wav(bytes, &why);
  ASSERT_TRUE(info) << why;
  EXPECT_EQ(info->sample_rate, 8000u);
  EXPECT_EQ(info->bits_per_sample, 16);
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->duration, 5000ms);
  EXPECT_EQ(saved.recording_channels, "single");

  auto rec = h.wait<RecordingResult>([&](Handler<RecordingResult> done) { h.carrier->recording(saved.recording_id, std::move(done)); });
  ASSERT_TRUE(rec) << rec.error.message;
  EXPECT_EQ(rec.value->id, saved.recording_id);
  EXPECT_EQ(rec.value->url, saved.recording_url);
  EXPECT_EQ(rec.value->format, "wav");
  EXPECT_EQ(rec.value->duration_secs, 5);
  const Call c = h.fold(ids.call_control_id);
  EXPECT_EQ(c.recording_id, saved.recording_id);

  rec = h.wait<RecordingResult>([&](Handler<RecordingResult> done) { h.carrier->recording("no-such-recording", std::move(done)); });
  ASSERT_FALSE(rec);
  EXPECT_EQ(rec.error.code, errc::not_found);
  EXPECT_EQ(rec.error.http_status, 404);
  EXPECT_EQ(rec.error.telnyx_code, "10005");

  // Deleted, it is forgotten as Telnyx forgets a deleted one (the file is the client's to remove).
  auto del = [&] { return h.wait<Unit>([&](Handler<Unit> done) { h.carrier->delete_recording(saved.recording_id, std::move(done)); }); };
  EXPECT_TRUE(del());
  EXPECT_TRUE(fs::exists(file));
  rec = h.wait<RecordingResult>([&](Handler<RecordingResult> done) { h.carrier->recording(saved.recording_id, std::move(done)); });
  EXPECT_EQ(rec.error.http_status, 404);
  const auto again = del();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error.code, errc::not_found);
  EXPECT_EQ(again.error.http_status, 404);
}

TEST(DemoCarrier, CommandsCauseTheirEvents) {
  DemoOptions o;
  o.recording_url_base = "http://127.0.0.1:8080";
  Harness h(100, o);
  const DialResult ids = h.dial(dial_req("+12125551234"));
  const ActionRequest a{ids.call_control_id, ""};
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.answered"); }));
  auto ok = [&](auto start) {
    auto r = h.wait<Unit>(start);
    EXPECT_TRUE(r) << r.error.message;
  };
  ok([&](Handler<Unit> d) { h.carrier->record_start(a, "wav", "single", std::move(d)); });
  ok([&](Handler<Unit> d) { h.carrier->speak(a, Speech{"Hello from the demo", "female", "en-US", "text", "basic"}, std::move(d)); });
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.speak.ended"); }));
  ok([&](Handler<Unit> d) { h.carrier->playback_start(a, "https://example.test/hold.wav", std::move(d)); });
  ok([&](Handler<Unit> d) { h.carrier->playback_stop(a, std::move(d)); });
  ok([&](Handler<Unit> d) { h.carrier->record_pause(a, std::move(d)); });
  ok([&](Handler<Unit> d) { h.carrier->record_resume(a, std::move(d)); });
  ok([&](Handler<Unit> d) { h.carrier->send_dtmf(a, "12#", std::move(d)); });
  ok([&](Handler<Unit> d) { h.carrier->transfer(a, "+12125550000", "", std::move(d)); });  // busy: fails, call stays
  ok([&](Handler<Unit> d) { h.carrier->record_stop(a, std::move(d)); });
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.recording.saved"); }));
  ok([&](Handler<Unit> d) { h.carrier->hangup(a, std::move(d)); });
  ASSERT_TRUE(h.run_until([&] { return h.has(ids.call_control_id, "call.hangup"); }));

  const auto evs = h.events(ids.call_control_id);
  EXPECT_EQ(type_list(evs), (std::vector<std::string>{"call.initiated", "call.answered", "call.speak.started",
                                                      "call.speak.ended", "call.playback.started", "call.playback.ended",
                                                      "call.recording.saved", "call.hangup"}));
  for (const auto& e : evs) {
    if (e.event_type == "call.recording.saved") {
      EXPECT_EQ(e.recording_url, "http://127.0.0.1:8080/recordings/" + e.recording_id + ".wav");
      EXPECT_TRUE(fs::exists(h.dir.path / "recordings" / (e.recording_id + ".wav")));
    }
  }
  // The transfer's leg (another call_control_id) rang busy.
  int leg_hangups = 0;
  for (const auto& b : h.bodies) {
    const CallEvent e = test::parse(b);
    if (e.call_control_id != ids.call_control_id && e.event_type == "call.hangup") {
      ++leg_hangups;
      EXPECT_EQ(e.hangup_cause, "user_busy");
    }
  }
  EXPECT_EQ(leg_hangups, 1);
  EXPECT_EQ(h.fold(ids.call_control_id).status, CallStatus::completed);
}

TEST(DemoCarrier, ErrorsAreTelnyxErrors) {
  Harness h(100);
  auto dial_fail = [&](DialRequest req) {
    auto r = h.wait<DialResult>([&](Handler<DialResult> d) { h.carrier->dial(req, std::move(d)); });
    EXPECT_FALSE(r);
    return r.error;
  };
  DialRequest bad = dial_req("212-555");
  carrier::CarrierError e = dial_fail(bad);
  EXPECT_EQ(e.code, errc::carrier);
  EXPECT_EQ(e.http_status, 422);
  EXPECT_EQ(e.telnyx_code, "10016");
  EXPECT_EQ(e.source_pointer, "/to");
  bad = dial_req("+12125551234");
  bad.from = "";
  EXPECT_EQ(dial_fail(bad).telnyx_code, "10004");
  bad = dial_req("+12125551234");
  bad.timeout_secs = 2;
  e = dial_fail(bad);
  EXPECT_EQ(e.telnyx_code, "10033");
  EXPECT_EQ(e.source_pointer, "/timeout_secs");
  bad = dial_req("+12125551234");
  bad.time_limit_secs = 20000;
  EXPECT_EQ(dial_fail(bad).source_pointer, "/time_limit_secs");

  auto r = h.wait<Unit>([&](Handler<Unit> d) { h.carrier->hangup({"v3:unknown", ""}, std::move(d)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.telnyx_code, "90015");
  EXPECT_EQ(r.error.http_status, 422);
  r = h.wait<Unit>([&](Handler<Unit> d) { h.carrier->hangup({"", ""}, std::move(d)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::invalid_argument);
  auto st = h.wait<CallStatusResult>([&](Handler<CallStatusResult> d) { h.carrier->call_status("v3:unknown", std::move(d)); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error.code, errc::not_found);

  // Before the answer: 90034.
  DemoOptions slow;
  slow.timings.answer = 100s;
  Harness h2(100, slow);
  const DialResult ids = h2.dial(dial_req("+12125551234"));
  r = h2.wait<Unit>([&](Handler<Unit> d) { h2.carrier->speak({ids.call_control_id, ""}, Speech{"hi", "female", "en-US", "text", "basic"}, std::move(d)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.telnyx_code, "90034");

  DemoOptions zero;
  zero.speed = 0;
  EXPECT_THROW(DemoCarrier::create(h.io.get_executor(), [](std::string) {}, zero), Error);
  EXPECT_THROW(DemoCarrier::create(h.io.get_executor(), nullptr, DemoOptions{}), Error);
}

TEST(DemoCarrier, SameCommandIdPlacesOneCall) {
  Harness h(10);  // Telnyx's 60 s window lasts 6 s of real time: the repeat comes well inside it
  const DialRequest req = dial_req("+12125550000");
  const DialResult a = h.dial(req);
  const DialResult b = h.dial(req);
  EXPECT_EQ(a.call_control_id, b.call_control_id);
  EXPECT_EQ(a.call_leg_id, b.call_leg_id);
  DialRequest other = req;
  other.command_id = "another";
  const DialResult c = h.dial(other);
  EXPECT_NE(c.call_control_id, a.call_control_id);
  ASSERT_TRUE(h.run_until([&] { return h.has(a.call_control_id, "call.hangup") && h.has(c.call_control_id, "call.hangup"); }));
  int initiated = 0;
  for (const auto& body : h.bodies) initiated += test::parse(body).event_type == "call.initiated";
  EXPECT_EQ(initiated, 2);
}

// Telnyx remembers a command_id for 60 s only; at speed 1000 that is 60 ms.
TEST(DemoCarrier, SameCommandIdAfter60SecondsPlacesASecondCall) {
  Harness h(1000);
  const DialRequest req = dial_req("+12125551234");
  const DialResult a = h.dial(req);
  std::this_thread::sleep_for(80ms);  // 80 simulated seconds
  const DialResult b = h.dial(req);
  EXPECT_NE(a.call_control_id, b.call_control_id);
  ASSERT_TRUE(h.run_until([&] { return h.has(b.call_control_id, "call.answered"); }));
  EXPECT_TRUE(h.has(a.call_control_id, "call.answered"));
}

TEST(DemoCarrier, ManyCallsOnTwoThreadsDeliverInOrderWithoutOverlap) {
  boost::asio::io_context io;
  std::mutex mu;
  std::vector<std::string> bodies;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  DemoOptions o;
  o.speed = 1000;
  o.seed = 9;
  o.max_call_duration = 10s;
  auto carrier = DemoCarrier::create(io.get_executor(), [&](std::string body) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    {
      std::lock_guard lock(mu);
      bodies.push_back(std::move(body));
    }
    inside.fetch_sub(1);
  }, o);
  const std::vector<std::string> numbers = {"+12125550000", "+12125550001", "+12125550002", "+12125550003",
                                            "+12125550004", "+12125551234"};
  std::atomic<int> dialed{0};
  std::vector<std::string> ccids(24);
  for (std::size_t i = 0; i < ccids.size(); ++i) {
    carrier->dial(dial_req(numbers[i % numbers.size()], "call-" + std::to_string(i)), [&, i](CarrierResult<DialResult> r) {
      ASSERT_TRUE(r);
      ccids[i] = r.value->call_control_id;
      ++dialed;
    });
  }
  std::thread t1([&] { io.run(); });
  std::thread t2([&] { io.run(); });
  t1.join();
  t2.join();  // run() returns when every call has ended: no work left
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(dialed, 24);
  EXPECT_EQ(carrier->calls_in_flight(), 0u);
  std::map<std::string, std::vector<std::string>> per_call;
  for (const auto& b : bodies) {
    const CallEvent e = test::parse(b);
    per_call[e.call_control_id].push_back(e.event_type);
  }
  ASSERT_EQ(per_call.size(), 24u);
  for (const auto& [ccid, evs] : per_call) {
    EXPECT_EQ(evs.front(), "call.initiated") << ccid;
    EXPECT_EQ(evs.back(), "call.hangup") << ccid;
  }
}

TEST(DemoCarrier, ShutdownWithCallsInFlight) {
  Harness h(100);
  std::vector<DialResult> calls;
  for (int i = 0; i < 3; ++i) calls.push_back(h.dial(dial_req("+1212555123" + std::to_string(i), "call-" + std::to_string(i))));
  ASSERT_TRUE(h.run_until([&] {
    for (const auto& c : calls) {
      if (!h.has(c.call_control_id, "call.answered")) return false;
    }
    return true;
  }));
  EXPECT_EQ(h.carrier->calls_in_flight(), 3u);

  // Posted before shutdown() but run after it: completed with errc::closed.
  std::optional<CarrierResult<Unit>> pending;
  h.carrier->hangup({calls[0].call_control_id, ""}, [&](CarrierResult<Unit> r) { pending = std::move(r); });
  h.carrier->shutdown();
  h.carrier->shutdown();  // idempotent
  std::optional<CarrierResult<DialResult>> late;
  h.carrier->dial(dial_req("+12125559876"), [&](CarrierResult<DialResult> r) { late = std::move(r); });
  const std::size_t delivered = h.bodies.size();
  h.io.restart();
  h.io.run_for(300ms);  // 30 s of simulated time: the calls would have ended
  EXPECT_TRUE(h.io.stopped()) << "timers still pending after shutdown";
  ASSERT_TRUE(pending.has_value());
  EXPECT_FALSE(*pending);
  EXPECT_EQ(pending->error.code, errc::closed);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->error.code, errc::closed);
  EXPECT_EQ(h.bodies.size(), delivered);
  EXPECT_EQ(h.carrier->calls_in_flight(), 0u);
}

TEST(DemoCarrier, DroppingTheCarrierCancelsItsTimers) {
  Harness h(1);  // real time: calls would run for minutes
  h.dial(dial_req("+12125551234"));
  h.carrier.reset();
  h.io.restart();
  h.io.run_for(500ms);
  EXPECT_TRUE(h.io.stopped());
  EXPECT_LE(h.bodies.size(), 1u);  // at most call.initiated
}

TEST(DemoCarrier, UnwritableRecordingsFolderGivesRecordingError) {
  TempDir tmp;
  const fs::path blocker = tmp.path / "not-a-dir";
  std::ofstream(blocker) << "x";
  boost::asio::io_context io;
  std::vector<std::string> bodies;
  DemoOptions o;
  o.speed = 1000;
  o.seed = 5;
  o.recordings_dir = blocker / "recordings";
  auto carrier = DemoCarrier::create(io.get_executor(), [&](std::string b) { bodies.push_back(std::move(b)); }, o);
  DialRequest req = dial_req("+12125550004");
  req.record = true;
  carrier->dial(req, [](CarrierResult<DialResult> r) { ASSERT_TRUE(r); });
  io.run();
  ASSERT_FALSE(bodies.empty());
  const CallEvent last = test::parse(bodies.back());
  EXPECT_EQ(last.event_type, "call.recording.error");
  EXPECT_NE(last.payload_json.find("Internal server error"), std::string::npos);
}
