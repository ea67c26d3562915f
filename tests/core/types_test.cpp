#include <gtest/gtest.h>

#include "callwire/error.hpp"
#include "callwire/types.hpp"

using namespace callwire;

TEST(Types, StatusSpellingsRoundTrip) {
  for (auto s : {CallStatus::dialing, CallStatus::ringing, CallStatus::active, CallStatus::completed, CallStatus::busy,
                 CallStatus::no_answer, CallStatus::canceled, CallStatus::failed}) {
    EXPECT_EQ(parse_call_status(to_string(s)), s);
  }
  EXPECT_EQ(to_string(CallStatus::no_answer), "no_answer");
  EXPECT_FALSE(parse_call_status("answered"));
  EXPECT_FALSE(is_terminal(CallStatus::active));
  EXPECT_TRUE(is_terminal(CallStatus::canceled));
}

TEST(Types, CategoriesAndDirections) {
  EXPECT_EQ(parse_contact_category("follow_up"), ContactCategory::follow_up);
  EXPECT_FALSE(parse_contact_category("friend"));
  EXPECT_EQ(parse_direction("outgoing"), Direction::outbound);
  EXPECT_EQ(parse_direction("incoming"), Direction::inbound);
  EXPECT_EQ(to_string(Direction::inbound), "inbound");
}

TEST(Types, SecretsAreMasked) {
  Settings s;
  s.api_key = "KEY0123456789ABCDEF";
  s.api_v2_key = "short";
  s.public_key = "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=";
  Settings m = masked(s);
  EXPECT_EQ(m.api_key, "****CDEF");
  EXPECT_EQ(m.api_v2_key, "*****");
  EXPECT_EQ(m.public_key, s.public_key);  // a public key is not a secret
  EXPECT_EQ(mask_secret(""), "");
}

TEST(Types, ErrorCodesAreStdErrorCodes) {
  std::error_code ec = errc::not_found;
  EXPECT_EQ(ec.category().name(), std::string("callwire"));
  EXPECT_EQ(ec.message(), "not found");
  Error e(errc::storage, "disk full");
  EXPECT_EQ(e.code(), errc::storage);
  EXPECT_EQ(e.error_code(), errc::storage);
  EXPECT_STREQ(e.what(), "disk full");
}
