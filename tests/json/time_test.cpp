#include <gtest/gtest.h>

#include "callwire/json.hpp"

using namespace callwire;
using namespace std::chrono_literals;

TEST(Time, FormatsIsoUtcWithMilliseconds) {
  EXPECT_EQ(json::format_time(TimePoint(0ms)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(json::format_time(TimePoint(1'700'000'000'123ms)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(json::format_time(TimePoint(951'782'400'000ms)), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(json::format_time(TimePoint(-1ms)), "1969-12-31T23:59:59.999Z");
}

TEST(Time, ParsesTelnyxAndOffsetForms) {
  EXPECT_EQ(json::parse_time("2023-11-14T22:13:20.123Z"), TimePoint(1'700'000'000'123ms));
  EXPECT_EQ(json::parse_time("2018-02-02T22:25:27.521992Z"), json::parse_time("2018-02-02T22:25:27.521Z"));
  EXPECT_EQ(json::parse_time("2023-11-14T23:13:20+01:00"), TimePoint(1'700'000'000'000ms));
  EXPECT_EQ(json::parse_time("2023-11-14T21:13:20-0100"), TimePoint(1'700'000'000'000ms));
  EXPECT_EQ(json::parse_time("2023-11-14T22:13:20Z"), TimePoint(1'700'000'000'000ms));
}

TEST(Time, RejectsMalformed) {
  for (const char* s : {"", "2023-11-14", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z",
                        "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20Zjunk", "yesterday"}) {
    EXPECT_FALSE(json::parse_time(s)) << s;
  }
}

TEST(Time, RoundTripsEveryMillisecondPattern) {
  for (std::int64_t ms : {0LL, 1LL, 999LL, 86'399'999LL, 1'700'000'000'000LL, 4'102'444'800'000LL, -86'400'001LL}) {
    const TimePoint t{std::chrono::milliseconds(ms)};
    EXPECT_EQ(json::parse_time(json::format_time(t)), t) << ms;
  }
}
