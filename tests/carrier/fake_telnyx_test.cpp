// The fake Telnyx itself: it must refuse what the real API refuses, or the
// carrier tests prove nothing. Raw requests go through HttpClient (no retries).
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <thread>

#include "callwire/webhook.hpp"
#include "carrier_test_util.hpp"
#include "fake_telnyx.hpp"
#include "json/telnyx_api.hpp"
#include "telnyx/http_client.hpp"

namespace {

using namespace callwire;
using namespace callwire::telnyx;
using namespace callwire::test;
using namespace std::chrono_literals;
namespace api = callwire::json::telnyx_api;
namespace http = boost::beast::http;

class FakeTelnyxTest : public ::testing::Test {
 protected:
  void SetUp() override { restart(plain()); }
  void TearDown() override { client_->shutdown(); }

  static FakeTelnyxOptions plain() {
    FakeTelnyxOptions o;
    o.tls = false;
    return o;
  }

  /// A new fake with these options, and a client for it.
  void restart(const FakeTelnyxOptions& o) {
    if (client_) client_->shutdown();
    fake_.reset();
    fake_ = std::make_unique<FakeTelnyx>(o);
    HttpClientOptions h;
    h.base = BaseUrl::parse(fake_->base_url());
    h.retry.max_attempts = 1;
    client_ = HttpClient::create(loop_.executor(), h);
  }

  /// POST /calls; the call_control_id of the answer ("" when refused).
  std::string place(const std::string& body) {
    auto r = send(http::verb::post, "/calls", body);
    EXPECT_EQ(r.status, 200) << r.body;
    auto call = api::parse_call_response(r.body);
    return call ? call->call_control_id : std::string();
  }

  /// The webhooks `collector` received for one call, parsed.
  static std::vector<CallEvent> events_of(const WebhookCollector& collector, const std::string& ccid) {
    std::vector<CallEvent> out;
    for (const auto& r : collector.received()) {
      auto e = telnyx::parse_webhook(r.body);
      if (e && e->call_control_id == ccid) out.push_back(*e);
    }
    return out;
  }

  /// Waits until the call's call.hangup has been delivered; returns it.
  static std::optional<CallEvent> hangup_of(const WebhookCollector& collector, const std::string& ccid) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& e : events_of(collector, ccid)) {
        if (e.event_type == "call.hangup") return e;
      }
      std::this_thread::sleep_for(5ms);
    }
    return std::nullopt;
  }

  HttpResponse send(http::verb method, const std::string& target, const std::string& body,
                    const std::string& key = "", const std::string& content_type = "application/json") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.headers.emplace_back("Authorization", "Bearer " + (key.empty() ? fake_->options().api_key : key));
    r.headers.emplace_back("Accept", "application/json");
    if (!content_type.empty()) r.headers.emplace_back("Content-Type", content_type);
    std::promise<HttpOutcome> p;
    auto f = p.get_future();
    client_->async_request(r, [&p](HttpOutcome o) { p.set_value(std::move(o)); });
    if (f.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "no answer";
      return {};
    }
    auto o = f.get();
    EXPECT_EQ(o.code, errc::ok) << o.message;
    return o.response.value_or(HttpResponse{});
  }

  /// POST a body; returns (status, errors[0].code, source.pointer).
  std::tuple<int, std::string, std::string> post(const std::string& target, const std::string& body) {
    auto r = send(http::verb::post, target, body);
    auto errors = api::parse_errors(r.body);
    return {r.status, errors.empty() ? "" : errors[0].code, errors.empty() ? "" : errors[0].source_pointer};
  }

  static std::string dial_body(const std::string& extra = "", const std::string& from = "+12125550100") {
    return R"({"to":"+12125550123","from":")" + from + R"(","connection_id":"c1","command_id":"cmd-)" +
           std::to_string(++counter_) + "\"" + extra + "}";
  }

  inline static int counter_ = 0;
  Loop loop_;
  std::unique_ptr<FakeTelnyx> fake_;
  std::shared_ptr<HttpClient> client_;
};

