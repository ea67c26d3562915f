// The request decoding the REST API and the C ABI share
// (src/server/api/request_fields.hpp): the same fields give the same result
// from a JSON body and from a query string, and every refusal names its field.
#include <gtest/gtest.h>

#include <map>

#include "callwire/amd.hpp"
#include "callwire/error.hpp"
#include "server/api/request_fields.hpp"

namespace callwire {
namespace {

using server::RequestFields;

RequestFields query(std::map<std::string, std::string> params) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(params));
  return RequestFields::of_query([shared](std::string_view name) -> std::optional<std::string> {
    auto it = shared->find(std::string(name));
    if (it == shared->end()) return std::nullopt;
    return it->second;
  });
}

template <class F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    return e.what();
  }
  return "(accepted)";
}

TEST(RequestFields, AFilterReadsTheSameFromJsonAndFromAQueryString) {
  const auto body = json::Body::parse(R"({"search":"ann","status":"completed","from":"2026-11-01T00:00:00Z","limit":20})");
  const auto from_json = server::call_filter(RequestFields::of(body));
  const auto from_query = server::call_filter(query({{"search", "ann"}, {"status", "completed"}, {"from", "2026-11-01T00:00:00Z"}}));
  EXPECT_EQ(from_json.search, from_query.search);
  EXPECT_EQ(from_json.status, from_query.status);
  EXPECT_EQ(from_json.from, from_query.from);
  EXPECT_EQ(server::page(RequestFields::of(body), 50).limit, 20u);
  EXPECT_EQ(server::page(query({{"limit", "20"}}), 50).limit, 20u);
  EXPECT_EQ(server::call_filter(query({{"query", "bob"}})).search, "bob");  // the REST name of the search
  EXPECT_FALSE(server::call_filter(query({{"status", "all"}})).status);
}

TEST(RequestFields, RefusalsNameTheFieldTheSameWayFromBothSources) {
  const auto bad_status = json::Body::parse(R"({"status":"ringing-ish"})");
  EXPECT_EQ(refusal([&] { server::call_filter(RequestFields::of(bad_status)); }),
            refusal([&] { server::call_filter(query({{"status", "ringing-ish"}})); }));
  const auto bad_time = json::Body::parse(R"({"to":"yesterday"})");
  EXPECT_EQ(refusal([&] { server::call_filter(RequestFields::of(bad_time)); }),
            "to: expected an ISO-8601 time, e.g. 2026-11-26T10:22:45Z");
  EXPECT_EQ(refusal([&] { server::call_filter(query({{"to", "yesterday"}})); }),
            "to: expected an ISO-8601 time, e.g. 2026-11-26T10:22:45Z");
  EXPECT_EQ(refusal([&] { server::page(query({{"limit", "0"}}), 50); }),
            refusal([&] { server::page(RequestFields::of(json::Body::parse(R"({"limit":0})")), 50); }));
  EXPECT_EQ(refusal([&] { server::page(query({{"limit", "12x"}}), 50); }), "limit: expected a whole number");
  EXPECT_EQ(refusal([&] { server::contact_filter(query({{"category", "vip"}})); }),
            "category: must be one of lead, client, follow_up, other (got 'vip')");
  EXPECT_EQ(refusal([&] { server::contact_filter(query({{"favorites", "maybe"}})); }), "favorites: expected true or false");
}

TEST(RequestFields, ContactsNeedANameAndAPhoneAndAPatchNoEmptyName) {
  EXPECT_EQ(refusal([&] { server::new_contact(RequestFields::of(json::Body::parse(R"({"phone":"+12125550100"})"))); }),
            "name: field required");
  EXPECT_EQ(refusal([&] { server::contact_patch(RequestFields::of(json::Body::parse(R"({"name":""})"))); }),
            "name: must not be empty");
  const auto patch = server::contact_patch(RequestFields::of(json::Body::parse(R"({"category":"lead","is_favorite":true})")));
  EXPECT_FALSE(patch.name);
  EXPECT_EQ(patch.category, ContactCategory::lead);
  EXPECT_EQ(patch.is_favorite, true);
  // A JSON body keeps its types: a string is not a boolean.
  EXPECT_NE(refusal([&] { server::contact_patch(RequestFields::of(json::Body::parse(R"({"is_favorite":"yes"})"))); }),
            "(accepted)");
}

