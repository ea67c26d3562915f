// The one JSON parse of callwire (src/json/parse.hpp) and the surfaces on it:
// request bodies, webhooks, the codec, Telnyx answers. Deep nesting must be
// refused with an error, never crash (300,000 '[' overflowed the stack of
// RapidJSON's recursive parser and killed the process).
#include <gtest/gtest.h>

#include <string>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/webhook.hpp"
#include "json/body.hpp"
#include "json/parse.hpp"
#include "json/telnyx_api.hpp"

namespace {

using namespace callwire;

std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

// 1 MiB of '[' (the default body limit), unclosed, as the audit sent it.
std::string one_mib_of_brackets() { return std::string(1u << 20, '['); }

TEST(Parse, AcceptsNestingUpToTheLimit) {
  rapidjson::Document doc;
  const auto status = json::detail::parse_document(nested(json::detail::kMaxDepth), doc);
  ASSERT_TRUE(status) << status.describe();
  EXPECT_TRUE(doc.IsArray());
}

TEST(Parse, RefusesNestingPastTheLimit) {
  rapidjson::Document doc;
  const auto status = json::detail::parse_document(nested(json::detail::kMaxDepth + 1), doc);
  ASSERT_EQ(status.kind, json::detail::ParseStatus::Kind::too_deep);
  EXPECT_EQ(status.describe(), "nested more than 64 levels deep (at offset 64)");
  EXPECT_TRUE(doc.IsNull());
}

TEST(Parse, RefusesDeepObjectsToo) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "{\"a\":";
  text += "1" + std::string(100, '}');
  rapidjson::Document doc;
  EXPECT_EQ(json::detail::parse_document(text, doc).kind, json::detail::ParseStatus::Kind::too_deep);
}

TEST(Parse, MalformedTextNamesItsOffset) {
  rapidjson::Document doc;
  const auto status = json::detail::parse_document("[1,]", doc);
  ASSERT_EQ(status.kind, json::detail::ParseStatus::Kind::malformed);
  EXPECT_EQ(status.describe(), "error at offset 3");
  EXPECT_FALSE(json::detail::parse_document("{} {}", doc)) << "trailing content is refused";
}

TEST(Parse, RequestBodyOfAMegabyteOfBracketsIsMalformed) {
  try {
    (void)json::Body::parse(one_mib_of_brackets());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::malformed);
    EXPECT_STREQ(e.what(), "request body is not valid JSON (nested more than 64 levels deep (at offset 64))");
  }
  // Closed brackets too: valid JSON, but too deep.
  EXPECT_THROW((void)json::Body::parse(nested(300000)), Error);
}

TEST(Parse, WebhookOfAMegabyteOfBracketsIsMalformed) {
  telnyx::ParseFailure failure;
  EXPECT_FALSE(telnyx::parse_webhook(one_mib_of_brackets(), &failure));
  EXPECT_EQ(failure.error, telnyx::ParseError::malformed_json);
  EXPECT_EQ(failure.message, "webhook body is not valid JSON (nested more than 64 levels deep (at offset 64))");
}

TEST(Parse, CodecAndTelnyxAnswersRefuseDeepText) {
  const std::string deep = "{\"a\":" + nested(100) + "}";
  EXPECT_THROW((void)json::decode_contact(deep), Error);
  std::string error;
  EXPECT_FALSE(json::telnyx_api::parse(deep, &error));
  EXPECT_EQ(error, "malformed JSON at offset 68: nested more than 64 levels deep");
}

}  // namespace