TEST_F(FakeTelnyxTest, AcceptsAValidDialAndAnswersInTheSpecShape) {
  auto r = send(http::verb::post, "/calls", dial_body(R"(,"client_state":"aGk=","record":"record-from-answer")"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  auto v = api::parse(r.body);
  ASSERT_TRUE(v);
  const auto* data = v->find("data");
  ASSERT_NE(data, nullptr);
  // The members of openapi_dial_response_example.json, minus end_time (alive).
  for (const char* k : {"call_control_id", "call_leg_id", "call_session_id", "client_state", "is_alive",
                        "call_duration", "record_type", "recording_id", "start_time"}) {
    EXPECT_NE(data->find(k), nullptr) << k;
  }
  EXPECT_EQ(data->find("end_time"), nullptr);
  EXPECT_EQ(data->string_at("client_state"), "aGk=");
  EXPECT_FALSE(data->find("is_alive")->as_bool());  // being set up, not yet answered
  EXPECT_TRUE(api::parse_call_response(r.body));
}

TEST_F(FakeTelnyxTest, ChecksDialBodiesAgainstTheSpec) {
  using T = std::tuple<int, std::string, std::string>;
  EXPECT_EQ(post("/calls", R"({"from":"+12125550100","connection_id":"c1","command_id":"x"})"), T(422, "10004", "/to"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"timeout_secs":"60")")), T(422, "10015", "/timeout_secs"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"timeout_secs":6.5)")), T(422, "10015", "/timeout_secs"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"record":"always")")), T(422, "10032", "/record"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"answering_machine_detection":"maybe")")),
            T(422, "10032", "/answering_machine_detection"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"answering_machine_detection":true)")),
            T(422, "10015", "/answering_machine_detection"));  // Telnyx takes a mode name, never a boolean
  // answering_machine_detection_config: its own fields, int32 each.
  EXPECT_EQ(post("/calls", dial_body(R"(,"answering_machine_detection_config":{"beep_timeout":1})")),
            T(422, "10015", "/answering_machine_detection_config/beep_timeout"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"answering_machine_detection_config":{"silence_threshold":"512"})")),
            T(422, "10015", "/answering_machine_detection_config/silence_threshold"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"answering_machine_detection_config":{"silence_threshold":4294967296})")),
            T(422, "10033", "/answering_machine_detection_config/silence_threshold"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"answering_machine_detection_config":[])")),
            T(422, "10015", "/answering_machine_detection_config"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"time_limit_secs":20)")), T(422, "10033", "/time_limit_secs"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"no_such_field":1)")), T(422, "10015", "/no_such_field"));
  EXPECT_EQ(post("/calls", dial_body(R"(,"client_state":"not base64!")")), T(422, "10015", "/client_state"));
  EXPECT_EQ(post("/calls", R"({"to":"2125550123","from":"+12125550100","connection_id":"c1","command_id":"y"})"),
            T(422, "10016", "/to"));
  EXPECT_EQ(std::get<0>(post("/calls", "{not json")), 400);
  EXPECT_EQ(fake_->calls_placed(), 0);
}

