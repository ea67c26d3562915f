#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "callwire/call_state.hpp"
#include "callwire/json.hpp"
#include "callwire/webhook.hpp"
#include "fixtures.hpp"

using namespace callwire;
using callwire::telnyx::ParseError;
using callwire::telnyx::ParseFailure;

namespace {

CallEvent parse_ok(const std::string& body) {
  ParseFailure f{};
  auto e = telnyx::parse_webhook(body, &f);
  EXPECT_TRUE(e) << f.message;
  return e.value_or(CallEvent{});
}

ParseFailure parse_bad(const std::string& body) {
  ParseFailure f{};
  EXPECT_FALSE(telnyx::parse_webhook(body, &f)) << body;
  return f;
}

}  // namespace

TEST(Envelope, EveryTelnyxFixtureParsesIntoTheRightEvent) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::fixtures_dir() / "telnyx")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("openapi_call_", 0) != 0 && name.rfind("openapi_streaming_", 0) != 0) continue;
    const std::string body = test::read_file(entry.path());
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    ASSERT_FALSE(doc.HasParseError()) << name;
    const auto& data = doc["data"];
    CallEvent e = parse_ok(body);
    EXPECT_EQ(e.event_type, data["event_type"].GetString()) << name;
    EXPECT_EQ(e.id, data["id"].GetString()) << name;
    EXPECT_EQ(json::parse_time(data["occurred_at"].GetString()), e.occurred_at) << name;
    if (data["payload"].HasMember("call_control_id")) {
      EXPECT_EQ(e.call_control_id, data["payload"]["call_control_id"].GetString()) << name;
    }
    EXPECT_FALSE(e.payload_json.empty()) << name;
    EXPECT_TRUE(telnyx::is_known_event_type(e.event_type)) << name;  // counted by name in the metrics
    ++files;
  }
  EXPECT_GE(files, 20);
}

TEST(Envelope, EventTypeLabelsAreAFixedSet) {
  EXPECT_EQ(telnyx::event_type_label("call.hangup"), "call.hangup");
  EXPECT_EQ(telnyx::event_type_label("conference.participant.joined"), "conference.participant.joined");
  EXPECT_EQ(telnyx::event_type_label("call.hangup.x"), "other");
  EXPECT_EQ(telnyx::event_type_label(""), "other");
  EXPECT_EQ(telnyx::event_type_label(std::string(10000, 'a')), "other");
}

TEST(Envelope, KnownFieldsOfEachEventType) {
  CallEvent h = parse_ok(test::fixture("telnyx/openapi_call_hangup.json"));
  EXPECT_EQ(h.event_type, "call.hangup");
  EXPECT_EQ(h.hangup_cause, "call_rejected");
  EXPECT_EQ(h.hangup_source, "caller");
  EXPECT_EQ(h.sip_hangup_cause, "603");
  EXPECT_EQ(h.client_state.value_or(""), "aGF2ZSBhIG5pY2UgZGF5ID1d");
  EXPECT_EQ(h.call_leg_id, "428c31b6-7af4-4bcb-b7f5-5013ef9657c1");
  EXPECT_NE(h.payload_json.find("call_quality_stats"), std::string::npos);  // unknown fields pass through

  CallEvent r = parse_ok(test::fixture("telnyx/openapi_call_recording_saved.json"));
  EXPECT_EQ(r.recording_url, "http://example.com/recording.mp3");
  EXPECT_EQ(r.recording_format, "mp3");
  ASSERT_TRUE(r.recording_started_at);

  EXPECT_EQ(parse_ok(test::fixture("telnyx/openapi_call_machine_detection_ended.json")).result, "human");
  EXPECT_EQ(parse_ok(test::fixture("telnyx/openapi_call_machine_premium_detection_ended.json")).result, "machine");
  // How a machine's greeting ended, read into `result` like detection's.
  const CallEvent g = parse_ok(test::fixture("telnyx/openapi_call_machine_greeting_ended.json"));
  EXPECT_EQ(g.event_type, "call.machine.greeting.ended");
  EXPECT_EQ(g.result, "ended");
  const CallEvent pg = parse_ok(test::fixture("telnyx/openapi_call_machine_premium_greeting_ended.json"));
  EXPECT_EQ(pg.event_type, "call.machine.premium.greeting.ended");
  EXPECT_EQ(pg.result, "beep_detected");
  EXPECT_EQ(pg.client_state.value_or(""), "aGF2ZSBhIG5pY2UgZGF5ID1d");
  EXPECT_FALSE(parse_ok(test::fixture("telnyx/openapi_call_dtmf_received.json")).digit.empty());
  // Why a recording failed, read into `result`.
  const CallEvent re = parse_ok(test::fixture("telnyx/openapi_call_recording_error.json"));
  EXPECT_EQ(re.event_type, "call.recording.error");
  EXPECT_EQ(re.result, "Internal server error");
  EXPECT_EQ(re.client_state.value_or(""), "aGF2ZSBhIG5pY2UgZGF5ID1d");
  EXPECT_EQ(re.recording_url, "");
  EXPECT_EQ(parse_ok(test::fixture("telnyx/openapi_call_answered.json")).event_type, "call.answered");
}

