// TelnyxCarrier end to end against the fake Telnyx (tests/support/), over
// HTTPS with a CA made at test time and over plain http: the exact bodies
// sent, every injected fault and what it leads to, command_id stability,
// 90018 on hangup, pacing, connection reuse and TLS verification.
#include <gtest/gtest.h>

#include <mutex>

#include "callwire/webhook.hpp"
#include "carrier_test_util.hpp"
#include "core/base64.hpp"
#include "fake_telnyx.hpp"
#include "json/telnyx_api.hpp"
#include "telnyx/telnyx_carrier.hpp"

namespace {

using namespace callwire;
using namespace callwire::carrier;
using namespace callwire::telnyx;
using namespace callwire::test;
using namespace std::chrono_literals;
namespace api = callwire::json::telnyx_api;
using api::Value;

Value body_of(const RecordedRequest& r) {
  std::string err;
  auto v = api::parse(r.body, &err);
  EXPECT_TRUE(v) << err << ": " << r.body;
  return v ? *v : Value();
}

class TelnyxCarrierTest : public ::testing::Test {
 protected:
  FakeTelnyxOptions fake_options(bool tls = true) {
    FakeTelnyxOptions o;
    o.tls = tls;
    o.cert_pem = Pki::get().server.cert_pem;
    o.key_pem = Pki::get().server.key_pem;
    return o;
  }

  FakeTelnyx& start_fake(FakeTelnyxOptions o) {
    fake_ = std::make_unique<FakeTelnyx>(std::move(o));
    return *fake_;
  }
  FakeTelnyx& start_fake() { return start_fake(fake_options()); }

  TelnyxOptions options() {
    TelnyxOptions o;
    o.api_key = fake_->options().api_key;
    o.api_base = fake_->base_url();
    o.ca_file = Pki::get().ca_file.path().string();
    o.retry.base_delay = 1ms;
    o.retry.max_delay = 4ms;
    o.pacing.enabled = false;
    o.on_retry = [this](const RetryEvent& e) {
      std::lock_guard lock(mu_);
      retries_.push_back(e);
    };
    return o;
  }

  /// For tests of a retry that Telnyx must recognise by its command_id: Telnyx
  /// remembers one for 60 s, and the fake's 60 s are simulated time (60 ms of
  /// real time at its default speed of 1000). These tests retry on a real-time
  /// scale of milliseconds to a second, so the fake runs at 60: its window is
  /// then a real second, as the 45 s retry budget sits inside Telnyx's 60 s.
  FakeTelnyx& start_fake_for_retries() {
    FakeTelnyxOptions o = fake_options();
    o.sim_speed = 60;
    return start_fake(std::move(o));
  }

  TelnyxCarrier& start_carrier(TelnyxOptions o) {
    carrier_ = std::make_unique<TelnyxCarrier>(loop_.executor(), std::move(o));
    return *carrier_;
  }
  TelnyxCarrier& start_carrier() { return start_carrier(options()); }

  std::vector<RetryEvent> retries() {
    std::lock_guard lock(mu_);
    return retries_;
  }

  static DialRequest dial_request(const std::string& to = "+12125550123", const std::string& command_id = "") {
    DialRequest r;
    r.call_id = "6f1c2a9e-0d4b-4f5e-9a43-7d1e2c3b4a5f";
    r.to = to;
    r.from = "+12125550100";
    r.connection_id = "1494404757140276705";
    r.command_id = command_id.empty() ? make_command_id() : command_id;
    return r;
  }

  static Value expected_dial_body(const DialRequest& r) {
    Value v = Value::object();
    v.set("to", r.to);
    v.set("from", r.from);
    v.set("connection_id", r.connection_id);
    v.set("command_id", r.command_id);
    v.set("client_state", base64::encode(r.call_id));
    v.set("timeout_secs", r.timeout_secs);
    v.set("time_limit_secs", r.time_limit_secs);
    if (!r.webhook_url.empty()) v.set("webhook_url", r.webhook_url);
    if (r.record) v.set("record", "record-from-answer");
    if (r.record && !r.record_channels.empty()) v.set("record_channels", r.record_channels);
    if (r.answering_machine_detection != AmdMode::disabled) {
      v.set("answering_machine_detection", to_string(r.answering_machine_detection));
    }
    if (!r.answering_machine_detection_config.empty()) {
      Value config = Value::object();
      for (const auto& f : amd_config_fields()) {
        if (const auto& x = r.answering_machine_detection_config.*f.value) config.set(std::string(f.name), *x);
      }
      v.set("answering_machine_detection_config", std::move(config));
    }
    return v;
  }

  CarrierResult<DialResult> dial(const DialRequest& r) {
    return await<DialResult>([&](auto h) { carrier_->dial(r, std::move(h)); });
  }

  CarrierResult<Unit> hangup(const std::string& call_control_id, const std::string& command_id = "") {
    return await<Unit>([&](auto h) { carrier_->hangup(ActionRequest{call_control_id, command_id}, std::move(h)); });
  }

  CarrierResult<CallStatusResult> status(const std::string& call_control_id) {
    return await<CallStatusResult>([&](auto h) { carrier_->call_status(call_control_id, std::move(h)); });
  }

  /// Waits until the fake has delivered a webhook of this type.
  bool wait_for_webhook(const std::string& event_type) {
    return fake_->wait_until(
        [&] {
          for (const auto& w : fake_->webhooks()) {
            if (w.event_type == event_type && w.status == 200) return true;
          }
          return false;
        },
        20s);
  }