TEST_F(FakeTelnyxTest, ChecksHeadersAndRoutes) {
  EXPECT_EQ(send(http::verb::post, "/calls", dial_body(), "KEY_wrong").status, 401);
  EXPECT_EQ(send(http::verb::post, "/calls", dial_body(), "", "text/plain").status, 415);
  EXPECT_EQ(send(http::verb::post, "/nowhere", "{}").status, 404);
  EXPECT_EQ(send(http::verb::get, "/calls", "", "", "").status, 404);
  EXPECT_EQ(send(http::verb::post, "/calls/v3:unknown/actions/hangup", R"({"command_id":"z"})").status, 422);
  auto unknown = send(http::verb::get, "/calls/v3:unknown", "", "", "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(api::parse_errors(unknown.body).at(0).code, "10005");
  EXPECT_EQ(send(http::verb::get, "/recordings/none", "", "", "").status, 404);
  EXPECT_EQ(fake_->calls_placed(), 0);
}

TEST_F(FakeTelnyxTest, ChecksActionBodiesAndKeepsCommandIdsIdempotent) {
  auto dial = send(http::verb::post, "/calls", dial_body());
  ASSERT_EQ(dial.status, 200);
  const std::string id = api::parse_call_response(dial.body)->call_control_id;
  const std::string actions = "/calls/" + id + "/actions/";
  using T = std::tuple<int, std::string, std::string>;
  EXPECT_EQ(post(actions + "send_dtmf", R"({"command_id":"d1"})"), T(422, "10004", "/digits"));
  EXPECT_EQ(post(actions + "record_start", R"({"format":"ogg","channels":"dual","command_id":"r1"})"),
            T(422, "10032", "/format"));
  EXPECT_EQ(post(actions + "reject", R"({"command_id":"j1"})"), T(404, "10005", ""));  // not served
  EXPECT_EQ(post(actions + "hangup", R"({"command_id":"h1"})"), T(200, "", ""));
  EXPECT_EQ(post(actions + "hangup", R"({"command_id":"h1"})"), T(200, "", ""));  // the same command again
  EXPECT_EQ(post(actions + "hangup", R"({"command_id":"h2"})"), T(422, "90018", ""));  // a new one: ended
}

TEST_F(FakeTelnyxTest, ADialRepeatedWithItsCommandIdIsOneCall) {
  const std::string body = dial_body();
  auto a = send(http::verb::post, "/calls", body);
  auto b = send(http::verb::post, "/calls", body);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(fake_->calls_placed(), 1);
  EXPECT_EQ(fake_->calls_placed("cmd-" + std::to_string(counter_)), 1);
  EXPECT_EQ(fake_->request_count(), 2u);
}

// command_id is optional (the spec requires only to, from, connection_id):
// each dial without one is a new call, each command without one is carried out.
TEST_F(FakeTelnyxTest, WithoutACommandIdEveryRequestIsApplied) {
  const std::string body = R"({"to":"+12125550123","from":"+12125550100","connection_id":"c1"})";
  const std::string a = place(body);
  const std::string b = place(body);
  EXPECT_NE(a, b);
  EXPECT_EQ(fake_->calls_placed(), 2);
  using T = std::tuple<int, std::string, std::string>;
  EXPECT_EQ(post("/calls/" + a + "/actions/hangup", "{}"), T(200, "", ""));
  EXPECT_EQ(post("/calls/" + a + "/actions/hangup", "{}"), T(422, "90018", ""));  // carried out again: ended
}

// Telnyx ignores a repeated command_id for 60 s only; the fake's window is
// simulated time, so at speed 100 it lasts 600 ms.
TEST_F(FakeTelnyxTest, ACommandIdIsRememberedFor60SecondsOnly) {
  FakeTelnyxOptions o = plain();
  o.sim_speed = 100;
  restart(o);
  const std::string body = dial_body();
  const std::string command_id = "cmd-" + std::to_string(counter_);
  const std::string first = place(body);
  EXPECT_EQ(place(body), first);  // inside the window: the same call
  EXPECT_EQ(fake_->calls_placed(command_id), 1);
  std::this_thread::sleep_for(650ms);  // 65 simulated seconds
  const std::string second = place(body);
  EXPECT_NE(second, first);  // a second call, as Telnyx places it
  EXPECT_EQ(fake_->calls_placed(command_id), 2);
  EXPECT_EQ(fake_->calls_placed(), 2);

  // The same for a command: a repeat inside the window is not applied again,
  // one after it is (and the call has ended by then).
  using T = std::tuple<int, std::string, std::string>;
  const std::string hangup = "/calls/" + second + "/actions/hangup";
  EXPECT_EQ(post(hangup, R"({"command_id":"h1"})"), T(200, "", ""));
  EXPECT_EQ(post(hangup, R"({"command_id":"h1"})"), T(200, "", ""));
  std::this_thread::sleep_for(650ms);
  EXPECT_EQ(post(hangup, R"({"command_id":"h1"})"), T(422, "90018", ""));
}

TEST_F(FakeTelnyxTest, FaultsApplyInOrderToMatchingRequests) {
  fake_->inject(Fault::server_error(502).on("/actions/"));
  fake_->inject(Fault::too_many("7", "1700000000"));
  auto first = send(http::verb::post, "/calls", dial_body());  // skips the /actions/ fault
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.retry_after, "7");
  EXPECT_EQ(first.ratelimit_reset, "1700000000");
  EXPECT_EQ(fake_->pending_faults(), 1u);
  EXPECT_EQ(fake_->calls_placed(), 0);  // a refused request is not applied
  auto second = send(http::verb::post, "/calls", dial_body());
  ASSERT_EQ(second.status, 200);
  const std::string id = api::parse_call_response(second.body)->call_control_id;
  auto hang = send(http::verb::post, "/calls/" + id + "/actions/hangup", R"({"command_id":"h"})");
  EXPECT_EQ(hang.status, 502);
  EXPECT_EQ(api::parse_errors(hang.body).at(0).code, "10007");
  EXPECT_EQ(fake_->pending_faults(), 0u);
}