TEST(RequestFields, DialOptions) {
  const auto d = server::dial_options(RequestFields::of(json::Body::parse(
      R"({"record":false,"answering_machine_detection":true,"connection_id":"c-1","contact_id":""})")));
  EXPECT_EQ(d.record, false);
  EXPECT_TRUE(d.answering_machine_detection);
  EXPECT_EQ(d.connection_id, "c-1");
  EXPECT_FALSE(d.contact_id);  // empty: looked up by number
  EXPECT_FALSE(server::dial_options(RequestFields::of(json::Body::parse("{}"))).record);  // default: auto_record
  EXPECT_EQ(d.answering_machine_detection.mode(), AmdMode::detect);  // true means detect
  EXPECT_FALSE(d.agent_id);
}

TEST(RequestFields, DialOptionsTakeAnAmdModeByNameItsThresholdsAndTheAgent) {
  auto dial = [](const char* text) { return server::dial_options(RequestFields::of(json::Body::parse(text))); };
  const auto d = dial(R"({"answering_machine_detection":"premium",
                          "answering_machine_detection_config":{"total_analysis_time_millis":5000,"silence_threshold":null},
                          "agent_id":"u-1"})");
  EXPECT_EQ(d.answering_machine_detection.mode(), AmdMode::premium);
  EXPECT_EQ(d.answering_machine_detection_config.total_analysis_time_millis, 5000);
  EXPECT_FALSE(d.answering_machine_detection_config.silence_threshold);  // null: Telnyx's default
  EXPECT_EQ(d.agent_id, "u-1");
  EXPECT_EQ(dial(R"({"answering_machine_detection":false})").answering_machine_detection.mode(), AmdMode::disabled);
  EXPECT_EQ(dial(R"({"answering_machine_detection":"greeting_end"})").answering_machine_detection.mode(),
            AmdMode::greeting_end);
  EXPECT_EQ(refusal([&] { dial(R"({"answering_machine_detection":"beep"})"); }),
            "answering_machine_detection: 'beep' is not a mode; use disabled, detect, detect_beep, detect_words, "
            "greeting_end or premium (true means detect, false disabled)");
  EXPECT_EQ(refusal([&] { dial(R"({"answering_machine_detection":1})"); }), "answering_machine_detection: expected a boolean");
  EXPECT_EQ(refusal([&] { dial(R"({"answering_machine_detection_config":{"patience":3}})"); }),
            amd_config_name_refusal("patience"));
  EXPECT_EQ(refusal([&] { dial(R"({"answering_machine_detection_config":{"silence_threshold":"loud"}})"); }),
            "answering_machine_detection_config.silence_threshold: expected a whole number");
  EXPECT_EQ(refusal([&] { dial(R"({"answering_machine_detection_config":{"silence_threshold":4294967296}})"); }),
            "answering_machine_detection_config.silence_threshold: out of range (at most 2147483647)");
  EXPECT_EQ(refusal([&] { dial(R"({"answering_machine_detection_config":[1]})"); }),
            "answering_machine_detection_config: expected an object");
}

TEST(RequestFields, SpeakOptions) {
  const auto o = server::speak_options(RequestFields::of(json::Body::parse(
      R"({"text":"ignored here","voice":"AWS.Polly.Joanna-Neural","language":"en-GB","payload_type":"ssml"})")));
  EXPECT_EQ(o.voice, "AWS.Polly.Joanna-Neural");
  EXPECT_EQ(o.language, "en-GB");
  EXPECT_EQ(o.payload_type, "ssml");
  const auto none = server::speak_options(RequestFields::of(json::Body::parse("{}")));
  EXPECT_EQ(none.voice, "");  // the client's defaults apply (female, en-US, text)
  EXPECT_EQ(none.language, "");
  EXPECT_EQ(none.payload_type, "");
  EXPECT_EQ(refusal([&] { server::speak_options(RequestFields::of(json::Body::parse(R"({"voice":1})"))); }),
            "voice: expected a string");
}

TEST(RequestFields, TheFavoritesFilterHasBothNames) {
  EXPECT_TRUE(server::contact_filter(query({{"favorites", "true"}})).favorites_only);
  EXPECT_TRUE(server::contact_filter(RequestFields::of(json::Body::parse(R"({"favorites_only":true})"))).favorites_only);
  EXPECT_EQ(server::contact_filter(query({})).page.limit, Page::kMaxPageSize);
}

}  // namespace
}  // namespace callwire
