// Benchmark 2 — dial throughput against the fake Telnyx over TLS.
//
// TelnyxCarrier (pacing off, its default pool of 8 keep-alive connections)
// places dials (POST /v2/calls) against the fake Telnyx of the tests, which
// runs in a child process (bench_fake_telnyx) so that its CPU is not counted
// as the client's. The fake validates every request against the OpenAPI
// schema and runs each call in the simulator, as in the carrier tests.
//
// Figures: dials/s with `--window` dials in flight; client CPU per dial
// (getrusage of this process, which only runs the carrier); the latency of
// one dial at a time; TLS handshakes vs connections vs dials, counted by both
// the client (HttpStats) and the fake.
//
// Sizes: --dials, --window, --sequential (dials for the latency run),
// --connections (the pool size).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "bench_common.hpp"
#include "core/uuid.hpp"
#include "support/log.hpp"
#include "telnyx/telnyx_carrier.hpp"
#include "workload.hpp"

using namespace callwire;
using namespace callwire::bench;
namespace net = boost::asio;

namespace {

std::map<std::string, long> parse_stats(const std::string& line) {
  std::map<std::string, long> m;
  std::istringstream ss(line);
  std::string tok;
  while (ss >> tok) {
    const auto eq = tok.find('=');
    if (eq != std::string::npos) m[tok.substr(0, eq)] = std::atol(tok.c_str() + eq + 1);
  }
  return m;
}

carrier::DialRequest dial_request(std::uint64_t n) {
  carrier::DialRequest r;
  r.call_id = new_uuid_v4();
  r.to = destination(n, "1234");
  r.from = "+13125550100";
  r.connection_id = "1684641123236054244";
  r.command_id = new_uuid_v4();
  r.timeout_secs = 30;
  r.time_limit_secs = 30;
  return r;
}

/// Runs `total` dials keeping `window` in flight; returns the failures and
/// fills per-dial latencies (ms).
std::size_t run_dials(telnyx::TelnyxCarrier& carrier, std::size_t total, std::size_t window, Samples* latency,
                      std::string* first_error) {
  std::mutex mu;
  std::condition_variable cv;
  std::size_t started = 0, finished = 0, failed = 0;
  std::function<void()> start_one;
  start_one = [&] {
    std::uint64_t n;
    {
      std::lock_guard lock(mu);
      if (started >= total) return;
      n = started++;
    }
    const auto t = Clock::now();
    carrier.dial(dial_request(n), [&, t](carrier::CarrierResult<carrier::DialResult> r) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
      start_one();  // before counting this one: run_dials() may return once the last is counted
      {
        std::lock_guard lock(mu);
        ++finished;
        if (latency) latency->add(ms);
        if (!r || r.value->call_control_id.empty()) {
          if (failed++ == 0 && first_error) *first_error = r ? "empty call_control_id" : r.error.message;
        }
        // Notify under the lock: the waiter may destroy `cv` as soon as it can see finished == total.
        cv.notify_all();
      }
    });
  };
  for (std::size_t i = 0; i < window; ++i) start_one();
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return finished >= total; });
  return failed;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_dial: TelnyxCarrier dials against the fake Telnyx over TLS");
  Report report("dial_throughput", args);
  log::set_level(log::Level::warn);
  const auto dials = static_cast<std::size_t>(args.size("dials", 20000, 40));
  const auto window = static_cast<std::size_t>(args.size("window", 64, 8));
  const auto sequential = static_cast<std::size_t>(args.size("sequential", 1000, 10));
  const auto connections = static_cast<std::size_t>(args.size("connections", 8, 8));

  Child fake({exe_dir() + "/bench_fake_telnyx"});
  const std::string ready = fake.read_line(30000);
  auto info = parse_stats(ready);
  const auto ca_at = ready.find("ca=");
  if (ready.rfind("ready", 0) != 0 || ca_at == std::string::npos) {
    report.check("the fake Telnyx started", false, ready);
    return report.finish();
  }
  const std::string ca_file = ready.substr(ca_at + 3);
  const int port = static_cast<int>(info["port"]);

  net::io_context io;
  auto guard = net::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });

  telnyx::TelnyxOptions o;
  o.api_key = "KEY0123456789ABCDEF_test";
  o.api_base = "https://127.0.0.1:" + std::to_string(port) + "/v2";
  o.ca_file = ca_file;
  o.use_system_ca = false;
  o.pacing.enabled = false;
  o.max_connections = connections;
  o.retry.max_attempts = 1;  // a failure is a failure here, not a retry
  {
    telnyx::TelnyxCarrier carrier(io.get_executor(), o);

    // Warm-up: opens the pool's connections (handshakes included).
    std::string err;
    std::size_t failed = run_dials(carrier, std::min<std::size_t>(window, dials), window, nullptr, &err);
    report.check("warm-up dials succeed", failed == 0, err);

    // Throughput.
    rusage ru0{}, ru1{};
    getrusage(RUSAGE_SELF, &ru0);
    const double fake_cpu0 = fake.cpu_seconds();
    const auto t0 = Clock::now();
    Samples lat;
    failed = run_dials(carrier, dials, window, &lat, &err);
    const double elapsed = seconds_since(t0);
    getrusage(RUSAGE_SELF, &ru1);
    const double fake_cpu = fake.cpu_seconds() - fake_cpu0;
    const auto cpu = [](const rusage& r) {
      return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
             static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
    };
    const double cpu_us = cpu(ru1) - cpu(ru0);
    report.check("every dial succeeded", failed == 0, std::to_string(failed) + " failed; first: " + err);
    const double rate = static_cast<double>(dials) / elapsed;
    report.target("dials/s (" + std::to_string(window) + " in flight, " + std::to_string(connections) + " connections)", rate,
                  1000, false, "dials/s");
    report.figure("client CPU per dial", cpu_us / static_cast<double>(dials), "us");
    report.figure("fake Telnyx CPU per dial", fake_cpu * 1e6 / static_cast<double>(dials), "us");
    report.figure("dial latency p50 under load", lat.pct(50), "ms");
    report.figure("dial latency p99 under load", lat.pct(99), "ms");

    // Latency of one dial at a time.
    Samples seq;
    failed = run_dials(carrier, sequential, 1, &seq, &err);
    report.check("sequential dials succeed", failed == 0, err);
    report.figure("dial latency p50, one at a time", seq.pct(50), "ms");
    report.figure("dial latency p99, one at a time", seq.pct(99), "ms");

    // Connections and handshakes.
    const auto st = carrier.stats();
    fake.write_line("stats");
    auto fs = parse_stats(fake.read_line());
    const std::size_t total_dials = std::min<std::size_t>(window, dials) + dials + sequential;
    report.figure("dials placed", static_cast<double>(total_dials));
    report.figure("client: connections opened", static_cast<double>(st.http.connections_opened));
    report.figure("client: TLS handshakes", static_cast<double>(st.http.tls_handshakes));
    report.figure("client: requests sent", static_cast<double>(st.http.requests_sent));
    report.figure("client: requests on a reused connection", static_cast<double>(st.http.connections_reused));
    report.figure("fake: connections accepted", static_cast<double>(fs["connections"]));
    report.figure("fake: TLS handshakes", static_cast<double>(fs["handshakes"]));
    report.figure("fake: calls placed", static_cast<double>(fs["calls"]));
    report.check("the fake placed one call per dial", fs["calls"] == static_cast<long>(total_dials),
                 std::to_string(fs["calls"]) + " calls for " + std::to_string(total_dials) + " dials");
    report.check("handshakes == connections (client)", st.http.tls_handshakes == st.http.connections_opened);
    report.check("handshakes == connections (fake)", fs["handshakes"] == fs["connections"]);
    report.check("connections stay within the pool (no handshake per dial)",
                 st.http.connections_opened <= connections && fs["connections"] <= static_cast<long>(connections),
                 std::to_string(st.http.connections_opened) + " opened for " + std::to_string(total_dials) + " dials");
    carrier.shutdown();
  }
  guard.reset();
  io.stop();
  io_thread.join();
  fake.write_line("quit");
  fake.stop();
  return report.finish();
}
