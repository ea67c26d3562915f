// TokenBucket: pacing arithmetic on synthetic time (no clock, no sleeping).
#include <gtest/gtest.h>

#include "callwire/error.hpp"
#include "telnyx/token_bucket.hpp"

namespace {

using callwire::telnyx::TokenBucket;
using namespace std::chrono_literals;

const TokenBucket::clock::time_point t0{std::chrono::seconds(1000)};

TEST(TokenBucket, StartsFullAndAdmitsExactlyTheBurst) {
  TokenBucket b(30, 5, t0);
  int admitted = 0;
  for (int i = 0; i < 20; ++i) admitted += b.try_take(t0) ? 1 : 0;
  EXPECT_EQ(admitted, 5);
  EXPECT_FALSE(b.try_take(t0));
}

TEST(TokenBucket, RefillsAtTheRate) {
  TokenBucket b(30, 1, t0);
  ASSERT_TRUE(b.try_take(t0));
  EXPECT_FALSE(b.try_take(t0 + 33ms));  // 0.99 token
  EXPECT_TRUE(b.try_take(t0 + 34ms));   // 1.02 tokens
  EXPECT_FALSE(b.try_take(t0 + 34ms));
}

TEST(TokenBucket, OneSecondOfABurstAdmitsRatePlusBurst) {
  // Offer a dial every millisecond for one second: the bucket admits the
  // burst plus rate × 1 s, never more.
  TokenBucket b(30, 5, t0);
  int admitted = 0;
  for (int ms = 0; ms <= 1000; ++ms) admitted += b.try_take(t0 + std::chrono::milliseconds(ms)) ? 1 : 0;
  EXPECT_EQ(admitted, 35);
}

TEST(TokenBucket, NeverExceedsTheBurstAfterIdling) {
  TokenBucket b(30, 3, t0);
  EXPECT_DOUBLE_EQ(b.tokens(t0 + 1h), 3.0);
  int admitted = 0;
  for (int i = 0; i < 10; ++i) admitted += b.try_take(t0 + 1h) ? 1 : 0;
  EXPECT_EQ(admitted, 3);
}

TEST(TokenBucket, TimeUntilTokenIsExactAndSufficient) {
  TokenBucket b(4, 1, t0);  // a token every 250 ms
  EXPECT_EQ(b.time_until_token(t0), TokenBucket::clock::duration::zero());
  ASSERT_TRUE(b.try_take(t0));
  const auto wait = b.time_until_token(t0 + 100ms);
  EXPECT_GE(wait, 150ms);
  EXPECT_LE(wait, 151ms);
  EXPECT_FALSE(b.try_take(t0 + 100ms + wait - 1ms));
  EXPECT_TRUE(b.try_take(t0 + 100ms + wait));
}

TEST(TokenBucket, TimeDoesNotRunBackwards) {
  TokenBucket b(10, 1, t0);
  ASSERT_TRUE(b.try_take(t0 + 1s));
  EXPECT_FALSE(b.try_take(t0));  // an earlier time point gains nothing
  EXPECT_TRUE(b.try_take(t0 + 1100ms));
}

TEST(TokenBucket, RejectsNonsense) {
  EXPECT_THROW(TokenBucket(0, 1, t0), callwire::Error);
  EXPECT_THROW(TokenBucket(-1, 1, t0), callwire::Error);
  EXPECT_THROW(TokenBucket(30, 0.5, t0), callwire::Error);
  try {
    TokenBucket(30, 0, t0);
    FAIL();
  } catch (const callwire::Error& e) {
    EXPECT_EQ(e.code(), callwire::errc::invalid_argument);
    EXPECT_STREQ(e.what(), "pacing burst must be at least 1");
  }
}

}  // namespace