  std::mutex mu_;
  std::vector<RetryEvent> retries_;
  Loop loop_;
  std::unique_ptr<FakeTelnyx> fake_;
  std::unique_ptr<TelnyxCarrier> carrier_;
};

// --- happy paths and exact bodies ----------------------------------------------

TEST_F(TelnyxCarrierTest, DialOverHttpsSendsTheExactBodyAndHeaders) {
  start_fake();
  start_carrier();
  auto req = dial_request();
  req.webhook_url = "https://hooks.example.com/webhooks/call";
  req.record = true;
  req.record_channels = "single";
  req.answering_machine_detection = AmdMode::detect;
  req.timeout_secs = 45;
  req.time_limit_secs = 3600;

  auto r = dial(req);
  ASSERT_TRUE(r) << r.error.message;
  EXPECT_EQ(body_of(fake_->requests().at(0)).string_at("record_channels"), "single");
  ASSERT_EQ(fake_->call_control_ids().size(), 1u);
  EXPECT_EQ(r.value->call_control_id, fake_->call_control_ids()[0]);
  EXPECT_EQ(r.value->call_control_id.rfind("v3:", 0), 0u);
  EXPECT_EQ(r.value->call_leg_id.size(), 36u);
  EXPECT_EQ(r.value->call_session_id.size(), 36u);

  auto reqs = fake_->requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/v2/calls");
  EXPECT_EQ(reqs[0].status, 200);
  EXPECT_EQ(reqs[0].headers["authorization"], "Bearer " + fake_->options().api_key);
  EXPECT_EQ(reqs[0].headers["content-type"], "application/json");
  EXPECT_EQ(reqs[0].headers["accept"], "application/json");
  EXPECT_EQ(reqs[0].headers["host"], "127.0.0.1:" + std::to_string(fake_->port()));
  EXPECT_EQ(body_of(reqs[0]), expected_dial_body(req)) << reqs[0].body;
  // client_state is plain ("unwrapped") base64 of the call_id.
  EXPECT_EQ(base64::decode(body_of(reqs[0]).string_at("client_state")), req.call_id);
  EXPECT_EQ(fake_->tls_handshakes(), 1);
  EXPECT_EQ(fake_->calls_placed(req.command_id), 1);
}

TEST_F(TelnyxCarrierTest, DialLeavesOutOptionalFieldsNotAskedFor) {
  start_fake();
  start_carrier();
  auto req = dial_request();
  ASSERT_TRUE(dial(req));
  const Value body = body_of(fake_->requests().at(0));
  EXPECT_EQ(body, expected_dial_body(req)) << api::encode(body);
  EXPECT_EQ(body.find("record"), nullptr);
  EXPECT_EQ(body.find("record_channels"), nullptr);
  EXPECT_EQ(body.find("answering_machine_detection"), nullptr);
  EXPECT_EQ(body.find("webhook_url"), nullptr);
  EXPECT_EQ(body.find("timeout_secs")->as_int(), 60);
  EXPECT_EQ(body.find("time_limit_secs")->as_int(), 14400);
}

// Every mode goes out by its Telnyx name, with the thresholds asked for, and
// the fake Telnyx (which checks the body against the spec) takes it; its
// calls then report as Telnyx does for that mode.
TEST_F(TelnyxCarrierTest, DialSendsEachAmdModeByItsNameWithItsThresholds) {
  start_fake();
  start_carrier();
  int n = 0;
  for (AmdMode mode : {AmdMode::detect, AmdMode::detect_beep, AmdMode::detect_words, AmdMode::greeting_end,
                       AmdMode::premium}) {
    auto req = dial_request();
    req.call_id = "c0ffee00-0000-4000-8000-00000000000" + std::to_string(n);
    req.command_id = "amd-" + std::to_string(n++);
    req.answering_machine_detection = mode;
    if (mode == AmdMode::greeting_end) {
      req.answering_machine_detection_config.greeting_silence_duration_millis = 2000;
      req.answering_machine_detection_config.total_analysis_time_millis = 5000;
    }
    auto r = dial(req);
    ASSERT_TRUE(r) << to_string(mode) << ": " << r.error.message;
    const Value body = body_of(fake_->requests().back());
    EXPECT_EQ(body, expected_dial_body(req)) << api::encode(body);
    EXPECT_EQ(body.string_at("answering_machine_detection"), to_string(mode));
  }
  const Value last = body_of(fake_->requests().at(3));
  ASSERT_NE(last.find("answering_machine_detection_config"), nullptr);
  EXPECT_EQ(api::encode(*last.find("answering_machine_detection_config")),
            R"({"total_analysis_time_millis":5000,"greeting_silence_duration_millis":2000})");
}

TEST_F(TelnyxCarrierTest, DialRefusesAmdThresholdsItCannotSend) {
  start_fake();
  start_carrier();
  auto req = dial_request();
  req.answering_machine_detection = AmdMode::detect;
  req.answering_machine_detection_config.initial_silence_millis = -1;
  auto r = dial(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::invalid_argument);
  EXPECT_EQ(r.error.message, "dial: answering_machine_detection_config.initial_silence_millis: must be 0 or more (got -1)");
  req.answering_machine_detection = AmdMode::disabled;
  req.answering_machine_detection_config.initial_silence_millis = 100;
  r = dial(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.message.rfind("dial: answering_machine_detection_config: detection is disabled", 0), 0u)
      << r.error.message;
  EXPECT_TRUE(fake_->requests().empty());  // nothing was sent
}

TEST_F(TelnyxCarrierTest, DialWithoutCommandIdGetsAFreshOne) {
  start_fake();
  start_carrier();
  auto req = dial_request();
  req.command_id.clear();
  ASSERT_TRUE(dial(req));
  const std::string id = body_of(fake_->requests().at(0)).string_at("command_id");
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');  // UUID v4
  EXPECT_EQ(fake_->calls_placed(id), 1);
}

TEST_F(TelnyxCarrierTest, EveryCommandSendsTheSpecBody) {
  WebhookCollector hooks;
  auto fo = fake_options();
  fo.default_webhook_url = hooks.url();
  start_fake(fo);
  start_carrier();
  auto d = dial(dial_request());
  ASSERT_TRUE(d) << d.error.message;
  const std::string id = d.value->call_control_id;
  ASSERT_TRUE(wait_for_webhook("call.answered"));

  struct Step {
    std::string action;
    std::function<void(const ActionRequest&, Handler<Unit>)> run;
    Value body;  // without command_id
  };
  auto obj = [](std::initializer_list<std::pair<const char*, Value>> fields) {
    Value v = Value::object();
    for (const auto& [k, val] : fields) v.set(k, val);
    return v;
  };
  TelnyxCarrier& c = *carrier_;
  std::vector<Step> steps = {
      {"record_start", [&](auto& a, auto h) { c.record_start(a, "mp3", "dual", std::move(h)); },
       obj({{"format", "mp3"}, {"channels", "dual"}})},
      {"record_pause", [&](auto& a, auto h) { c.record_pause(a, std::move(h)); }, obj({})},
      {"record_resume", [&](auto& a, auto h) { c.record_resume(a, std::move(h)); }, obj({})},
      {"record_stop", [&](auto& a, auto h) { c.record_stop(a, std::move(h)); }, obj({})},
      {"send_dtmf", [&](auto& a, auto h) { c.send_dtmf(a, "1234#w*", std::move(h)); }, obj({{"digits", "1234#w*"}})},
      // A gender voice: service level basic with a language (the speak rule, core/media.hpp).
      {"speak", [&](auto& a, auto h) { c.speak(a, Speech{"Hello from callwire", "", "", "", ""}, std::move(h)); },
       obj({{"payload", "Hello from callwire"},
            {"payload_type", "text"},
            {"voice", "female"},
            {"service_level", "basic"},
            {"language", "en-US"}})},
      // A provider voice: premium, and no language unless one is given.
      {"speak", [&](auto& a, auto h) { c.speak(a, Speech{"<speak>Hi</speak>", "Azure.en-CA-ClaraNeural", "", "ssml", ""}, std::move(h)); },
       obj({{"payload", "<speak>Hi</speak>"},
            {"payload_type", "ssml"},
            {"voice", "Azure.en-CA-ClaraNeural"},
            {"service_level", "premium"}})},
      {"playback_start", [&](auto& a, auto h) { c.playback_start(a, "https://example.com/hold.mp3", std::move(h)); },
       obj({{"audio_url", "https://example.com/hold.mp3"}})},
      {"playback_stop", [&](auto& a, auto h) { c.playback_stop(a, std::move(h)); }, obj({})},
      {"transfer", [&](auto& a, auto h) { c.transfer(a, "+12125550199", "+12125550100", std::move(h)); },
       obj({{"to", "+12125550199"}, {"from", "+12125550100"}})},
      {"hangup", [&](auto& a, auto h) { c.hangup(a, std::move(h)); }, obj({})},
  };
  int n = 0;
  for (auto& step : steps) {
    SCOPED_TRACE(step.action);
    const ActionRequest a{id, "cmd-" + std::to_string(++n) + "-" + step.action};
    auto r = await<Unit>([&](auto h) { step.run(a, std::move(h)); });
    EXPECT_TRUE(r) << r.error.message;
    const auto reqs = fake_->requests();
    const auto& last = reqs.back();
    EXPECT_EQ(last.method, "POST");
    EXPECT_EQ(last.target, "/v2/calls/" + id + "/actions/" + step.action);
    EXPECT_EQ(last.status, 200);
    EXPECT_EQ(last.headers.at("content-type"), "application/json");
    Value expected = step.body;
    expected.set("command_id", a.command_id);
    EXPECT_EQ(body_of(last), expected) << last.body;
  }
}

TEST_F(TelnyxCarrierTest, StatusAndRecordingOfAFinishedCall) {
  WebhookCollector hooks;
  auto fo = fake_options();
  fo.default_webhook_url = hooks.url();
  start_fake(fo);
  start_carrier();
  auto req = dial_request();
  req.record = true;
  auto d = dial(req);
  ASSERT_TRUE(d) << d.error.message;
  const std::string id = d.value->call_control_id;

  auto live = status(id);
  ASSERT_TRUE(live) << live.error.message;
  EXPECT_TRUE(live.value->is_alive);
  EXPECT_EQ(fake_->requests().back().target, "/v2/calls/" + id);
  EXPECT_EQ(fake_->requests().back().method, "GET");
  EXPECT_EQ(fake_->requests().back().body, "");

  ASSERT_TRUE(wait_for_webhook("call.answered"));
  ASSERT_TRUE(hangup(id));
  ASSERT_TRUE(wait_for_webhook("call.recording.saved"));
  auto ended = status(id);
  ASSERT_TRUE(ended) << ended.error.message;
  EXPECT_FALSE(ended.value->is_alive);

  std::string recording_id;
  for (const auto& w : fake_->webhooks()) {
    if (w.event_type != "call.recording.saved") continue;
    auto env = api::parse(w.body);
    ASSERT_TRUE(env);
    recording_id = env->find("data")->find("payload")->string_at("recording_id");
  }
  ASSERT_FALSE(recording_id.empty());
  auto rec = await<RecordingResult>([&](auto h) { carrier_->recording(recording_id, std::move(h)); });
  ASSERT_TRUE(rec) << rec.error.message;
  EXPECT_EQ(rec.value->id, recording_id);
  EXPECT_EQ(rec.value->format, "mp3");
  EXPECT_NE(rec.value->url.find(recording_id), std::string::npos) << rec.value->url;
  EXPECT_EQ(fake_->requests().back().target, "/v2/recordings/" + recording_id);

  auto missing = await<RecordingResult>([&](auto h) { carrier_->recording("no-such-recording", std::move(h)); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error.code, errc::carrier);
  EXPECT_EQ(missing.error.http_status, 404);
  EXPECT_EQ(missing.error.telnyx_code, "404");
}

// DELETE /v2/recordings/{id}, against the fake Telnyx as Telnyx answers it:
// 200 once (with the recording), then 404 for it as for an unknown id; a 5xx
// is retried (a DELETE is idempotent) and then reported whole; a wrong key
// is a 401, not retried.
TEST_F(TelnyxCarrierTest, DeleteRecordingAsTelnyxAnswersIt) {
  WebhookCollector hooks;
  auto fo = fake_options();
  fo.default_webhook_url = hooks.url();
  start_fake(fo);
  auto retrying = options();
  retrying.retry.max_attempts = 3;
  start_carrier(retrying);
  auto req = dial_request();
  req.record = true;
  auto d = dial(req);
  ASSERT_TRUE(d) << d.error.message;
  ASSERT_TRUE(wait_for_webhook("call.answered"));
  ASSERT_TRUE(hangup(d.value->call_control_id));
  ASSERT_TRUE(wait_for_webhook("call.recording.saved"));
  std::string recording_id;
  for (const auto& w : fake_->webhooks()) {
    if (w.event_type == "call.recording.saved") {
      recording_id = api::parse(w.body)->find("data")->find("payload")->string_at("recording_id");
    }
  }
  ASSERT_FALSE(recording_id.empty());
  auto del = [&](const std::string& id) {
    return await<Unit>([&](auto h) { carrier_->delete_recording(id, std::move(h)); });
  };

  // Telnyx down for a while: retried, then the last answer whole; nothing deleted.
  fake_->inject(Fault::server_error(503).on("/v2/recordings/"), 3);
  auto down = del(recording_id);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error.code, errc::unavailable);
  EXPECT_EQ(down.error.http_status, 503);
  EXPECT_EQ(fake_->pending_faults(), 0u);
  EXPECT_TRUE(await<RecordingResult>([&](auto h) { carrier_->recording(recording_id, std::move(h)); }));

  auto ok = del(recording_id);
  ASSERT_TRUE(ok) << ok.error.message;
  const auto last = fake_->requests().back();
  EXPECT_EQ(last.method, "DELETE");
  EXPECT_EQ(last.target, "/v2/recordings/" + recording_id);
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.body, "");
  EXPECT_EQ(last.headers.count("content-type"), 0u);
  // Gone: GET and a second DELETE are 404, as for an id Telnyx never had.
  auto again = del(recording_id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error.code, errc::carrier);
  EXPECT_EQ(again.error.http_status, 404);
  EXPECT_EQ(again.error.telnyx_code, "404");
  auto got = await<RecordingResult>([&](auto h) { carrier_->recording(recording_id, std::move(h)); });
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error.http_status, 404);
  EXPECT_EQ(del("no-such-recording").error.http_status, 404);
  EXPECT_EQ(del("").error.code, errc::invalid_argument);

  auto o = options();
  o.api_key = "KEY_wrong";
  start_carrier(o);
  const auto before = fake_->request_count();
  auto refused = del(recording_id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error.code, errc::carrier);
  EXPECT_EQ(refused.error.http_status, 401);
  EXPECT_EQ(refused.error.title, "Unauthorized");
  EXPECT_EQ(fake_->request_count(), before + 1);
}

