// LoginThrottle: failures per account and per address within a window.
#include "server/login_throttle.hpp"

#include <gtest/gtest.h>

using namespace callwire::server;
using namespace std::chrono_literals;

namespace {

const LoginThrottle::Clock::time_point t0{std::chrono::hours(1000)};

TEST(LoginThrottle, TheSixthTryWithinTheWindowWaitsUntilTheOldestFailureAgesOut) {
  LoginThrottle t;
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(t.retry_after("ann@x.io", "10.0.0.1", t0 + i * 1min)) << i;
    t.failed("ann@x.io", "10.0.0.1", t0 + i * 1min);
  }
  // Blocked at 4 min: the first failure (t0) ages out at 15 min.
  EXPECT_EQ(t.retry_after("ann@x.io", "10.0.0.2", t0 + 4min), 11min);
  EXPECT_EQ(t.retry_after("ANN@X.IO ", "10.0.0.2", t0 + 4min), 11min);  // the same account, as typed
  EXPECT_EQ(t.retry_after("bob@x.io", "10.0.0.1", t0 + 4min), 11min);   // the same address
  EXPECT_FALSE(t.retry_after("bob@x.io", "10.0.0.2", t0 + 4min));
  EXPECT_EQ(t.retry_after("ann@x.io", "", t0 + 15min - 1ms), 1s);  // rounded up, never 0
  EXPECT_FALSE(t.retry_after("ann@x.io", "", t0 + 15min));
  // One more failure then blocks again until the second-oldest ages out.
  t.failed("ann@x.io", "", t0 + 15min);
  EXPECT_EQ(t.retry_after("ann@x.io", "", t0 + 15min), 1min);
}

TEST(LoginThrottle, ASuccessClearsTheAccountButNotTheAddress) {
  LoginThrottle t;
  for (int i = 0; i < 5; ++i) t.failed("ann@x.io", "10.0.0.1", t0);
  t.succeeded("Ann@X.io");
  EXPECT_FALSE(t.retry_after("ann@x.io", "10.0.0.9", t0));
  EXPECT_TRUE(t.retry_after("ann@x.io", "10.0.0.1", t0));
}

TEST(LoginThrottle, FailuresSpreadBeyondTheWindowNeverBlock) {
  LoginThrottle t;
  for (int i = 0; i < 50; ++i) {
    EXPECT_FALSE(t.retry_after("ann@x.io", "10.0.0.1", t0 + i * 4min)) << i;
    t.failed("ann@x.io", "10.0.0.1", t0 + i * 4min);
  }
}

TEST(LoginThrottle, KeysPastTheCapDropStaleOnesFirst) {
  LoginThrottleOptions o;
  o.max_keys = 3;
  o.max_failures = 2;
  LoginThrottle t(o);
  t.failed("blocked@x.io", "", t0);
  t.failed("blocked@x.io", "", t0 + 1s);
  t.failed("stale@x.io", "", t0 - 1h);
  t.failed("c@x.io", "", t0);
  t.failed("d@x.io", "", t0 + 2s);  // over the cap: the stale key goes
  EXPECT_TRUE(t.retry_after("blocked@x.io", "", t0 + 3s));
  t.failed("e@x.io", "", t0 + 3s);  // nothing stale: the oldest (c) goes
  EXPECT_TRUE(t.retry_after("blocked@x.io", "", t0 + 4s));
}

}  // namespace