TEST(Envelope, RealDeliveryQuirks) {
  // meta beside data, null client_state, v2: ids, unknown event type and fields.
  const std::string body = R"({"data":{"record_type":"event","event_type":"call.future.thing","id":"e-1",
    "occurred_at":"2026-11-26T10:00:00.000001Z","new_field":{"x":1},
    "payload":{"call_control_id":"v2:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ","client_state":null,
               "end_time":"2026-11-26T10:00:00Z"}},
    "meta":{"attempt":2,"delivered_to":"https://example.com/webhooks/call"}})";
  CallEvent e = parse_ok(body);
  EXPECT_EQ(e.event_type, "call.future.thing");
  EXPECT_FALSE(e.client_state);
  EXPECT_EQ(e.call_control_id.rfind("v2:", 0), 0u);
  EXPECT_NE(e.meta_json.find("\"attempt\":2"), std::string::npos);
  EXPECT_NE(e.payload_json.find("end_time"), std::string::npos);

  // No payload at all is fine too.
  EXPECT_EQ(parse_ok(R"({"data":{"event_type":"call.initiated","id":"x","occurred_at":"2026-01-01T00:00:00Z"}})").id, "x");
}

TEST(Envelope, RejectsWithDistinctErrors) {
  EXPECT_EQ(parse_bad("not json").error, ParseError::malformed_json);
  EXPECT_EQ(parse_bad("[1]").error, ParseError::malformed_json);
  EXPECT_EQ(parse_bad("").error, ParseError::malformed_json);

  auto v1 = parse_bad(R"({"event_type":"call_initiated","payload":{"call_control_id":"x"}})");
  EXPECT_EQ(v1.error, ParseError::legacy_v1);
  EXPECT_NE(v1.message.find("v1"), std::string::npos);
  EXPECT_EQ(parse_bad(R"({"data":{"event_type":"call_answered","id":"x","occurred_at":"2026-01-01T00:00:00Z"}})").error,
            ParseError::legacy_v1);

  EXPECT_EQ(parse_bad(R"({"meta":{}})").error, ParseError::missing_field);
  auto no_id = parse_bad(R"({"data":{"event_type":"call.hangup","occurred_at":"2026-01-01T00:00:00Z"}})");
  EXPECT_EQ(no_id.error, ParseError::missing_field);
  EXPECT_EQ(no_id.message, "data.id is missing");
  EXPECT_EQ(parse_bad(R"({"data":{"event_type":"call.hangup","id":"x"}})").message, "data.occurred_at is missing");
  EXPECT_EQ(parse_bad(R"({"data":"x"})").error, ParseError::wrong_type);
  EXPECT_EQ(parse_bad(R"({"data":{"event_type":7,"id":"x","occurred_at":"2026-01-01T00:00:00Z"}})").error,
            ParseError::wrong_type);
  auto bad_time = parse_bad(R"({"data":{"event_type":"call.hangup","id":"x","occurred_at":"soon"}})");
  EXPECT_EQ(bad_time.error, ParseError::bad_time);
  auto wrong_payload = parse_bad(
      R"({"data":{"event_type":"call.hangup","id":"x","occurred_at":"2026-01-01T00:00:00Z","payload":{"hangup_cause":5}}})");
  EXPECT_EQ(wrong_payload.error, ParseError::wrong_type);
  EXPECT_EQ(wrong_payload.message, "data.payload.hangup_cause: expected a string");
  EXPECT_EQ(parse_bad(R"({"data":{"event_type":"call.recording.saved","id":"x","occurred_at":"2026-01-01T00:00:00Z",
    "payload":{"recording_started_at":"later"}}})").error, ParseError::bad_time);
}