TEST_F(TelnyxCarrierTest, PlainHttpWorksOnLoopback) {
  start_fake(fake_options(false));
  start_carrier();
  auto r = dial(dial_request());
  ASSERT_TRUE(r) << r.error.message;
  EXPECT_EQ(fake_->tls_handshakes(), 0);
  EXPECT_EQ(fake_->calls_placed(), 1);
}

TEST_F(TelnyxCarrierTest, ConstructorRefusesBadOptions) {
  start_fake();
  auto code_of = [&](TelnyxOptions o) {
    try {
      TelnyxCarrier c(loop_.executor(), std::move(o));
    } catch (const Error& e) {
      return std::make_pair(e.code(), std::string(e.what()));
    }
    return std::make_pair(errc::ok, std::string());
  };
  auto o = options();
  o.api_key.clear();
  EXPECT_EQ(code_of(o), std::make_pair(errc::invalid_argument, std::string("Telnyx API key is empty")));
  o = options();
  o.api_base = "http://api.telnyx.com/v2";
  EXPECT_EQ(code_of(o).first, errc::invalid_argument);
  EXPECT_NE(code_of(o).second.find("plain http is allowed only to a loopback address"), std::string::npos);
  o.allow_insecure_http = true;
  EXPECT_EQ(code_of(o).first, errc::ok);
  o = options();
  o.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(code_of(o).first, errc::invalid_argument);
  EXPECT_NE(code_of(o).second.find("CA file '/nonexistent/ca.pem' cannot be loaded"), std::string::npos);
  o = options();
  o.pacing.enabled = true;
  o.pacing.dials_per_second = 0;
  EXPECT_EQ(code_of(o).first, errc::invalid_argument);
  o = options();
  o.retry.max_attempts = 0;
  EXPECT_EQ(code_of(o).first, errc::invalid_argument);
}

