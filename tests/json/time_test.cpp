#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>

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

// format_time writes digits by hand for years 0000–9999 and falls back to
// snprintf outside them: both must agree with the general form everywhere.
TEST(Time, FormatsLikeTheGeneralFormAcrossTheRange) {
  const auto general = [](std::int64_t ms) {
    std::int64_t days = ms / 86'400'000, rem = ms % 86'400'000;
    if (rem < 0) rem += 86'400'000, --days;
    const std::time_t secs = static_cast<std::time_t>(days) * 86'400 + static_cast<std::time_t>(rem / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(rem % 1000));
    return std::string(buf);
  };
  std::uint64_t x = 88172645463325252ULL;  // xorshift: the same values every run
  const std::int64_t span = 253'402'300'800'000LL + 62'167'219'200'000LL;  // 0000-01-01 .. 9999-12-31
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const auto ms = static_cast<std::int64_t>(x % static_cast<std::uint64_t>(span)) - 62'167'219'200'000LL;
    ASSERT_EQ(json::format_time(TimePoint(std::chrono::milliseconds(ms))), general(ms)) << ms;
  }
  for (std::int64_t ms : {-62'167'219'200'001LL, 253'402'300'800'000LL}) {  // 1 ms outside: -0001, 10000
    EXPECT_EQ(json::format_time(TimePoint(std::chrono::milliseconds(ms))), general(ms)) << ms;
  }
}
