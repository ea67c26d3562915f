// The codec's read-only JSON views (src/json/view.hpp), what the layers that
// may not include RapidJSON read JSON through.
#include <gtest/gtest.h>

#include <string>

#include "json/parse.hpp"
#include "json/view.hpp"

namespace {

using callwire::json::Document;

TEST(View, ReadsMembersWithoutCopying) {
  auto doc = Document::parse(R"({"a":"x","n":null,"o":{"b":[1,2.5,"s"]},"i":7})");
  ASSERT_TRUE(doc);
  const auto root = doc->root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.find("a")->string(), "x");
  ASSERT_TRUE(root.find("n"));  // null members are found
  EXPECT_TRUE(root.find("n")->is_null());
  EXPECT_FALSE(root.find("missing"));
  EXPECT_TRUE(root.find("o")->is_object());
  EXPECT_TRUE(root.find("o")->find("b")->is_array());
  EXPECT_EQ(root.find("i")->string(), "");  // not a string
  EXPECT_FALSE(root.find("a")->find("x"));  // not an object
}

TEST(View, TextIsTheCodecsNormalForm) {
  auto doc = Document::parse(R"( { "b" : [ 1 , 2.50 , 1e2 , "\u00e9" ] , "u" : 18446744073709551615 } )");
  ASSERT_TRUE(doc);
  const std::string once = doc->root().text();
  EXPECT_EQ(once, "{\"b\":[1,2.5,100.0,\"\xc3\xa9\"],\"u\":18446744073709551615}");
  auto again = Document::parse(once);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->root().text(), once);
}

TEST(View, ParseFailuresSayWhere) {
  std::string why;
  EXPECT_FALSE(Document::parse("{\"a\":", &why));
  EXPECT_NE(why.find("offset"), std::string::npos) << why;
  const std::string deep(callwire::json::detail::kMaxDepth + 1, '[');
  EXPECT_FALSE(Document::parse(deep + std::string(deep.size(), ']'), &why));
  EXPECT_NE(why.find("deep"), std::string::npos) << why;
  EXPECT_TRUE(Document::parse("[1]"));  // any JSON value
}

}  // namespace