TEST_F(TelnyxCarrierTest, BadArgumentsAreRefusedWithoutARequest) {
  start_fake();
  start_carrier();
  auto bad_to = dial_request("555-0100");
  auto r = dial(bad_to);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::invalid_argument);
  EXPECT_EQ(r.error.message, "dial: to '555-0100' is not an E.164 number");
  auto no_conn = dial_request();
  no_conn.connection_id.clear();
  EXPECT_EQ(dial(no_conn).error.code, errc::invalid_argument);
  auto short_ring = dial_request();
  short_ring.timeout_secs = 2;
  EXPECT_EQ(dial(short_ring).error.message, "dial: timeout_secs must be within 5..600");

  auto dtmf = await<Unit>([&](auto h) { carrier_->send_dtmf(ActionRequest{"v3:x", ""}, "12x", std::move(h)); });
  EXPECT_EQ(dtmf.error.code, errc::invalid_argument);
  auto fmt = await<Unit>([&](auto h) { carrier_->record_start(ActionRequest{"v3:x", ""}, "ogg", "single", std::move(h)); });
  EXPECT_EQ(fmt.error.message, "record_start: format must be mp3 or wav, not 'ogg'");
  auto no_id = hangup("");
  EXPECT_EQ(no_id.error.message, "hangup: call_control_id is empty");
  auto xfer = await<Unit>([&](auto h) { carrier_->transfer(ActionRequest{"v3:x", ""}, "nobody", "", std::move(h)); });
  EXPECT_EQ(xfer.error.code, errc::invalid_argument);
  // The speak rule of the client (core/media.hpp): a gender voice speaks en-US only.
  auto say = await<Unit>(
      [&](auto h) { carrier_->speak(ActionRequest{"v3:x", ""}, Speech{"Hallo", "female", "de-DE", "", ""}, std::move(h)); });
  EXPECT_EQ(say.error.code, errc::invalid_argument);
  EXPECT_EQ(say.error.message,
            "speak: language: the male and female voices (Telnyx's basic service level) speak en-US only; for de-DE "
            "choose a provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>");
  auto play = await<Unit>([&](auto h) { carrier_->playback_start(ActionRequest{"v3:x", ""}, "ftp://x/a.wav", std::move(h)); });
  EXPECT_EQ(play.error.message,
            "playback_start: audio_url: must be the http:// or https:// URL of an MP3 or WAV file, without spaces (got "
            "'ftp://x/a.wav')");
  EXPECT_EQ(fake_->request_count(), 0u);
}

// --- faults, retries, idempotency --------------------------------------------------

TEST_F(TelnyxCarrierTest, ServerErrorsAreRetriedWithTheSameCommandId) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::server_error(500), 2);
  auto req = dial_request();
  auto r = dial(req);
  ASSERT_TRUE(r) << r.error.message;
  auto reqs = fake_->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].status, 500);
  EXPECT_EQ(reqs[1].status, 500);
  EXPECT_EQ(reqs[2].status, 200);
  for (const auto& q : reqs) EXPECT_EQ(body_of(q), expected_dial_body(req));
  EXPECT_EQ(fake_->calls_placed(req.command_id), 1);
  EXPECT_EQ(fake_->calls_placed(), 1);
  auto events = retries();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].http_status, 500);
  EXPECT_EQ(events[0].attempt, 1);
  EXPECT_EQ(events[1].attempt, 2);
  EXPECT_TRUE(events[0].counted);
  EXPECT_EQ(events[0].target, "/v2/calls");
}

TEST_F(TelnyxCarrierTest, ExhaustedRetriesSurfaceTheLastTelnyxError) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::server_error(503), 4);
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::unavailable);
  EXPECT_EQ(r.error.http_status, 503);
  EXPECT_EQ(r.error.telnyx_code, "10007");
  EXPECT_EQ(r.error.title, "Service unavailable");
  EXPECT_EQ(r.error.detail, "Service unavailable");
  EXPECT_EQ(r.error.message, "Telnyx dial: HTTP 503 10007 Service unavailable: Service unavailable (after 4 attempts)");
  EXPECT_EQ(fake_->request_count(), 4u);
  EXPECT_EQ(fake_->calls_placed(), 0);
}

TEST_F(TelnyxCarrierTest, AnswerLostInADroppedConnectionDoesNotPlaceASecondCall) {
  start_fake_for_retries();
  start_carrier();
  fake_->inject(Fault::dropped(/*apply_first=*/true));  // the call is placed, the answer never arrives
  auto req = dial_request();
  auto r = dial(req);
  ASSERT_TRUE(r) << r.error.message;
  auto reqs = fake_->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].status, 0);
  EXPECT_EQ(body_of(reqs[0]).string_at("command_id"), req.command_id);
  EXPECT_EQ(body_of(reqs[1]).string_at("command_id"), req.command_id);
  EXPECT_EQ(fake_->calls_placed(req.command_id), 1);
  EXPECT_EQ(fake_->calls_placed(), 1);
  EXPECT_EQ(r.value->call_control_id, fake_->call_control_ids().at(0));
  EXPECT_EQ(fake_->connections_accepted(), 2);
}

TEST_F(TelnyxCarrierTest, ConnectionDroppedBeforeApplyingIsRetried) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::dropped(false));
  auto req = dial_request();
  auto r = dial(req);
  ASSERT_TRUE(r) << r.error.message;
  EXPECT_EQ(fake_->request_count(), 2u);
  EXPECT_EQ(fake_->calls_placed(req.command_id), 1);
  auto events = retries();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].counted);  // a fresh connection failed: that is an attempt
  EXPECT_EQ(events[0].http_status, 0);
}

TEST_F(TelnyxCarrierTest, TooManyRequestsHonoursRetryAfter) {
  start_fake();
  start_carrier();
  auto placed = dial(dial_request());
  ASSERT_TRUE(placed);
  fake_->inject(Fault::too_many("1"));
  ASSERT_TRUE(status(placed.value->call_control_id));
  auto events = retries();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].http_status, 429);
  EXPECT_EQ(events[0].delay, 1000ms);  // not the 1–4 ms backoff
  EXPECT_EQ(fake_->requests().at(1).status, 429);
}

TEST_F(TelnyxCarrierTest, TooManyRequestsHonoursRateLimitReset) {
  start_fake();
  start_carrier();
  auto placed = dial(dial_request());
  ASSERT_TRUE(placed);
  fake_->inject(Fault::too_many("", "1"));
  ASSERT_TRUE(status(placed.value->call_control_id));
  auto events = retries();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].delay, 1000ms);
}

TEST_F(TelnyxCarrierTest, RetryAfterBeyondTheCapFailsAtOnce) {
  start_fake();
  start_carrier();
  auto placed = dial(dial_request());
  ASSERT_TRUE(placed);
  fake_->inject(Fault::too_many("120"));
  auto r = status(placed.value->call_control_id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::rate_limited);
  EXPECT_EQ(r.error.http_status, 429);
  EXPECT_EQ(fake_->request_count(), 2u);
  EXPECT_TRUE(retries().empty());
}