// Real events give the generic names other shapes; a valid envelope is
// always accepted (a 400 makes Telnyx retry and fail over), and a typed field
// is read only for the event types that define it.
TEST(Envelope, FieldsOfOtherShapesInOtherEventTypesAreKeptNotRefused) {
  const CallEvent ai = parse_ok(R"({"data":{"event_type":"call.ai_gather.ended","id":"ev-ai","occurred_at":"2026-01-01T00:00:00Z",
    "payload":{"call_control_id":"v3:ai","result":{"name":"Ada","confirmed":true},"status":"valid"}}})");
  EXPECT_EQ(ai.call_control_id, "v3:ai");
  EXPECT_EQ(ai.result, "");  // `result` is a machine-detection verdict only for call.machine.*
  EXPECT_NE(ai.payload_json.find(R"("result":{"name":"Ada","confirmed":true})"), std::string::npos) << ai.payload_json;

  const CallEvent sms = parse_ok(R"({"data":{"event_type":"message.received","id":"ev-sms","occurred_at":"2026-01-01T00:00:00Z",
    "payload":{"from":{"phone_number":"+13125550001"},"to":[{"phone_number":"+13125550002"}],"text":"hi"}}})");
  EXPECT_EQ(sms.from, "");
  EXPECT_EQ(sms.to, "");
  EXPECT_NE(sms.payload_json.find(R"("text":"hi")"), std::string::npos);

  const CallEvent gather = parse_ok(R"({"data":{"event_type":"call.gather.ended","id":"ev-g","occurred_at":"2026-01-01T00:00:00Z",
    "payload":{"call_control_id":"v3:g","digits":"1","hangup_cause":{"odd":true},"digit":7}}})");
  EXPECT_EQ(gather.call_control_id, "v3:g");
  EXPECT_EQ(gather.hangup_cause, "");  // hangup fields belong to call.hangup

  const CallEvent machine = parse_ok(R"({"data":{"event_type":"call.machine.detection.ended","id":"ev-m","occurred_at":"2026-01-01T00:00:00Z",
    "payload":{"call_control_id":"v3:m","result":"machine"}}})");
  EXPECT_EQ(machine.result, "machine");
}

TEST(Envelope, ParsedFixturesFoldIntoACall) {
  Call c;
  for (const char* f : {"openapi_call_hangup.json", "openapi_call_initiated.json", "openapi_call_answered.json"}) {
    CallEvent e = parse_ok(test::fixture(std::string("telnyx/") + f));
    apply(c, e);
  }
  // The spec examples share one occurred_at: answered and hung up at the same instant.
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.duration, 0);
}

// Issue 15, 2.10: the stored URL is a permanent public one when the account
// has them (the signed recording_urls expire after 10 minutes), in the
// payload's own format, so URL and format agree; channels as recorded.
TEST(Envelope, RecordingUrlPrefersAPermanentOneInThePayloadsFormat) {
  auto saved = [](const std::string& extra) {
    return R"({"data":{"record_type":"event","event_type":"call.recording.saved","id":"r1",)"
           R"("occurred_at":"2026-01-01T00:00:00Z","payload":{"call_control_id":"v3:x")" + extra + "}}}";
  };
  const std::string both = R"(,"recording_urls":{"mp3":"https://signed/r.mp3","wav":"https://signed/r.wav"})"
                           R"(,"public_recording_urls":{"mp3":"https://public/r.mp3","wav":"https://public/r.wav"})";
  CallEvent e = parse_ok(saved(both + R"(,"channels":"dual")"));
  EXPECT_EQ(e.recording_url, "https://public/r.mp3");
  EXPECT_EQ(e.recording_format, "mp3");
  EXPECT_EQ(e.recording_channels, "dual");
  e = parse_ok(saved(both + R"(,"format":"wav")"));
  EXPECT_EQ(e.recording_url, "https://public/r.wav");
  EXPECT_EQ(e.recording_format, "wav");
  // No permanent URLs (most accounts: {}): the signed one.
  e = parse_ok(saved(R"(,"format":"wav","recording_urls":{"mp3":"https://signed/r.mp3","wav":"https://signed/r.wav"},)"
                     R"("public_recording_urls":{})"));
  EXPECT_EQ(e.recording_url, "https://signed/r.wav");
  EXPECT_EQ(e.recording_format, "wav");
}
