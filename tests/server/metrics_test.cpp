#include "server/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "callwire/error.hpp"

namespace callwire::server::metrics {
namespace {

TEST(Metrics, RendersCountersAndGaugesInTextFormat) {
  Registry reg;
  auto requests = reg.counter("callwire_http_requests_total", "HTTP requests answered", {"route", "method", "status"});
  requests->labels({"/api/contacts/{id}", "GET", "200"}).inc();
  requests->labels({"/api/contacts/{id}", "GET", "200"}).inc(2);
  requests->labels({"/api/contacts", "POST", "422"}).inc();
  auto live = reg.gauge("callwire_live_calls", "Calls not yet ended");
  live->labels({}).set(3);
  live->labels({}).dec();
  EXPECT_EQ(reg.render(),
            "# HELP callwire_http_requests_total HTTP requests answered\n"
            "# TYPE callwire_http_requests_total counter\n"
            "callwire_http_requests_total{route=\"/api/contacts\",method=\"POST\",status=\"422\"} 1\n"
            "callwire_http_requests_total{route=\"/api/contacts/{id}\",method=\"GET\",status=\"200\"} 3\n"
            "# HELP callwire_live_calls Calls not yet ended\n"
            "# TYPE callwire_live_calls gauge\n"
            "callwire_live_calls 2\n");
}

TEST(Metrics, RendersHistogramsWithCumulativeBuckets) {
  Registry reg;
  auto h = reg.histogram("callwire_latency_seconds", "Latency", {"route"}, {0.1, 0.5, 1});
  auto& child = h->labels({"/x"});
  child.observe(0.05);
  child.observe(0.1);  // the bound is inclusive
  child.observe(0.7);
  child.observe(3);
  EXPECT_EQ(reg.render(),
            "# HELP callwire_latency_seconds Latency\n"
            "# TYPE callwire_latency_seconds histogram\n"
            "callwire_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "callwire_latency_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
            "callwire_latency_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "callwire_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "callwire_latency_seconds_sum{route=\"/x\"} 3.85\n"
            "callwire_latency_seconds_count{route=\"/x\"} 4\n");
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  Registry reg;
  reg.counter("x_total", "line one\nback\\slash", {"v"})->labels({"a\"b\\c\nd"}).inc();
  EXPECT_EQ(reg.render(),
            "# HELP x_total line one\\nback\\\\slash\n"
            "# TYPE x_total counter\n"
            "x_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, FormatsSpecialValues) {
  EXPECT_EQ(format_value(1), "1");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(1e21), "1e+21");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(Metrics, SharesFamiliesAndRefusesClashes) {
  Registry reg;
  auto a = reg.counter("c_total", "help", {"x"});
  auto b = reg.counter("c_total", "help", {"x"});
  EXPECT_EQ(a, b);
  EXPECT_THROW(reg.gauge("c_total", "help", {"x"}), Error);
  EXPECT_THROW(reg.counter("c_total", "help", {"y"}), Error);
  EXPECT_THROW(reg.counter("1bad", "help"), Error);
  EXPECT_THROW(reg.counter("bad-name", "help"), Error);
  EXPECT_THROW(reg.counter("ok_total", "help", {"__reserved"}), Error);
  EXPECT_THROW(reg.counter("ok_total", "help", {"le"}), Error);
  EXPECT_THROW(reg.counter("ok_total", "help", {"a", "a"}), Error);
  EXPECT_THROW(reg.histogram("h", "help", {}, {1, 1}), Error);
  EXPECT_THROW(reg.histogram("h", "help", {}, {}), Error);
  EXPECT_THROW(a->labels({"1", "2"}), Error);
  a->labels({"1"}).inc(-5);  // counters only go up
  EXPECT_EQ(a->labels({"1"}).value(), 0);
}

TEST(Metrics, CollectorsRunBeforeRendering) {
  Registry reg;
  auto g = reg.gauge("queue_depth", "Jobs waiting");
  int calls = 0;
  reg.on_collect([&] { g->labels({}).set(++calls * 10); });
  EXPECT_NE(reg.render().find("queue_depth 10\n"), std::string::npos);
  EXPECT_NE(reg.render().find("queue_depth 20\n"), std::string::npos);
}

TEST(Metrics, CountsFromManyThreads) {
  Registry reg;
  auto c = reg.counter("n_total", "n", {"t"});
  auto h = reg.histogram("d_seconds", "d", {}, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        c->labels({std::to_string(i % 3)}).inc();
        h->labels({}).observe(t % 2 ? 0.5 : 2);
      }
    });
  }
  for (auto& t : threads) t.join();
  double total = 0;
  c->for_each([&](const LabelValues&, const Counter& x) { total += x.value(); });
  EXPECT_EQ(total, 40000);
  auto s = h->labels({}).snapshot();
  EXPECT_EQ(s.count, 40000u);
  EXPECT_EQ(s.cumulative[0], 20000u);
}

}  // namespace
}  // namespace callwire::server::metrics