// Issue 15, 2.8: a dial Telnyx refuses for its rate limit (its dials-per-
// second window) is not retried by the HTTP layer a few times within ~2 s
// and failed: it goes back to the front of the pacing queue, which waits.
TEST_F(TelnyxCarrierTest, ADialRefusedForTheRateLimitGoesBackToTheQueue) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::too_many("1"));
  auto req = dial_request();
  auto r = dial(req);
  ASSERT_TRUE(r) << r.error.message;
  EXPECT_EQ(fake_->request_count(), 2u);
  EXPECT_EQ(fake_->requests().at(0).status, 429);
  EXPECT_EQ(fake_->calls_placed(req.command_id), 1);
  EXPECT_TRUE(retries().empty());  // re-paced by the queue, not retried by the HTTP client
  EXPECT_EQ(carrier_->stats().dials_requeued_rate_limited, 1u);
  EXPECT_EQ(carrier_->stats().queued_dials, 0u);
}

TEST_F(TelnyxCarrierTest, ADialRefusedForTheRateLimitFailsWhenTelnyxAsksForMoreThanItMayWait) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::too_many("120"));  // the give-up time is 60 s
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::rate_limited);
  EXPECT_EQ(r.error.http_status, 429);
  EXPECT_EQ(fake_->request_count(), 1u);
  EXPECT_EQ(carrier_->stats().dials_requeued_rate_limited, 0u);
}

TEST_F(TelnyxCarrierTest, ADialRefusedForTheRateLimitFailsAfterTheGiveUpTime) {
  start_fake();
  auto o = options();
  o.pacing.rate_limited_give_up = 1500ms;
  start_carrier(o);
  fake_->inject(Fault::too_many(""), 5);  // 1 s, then 2 s would pass the 1.5 s
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::rate_limited);
  EXPECT_EQ(fake_->request_count(), 2u);
  EXPECT_EQ(carrier_->stats().dials_requeued_rate_limited, 1u);
}

TEST_F(TelnyxCarrierTest, ClientErrorsAreNotRetriedAndKeptWhole) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::telnyx("invalid_phone_number_format"));
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::carrier);
  EXPECT_EQ(r.error.http_status, 422);
  EXPECT_EQ(r.error.telnyx_code, "10016");
  EXPECT_EQ(r.error.title, "Phone number must be in +E164 format");
  EXPECT_EQ(r.error.detail, "The 'to' parameter must be in E164 format.");
  EXPECT_EQ(r.error.source_pointer, "/to");
  EXPECT_EQ(r.error.message,
            "Telnyx dial: HTTP 422 10016 Phone number must be in +E164 format: The 'to' parameter must be in E164 "
            "format. (/to)");
  EXPECT_EQ(fake_->request_count(), 1u);
  EXPECT_TRUE(retries().empty());

  fake_->inject(Fault::telnyx("_404_call_recordings_examples.connection_not_found", 404));
  auto nf = dial(dial_request());
  EXPECT_EQ(nf.error.http_status, 404);
  EXPECT_EQ(nf.error.telnyx_code, "10005");
  EXPECT_EQ(nf.error.source_pointer, "/connection_id");
  EXPECT_EQ(fake_->request_count(), 2u);
}

TEST_F(TelnyxCarrierTest, AWrongApiKeyIsA401AndNotRetried) {
  start_fake();
  auto o = options();
  o.api_key = "KEY_wrong";
  start_carrier(o);
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::carrier);
  EXPECT_EQ(r.error.http_status, 401);
  EXPECT_EQ(r.error.telnyx_code, "401");
  EXPECT_EQ(r.error.title, "Unauthorized");
  EXPECT_EQ(fake_->request_count(), 1u);
}

TEST_F(TelnyxCarrierTest, CommandsTheCallRefusesComeBackWhole) {
  auto fo = fake_options();
  fo.sim_speed = 1;  // real time: …0001 rings for a minute
  start_fake(fo);
  start_carrier();
  auto d = dial(dial_request("+12125550001"));
  ASSERT_TRUE(d);
  auto r = await<Unit>(
      [&](auto h) { carrier_->send_dtmf(ActionRequest{d.value->call_control_id, ""}, "1", std::move(h)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::carrier);
  EXPECT_EQ(r.error.http_status, 422);
  EXPECT_EQ(r.error.telnyx_code, "90034");
  EXPECT_EQ(r.error.title, "Call not answered yet");
  EXPECT_EQ(fake_->request_count(), 2u);  // not retried
  auto unknown = hangup("v3:not-a-call");
  // An unknown call_control_id is 90015 (not 90018): a real failure.
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error.telnyx_code, "90015");
  EXPECT_EQ(unknown.error.source_pointer, "/call_control_id");
}

TEST_F(TelnyxCarrierTest, HangupOfAnEndedCallIsSuccess) {
  start_fake();
  start_carrier();
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  const std::string id = d.value->call_control_id;
  ASSERT_TRUE(hangup(id));
  // The simulated call has ended: Telnyx answers 422 90018, which counts as done.
  auto again = hangup(id);
  EXPECT_TRUE(again) << again.error.message;
  auto reqs = fake_->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[2].status, 422);

  // The same error on another command is an error.
  auto dtmf = await<Unit>([&](auto h) { carrier_->send_dtmf(ActionRequest{id, ""}, "1", std::move(h)); });
  ASSERT_FALSE(dtmf);
  EXPECT_EQ(dtmf.error.telnyx_code, "90018");
  EXPECT_EQ(dtmf.error.title, "Call has already ended");

  // And the injected fixture example behaves the same.
  fake_->inject(Fault::telnyx("call_already_ended").on("/actions/hangup"));
  EXPECT_TRUE(hangup(id));
  EXPECT_EQ(fake_->pending_faults(), 0u);
}

TEST_F(TelnyxCarrierTest, RetriedHangupKeepsItsCommandId) {
  start_fake_for_retries();
  start_carrier();
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  fake_->inject(Fault::dropped(/*apply_first=*/true).on("/actions/hangup"));
  auto r = hangup(d.value->call_control_id, "hangup-command-1");
  ASSERT_TRUE(r) << r.error.message;
  auto reqs = fake_->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(body_of(reqs[1]).string_at("command_id"), "hangup-command-1");
  EXPECT_EQ(body_of(reqs[2]).string_at("command_id"), "hangup-command-1");
  // The fake applied the first one; the retry is recognised, not a 90018.
  EXPECT_EQ(reqs[2].status, 200);
}

TEST_F(TelnyxCarrierTest, SlowAnswerTimesOutAndIsRetried) {
  // The slow attempt is applied about 500 ms after the retry placed the call:
  // 30 simulated seconds at speed 60, inside Telnyx's window (at 1000 it
  // would be 500 s, and Telnyx would place a second call).
  start_fake_for_retries();
  auto o = options();
  o.timeouts.read = 100ms;
  start_carrier(o);
  fake_->inject(Fault::slow(600ms));
  auto req = dial_request();
  auto r = dial(req);
  ASSERT_TRUE(r) << r.error.message;
  auto events = retries();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].reason.find("timed out"), std::string::npos) << events[0].reason;
  // The slow request is still applied later: same command_id, one call.
  EXPECT_TRUE(fake_->wait_until([&] { return fake_->requests().at(0).status != 0; }, 5s));
  EXPECT_EQ(fake_->calls_placed(req.command_id), 1);
  EXPECT_EQ(fake_->calls_placed(), 1);
}

