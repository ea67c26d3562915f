#include <gtest/gtest.h>

#include "callwire/error.hpp"
#include "callwire/json.hpp"

using namespace callwire;
using namespace std::chrono_literals;

namespace {

Call sample_call() {
  Call c;
  c.call_id = "5f0c6a0e-2b43-4a5b-9d43-0b6f2c1d8e11";
  c.call_control_id = "v3:abc";
  c.call_leg_id = "leg";
  c.call_session_id = "sess";
  c.connection_id = "conn";
  c.to_number = "+12125551234";
  c.from_number = "+13125550000";
  c.direction = Direction::inbound;
  c.status = CallStatus::completed;
  c.created_at = TimePoint(1'700'000'000'000ms);
  c.updated_at = TimePoint(1'700'000'060'000ms);
  c.answered_at = TimePoint(1'700'000'002'000ms);
  c.ended_at = TimePoint(1'700'000'062'500ms);
  c.duration = 60;
  c.hangup_cause = "normal_clearing";
  c.hangup_source = "callee";
  c.machine_detection = "machine";
  c.machine_greeting = "beep_detected";
  c.contact_id = "contact-1";
  c.contact_name = "Ada \"the\" Lovelace ✓";
  c.muted = true;
  c.recording = true;
  c.recording_paused = true;
  c.demo = true;
  c.record_from_answer = true;
  c.recording_error = "Telnyx could not record the call: Internal server error";
  return c;
}

template <class T, class Decode>
void expect_round_trip(const T& v, Decode decode) {
  const std::string text = json::encode(v);
  EXPECT_EQ(json::encode(decode(text)), text);
}

}  // namespace

TEST(Codec, CallRoundTripsAndUsesRestNames) {
  const Call c = sample_call();
  const std::string text = json::encode(c);
  EXPECT_NE(text.find("\"call_id\":\"5f0c6a0e-2b43-4a5b-9d43-0b6f2c1d8e11\""), std::string::npos);
  EXPECT_NE(text.find("\"status\":\"completed\""), std::string::npos);
  EXPECT_NE(text.find("\"answered_at\":\"2023-11-14T22:13:22.000Z\""), std::string::npos);
  EXPECT_NE(text.find("\"recording_id\":null"), std::string::npos);
  EXPECT_NE(text.find("\"direction\":\"inbound\""), std::string::npos);
  EXPECT_NE(text.find("\"recording\":true,\"recording_paused\":true"), std::string::npos);
  expect_round_trip(c, json::decode_call);
  EXPECT_TRUE(json::decode_call(text).recording_paused);
  EXPECT_NE(text.find("\"machine_detection\":\"machine\",\"machine_greeting\":\"beep_detected\""), std::string::npos);
  EXPECT_EQ(json::decode_call(text).machine_greeting, "beep_detected");
  EXPECT_NE(text.find("\"demo\":true,\"record_from_answer\":true,\"recording_error\":\"Telnyx could not record the "
                      "call: Internal server error\""),
            std::string::npos)
      << text;
  EXPECT_TRUE(json::decode_call(text).record_from_answer);
  EXPECT_EQ(json::decode_call(text).recording_error, c.recording_error);
  // A Call encoded before the fields existed reads them as "" / false.
  const Call old = json::decode_call(R"({"call_id":"c","status":"active"})");
  EXPECT_EQ(old.machine_greeting, "");
  EXPECT_FALSE(old.record_from_answer);
  EXPECT_EQ(old.recording_error, "");
}

TEST(Codec, EveryTypeRoundTrips) {
  Contact contact;
  contact.id = "c1";
  contact.name = "Grace";
  contact.phone = "+442079460958";
  contact.email = "grace@example.com";
  contact.category = ContactCategory::follow_up;
  contact.is_favorite = true;
  contact.created_at = TimePoint(1ms);
  expect_round_trip(contact, json::decode_contact);

  Recording r;
  r.id = "r1";
  r.call_id = "call";
  r.url = "/recordings/r1.wav";
  r.duration = 31;
  r.format = "wav";
  r.remote_delete_error = "Telnyx did not delete the recording (HTTP 503): it is kept here; try again later.";
  expect_round_trip(r, json::decode_recording);
  EXPECT_EQ(json::decode_recording(json::encode(r)).remote_delete_error, r.remote_delete_error);
  EXPECT_NE(json::encode(r).find("\"remote_delete_error\":\"Telnyx did not delete"), std::string::npos);

  PhoneNumber n;
  n.id = "n1";
  n.number = "+13125550000";
  n.name = "Main line";
  n.is_default = true;
  expect_round_trip(n, json::decode_phone_number);

  Settings s;
  s.api_key = "KEY";
  s.public_key = "pk";
  s.auto_record = true;
  s.recording_channels = "single";
  expect_round_trip(s, json::decode_settings);
  EXPECT_EQ(json::decode_settings(json::encode(s)).recording_channels, "single");

  Stats st;
  st.total_calls = 10;
  st.completed_calls = 7;
  st.average_duration = 42.5;
  st.answer_rate = 0.7;
  st.by_status = {{"completed", 7}, {"busy", 3}};
  st.per_day = {{"2026-11-26", 10}};
  expect_round_trip(st, json::decode_stats);

  CallEvent e;
  e.id = "ev";
  e.event_type = "call.hangup";
  e.occurred_at = TimePoint(5ms);
  e.client_state = std::nullopt;
  e.payload_json = R"({"a":[1,2,{"b":null}],"unknown":"kept"})";
  e.meta_json = R"({"attempt":2})";
  expect_round_trip(e, json::decode_call_event);
}