// --- the account's setup: Telnyx's own refusals --------------------------------
//
// D35, D38 and D1 are SIP 403s from Telnyx's routing, after POST /v2/calls has
// answered 200: the call is initiated, then hung up call_rejected / 403.

TEST_F(FakeTelnyxTest, ACallerIdThatIsNotTheAccountsIsRefusedD35) {
  WebhookCollector hooks;
  FakeTelnyxOptions o = plain();
  o.default_webhook_url = hooks.url();
  o.caller_ids = {"+12125550100"};
  restart(o);
  const std::string refused = place(dial_body("", "+12125550199"));
  ASSERT_FALSE(refused.empty());
  auto bye = hangup_of(hooks, refused);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->hangup_cause, "call_rejected");
  EXPECT_EQ(bye->sip_hangup_cause, "403");
  EXPECT_EQ(events_of(hooks, refused).front().event_type, "call.initiated");
  EXPECT_EQ(fake_->refusal_of(refused), "D35");

  const std::string placed = place(dial_body("", "+12125550100"));
  EXPECT_TRUE(fake_->wait_until([&] { return events_of(hooks, placed).size() >= 2; }, 10s));
  EXPECT_EQ(events_of(hooks, placed).at(1).event_type, "call.answered");
  EXPECT_EQ(fake_->refusal_of(placed), "");
}

TEST_F(FakeTelnyxTest, AConnectionWithoutAnOutboundVoiceProfileRefusesEveryDialD38) {
  WebhookCollector hooks;
  FakeTelnyxOptions o = plain();
  o.default_webhook_url = hooks.url();
  o.outbound_voice_profile = false;
  restart(o);
  const std::string id = place(dial_body());
  auto bye = hangup_of(hooks, id);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->hangup_cause, "call_rejected");
  EXPECT_EQ(bye->sip_hangup_cause, "403");
  EXPECT_EQ(fake_->refusal_of(id), "D38");
  EXPECT_EQ(fake_->calls_placed(), 1);  // accepted, then refused
}

TEST_F(FakeTelnyxTest, ADialBeyondTheChannelLimitIsRefusedD1) {
  WebhookCollector hooks;
  FakeTelnyxOptions o = plain();
  o.default_webhook_url = hooks.url();
  o.channel_limit = 1;
  restart(o);
  const std::string first = place(dial_body());  // answered, up for 4 simulated hours
  const std::string second = place(dial_body());
  auto bye = hangup_of(hooks, second);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->sip_hangup_cause, "403");
  EXPECT_EQ(fake_->refusal_of(second), "D1");
  EXPECT_EQ(fake_->refusal_of(first), "");
  // A refused call holds no channel; a hung-up one frees its own.
  ASSERT_EQ(std::get<0>(post("/calls/" + first + "/actions/hangup", R"({"command_id":"h-first"})")), 200);
  ASSERT_TRUE(hangup_of(hooks, first));
  const std::string third = place(dial_body());
  EXPECT_TRUE(fake_->wait_until([&] { return events_of(hooks, third).size() >= 2; }, 10s));
  EXPECT_EQ(fake_->refusal_of(third), "");
  EXPECT_EQ(events_of(hooks, third).at(1).event_type, "call.answered");
}