// Telnyx ignores a repeated command_id for 60 s only: past that a retried
// dial could place a second call. Retries stop at the budget, and the last
// attempt is cut there (before: 4 attempts of the full read timeout each).
TEST_F(TelnyxCarrierTest, RetriesStopAtTheirBudget) {
  start_fake();
  auto o = options();
  o.timeouts.read = 100ms;
  o.retry.max_attempts = 20;
  o.retry.base_delay = 10ms;
  o.retry.max_delay = 10ms;
  o.retry.budget = 250ms;
  start_carrier(o);
  fake_->inject(Fault::slow(600ms), 20);
  auto req = dial_request();
  auto r = dial(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::timeout);
  EXPECT_NE(r.error.message.find("the retry budget of 250 ms since the first attempt"), std::string::npos) << r.error.message;
  // 100 ms reads and ~10 ms pauses fit three attempts (the third cut short) into 250 ms.
  EXPECT_GE(retries().size(), 1u);
  EXPECT_LE(retries().size(), 2u);
  EXPECT_LE(fake_->requests().size(), 3u);
}

TEST_F(TelnyxCarrierTest, TimeoutWithoutRetriesIsATimeoutError) {
  start_fake();
  auto o = options();
  o.timeouts.read = 100ms;
  o.retry.max_attempts = 1;
  start_carrier(o);
  fake_->inject(Fault::slow(600ms));
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::timeout);
  EXPECT_EQ(r.error.http_status, 0);
  EXPECT_NE(r.error.message.find("timed out"), std::string::npos) << r.error.message;
}

TEST_F(TelnyxCarrierTest, UnreachableServerIsUnavailable) {
  start_fake();
  auto o = options();
  const auto port = fake_->port();
  fake_.reset();  // nobody listens there now
  o.api_base = "https://127.0.0.1:" + std::to_string(port) + "/v2";
  o.retry.max_attempts = 2;
  start_carrier(o);
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::unavailable);
  EXPECT_NE(r.error.message.find("cannot connect to 127.0.0.1:"), std::string::npos) << r.error.message;
  EXPECT_NE(r.error.message.find("(after 2 attempts)"), std::string::npos) << r.error.message;
}

// --- connection pool ---------------------------------------------------------------

TEST_F(TelnyxCarrierTest, SequentialRequestsShareOneTlsConnection) {
  start_fake();
  start_carrier();
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(status(d.value->call_control_id));
  EXPECT_EQ(fake_->request_count(), 10u);
  EXPECT_EQ(fake_->tls_handshakes(), 1);
  EXPECT_EQ(fake_->connections_accepted(), 1);
  const auto s = carrier_->stats().http;
  EXPECT_EQ(s.tls_handshakes, 1u);
  EXPECT_EQ(s.connections_opened, 1u);
  EXPECT_EQ(s.connections_reused, 9u);
  EXPECT_EQ(s.requests_sent, 10u);
}

TEST_F(TelnyxCarrierTest, ConcurrentRequestsAreBoundedByTheConnectionLimit) {
  start_fake();
  auto o = options();
  o.max_connections = 2;
  start_carrier(o);
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  std::vector<Pending<CallStatusResult>> pending(12);
  for (auto& p : pending) carrier_->call_status(d.value->call_control_id, p.handler());
  for (auto& p : pending) EXPECT_TRUE(p.get());
  EXPECT_LE(fake_->connections_accepted(), 2);
  EXPECT_LE(carrier_->stats().http.connections_opened, 2u);
  EXPECT_EQ(fake_->request_count(), 13u);
}

TEST_F(TelnyxCarrierTest, AConnectionTheServerClosedIsReplacedWithoutCountingAnAttempt) {
  start_fake();
  auto o = options();
  o.retry.max_attempts = 1;  // any counted retry would fail the request
  start_carrier(o);
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  fake_->close_connections();  // the server's idle timeout
  auto s = status(d.value->call_control_id);
  ASSERT_TRUE(s) << s.error.message;
  EXPECT_EQ(fake_->connections_accepted(), 2);
  EXPECT_EQ(fake_->tls_handshakes(), 2);
  for (const auto& e : retries()) EXPECT_FALSE(e.counted);
  const auto st = carrier_->stats().http;
  EXPECT_GE(st.stale_discarded + st.retries, 1u);
}

TEST_F(TelnyxCarrierTest, AReusedConnectionClosedBeforeAnsweringIsAFreeRetry) {
  start_fake();
  auto o = options();
  o.retry.max_attempts = 1;
  start_carrier(o);
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  fake_->inject(Fault::dropped(false));  // closes the pooled connection on the next request
  auto s = status(d.value->call_control_id);
  ASSERT_TRUE(s) << s.error.message;
  auto events = retries();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].counted);
  EXPECT_EQ(events[0].attempt, 1);
  EXPECT_EQ(fake_->request_count(), 3u);
  EXPECT_EQ(fake_->connections_accepted(), 2);
}

TEST_F(TelnyxCarrierTest, ServerClosingAfterItsAnswerIsHandled) {
  start_fake();
  auto o = options();
  o.retry.max_attempts = 1;
  start_carrier(o);
  fake_->inject(Fault::close_after_answer());
  auto d = dial(dial_request());
  ASSERT_TRUE(d);
  auto s = status(d.value->call_control_id);
  ASSERT_TRUE(s) << s.error.message;
  EXPECT_EQ(fake_->connections_accepted(), 2);
}

// --- TLS ---------------------------------------------------------------------------

TEST_F(TelnyxCarrierTest, HostNameInTheCertificateIsVerifiedBySni) {
  start_fake();
  auto o = options();
  o.api_base = fake_->base_url("localhost");
  start_carrier(o);
  auto r = dial(dial_request());
  EXPECT_TRUE(r) << r.error.message;
}

TEST_F(TelnyxCarrierTest, AnUntrustedCertificateIsATlsErrorAndNotRetried) {
  start_fake();
  TestCa other("some other CA");
  TempFile other_file(other.cert_pem(), "-other-ca.pem");
  auto o = options();
  o.ca_file = other_file.path().string();
  start_carrier(o);
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::tls);
  EXPECT_EQ(r.error.http_status, 0);
  EXPECT_NE(r.error.message.find("TLS certificate verification failed for 127.0.0.1"), std::string::npos)
      << r.error.message;
  EXPECT_EQ(fake_->request_count(), 0u);
  EXPECT_EQ(fake_->connections_accepted(), 1);
  EXPECT_TRUE(retries().empty());
}

TEST_F(TelnyxCarrierTest, ACertificateForAnotherHostIsATlsError) {
  auto fo = fake_options();
  auto wrong = Pki::get().ca.issue_server({"wrong.example"}, {"192.0.2.1"});
  fo.cert_pem = wrong.cert_pem;
  fo.key_pem = wrong.key_pem;
  start_fake(fo);
  start_carrier();
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::tls);
  EXPECT_NE(r.error.message.find("mismatch"), std::string::npos) << r.error.message;

  auto o = options();
  o.api_base = fake_->base_url("localhost");
  start_carrier(o);
  auto by_name = dial(dial_request());
  ASSERT_FALSE(by_name);
  EXPECT_EQ(by_name.error.code, errc::tls);
  EXPECT_EQ(fake_->request_count(), 0u);
}

TEST_F(TelnyxCarrierTest, PlainHttpAgainstATlsServerFails) {
  start_fake();
  auto o = options();
  o.api_base = "http://127.0.0.1:" + std::to_string(fake_->port()) + "/v2";
  o.retry.max_attempts = 1;
  start_carrier(o);
  auto r = dial(dial_request());
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error.code == errc::unavailable || r.error.code == errc::timeout) << r.error.message;
  EXPECT_EQ(fake_->request_count(), 0u);
}

