// The transport's pure parts: base URLs, backoff, Retry-After and
// x-ratelimit-reset.
#include <gtest/gtest.h>

#include "callwire/error.hpp"
#include "telnyx/http_client.hpp"

namespace {

using namespace callwire::telnyx;
using std::chrono::milliseconds;

TEST(BaseUrl, ParsesTheDefaultAndLoopbackForms) {
  auto u = BaseUrl::parse("https://api.telnyx.com/v2");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "api.telnyx.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.path, "/v2");
  EXPECT_EQ(u.host_header(), "api.telnyx.com");
  EXPECT_FALSE(u.is_loopback());

  auto l = BaseUrl::parse("http://127.0.0.1:8080/v2/");
  EXPECT_FALSE(l.tls);
  EXPECT_EQ(l.port, 8080);
  EXPECT_EQ(l.path, "/v2");
  EXPECT_EQ(l.host_header(), "127.0.0.1:8080");
  EXPECT_TRUE(l.is_loopback());

  auto v6 = BaseUrl::parse("HTTPS://[::1]:9443");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 9443);
  EXPECT_EQ(v6.path, "");
  EXPECT_EQ(v6.host_header(), "[::1]:9443");
  EXPECT_TRUE(v6.is_loopback());

  EXPECT_TRUE(BaseUrl::parse("http://LocalHost:1/v2").is_loopback());
  EXPECT_EQ(BaseUrl::parse("http://LocalHost:1/v2").host, "localhost");
}

TEST(BaseUrl, RefusesWhatItCannotUseWithAReason) {
  auto reason = [](const char* url) {
    try {
      BaseUrl::parse(url);
    } catch (const callwire::Error& e) {
      EXPECT_EQ(e.code(), callwire::errc::invalid_argument);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(reason("ftp://x/v2"), "Telnyx API base URL 'ftp://x/v2': must start with https:// or http://");
  EXPECT_EQ(reason("https:///v2"), "Telnyx API base URL 'https:///v2': no host");
  EXPECT_EQ(reason("https://x:0/v2"), "Telnyx API base URL 'https://x:0/v2': port out of range");
  EXPECT_EQ(reason("https://x:99999/v2"), "Telnyx API base URL 'https://x:99999/v2': port out of range");
  EXPECT_EQ(reason("https://x:/v2"), "Telnyx API base URL 'https://x:/v2': invalid port");
  EXPECT_EQ(reason("https://user:pw@x/v2"), "Telnyx API base URL 'https://user:pw@x/v2': user info is not allowed");
  EXPECT_EQ(reason("https://x/v2?a=b"), "Telnyx API base URL 'https://x/v2?a=b': query strings and fragments are not allowed");
  EXPECT_EQ(reason("https://[::1/v2"), "Telnyx API base URL 'https://[::1/v2': unterminated IPv6 literal");
  EXPECT_EQ(reason("https://x y/v2"), "Telnyx API base URL 'https://x y/v2': contains whitespace");
}

TEST(Backoff, DoublesUpToTheCapAndJitterOnlyShortens) {
  RetryPolicy p;
  p.base_delay = milliseconds(250);
  p.max_delay = milliseconds(8000);
  p.jitter = 0;
  EXPECT_EQ(backoff_delay(p, 1, 0.7), milliseconds(250));
  EXPECT_EQ(backoff_delay(p, 2, 0.7), milliseconds(500));
  EXPECT_EQ(backoff_delay(p, 3, 0.7), milliseconds(1000));
  EXPECT_EQ(backoff_delay(p, 6, 0.7), milliseconds(8000));
  EXPECT_EQ(backoff_delay(p, 60, 0.7), milliseconds(8000));  // no overflow
  p.jitter = 0.5;
  EXPECT_EQ(backoff_delay(p, 2, 0.0), milliseconds(500));
  EXPECT_EQ(backoff_delay(p, 2, 0.5), milliseconds(375));
  EXPECT_EQ(backoff_delay(p, 2, 0.999999), milliseconds(250));
  p.jitter = 1;  // "full jitter"
  EXPECT_EQ(backoff_delay(p, 3, 0.25), milliseconds(750));
}

TEST(RetryAfter, DeltaSecondsAndHttpDates) {
  const std::int64_t now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("2", now), milliseconds(2000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1.5", now), milliseconds(1500));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), milliseconds(0));  // in the past
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("-3", now));
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("1.2.3", now));
}

TEST(RateLimitReset, SecondsOrUnixTime) {
  const std::int64_t now = 1700000000;
  EXPECT_EQ(parse_ratelimit_reset("3", now), milliseconds(3000));
  EXPECT_EQ(parse_ratelimit_reset("1700000004", now), milliseconds(4000));
  EXPECT_EQ(parse_ratelimit_reset("1699999990", now), milliseconds(0));
  EXPECT_FALSE(parse_ratelimit_reset("tomorrow", now));
}

TEST(IpLiteral, RecognisesAddressesOnly) {
  EXPECT_TRUE(is_ip_literal("127.0.0.1"));
  EXPECT_TRUE(is_ip_literal("::1"));
  EXPECT_FALSE(is_ip_literal("localhost"));
  EXPECT_FALSE(is_ip_literal("api.telnyx.com"));
}

}  // namespace