TEST(Codec, NumbersInAPayloadSurviveEveryRoundTrip) {
  // An integer beyond 2^64 becomes a double; parsed without full precision,
  // its shortest form read back as a neighbouring double, so the stored
  // payload changed each time it was written and read (found by fuzz_webhook).
  CallEvent e;
  e.id = "ev-1";
  e.event_type = "call.hangup";
  e.payload_json = R"({"n":4444444440000000000014383820057641979448,"x":0.1,"y":1.7976931348623157e308})";
  // The first encode writes the payload as given; each decode parses it.
  const std::string stored = json::encode(json::decode_call_event(json::encode(e)));
  EXPECT_NE(stored.find(R"("n":4.44444444e39,)"), std::string::npos) << stored;  // the nearest double
  EXPECT_NE(stored.find(R"("x":0.1,"y":1.7976931348623157e308})"), std::string::npos) << stored;
  const std::string again = json::encode(json::decode_call_event(stored));
  EXPECT_EQ(again, stored);
  EXPECT_EQ(json::encode(json::decode_call_event(again)), stored);
}

TEST(Codec, ArraysEncode) {
  std::vector<PhoneNumber> numbers(2);
  numbers[0].id = "a";
  numbers[1].id = "b";
  const std::string text = json::encode(numbers);
  EXPECT_EQ(text.front(), '[');
  EXPECT_NE(text.find("\"id\":\"b\""), std::string::npos);
  EXPECT_EQ(json::encode(std::vector<Call>{}), "[]");
}

TEST(Codec, MissingFieldsKeepDefaultsAndUnknownFieldsAreIgnored) {
  Contact c = json::decode_contact(R"({"name":"Ada","phone":"+12125551234","extra":{"x":1}})");
  EXPECT_EQ(c.name, "Ada");
  EXPECT_EQ(c.category, ContactCategory::other);
  EXPECT_FALSE(c.is_favorite);
  Call call = json::decode_call(R"({"id":"stored-id","status":"ringing","contact_id":null})");
  EXPECT_EQ(call.call_id, "stored-id");
  EXPECT_EQ(call.status, CallStatus::ringing);
  EXPECT_FALSE(call.contact_id);
}

TEST(Codec, WrongTypesNameTheField) {
  auto message = [](auto fn) -> std::string {
    try {
      fn();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), errc::invalid_argument);
      return e.what();
    }
    return "<no error>";
  };
  EXPECT_EQ(message([] { json::decode_contact(R"({"is_favorite":"yes"})"); }), "contact.is_favorite: expected a boolean");
  EXPECT_EQ(message([] { json::decode_contact(R"({"category":"friend"})"); }), "contact.category: unknown value 'friend'");
  EXPECT_EQ(message([] { json::decode_call(R"({"duration":"60"})"); }), "call.duration: expected an integer");
  EXPECT_EQ(message([] { json::decode_call(R"({"created_at":"yesterday"})"); }),
            "call.created_at: expected an ISO-8601 time string");
  EXPECT_EQ(message([] { json::decode_phone_number(R"({"number":5})"); }), "phone_number.number: expected a string");
  EXPECT_EQ(message([] { json::decode_settings(R"([1,2])"); }), "settings: expected a JSON object");
  EXPECT_EQ(message([] { json::decode_stats("{"); }).rfind("stats: malformed JSON", 0), 0u);
}

TEST(Codec, ErrorBody) {
  EXPECT_EQ(json::error_body("Call not found"), R"({"detail":"Call not found"})");
  EXPECT_EQ(json::error_body("quote \" and \\"), R"({"detail":"quote \" and \\"})");
}
