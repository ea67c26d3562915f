// JSON of the Telnyx REST API (src/json/telnyx_api): the Value tree and the
// typed decoders, against the spec's examples in tests/fixtures/telnyx/.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "json/telnyx_api.hpp"

namespace {

namespace api = callwire::json::telnyx_api;
using api::Value;
using callwire::test::fixture;

TEST(TelnyxApiValue, EncodesInInsertionOrderAndParsesBack) {
  Value v = Value::object();
  v.set("to", "+12125550100");
  v.set("timeout_secs", 60);
  v.set("record", true);
  v.set("ratio", 0.5);
  v.set("none", nullptr);
  Value arr = Value::array();
  arr.push("a");
  arr.push(1);
  v.set("list", arr);
  EXPECT_EQ(api::encode(v), R"({"to":"+12125550100","timeout_secs":60,"record":true,"ratio":0.5,"none":null,"list":["a",1]})");
  auto back = api::parse(api::encode(v));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, v);
}

TEST(TelnyxApiValue, SetReplacesInPlaceAndEqualityIgnoresMemberOrder) {
  Value a = Value::object();
  a.set("x", 1);
  a.set("y", 2);
  a.set("x", 3);
  EXPECT_EQ(api::encode(a), R"({"x":3,"y":2})");
  Value b = Value::object();
  b.set("y", 2);
  b.set("x", 3);
  EXPECT_EQ(a, b);
  b.set("x", "3");
  EXPECT_NE(a, b);  // a string is not a number
  EXPECT_EQ(Value(2), Value(2.0));
  EXPECT_TRUE(a.erase("x"));
  EXPECT_FALSE(a.erase("x"));
  EXPECT_EQ(api::encode(a), R"({"y":2})");
}

TEST(TelnyxApiValue, EscapesAndKeepsUtf8) {
  Value v = Value::object();
  v.set("payload", "quote \" backslash \\ newline \n café");
  auto back = api::parse(api::encode(v));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->string_at("payload"), "quote \" backslash \\ newline \n café");
}

TEST(TelnyxApiValue, MalformedJsonSaysWhere) {
  std::string err;
  EXPECT_FALSE(api::parse(R"({"a": 1,})", &err));
  EXPECT_NE(err.find("malformed JSON at offset 8"), std::string::npos) << err;
}

TEST(TelnyxApiErrors, ParsesEveryFixtureExampleWhole) {
  auto examples = api::parse(fixture("telnyx/openapi_error_422_examples.json"));
  ASSERT_TRUE(examples);
  for (const auto& [name, body] : examples->members()) {
    auto errors = api::parse_errors(api::encode(body));
    ASSERT_EQ(errors.size(), 1u) << name;
    const Value& e = body.find("errors")->items()[0];
    EXPECT_EQ(errors[0].code, e.string_at("code")) << name;
    EXPECT_EQ(errors[0].title, e.string_at("title")) << name;
    EXPECT_EQ(errors[0].detail, e.string_at("detail")) << name;
    const Value* source = e.find("source");
    EXPECT_EQ(errors[0].source_pointer, source ? source->string_at("pointer") : "") << name;
  }
  auto phone = api::parse_errors(api::encode(*examples->find("invalid_phone_number_format")));
  EXPECT_EQ(phone[0].code, "10016");
  EXPECT_EQ(phone[0].source_pointer, "/to");
}

TEST(TelnyxApiErrors, NumericCodesBecomeStringsAndJunkIsEmpty) {
  auto e = api::parse_errors(R"({"errors":[{"code":90018,"title":"Call has already ended"}, 5]})");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].code, "90018");
  EXPECT_TRUE(api::parse_errors("<html>502 Bad Gateway</html>").empty());
  EXPECT_TRUE(api::parse_errors(R"({"errors":"nope"})").empty());
  EXPECT_TRUE(api::parse_errors("").empty());
}

TEST(TelnyxApiErrors, EncodeRoundTrips) {
  std::vector<api::ApiError> in = {{"10004", "Missing required parameter", "The 'to' parameter is required.", "/to"},
                                   {"90018", "Call has already ended", "", ""}};
  auto out = api::parse_errors(api::encode_errors(in));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].source_pointer, "/to");
  EXPECT_EQ(out[1].code, "90018");
  EXPECT_EQ(api::encode_errors({in[1]}), R"({"errors":[{"code":"90018","title":"Call has already ended"}]})");
}

TEST(TelnyxApiCall, ParsesTheDialResponseExample) {
  std::string err;
  auto c = api::parse_call_response(fixture("telnyx/openapi_dial_response_example.json"), &err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->call_control_id, "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg");
  EXPECT_EQ(c->call_leg_id, "2dc6fc34-f9e0-11ea-b68e-02420a0f7768");
  EXPECT_EQ(c->call_session_id, "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768");
  EXPECT_EQ(c->client_state, "aGF2ZSBhIG5pY2UgZGF5ID1d");
  EXPECT_EQ(c->recording_id, "d7e9c1d4-8b2a-4b8f-b3a7-9a671c9e9b0a");
  EXPECT_FALSE(c->is_alive);
  EXPECT_EQ(c->call_duration, 50);
  EXPECT_EQ(c->start_time, "2019-01-23T18:10:02.574Z");
  EXPECT_EQ(c->end_time, "2019-01-23T18:11:52.574Z");
}

TEST(TelnyxApiCall, NamesTheBadField) {
  std::string err;
  EXPECT_FALSE(api::parse_call_response(R"({"data":{"call_leg_id":"x"}})", &err));
  EXPECT_EQ(err, "data.call_control_id: is required");
  EXPECT_FALSE(api::parse_call_response(R"({"data":{"call_control_id":"v3:x","is_alive":"yes"}})", &err));
  EXPECT_EQ(err, "data.is_alive: expected a boolean");
  EXPECT_FALSE(api::parse_call_response(R"({"data":{"call_control_id":"v3:x","call_duration":1.5}})", &err));
  EXPECT_EQ(err, "data.call_duration: expected an integer");
  EXPECT_FALSE(api::parse_call_response(R"({"errors":[]})", &err));
  EXPECT_EQ(err, "data: expected an object");
  EXPECT_FALSE(api::parse_call_response("[]", &err));
  EXPECT_EQ(err, "expected a JSON object");
}

TEST(TelnyxApiRecording, ParsesDownloadUrls) {
  std::string err;
  auto r = api::parse_recording_response(
      R"({"data":{"id":"r1","record_type":"recording","channels":"dual","duration_millis":61500,)"
      R"("download_urls":{"mp3":"https://x/r1.mp3","wav":"https://x/r1.wav"},"status":"completed"}})",
      &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->id, "r1");
  EXPECT_EQ(r->mp3_url, "https://x/r1.mp3");
  EXPECT_EQ(r->wav_url, "https://x/r1.wav");
  EXPECT_EQ(r->duration_millis, 61500);
  EXPECT_FALSE(api::parse_recording_response(R"({"data":{"id":"r1","download_urls":[]}})", &err));
  EXPECT_EQ(err, "data.download_urls: expected an object");
}

}  // namespace