// --- pacing ------------------------------------------------------------------------

TEST_F(TelnyxCarrierTest, PacingQueuesTheExcessOfABurstAndRefusesBeyondTheQueue) {
  start_fake();
  auto o = options();
  o.pacing.enabled = true;
  o.pacing.dials_per_second = 0.001;  // no new token during the test
  o.pacing.burst = 3;
  o.pacing.max_queued = 2;
  start_carrier(o);
  std::vector<DialRequest> reqs;
  std::vector<Pending<DialResult>> pending(6);
  for (int i = 0; i < 6; ++i) {
    reqs.push_back(dial_request("+1212555020" + std::to_string(i)));
    carrier_->dial(reqs.back(), pending[static_cast<std::size_t>(i)].handler());
  }
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(pending[static_cast<std::size_t>(i)].get()) << i;
  auto refused = pending[5].get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error.code, errc::rate_limited);
  EXPECT_EQ(refused.error.message, "dial refused: 2 dials already waiting for pacing (the configured maximum)");
  EXPECT_FALSE(pending[3].ready());
  EXPECT_FALSE(pending[4].ready());
  const auto s = carrier_->stats();
  EXPECT_EQ(s.queued_dials, 2u);
  EXPECT_EQ(s.dials_refused, 1u);
  EXPECT_EQ(fake_->calls_placed(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fake_->calls_placed(reqs[static_cast<std::size_t>(i)].command_id), 1);

  carrier_->shutdown();
  EXPECT_EQ(pending[3].get().error.code, errc::closed);
  EXPECT_EQ(pending[4].get().error.code, errc::closed);
  EXPECT_EQ(fake_->calls_placed(), 3);
  EXPECT_EQ(dial(dial_request()).error.code, errc::closed);
}

TEST_F(TelnyxCarrierTest, PacedDialsLeaveInOrder) {
  start_fake();
  auto o = options();
  o.pacing.enabled = true;
  o.pacing.dials_per_second = 200;
  o.pacing.burst = 1;
  o.max_connections = 1;  // requests reach the fake in the order they leave pacing
  start_carrier(o);
  std::vector<std::string> ids;
  std::vector<Pending<DialResult>> pending(6);
  for (auto& p : pending) {
    auto r = dial_request();
    ids.push_back(r.command_id);
    carrier_->dial(r, p.handler());
  }
  for (auto& p : pending) EXPECT_TRUE(p.get());
  std::vector<std::string> seen;
  for (const auto& q : fake_->requests()) seen.push_back(body_of(q).string_at("command_id"));
  EXPECT_EQ(seen, ids);
}

TEST_F(TelnyxCarrierTest, ConcurrentCallCapRefuses) {
  start_fake();
  auto o = options();
  o.pacing.max_concurrent_calls = 2;
  o.pacing.when_full = PacingOptions::WhenFull::refuse;
  start_carrier(o);
  auto a = dial(dial_request());
  auto b = dial(dial_request());
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  auto c = dial(dial_request());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error.code, errc::rate_limited);
  EXPECT_EQ(c.error.message, "dial refused: 2 concurrent calls already in progress (the configured maximum)");
  EXPECT_EQ(carrier_->stats().active_calls, 2u);
  ASSERT_TRUE(hangup(a.value->call_control_id));  // frees a slot
  EXPECT_TRUE(dial(dial_request()));
  carrier_->call_ended(b.value->call_control_id);  // as the client does on call.hangup
  EXPECT_TRUE(dial(dial_request()));
  EXPECT_EQ(fake_->calls_placed(), 4);
}

TEST_F(TelnyxCarrierTest, ConcurrentCallCapQueues) {
  start_fake();
  auto o = options();
  o.pacing.max_concurrent_calls = 1;
  start_carrier(o);
  auto a = dial(dial_request());
  ASSERT_TRUE(a);
  Pending<DialResult> b;
  carrier_->dial(dial_request(), b.handler());
  ASSERT_TRUE(fake_->wait_until([&] { return carrier_->stats().queued_dials == 1; }, 5s));
  EXPECT_FALSE(b.ready());
  EXPECT_EQ(fake_->calls_placed(), 1);
  carrier_->call_ended(a.value->call_control_id);
  auto rb = b.get();
  ASSERT_TRUE(rb) << rb.error.message;
  EXPECT_EQ(fake_->calls_placed(), 2);
  EXPECT_EQ(carrier_->stats().queued_dials, 0u);
}

TEST_F(TelnyxCarrierTest, StatusOfAnEndedCallFreesItsSlot) {
  start_fake();
  auto o = options();
  o.pacing.max_concurrent_calls = 1;
  o.pacing.when_full = PacingOptions::WhenFull::refuse;
  start_carrier(o);
  auto a = dial(dial_request("+12125550000"));  // …0000: busy, ends on its own
  ASSERT_TRUE(a);
  EXPECT_EQ(dial(dial_request()).error.code, errc::rate_limited);
  ASSERT_TRUE(fake_->wait_until(
      [&] {
        auto s = status(a.value->call_control_id);
        return s && !s.value->is_alive;
      },
      10s));
  EXPECT_TRUE(dial(dial_request()));
}

// --- shutdown ----------------------------------------------------------------------

TEST_F(TelnyxCarrierTest, ShutdownFailsWhatIsInFlight) {
  start_fake();
  start_carrier();
  fake_->inject(Fault::slow(5s));
  Pending<DialResult> p;
  carrier_->dial(dial_request(), p.handler());
  ASSERT_TRUE(fake_->wait_until([&] { return fake_->request_count() == 1; }, 5s));
  carrier_->shutdown();
  carrier_->shutdown();  // idempotent
  auto r = p.get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::closed);
  EXPECT_EQ(status("v3:x").error.code, errc::closed);
}

// --- webhooks from the fake ------------------------------------------------------------

TEST_F(TelnyxCarrierTest, WebhooksOfAPlacedCallAreSignedWithTheTestKey) {
  WebhookCollector hooks;
  start_fake();
  start_carrier();
  auto req = dial_request("+12125550004");  // …0004: answered, callee hangs up
  req.webhook_url = hooks.url("/hooks/per-call");
  auto d = dial(req);
  ASSERT_TRUE(d);
  ASSERT_TRUE(wait_for_webhook("call.hangup"));
  auto got = hooks.received();
  ASSERT_GE(got.size(), 3u);
  std::vector<std::string> types;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (const auto& w : got) {
    EXPECT_EQ(w.target, "/hooks/per-call");
    telnyx::Headers h;
    for (const auto& [k, v] : w.headers) h.set(k, v);
    EXPECT_EQ(telnyx::verify_signature(test_public_key(), h, w.body, now), telnyx::Verdict::valid);
    auto ev = telnyx::parse_webhook(w.body);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->call_control_id, d.value->call_control_id);
    EXPECT_EQ(ev->client_state, base64::encode(req.call_id));
    types.push_back(ev->event_type);
  }
  EXPECT_EQ(types.front(), "call.initiated");
  EXPECT_EQ(types[1], "call.answered");
  EXPECT_EQ(types.back(), "call.hangup");
}