// --- call status and the call's lifetime at Telnyx ---------------------------------

// The dial's answer describes a call that is being set up: is_alive is false
// until it is answered (openapi_dial_response_example.json says false too).
TEST_F(FakeTelnyxTest, TheDialAnswerSaysTheCallIsNotAliveYet) {
  auto r = send(http::verb::post, "/calls", dial_body());
  ASSERT_EQ(r.status, 200);
  auto call = api::parse_call_response(r.body);
  ASSERT_TRUE(call);
  EXPECT_FALSE(call->is_alive);
  EXPECT_EQ(call->call_duration, 0);
}

// Telnyx answers GET /v2/calls/{id} for 10 minutes after the call's end, then
// as for a call it never knew; at speed 1000 the 10 minutes last 600 ms.
// DELETE /v2/recordings/{id} as Telnyx's spec answers it: 200 with the
// recording (RecordingResponseBody, the same resource GET gives) once, then
// 404 with the spec's not-found example for it, as for an id never seen; the
// key is checked first.
TEST_F(FakeTelnyxTest, ADeletedRecordingIsAnsweredOnceThenUnknown) {
  auto placed = send(http::verb::post, "/calls", dial_body(R"(,"record":"record-from-answer")"));
  ASSERT_EQ(placed.status, 200) << placed.body;
  const auto answer = api::parse(placed.body);
  const std::string id = answer->find("data")->string_at("call_control_id");
  const std::string rec = answer->find("data")->string_at("recording_id");
  ASSERT_FALSE(rec.empty());
  // Answered about 2 s (simulated) after the dial: give it 5.
  ASSERT_TRUE(fake_->wait_until([&] {
    auto c = api::parse_call_response(send(http::verb::get, "/calls/" + id, "", "", "").body);
    return c && c->call_duration >= 5;
  }, 5s));
  using T = std::tuple<int, std::string, std::string>;
  ASSERT_EQ(post("/calls/" + id + "/actions/hangup", R"({"command_id":"h"})"), T(200, "", ""));
  HttpResponse got;
  ASSERT_TRUE(fake_->wait_until([&] { return (got = send(http::verb::get, "/recordings/" + rec, "", "", "")).status == 200; }, 5s));

  EXPECT_EQ(send(http::verb::delete_, "/recordings/" + rec, "", "KEY_wrong", "").status, 401);
  auto del = send(http::verb::delete_, "/recordings/" + rec, "", "", "");
  ASSERT_EQ(del.status, 200) << del.body;
  const auto deleted = api::parse(del.body);
  ASSERT_TRUE(deleted);
  const api::Value* data = deleted->find("data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->string_at("id"), rec);
  EXPECT_EQ(data->string_at("record_type"), "recording");
  EXPECT_EQ(data->string_at("status"), "completed");
  EXPECT_EQ(data->string_at("call_control_id"), id);
  std::vector<std::string> keys, get_keys;
  for (const auto& [k, v] : data->members()) keys.push_back(k);
  const auto got_doc = api::parse(got.body);
  ASSERT_TRUE(got_doc);
  for (const auto& [k, v] : got_doc->find("data")->members()) get_keys.push_back(k);
  EXPECT_EQ(keys, get_keys);

  for (auto verb : {http::verb::delete_, http::verb::get}) {
    auto gone = send(verb, "/recordings/" + rec, "", "", "");
    EXPECT_EQ(gone.status, 404);
    ASSERT_EQ(api::parse_errors(gone.body).size(), 1u);
    EXPECT_EQ(api::parse_errors(gone.body)[0].code, "404");
    EXPECT_EQ(api::parse_errors(gone.body)[0].detail, "Page not found");
  }
  EXPECT_EQ(send(http::verb::delete_, "/recordings/never-seen", "", "", "").status, 404);
}

TEST_F(FakeTelnyxTest, AnEndedCallIsKnownFor10MinutesThenUnknown) {
  const std::string id = place(dial_body());
  using T = std::tuple<int, std::string, std::string>;
  ASSERT_EQ(post("/calls/" + id + "/actions/hangup", R"({"command_id":"h"})"), T(200, "", ""));
  std::optional<api::CallData> ended;
  ASSERT_TRUE(fake_->wait_until([&] {
    auto r = send(http::verb::get, "/calls/" + id, "", "", "");
    ended = api::parse_call_response(r.body);
    return r.status == 200 && ended && !ended->is_alive;
  }, 5s));
  auto r = send(http::verb::get, "/calls/" + id, "", "", "");
  EXPECT_EQ(r.status, 200);  // still inside the 10 minutes
  EXPECT_EQ(post("/calls/" + id + "/actions/hangup", R"({"command_id":"h2"})"), T(422, "90018", ""));
  std::this_thread::sleep_for(700ms);  // 11.7 simulated minutes
  r = send(http::verb::get, "/calls/" + id, "", "", "");
  EXPECT_EQ(r.status, 404);
  const auto errors = api::parse_errors(r.body);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "10005");
  EXPECT_EQ(errors[0].title, "Resource not found");
  // Commands get what a call_control_id Telnyx does not know gets.
  EXPECT_EQ(post("/calls/" + id + "/actions/hangup", R"({"command_id":"h3"})"), T(422, "90015", "/call_control_id"));
}

