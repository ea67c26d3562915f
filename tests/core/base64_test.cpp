#include <gtest/gtest.h>

#include "core/base64.hpp"

namespace b64 = callwire::base64;

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : cases) {
    EXPECT_EQ(b64::encode(plain), enc);
    EXPECT_EQ(b64::decode(enc).value_or("<fail>"), plain);
  }
}

TEST(Base64, DecodeIsStrict) {
  EXPECT_FALSE(b64::decode("not-base64!!!"));
  EXPECT_FALSE(b64::decode("Zg="));     // padding present but length not a multiple of 4
  EXPECT_FALSE(b64::decode("Z"));       // one leftover character is never valid
  EXPECT_FALSE(b64::decode("Zh=="));    // non-zero leftover bits
  EXPECT_FALSE(b64::decode("Zm9v\n"));  // no whitespace
  EXPECT_EQ(b64::decode("Zg").value_or("<fail>"), "f");  // unpadded is accepted
}
