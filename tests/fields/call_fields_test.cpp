// The members of struct Call, the keys the codec writes for it and the
// columns the store keeps for it are the same fields: the codec's keys are
// then the list every other surface is checked against
// (check_call_fields.py).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>

#include "callwire/json.hpp"
#include "client/call_tracker.hpp"
#include "core/field_count.hpp"
#include "every_field_call.hpp"
#include "store/schema.hpp"

using namespace callwire;

namespace {

// The one key the codec writes that is no member: status_text, derived from
// the other fields when encoding and ignored when decoding.
const std::set<std::string> kDerivedKeys{"status_text"};

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  EXPECT_TRUE(doc.IsObject()) << text;
  return doc;
}

std::set<std::string> keys_of(const rapidjson::Value& object) {
  std::set<std::string> keys;
  for (const auto& m : object.GetObject()) keys.emplace(m.name.GetString(), m.name.GetStringLength());
  return keys;
}

std::string encoded(const Call& c) { return json::encode(c); }

}  // namespace

TEST(CallFields, EveryFieldCallSetsEveryKeyToANonDefaultValue) {
  const auto all = parse(encoded(test::every_field_call()));
  const auto none = parse(encoded(Call{}));
  ASSERT_EQ(keys_of(all), keys_of(none));
  for (const auto& m : none.GetObject()) {
    const std::string key = m.name.GetString();
    EXPECT_NE(all[key.c_str()], m.value) << key << " keeps its default in every_field_call()";
  }
}

TEST(CallFields, TheCodecWritesOneKeyPerMemberAndTheDerivedOnes) {
  const auto keys = keys_of(parse(encoded(test::every_field_call())));
  for (const auto& k : kDerivedKeys) EXPECT_TRUE(keys.count(k)) << k;
  EXPECT_EQ(keys.size(), detail::field_count<Call>() + kDerivedKeys.size())
      << "a member of struct Call is not written by src/json/codec.cpp (or one is written twice)";
}

TEST(CallFields, TheStoreHasAColumnPerMember) {
  std::set<std::string> columns;
  for (const auto& c : store_detail::calls_table().columns) {
    // The record id is the Call's call_id (docs/storage.md, call_logs).
    columns.insert(std::string(c.name) == "id" ? "call_id" : c.name);
  }
  auto keys = keys_of(parse(encoded(test::every_field_call())));
  for (const auto& k : kDerivedKeys) keys.erase(k);
  EXPECT_EQ(columns, keys) << "src/store/schema.cpp's call_logs and src/json/codec.cpp list different fields";
  EXPECT_EQ(store_detail::calls_table().columns.size(), detail::field_count<Call>());
}

TEST(CallFields, DecodingKeepsEveryField) {
  const Call c = test::every_field_call();
  const Call back = json::decode_call(encoded(c));
  EXPECT_TRUE(client::same_call(back, c));
  EXPECT_EQ(encoded(back), encoded(c));
}

TEST(CallFields, AStoredRowKeepsEveryField) {
  const Call c = test::every_field_call();
  const Call back = store_detail::call_from_row(store_detail::to_row(c));
  EXPECT_TRUE(client::same_call(back, c));
  EXPECT_EQ(encoded(back), encoded(c));
}

TEST(CallFields, SameCallTellsApartCallsThatDiffer) {
  EXPECT_FALSE(client::same_call(test::every_field_call(), Call{}));
  EXPECT_TRUE(client::same_call(test::every_field_call(), test::every_field_call()));
}