// --- webhooks as real deliveries are ------------------------------------------------

TEST_F(FakeTelnyxTest, WebhooksAreAsTelnyxDeliversThem) {
  WebhookCollector hooks;
  FakeTelnyxOptions o = plain();
  o.default_webhook_url = hooks.url();
  restart(o);
  // A fax machine answers a premium-AMD call that records from the answer.
  const std::string id = place(
      R"({"to":"+12125550006","from":"+12125550100","connection_id":"c1","answering_machine_detection":"premium",)"
      R"("record":"record-from-answer"})");
  ASSERT_TRUE(fake_->wait_until(
      [&] {
        for (const auto& e : events_of(hooks, id)) {
          if (e.event_type == "call.recording.saved") return true;
        }
        return false;
      },
      10s));
  std::map<std::string, api::Value> payloads;
  for (const auto& r : hooks.received()) {
    auto doc = api::parse(r.body);
    ASSERT_TRUE(doc);
    payloads[doc->find("data")->string_at("event_type")] = *doc->find("data")->find("payload");
  }
  EXPECT_EQ(payloads["call.machine.premium.detection.ended"].string_at("result"), "fax_detected");
  EXPECT_FALSE(payloads["call.hangup"].string_at("end_time").empty());
  const api::Value* pub = payloads["call.recording.saved"].find("public_recording_urls");
  ASSERT_NE(pub, nullptr);
  EXPECT_TRUE(pub->is_object() && pub->members().empty());
  EXPECT_FALSE(payloads["call.recording.saved"].find("recording_urls")->string_at("mp3").empty());

  // An account with permanent public URLs gets them.
  WebhookCollector more;
  o.default_webhook_url = more.url();
  o.public_recording_urls = true;
  restart(o);
  const std::string again = place(
      R"({"to":"+12125550004","from":"+12125550100","connection_id":"c1","record":"record-from-answer"})");
  ASSERT_TRUE(fake_->wait_until(
      [&] {
        for (const auto& e : events_of(more, again)) {
          if (e.event_type == "call.recording.saved") return true;
        }
        return false;
      },
      10s));
  for (const auto& r : more.received()) {
    auto doc = api::parse(r.body);
    if (doc->find("data")->string_at("event_type") != "call.recording.saved") continue;
    EXPECT_FALSE(doc->find("data")->find("payload")->find("public_recording_urls")->string_at("mp3").empty());
  }
}

}  // namespace