TEST_F(TelnyxCarrierTest, WebhooksCanBeDuplicatedAndReordered) {
  WebhookCollector hooks;
  auto fo = fake_options();
  fo.default_webhook_url = hooks.url();
  start_fake(fo);
  fake_->set_webhook_faults(/*duplicate=*/true, /*reorder=*/true);
  start_carrier();
  ASSERT_TRUE(dial(dial_request("+12125550000")));  // busy: initiated, hangup
  ASSERT_TRUE(fake_->wait_until([&] { return fake_->webhooks().size() >= 4; }, 20s));
  auto got = fake_->webhooks();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].event_type, "call.hangup");
  EXPECT_EQ(got[1].event_type, "call.hangup");
  EXPECT_EQ(got[2].event_type, "call.initiated");
  EXPECT_EQ(got[3].event_type, "call.initiated");
  auto first = telnyx::parse_webhook(got[0].body);
  auto copy = telnyx::parse_webhook(got[1].body);
  ASSERT_TRUE(first && copy);
  EXPECT_EQ(first->id, copy->id);  // the same event twice
  EXPECT_NE(got[1].body.find("\"attempt\":2"), std::string::npos);
  EXPECT_TRUE(hooks.wait_for(4, 5s));
}

}  // namespace

// Issue 15, 2.1: the connection's active calls, with the client_state each
// was dialled with — how a dial whose answer was lost is found again.
TEST_F(TelnyxCarrierTest, ActiveCallsListTheConnectionsLiveCallsWithTheirClientState) {
  start_fake();
  start_carrier();
  auto a = dial_request("+12125550171");
  a.call_id = "0b7c8f2e-1d2a-4c3b-9e8f-00000000000a";
  auto b = dial_request("+12125550172");
  b.call_id = "0b7c8f2e-1d2a-4c3b-9e8f-00000000000b";
  auto other = dial_request("+12125550173");
  other.connection_id = "another-connection";
  auto placed_a = dial(a);
  auto placed_b = dial(b);
  ASSERT_TRUE(placed_a && placed_b && dial(other));
  auto listed = await<std::vector<carrier::ActiveCall>>(
      [&](auto h) { carrier_->active_calls(a.connection_id, std::move(h)); });
  ASSERT_TRUE(listed) << listed.error.message;
  ASSERT_EQ(listed.value->size(), 2u);
  EXPECT_EQ(listed.value->at(0).call_control_id, placed_a.value->call_control_id);
  EXPECT_EQ(listed.value->at(0).client_state, base64::encode(a.call_id));
  EXPECT_EQ(listed.value->at(1).client_state, base64::encode(b.call_id));
  EXPECT_EQ(fake_->requests().back().target, "/v2/connections/" + a.connection_id + "/active_calls?page%5Blimit%5D=250");
  // Hung up, a call is no longer listed.
  ASSERT_TRUE(hangup(placed_a.value->call_control_id));
  listed = await<std::vector<carrier::ActiveCall>>([&](auto h) { carrier_->active_calls(a.connection_id, std::move(h)); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed.value->size(), 1u);
  EXPECT_EQ(listed.value->at(0).call_control_id, placed_b.value->call_control_id);
}

// Issue 15, 2.3: a queued dial can be withdrawn; one already sent cannot.
TEST_F(TelnyxCarrierTest, AQueuedDialIsWithdrawnAndNeverSent) {
  start_fake();
  auto o = options();
  o.pacing.max_concurrent_calls = 1;
  start_carrier(o);
  auto first = dial_request("+12125550181");
  first.call_id = "0b7c8f2e-1d2a-4c3b-9e8f-0000000000f1";
  ASSERT_TRUE(dial(first));
  auto queued = dial_request("+12125550182");
  queued.call_id = "0b7c8f2e-1d2a-4c3b-9e8f-0000000000f2";
  Pending<DialResult> waiting;
  carrier_->dial(queued, waiting.handler());
  auto phase_of = [&](const std::string& call_id, bool withdraw) {
    return await<carrier::DialPhase>([&](auto h) {
      if (withdraw) {
        carrier_->cancel_dial(call_id, std::move(h));
      } else {
        carrier_->dial_phase(call_id, std::move(h));
      }
    });
  };
  EXPECT_EQ(*phase_of(queued.call_id, false).value, carrier::DialPhase::queued);
  EXPECT_EQ(*phase_of(first.call_id, true).value, carrier::DialPhase::none);  // answered: nothing to withdraw
  EXPECT_EQ(*phase_of(queued.call_id, true).value, carrier::DialPhase::queued);
  auto r = waiting.get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error.code, errc::conflict);
  EXPECT_EQ(*phase_of(queued.call_id, false).value, carrier::DialPhase::none);
  EXPECT_EQ(carrier_->stats().queued_dials, 0u);
  EXPECT_EQ(fake_->calls_placed(), 1);
}

// Issue 15, 2.1: which failed dials were certainly not placed.
TEST(DialOutcome, OnlyARefusalOrARequestThatNeverLeftIsCertain) {
  auto error = [](errc code, int http) {
    carrier::CarrierError e;
    e.code = code;
    e.http_status = http;
    return e;
  };
  EXPECT_TRUE(carrier::dial_certainly_refused(error(errc::carrier, 422)));        // D35, D38, 10016 …
  EXPECT_TRUE(carrier::dial_certainly_refused(error(errc::carrier, 403)));
  EXPECT_TRUE(carrier::dial_certainly_refused(error(errc::rate_limited, 429)));   // refused before placing
  EXPECT_TRUE(carrier::dial_certainly_refused(error(errc::invalid_argument, 0))); // never sent
  EXPECT_TRUE(carrier::dial_certainly_refused(error(errc::rate_limited, 0)));     // pacing refused it
  EXPECT_TRUE(carrier::dial_certainly_refused(error(errc::tls, 0)));
  EXPECT_FALSE(carrier::dial_certainly_refused(error(errc::carrier, 408)));
  EXPECT_FALSE(carrier::dial_certainly_refused(error(errc::unavailable, 503)));   // 5xx after the retries
  EXPECT_FALSE(carrier::dial_certainly_refused(error(errc::timeout, 0)));
  EXPECT_FALSE(carrier::dial_certainly_refused(error(errc::unavailable, 0)));     // lost connection
}

// Issue 15, 2.6: the new leg of a transfer gets the client_state callwire
// stamps for it, not the call's own.
TEST_F(TelnyxCarrierTest, TransferSendsTheTargetLegsClientState) {
  start_fake();
  start_carrier();
  // A number that only rings (docs/demo-mode.md, 0001): never answered, so
  // the refusal below does not race the answer.
  auto d = dial(dial_request("+12125550001"));
  ASSERT_TRUE(d);
  ActionRequest a{d.value->call_control_id, "cmd-transfer"};
  a.target_leg_client_state = base64::encode("callwire-transfer-leg:x");
  // Not answered yet, so Telnyx refuses it (90034) — after checking the body
  // against the spec's schema, which knows target_leg_client_state.
  auto r = await<Unit>([&](auto h) { carrier_->transfer(a, "+12125550199", "+12125550100", std::move(h)); });
  EXPECT_EQ(r.error.telnyx_code, "90034") << r.error.message;
  const auto reqs = fake_->requests();
  const auto& last = reqs.back();
  EXPECT_EQ(last.target, "/v2/calls/" + a.call_control_id + "/actions/transfer");
  EXPECT_EQ(body_of(last).string_at("target_leg_client_state"), a.target_leg_client_state);
}
